import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, eq } from "drizzle-orm";
import { type Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildActivity,
  buildSession,
  buildUnit,
  buildVillage,
  type Unit,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { zipEntry } from "../../../test/helpers/zip.ts";
import { auditEvents, commendations } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { buildVisitsOn, firstDays } from "../../test-support/visits.ts";
import { DEFAULT_EMULATION, loadPlan } from "../indicators/plan.ts";
import { taskTimeliness } from "../tasks/service.ts";
import { monthsIn, rankEntries, scoreEntry } from "./score.ts";
import type { PresentedEntry } from "./service.ts";

setClock(startingAt("2026-06-15T09:00:00+07:00"));

/** An entry of the ranking as the API presents it. */
type Entry = PresentedEntry;
type Ranking = { period: { code: string }; date: string; months: number; villages: Entry[]; units: Entry[] };

let t: TestApp;
const ROLES = ["coordinator", "leader", "admin", "volunteer", "village_lead", "school"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let busy: Village;
let idle: Village;
let school: Unit;
let agents: Record<string, Agent>;

before(async () => {
  t = await createTestApp();
  busy = await buildVillage(t.db, { commune: t.commune, code: "BUSY", name: "Thôn Bận Rộn" });
  idle = await buildVillage(t.db, { commune: t.commune, code: "IDLE", name: "Thôn Yên Ả" });
  school = await buildUnit(t.db, {
    commune: t.commune,
    code: "THCS",
    name: "Trường THCS Tân Ninh",
    type: "school",
  });
  await buildUnit(t.db, { commune: t.commune, code: "VP", name: "Văn phòng UBND", type: "office" });
  // Q2 2026 up to 15 June: 3 months. The busy village: 1 class of 6 sessions, 15 visits; the school: 2 classes, 3 sessions.
  const cls = await buildActivity(t.db, { village: busy, date: "2026-04-10" });
  for (const d of ["2026-04-10", "2026-04-17", "2026-05-08", "2026-05-15", "2026-06-05", "2026-06-12"])
    await buildSession(t.db, { activity: cls, date: d });
  await buildActivity(t.db, { village: busy, date: "2026-03-30" }); // before the quarter: not counted
  await buildVisitsOn(t.db, busy, firstDays("2026-05", 15));
  const a = await buildActivity(t.db, { unit: school, date: "2026-05-02" });
  await buildActivity(t.db, { unit: school, date: "2026-06-02" });
  for (const d of ["2026-05-02", "2026-05-09", "2026-06-16"])
    await buildSession(t.db, { activity: a, date: d });
  accounts = await buildRoleAccounts(t, ROLES, {
    agents: true,
    villages: [idle],
    villageRoles: ROLES.filter((role) => role !== "school"),
    unit: school,
  });
  agents = accounts.agents;
});
after(() => t.close());

const api = (role: string, path: string, method = "GET", body?: unknown) =>
  accounts.send(role, body, `/api/v1${path}`, method);
const ranking = async (role = "coordinator", q = "period=2026-Q2&date=2026-06-15") => {
  const res = await api(role, `/emulation?${q}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Ranking;
};

describe("the score (pure)", () => {
  test("a component without data is left out and the other weights re-normalised", () => {
    const s = scoreEntry(DEFAULT_EMULATION, {
      indicators: [{ what: "indicators_met", actual: 1, expected: 2 }],
      activity: [{ what: "classes", actual: 6, expected: 3 }],
      reports: null,
      tasks: null,
    });
    // (0.5 × 40 + 1 × 30) / 70 = 71.43 → 71.4; activity is capped at 100 %.
    assert.equal(s.score, 71.4);
    assert.equal(s.renormalised, true);
    assert.deepEqual(
      s.components.map((c) => [c.key, c.share, Math.round(c.effectiveWeight * 1000) / 1000]),
      [
        ["indicators", 0.5, 0.571],
        ["activity", 1, 0.429],
        ["reports", null, 0],
        ["tasks", null, 0],
      ],
    );
    assert.equal(
      scoreEntry(DEFAULT_EMULATION, { indicators: null, activity: null, reports: null, tasks: null }).score,
      null,
    );
  });

  test("equal scores share a rank; no score comes last", () => {
    const ranked = rankEntries(
      [
        { name: "B", score: 50 },
        { name: "C", score: null },
        { name: "A", score: 50 },
        { name: "D", score: 70 },
      ],
      (a, b) => a.localeCompare(b),
    );
    assert.deepEqual(
      ranked.map((e) => [e.name, e.rank, e.of]),
      [
        ["D", 1, 3],
        ["A", 2, 3],
        ["B", 2, 3],
        ["C", null, 3],
      ],
    );
    assert.equal(monthsIn("2026-04-01", "2026-06-15"), 3);
    assert.equal(monthsIn("2026-01-01", "2026-12-31"), 12);
  });

  test("the shipped plan carries its emulation rules", () => {
    const plan = loadPlan();
    assert.deepEqual(plan.emulation.weights, { indicators: 40, activity: 30, reports: 15, tasks: 15 });
  });
});

describe("the ranking (API and page)", () => {
  test("activity counts the period's classes, sessions and visits against the plan's monthly rates", async () => {
    const r = await ranking();
    assert.equal(r.months, 3);
    const b = r.villages.find((e) => e.code === "BUSY")!;
    const activity = b.components.find((c) => c.key === "activity")!;
    assert.deepEqual(activity.figures, [
      { what: "classes", actual: 1, expected: 3 },
      { what: "sessions", actual: 6, expected: 12 },
      { what: "visits", actual: 15, expected: 30 },
    ]);
    assert.equal(Math.round(activity.share! * 1e4) / 1e4, Math.round(((1 / 3 + 0.5 + 0.5) / 3) * 1e4) / 1e4);
    const s = r.units.find((e) => e.code === "THCS")!;
    // The session of 16 June is after D (15 June): 2 of the 3 sessions count.
    assert.deepEqual(s.components.find((c) => c.key === "activity")!.figures, [
      { what: "classes", actual: 2, expected: 3 },
      { what: "sessions", actual: 2, expected: 6 },
    ]);
  });

  test("the score is the weighted shares over the components with data, and the busy village ranks first", async () => {
    const r = await ranking();
    const timely = await taskTimeliness(
      t.db,
      t.commune.id,
      { start: "2026-04-01", end: "2026-06-15" },
      "2026-06-15",
    );
    for (const e of [...r.villages, ...r.units]) {
      const withData = e.components.filter((c) => c.share !== null);
      const total = withData.reduce((s, c) => s + c.weight, 0);
      const expected =
        Math.round((withData.reduce((s, c) => s + c.share! * c.weight, 0) / total) * 1000) / 10;
      assert.equal(e.score, expected, e.code);
      // Reports have no source yet: no data, weight left out, said so.
      assert.equal(e.components.find((c) => c.key === "reports")!.share, null);
      assert.equal(e.renormalised, true);
      // Tasks: the plan's tasks due in the period up to D, and those done on time (19.1's timeliness).
      const due = (e.kind === "unit" ? timely.units : timely.villages)[e.code];
      const tasks = e.components.find((c) => c.key === "tasks")!;
      if (!due || due.due === 0) assert.equal(tasks.share, null, e.code);
      else {
        assert.deepEqual(tasks.figures, [{ what: "tasks_on_time", actual: due.onTime, expected: due.due }]);
        assert.ok(
          e.explanation.some((l) => l.includes(`nhiệm vụ đúng hạn ${due.onTime}/${due.due}`)),
          e.code,
        );
      }
      assert.match(e.explanation.join("\n"), /Báo cáo đúng hạn: chưa có dữ liệu \(trọng số 15 bỏ ra\)/);
    }
    assert.deepEqual(
      r.villages.map((e) => [e.code, e.rank]),
      [
        ["BUSY", 1],
        ["IDLE", 2],
      ],
    );
    assert.equal(r.units[0]!.code, "THCS");
  });

  test("the page shows the same score and explanation as the API", async () => {
    const r = await ranking();
    const res = await agents.coordinator!.get("/emulation?period=2026-Q2&date=2026-06-15");
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const e of [...r.villages, ...r.units]) {
      const row = html.match(new RegExp(`<tr data-entry="${e.kind}:${e.code}">([\\s\\S]*?)</tr>`))?.[1];
      assert.ok(row, e.code);
      assert.match(row!, new RegExp(`<strong>${e.scoreText}</strong>`));
      for (const line of e.explanation) assert.ok(row!.includes(line.replace(/&/g, "&amp;")), line);
    }
    assert.match(html, /chưa có dữ liệu/);
    assert.match(html, /Lập dự thảo tờ trình/);
  });

  test("in English: the page and the API in English, the same figures", async () => {
    const r = await ranking("coordinator", "period=2026-Q2&date=2026-06-15&lang=en");
    const b = r.villages.find((e) => e.code === "BUSY")!;
    assert.match(
      b.explanation.join("\n"),
      /Activity: .* points \(classes 1\/3, sessions 6\/12, visits 15\/30\)/,
    );
    const html = await (
      await agents.coordinator!.get("/emulation?period=2026-Q2&date=2026-06-15&lang=en")
    ).text();
    assert.match(html, /Villages ranked — quarter II of 2026/);
    for (const line of b.explanation) assert.ok(html.includes(line), line);
  });

  test("a bad period is refused with a Vietnamese message", async () => {
    const res = await api("coordinator", "/emulation?period=2026-Q5");
    assert.equal(res.status, 422);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /kỳ|Kỳ/);
    const page = await agents.coordinator!.get("/emulation?period=2026-13");
    assert.equal(page.status, 422);
    assert.match(await page.text(), /error-summary/);
  });

  test("scope: a village team sees its own villages, a school its own unit, a volunteer nothing", async () => {
    const lead = await ranking("village_lead");
    assert.deepEqual(
      lead.villages.map((e) => [e.code, e.rank, e.of]),
      [["IDLE", 2, 2]],
    );
    assert.deepEqual(lead.units, []);
    const sch = await ranking("school");
    assert.deepEqual(sch.villages, []);
    assert.deepEqual(
      sch.units.map((e) => e.code),
      ["THCS"],
    );
    assert.equal((await api("volunteer", "/emulation?period=2026-Q2")).status, 403);
    assert.equal(
      (
        await api("village_lead", "/commendations", "POST", {
          period: "2026-Q2",
          candidates: [{ kind: "village", id: idle.id }],
        })
      ).status,
      403,
    );
  });
});

describe("proposals for commendation", () => {
  let id: number;

  test("the coordinator drafts one from the ranking: figures frozen, reasons from the data, audited", async () => {
    const r = await ranking();
    const b = r.villages[0]!;
    const bad = await api("coordinator", "/commendations", "POST", {
      period: "2026-Q2",
      date: "2026-06-15",
      candidates: [{ kind: "village", id: 999999 }],
    });
    assert.equal(bad.status, 422);
    assert.match(
      ((await bad.json()) as { error: { message: string } }).error.message,
      /không có trong bảng xếp hạng/,
    );
    assert.equal((await t.db.select().from(commendations)).length, 0);

    const res = await api("coordinator", "/commendations", "POST", {
      period: "2026-Q2",
      date: "2026-06-15",
      candidates: [
        { kind: "village", id: b.id },
        { kind: "unit", id: school.id },
      ],
    });
    assert.equal(res.status, 201, await res.clone().text());
    const c = (await res.json()) as { id: number; status: string; items: (Entry & { reason: string })[] };
    id = c.id;
    assert.equal(c.status, "draft");
    assert.equal(c.items[0]!.score, b.score);
    assert.deepEqual(c.items[0]!.explanation, b.explanation);
    assert.match(
      c.items[0]!.reason,
      new RegExp(`^Xếp thứ 1/2 thôn với ${b.scoreText} điểm thi đua quý II năm 2026; .*lượt đến hộ 15/30`),
    );
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "commendation.create"), eq(auditEvents.entityId, String(id))));
    assert.ok(audit);
  });

  test("the web form: nothing ticked is refused on the ranking page; a double submit drafts once", async () => {
    const before = (await t.db.select().from(commendations)).length;
    await agents.coordinator!.get("/emulation?period=2026-Q2&date=2026-06-15");
    const none = await agents.coordinator!.postForm("/commendations", {
      period: "2026-Q2",
      date: "2026-06-15",
    });
    assert.equal(none.status, 422);
    assert.match(await none.text(), /Hãy chọn ít nhất một tập thể/);
    const key = crypto.randomUUID();
    await agents.coordinator!.get("/emulation?period=2026-Q2&date=2026-06-15");
    const fields = {
      period: "2026-Q2",
      date: "2026-06-15",
      pick: `village:${busy.id}`,
      idempotency_key: key,
    };
    const csrf = agents.coordinator!.csrf();
    const first = await agents.coordinator!.postForm("/commendations", fields, { csrf });
    assert.equal(first.status, 303);
    const again = await agents.coordinator!.postForm("/commendations", fields, { csrf });
    assert.equal(again.headers.get("location"), first.headers.get("location"));
    assert.equal((await t.db.select().from(commendations)).length, before + 1);
  });

  test("editing checks its input and changes nothing on a bad value", async () => {
    const empty = await api("coordinator", `/commendations/${id}`, "PATCH", {
      reasons: [{ kind: "village", id: busy.id, reason: "   " }],
    });
    assert.equal(empty.status, 422);
    assert.match(((await empty.json()) as { error: { message: string } }).error.message, /Hãy nhập lý do/);
    const badNumber = await api("coordinator", `/commendations/${id}`, "PATCH", { number: "12/TTr" });
    assert.equal(badNumber.status, 422);
    const ok = await api("coordinator", `/commendations/${id}`, "PATCH", {
      reasons: [{ kind: "village", id: busy.id, reason: "Dẫn đầu phong trào, 15 lượt đến hộ hỗ trợ." }],
      number: "12",
      signerName: "Lê Văn Ký",
      signedOn: "20/06/2026",
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    const c = (await ok.json()) as { number: string; signedOn: string; items: { reason: string }[] };
    assert.equal(c.number, "12");
    assert.equal(c.signedOn, "2026-06-20");
    assert.equal(c.items[0]!.reason, "Dẫn đầu phong trào, 15 lượt đến hộ hỗ trợ.");
    // The web form: an empty reason re-renders with the message, nothing saved.
    await agents.coordinator!.get(`/commendations/${id}`);
    const page = await agents.coordinator!.postForm(`/commendations/${id}`, {
      [`reason_village_${busy.id}`]: "",
      number: "13",
    });
    assert.equal(page.status, 422);
    assert.match(await page.text(), /Hãy nhập lý do đề nghị cho Thôn Bận Rộn/);
    const again = (await (await api("coordinator", `/commendations/${id}`)).json()) as { number: string };
    assert.equal(again.number, "12");
  });

  test("only the leader (or admin) approves; then it no longer changes", async () => {
    assert.equal((await api("coordinator", `/commendations/${id}/approve`, "POST")).status, 403);
    assert.equal((await api("leader", `/commendations/${id}`, "PATCH", { number: "1" })).status, 403);
    const res = await api("leader", `/commendations/${id}/approve`, "POST");
    assert.equal(res.status, 200, await res.clone().text());
    const c = (await res.json()) as { status: string; approvedBy: string };
    assert.equal(c.status, "approved");
    assert.equal(c.approvedBy, "Người dùng leader");
    assert.equal((await api("leader", `/commendations/${id}/approve`, "POST")).status, 409);
    assert.equal((await api("coordinator", `/commendations/${id}`, "PATCH", { number: "2" })).status, 409);
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "commendation.approve"), eq(auditEvents.entityId, String(id))));
    assert.equal(audits.length, 1);
  });

  test("the DOCX is a Tờ trình in the state layout with the same figures", async () => {
    const res = await api("leader", `/commendations/${id}/docx`);
    assert.equal(res.status, 200);
    const xml = zipEntry(new Uint8Array(await res.arrayBuffer()), "word/document.xml")!.toString("utf8");
    const text = xml.replace(/<[^>]+>/g, "");
    const c = (await (await api("leader", `/commendations/${id}`)).json()) as {
      items: (Entry & { reason: string })[];
    };
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Số: 12/TTr-UBND",
      "ngày 20 tháng 6 năm 2026",
      "TỜ TRÌNH",
      "Nơi nhận:",
      ...c.items.flatMap((i) => [i.name, i.scoreText, i.reason, ...i.explanation]),
    ])
      assert.ok(text.includes(s), s);
    assert.ok(!text.includes("DỰ THẢO"), "an approved proposal is not marked as a draft");
    const list = await agents.leader!.get("/commendations");
    assert.match(await list.text(), /Đã duyệt/);
  });
});
