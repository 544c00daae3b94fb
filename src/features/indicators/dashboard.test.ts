import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, eq } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildCommune,
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildUnit,
  buildUser,
  buildVillage,
  type Unit,
  type Village,
} from "../../../test/helpers/factories.ts";
import { computationsOf } from "../../db/data-version.ts";
import { activities, auditEvents, certifications, residents, villages } from "../../db/schema.ts";
import { formatPercent, translator } from "../../lib/i18n/index.ts";
import { downloadedRows } from "../../test-support/downloads.ts";
import type { Role } from "../auth/policy.ts";
import { currentPlan } from "./plan.ts";
import { computeIndicators, type IndicatorTable, resolveWindow } from "./service.ts";
import { computeTrends } from "./trend.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let school: Unit;
let otherSchool: Unit;
const D = "2026-06-15";
const W = `date=${D}&period=2026`;
const agents: Record<string, Agent> = {};
let coordinatorToken: string;
let leadToken: string;

const certify = (residentId: number, date: string, kind: "basic" | "vneid" = "basic") =>
  t.db.insert(certifications).values({ communeId: t.commune.id, residentId, kind, date, source: "course" });

async function engine(date = D, period = "2026"): Promise<IndicatorTable> {
  const plan = currentPlan();
  return computeIndicators({
    db: t.db,
    communeId: t.commune.id,
    plan,
    ...resolveWindow({ date, period, plan }),
  });
}

/** The HTML of one indicator card (from its id to the next card). */
function card(html: string, code: string): string {
  const start = html.indexOf(`id="ind-${code}"`);
  assert.ok(start > 0, `card ${code}`);
  const next = html.indexOf('<li class="ind-card', start);
  return html.slice(start, next > 0 ? next : html.indexOf("</ul>", start));
}

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  v1 = await buildVillage(t.db, { commune, code: "V1", name: "Thôn Một" });
  v2 = await buildVillage(t.db, { commune, code: "V2", name: "Thôn <b>Hai</b>" });
  school = await buildUnit(t.db, { commune, code: "THCS", name: "Trường THCS Tân Ninh", type: "school" });
  otherSchool = await buildUnit(t.db, { commune, code: "TH", name: "Trường Tiểu học", type: "school" });
  const h1 = await buildHousehold(t.db, { village: v1, code: "H1", poor: true });
  const h2 = await buildHousehold(t.db, { village: v1, code: "H2" });
  const h3 = await buildHousehold(t.db, { village: v2, code: "H3" });
  // V1: two adults without skills (one elderly in a poor household), one with; V2: one adult with skills.
  await buildResident(t.db, {
    household: h1,
    fullName: "Lê Văn Cụ",
    birthDate: "1950-02-02",
    phone: "0912345678",
  });
  await buildResident(t.db, {
    household: h2,
    fullName: "Trần Thị Bình",
    birthDate: "1990-05-05",
    phone: "0987654321",
  });
  const skilled = await buildResident(t.db, { household: h2, fullName: "Phạm Văn Giỏi", vneidLevel: 2 });
  await certify(skilled.id, "2026-02-01", "vneid");
  const v2adult = await buildResident(t.db, { household: h3, fullName: "Hoàng Văn Xa", vneidLevel: 1 });
  await certify(v2adult.id, "2026-05-01");
  // Students of the school: one certified.
  const s1 = await buildResident(t.db, {
    household: h3,
    fullName: "Học Sinh Một",
    birthDate: "2012-03-03",
    groups: ["student"],
    unitId: school.id,
  });
  await certify(s1.id, "2026-04-01");
  await buildResident(t.db, {
    household: h3,
    fullName: "Học Sinh Hai",
    birthDate: "2012-04-04",
    groups: ["student"],
    unitId: school.id,
  });
  await t.db.insert(activities).values({
    communeId: commune.id,
    code: "TT1",
    type: "propaganda",
    title: "Tuyên truyền <i>VNeID</i>",
    date: "2026-03-10",
    villageId: v1.id,
  });
  const accounts: [Role, { villages?: Village[]; unit?: Unit }][] = [
    ["coordinator", {}],
    ["village_lead", { villages: [v1] }],
    ["volunteer", { villages: [v1] }],
    ["school", { unit: school }],
    ["economy", {}],
  ];
  for (const [role, extra] of accounts) {
    const { user, password } = await buildUser(t.db, { role, commune, ...extra });
    const a = new Agent(t.app);
    await a.login(user.username, password);
    agents[role] = a;
    if (role === "coordinator") coordinatorToken = await apiToken(t.app, user.username, password);
    if (role === "village_lead") leadToken = await apiToken(t.app, user.username, password);
  }
});
after(() => t.close());

describe("dashboard", () => {
  test("the home page shows the 12 indicators as cards with the engine's figures", async () => {
    const a = agents.coordinator!;
    const res = await a.get(`/?${W}`);
    assert.equal(res.status, 200);
    const html = a.lastHtml;
    // (The "Chợ số" card beside indicator 10 is no indicator: ind-card--beside.)
    assert.equal(html.match(/<li class="ind-card ind-card--(?!beside)/g)?.length, 12);
    const table = await engine();
    const tr = translator("vi");
    for (const ind of table.indicators) {
      const c = card(html, ind.code);
      const value =
        ind.value === null
          ? "Chưa có số liệu"
          : ind.code === "digital_learning_day" || ind.code === "security_incidents"
            ? String(ind.value)
            : formatPercent("vi", ind.value, 1, { fixed: true });
      assert.ok(c.includes(value), `${ind.code}: ${value}`);
      if (ind.denominator) assert.ok(c.includes(`${ind.numerator}/${ind.denominator} `), ind.code);
      assert.ok(
        c.includes(ind.met ? tr("dashboard.met") : ind.value === null ? "Chưa có số liệu" : "Chưa đạt"),
      );
      assert.ok(c.includes(`href="/indicators/${ind.code}?date=${D}&amp;period=2026"`), ind.code);
    }
    // 3: adults 2/5 with skills in the commune (V1: 1/3, V2: 1/1 + the school's students are minors).
    const adults = table.indicators.find((i) => i.code === "adult_skills")!;
    assert.deepEqual([adults.numerator, adults.denominator], [2, 4]);
    assert.ok(card(html, "adult_skills").includes("50,0\u00a0%"));
  });

  test("a ratio with an empty denominator shows “Chưa có số liệu”, never 0 %", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators?${W}`);
    const c = card(a.lastHtml, "public_sector_skills");
    assert.match(c, /Chưa có số liệu/);
    assert.doesNotMatch(c, /[^\d]0\u00a0%/);
    assert.doesNotMatch(c, /<svg/, "no chart without a single value");
    assert.match(a.lastHtml, /class="ind-card ind-card--none" id="ind-public_sector_skills"/);
  });

  test("pace and forecast in words, a sparkline with a summary and a hidden table", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators?${W}`);
    const c = card(a.lastHtml, "adult_skills");
    assert.match(c, /role="img" aria-label="Biểu đồ giá trị cuối mỗi tháng/);
    assert.match(c, /<svg /);
    assert.match(c, /<div class="visually-hidden"><table>/);
    assert.match(
      c,
      /Với tốc độ hiện tại \(\+[\d,]+ điểm\/tháng\), dự kiến đạt mục tiêu vào ngày \d\d\/\d\d\/\d{4}/,
    );
    assert.match(c, /Cần thêm \d+ người mỗi tuần để đạt mục tiêu trước 31\/12\/2026/);
    // No inline style reaches the page (the CSP forbids them).
    assert.doesNotMatch(a.lastHtml, /<style|style="/);
  });

  test("the village table: a cell per village and indicator, linking to the village's drill-down; names escaped", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators?${W}`);
    const html = a.lastHtml;
    assert.match(html, /href="\/indicators\/adult_skills\?date=2026-06-15&amp;period=2026&amp;village=V1"/);
    assert.match(html, /href="\/villages\/\d+\/visit-next"/);
    assert.ok(html.includes("Thôn &lt;b&gt;Hai&lt;/b&gt;"));
    assert.ok(!html.includes("<b>Hai</b>"));
    assert.match(html, /class="heat heat--4"/);
    assert.match(html, /<section class="table-wrap" aria-labelledby="villages-caption" tabindex="0"/);
  });

  test("a bad date keeps the page usable and says what is wrong", async () => {
    const a = agents.coordinator!;
    const res = await a.get("/indicators?date=2026-13-40");
    assert.equal(res.status, 200);
    assert.match(a.lastHtml, /Ngày tham chiếu “2026-13-40” không hợp lệ/);
  });

  test("a new commune with no resident yet: every card, no data, no error", async () => {
    const empty = await buildCommune(t.db, { code: "TRONG", name: "Xã Trống" });
    const { user, password } = await buildUser(t.db, { role: "coordinator", commune: empty });
    const a = new Agent(t.app);
    await a.login(user.username, password);
    assert.equal((await a.get("/")).status, 200);
    assert.equal(a.lastHtml.match(/<li class="ind-card ind-card--(?!beside)/g)?.length, 12);
    assert.match(card(a.lastHtml, "adult_skills"), /Chưa có số liệu/);
    const plan = currentPlan();
    const trends = await computeTrends({
      db: t.db,
      communeId: empty.id,
      plan,
      ...resolveWindow({ date: D, period: "2026", plan }),
    });
    const adults = trends.find((x) => x.code === "adult_skills")!;
    assert.equal(adults.points.length, 6);
    assert.ok(adults.points.every((p) => p.value === null));
  });

  test("a volunteer's home has no dashboard but the visit list of their village", async () => {
    const a = agents.volunteer!;
    await a.get("/");
    assert.doesNotMatch(a.lastHtml, /ind-card/);
    assert.match(a.lastHtml, new RegExp(`href="/villages/${v1.id}/visit-next"`));
  });
});

describe("drill-down", () => {
  test("a village lead sees who is missing in their village, phones masked, the elderly first", async () => {
    const a = agents.village_lead!;
    const res = await a.get(`/indicators/adult_skills?${W}&village=V1`);
    assert.equal(res.status, 200);
    const html = a.lastHtml;
    assert.match(html, /2 người/);
    assert.ok(html.indexOf("Lê Văn Cụ") < html.indexOf("Trần Thị Bình"), "elderly first");
    assert.ok(html.includes("091*****78"));
    assert.ok(!html.includes("0912345678"));
    assert.match(html, /Cao tuổi/);
    assert.match(html, /Hộ nghèo/);
    assert.ok(!html.includes("Phạm Văn Giỏi"), "counted ones are on the other tab");
    await a.get(`/indicators/adult_skills?${W}&village=V1&show=counted`);
    assert.ok(a.lastHtml.includes("Phạm Văn Giỏi"));
  });

  test("without a filter, a one-village team and a school see their own figure and list", async () => {
    const lead = agents.village_lead!;
    await lead.get(`/indicators/adult_skills?${W}`);
    assert.match(lead.lastHtml, /Số liệu của Thôn Một/);
    assert.match(lead.lastHtml, /1\/3 người/);
    const school = agents.school!;
    await school.get(`/indicators/student_skills?${W}`);
    assert.match(school.lastHtml, /Số liệu của đơn vị Trường THCS Tân Ninh/);
    assert.match(school.lastHtml, /1\/2 người/);
  });

  test("another village is not found for a village lead", async () => {
    assert.equal((await agents.village_lead!.get(`/indicators/adult_skills?${W}&village=V2`)).status, 404);
    assert.equal((await agents.village_lead!.get(`/indicators/nope?${W}`)).status, 404);
  });

  test("a coordinator sees phones whole, and that view is audited", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators/adult_skills?${W}&village=V1`);
    assert.ok(a.lastHtml.includes("0912345678"));
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, "resident.view_identity_list"), eq(auditEvents.communeId, t.commune.id)),
      );
    assert.ok(events.length >= 1);
  });

  test("households of indicator 10; villages with reasons for 6; incidents only with incident.read", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators/digital_households?${W}`);
    assert.match(a.lastHtml, /H1/);
    await a.get(`/indicators/village_propaganda?${W}`);
    assert.match(a.lastHtml, /1 hoạt động tuyên truyền từ 01\/01\/2026 đến 15\/06\/2026/);
    assert.match(a.lastHtml, /Chưa có hoạt động tuyên truyền nào/);
    assert.ok(a.lastHtml.includes("Tuyên truyền &lt;i&gt;VNeID&lt;/i&gt;"));
    await a.get(`/indicators/security_incidents?${W}`);
    assert.match(a.lastHtml, /Không có sự cố nghiêm trọng nào/);
    const e = agents.economy!;
    await e.get(`/indicators/security_incidents?${W}`);
    assert.match(e.lastHtml, /chỉ hiện số lượng/);
    await a.get(`/indicators/reports_on_time?${W}`);
    assert.match(a.lastHtml, /Các báo cáo đến hạn trong kỳ/);
  });
});

describe("downloads", () => {
  test("CSV and XLSX hold the engine's figures, numbers as numbers", async () => {
    const table = await engine();
    const a = agents.coordinator!;
    for (const ext of ["csv", "xlsx"] as const) {
      const res = await a.request(`/indicators/export.${ext}?${W}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-disposition") ?? "", /attachment/);
      const rows = await downloadedRows(res, ext);
      assert.equal(rows.length, 13);
      for (const [i, ind] of table.indicators.entries()) {
        const row = rows[i + 1]!;
        assert.equal(row[1], ind.code);
        const num = (x: unknown) => (x === null || x === "" ? null : Number(x));
        assert.equal(num(row[3]), ind.numerator ?? null, `${ext} ${ind.code} numerator`);
        assert.equal(num(row[4]), ind.denominator ?? null);
        assert.equal(num(row[5]), ind.value);
        assert.equal(num(row[6]), ind.target);
      }
    }
  });

  test("a bad period answers 422", async () => {
    assert.equal((await agents.coordinator!.request("/indicators/export.csv?period=2026-Q9")).status, 422);
  });
});

describe("visit list and unit page", () => {
  test("a village lead's visit list: three lists, masked phones, printable; another village 404", async () => {
    const a = agents.village_lead!;
    const res = await a.get(`/villages/${v1.id}/visit-next`);
    assert.equal(res.status, 200);
    const html = a.lastHtml;
    assert.match(html, /Người từ 18 tuổi chưa có kỹ năng số cơ bản/);
    assert.match(html, /Người từ 16 tuổi chưa có tài khoản VNeID/);
    assert.match(html, /Hộ chưa có thành viên nào có kỹ năng số/);
    assert.ok(html.includes("091*****78"));
    assert.ok(!html.includes("0912345678"));
    assert.equal((await a.get(`/villages/${v1.id}/visit-next?print=1`)).status, 200);
    assert.equal((await a.get(`/villages/${v2.id}/visit-next`)).status, 404);
  });

  test("the village page links to its visit list", async () => {
    const a = agents.village_lead!;
    await a.get(`/villages/${v1.id}`);
    assert.match(a.lastHtml, new RegExp(`href="/villages/${v1.id}/visit-next"`));
  });

  test("a school user sees its own unit's indicators, not another unit's", async () => {
    const a = agents.school!;
    const res = await a.get(`/units/${school.id}/indicators?${W}`);
    assert.equal(res.status, 200);
    const c = card(a.lastHtml, "student_skills");
    assert.match(c, /50,0\u00a0%/);
    assert.match(c, /1\/2 người/);
    assert.match(c, /unit=THCS/);
    assert.equal((await a.get(`/units/${otherSchool.id}/indicators?${W}`)).status, 404);
    // Its drill-down lists its own students.
    await a.get(`/indicators/student_skills?${W}&unit=THCS`);
    assert.match(a.lastHtml, /Học Sinh Hai/);
    assert.equal((await a.get(`/indicators/student_skills?${W}&unit=TH`)).status, 404);
  });
});

describe("API", () => {
  test("the residents behind a figure, and the households of indicator 10", async () => {
    const res = await t.app.request(`/api/v1/indicators/adult_skills/residents?${W}&village=V1`, {
      headers: bearer(leadToken),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { items: { full_name: string; phone: string }[]; total: number };
    assert.equal(body.total, 2);
    assert.equal(body.items[0]!.phone, "091*****78");
    const h = await t.app.request(`/api/v1/indicators/digital_households/households?${W}`, {
      headers: bearer(coordinatorToken),
    });
    assert.equal(h.status, 200);
    assert.equal(((await h.json()) as { total: number }).total, 1);
    const wrong = await t.app.request(`/api/v1/indicators/digital_households/residents?${W}`, {
      headers: bearer(coordinatorToken),
    });
    assert.equal(wrong.status, 404);
    const other = await t.app.request(`/api/v1/indicators/adult_skills/residents?${W}&village=V2`, {
      headers: bearer(leadToken),
    });
    assert.equal(other.status, 404);
  });

  test("the trend of the ratio indicators", async () => {
    const res = await t.app.request(`/api/v1/indicators/trend?${W}`, { headers: bearer(coordinatorToken) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { trends: { code: string; points: unknown[] }[] };
    const adults = body.trends.find((x) => x.code === "adult_skills")!;
    assert.equal(adults.points.length, 6);
    const doc = (await (await t.app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    assert.ok(doc.paths["/indicators/{code}/residents"]);
    assert.ok(doc.paths["/indicators/{code}/households"]);
    assert.ok(doc.paths["/indicators/trend"]);
  });
});

// Last in this file: it adds a village, a household, residents and a team member.
describe("the visit list's page kept beside its lists", () => {
  test("drawn once per role, masks each role's own, audited at every view, drawn anew after a write", async () => {
    const v9 = await buildVillage(t.db, { commune: t.commune, code: "V9", name: "Thôn Chín" });
    const h9 = await buildHousehold(t.db, { village: v9, code: "H9" });
    await buildResident(t.db, {
      household: h9,
      fullName: "Đỗ Văn Một",
      birthDate: "1980-01-01",
      phone: "0911222333",
    });
    const coordinator = agents.coordinator!;
    const identityViews = async () =>
      (
        await t.db
          .select()
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.action, "resident.view_identity_list"),
              eq(auditEvents.communeId, t.commune.id),
            ),
          )
      ).length;
    const drawn = () => computationsOf("visitNextPage");

    const views = await identityViews();
    let before = drawn();
    assert.equal((await coordinator.get(`/villages/${v9.id}/visit-next`)).status, 200);
    const first = coordinator.lastHtml;
    assert.ok(
      first.includes("Đỗ Văn Một") && first.includes("0911222333"),
      "the coordinator sees the phone whole",
    );
    assert.equal(drawn(), before + 1);
    await coordinator.get(`/villages/${v9.id}/visit-next`);
    assert.equal(drawn(), before + 1, "the second view is answered from memory");
    assert.equal(coordinator.lastHtml, first);
    assert.equal(await identityViews(), views + 2, "each view of the whole phones is audited");

    // Another role: its own page, with its own masks (the coordinator's is not served to it).
    const { user, password } = await buildUser(t.db, {
      role: "village_lead",
      commune: t.commune,
      villages: [v9],
    });
    const lead = new Agent(t.app);
    await lead.login(user.username, password);
    before = drawn();
    await lead.get(`/villages/${v9.id}/visit-next`);
    assert.equal(drawn(), before + 1);
    assert.ok(lead.lastHtml.includes("091*****33"));
    assert.ok(!lead.lastHtml.includes("0911222333"));

    // A resident added, then a team member: the next page shows each at once.
    await buildResident(t.db, { household: h9, fullName: "Đỗ Thị Hai", birthDate: "1985-02-02" });
    await coordinator.get(`/villages/${v9.id}/visit-next`);
    assert.ok(coordinator.lastHtml.includes("Đỗ Thị Hai"));
    await lead.get(`/villages/${v9.id}/visit-next`);
    assert.ok(lead.lastHtml.includes("Đỗ Thị Hai"));
    await buildTeamMember(t.db, { village: v9, fullName: "Trưởng Nhóm Chín", role: "leader" });
    await coordinator.get(`/villages/${v9.id}/visit-next`);
    assert.ok(coordinator.lastHtml.includes("Trưởng Nhóm Chín"));
  });

  test("the dashboard's section: drawn per scope, the same until a write, then the new figures", async () => {
    const coordinator = agents.coordinator!;
    const lead = agents.village_lead!; // Thôn Một's
    await coordinator.get(`/?${W}`);
    const first = card(coordinator.lastHtml, "adult_skills");
    await coordinator.get(`/?${W}`);
    assert.equal(card(coordinator.lastHtml, "adult_skills"), first, "nothing written: the same section");
    // The coordinator links every village's list, Thôn Một's lead only its own, from the same figures.
    const v9 = (await t.db.select().from(villages).where(eq(villages.code, "V9")))[0]!;
    assert.ok(coordinator.lastHtml.includes(`href="/villages/${v9.id}/visit-next"`));
    await lead.get(`/?${W}`);
    assert.ok(lead.lastHtml.includes(`href="/villages/${v1.id}/visit-next"`));
    assert.ok(!lead.lastHtml.includes(`href="/villages/${v9.id}/visit-next"`));
    // A certification: the next dashboard counts it.
    const [someone] = await t.db.select().from(residents).where(eq(residents.fullName, "Đỗ Văn Một"));
    await certify(someone!.id, "2026-06-01");
    await coordinator.get(`/?${W}`);
    const after = card(coordinator.lastHtml, "adult_skills");
    assert.notEqual(after, first);
    const table = await engine();
    const ind = table.indicators.find((i) => i.code === "adult_skills")!;
    assert.ok(after.includes(`${ind.numerator}/${ind.denominator}`), "the engine's new figure");
  });
});
