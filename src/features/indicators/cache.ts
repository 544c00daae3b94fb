/**
 * What the dashboard shows, kept per (database, commune, plan, reference date, period), and each of
 * the engine's statements behind it, keyed by the versions of the families of inputs it reads
 * (db/data-version.ts), which every committed write raises for its own tables' family in its own
 * transaction. The versions are read once per request, before anything is computed, so an entry
 * is never older than its versions: a request that finds the versions it read answers from memory,
 * any other computes anew — and only the statements whose families changed (a visit recomputes the
 * villages' team activity, not the residents' figures). The entries are per process; the versions
 * live in the database, so several app processes never serve figures older than the last write.
 *
 * What each kept thing reads (check the SQL of repo.ts when it changes: a family left out is a stale
 * answer):
 * - residentFigures, residentTrend (indicators 1–5, 9, 10): `resident_facts` and `household_facts`
 *   only → facts (raised by migration 0021 when a fact they read changes: a certification, a
 *   resident added, moved or deceased…);
 * - workerFigures, workerTrend (indicator 5's workers reached): `resident_facts` → facts, and the
 *   workers' first session attended → attended (migration 0026: a tick recomputes only these);
 * - villageFigures, villageTrend (6, 8) without the visits (repo.ts `villageWorkAt`): villages,
 *   activities and their sessions, teams and members → registry, activities, teams;
 * - villageVisits (8: the days a village's households were visited, `villageVisitDays`): visits,
 *   households → registry, visits. A visit recomputes only this small statement;
 * - periodCounts (7, 11): activities, incidents; codes and the villages list: registry;
 *   reportSubmissions (12): reports;
 * - drill-down and visit-next lists (drill.ts): `resident_facts`, residents, households,
 *   villages, units → facts, registry (`DRILL_FAMILIES`), and attended for indicator 5's
 *   (`drillFamilies`);
 * - the residents list's total (residents/service.ts): residents, units → registry.
 * The plan is in every key (the dashboard's) or in the arguments (the trends' dates), so a plan
 * change computes under a new key.
 */
import type { Db } from "../../db/client.ts";
import { type Family, knownByVersion, type Versions, versionsOf } from "../../db/data-version.ts";
import type { VillageRow } from "../villages/repo.ts";
import { knownVillagesOfCommune } from "../villages/service.ts";
import type { Period } from "./period.ts";
import type { Plan } from "./plan.ts";
import { computeIndicators, type EnginePart, type IndicatorTable, type Memo } from "./service.ts";
import { computeTrends, type Trend, trendWindows } from "./trend.ts";

const VILLAGE_WORK: readonly Family[] = ["registry", "activities", "teams"];
/** Who the workers are (facts) and their first session attended (attended, migration 0026). */
const WORKER_FACTS: readonly Family[] = ["facts", "attended"];

/** The families each of the engine's statements reads. */
export const PART_FAMILIES: Record<EnginePart, readonly Family[]> = {
  residentFigures: ["facts"],
  residentTrend: ["facts"],
  workerFigures: WORKER_FACTS,
  workerTrend: WORKER_FACTS,
  villageFigures: VILLAGE_WORK,
  villageTrend: VILLAGE_WORK,
  villageVisits: ["registry", "visits"],
  periodCounts: ["activities", "incidents"],
  codes: ["registry"],
  reportSubmissions: ["reports"],
};

/**
 * The families a drill-down or visit-next list reads (drill.ts: the facts, residents, households,
 * villages, units); indicator 5's list reads the workers' first session attended too.
 */
export const DRILL_FAMILIES: readonly Family[] = ["facts", "registry"];
const WORKER_DRILL_FAMILIES: readonly Family[] = [...DRILL_FAMILIES, "attended"];

/** The families an indicator's drill-down list reads. */
export const drillFamilies = (code: string): readonly Family[] =>
  code === "worker_access" ? WORKER_DRILL_FAMILIES : DRILL_FAMILIES;

/** Everything the dashboard reads: the union of its parts. */
const DASHBOARD_FAMILIES: readonly Family[] = [...new Set(Object.values(PART_FAMILIES).flat())];

export type KnownFigures = {
  table: IndicatorTable;
  trends: Trend[];
  villages: VillageRow[];
  /** Server time spent computing, in milliseconds (0 for an answer from memory). */
  timings: { indicators: number; trends: number };
  cached: boolean;
};

/** A memo that keeps each engine statement of one commune by the versions read for this request. */
function partsMemo(db: Db, communeId: number, versions: Versions): Memo {
  return (part, key, compute) =>
    knownByVersion({
      db,
      communeId,
      versions,
      families: PART_FAMILIES[part],
      key: `part|${part}|${key}`,
      label: part,
      compute,
    }).then((r) => r.value);
}

/**
 * A plan as its JSON, for the figures' key: written once per plan object (the plan in force is
 * itself kept, plans/service.ts `planFor`, so each dashboard passes the same object), not ~13 kB
 * written out on every page. A plan is never changed once made (a new plan is a new object).
 */
const planJson = new WeakMap<Plan, string>();
function planKey(plan: Plan): string {
  let json = planJson.get(plan);
  if (json === undefined) {
    json = JSON.stringify(plan);
    planJson.set(plan, json);
  }
  return json;
}

/** The indicators, their trends and the commune's villages at (date, period), from memory when nothing changed. */
export async function knownFigures(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  date: string;
  period: Period;
  /** The commune's versions when the caller read them already (one read for a whole page). */
  versions?: Versions;
}): Promise<KnownFigures> {
  const { db, communeId, plan, date, period } = opts;
  const versions = opts.versions ?? (await versionsOf(db, communeId));
  const memo = partsMemo(db, communeId, versions);
  const { value, cached } = await knownByVersion({
    db,
    communeId,
    versions,
    families: DASHBOARD_FAMILIES,
    key: `figures|${date}|${period.code}|${planKey(plan)}`,
    label: "figures",
    compute: async () => {
      const t0 = performance.now();
      const { windows: visitWindows } = trendWindows({ plan, date, period });
      const table = await computeIndicators({ db, communeId, plan, date, period, memo, visitWindows });
      const t1 = performance.now();
      const trends = await computeTrends({ db, communeId, plan, date, period, memo });
      const t2 = performance.now();
      const villages = await knownVillagesOfCommune(db, communeId, versions);
      return { table, trends, villages, timings: { indicators: t1 - t0, trends: t2 - t1 } };
    },
  });
  return cached ? { ...value, timings: { indicators: 0, trends: 0 }, cached } : { ...value, cached };
}
