/**
 * Issue 19.5: next year's plan — copied from this year's (web, API), editable until it takes force at
 * 00:00 on 1 January in Vietnam, and the 2026 figures keep the 2026 plan afterwards.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { type Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { auditEvents, plans } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { currentPlan, type Plan } from "../indicators/plan.ts";
import { shiftPlan } from "./service.ts";

let t: TestApp;
const ROLES = ["admin", "coordinator", "leader"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let agents: Record<string, Agent>;
let usernames: Record<string, string>;
const shipped = currentPlan();

setClock(startingAt("2026-12-31T23:30:00+07:00"));

before(async () => {
  t = await createTestApp();
  accounts = await buildRoleAccounts(t, ROLES, { agents: true });
  ({ agents, usernames } = accounts);
});
after(() => t.close());

const send = (role: string, p: string, method = "GET", body?: unknown) =>
  accounts.send(role, body, p, method);
const planNow = async (query = "") => (await (await send("leader", `/api/v1/plan${query}`)).json()) as Plan;
/** The target the indicators API answers with for adult_skills (what the dashboard shows). */
const targetShown = async (query = "") => {
  const res = await send("leader", `/api/v1/indicators${query}`);
  assert.equal(res.status, 200);
  const table = (await res.json()) as { indicators: { code: string; target: number }[] };
  return table.indicators.find((i) => i.code === "adult_skills")!.target;
};
const adult2026 = shipped.indicators.find((i) => i.code === "adult_skills")!.target;

describe("shiftPlan", () => {
  test("moves the year, every date and period; keeps targets and texts; drops the document", () => {
    const next = shiftPlan(shipped, 1);
    assert.equal(next.year, shipped.year + 1);
    assert.equal(next.startDate, "2027-01-01");
    assert.equal(next.endDate, "2027-12-31");
    assert.deepEqual(
      next.reports.map((r) => r.period),
      shipped.reports.map((r) => r.period.replace("2026", "2027")),
    );
    for (const [i, r] of next.reports.entries())
      assert.equal(
        r.due,
        `${Number(shipped.reports[i]!.due.slice(0, 4)) + 1}${shipped.reports[i]!.due.slice(4)}`,
      );
    assert.deepEqual(
      next.indicators.map((i) => [i.code, i.target, i.title]),
      shipped.indicators.map((i) => [i.code, i.target, i.title]),
    );
    assert.equal(next.document, undefined);
    // Section V's tasks come along; a one-off task's due date moves to the new year.
    assert.deepEqual(
      next.tasks.map((x) => x.code),
      shipped.tasks.map((x) => x.code),
    );
    const once = (p: Plan) =>
      p.tasks.flatMap((x) => (x.schedule.kind === "once" ? [(x.schedule as { due: string }).due] : []));
    assert.ok(once(shipped).length > 0);
    assert.deepEqual(
      once(next),
      once(shipped).map((d) => d.replace(/^2026/, "2027")),
    );
    const leap = shiftPlan(
      { ...shipped, tasks: [], year: 2028, startDate: "2028-01-01", endDate: "2028-02-29" },
      1,
    );
    assert.equal(leap.endDate, "2029-02-28");
  });
});

describe("next year's plan across 1 January", () => {
  test("31/12 23:30: copy to 2027 on the web; 2026 stays in force; edit the targets", async () => {
    const page = await (await agents.coordinator!.get("/plan")).text();
    assert.match(page, /Kế hoạch năm 2027/);
    assert.match(page, /Sao chép sang năm 2027/);
    assert.equal((await send("leader", "/api/v1/plan/copy", "POST", { from: 2026, to: 2027 })).status, 403);
    const bad = await send("coordinator", "/api/v1/plan/copy", "POST", { from: 2026, to: 2026 });
    assert.equal(bad.status, 422);

    const copied = await agents.coordinator!.postForm("/plan/copy", { from: "2026", to: "2027" });
    assert.equal(copied.status, 303);
    const again = await send("coordinator", "/api/v1/plan/copy", "POST", { from: 2026, to: 2027 });
    assert.equal(again.status, 409, "one plan a year");
    assert.match(JSON.stringify(await again.json()), /Đã có kế hoạch năm 2027/);

    const next = await planNow("?year=2027");
    assert.equal(next.year, 2027);
    assert.ok(next.reports.every((r) => r.period.startsWith("2027") && r.due >= "2027-01-01"));
    assert.equal((await planNow()).year, 2026, "2026 is still in force at 23:30 on 31 December");
    assert.equal(await targetShown(), adult2026);

    // The targets form: a bad value is named and nothing changes; a good one is saved.
    const form = await (await agents.coordinator!.get("/plan")).text();
    assert.match(form, /name="target_adult_skills"/);
    const before = await t.db.select({ id: plans.id }).from(plans);
    const refused = await agents.coordinator!.postForm("/plan/2027/targets", {
      target_adult_skills: "120",
      target_digital_learning_day: "2,5",
    });
    assert.equal(refused.status, 422);
    const html = await refused.text();
    assert.match(html, /“120” không phải tỷ lệ phần trăm từ 0 đến 100/);
    assert.match(html, /“2,5” không phải số nguyên không âm/);
    assert.deepEqual(await t.db.select({ id: plans.id }).from(plans), before);
    assert.equal(
      (await planNow("?year=2027")).indicators.find((i) => i.code === "adult_skills")!.target,
      adult2026,
    );

    const saved = await agents.coordinator!.postForm("/plan/2027/targets", { target_adult_skills: "85,5" });
    assert.equal(saved.status, 303);
    assert.equal(
      (await planNow("?year=2027")).indicators.find((i) => i.code === "adult_skills")!.target,
      0.855,
    );
    const api = await send("admin", "/api/v1/plan/2027", "PATCH", { targets: { adult_skills: 0.9 } });
    assert.equal(api.status, 200);
    const actions = (await t.db.select({ action: auditEvents.action }).from(auditEvents))
      .map((a) => a.action)
      .filter((a) => a.startsWith("plan."));
    assert.deepEqual(actions.sort(), ["plan.copy", "plan.update", "plan.update"]);
    assert.equal(await targetShown(), adult2026, "2026's dashboard keeps 2026's target");
  });

  test("1/1 00:30: the 2027 plan is in force, no longer editable; the 2026 figures keep the 2026 plan", async () => {
    setClock(startingAt("2027-01-01T00:30:00+07:00"));
    // An hour later the page session has gone idle: sign in again (API tokens last 12 hours).
    await agents.coordinator!.login(usernames.coordinator!, TEST_PASSWORD);
    assert.equal((await planNow()).year, 2027);
    assert.equal(await targetShown(), 0.9, "the dashboard shows the plan in force today");
    assert.equal(await targetShown("?date=2026-12-31"), adult2026, "the 2026 figures keep their plan");
    assert.equal(await targetShown("?period=2026"), adult2026);
    const locked = await send("coordinator", "/api/v1/plan/2027", "PATCH", {
      targets: { adult_skills: 0.5 },
    });
    assert.equal(locked.status, 409);
    assert.match(JSON.stringify(await locked.json()), /đã có hiệu lực/);
    const page = await (await agents.coordinator!.get("/plan")).text();
    assert.match(page, /Kế hoạch năm 2028/, "the page now offers the year after");
    assert.match(page, /ke-hoach-2027-sao-tu-2026\.json/);
    // The reporting schedule is the 2027 plan's.
    const reports = await (await agents.coordinator!.get("/reports")).text();
    assert.match(reports, /2027-Q1/);
    // A late 2026 report written in 2027 keeps the 2026 plan's due date and targets.
    const late = await send("coordinator", "/api/v1/reports", "POST", {
      period: "2026",
      date: "2026-12-31",
    });
    assert.equal(late.status, 201);
    const lateReport = (await late.json()) as { id: number; due_date: string | null };
    assert.equal(lateReport.due_date, shipped.reports.find((r) => r.period === "2026")!.due);
    const detail = (await (await send("coordinator", `/api/v1/reports/${lateReport.id}`)).json()) as {
      figures: { indicators: { code: string; target: number }[] };
    };
    assert.equal(detail.figures.indicators.find((i) => i.code === "adult_skills")!.target, adult2026);
    // The 2026 plan is still the commune's for 2026.
    assert.equal((await planNow("?year=2026")).year, 2026);
    const rows = await t.db
      .select({ year: plans.year, active: plans.active })
      .from(plans)
      .where(eq(plans.active, true));
    assert.deepEqual(
      rows.map((r) => r.year),
      [2027],
    );
  });
});
