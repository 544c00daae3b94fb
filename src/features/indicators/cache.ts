/**
 * What the dashboard shows, kept per (database, commune, plan, reference date, period) and keyed by
 * the commune's data version (`dataVersionOf`), which every committed write that changes the
 * figures raises in its own transaction. The version is read before the figures are computed, so an
 * entry is never older than its version: a request that finds the version it read answers from
 * memory, any other computes anew. The entries are per process; the version lives in the database,
 * so several app processes never serve figures older than the last write.
 */
import type { Db } from "../../db/client.ts";
import { knownByVersion } from "../../db/data-version.ts";
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

/** The indicators, their trends and the commune's villages at (date, period), from memory when nothing changed. */
export async function knownFigures(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  date: string;
  period: Period;
}): Promise<KnownFigures> {
  const { db, communeId, plan, date, period } = opts;
  const { value, cached } = await knownByVersion({
    db,
    communeId,
    key: `figures|${date}|${period.code}|${JSON.stringify(plan)}`,
    compute: async () => {
      const t0 = performance.now();
      const table = await computeIndicators({ db, communeId, plan, date, period });
      const t1 = performance.now();
      const trends = await computeTrends({ db, communeId, plan, date, period });
      const t2 = performance.now();
      const villages = await listAllVillagesOfCommune(db, communeId);
      return { table, trends, villages, timings: { indicators: t1 - t0, trends: t2 - t1 } };
    },
  });
  return cached ? { ...value, timings: { indicators: 0, trends: 0 }, cached } : { ...value, cached };
}
