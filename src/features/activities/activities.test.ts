import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import { Agent, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { auditEntryOf } from "../../../test/helpers/audit.ts";
import {
  type Activity,
  type ActivitySession,
  buildActivity,
  buildCommune,
  buildHousehold,
  buildResident,
  buildSession,
  buildUnit,
  buildVillage,
  type Resident,
  TEST_PASSWORD,
  type Unit,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { buildTwoVillagesWithHouseholds } from "../../../test/helpers/two-villages.ts";
import { activities, attendance, auditEvents } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { t as translate } from "../../lib/i18n/index.ts";
import { parseActivityType, parseAudience } from "../../lib/values.ts";
import { ageAt } from "../residents/service.ts";
import { activityRefsOf, checkActivityRow, oneYearAfter } from "./check.ts";

/** A civil date `n` days from today in Vietnam. */
function inDays(n: number): string {
  const [y, m, d] = todayInVietnam().split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const dmy = (iso: string) => iso.split("-").reverse().join("/");

let t: TestApp;
const ROLES = ["coordinator", "village_lead", "volunteer", "school", "leader"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let v1: Village;
let v2: Village;
let school: Unit;
/** Residents of T01 (two adults, one student of the school), of T02, and of another commune. */
let thao: Resident;
let quynh: Resident;
let student: Resident;
let oanh: Resident;
let foreign: Resident;
/** A class of T01 (audience: residents) with a past session; a class of T02; a commune-wide class. */
let c1: Activity;
let s1: ActivitySession;
let c2: Activity;
let s2: ActivitySession;
let cAll: Activity;
let sAll: ActivitySession;
let schoolClass: Activity;
let tokens: Record<string, string>;
let users: Record<string, string>;

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  const { h1, h2, ...villages } = await buildTwoVillagesWithHouseholds(t, ["Thôn Đông Hòa", "Thôn Tây Sơn"]);
  ({ v1, v2 } = villages);
  school = await buildUnit(t.db, { commune, code: "THCS", name: "Trường THCS", type: "school" });
  thao = await buildResident(t.db, {
    household: h1,
    fullName: "Phạm Kim Thảo",
    birthDate: "1948-11-23",
    gender: "female",
    citizenId: "038148998227",
    phone: "0912345678",
  });
  quynh = await buildResident(t.db, {
    household: h1,
    fullName: "Đặng Thị Quỳnh",
    birthDate: "2002-11-10",
    gender: "female",
    citizenId: "038302309710",
  });
  student = await buildResident(t.db, {
    household: h1,
    fullName: "Lê Văn Học",
    birthDate: "2012-05-01",
    groups: ["student"],
    unitId: school.id,
  });
  await buildResident(t.db, { household: h1, fullName: "Trần Văn Chuyển", status: "moved" });
  oanh = await buildResident(t.db, { household: h2, fullName: "Lò Thu Oanh", citizenId: "037148625865" });
  const other = await buildCommune(t.db);
  foreign = await buildResident(t.db, {
    household: await buildHousehold(t.db, { village: await buildVillage(t.db, { commune: other }) }),
    fullName: "Người Xã Khác",
  });
  c1 = await buildActivity(t.db, {
    village: v1,
    code: "HD0007",
    title: "Lớp kỹ năng số cho người dân Thôn Đông Hòa",
    date: inDays(-20),
    audience: "resident",
    place: "Nhà văn hóa Thôn Đông Hòa",
  });
  s1 = await buildSession(t.db, { activity: c1, date: inDays(-20) });
  c2 = await buildActivity(t.db, {
    village: v2,
    code: "HD0008",
    title: "Lớp Thôn Tây Sơn",
    date: inDays(-10),
  });
  s2 = await buildSession(t.db, { activity: c2, present: [oanh] });
  cAll = await buildActivity(t.db, { commune, code: "HD0009", title: "Lớp toàn xã", date: inDays(-5) });
  sAll = await buildSession(t.db, { activity: cAll });
  schoolClass = await buildActivity(t.db, {
    commune,
    unit: school,
    code: "HD0010",
    title: "Lớp kỹ năng số cho học sinh",
    date: inDays(-3),
    audience: "student",
  });
  await buildActivity(t.db, {
    village: v1,
    code: "TT-01",
    type: "propaganda",
    title: "Tuyên truyền Bình dân học vụ số",
    date: inDays(-40),
  });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1], unit: school });
  ({ tokens, usernames: users } = accounts);
});
after(() => t.close());

type Item = {
  id: number;
  code: string;
  type: string;
  title: string;
  date: string;
  village: string | null;
  unit: string | null;
  audience: string | null;
  sessions?: { id: number; date: string; present: number; total: number }[];
};
type ApiError = { error: { code: string; message: string; fields: Record<string, string> } };

const get = (role: string, path: string) => accounts.get(role, path);
const send = (role: string, path: string, body: unknown, method = "POST") =>
  accounts.send(role, body, path, method);
const codes = async (role: string, query = "") => {
  const res = await get(role, `/api/v1/activities${query}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: Item[] }).items.map((i) => i.code).sort();
};
async function agentFor(role: string) {
  const a = new Agent(t.app);
  await a.login(users[role]!, TEST_PASSWORD);
  return a;
}
const stored = async (sessionId: number, residentId: number) => {
  const [row] = await t.db
    .select({ present: attendance.present })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.residentId, residentId)));
  return row?.present ?? null;
};

describe("the activity row check (shared with the activities import)", () => {
  test("types and audiences by Vietnamese or English label, with or without diacritics, or by code", () => {
    const ok = (r: { ok: boolean; value?: unknown }) => (r.ok ? r.value : "error");
    assert.equal(ok(parseActivityType("Lớp học")), "class");
    assert.equal(ok(parseActivityType("TUYEN TRUYEN")), "propaganda");
    assert.equal(ok(parseActivityType("Ngày hội toàn dân học tập số")), "digital_learning_day");
    assert.equal(ok(parseActivityType("Ngày hội học tập số")), "digital_learning_day");
    assert.equal(ok(parseActivityType("le phat dong")), "launch");
    assert.equal(ok(parseActivityType("Khác")), "other");
    assert.equal(ok(parseActivityType("digital_learning_day")), "digital_learning_day");
    assert.equal(ok(parseActivityType("Class")), "class");
    assert.equal(ok(parseActivityType("Hội thảo")), "error");
    assert.equal(ok(parseAudience("Người dân")), "resident");
    assert.equal(ok(parseAudience("CBCCVC")), "public_sector");
    assert.equal(ok(parseAudience("Cán bộ, công chức, viên chức")), "public_sector");
    assert.equal(ok(parseAudience("hoc sinh")), "student");
    assert.equal(ok(parseAudience("Người lao động doanh nghiệp")), "enterprise_worker");
    const bad = parseAudience("Người già");
    assert.ok(!bad.ok);
    assert.match(translate("vi", bad.error.key, bad.error.params), /Đối tượng “Người già” không hợp lệ/);
  });

  test("a row by column key: references by code, every error under its column", () => {
    const refs = activityRefsOf(
      [{ id: 1, communeId: 1, code: "T01", name: "Một" }],
      [{ id: 9, communeId: 1, code: "THCS", name: "Trường", type: "school" }],
    );
    const row: Record<string, string> = {
      code: "HD0001",
      type: "Lớp học",
      title: " Lớp   kỹ năng số ",
      date: "11/06/2026",
      village: "T01",
      unit: "THCS",
      place: "Nhà văn hóa",
      time: "7h30",
      audience: "Người dân",
    };
    const good = checkActivityRow((k) => row[k] ?? null, refs, "2026-11-25");
    assert.ok(good.checker.ok);
    assert.deepEqual(good.value, {
      code: "HD0001",
      type: "class",
      title: "Lớp kỹ năng số",
      date: "2026-06-11",
      villageId: 1,
      unitId: 9,
      audience: "resident",
      place: "Nhà văn hóa",
      startTime: "07:30",
      trainer: null,
      notes: null,
    });
    const badRow: Record<string, string> = {
      code: "HD 1",
      type: "Hội thảo",
      date: "11/06/2062",
      village: "T99",
    };
    const bad = checkActivityRow((k) => badRow[k] ?? null, refs, "2026-11-25");
    assert.deepEqual(bad.checker.errors.map((e) => e.column).sort(), [
      "code",
      "date",
      "title",
      "type",
      "village",
    ]);
    const date = bad.checker.errors.find((e) => e.column === "date")!.message;
    assert.match(translate("vi", date.key, date.params), /11\/06\/2062 cách hôm nay hơn một năm/);
    assert.equal(oneYearAfter("2028-02-29"), "2029-02-28");
  });
});

describe("reading activities", () => {
  test("commune roles see all; a village team its villages plus commune-wide ones; a school its unit's", async () => {
    assert.deepEqual(await codes("coordinator"), ["HD0007", "HD0008", "HD0009", "HD0010", "TT-01"]);
    // The school's class names no village: commune-wide, so the village team sees it (read only).
    assert.deepEqual(await codes("village_lead"), ["HD0007", "HD0009", "HD0010", "TT-01"]);
    assert.deepEqual(await codes("school"), ["HD0010"]);
    assert.equal((await get("volunteer", `/api/v1/activities/${c2.id}`)).status, 404);
    assert.equal((await get("school", `/api/v1/activities/${c1.id}`)).status, 404);
    assert.equal((await get("school", `/api/v1/activities/${schoolClass.id}`)).status, 200);
    assert.equal((await get("leader", `/api/v1/activities/${c2.id}`)).status, 200);
  });

  test("filters: type, village, month, and the title without diacritics", async () => {
    assert.deepEqual(await codes("coordinator", "?type=propaganda"), ["TT-01"]);
    assert.deepEqual(await codes("coordinator", "?village=T02"), ["HD0008"]);
    assert.deepEqual(await codes("coordinator", `?month=${inDays(-40).slice(0, 7)}&type=propaganda`), [
      "TT-01",
    ]);
    assert.deepEqual(await codes("coordinator", `?q=${encodeURIComponent("dong hoa")}`), ["HD0007"]);
    assert.deepEqual(await codes("coordinator", "?q=HD000"), ["HD0007", "HD0008", "HD0009"]);
    assert.deepEqual(await codes("coordinator", "?village=T99"), []);
  });

  test("the detail lists a class's sessions with counts; the API item has the data README's keys", async () => {
    const res = await get("coordinator", `/api/v1/activities/${c2.id}`);
    const a = (await res.json()) as Item & Record<string, unknown>;
    assert.equal(a.village, "T02");
    for (const k of ["code", "type", "title", "date", "village", "unit", "place", "trainer", "audience"])
      assert.ok(k in a, k);
    assert.deepEqual(
      a.sessions!.map((s) => [s.date, s.present, s.total]),
      [[inDays(-10), 1, 1]],
    );
  });

  test("the list and calendar pages work without JavaScript, for a village team's scope", async () => {
    const a = await agentFor("volunteer");
    assert.equal((await a.get("/activities")).status, 200);
    assert.match(a.lastHtml, /Lớp kỹ năng số cho người dân Thôn Đông Hòa/);
    assert.doesNotMatch(a.lastHtml, /Lớp Thôn Tây Sơn/);
    assert.doesNotMatch(a.lastHtml, /Thêm hoạt động/);
    assert.match(a.lastHtml, /href="\/activities" aria-current="page">Hoạt động</);
    const month = inDays(-20).slice(0, 7);
    assert.equal((await a.get(`/activities/calendar?month=${month}`)).status, 200);
    assert.match(a.lastHtml, new RegExp(`<time datetime="${inDays(-20)}">`));
    assert.match(a.lastHtml, new RegExp(`href="/activities/${c1.id}/sessions/${s1.id}"`));
    assert.match(a.lastHtml, /rel="prev"/);
    assert.match(a.lastHtml, /rel="next"/);
    assert.equal((await a.get("/activities/calendar?month=2020-01")).status, 200);
    assert.match(a.lastHtml, /Không có hoạt động nào trong tháng này/);
    assert.equal((await a.get(`/activities/${c2.id}`)).status, 404);
  });
});

describe("writing activities", () => {
  test("an empty code takes the next free HD number; the write is audited", async () => {
    const res = await send("coordinator", "/api/v1/activities", {
      type: "Ngày hội toàn dân học tập số",
      title: "Ngày hội học tập số của xã",
      date: dmy(inDays(3)),
      place: "Sân vận động xã",
    });
    assert.equal(res.status, 201, await res.clone().text());
    const a = (await res.json()) as Item;
    assert.equal(a.code, "HD0011");
    assert.equal(a.type, "digital_learning_day");
    assert.equal(a.village, null);
    const ev = await auditEntryOf(t.db, "activity.create", a.id);
    assert.equal((ev!.after as { code: string }).code, "HD0011");
  });

  test("a duplicate code: a message beside the field, offering the next free code; nothing written", async () => {
    const [before] = await t.db.select({ n: count() }).from(activities);
    const res = await send("coordinator", "/api/v1/activities", {
      code: "HD0007",
      type: "class",
      title: "Trùng mã",
      date: "01/12/2026",
    });
    assert.equal(res.status, 422);
    const body = (await res.json()) as ApiError;
    assert.match(body.error.fields.code!, /Mã hoạt động HD0007 đã có trong xã.*HD00\d\d/);
    const a = await agentFor("coordinator");
    await a.get("/activities/new");
    assert.match(a.lastHtml, /name="code" type="text" value="HD00\d\d"/);
    const page = await a.postForm("/activities", { code: "HD0007", type: "class", title: "Trùng", date: "" });
    assert.equal(page.status, 422);
    assert.match(a.lastHtml, /href="#f-code"/);
    assert.match(a.lastHtml, /id="e-code" class="field__error">.*Mã hoạt động HD0007 đã có trong xã/s);
    assert.match(a.lastHtml, /id="e-date"/);
    const [afterRow] = await t.db.select({ n: count() }).from(activities);
    assert.equal(afterRow!.n, before!.n);
  });

  test("a village lead writes only its villages' activities; a volunteer and a leader cannot write", async () => {
    const mine = await send("village_lead", "/api/v1/activities", {
      type: "Tuyên truyền",
      title: "Tuyên truyền tại Thôn Đông Hòa",
      date: dmy(inDays(-1)),
      village: "T01",
    });
    assert.equal(mine.status, 201, await mine.clone().text());
    const elsewhere = { type: "class", title: "x", date: dmy(inDays(-1)), village: "T02" };
    assert.equal((await send("village_lead", "/api/v1/activities", elsewhere)).status, 403);
    const noVillage = await send("village_lead", "/api/v1/activities", { ...elsewhere, village: "" });
    assert.equal(noVillage.status, 422);
    assert.match(((await noVillage.json()) as ApiError).error.fields.village!, /thôn mình phụ trách/);
    // A commune-wide class is visible to the lead but not theirs to change.
    assert.equal(
      (await send("village_lead", `/api/v1/activities/${cAll.id}`, { title: "y" }, "PATCH")).status,
      403,
    );
    assert.equal(
      (await send("village_lead", `/api/v1/activities/${c2.id}`, { title: "y" }, "PATCH")).status,
      404,
    );
    assert.equal(
      (await send("volunteer", "/api/v1/activities", { ...elsewhere, village: "T01" })).status,
      403,
    );
    assert.equal((await send("leader", "/api/v1/activities", { ...elsewhere, village: "T01" })).status, 403);
    const bySchool = await send("school", "/api/v1/activities", { ...elsewhere, village: "", unit: "THCS" });
    assert.equal(bySchool.status, 201, await bySchool.clone().text());
  });

  test("PATCH changes the given keys and is audited before/after; through the form too", async () => {
    const res = await send(
      "coordinator",
      `/api/v1/activities/${c1.id}`,
      { trainer: "Nguyễn Văn Dạy" },
      "PATCH",
    );
    assert.equal(res.status, 200, await res.clone().text());
    const ev = await auditEntryOf(t.db, "activity.update", c1.id);
    assert.equal((ev!.before as { trainer: string | null }).trainer, null);
    assert.equal((ev!.after as { trainer: string }).trainer, "Nguyễn Văn Dạy");
    const a = await agentFor("village_lead");
    assert.equal((await a.get(`/activities/${c1.id}/edit`)).status, 200);
    assert.match(a.lastHtml, /value="Nguyễn Văn Dạy"/);
    const saved = await a.postForm(`/activities/${c1.id}`, {
      code: "HD0007",
      type: "class",
      title: c1.title,
      date: dmy(c1.date),
      village: "T01",
      audience: "resident",
      place: "Nhà văn hóa Thôn Đông Hòa",
      trainer: "Nguyễn Văn Dạy",
      notes: "Mang theo điện thoại",
    });
    assert.equal(saved.status, 303);
    assert.equal((await a.get(`/activities/${cAll.id}/edit`)).status, 403);
  });

  test("DELETE: 409 once attendance is recorded, 204 before; out of scope 404", async () => {
    const del = (role: string, id: number) =>
      t.app.request(`/api/v1/activities/${id}`, { method: "DELETE", headers: bearer(tokens[role]!) });
    const res = await del("coordinator", c2.id);
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as ApiError).error.code, "conflict");
    const spare = await buildActivity(t.db, { village: v1, code: "XOA-01" });
    await buildSession(t.db, { activity: spare });
    assert.equal((await del("village_lead", c2.id)).status, 404);
    assert.equal((await del("volunteer", spare.id)).status, 403);
    assert.equal((await del("village_lead", spare.id)).status, 204);
    assert.equal((await get("coordinator", `/api/v1/activities/${spare.id}`)).status, 404);
  });
});

describe("sessions", () => {
  test("a class gets sessions by date; the same date twice and a non-class are refused", async () => {
    const path = `/api/v1/activities/${c1.id}/sessions`;
    const res = await send("volunteer", path, { date: dmy(inDays(-13)), notes: "Buổi 2" });
    assert.equal(res.status, 201, await res.clone().text());
    const dup = await send("volunteer", path, { date: inDays(-13) });
    assert.equal(dup.status, 422);
    assert.match(((await dup.json()) as ApiError).error.fields.date!, /đã có buổi học ngày/);
    const list = (await (await get("volunteer", path)).json()) as { items: { date: string }[] };
    assert.deepEqual(
      list.items.map((s) => s.date),
      [inDays(-20), inDays(-13)],
    );
    const [propaganda] = await t.db
      .select({ id: activities.id })
      .from(activities)
      .where(eq(activities.code, "TT-01"));
    const notClass = await send("coordinator", `/api/v1/activities/${propaganda!.id}/sessions`, {
      date: inDays(-1),
    });
    assert.equal(notClass.status, 422);
    // The commune's class: a village team records attendance in it but does not add its sessions.
    assert.equal(
      (await send("village_lead", `/api/v1/activities/${cAll.id}/sessions`, { date: inDays(-2) })).status,
      403,
    );
    assert.equal((await send("leader", path, { date: inDays(-2) })).status, 403);
  });

  test("through the class page: the form adds a session and opens its attendance", async () => {
    const a = await agentFor("village_lead");
    await a.get(`/activities/${c1.id}`);
    assert.match(a.lastHtml, /Thêm buổi học/);
    const bad = await a.postForm(`/activities/${c1.id}/sessions`, { date: "31/02/2026" });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /không có ngày 31/);
    const ok = await a.postForm(`/activities/${c1.id}/sessions`, { date: dmy(inDays(-6)) });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get("location")!, new RegExp(`^/activities/${c1.id}/sessions/\\d+$`));
    await a.get(`/activities/${cAll.id}`);
    assert.doesNotMatch(a.lastHtml, /Thêm buổi học/);
  });
});

describe("attendance on a phone", () => {
  test("the roster: the village's active adults for a residents' first session, names only, never an ID", async () => {
    const a = await agentFor("volunteer");
    assert.equal((await a.get(`/activities/${c1.id}/sessions/${s1.id}`)).status, 200);
    for (const name of ["Phạm Kim Thảo", "Đặng Thị Quỳnh"]) assert.match(a.lastHtml, new RegExp(name));
    assert.doesNotMatch(a.lastHtml, /Lê Văn Học/, "a child is not offered to an adults' class");
    assert.doesNotMatch(a.lastHtml, /Trần Văn Chuyển/); // moved away
    assert.doesNotMatch(a.lastHtml, /Lò Thu Oanh/); // another village
    // Age, not the birth year (SPEC §2: a volunteer sees names, age, household, status).
    assert.match(a.lastHtml, new RegExp(`${ageAt("1948-11-23", todayInVietnam())} tuổi · Hộ T01-0001`));
    assert.doesNotMatch(a.lastHtml, /1948/);
    assert.doesNotMatch(a.lastHtml, /038148998227|038\*+27|0912345678/);
    assert.match(a.lastHtml, /<script src="\/static\/attendance.js" defer/);
    await a.get(`/activities/${c1.id}/sessions/${s1.id}?q=${encodeURIComponent("quynh")}`);
    assert.match(a.lastHtml, /Đặng Thị Quỳnh/);
    assert.doesNotMatch(a.lastHtml, /Phạm Kim Thảo/);
  });

  test("“Lưu” without JavaScript: ticked present, shown-and-unticked on the roster absent; audited", async () => {
    const a = await agentFor("volunteer");
    const path = `/activities/${c1.id}/sessions/${s1.id}`;
    await a.get(path);
    const shown = [thao.id, quynh.id, student.id].map(String);
    let res = await a.postForm(path, { shown, present: [String(thao.id), String(quynh.id)] });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), path);
    assert.equal(await stored(s1.id, thao.id), true);
    assert.equal(await stored(s1.id, quynh.id), true);
    assert.equal(await stored(s1.id, student.id), null); // unticked and not enrolled: stays off
    await a.get(path);
    assert.match(a.lastHtml, /Đã lưu điểm danh \(2 thay đổi\)/);
    assert.match(a.lastHtml, new RegExp(`id="p-${thao.id}"[^>]*checked`));
    res = await a.postForm(path, { shown, present: [String(quynh.id)] });
    assert.equal(await stored(s1.id, thao.id), false);
    const [ev] = await t.db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "attendance.record"), eq(auditEvents.entityId, String(s1.id))))
      .orderBy(auditEvents.id);
    assert.deepEqual(ev!.after, [
      { resident_id: thao.id, present: true },
      { resident_id: quynh.id, present: true },
    ]);
  });

  test("with JavaScript: one tick as JSON with the CSRF token in a header; without the token 403", async () => {
    const a = await agentFor("village_lead");
    const path = `/activities/${c1.id}/sessions/${s1.id}`;
    await a.get(path);
    const tick = (present: boolean, csrf: string | null) =>
      a.request(`${path}/attendance`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(csrf ? { "x-csrf-token": csrf } : {}),
        },
        body: JSON.stringify({ resident_id: thao.id, present }),
      });
    const res = await tick(true, a.csrf());
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      ok: true,
      present: true,
      message: "Đã lưu: Phạm Kim Thảo có mặt.",
      summary: "2 người có mặt, 2 người trong danh sách buổi này.",
    });
    assert.equal(await stored(s1.id, thao.id), true);
    assert.equal((await tick(false, null)).status, 403);
    assert.equal(await stored(s1.id, thao.id), true);
  });

  test("a new session starts with the class's learners, not the whole village", async () => {
    const cls = await buildActivity(t.db, {
      village: v1,
      title: "Lớp tiếp nối",
      date: inDays(-14),
      audience: "resident",
    });
    await buildSession(t.db, { activity: cls, date: inDays(-14), present: [thao], absent: [student] });
    const next = await buildSession(t.db, { activity: cls, date: inDays(-7) });
    const a = await agentFor("volunteer");
    assert.equal((await a.get(`/activities/${cls.id}/sessions/${next.id}`)).status, 200);
    const roster = a.lastHtml.slice(a.lastHtml.indexOf('<ul class="roster">'));
    const list = roster.slice(0, roster.indexOf("</ul>"));
    assert.match(list, /Phạm Kim Thảo/);
    assert.match(list, /Lê Văn Học/, "a learner enrolled before stays, whatever the age");
    assert.doesNotMatch(list, /Đặng Thị Quỳnh/, "a villager who never came is not on it");
    // A class for students of a village offers its students, children included.
    const kids = await buildActivity(t.db, { village: v1, date: inDays(-2), audience: "student" });
    const first = await buildSession(t.db, { activity: kids, date: inDays(-2) });
    await a.get(`/activities/${kids.id}/sessions/${first.id}`);
    assert.match(a.lastHtml, /Lê Văn Học/);
    assert.doesNotMatch(a.lastHtml, /Phạm Kim Thảo/);
  });

  test("a walk-in found by a name without diacritics, or a whole citizen ID, joins the roster present", async () => {
    const a = await agentFor("coordinator");
    const path = `/activities/${cAll.id}/sessions/${sAll.id}`;
    await a.get(`${path}?find=${encodeURIComponent("lo thu oanh")}`);
    assert.match(a.lastHtml, /Kết quả tìm kiếm/);
    assert.match(a.lastHtml, /Thêm Lò Thu Oanh vào buổi học/);
    const res = await a.postForm(`${path}/walk-in`, { resident_id: String(oanh.id) });
    assert.equal(res.status, 303);
    assert.equal(await stored(sAll.id, oanh.id), true);
    await a.get(path);
    assert.match(a.lastHtml, /Đã thêm Lò Thu Oanh vào buổi học/);
    assert.match(a.lastHtml, /Lò Thu Oanh/);
    const lead = await agentFor("village_lead");
    await lead.get(`${path}?find=038302309710`);
    assert.match(lead.lastHtml, /Thêm Đặng Thị Quỳnh vào buổi học/);
    const results = lead.lastHtml.slice(lead.lastHtml.indexOf('class="roster walkin__results"'));
    assert.doesNotMatch(results, /038302309710|038\*/);
    // Enrolled residents of another village stay out of a village lead's roster.
    await lead.get(path);
    assert.doesNotMatch(lead.lastHtml, /Lò Thu Oanh/);
    await lead.get(`${path}?find=${encodeURIComponent("lo thu oanh")}`);
    assert.match(lead.lastHtml, /Không tìm thấy ai phù hợp/);
  });
});

describe("bad attendance input", () => {
  test("a session of an unknown or out-of-scope activity: 404 on the page and the API", async () => {
    const a = await agentFor("village_lead");
    assert.equal((await a.get(`/activities/${c2.id}/sessions/${s2.id}`)).status, 404);
    assert.equal((await a.get(`/activities/${c1.id}/sessions/${s2.id}`)).status, 404);
    assert.equal((await a.get("/activities/999999/sessions/1")).status, 404);
    const put = (role: string, body: unknown) => send(role, "/api/v1/attendance", body, "PUT");
    const unknown = await put("village_lead", { activity: "HD9999", resident_id: thao.id, present: true });
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as ApiError).error.message, /Không tìm thấy hoạt động “HD9999”/);
    const other = await put("village_lead", { activity: "HD0008", resident_id: oanh.id, present: true });
    assert.equal(other.status, 404);
    assert.equal(await stored(s2.id, oanh.id), true);
  });

  test("a resident of another village, for a village lead: refused with a message, nothing written", async () => {
    const put = await send(
      "village_lead",
      "/api/v1/attendance",
      { activity: "HD0009", date: dmy(sAll.date), resident_id: oanh.id, present: false },
      "PUT",
    );
    // Out of scope is a 404 that names nobody, the same as an id that does not exist (issue 15).
    assert.equal(put.status, 404);
    const body = JSON.stringify(await put.json());
    assert.doesNotMatch(body, /Oanh/);
    assert.match(body, /Không tìm thấy cư dân này/);
    assert.equal(await stored(sAll.id, oanh.id), true);
    const a = await agentFor("village_lead");
    const path = `/activities/${cAll.id}/sessions/${sAll.id}`;
    await a.get(path);
    const res = await a.postForm(`${path}/walk-in`, { resident_id: String(foreign.id) });
    assert.equal(res.status, 404);
    assert.match(a.lastHtml, /Không tìm thấy cư dân này trong xã/);
    const form = await a.postForm(path, { shown: [String(oanh.id)], present: [] });
    assert.equal(form.status, 404);
    assert.doesNotMatch(a.lastHtml, /Oanh/);
    assert.equal(await stored(sAll.id, oanh.id), true);
  });

  test("present at a session still to come: refused in Vietnamese; a walk-in is enrolled absent", async () => {
    const future = await buildSession(t.db, { activity: c1, date: inDays(7) });
    const a = await agentFor("village_lead");
    const path = `/activities/${c1.id}/sessions/${future.id}`;
    await a.get(path);
    const res = await a.postForm(path, { shown: [String(thao.id)], present: [String(thao.id)] });
    assert.equal(res.status, 422);
    assert.match(a.lastHtml, new RegExp(`Buổi học ngày ${dmy(inDays(7))} chưa diễn ra`));
    assert.equal(await stored(future.id, thao.id), null);
    const walkIn = await a.postForm(`${path}/walk-in`, { resident_id: String(thao.id) });
    assert.equal(walkIn.status, 303);
    assert.equal(await stored(future.id, thao.id), false);
    const put = await send(
      "coordinator",
      "/api/v1/attendance",
      { activity: c1.id, date: inDays(7), resident_id: quynh.id, present: "x" },
      "PUT",
    );
    assert.equal(put.status, 422);
    assert.match(((await put.json()) as ApiError).error.fields.present!, /chưa diễn ra/);
  });

  test("the API: an unknown session date, a missing resident, an unreadable present", async () => {
    const res = await send(
      "coordinator",
      "/api/v1/attendance",
      { activity: "HD0007", date: "01/01/2020", resident_id: "abc", present: "maybe" },
      "PUT",
    );
    assert.equal(res.status, 422);
    const fields = ((await res.json()) as ApiError).error.fields;
    assert.deepEqual(Object.keys(fields).sort(), ["date", "present", "resident_id"]);
    assert.match(fields.date!, /không có buổi học ngày 01\/01\/2020/);
  });
});

describe("the attendance API", () => {
  test("PUT records by activity code and session date; GET lists with the citizen ID masked per role", async () => {
    const put = await send(
      "coordinator",
      "/api/v1/attendance",
      { activity: "HD0007", date: dmy(inDays(-20)), resident_id: thao.id, present: "có" },
      "PUT",
    );
    assert.equal(put.status, 200, await put.clone().text());
    const list = async (role: string) => {
      const res = await get(role, `/api/v1/attendance?activity=HD0007&date=${inDays(-20)}`);
      assert.equal(res.status, 200);
      return (await res.json()) as { items: Record<string, unknown>[]; total: number };
    };
    const full = await list("coordinator");
    const row = full.items.find((i) => i.full_name === "Phạm Kim Thảo")!;
    assert.deepEqual(
      { ...row, id: 0 },
      {
        id: 0,
        activity: "HD0007",
        date: inDays(-20),
        resident_id: thao.id,
        citizen_id: "038148998227",
        full_name: "Phạm Kim Thảo",
        birth_date: "1948-11-23",
        present: true,
      },
    );
    const masked = await list("village_lead");
    assert.equal(masked.items.find((i) => i.full_name === "Phạm Kim Thảo")!.citizen_id, "038*******27");
    // A volunteer gets neither the citizen ID nor the birth date, masked or not (SPEC §2).
    const volunteer = (await list("volunteer")).items.find((i) => i.full_name === "Phạm Kim Thảo")!;
    assert.equal("citizen_id" in volunteer || "birth_date" in volunteer, false);
    assert.equal((await list("school")).total, 0);
    const bad = await get("coordinator", "/api/v1/attendance?date=31/02/2026");
    assert.equal(bad.status, 422);
  });
});
