/**
 * What the dashboard shows, kept per (database, commune, plan, reference date, period) and keyed by
 * the commune's data version (`dataVersionOf`), which every committed write that changes the
 * figures raises in its own transaction. The version is read before the figures are computed, so an
 * entry is never older than its version: a request that finds the version it read answers from
 * memory, any other computes anew. The entries are per process; the version lives in the database,
 * so several app processes never serve figures older than the last write.
 */
import type { Db } from "../../db/client.ts";
import { dataVersionOf } from "../../db/data-version.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../villages/repo.ts";
import type { Period } from "./period.ts";
import type { Plan } from "./plan.ts";
import { computeIndicators, type IndicatorTable } from "./service.ts";
import { computeTrends, type Trend } from "./trend.ts";

export type KnownFigures = {
  table: IndicatorTable;
  trends: Trend[];
  villages: VillageRow[];
  /** Server time spent computing, in milliseconds (0 for an answer from memory). */
  timings: { indicators: number; trends: number };
  cached: boolean;
};

type Entry = { version: number; figures: Omit<KnownFigures, "cached"> };

/** Entries per database: a reference date and period per key, a few hundred at most. */
const MAX_ENTRIES = 200;
const byDatabase = new WeakMap<Db, Map<string, Entry>>();

function entriesOf(db: Db): Map<string, Entry> {
  let m = byDatabase.get(db);
  if (!m) {
    m = new Map();
    byDatabase.set(db, m);
  }
  return m;
}

/** The indicators, their trends and the commune's villages at (date, period), from memory when nothing changed. */
export async function knownFigures(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  date: string;
  period: Period;
}): Promise<KnownFigures> {
  const { db, communeId, plan, date, period } = opts;
  const version = await dataVersionOf(db, communeId);
  const key = `${communeId}|${date}|${period.code}|${JSON.stringify(plan)}`;
  const entries = entriesOf(db);
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    // Most recently used last.
    entries.delete(key);
    entries.set(key, hit);
    return { ...hit.figures, timings: { indicators: 0, trends: 0 }, cached: true };
  }
  const t0 = performance.now();
  const table = await computeIndicators({ db, communeId, plan, date, period });
  const t1 = performance.now();
  const trends = await computeTrends({ db, communeId, plan, date, period });
  const t2 = performance.now();
  const villages = await listAllVillagesOfCommune(db, communeId);
  const figures = { table, trends, villages, timings: { indicators: t1 - t0, trends: t2 - t1 } };
  // A slower request that read an older version must not replace a newer entry.
  const now = entries.get(key);
  if (!now || now.version <= version) {
    entries.delete(key);
    entries.set(key, { version, figures });
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return { ...figures, cached: false };
}
