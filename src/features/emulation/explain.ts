/**
 * A score's explanation in words, one function for the page, the API's `explanation` and the DOCX,
 * so the three print the same figures to the character: `Hoạt động: 75% × 30% = 22,5 điểm`.
 */
import { formatNumber, formatPercent, type Lang, translator } from "../../lib/i18n/index.ts";
import type { Component, Figure, ScoreEntry } from "./score.ts";

/** `85,3%` (no space, the official documents' way, the same on the page). */
export const pct = (lang: Lang, x: number) => formatPercent(lang, x, 1).replace(/\u00a0/g, "");
/** A score in points: `86,5`. */
export const points = (lang: Lang, x: number) => formatNumber(lang, x, { digits: 1 });

export function figureText(lang: Lang, f: Figure): string {
  const t = translator(lang);
  const key = `emulation.figure.${f.what}` as Parameters<typeof t>[0];
  return t(key, {
    actual: formatNumber(lang, f.actual),
    expected: formatNumber(lang, f.expected, { digits: 1 }),
  });
}

/** "Hoạt động: 75% × 30% = 22,5 điểm (lớp học 3/3, buổi học 10/12, lượt đến hộ 25/30)". */
export function componentText(lang: Lang, c: Component): string {
  const t = translator(lang);
  const component = t(`emulation.component.${c.key}`);
  if (c.share === null || c.points === null)
    return t("emulation.component_line_none", { component, weight: formatNumber(lang, c.weight) });
  const line = t("emulation.component_line", {
    component,
    share: pct(lang, c.share),
    weight: pct(lang, c.effectiveWeight),
    points: points(lang, c.points),
  });
  const figures = c.figures.filter((f) => f.expected > 0).map((f) => figureText(lang, f));
  return figures.length ? `${line} (${figures.join(", ")})` : line;
}

export function scoreText(lang: Lang, e: Pick<ScoreEntry, "score">): string {
  return e.score === null ? translator(lang)("emulation.no_score") : points(lang, e.score);
}

/** Every component of an entry, one line each. */
export function explainEntry(lang: Lang, e: Pick<ScoreEntry, "components">): string[] {
  return e.components.map((c) => componentText(lang, c));
}
