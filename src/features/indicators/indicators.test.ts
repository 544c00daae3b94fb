import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { bearer, createTestApp, type TestApp, testToken } from "../../../test/helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildUnit,
  buildUser,
  buildVillage,
  type Village,
} from "../../../test/helpers/factories.ts";
import {
  activities,
  activitySessions,
  attendance,
  certifications,
  households,
  incidents,
  teamMembers,
  teams,
  visits,
} from "../../db/schema.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { findAuthUserById } from "../auth/repo.ts";
import { viewerOf as toViewer } from "../auth/viewer.ts";
import { DRILLABLE, drillIndicator } from "./drill.ts";
import { parsePeriod } from "./period.ts";
import { currentPlan, PlanError, parsePlan } from "./plan.ts";
import { computeIndicators, type IndicatorTable, resolveWindow } from "./service.ts";
import { computeTrends } from "./trend.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let v3: Village;
const D = "2026-06-15";

const certify = (residentId: number, date: string, kind: "basic" | "vneid" = "basic") =>
  t.db.insert(certifications).values({ communeId: t.commune.id, residentId, kind, date, source: "course" });

async function at(date: string, period = "2026"): Promise<IndicatorTable> {
  const plan = currentPlan();
  const w = resolveWindow({ date, period, plan });
  return computeIndicators({ db: t.db, communeId: t.commune.id, plan, ...w });
}
const pick = (table: IndicatorTable, code: string) => table.indicators.find((i) => i.code === code)!;

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  v1 = await buildVillage(t.db, { commune, code: "V1" });
  v2 = await buildVillage(t.db, { commune, code: "V2" });
  v3 = await buildVillage(t.db, { commune, code: "V3" });
  const h1 = await buildHousehold(t.db, { village: v1, code: "H1" });
  const h2 = await buildHousehold(t.db, { village: v1, code: "H2" });
  const h3 = await buildHousehold(t.db, { village: v2, code: "H3" });
  const firm = await buildUnit(t.db, { commune, code: "DN1", type: "enterprise" });

  // Turns 18 on D, certified on D: an adult with basic skills.
  const a = await buildResident(t.db, { household: h1, birthDate: "2008-06-15", vneidLevel: 2 });
  await certify(a.id, D, "vneid");
  // 18 tomorrow: not an adult yet, but 16+.
  await buildResident(t.db, { household: h1, birthDate: "2008-06-16" });
  // An adult certified the day after D: not counted at D.
  const c = await buildResident(t.db, { household: h1, birthDate: "1970-03-03" });
  await certify(c.id, "2026-06-16");
  // Moved and deceased residents count nowhere, certified or not.
  const moved = await buildResident(t.db, { household: h2, status: "moved", birthDate: "1960-01-01" });
  await certify(moved.id, "2026-01-01");
  await buildResident(t.db, { household: h1, status: "deceased", birthDate: "1940-01-01" });
  // H2's only trained member moved: H2 is not a digital household.
  await buildResident(t.db, { household: h2, birthDate: "1990-01-01", vneidLevel: 1 });
  // Year-only birth (stored 1 January): 16 from 1 January 2026.
  await buildResident(t.db, { household: h3, birthDate: "2010-01-01", birthYearOnly: true });
  // Enterprise workers: one attended a session (present) before D, one was absent, one attended after D.
  const w1 = await buildResident(t.db, { household: h3, groups: ["enterprise_worker"], unitId: firm.id });
  const w2 = await buildResident(t.db, { household: h3, groups: ["enterprise_worker"], unitId: firm.id });
  const w3 = await buildResident(t.db, { household: h3, groups: ["enterprise_worker"], unitId: firm.id });
  const [cls] = await t.db
    .insert(activities)
    .values({
      communeId: commune.id,
      code: "L1",
      type: "class",
      title: "Lớp",
      date: "2026-03-01",
      villageId: v2.id,
    })
    .returning();
  const [s1] = await t.db
    .insert(activitySessions)
    .values({ communeId: commune.id, activityId: cls!.id, date: "2026-03-01" })
    .returning();
  const [s2] = await t.db
    .insert(activitySessions)
    .values({ communeId: commune.id, activityId: cls!.id, date: "2026-06-16" })
    .returning();
  await t.db.insert(attendance).values([
    { communeId: commune.id, sessionId: s1!.id, residentId: w1.id, present: true },
    { communeId: commune.id, sessionId: s1!.id, residentId: w2.id, present: false },
    { communeId: commune.id, sessionId: s2!.id, residentId: w3.id, present: true },
  ]);
});
after(() => t.close());

describe("resident indicators at D", () => {
  test("age in completed years: a birthday on D counts; certifications dated D count, D+1 do not", async () => {
    const r = await at(D);
    const adults = pick(r, "adult_skills");
    // Adults at D: a (18 today), c, the H2 member, three workers (born 1980) → 6; skilled: a only.
    assert.deepEqual([adults.numerator, adults.denominator], [1, 6]);
    assert.deepEqual(adults.byVillage!.V1, { numerator: 1, denominator: 3, value: 1 / 3 });
    const next = pick(await at("2026-06-16"), "adult_skills");
    // The next day: the one born 2008-06-16 is 18, and c's certificate counts.
    assert.deepEqual([next.numerator, next.denominator], [2, 7]);
    assert.deepEqual(pick(r, "adult_vneid_confirmed").numerator, 1);
  });

  test("an empty denominator gives null, shown as no data, and is not met", async () => {
    const r = await at(D);
    const ps = pick(r, "public_sector_skills");
    assert.deepEqual([ps.numerator, ps.denominator, ps.value, ps.met], [0, 0, null, false]);
    assert.deepEqual(ps.byUnit, {});
    assert.deepEqual(pick(r, "adult_skills").byVillage!.V3, { numerator: 0, denominator: 0, value: null });
  });

  test("VNeID 16+: the current level, age at D, a year-only birth taken as 1 January", async () => {
    const r = pick(await at(D), "vneid_16plus");
    // 16+ at D: a, the 17-year-old, c, the H2 member, the 2010 year-only, three workers = 8; with VNeID: a, H2 member.
    assert.deepEqual([r.numerator, r.denominator], [2, 8]);
    const early = pick(await at("2025-12-31", "2025"), "vneid_16plus");
    assert.equal(early.denominator, 7);
  });

  test("a household whose only trained member moved is not digital", async () => {
    const r = pick(await at(D), "digital_households");
    // H1 (a certified) yes; H2 (trained member moved) no; H3 no.
    assert.deepEqual([r.numerator, r.denominator], [1, 3]);
    assert.deepEqual(r.byVillage!.V1, { numerator: 1, denominator: 2, value: 0.5 });
    assert.deepEqual(r.byVillage!.V3, { numerator: 0, denominator: 0, value: null });
  });

  test("enterprise workers reached by a certificate or a session attended (present) on or before D", async () => {
    const r = pick(await at(D), "worker_access");
    assert.deepEqual([r.numerator, r.denominator], [1, 3]);
    assert.deepEqual(r.byUnit, { DN1: { numerator: 1, denominator: 3, value: 1 / 3 } });
    assert.equal(pick(await at("2026-06-16"), "worker_access").numerator, 2);
  });
});

describe("village and count indicators", () => {
  before(async () => {
    const commune = t.commune;
    await t.db.insert(activities).values([
      {
        communeId: commune.id,
        code: "P1",
        type: "propaganda",
        title: "TT",
        date: "2026-02-01",
        villageId: v1.id,
      },
      {
        communeId: commune.id,
        code: "P0",
        type: "propaganda",
        title: "TT",
        date: "2025-12-31",
        villageId: v3.id,
      },
      {
        communeId: commune.id,
        code: "N1",
        type: "digital_learning_day",
        title: "Ngày hội",
        date: "2026-06-15",
      },
      {
        communeId: commune.id,
        code: "N2",
        type: "digital_learning_day",
        title: "Ngày hội",
        date: "2026-06-16",
      },
      // A class with no session counts by its own date (V3, inside the 90 days).
      {
        communeId: commune.id,
        code: "L3",
        type: "class",
        title: "Lớp",
        date: "2026-05-01",
        villageId: v3.id,
      },
    ]);
    await t.db.insert(incidents).values([
      { communeId: commune.id, code: "S1", date: "2026-02-01", severity: "serious", description: "x" },
      { communeId: commune.id, code: "S2", date: "2026-02-02", severity: "minor", description: "x" },
      { communeId: commune.id, code: "S0", date: "2025-12-01", severity: "serious", description: "x" },
    ]);
    for (const [village, n] of [
      [v1, 3],
      [v2, 3],
      [v3, 2],
    ] as const) {
      const [team] = await t.db
        .insert(teams)
        .values({ communeId: commune.id, villageId: village.id })
        .returning();
      for (let i = 0; i < n; i++) {
        const fullName = `Thành Viên ${village.code} ${i}`;
        await t.db.insert(teamMembers).values({
          communeId: commune.id,
          teamId: team!.id,
          fullName,
          nameSearch: foldVietnamese(fullName),
          role: i === 0 ? "leader" : "member",
        });
      }
    }
    // V1's team visited H1 exactly 90 days before D; V2's class session is 91 days before D.
    const [m1] = await t.db.select().from(teamMembers).limit(1);
    const [home] = await t.db.select().from(households).where(eq(households.code, "H1"));
    await t.db.insert(visits).values({
      communeId: commune.id,
      householdId: home!.id,
      date: "2026-03-17",
      memberId: m1!.id,
      support: ["vneid_install"],
    });
  });

  test("propaganda by village in the period window; a learning day counts up to D; serious incidents only", async () => {
    const r = await at(D);
    const p = pick(r, "village_propaganda");
    assert.deepEqual([p.numerator, p.denominator], [1, 3]);
    assert.deepEqual(p.byVillage!.V1, { numerator: 1, denominator: 1, value: 1 });
    assert.deepEqual(p.byVillage!.V3, { numerator: 0, denominator: 1, value: 0 });
    assert.equal(pick(r, "digital_learning_day").value, 1);
    assert.equal(pick(r, "digital_learning_day").met, true);
    const incidentsAt = pick(r, "security_incidents");
    assert.deepEqual([incidentsAt.value, incidentsAt.met], [1, false]);
    // A quarter's window starts on its first day.
    const q2 = await at(D, "2026-Q2");
    assert.equal(pick(q2, "village_propaganda").numerator, 0);
    assert.equal(pick(q2, "security_incidents").value, 0);
    assert.equal(pick(q2, "security_incidents").met, true);
  });

  test("active teams: ≥ 3 members and work in the 90 days up to D, both ends included", async () => {
    const r = pick(await at(D), "active_village_teams");
    // V1: 3 members, a visit D−90 → active. V2: 3 members, the class's sessions are 2026-03-01 (D−106) and
    // D+1 → not. V3: a class without sessions inside the window, but only 2 members → not.
    assert.deepEqual(r.byVillage, {
      V1: { numerator: 1, denominator: 1, value: 1 },
      V2: { numerator: 0, denominator: 1, value: 0 },
      V3: { numerator: 0, denominator: 1, value: 0 },
    });
    // The day after, V1's visit is 91 days old.
    assert.equal(pick(await at("2026-06-16"), "active_village_teams").byVillage!.V1!.value, 0);
    // On 2026-06-16 V2's session falls on D itself.
    assert.equal(pick(await at("2026-06-16"), "active_village_teams").byVillage!.V2!.value, 1);
  });

  test("reports on time: the plan's reports due from the period's start to D", async () => {
    const r = pick(await at("2026-11-20"), "reports_on_time");
    // Q1, Q2 and Q3 reports fall due by 20 November; none is submitted yet.
    assert.deepEqual([r.numerator, r.denominator], [0, 3]);
    assert.equal(pick(await at("2026-02-01"), "reports_on_time").value, null);
  });
});

describe("periods, dates and the plan", () => {
  test("periods: a year, a quarter, a month; nonsense refused", () => {
    assert.deepEqual(parsePeriod("2026-Q3"), {
      code: "2026-Q3",
      kind: "quarter",
      start: "2026-07-01",
      end: "2026-09-30",
    });
    assert.deepEqual(parsePeriod("2024-02")?.end, "2024-02-29");
    for (const bad of ["2026-Q5", "2026-13", "26", "2026-Q0", "Q3"])
      assert.equal(parsePeriod(bad), undefined, bad);
  });

  test("D is capped at the period's last day; a date before the period is refused", () => {
    const plan = currentPlan();
    assert.equal(resolveWindow({ date: "2026-12-31", period: "2026-Q2", plan }).date, "2026-06-30");
    assert.throws(
      () => resolveWindow({ date: "2026-03-01", period: "2026-Q2", plan }),
      (e: Error & { msg?: { key: string } }) => e.msg?.key === "indicators.date_before_period",
    );
    assert.throws(
      () => resolveWindow({ date: "2026-02-30", plan }),
      (e: Error & { msg?: { key: string } }) => e.msg?.key === "indicators.bad_date",
    );
  });

  test("the shipped plan has the 12 indicators; indicator 4 targets 95% with a minimum of 80%", () => {
    const plan = currentPlan();
    assert.equal(plan.indicators.length, 12);
    const four = plan.indicators.find((i) => i.id === 4)!;
    assert.deepEqual([four.code, four.target, four.minimum], ["adult_vneid_confirmed", 0.95, 0.8]);
  });

  test("a malformed plan names the file and the line", () => {
    assert.throws(
      () => parsePlan('{\n  "year": 2026,\n  oops\n}', "x.json"),
      (e: Error) => e instanceof PlanError && /x\.json, dòng 3/.test(e.message),
    );
    const text = JSON.stringify(
      { ...currentPlan(), indicators: [{ ...currentPlan().indicators[0], code: "nope" }] },
      null,
      2,
    );
    assert.throws(
      () => parsePlan(text, "y.json"),
      (e: Error) => /y\.json/.test(e.message) && /dòng \d+, indicators\[0\]\.code/.test(e.message),
    );
    const target = JSON.stringify(
      { ...currentPlan(), indicators: [{ ...currentPlan().indicators[0], target: 95 }] },
      null,
      2,
    );
    assert.throws(() => parsePlan(target, "z.json"), /indicators\[0\]\.target/);
  });
});

describe("API", () => {
  test("GET /api/v1/indicators: the CLI's JSON; a bad period is a clear 422; roles without the right get 403", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const token = await testToken(t.app, user.username);
    const res = await t.app.request(`/api/v1/indicators?date=${D}&period=2026`, { headers: bearer(token) });
    assert.equal(res.status, 200);
    const body = (await res.json()) as IndicatorTable;
    assert.deepEqual(body, JSON.parse(JSON.stringify(await at(D))));
    const bad = await t.app.request("/api/v1/indicators?period=2026-Q5", { headers: bearer(token) });
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /2026-Q5/);
    const { user: vol } = await buildUser(t.db, { role: "volunteer", commune: t.commune, villages: [v1] });
    const vt = await testToken(t.app, vol.username);
    assert.equal((await t.app.request("/api/v1/indicators", { headers: bearer(vt) })).status, 403);
  });
});

describe("drill-down: who is counted and who is missing", () => {
  const viewerOf = async (role: "coordinator" | "village_lead", villages: Village[] = []) => {
    const { user } = await buildUser(t.db, { role, commune: t.commune, villages });
    return toViewer((await findAuthUserById(t.db, user.id))!);
  };

  test("for every drillable indicator, counted + missing lists add up to the figures, by village too", async () => {
    const viewer = await viewerOf("coordinator");
    const table = await at(D);
    const plan = currentPlan();
    const w = resolveWindow({ date: D, period: "2026", plan });
    for (const code of DRILLABLE) {
      const ind = pick(table, code);
      const drill = (counted: boolean, village?: string) =>
        drillIndicator({ db: t.db, viewer, code: ind.code, ...w, counted, village, page: 1, pageSize: 500 });
      const [yes, no] = [await drill(true), await drill(false)];
      assert.equal(yes.total, ind.numerator, `${code} counted`);
      assert.equal(yes.total + no.total, ind.denominator, `${code} all`);
      assert.equal(yes.items.length, yes.total);
      for (const [v, figure] of Object.entries(ind.byVillage ?? {})) {
        assert.equal((await drill(false, v)).total, figure.denominator - figure.numerator, `${code} ${v}`);
      }
    }
  });

  test("the missing come elderly, disabled and poor first; a village lead sees only their village", async () => {
    const plan = currentPlan();
    const w = resolveWindow({ date: D, period: "2026", plan });
    const h9 = await buildHousehold(t.db, { village: v3, code: "H9", poor: true });
    const old = await buildResident(t.db, { household: h9, fullName: "Cụ Già", birthDate: "1950-01-01" });
    const coordinator = await viewerOf("coordinator");
    const missing = await drillIndicator({
      db: t.db,
      viewer: coordinator,
      code: "adult_skills",
      ...w,
      counted: false,
      page: 1,
      pageSize: 50,
    });
    assert.equal(missing.kind, "residents");
    assert.equal((missing.items[0] as { id: number }).id, old.id);
    const lead = await viewerOf("village_lead", [v1]);
    const own = await drillIndicator({
      db: t.db,
      viewer: lead,
      code: "adult_skills",
      ...w,
      counted: false,
      page: 1,
      pageSize: 50,
    });
    assert.ok(own.items.length > 0);
    assert.ok((own.items as { village: string }[]).every((r) => r.village === "V1"));
    const homes = await drillIndicator({
      db: t.db,
      viewer: coordinator,
      code: "digital_households",
      ...w,
      counted: false,
      page: 1,
      pageSize: 50,
    });
    assert.equal((homes.items[0] as { code: string }).code, "H9");
    // Citizen ID and phone are masked for a village lead.
    assert.ok(
      (own.items as { phone: string | null }[]).every((r) => r.phone === null || r.phone.includes("*")),
    );
  });
});

describe("trend, pace and forecast (SPEC §3.2)", () => {
  test("each month-end point equals the indicator computed at that day; the last is D", async () => {
    const plan = currentPlan();
    const w = resolveWindow({ date: D, period: "2026", plan });
    const trends = await computeTrends({ db: t.db, communeId: t.commune.id, plan, ...w });
    assert.deepEqual(trends.map((x) => x.code).sort(), [
      "active_village_teams",
      "adult_skills",
      "adult_vneid_confirmed",
      "digital_households",
      "public_sector_skills",
      "student_skills",
      "village_propaganda",
      "vneid_16plus",
      "worker_access",
    ]);
    const adult = trends.find((x) => x.code === "adult_skills")!;
    assert.deepEqual(
      adult.points.map((p) => p.date),
      ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", D],
    );
    for (const trend of trends) {
      for (const point of trend.points) {
        const figure = pick(await at(point.date), trend.code);
        assert.equal(point.value, figure.value, `${trend.code} at ${point.date}`);
      }
    }
  });

  test("pace over three months, the date it is reached, and how many a week are still needed", async () => {
    const plan = currentPlan();
    const w = resolveWindow({ date: D, period: "2026", plan });
    const adult = (await computeTrends({ db: t.db, communeId: t.commune.id, plan, ...w })).find(
      (x) => x.code === "adult_skills",
    )!;
    const [back, last] = [adult.points.at(-4)!, adult.points.at(-1)!];
    assert.equal(back.date, "2026-03-31");
    const months = (Date.parse(D) - Date.parse(back.date)) / 86_400_000 / 30.4375;
    assert.ok(Math.abs(adult.pacePerMonth! - ((last.value! - back.value!) * 100) / months) < 1e-9);
    assert.ok(adult.pacePerMonth! > 0);
    const now = pick(await at(D), "adult_skills");
    assert.equal(adult.met, false);
    assert.equal(adult.missing, now.denominator! - now.numerator!);
    // The missing spread over the weeks left to 31 December (28.7 weeks), rounded up.
    assert.equal(
      adult.perWeek,
      Math.ceil(adult.missing! / ((Date.parse("2026-12-31") - Date.parse(D)) / 86_400_000 / 7)),
    );
    const monthsToGo = ((1 - last.value!) * 100) / adult.pacePerMonth!;
    const expected = new Date(Date.parse(D) + Math.ceil(monthsToGo * 30.4375) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    assert.equal(adult.reachDate, expected);
    // A met indicator has no forecast date and needs nobody more.
  });
});
