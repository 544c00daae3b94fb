import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { and, eq } from "drizzle-orm";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import {
  buildActivity,
  buildHousehold,
  buildIncident,
  buildResident,
  buildSession,
  buildTeam,
  buildTeamMember,
  buildUser,
  buildVillage,
  type Commune,
  type Household,
  type Resident,
  type Village,
} from "../../../test/helpers/factories.ts";
import type { Database, Db } from "../../db/client.ts";
import { computationsOf, versionsOf } from "../../db/data-version.ts";
import { attendance, certifications, residents, teams } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { cliActor } from "../audit/service.ts";
import { findAuthUserById } from "../auth/repo.ts";
import { type Viewer, viewerOf } from "../auth/viewer.ts";
import { ensureDefaultCommune } from "../communes/service.ts";
import { runImport } from "../imports/engine.ts";
import { applyPlanFile, planFor } from "../plans/service.ts";
import { listResidents } from "../residents/service.ts";
import { recordVisit } from "../visits/service.ts";
import { type DashboardData, loadDashboard, loadDrillPage, loadVisitList } from "./dashboard.ts";
import { DEFAULT_PLAN_FILE } from "./plan.ts";
import { computeIndicators, resolveWindow } from "./service.ts";
import { computeTrends } from "./trend.ts";

const D = "2026-06-15";
let database: Database;
let commune: Commune;
let v1: Village;
let v2: Village;
let h1: Household;
let h2: Household;
let viewer: Viewer;
let adults: Resident[] = [];
let dir: string;

async function dashboard(): Promise<DashboardData> {
  const plan = await planFor(database.db, commune.id);
  return loadDashboard({
    db: database.db,
    viewer,
    plan,
    ...resolveWindow({ date: D, period: "2026", plan }),
  });
}

/** The next dashboard: the figures computed from scratch, never older ones from memory. */
async function nextDashboard(label: string, expectCached: boolean | null = false): Promise<DashboardData> {
  const shown = await dashboard();
  const plan = await planFor(database.db, commune.id);
  const w = resolveWindow({ date: D, period: "2026", plan });
  const fresh = await computeIndicators({ db: database.db, communeId: commune.id, plan, ...w });
  const trends = await computeTrends({ db: database.db, communeId: commune.id, plan, ...w });
  assert.deepEqual(shown.table, fresh, `${label}: the indicators are those of the data`);
  assert.deepEqual([...shown.trends.values()], trends, `${label}: the trends are those of the data`);
  if (expectCached !== null)
    assert.equal(shown.cached, expectCached, `${label}: ${expectCached ? "from memory" : "computed anew"}`);
  return shown;
}

const value = (d: DashboardData, code: string) => d.table.indicators.find((i) => i.code === code)!;

/** A new enterprise worker in `household` and a class in `village` on `date` with the worker and `alsoAbsent` absent. */
async function workerClass(
  w: { household: Household; village: Village; fullName: string; birthDate: string; date: string },
  alsoAbsent: Resident,
) {
  const worker = await buildResident(database.db, {
    household: w.household,
    fullName: w.fullName,
    birthDate: w.birthDate,
    groups: ["enterprise_worker"],
  });
  const activity = await buildActivity(database.db, {
    commune,
    village: w.village,
    type: "class",
    date: w.date,
  });
  const session = await buildSession(database.db, { activity, date: w.date, absent: [alsoAbsent, worker] });
  return { worker, session };
}

/** Ticks `r` present at the session. */
/** A visit recorded as the CLI would (support: a VNeID install), raising the level of each resident met. */
const visitRaisingLevels = (household: string, date: string, member: string, met: number[]) =>
  recordVisit({
    db: database.db,
    viewer,
    actor: cliActor(commune.id),
    change: {
      input: { household, date, member, support: "vneid_install", note: "" },
      residentsMet: met,
      vneidUpdates: met,
    },
  });

const markPresent = (db: Db, session: { id: number }, r: Resident) =>
  db
    .update(attendance)
    .set({ present: true })
    .where(and(eq(attendance.sessionId, session.id), eq(attendance.residentId, r.id)));

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  database = await createTestDatabase();
  const db = database.db;
  commune = await ensureDefaultCommune({
    db,
    commune: { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" },
  });
  v1 = await buildVillage(db, { commune, code: "T01", name: "Thôn Một" });
  v2 = await buildVillage(db, { commune, code: "T02", name: "Thôn Hai" });
  h1 = await buildHousehold(db, { village: v1, code: "T01-0001" });
  h2 = await buildHousehold(db, { village: v2, code: "T02-0001" });
  adults = [
    await buildResident(db, { household: h1, fullName: "Lê Văn An", birthDate: "1980-01-01" }),
    await buildResident(db, { household: h1, fullName: "Trần Thị Bình", birthDate: "1985-02-02" }),
    await buildResident(db, { household: h2, fullName: "Phạm Văn Cường", birthDate: "1975-03-03" }),
  ];
  const { user } = await buildUser(db, { role: "coordinator", commune });
  viewer = viewerOf((await findAuthUserById(db, user.id))!);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cache-"));
});

after(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the dashboard's figures from memory are never stale", () => {
  test("a dashboard nothing changed since the last view comes from memory", async () => {
    await nextDashboard("first view");
    await nextDashboard("second view", true);
  });

  test("after a residents import", async () => {
    const before = value(await nextDashboard("before the import", true), "adult_skills");
    const file = path.join(dir, "residents.csv");
    fs.writeFileSync(
      file,
      "Họ và tên,Ngày sinh,Giới tính,Thôn,Mã hộ,Tình trạng\nNguyễn Văn Dũng,04/04/1970,Nam,T01,T01-0001,Đang cư trú\n",
    );
    const r = await runImport({
      db: database.db,
      communeId: commune.id,
      kind: "residents",
      file,
      actor: cliActor(commune.id),
      today: D,
    });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    const after = value(await nextDashboard("after the import"), "adult_skills");
    assert.equal(after.denominator, before.denominator! + 1);
    await nextDashboard("again", true);
  });

  test("after a certification", async () => {
    const before = value(await dashboard(), "adult_skills");
    await database.db.insert(certifications).values({
      communeId: commune.id,
      residentId: adults[0]!.id,
      kind: "basic",
      date: "2026-05-01",
      source: "course",
    });
    const after = value(await nextDashboard("after a certification"), "adult_skills");
    assert.equal(after.numerator, before.numerator! + 1);
  });

  test("after attendance is ticked", async () => {
    const { worker, session } = await workerClass(
      { household: h2, village: v2, fullName: "Đinh Văn Lực", birthDate: "1995-07-07", date: "2026-05-10" },
      adults[2]!,
    );
    const before = value(await nextDashboard("a class with nobody present"), "worker_access");
    const tick = (r: Resident) =>
      database.db.transaction(async (tx) => {
        await markPresent(tx, session, r);
      });
    await tick(worker);
    // Computed anew (not from memory) and equal to the data: the worker's first session attended moved.
    const after = value(await nextDashboard("after a worker's attendance"), "worker_access");
    assert.equal(after.numerator, before.numerator! + 1, "the worker is reached");
    // A non-worker's first session counts in no figure: still from memory, and still equal to the data.
    await tick(adults[2]!);
    await nextDashboard("after a non-worker's attendance", true);
  });

  test("after a visit", async () => {
    const team = await buildTeam(database.db, { village: v1 });
    await buildTeamMember(database.db, { team, fullName: "Đỗ Thị Hoa" });
    const before = await nextDashboard("before the visit");
    await visitRaisingLevels("T01-0001", "2026-06-10", "Đỗ Thị Hoa", [adults[1]!.id]);
    const after = await nextDashboard("after the visit");
    assert.notDeepEqual(after.table, before.table, "the visit (a level raised) changes a figure");
  });

  test("after a plan change", async () => {
    const before = value(await nextDashboard("before the plan", true), "adult_skills");
    const plan = JSON.parse(fs.readFileSync(DEFAULT_PLAN_FILE, "utf8"));
    const ind = plan.indicators.find((i: { code: string }) => i.code === "adult_skills");
    ind.target = before.target === 0.5 ? 0.6 : 0.5;
    await applyPlanFile({
      db: database.db,
      communeId: commune.id,
      userId: null,
      actor: cliActor(commune.id),
      fileName: "plan.json",
      text: JSON.stringify(plan),
    });
    const after = value(await nextDashboard("after the plan"), "adult_skills");
    assert.equal(after.target, ind.target);
  });

  test("after a resident moved, and after one deceased", async () => {
    const before = value(await nextDashboard("before", true), "adult_skills");
    await database.db.update(residents).set({ status: "moved" }).where(eq(residents.id, adults[2]!.id));
    const moved = value(await nextDashboard("after a resident moved"), "adult_skills");
    assert.equal(moved.denominator, before.denominator! - 1);
    await database.db.update(residents).set({ status: "deceased" }).where(eq(residents.id, adults[1]!.id));
    const deceased = value(await nextDashboard("after a resident deceased"), "adult_skills");
    assert.equal(deceased.denominator, before.denominator! - 2);
  });

  /** The adults missing basic skills, one page of the drill-down, as the coordinator sees it. */
  async function missingSkillsPage(page: number, pageSize: number) {
    const plan = await planFor(database.db, commune.id);
    const p = await loadDrillPage({
      db: database.db,
      viewer,
      actor: cliActor(commune.id),
      plan,
      code: "adult_skills",
      ...resolveWindow({ date: D, period: "2026", plan }),
      counted: false,
      page,
      pageSize,
    });
    assert.equal(p.drill?.kind, "residents");
    return p.drill.kind === "residents"
      ? { ids: p.drill.items.map((r) => r.id), total: p.drill.total }
      : undefined;
  }

  test("the drill-down list after a certification", async () => {
    const drill = async () => (await missingSkillsPage(1, 50))!.ids;
    const missing = await drill();
    assert.deepEqual(await drill(), missing, "the same list twice");
    const someone = missing[0]!;
    await database.db.insert(certifications).values({
      communeId: commune.id,
      residentId: someone,
      kind: "basic",
      date: "2026-05-02",
      source: "course",
    });
    const after = await drill();
    assert.ok(!after.includes(someone), "a resident just certified is no longer listed as missing");
    assert.equal(after.length, missing.length - 1);
  });

  test("a drill-down's pages share one computation of its order, which follows the next write", async () => {
    const pageOf = (page: number) => missingSkillsPage(page, 1);
    const pages = async () => Promise.all([1, 2, 3].map(pageOf));
    const h = await buildHousehold(database.db, { village: v1, code: "T01-0090" });
    for (const [i, name] of ["Đỗ Văn Một", "Đỗ Thị Hai", "Đỗ Văn Ba"].entries())
      await buildResident(database.db, { household: h, fullName: name, birthDate: `199${i}-04-04` });
    const one = await pageOf(1);
    const before = computationsOf("drillOrder");
    const first = await pages();
    assert.equal(computationsOf("drillOrder"), before, "the second and third pages read the first's order");
    assert.deepEqual(first[0], one);
    const ids = first.flatMap((p) => p!.ids);
    assert.equal(new Set(ids).size, ids.length, "no resident on two pages");
    assert.ok(first[0]!.total >= 3, "enough missing residents for three pages");
    const someone = first[1]!.ids[0]!;
    await database.db.insert(certifications).values({
      communeId: commune.id,
      residentId: someone,
      kind: "basic",
      date: "2026-05-03",
      source: "course",
    });
    const again = await pages();
    assert.equal(computationsOf("drillOrder") - before, 1, "the write, then one order again");
    assert.equal(again[0]!.total, first[0]!.total - 1);
    assert.ok(!again.flatMap((p) => p!.ids).includes(someone), "certified: no longer on any page");
    assert.deepEqual(again[1]!.ids, [...first[1]!.ids.slice(1), first[2]!.ids[0]!], "the rest moves up");
  });

  test("a write rolled back leaves the figures from memory valid", async () => {
    await nextDashboard("before", true);
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await tx.update(residents).set({ status: "moved" }).where(eq(residents.id, adults[0]!.id));
        throw new Error("rolled back");
      }),
    );
    await nextDashboard("after a rollback", true);
  });
});

describe("a write of one family leaves the answers that do not read it kept", () => {
  let v3: Village;
  let h3: Household;

  /** The drill-down of the residents 16+ without a VNeID account, its first page, as `v` sees it. */
  async function missingVneidPage(v: Viewer) {
    const plan = await planFor(database.db, commune.id);
    return loadDrillPage({
      db: database.db,
      viewer: v,
      actor: cliActor(commune.id),
      plan,
      code: "vneid_16plus",
      ...resolveWindow({ date: D, period: "2026", plan }),
      counted: false,
      page: 1,
      pageSize: 50,
    });
  }

  /** What a coordinator sees: the dashboard, a drill-down, a village's visit-next list, the residents list's total. */
  async function views() {
    const plan = await planFor(database.db, commune.id);
    const w = resolveWindow({ date: D, period: "2026", plan });
    const dash = await nextDashboard("the dashboard", null);
    const page = await missingVneidPage(viewer);
    const next = await loadVisitList({
      db: database.db,
      viewer,
      actor: cliActor(commune.id),
      villageId: v3.id,
      ...w,
      limit: 50,
    });
    const list = await listResidents({
      db: database.db,
      viewer,
      query: {},
      page: 1,
      pageSize: 50,
      audit: { actor: cliActor(commune.id), source: "test" },
    });
    const ids = (d: typeof page.drill) => (d?.kind === "residents" ? d.items.map((r) => r.id) : []);
    return {
      dash,
      missingVneid: ids(page.drill),
      nextAdults: next.adults.items.map((r) => r.id),
      team: next.team,
      total: list.total,
    };
  }

  const PARTS = [
    "figures",
    "residentFigures",
    "residentTrend",
    "workerFigures",
    "workerTrend",
    "villageFigures",
    "villageTrend",
    "villageVisits",
    "periodCounts",
    "codes",
    "reportSubmissions",
    "villages",
    "units",
    "drill",
    "visitNext",
    "residentsCount",
  ] as const;
  const counts = () => Object.fromEntries(PARTS.map((p) => [p, computationsOf(p)]));
  /** The parts computed since `before` (the others answered from memory). */
  const computedSince = (before: Record<string, number>) =>
    PARTS.filter((p) => computationsOf(p) !== before[p]);

  before(async () => {
    const db = database.db;
    v3 = await buildVillage(db, { commune, code: "T03", name: "Thôn Ba" });
    h3 = await buildHousehold(db, { village: v3, code: "T03-0001" });
    await buildResident(db, { household: h3, fullName: "Vũ Văn Em", birthDate: "1990-05-05", vneidLevel: 0 });
    const team = await buildTeam(db, { village: v3 });
    for (const name of ["Ngô Thị Gấm", "Hà Văn Hải", "Lý Thị Kim"]) {
      await buildTeamMember(db, { team, fullName: name });
    }
  });

  test("nothing written: every answer from memory", async () => {
    await views();
    const before = counts();
    await views();
    assert.deepEqual(computedSince(before), []);
  });

  test("a visit: the days visited anew, the villages' other work, the residents' figures, lists and total kept", async () => {
    const seen = await views();
    assert.equal(value(seen.dash, "active_village_teams").byVillage?.T03?.value, 0, "no work yet in Thôn Ba");
    const before = counts();
    const versions = await versionsOf(database.db, commune.id);
    await visitRaisingLevels("T03-0001", "2026-06-12", "Ngô Thị Gấm", []);
    const raised = await versionsOf(database.db, commune.id);
    assert.equal(raised.visits, versions.visits + 1, "the visit raises the visits' version");
    assert.equal(raised.registry, versions.registry, "and not the registry's");
    const after = await views();
    assert.equal(
      value(after.dash, "active_village_teams").byVillage?.T03?.value,
      1,
      "the visit counts at once",
    );
    // Only the days visited: not the month ends' team work (villageFigures, villageTrend).
    assert.deepEqual(computedSince(before), ["figures", "villageVisits"]);
    // Once for the indicators and the trend: the trend's days cover the indicators' 90.
    assert.equal(computationsOf("villageVisits") - before.villageVisits!, 1);
    assert.deepEqual(after.missingVneid, seen.missingVneid);
    assert.deepEqual(after.nextAdults, seen.nextAdults);
    assert.equal(after.total, seen.total);
  });

  test("attendance: a worker's first session anew, anyone else's kept", async () => {
    const { worker, session } = await workerClass(
      { household: h3, village: v3, fullName: "Vũ Văn Phúc", birthDate: "1996-08-08", date: "2026-04-10" },
      adults[0]!,
    );
    const tick = (r: Resident) => markPresent(database.db, session, r);
    await views();
    let before = counts();
    const versions = await versionsOf(database.db, commune.id);
    await tick(adults[0]!);
    const raised = await versionsOf(database.db, commune.id);
    assert.equal(raised.attendance, versions.attendance + 1, "the tick raises the attendance's version");
    assert.equal(raised.facts, versions.facts, "a non-worker's first session is no fact the figures read");
    await views();
    assert.deepEqual(computedSince(before), []);
    const reachedWorkers = async () => {
      const plan = await planFor(database.db, commune.id);
      const page = await loadDrillPage({
        db: database.db,
        viewer,
        actor: cliActor(commune.id),
        plan,
        code: "worker_access",
        ...resolveWindow({ date: D, period: "2026", plan }),
        counted: true,
        page: 1,
        pageSize: 50,
      });
      return page.drill?.kind === "residents" ? page.drill.items.map((r) => r.id) : [];
    };
    const seen = await views();
    assert.ok(!(await reachedWorkers()).includes(worker.id), "no session attended yet");
    const workersBefore = value(seen.dash, "worker_access").numerator!;
    before = counts();
    const drillsBefore = computationsOf("drill");
    await tick(worker);
    const ticked = await versionsOf(database.db, commune.id);
    const after = await views();
    // Indicator 5's workers reached, and nothing else: the other figures and lists read no session.
    assert.deepEqual(computedSince(before), ["figures", "workerFigures", "workerTrend"]);
    assert.equal(ticked.facts, raised.facts, "a worker's first session is not a fact of the other figures");
    assert.equal(
      value(after.dash, "worker_access").numerator,
      workersBefore + 1,
      "the worker counts at once",
    );
    assert.deepEqual(after.missingVneid, seen.missingVneid);
    assert.deepEqual(after.nextAdults, seen.nextAdults);
    // Indicator 5's list reads the session: computed anew, with the worker on it.
    assert.ok((await reachedWorkers()).includes(worker.id), "the worker is listed at once");
    assert.equal(computationsOf("drill"), drillsBefore + 1);
  });

  test("a team member added: the visit-next page's team anew, the drill-down kept", async () => {
    const seen = await views();
    const before = counts();
    const [team] = await database.db.select().from(teams).where(eq(teams.villageId, v3.id));
    await buildTeamMember(database.db, { team: team!, fullName: "Đào Văn Long", role: "leader" });
    const after = await views();
    assert.equal(after.team.members, seen.team.members + 1, "the visit-next page counts the member at once");
    assert.ok(after.team.leaders.includes("Đào Văn Long"), "and names the new leader");
    assert.ok(computedSince(before).includes("visitNext"));
    assert.ok(!computedSince(before).includes("drill"), "the drill-down reads no team");
  });

  test("an incident: the period's counts anew, the rest kept; it shows at once", async () => {
    const seen = await views();
    const before = counts();
    await buildIncident(database.db, { commune, date: "2026-06-01", severity: "serious" });
    const after = await views();
    assert.equal(
      value(after.dash, "security_incidents").value,
      value(seen.dash, "security_incidents").value! + 1,
    );
    assert.deepEqual(computedSince(before), ["figures", "periodCounts"]);
  });

  test("a resident added: the residents' figures, the lists and the total anew", async () => {
    const seen = await views();
    const before = counts();
    await buildResident(database.db, {
      household: h3,
      fullName: "Vũ Thị Hoa",
      birthDate: "1992-06-06",
      vneidLevel: 0,
    });
    const after = await views();
    assert.equal(after.total, seen.total! + 1, "the residents list counts them at once");
    assert.equal(
      after.missingVneid.length,
      seen.missingVneid.length + 1,
      "the drill-down lists them at once",
    );
    assert.equal(after.nextAdults.length, seen.nextAdults.length + 1, "the visit-next list too");
    for (const p of ["figures", "residentFigures", "units", "drill", "visitNext", "residentsCount"])
      assert.ok(computedSince(before).includes(p as (typeof PARTS)[number]), `${p} computed anew`);
  });
  test("roles whose scope holds the whole list share its rows, each with its own masks; a narrower scope its own", async () => {
    const db = database.db;
    const plan = await planFor(db, commune.id);
    const w = resolveWindow({ date: D, period: "2026", plan });
    await buildResident(db, {
      household: h3,
      fullName: "Đào Văn Phúc",
      birthDate: "1985-03-03",
      citizenId: "038085000777",
      phone: "0987654777",
      vneidLevel: 0,
    });
    const viewerAs = async (role: "village_lead" | "leader" | "economy", villages: Village[] = []) => {
      const { user } = await buildUser(db, { role, commune, villages });
      return viewerOf((await findAuthUserById(db, user.id))!);
    };
    const lead = await viewerAs("village_lead", [v3]);
    const leader = await viewerAs("leader");
    const economy = await viewerAs("economy");
    const visitList = (v: Viewer) =>
      loadVisitList({ db, viewer: v, actor: cliActor(commune.id), villageId: v3.id, ...w, limit: 50 });
    const drillPage = missingVneidPage;
    const phuc = <R extends { full_name: string }>(items: R[]) =>
      items.find((r) => r.full_name === "Đào Văn Phúc");

    const whole = await visitList(viewer);
    const before = counts();
    const asLead = await visitList(lead);
    assert.deepEqual(computedSince(before), [], "the village's lead reads the coordinator's rows");
    assert.deepEqual(
      asLead.adults.items.map((r) => r.id),
      whole.adults.items.map((r) => r.id),
    );
    assert.equal(phuc(whole.vneid.items)?.citizen_id, "038085000777", "the coordinator sees the ID");
    assert.equal(phuc(whole.vneid.items)?.phone, "0987654777");
    const masked = phuc(asLead.vneid.items);
    assert.ok(masked, "the lead's list has the resident");
    assert.notEqual(masked.citizen_id, "038085000777", "the lead's copy is masked");
    assert.notEqual(masked.phone, "0987654777");
    // The coordinator's unmasked copy was not touched by the lead's view.
    assert.equal(phuc((await visitList(viewer)).vneid.items)?.citizen_id, "038085000777");

    // The commune's drill-down: the coordinator and the leader share it; the economy office (its
    // workers only) and a village team (its villages only) each read their own.
    const all = await drillPage(viewer);
    const shared = counts();
    const asLeader = await drillPage(leader);
    assert.deepEqual(computedSince(shared), []);
    const ids = (d: typeof all.drill) => (d?.kind === "residents" ? d.items.map((r) => r.id) : []);
    assert.deepEqual(ids(asLeader.drill), ids(all.drill));
    const narrower = counts();
    const asEconomy = await drillPage(economy);
    const asLeadAll = await missingVneidPage({
      ...lead,
      scope: { kind: "villages", communeId: commune.id, villageIds: [v3.id, v1.id] },
    });
    assert.equal(computationsOf("drill") - (narrower.drill ?? 0), 2, "each narrower scope computes its own");
    assert.ok(!ids(asEconomy.drill).includes(masked.id), "the economy office sees workers only");
    assert.ok(ids(all.drill).includes(masked.id));
    assert.ok(
      ids(asLeadAll.drill).every((id) => ids(all.drill).includes(id)) &&
        ids(asLeadAll.drill).length < ids(all.drill).length,
      "a team of two villages: their residents only",
    );
  });
});
