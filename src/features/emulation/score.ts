/**
 * The emulation score (issue 19.2), as plain functions of the figures: each component's share
 * (0–1), its weight from the plan, the weights re-normalised over the components that have data,
 * and the score in points (0–100). The page, the API and the DOCX all print what these return.
 */
import type { Emulation } from "../indicators/plan.ts";

export const COMPONENTS = ["indicators", "activity", "reports", "tasks"] as const;
export type ComponentKey = (typeof COMPONENTS)[number];
export type EntityKind = "village" | "unit";

/** One figure behind a component: what was counted against what was expected. */
export type Figure = {
  /** What it counts: `indicators_met`, `classes`, `sessions`, `visits`, `reports_on_time`, `tasks_on_time`. */
  what: string;
  actual: number;
  /** What was expected (indicators with data, the plan's monthly rate × months, items due). */
  expected: number;
};

export type Component = {
  key: ComponentKey;
  /** The plan's weight (points). */
  weight: number;
  /** The share of the weight this component carries once components without data are left out (0–1). */
  effectiveWeight: number;
  /** 0–1, or null: no data ("chưa có dữ liệu") and the weight is left out. */
  share: number | null;
  figures: Figure[];
  /** Points this component adds to the score (share × effective weight × 100), null without data. */
  points: number | null;
};

export type ScoreEntry = {
  kind: EntityKind;
  id: number;
  code: string;
  name: string;
  /** 0–100 with one decimal, or null when no component has data. */
  score: number | null;
  /** 1 for the best; equal scores share a rank; null without a score. */
  rank: number | null;
  /** How many entries of this kind have a score (the "of" in "1st of 20"). */
  of: number;
  components: Component[];
  /** True when some components had no data and the weights were re-normalised. */
  renormalised: boolean;
};

/** Rounds to one decimal the way the page prints it, so a tie on the page is a tie in the ranking. */
const round1 = (x: number) => Math.round(x * 10) / 10;

/** A share from figures: the mean of each figure's actual/expected, capped at 1; null without any expected. */
export function shareOf(figures: Figure[]): number | null {
  const counted = figures.filter((f) => f.expected > 0);
  if (counted.length === 0) return null;
  return counted.reduce((sum, f) => sum + Math.min(1, f.actual / f.expected), 0) / counted.length;
}

/** The components of one entry (figures per key, null when there is nothing to count) and its score. */
export function scoreEntry(
  rules: Emulation,
  figures: Record<ComponentKey, Figure[] | null>,
): { score: number | null; components: Component[]; renormalised: boolean } {
  const raw = COMPONENTS.map((key) => {
    const f = figures[key];
    return { key, weight: rules.weights[key], figures: f ?? [], share: f ? shareOf(f) : null };
  });
  const counted = raw.filter((c) => c.share !== null && c.weight > 0);
  const total = counted.reduce((s, c) => s + c.weight, 0);
  const components: Component[] = raw.map((c) => {
    const effectiveWeight = c.share !== null && total > 0 ? c.weight / total : 0;
    return {
      ...c,
      effectiveWeight,
      points: c.share === null || total === 0 ? null : round1(c.share * effectiveWeight * 100),
    };
  });
  const score =
    total === 0 ? null : round1(counted.reduce((s, c) => s + c.share! * (c.weight / total), 0) * 100);
  const renormalised = raw.some((c) => c.weight > 0 && c.share === null);
  return { score, components, renormalised };
}

/** Ranks entries of one kind: best score first, equal scores share a rank, those without a score last. */
export function rankEntries<E extends { score: number | null; name: string }>(
  entries: E[],
  compareNames: (a: string, b: string) => number,
): (E & { rank: number | null; of: number })[] {
  const sorted = [...entries].sort((a, b) => {
    if (a.score === null || b.score === null) return a.score === null ? (b.score === null ? 0 : 1) : -1;
    return b.score - a.score || compareNames(a.name, b.name);
  });
  const of = sorted.filter((e) => e.score !== null).length;
  let rank = 0;
  let last: number | null = null;
  return sorted.map((e, i) => {
    if (e.score === null) return { ...e, rank: null, of };
    if (e.score !== last) {
      rank = i + 1;
      last = e.score;
    }
    return { ...e, rank, of };
  });
}

/** Whole months the window touches, from the period's first month to D's month. */
export function monthsIn(start: string, date: string): number {
  const [y1, m1] = start.split("-").map(Number) as [number, number];
  const [y2, m2] = date.split("-").map(Number) as [number, number];
  return Math.max(1, (y2 - y1) * 12 + (m2 - m1) + 1);
}
