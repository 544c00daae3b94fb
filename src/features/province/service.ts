/**
 * The province's view (issue 18.2): every commune of the installation on each indicator — value,
 * numerator/denominator, met, change over the last month — computed by the indicator engine in one
 * pass for all communes (`computeProvinceIndicators`, grouped by plan when communes load their
 * own), kept in memory by the installation's data version like the dashboard's figures.
 * Read-only: nothing here writes.
 */
import type { Db } from "../../db/client.ts";
import { knownByVersion } from "../../db/data-version.ts";
import { compareText } from "../../lib/collation.ts";
import { notFound } from "../../lib/errors.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { CommuneRow } from "../communes/repo.ts";
import type { Period } from "../indicators/period.ts";
import {
  CEILING_INDICATORS,
  COUNT_INDICATORS,
  currentPlan,
  type IndicatorCode,
  type Plan,
} from "../indicators/plan.ts";
import { computeProvinceIndicators, type IndicatorResult } from "../indicators/service.ts";
import { planFor } from "../plans/service.ts";
import { listCommunesWithPlans } from "./repo.ts";

/** One commune's figure on one indicator. */
export type CommuneFigure = {
  commune: CommuneRow;
  /** The indicator at D; null values mean no data (a denominator of 0). */
  indicator: IndicatorResult;
  /** The commune holds no residents and no villages yet: shown as such, never as 0 %. */
  noData: boolean;
  /** Value at D minus value one month earlier (fractions for ratios, counts for 7 and 11); null without both. */
  change: number | null;
  /** 1 for the best commune on this indicator among those with a value; null without a value. */
  rank: number | null;
};

export type ProvinceTotals = Pick<IndicatorResult, "numerator" | "denominator" | "value" | "met">;

export type ProvinceFigures = {
  date: string;
  /** D one month earlier (or the period's first day, if later): the base of `change`. */
  previousDate: string;
  period: string;
  /** The plan of the ranking's headings and targets (the first commune's; targets are per commune). */
  plan: Plan;
  communes: CommuneRow[];
  /** Per commune id: its indicators at D and one month earlier. */
  tables: Map<number, { now: IndicatorResult[]; before: IndicatorResult[]; noData: boolean }>;
  timings: { ms: number };
  cached: boolean;
};

/** Only the installation's scope (the `province` role) reads the province's pages; others get 404. */
export function requireProvinceViewer(viewer: Viewer): void {
  if (viewer.scope.kind !== "installation") throw notFound();
}

const isRatio = (code: IndicatorCode) => !COUNT_INDICATORS.includes(code);

type KeptTable = {
  /** The commune's data version read before its figures were computed (never newer than them). */
  version: number;
  planKey: string;
  table: { now: IndicatorResult[]; before: IndicatorResult[] };
};
const MAX_KEPT = 4_000;
/** Per database, per commune, date and period: the commune's figures under its data version. */
const keptByDatabase = new WeakMap<Db, Map<string, KeptTable>>();

function keptOf(db: Db): Map<string, KeptTable> {
  let kept = keptByDatabase.get(db);
  if (!kept) {
    kept = new Map();
    keptByDatabase.set(db, kept);
  }
  return kept;
}

function keep(kept: Map<string, KeptTable>, key: string, entry: KeptTable) {
  const old = kept.get(key);
  if (old && old.version > entry.version) return;
  kept.delete(key);
  kept.set(key, entry);
  while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
}

/**
 * Every commune's indicators at D and a month earlier: one pass of the engine per distinct plan
 * (usually one) and date, from memory while nothing changed anywhere in the installation.
 */
export async function loadProvinceFigures(opts: {
  db: Db;
  viewer: Viewer;
  date: string;
  period: Period;
}): Promise<ProvinceFigures> {
  requireProvinceViewer(opts.viewer);
  const { db, date, period } = opts;
  const monthBack = monthBefore(date);
  // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
  const previousDate = monthBack < period.start ? period.start : monthBack;
  const { value, cached } = await knownByVersion({
    db,
    communeId: "installation",
    key: `province|${date}|${period.code}`,
    compute: async () => {
      const t0 = performance.now();
      const rows = await listCommunesWithPlans(db);
      // Only the communes written since their figures were kept are computed again: a visit saved
      // in one commune costs the ranking that commune's pass, not the province's (1.4 s at 170).
      const kept = keptOf(db);
      const plans = new Map<string, { plan: Plan; ids: number[]; stale: number[] }>();
      const tables: ProvinceFigures["tables"] = new Map();
      for (const r of rows) {
        const plan = r.planLoaded ? await planFor(db, r.commune.id) : currentPlan();
        const planKey = JSON.stringify(plan);
        const group = plans.get(planKey) ?? { plan, ids: [], stale: [] };
        plans.set(planKey, group);
        group.ids.push(r.commune.id);
        const k = kept.get(`${r.commune.id}|${date}|${period.code}`);
        if (k && k.version === r.version && k.planKey === planKey)
          tables.set(r.commune.id, { ...k.table, noData: r.empty });
        else group.stale.push(r.commune.id);
      }
      for (const [planKey, { plan, stale: ids }] of plans) {
        if (ids.length === 0) continue;
        const [now, before] = await Promise.all([
          computeProvinceIndicators({ db, communeIds: ids, plan, date, period }),
          computeProvinceIndicators({ db, communeIds: ids, plan, date: previousDate, period }),
        ]);
        for (const id of ids) {
          const row = rows.find((r) => r.commune.id === id)!;
          const table = { now: now.get(id)!.indicators, before: before.get(id)!.indicators };
          tables.set(id, { ...table, noData: row.empty });
          keep(kept, `${id}|${date}|${period.code}`, { version: row.version, planKey, table });
        }
      }
      const first = rows[0]
        ? [...plans.values()].find((g) => g.ids.includes(rows[0]!.commune.id))
        : undefined;
      return {
        communes: rows.map((r) => r.commune),
        tables,
        plan: first?.plan ?? currentPlan(),
        ms: performance.now() - t0,
      };
    },
  });
  return {
    date,
    previousDate,
    period: period.code,
    plan: value.plan,
    communes: value.communes,
    tables: value.tables,
    timings: { ms: cached ? 0 : value.ms },
    cached,
  };
}

/** The same day a month earlier (the month's last day when it has no such day): 2026-03-31 → 2026-02-28. */
export function monthBefore(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** Whether a value meets a target, as the engine decides (≤ for a ceiling indicator). */
export function meets(code: IndicatorCode, value: number | null, target: number): boolean {
  if (value === null) return false;
  return CEILING_INDICATORS.includes(code) ? value <= target : value >= target;
}

export type RankingSort = "rank" | "name" | "value" | "change";

/**
 * The ranking of every commune on one indicator: best first (lowest first for a ceiling
 * indicator), communes without a value last; `offTarget` keeps those not meeting their target
 * (a commune without data is off target).
 */
export function rankCommunes(
  figures: ProvinceFigures,
  code: IndicatorCode,
  opts: { sort?: RankingSort; desc?: boolean; offTarget?: boolean } = {},
): CommuneFigure[] {
  const ceiling = CEILING_INDICATORS.includes(code);
  const all: CommuneFigure[] = [];
  for (const commune of figures.communes) {
    const t = figures.tables.get(commune.id);
    const indicator = t?.now.find((i) => i.code === code);
    if (!t || !indicator) continue;
    const before = t.before.find((i) => i.code === code);
    const noData = t.noData;
    const shown = noData ? { ...indicator, value: null, met: false } : indicator;
    const change =
      shown.value === null || before?.value === null || before?.value === undefined
        ? null
        : shown.value - before.value;
    all.push({ commune, indicator: shown, noData, change, rank: null });
  }
  const withValue = all
    .filter((f) => f.indicator.value !== null)
    .sort((a, b) => {
      const d = (a.indicator.value! - b.indicator.value!) * (ceiling ? 1 : -1);
      return d !== 0 ? d : compareText(a.commune.name, b.commune.name);
    });
  // Equal values share a rank (1, 2, 2, 4).
  withValue.forEach((f, i) => {
    const prev = withValue[i - 1];
    f.rank = prev && prev.indicator.value === f.indicator.value ? prev.rank : i + 1;
  });
  let rows = [...withValue, ...all.filter((f) => f.indicator.value === null)];
  if (opts.offTarget) rows = rows.filter((f) => !f.indicator.met);
  const sort = opts.sort ?? "rank";
  if (sort !== "rank" || opts.desc) {
    const key = (f: CommuneFigure): number | string | null =>
      sort === "name"
        ? f.commune.name
        : sort === "value"
          ? f.indicator.value
          : sort === "change"
            ? f.change
            : f.rank;
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      // Missing values stay at the end whichever the direction.
      if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
      const d = typeof ka === "string" ? compareText(ka, kb as string) : ka - (kb as number);
      return opts.desc ? -d : d;
    });
  }
  return rows;
}

/**
 * The province's own figure on an indicator: the sums of the communes' numerators and
 * denominators (ratios), the sum of the counts (7, 11), against the ranking plan's target.
 */
export function provinceTotal(figures: ProvinceFigures, code: IndicatorCode): ProvinceTotals {
  const target = figures.plan.indicators.find((p) => p.code === code)?.target ?? 0;
  let numerator = 0;
  let denominator = 0;
  let count = 0;
  for (const t of figures.tables.values()) {
    if (t.noData) continue;
    const ind = t.now.find((i) => i.code === code);
    if (!ind) continue;
    numerator += ind.numerator ?? 0;
    denominator += ind.denominator ?? 0;
    count += ind.value ?? 0;
  }
  if (!isRatio(code)) return { value: count, met: meets(code, count, target) };
  const value = denominator === 0 ? null : numerator / denominator;
  return { numerator, denominator, value, met: meets(code, value, target) };
}

/** A commune of the installation by its code (the province's link to its dashboard); 404 when unknown. */
export function communeOf(figures: ProvinceFigures, code: string): CommuneRow {
  const c = figures.communes.find((x) => x.code === code);
  if (!c) throw notFound();
  return c;
}
