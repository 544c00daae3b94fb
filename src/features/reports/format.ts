/**
 * The words and figures the three writers print, in one place so the DOCX, the PDF and the tests
 * agree to the character. Percentages are written as official documents write them: `85,3%`
 * (no space before the sign, unlike the web pages' `85,3 %`).
 */

import {
  formatDate,
  formatNumber,
  formatPercent,
  type MsgKey,
  type T,
  translator,
} from "../../lib/i18n/index.ts";
import { CEILING_INDICATORS, COUNT_INDICATORS, type IndicatorCode } from "../indicators/plan.ts";
import type { ReportIndicator, ReportModel, ReportVillageRow } from "./model.ts";

/** Village-level indicators whose village entry is a yes/no (1/1 or 0/1, SPEC §7): printed "Có"/"Chưa". */
export const YES_NO_VILLAGE_CODES: readonly IndicatorCode[] = ["village_propaganda", "active_village_teams"];

export type Fmt = ReturnType<typeof reportFormatter>;

/** The fixed words that name the rows when they are a province's communes, not a commune's villages. */
const COMMUNE_LEVEL_KEYS: Partial<Record<MsgKey, MsgKey>> = {
  "reportdoc.col_village": "reportdoc.col_commune",
  "reportdoc.col_village_code": "reportdoc.col_commune_code",
  "reportdoc.part_villages": "reportdoc.part_communes",
  "reportdoc.part_lagging": "reportdoc.part_lagging_communes",
  "reportdoc.commune_total": "reportdoc.province_total",
  "reportdoc.lagging_none": "reportdoc.lagging_none_communes",
  "reportdoc.sheet_villages": "reportdoc.sheet_communes",
  "reportdoc.sheet_lagging": "reportdoc.sheet_lagging_communes",
};

export function reportFormatter(lang: ReportModel["lang"], level: ReportModel["level"] = "villages") {
  const base: T = translator(lang);
  const t: T = level === "communes" ? (key, params) => base(COMMUNE_LEVEL_KEYS[key] ?? key, params) : base;
  /** `85,3%`; a result keeps its decimal (`58,0%`) so a column of results lines up, a target drops it (`100%`). */
  const pct = (fraction: number, fixed = false) =>
    formatPercent(lang, fraction, 1, { fixed }).replace(/\u00a0/g, "");
  const count = (n: number) => formatNumber(lang, n);
  const fraction = (numerator: number, denominator: number) => `${count(numerator)}/${count(denominator)}`;
  const figure = (kind: ReportIndicator["kind"], value: number, fixed = false) =>
    kind === "ratio" ? pct(value, fixed) : count(value);

  return {
    t,
    pct,
    count,
    fraction,
    /** The result column: `85,3%`, `100,0%`, a count, or "Chưa có số liệu". */
    result: (ind: ReportIndicator) =>
      ind.value === null ? t("reportdoc.no_data") : figure(ind.kind, ind.value, true),
    /** The target column: `95% (tối thiểu 80%)`, `1`, or "Không quá 0" for a ceiling. */
    target: (ind: ReportIndicator) => {
      const base = figure(ind.kind, ind.target);
      const text = CEILING_INDICATORS.includes(ind.code) ? t("reportdoc.at_most", { value: base }) : base;
      return ind.minimum === undefined
        ? text
        : `${text} (${t("reportdoc.minimum", { value: figure(ind.kind, ind.minimum) })})`;
    },
    /** The numerator/denominator column: `1.234/1.446`; empty for counts. */
    fractionOf: (ind: ReportIndicator) =>
      ind.numerator !== undefined && ind.denominator !== undefined
        ? fraction(ind.numerator, ind.denominator)
        : "",
    met: (met: boolean) => t(met ? "reportdoc.met" : "reportdoc.not_met"),
    /** The appendix table's header, the same in the DOCX and the PDF. */
    indicatorHeader: () => [
      t("reportdoc.col_no"),
      t("reportdoc.col_indicator"),
      t("reportdoc.col_responsible"),
      t("reportdoc.col_cooperating"),
      t("reportdoc.col_target"),
      t("reportdoc.col_result"),
      t("reportdoc.col_fraction"),
      t("reportdoc.col_met"),
    ],
    /** The village table's header: "3. Người lớn có kỹ năng số", … after the number and the village. */
    villageHeader: (model: ReportModel) => {
      const vt = model.villageTable;
      const idOf = new Map(model.indicators.map((i) => [i.code, i.id]));
      return [
        t("reportdoc.col_no"),
        t("reportdoc.col_village"),
        ...vt.codes.map((c, i) => `${idOf.get(c) ?? ""}. ${vt.headings[i] ?? c}`.replace(/^\. /, "")),
      ];
    },
    /** A village cell: [the result, the fraction under it]; a village's yes/no indicator is "Có"/"Chưa" (the total row counts villages). */
    villageCell: (
      code: IndicatorCode,
      cell: ReportVillageRow["values"][IndicatorCode],
      total = false,
    ): [string, string] => {
      if (!cell) return ["", ""];
      if (!total && level === "villages" && YES_NO_VILLAGE_CODES.includes(code))
        return [t(cell.numerator > 0 ? "reportdoc.yes" : "reportdoc.no"), ""];
      if (cell.value === null) return [t("reportdoc.no_data"), ""];
      const rank = cell.rank ? ` ${t("reportdoc.rank", { rank: cell.rank })}` : "";
      return [pct(cell.value, true), `${fraction(cell.numerator, cell.denominator)}${rank}`];
    },
    /** One line of the lagging list: "Người lớn có kỹ năng số: 62,1% (mục tiêu 100%)", "Tổ công nghệ số hoạt động: chưa". */
    below: (b: ReportModel["lagging"][number]["below"][number]) =>
      COUNT_INDICATORS.includes(b.code)
        ? t("reportdoc.below_item", {
            heading: b.heading,
            value: b.value === null ? t("reportdoc.no_data") : count(b.value),
            target: CEILING_INDICATORS.includes(b.code)
              ? t("reportdoc.at_most", { value: count(b.target) })
              : count(b.target),
          })
        : level === "villages" && YES_NO_VILLAGE_CODES.includes(b.code)
          ? `${b.heading}: ${t("reportdoc.no").toLocaleLowerCase(lang)}`
          : t("reportdoc.below_item", {
              heading: b.heading,
              value: b.value === null ? t("reportdoc.no_data") : pct(b.value, true),
              target: pct(b.target),
            }),
    /** "Tân Ninh, ngày 18 tháng 9 năm 2026" (Decree 30: a 0 before days < 10 and months 1, 2). */
    placeDate: (place: string, iso: string) => {
      const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
      if (lang === "en") {
        const month = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(
          new Date(Date.UTC(y, m - 1, 1)),
        );
        return t("reportdoc.place_date", { place, day: d, month, year: y });
      }
      const day = String(d).padStart(2, "0");
      const month = m <= 2 ? String(m).padStart(2, "0") : String(m);
      return t("reportdoc.place_date", { place, day, month, year: y });
    },
    date: (iso: string) => formatDate(lang, iso),
    /** "12/BC-UBND" from "Số: 12/BC-UBND" (the appendix names the report it is attached to). */
    bareNumber: (number: string) => number.replace(/^\s*(Số|No\.?)\s*:\s*/i, ""),
  };
}

/** The commune figure of a village-level indicator, for the village table's total row. */
export function communeCell(
  model: ReportModel,
  code: IndicatorCode,
): ReportVillageRow["values"][IndicatorCode] {
  const ind = model.indicators.find((i) => i.code === code);
  if (!ind || ind.numerator === undefined || ind.denominator === undefined) return undefined;
  return { numerator: ind.numerator, denominator: ind.denominator, value: ind.value };
}
