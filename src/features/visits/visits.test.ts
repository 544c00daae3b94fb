import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import {
  type Agent,
  createTestApp,
  signedInAgent,
  type TestApp,
  testToken,
} from "../../../test/helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildUser,
  buildVisit,
  type Household,
  type Resident,
  type TeamMember,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { auditEvents, households, residents, visitResidents, visits } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { parseSupportKinds } from "../../lib/values.ts";
import { sendJson } from "../../test-support/api.ts";
import { civilDaysBefore } from "../teams/service.ts";
import { checkVisitRow } from "./check.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let h1: Household;
let h2: Household;
let an: Resident;
let binh: Resident;
let moved: Resident;
let other: Resident;
let leader1: TeamMember;
let member2: TeamMember;
const agents: Record<string, Agent> = {};
const tokens: Record<string, string> = {};
const today = todayInVietnam();
const yesterday = civilDaysBefore(today, 1);
const tomorrow = civilDaysBefore(today, -1);

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  [v1, v2] = await buildTwoVillages(t);
  h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  await t.db.update(households).set({ headName: "Nguyễn Văn Ấn" }).where(eq(households.id, h1.id));
  h2 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  an = await buildResident(t.db, {
    household: h1,
    fullName: "Nguyễn Văn Ấn",
    citizenId: "038080000001",
    phone: "0912345678",
    birthDate: "1950-03-04",
  });
  binh = await buildResident(t.db, {
    household: h1,
    fullName: "Trần Thị Bình",
    gender: "female",
    vneidLevel: 2,
  });
  moved = await buildResident(t.db, { household: h1, fullName: "Lê Văn Đi", status: "moved" });
  other = await buildResident(t.db, { household: h2, fullName: "Lê Văn Tây" });
  leader1 = await buildTeamMember(t.db, { village: v1, fullName: "Lò Xuân Bình", role: "leader" });
  await buildTeamMember(t.db, { village: v1, fullName: "Mai Văn Hùng" });
  member2 = await buildTeamMember(t.db, { village: v2, fullName: "Đặng Kim Bích", role: "leader" });
  const setups = [
    ["lead1", "village_lead", [v1], "Lò Xuân Bình"],
    ["vol1", "volunteer", [v1], "Mai Văn Hùng"],
    ["vol2", "volunteer", [v2], "Đặng Kim Bích"],
    ["coordinator", "coordinator", [], "Cán Bộ Xã"],
    ["province", "province", [], "Tỉnh"],
  ] as const;
  for (const [key, role, villages, displayName] of setups) {
    const { user } = await buildUser(t.db, { role, commune, villages: [...villages], displayName });
    const agent = await signedInAgent(t.app, user.username);
    agents[key] = agent;
    tokens[key] = await testToken(t.app, user.username);
  }
});
after(() => t.close());

const countVisits = async () => (await t.db.select({ n: count() }).from(visits))[0]!.n;
const levelOf = async (id: number) =>
  (await t.db.select({ l: residents.vneidLevel }).from(residents).where(eq(residents.id, id)))[0]!.l;

/** A valid visit form for h1, with the given fields changed. */
function form(over: Record<string, string | string[]> = {}) {
  return {
    household: "T01-0001",
    household_id: String(h1.id),
    date: yesterday,
    member: "Lò Xuân Bình",
    residents_met: [String(an.id)],
    support: ["vneid_install", "bank_account"],
    note: "",
    ...over,
  };
}

async function postVisit(agentKey: string, fields: Record<string, string | string[]>) {
  const agent = agents[agentKey]!;
  await agent.get(`/visits/new?household=${h1.id}`);
  return agent.postForm("/visits", fields);
}

describe("the visit form on a phone", () => {
  test("step 1 finds a household by the head's name without diacritics, and lists a one-village team's households", async () => {
    const agent = agents.lead1!;
    const res = await agent.get("/visits/new?q=nguyen+van+an");
    assert.equal(res.status, 200);
    assert.match(agent.lastHtml, new RegExp(`href="/visits/new\\?household=${h1.id}"`));
    await agent.get("/visits/new");
    assert.match(agent.lastHtml, /T01-0001/, "the only village's households are listed at once");
    assert.doesNotMatch(agent.lastHtml, /T02-0001/);
  });

  test("the form shows active members by name and age only, the eight kinds, and pre-selects the user as member", async () => {
    const agent = agents.vol1!;
    const res = await agent.get(`/visits/new?household=${h1.id}`);
    assert.equal(res.status, 200);
    const html = agent.lastHtml;
    assert.match(html, /Nguyễn Văn Ấn/);
    assert.match(html, /Trần Thị Bình/);
    assert.doesNotMatch(html, /Lê Văn Đi/, "a resident who moved away is not offered");
    assert.doesNotMatch(html, /038080000001|0912345678|038\*/, "no citizen ID or phone, even masked");
    for (const label of [
      "Cài đặt VNeID",
      "Định danh mức 2",
      "Mở tài khoản ngân hàng số",
      "Thanh toán không dùng tiền mặt",
      "Dịch vụ công trực tuyến",
      "Đăng ký học trên nền tảng",
      "Hướng dẫn an toàn thông tin",
      "Ứng dụng sức khỏe",
    ])
      assert.ok(html.includes(label), label);
    assert.match(html, /<option value="Mai Văn Hùng" selected="">/);
    assert.match(html, new RegExp(`type="date"[^>]*value="${today}"`));
    assert.match(html, /Cập nhật mức VNeID của Nguyễn Văn Ấn lên mức 1\/2/);
  });

  test("a village lead records a visit with two kinds of support and raises a met resident's VNeID level, audited", async () => {
    const before = await countVisits();
    const res = await postVisit(
      "lead1",
      form({
        support: ["vneid_level2", "cashless_payment"],
        vneid_update: [String(an.id)],
        note: "Hướng dẫn kỹ",
      }),
    );
    assert.equal(res.status, 303, agents.lead1!.lastHtml.slice(0, 500));
    assert.equal(await countVisits(), before + 1);
    const id = Number(res.headers.get("location")!.split("/").pop());
    const [v] = await t.db.select().from(visits).where(eq(visits.id, id));
    assert.deepEqual(v!.support, ["vneid_level2", "cashless_payment"]);
    assert.equal(v!.memberId, leader1.id);
    assert.equal(v!.note, "Hướng dẫn kỹ");
    const met = await t.db.select().from(visitResidents).where(eq(visitResidents.visitId, id));
    assert.deepEqual(
      met.map((m) => m.residentId),
      [an.id],
    );
    assert.equal(await levelOf(an.id), 2);
    const events = await t.db
      .select({ action: auditEvents.action, entityId: auditEvents.entityId })
      .from(auditEvents);
    assert.ok(events.some((e) => e.action === "visit.create" && e.entityId === String(id)));
    assert.ok(events.some((e) => e.action === "resident.update" && e.entityId === String(an.id)));
    const page = await agents.lead1!.get(`/visits/${id}`);
    assert.equal(page.status, 200);
    assert.match(agents.lead1!.lastHtml, /Đã ghi nhận lần thăm hộ T01-0001/);
    await agents.lead1!.get("/visits?village=T01");
    assert.match(agents.lead1!.lastHtml, /Định danh mức 2, Thanh toán không dùng tiền mặt/);
  });

  test("a VNeID level is never lowered", async () => {
    const res = await postVisit(
      "lead1",
      form({
        date: civilDaysBefore(today, 3),
        residents_met: [String(binh.id)],
        vneid_update: [String(binh.id)],
      }),
    );
    assert.equal(res.status, 303);
    assert.equal(await levelOf(binh.id), 2);
  });

  test("a visit dated in the future is refused and nothing is written", async () => {
    const before = await countVisits();
    const res = await postVisit("lead1", form({ date: tomorrow }));
    assert.equal(res.status, 422);
    assert.match(agents.lead1!.lastHtml, /error-summary/);
    assert.match(agents.lead1!.lastHtml, /href="#f-date"/);
    assert.equal(await countVisits(), before);
  });

  test("a member of another village's team is refused", async () => {
    const before = await countVisits();
    const res = await postVisit("lead1", form({ member: "Đặng Kim Bích" }));
    assert.equal(res.status, 422);
    assert.match(
      agents.lead1!.lastHtml,
      /Không có thành viên tên “Đặng Kim Bích” trong tổ công nghệ số của thôn T01/,
    );
    assert.equal(await countVisits(), before);
  });

  test("a resident met who is not an active member of the household is refused", async () => {
    const before = await countVisits();
    for (const [r, message] of [
      [other, /Người đã gặp phải là thành viên đang cư trú của hộ T01-0001/],
      // Someone who moved out since (a phone offline meanwhile): the refusal names them and why.
      [moved, /Lê Văn Đi đã chuyển đi khỏi hộ T01-0001/],
    ] as const) {
      const res = await postVisit("lead1", form({ residents_met: [String(an.id), String(r.id)] }));
      assert.equal(res.status, 422);
      assert.match(agents.lead1!.lastHtml, message);
    }
    assert.equal(await countVisits(), before);
  });

  test("a VNeID update needs a VNeID kind of support and a resident met", async () => {
    const level = await levelOf(an.id);
    let res = await postVisit(
      "lead1",
      form({ date: civilDaysBefore(today, 5), support: ["bank_account"], vneid_update: [String(an.id)] }),
    );
    assert.equal(res.status, 422);
    assert.match(agents.lead1!.lastHtml, /Chỉ cập nhật mức VNeID khi đã chọn/);
    res = await postVisit(
      "lead1",
      form({ date: civilDaysBefore(today, 5), residents_met: [], vneid_update: [String(an.id)] }),
    );
    assert.equal(res.status, 422);
    assert.equal(await levelOf(an.id), level);
  });

  test("no support chosen, or the same visit twice, is refused", async () => {
    let res = await postVisit("lead1", form({ date: civilDaysBefore(today, 6), support: [] }));
    assert.equal(res.status, 422);
    assert.match(agents.lead1!.lastHtml, /href="#f-support"/);
    res = await postVisit("lead1", form({ date: civilDaysBefore(today, 7) }));
    assert.equal(res.status, 303);
    res = await postVisit("lead1", form({ date: civilDaysBefore(today, 7) }));
    assert.equal(res.status, 422);
    assert.match(agents.lead1!.lastHtml, /đã được ghi nhận/);
  });

  test("a volunteer of another village gets 404 on the household's form, and cannot post a visit to it", async () => {
    const agent = agents.vol2!;
    assert.equal((await agent.get(`/visits/new?household=${h1.id}`)).status, 404);
    const before = await countVisits();
    await agent.get(`/visits/new?household=${h2.id}`);
    const res = await agent.postForm("/visits", form({ member: "Đặng Kim Bích" }));
    assert.equal(res.status, 404);
    assert.equal(await countVisits(), before);
  });

  test("the province reads visits but records none", async () => {
    assert.equal((await agents.province!.get("/visits")).status, 200);
    assert.equal((await agents.province!.get(`/visits/new?household=${h1.id}`)).status, 403);
  });
});

describe("visits API", () => {
  const send = (key: string, path: string, method: string, body?: unknown) =>
    sendJson(t.app, tokens[key]!, path, method, body);

  test("POST takes labels like an import row; items carry the data README's keys", async () => {
    const res = await send("lead1", "/api/v1/visits", "POST", {
      household: "T01-0001",
      date: civilDaysBefore(today, 10).split("-").reverse().join("/"),
      member: "lo xuan binh",
      support: "Dịch vụ công trực tuyến; Ứng dụng sức khỏe",
      residents_met: [an.id],
    });
    assert.equal(res.status, 201, await res.clone().text());
    const v = (await res.json()) as Record<string, unknown>;
    assert.equal(v.household, "T01-0001");
    assert.equal(v.member, "Lò Xuân Bình");
    assert.deepEqual(v.support, ["public_service_online", "health_app"]);
    assert.deepEqual(v.residents_met, [an.id]);
    assert.equal(v.date, civilDaysBefore(today, 10));

    const patched = await send("lead1", `/api/v1/visits/${v.id}`, "PATCH", { support: ["security_advice"] });
    assert.equal(patched.status, 200, await patched.clone().text());
    assert.deepEqual(((await patched.json()) as { support: string[] }).support, ["security_advice"]);

    const list = await send("vol1", "/api/v1/visits?village=T01&pageSize=2", "GET");
    const body = (await list.json()) as { items: { household: string }[]; total: number };
    assert.equal(body.items.length, 2);
    assert.ok(body.total >= 3);
    const none = (await (await send("vol2", "/api/v1/visits", "GET")).json()) as { total: number };
    assert.equal(none.total, 0, "a volunteer of T02 sees none of T01's visits");
    assert.equal((await send("vol2", `/api/v1/visits/${v.id}`, "GET")).status, 404);
    assert.equal(
      (await send("vol1", `/api/v1/visits/${v.id}`, "DELETE")).status,
      403,
      "volunteers do not edit",
    );
    assert.equal((await send("lead1", `/api/v1/visits/${v.id}`, "DELETE")).status, 204);
    assert.equal((await send("lead1", `/api/v1/visits/${v.id}`, "GET")).status, 404);
  });

  test("POST refuses a future date and another village's member with field errors", async () => {
    const res = await send("coordinator", "/api/v1/visits", "POST", {
      household: "T02-0001",
      date: tomorrow,
      member: "Lò Xuân Bình",
      support: ["bank_account"],
    });
    assert.equal(res.status, 422);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    assert.ok(error.fields.date);
    assert.match(error.fields.member!, /T02/);
  });

  test("a member referenced by visits cannot be deleted (409)", async () => {
    await buildVisit(t.db, { household: h2, member: member2, date: "2026-01-02" });
    const res = await send("coordinator", `/api/v1/team_members/${member2.id}`, "DELETE");
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "conflict");
  });
});

describe("the visit row check and the support parser", () => {
  test("labels, codes and English labels; unknown kinds say what is accepted", () => {
    const r = parseSupportKinds("Cai dat VNeID;  bank_account; Health app; Cài đặt VNeID");
    assert.deepEqual(r, { ok: true, value: ["vneid_install", "bank_account", "health_app"] });
    const bad = parseSupportKinds("Tư vấn pháp luật");
    assert.equal(bad.ok, false);
  });

  test("the member resolves by folded name within the household's village only", () => {
    const cells: Record<string, string> = {
      household: "H1",
      date: "05/01/2026",
      member: "LO XUAN BINH",
      support: "Mở tài khoản ngân hàng số",
    };
    const refs = {
      household: (c: string) => (c === "H1" ? { id: 1, code: "H1", villageId: 10 } : undefined),
      membersNamed: (villageId: number, name: string) =>
        villageId === 10 && name === "lo xuan binh" ? [{ id: 7 }] : [],
      villageCode: () => "T01",
    };
    const ok = checkVisitRow((k) => cells[k], refs, "2026-06-01");
    assert.deepEqual(ok.value, {
      householdId: 1,
      villageId: 10,
      date: "2026-01-05",
      memberId: 7,
      support: ["bank_account"],
      note: null,
    });
    const wrong = checkVisitRow((k) => ({ ...cells, member: "Đặng Kim Bích" })[k], refs, "2026-06-01");
    assert.deepEqual(
      wrong.checker.errors.map((e) => e.column),
      ["member"],
    );
    const future = checkVisitRow((k) => cells[k], refs, "2026-01-04");
    assert.deepEqual(
      future.checker.errors.map((e) => e.column),
      ["date"],
    );
  });
});

test("no visit ever paired a household with another village's team member", async () => {
  const [row] = await t.db
    .select({ n: count() })
    .from(visits)
    .where(and(eq(visits.householdId, h2.id), eq(visits.memberId, leader1.id)));
  assert.equal(row!.n, 0);
});
