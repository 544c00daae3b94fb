import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { addDays, minusYears, type Period, parseIsoDate, parsePeriod } from "./period.ts";
import {
  CEILING_INDICATORS,
  COUNT_INDICATORS,
  type IndicatorCode,
  type Plan,
  type PlanIndicator,
} from "./plan.ts";
import {
  type Codes,
  type Communes,
  codesByCommune,
  lineKey,
  periodCounts,
  type ResidentFigures,
  reportSubmissions,
  residentFigures,
  type VillageAt,
  type VillageWindow,
  villageVisitDays,
  villageWorkAt,
  visitSpan,
  withVisits,
  workerFigures,
} from "./repo.ts";

export type Ratio = { numerator: number; denominator: number; value: number | null };

/** One indicator at D, as `bdhvs indicators --json` prints it (SPEC §7). */
export type IndicatorResult = {
  id: number;
  code: IndicatorCode;
  title: string;
  numerator?: number;
  denominator?: number;
  value: number | null;
  target: number;
  minimum?: number;
  met: boolean;
  responsible: string;
  cooperating: string[];
  byVillage?: Record<string, Ratio>;
  byUnit?: Record<string, Ratio>;
};

export type IndicatorTable = { date: string; period: string; indicators: IndicatorResult[] };

const ratio = (numerator: number, denominator: number): Ratio => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

/** The reference date and window of a request (SPEC §3, §3.1): D capped at the period's last day. */
export function resolveWindow(opts: { date?: string | undefined; period?: string | undefined; plan: Plan }) {
  const dateText = opts.date?.trim() || todayInVietnam();
  const asked = parseIsoDate(dateText);
  if (!asked) throw new AppError("validation", { message: msg("indicators.bad_date", { value: dateText }) });
  const periodText = opts.period?.trim() || asked.slice(0, 4);
  const period = parsePeriod(periodText);
  if (!period)
    throw new AppError("validation", { message: msg("indicators.bad_period", { value: periodText }) });
  if (asked < period.start)
    throw new AppError("validation", {
      message: msg("indicators.date_before_period", { date: asked, period: period.code }),
    });
  // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
  const date = asked > period.end ? period.end : asked;
  return { date, period };
}

/** What the database says of one commune at D: the sums the indicators are made of. */
type Figures = {
  res: ResidentFigures[];
  villages: Omit<VillageAt, "d">[];
  counts: { learning_days: number; serious_incidents: number };
  codes: Codes;
  /** Period code → first submission date (yyyy-mm-dd) on or before D. */
  submitted: Map<string, string>;
};

/** The engine's statements, each of which a cache may keep by the families it reads (cache.ts). */
export type EnginePart =
  | "residentFigures"
  | "workerFigures"
  | "villageFigures"
  | "periodCounts"
  | "codes"
  | "reportSubmissions"
  | "residentTrend"
  | "workerTrend"
  | "villageTrend"
  | "villageVisits";

/**
 * Runs one statement of the engine: `key` names its arguments besides the commune. The plain one
 * runs it; the cache's keeps its answer by the versions of the families it reads.
 */
export type Memo = <T>(part: EnginePart, key: string, compute: () => Promise<T>) => Promise<T>;
export const runNow: Memo = (_part, _key, compute) => compute();

/** The five statements behind the indicators, for one commune or several at once. */
async function gather(opts: {
  db: Db;
  communes: Communes;
  date: string;
  period: Period;
  memo?: Memo;
  visitWindows?: readonly VillageWindow[] | undefined;
}) {
  const { db, communes, date, period } = opts;
  const memo = opts.memo ?? runNow;
  const cuts = { date, adult: minusYears(date, 18), age16: minusYears(date, 16) };
  const window = `${period.start}|${date}`;
  const windows = [{ periodStart: period.start, date, since: addDays(date, -90) }];
  // The visited days of a wider span serve as well (`withVisits` reads each window's own days).
  const span = visitSpan([...windows, ...(opts.visitWindows ?? [])]);
  const [resWithout, workers, work, visited, counts, codes, submissions] = await Promise.all([
    memo("residentFigures", date, () => residentFigures(db, communes, cuts)),
    memo("workerFigures", date, () => workerFigures(db, communes, cuts)),
    memo("villageFigures", window, () => villageWorkAt(db, communes, windows)),
    memo("villageVisits", `${span.from}|${span.to}`, () => villageVisitDays(db, communes, span)),
    memo("periodCounts", window, () => periodCounts(db, communes, { periodStart: period.start, date })),
    memo("codes", "", () => codesByCommune(db, communes)),
    memo("reportSubmissions", date, () => reportSubmissions(db, communes, date)),
  ]);
  // The workers reached on each line (a copy: the kept lines stay as they are).
  const reached = new Map(workers.map((w) => [lineKey(w), w.worker_reached]));
  const res: ResidentFigures[] = resWithout.map((r) => ({
    ...r,
    worker_reached: reached.get(lineKey(r)) ?? 0,
  }));
  const villages = withVisits(work, visited, windows).map(({ d: _d, ...v }) => v);
  const byCommune = new Map<number, Figures>();
  for (const [id, c] of codes) {
    byCommune.set(id, {
      res: [],
      villages: [],
      counts: { learning_days: 0, serious_incidents: 0 },
      codes: c,
      submitted: new Map(),
    });
  }
  for (const r of res) byCommune.get(r.commune_id)?.res.push(r);
  for (const v of villages) byCommune.get(v.commune_id)?.villages.push(v);
  for (const c of counts) {
    const f = byCommune.get(c.commune_id);
    if (f) f.counts = c;
  }
  for (const r of submissions) byCommune.get(r.commune_id)?.submitted.set(r.period, r.first_submitted);
  return byCommune;
}

/**
 * The plan's indicators computed at D for a period (SPEC §3), aggregated in the database. Indicator 12
 * counts the plan's reports due from the period's start to D, and among them those whose period had
 * a report submitted (by D) on or before its due date.
 */
export async function computeIndicators(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  date: string;
  period: Period;
  /** How each statement runs (cache.ts keeps them by data version); default: at once. */
  memo?: Memo;
  /**
   * Windows whose visited days are read with the 90 before D (cache.ts gives the trend's,
   * `trendWindows`, so that one statement serves both through `memo`).
   */
  visitWindows?: readonly VillageWindow[];
}): Promise<IndicatorTable> {
  const figures = (await gather({ ...opts, communes: opts.communeId })).get(opts.communeId)!;
  return assemble(opts, figures);
}

/**
 * computeIndicators for many communes (a province) in one pass: the same statements over all of
 * them, grouped by commune, so a province's table costs about one commune's round trips.
 */
export async function computeProvinceIndicators(opts: {
  db: Db;
  communeIds: readonly number[];
  plan: Plan;
  date: string;
  period: Period;
}): Promise<Map<number, IndicatorTable>> {
  const all = await gather({ ...opts, communes: opts.communeIds });
  const out = new Map<number, IndicatorTable>();
  for (const id of opts.communeIds) {
    out.set(id, assemble(opts, all.get(id)!));
  }
  return out;
}

function assemble(
  opts: { plan: Plan; date: string; period: Period },
  { res, villages, counts, codes, submitted }: Figures,
): IndicatorTable {
  const { date, period } = opts;
  const total = res.find((r) => r.level === 3);
  const byVillageRows = res.filter((r) => r.level === 1);
  const byUnitRows = res.filter((r) => r.level === 2 && r.unit_id !== null);
  const villageCodes = [...codes.villages.entries()].sort((a, b) => a[1].localeCompare(b[1]));

  const sum = (k: keyof Omit<(typeof res)[number], "commune_id" | "village_id" | "unit_id" | "level">) =>
    total?.[k] ?? 0;
  const perVillage = (num: keyof (typeof res)[number], den: keyof (typeof res)[number]) =>
    Object.fromEntries(
      villageCodes.map(([id, code]) => {
        const r = byVillageRows.find((x) => x.village_id === id);
        return [code, ratio(Number(r?.[num] ?? 0), Number(r?.[den] ?? 0))];
      }),
    );
  const perUnit = (num: keyof (typeof res)[number], den: keyof (typeof res)[number]) =>
    Object.fromEntries(
      byUnitRows
        .filter((r) => Number(r[den]) > 0)
        .map((r) => [codes.units.get(r.unit_id!)!, ratio(Number(r[num]), Number(r[den]))])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

  const homes = res.filter((r) => r.level === 4);
  const homesBy = new Map(homes.map((h) => [h.village_id, h]));
  const dueReports = (opts.plan.reports ?? []).filter((r) => r.due >= period.start && r.due <= date);
  const onTime = dueReports.filter((r) => {
    const first = submitted.get(r.period);
    return first !== undefined && first <= r.due;
  }).length;
  const teamActive = (v: (typeof villages)[number]) => v.members >= 3 && v.worked;

  const figures: Record<IndicatorCode, Omit<IndicatorResult, keyof PlanIndicator | "met" | "title">> = {
    public_sector_skills: {
      ...ratio(sum("public_sector_skilled"), sum("public_sector")),
      byUnit: perUnit("public_sector_skilled", "public_sector"),
    },
    student_skills: {
      ...ratio(sum("student_skilled"), sum("student")),
      byUnit: perUnit("student_skilled", "student"),
    },
    adult_skills: {
      ...ratio(sum("adult_skilled"), sum("adult")),
      byVillage: perVillage("adult_skilled", "adult"),
    },
    adult_vneid_confirmed: {
      ...ratio(sum("adult_confirmed"), sum("adult")),
      byVillage: perVillage("adult_confirmed", "adult"),
    },
    worker_access: {
      ...ratio(sum("worker_reached"), sum("worker")),
      byUnit: perUnit("worker_reached", "worker"),
    },
    village_propaganda: {
      ...ratio(villages.filter((v) => v.propaganda).length, villages.length),
      byVillage: Object.fromEntries(villages.map((v) => [v.code, ratio(v.propaganda ? 1 : 0, 1)])),
    },
    digital_learning_day: { value: counts.learning_days },
    active_village_teams: {
      ...ratio(villages.filter(teamActive).length, villages.length),
      byVillage: Object.fromEntries(villages.map((v) => [v.code, ratio(teamActive(v) ? 1 : 0, 1)])),
    },
    vneid_16plus: {
      ...ratio(sum("age16_vneid"), sum("age16")),
      byVillage: perVillage("age16_vneid", "age16"),
    },
    digital_households: {
      ...ratio(
        homes.reduce((n, h) => n + h.digital, 0),
        homes.reduce((n, h) => n + h.households, 0),
      ),
      byVillage: Object.fromEntries(
        villageCodes.map(([id, code]) => {
          const h = homesBy.get(id);
          return [code, ratio(h?.digital ?? 0, h?.households ?? 0)];
        }),
      ),
    },
    security_incidents: { value: counts.serious_incidents },
    reports_on_time: ratio(onTime, dueReports.length),
  };

  return {
    date,
    period: period.code,
    indicators: opts.plan.indicators.map((p) => {
      const f = figures[p.code];
      const ceiling = CEILING_INDICATORS.includes(p.code);
      const met = f.value === null ? false : ceiling ? f.value <= p.target : f.value >= p.target;
      const { byVillage, byUnit, ...head } = f;
      return {
        id: p.id,
        code: p.code,
        title: p.title,
        ...head,
        target: p.target,
        ...(p.minimum === undefined ? {} : { minimum: p.minimum }),
        met,
        responsible: p.responsible,
        cooperating: p.cooperating,
        ...(byVillage ? { byVillage } : {}),
        ...(byUnit ? { byUnit } : {}),
      } satisfies IndicatorResult;
    }),
  };
}

export const isCount = (code: IndicatorCode) => COUNT_INDICATORS.includes(code);
