import type { Db } from "../../db/client.ts";
import { addDays, minusYears, monthEnds, type Period } from "./period.ts";
import type { IndicatorCode, Plan } from "./plan.ts";
import {
  residentTrend,
  type VillageAt,
  villageVisitDays,
  villageWorkAt,
  visitSpan,
  withVisits,
  workerTrend,
} from "./repo.ts";
import { type Memo, runNow } from "./service.ts";

export type TrendPoint = { date: string; value: number | null };

/** SPEC §3.2 for one ratio indicator. */
export type Trend = {
  code: IndicatorCode;
  /** The value at each month's end so far, then at D. */
  points: TrendPoint[];
  /** Points (percentage points, 0–100) per month over the last three months; null without two values. */
  pacePerMonth: number | null;
  /** When the target is reached at that pace; null when already met or the pace is not rising. */
  reachDate: string | null;
  /** Whether it is already met at D. */
  met: boolean;
  /** People (or households) per week still needed to reach the target by the plan's end; null when not countable. */
  perWeek: number | null;
  /** How many are still missing for the target at D. */
  missing: number | null;
};

type Figures = { numerator: number; denominator: number };
const value = (f: Figures) => (f.denominator === 0 ? null : f.numerator / f.denominator);

const RESIDENT_PAIRS = {
  public_sector_skills: ["public_sector_skilled", "public_sector"],
  student_skills: ["student_skilled", "student"],
  adult_skills: ["adult_skilled", "adult"],
  adult_vneid_confirmed: ["adult_confirmed", "adult"],
  worker_access: ["worker_reached", "worker"],
  vneid_16plus: ["age16_vneid", "age16"],
  digital_households: ["digital", "households"],
} as const;

const DAY = 86_400_000;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY;

/**
 * The trend's points (each month's end from the plan's start, or the period's, then D) and their
 * windows. Its last window is the indicators' own (D and the 90 days before), so a dashboard reads
 * the visited days once for both (`computeIndicators`' `visitWindows`).
 */
export function trendWindows(opts: { plan: Plan; date: string; period: Period }) {
  const { plan, date } = opts;
  const from = plan.startDate < date ? plan.startDate : opts.period.start;
  const dates = [...monthEnds(from, date), date];
  const windows = dates.map((d) => ({ periodStart: from, date: d, since: addDays(d, -90) }));
  return { from, dates, windows };
}

/**
 * The month-end values of the plan's ratio indicators from the plan's start (or the period's) to D,
 * the pace over the last three months, the date the target is reached at that pace and the number
 * per week still needed by the plan's end date (SPEC §3.2). Computed live, in two statements for all the points.
 */
export async function computeTrends(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  date: string;
  period: Period;
  /** How each statement runs (cache.ts keeps them by data version); default: at once. */
  memo?: Memo;
}): Promise<Trend[]> {
  const { db, communeId, plan, date } = opts;
  const memo = opts.memo ?? runNow;
  const { from, dates, windows } = trendWindows(opts);
  const cuts = dates.map((d) => ({ date: d, adult: minusYears(d, 18), age16: minusYears(d, 16) }));
  // Dates are distinct (month ends before D, then D). The two statements cover every point.
  const key = `${from}|${dates.join(",")}`;
  const span = visitSpan(windows);
  // The visits apart: a visit recomputes which days were visited, not every month end's team work.
  const [withoutWorkers, workers, work, visited] = await Promise.all([
    memo("residentTrend", key, () => residentTrend(db, communeId, cuts)),
    memo("workerTrend", key, () => workerTrend(db, communeId, cuts)),
    memo("villageTrend", key, () => villageWorkAt(db, communeId, windows)),
    memo("villageVisits", `${span.from}|${span.to}`, () => villageVisitDays(db, communeId, span)),
  ]);
  const villageRows = withVisits(work, visited, windows);
  const reached = new Map(workers.map((w) => [w.d, w.worker_reached]));
  const trendRows = withoutWorkers.map((r) => ({ ...r, worker_reached: reached.get(r.d) ?? 0 }));
  // A commune without active residents has no row per date (the cross join is empty): zeros then.
  const found = new Map(trendRows.map((r) => [r.d, r]));
  const zero = Object.fromEntries(
    Object.values(RESIDENT_PAIRS)
      .flat()
      .map((k) => [k, 0]),
  ) as Record<(typeof RESIDENT_PAIRS)[keyof typeof RESIDENT_PAIRS][number], number>;
  const residents = dates.map((d) => found.get(d) ?? { d, ...zero });
  // Propaganda counts over the trend's own window (the plan year), the teams over 90 days.
  const byDate = new Map<string, VillageAt[]>(dates.map((d) => [d, []]));
  for (const v of villageRows) byDate.get(v.d)!.push(v);
  const villages = dates.map((d) => byDate.get(d)!);
  const weeksLeft = Math.max(0, days(date, plan.endDate)) / 7;

  return plan.indicators.flatMap((ind): Trend[] => {
    let series: Figures[];
    let countable = true;
    if (ind.code in RESIDENT_PAIRS) {
      const [num, den] = RESIDENT_PAIRS[ind.code as keyof typeof RESIDENT_PAIRS];
      series = residents.map((r) => ({ numerator: r[num], denominator: r[den] }));
    } else if (ind.code === "village_propaganda" || ind.code === "active_village_teams") {
      countable = false;
      series = villages.map((vs) => ({
        numerator: vs.filter((v) =>
          ind.code === "village_propaganda" ? v.propaganda : v.members >= 3 && v.worked,
        ).length,
        denominator: vs.length,
      }));
    } else return [];
    const points = series.map((f, i) => ({ date: dates[i]!, value: value(f) }));
    const last = points.at(-1)!;
    const backIndex = Math.max(0, points.length - 4);
    const back = points[backIndex]!;
    const months = days(back.date, last.date) / 30.4375;
    const pace =
      last.value === null || back.value === null || months <= 0
        ? null
        : ((last.value - back.value) * 100) / months;
    const met = last.value !== null && last.value >= ind.target;
    const reachDate =
      met || pace === null || pace <= 0 || last.value === null
        ? null
        : addDays(date, Math.ceil((((ind.target - last.value) * 100) / pace) * 30.4375));
    const now = series.at(-1)!;
    const missing =
      now.denominator === 0
        ? null
        : Math.max(0, Math.ceil(ind.target * now.denominator - now.numerator - 1e-9));
    const perWeek =
      !countable || missing === null
        ? null
        : missing === 0
          ? 0
          : weeksLeft <= 0
            ? missing
            : Math.ceil(missing / weeksLeft);
    return [{ code: ind.code, points, pacePerMonth: pace, reachDate, met, perWeek, missing }];
  });
}
