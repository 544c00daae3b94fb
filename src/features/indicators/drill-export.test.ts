import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { and, desc, eq } from "drizzle-orm";
import { jsx } from "hono/jsx";
import { type Agent, createTestApp, signedInAgent, type TestApp } from "../../../test/helpers/app.ts";
import { buildHousehold, buildResident, buildUser } from "../../../test/helpers/factories.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { auditEvents } from "../../db/schema.ts";
import { translator } from "../../lib/i18n/index.ts";
import type { Cell } from "../../lib/tabular/read.ts";
import { downloadedRows } from "../../test-support/downloads.ts";
import { Pagination, pageItems } from "../../web/components.tsx";
import type { Role } from "../auth/policy.ts";
import { DEFAULT_PLAN_FILE, localizeIndicator, ZPlan } from "./plan.ts";

/** Drill-down lists as downloads and prints, scoped and masked as the page is (issue 17 point 4). */
let t: TestApp;
const W = "date=2026-06-15&period=2026";
const agents: Partial<Record<Role, Agent>> = {};
const ROWS_T01 = 60;

before(async () => {
  t = await createTestApp();
  const [v1, v2] = await buildTwoVillages(t, ["Thôn Một", "Thôn Hai"]);
  // Adults without basic skills: 60 in T01 (one poor household), 3 in T02.
  for (let i = 0; i < ROWS_T01; i++) {
    const h = await buildHousehold(t.db, { village: v1, code: `T01-${i}`, poor: i === 0 });
    await buildResident(t.db, {
      household: h,
      fullName: `Người Thôn Một ${String(i).padStart(2, "0")}`,
      birthDate: i === 0 ? "1950-05-05" : "1985-01-01",
      phone: `09120000${String(i).padStart(2, "0")}`,
      citizenId: `0381650000${String(i).padStart(2, "0")}`,
      disabled: i === 0,
    });
  }
  for (let i = 0; i < 3; i++) {
    const h = await buildHousehold(t.db, { village: v2, code: `T02-${i}` });
    await buildResident(t.db, { household: h, fullName: `Người Thôn Hai ${i}`, phone: `091300000${i}` });
  }
  for (const [role, villages] of [
    ["coordinator", undefined],
    ["leader", undefined],
    ["village_lead", [v1]],
  ] as const) {
    const { user } = await buildUser(t.db, {
      role,
      commune: t.commune,
      villages: villages ? [...villages] : [],
    });
    const a = await signedInAgent(t.app, user.username);
    agents[role] = a;
  }
});
after(() => t.close());

async function download(a: Agent, url: string) {
  const res = await a.request(url);
  if (res.status !== 200) return { res, rows: [] as Cell[][] };
  return { res, rows: await downloadedRows(res, url.includes(".csv") ? "csv" : "xlsx") };
}

describe("drill-down downloads", () => {
  test("a village team's download has its own village's rows only, masked; another village is not found", async () => {
    const a = agents.village_lead!;
    for (const ext of ["csv", "xlsx"]) {
      const { res, rows } = await download(a, `/indicators/adult_skills/export.${ext}?${W}`);
      assert.equal(res.status, 200, ext);
      assert.match(res.headers.get("content-disposition") ?? "", /bdhvs-adult_skills-missing-T01-2026-06-15/);
      assert.equal(rows[0]![1], "Họ và tên");
      assert.equal(rows.length, 1 + ROWS_T01, ext);
      const text = JSON.stringify(rows);
      assert.doesNotMatch(text, /Thôn Hai/);
      assert.doesNotMatch(text, /0912000001|038165000001/, "phones and citizen IDs masked");
      assert.match(text, /091\*{5}01|\*{4}/);
      // The elderly, disabled and poor first, with their tags in words.
      assert.equal(rows[1]![1], "Người Thôn Một 00");
      assert.match(String(rows[1]![7]), /Cao tuổi; Khuyết tật; Hộ nghèo/);
    }
    const other = await a.request(`/indicators/adult_skills/export.csv?${W}&village=T02`);
    assert.equal(other.status, 404);
  });

  test("the coordinator sees them whole; the leader masked; each download is audited as an export", async () => {
    const { rows } = await download(agents.coordinator!, `/indicators/adult_skills/export.xlsx?${W}`);
    assert.equal(rows.length, 1 + ROWS_T01 + 3);
    assert.match(JSON.stringify(rows), /0912000001/);
    assert.match(JSON.stringify(rows), /038165000001/);
    const [audit] = await t.db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "export.drill"), eq(auditEvents.communeId, t.commune.id)))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    assert.deepEqual(
      { ...(audit!.after as Record<string, unknown>), file: undefined },
      {
        file: undefined,
        indicator: "adult_skills",
        counted: false,
        village: null,
        unit: null,
        date: "2026-06-15",
        period: "2026",
        rows: ROWS_T01 + 3,
        masked: false,
      },
    );
    const leader = await download(agents.leader!, `/indicators/adult_skills/export.csv?${W}&village=T02`);
    assert.equal(leader.rows.length, 1 + 3);
    assert.doesNotMatch(JSON.stringify(leader.rows), /0913000001/);
    // Households (indicator 10) and the counted side download too.
    const hh = await download(
      agents.coordinator!,
      `/indicators/digital_households/export.csv?${W}&village=T02`,
    );
    assert.equal(hh.rows[0]![1], "Mã hộ");
    assert.equal(hh.rows.length, 1 + 3);
    const counted = await download(
      agents.coordinator!,
      `/indicators/adult_skills/export.csv?${W}&show=counted`,
    );
    assert.equal(counted.rows.length, 1);
  });

  test("the page links its print and downloads; the print version has every row and no paging", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators/adult_skills?${W}&village=T01`);
    assert.match(
      a.lastHtml,
      /href="\/indicators\/adult_skills\/export\.xlsx\?date=2026-06-15&amp;period=2026&amp;village=T01&amp;show=missing"/,
    );
    assert.match(a.lastHtml, /In danh sách/);
    assert.equal((a.lastHtml.match(/<tr>/g) ?? []).length - 1, 50, "50 rows a page on screen");
    await a.get(`/indicators/adult_skills?${W}&village=T01&print=1`);
    assert.equal((a.lastHtml.match(/Người Thôn Một \d\d/g) ?? []).length, ROWS_T01);
    assert.doesNotMatch(a.lastHtml, /class="pagination"/);
    assert.doesNotMatch(a.lastHtml, /class="filters/);
  });
});

describe("paging", () => {
  test("page numbers: the first, the last, the current one and its neighbours, gaps as ellipses", () => {
    assert.deepEqual(pageItems(1, 1), [1]);
    assert.deepEqual(pageItems(1, 3), [1, 2, 3]);
    assert.deepEqual(pageItems(1, 20), [1, 2, null, 20]);
    assert.deepEqual(pageItems(10, 20), [1, null, 9, 10, 11, null, 20]);
    assert.deepEqual(pageItems(4, 20), [1, 2, 3, 4, 5, null, 20]);
    assert.deepEqual(pageItems(20, 20), [1, null, 19, 20]);
  });

  test("a list of several pages links each page number and jumps to any page, keeping its filters", async () => {
    const a = agents.coordinator!;
    await a.get(`/indicators/adult_skills?${W}&page=2`);
    assert.match(a.lastHtml, /<a href="[^"]*page=1"[^>]*aria-label="Trang 1">1<\/a>/);
    assert.match(a.lastHtml, /<a href="[^"]*page=2" aria-current="page"/);
    assert.match(a.lastHtml, /Trang trước/);
    // 63 rows at 50 a page are two pages: no jump form under four.
    assert.doesNotMatch(a.lastHtml, /pagination__jump/);
    const html = String(
      jsx(Pagination, {
        t: translator("vi"),
        page: 7,
        pageSize: 50,
        total: 1000,
        href: (n: number) => `/residents?village=T01&q=nguy%E1%BB%85n&page=${n}`,
      }),
    );
    assert.match(html, /aria-label="Trang 20">20</);
    assert.match(html, /…/);
    assert.match(html, /<form method="get" action="\/residents" class="pagination__jump">/);
    assert.match(html, /<input type="hidden" name="village" value="T01"\/>/);
    assert.match(html, /<input type="hidden" name="q" value="nguyễn"\/>/);
    assert.match(html, /name="page" type="number"[^>]*max="20"/);
  });
});

describe("the English interface", () => {
  test("indicator titles and responsible units come from the plan's English; the Vietnamese stays otherwise", async () => {
    const a = agents.leader!;
    await a.get(`/indicators?${W}&lang=en`);
    assert.match(a.lastHtml, /Share of adult residents \(18 and over\) trained in basic digital knowledge/);
    assert.match(a.lastHtml, /Culture and Social Affairs Office/);
    assert.doesNotMatch(a.lastHtml, /Tỷ lệ người dân trong độ tuổi trưởng thành/);
    await a.get(`/indicators/vneid_16plus?${W}&lang=en`);
    assert.match(a.lastHtml, /<h1>[^<]*Share of citizens aged 16 and over/);
    const { rows } = await download(a, `/indicators/export.csv?${W}&lang=en`);
    assert.equal(
      rows[3]![2],
      "Share of adult residents (18 and over) trained in basic digital knowledge and skills",
    );
    await a.get(`/indicators?${W}`);
    assert.match(a.lastHtml, /Tỷ lệ người dân trong độ tuổi trưởng thành/);
    assert.match(a.lastHtml, /Phòng Văn hóa - Xã hội/);
  });
});

test("a plan file without English still loads; its titles then stay Vietnamese in English", () => {
  const shipped = JSON.parse(fs.readFileSync(DEFAULT_PLAN_FILE, "utf8")) as {
    indicators: { en?: unknown }[];
  };
  for (const i of shipped.indicators) delete i.en;
  const plan = ZPlan.parse(shipped);
  const ind = plan.indicators.find((i) => i.code === "adult_skills")!;
  assert.equal(localizeIndicator(plan, ind, "en").title, ind.title);
  const withEn = ZPlan.parse(JSON.parse(fs.readFileSync(DEFAULT_PLAN_FILE, "utf8")));
  const en = localizeIndicator(withEn, withEn.indicators.find((i) => i.code === "adult_skills")!, "en");
  assert.equal(en.responsible, "Culture and Social Affairs Office");
  assert.equal(localizeIndicator(withEn, ind, "vi").title, ind.title);
});
