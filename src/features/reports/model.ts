import type { IndicatorCode } from "../indicators/plan.ts";

/**
 * Everything an official report shows (SPEC §6, issue 6), already computed and worded: the DOCX,
 * XLSX and PDF writers only lay it out, so the three files cannot disagree with each other or with
 * `bdhvs indicators` for the same date and period. A submitted report keeps this object (JSON) as
 * its frozen snapshot.
 */
export type ReportModel = {
  /** Language of the document's fixed words (headings, table headers): the catalog's `vi` or `en`. */
  lang: "vi" | "en";
  /** The issuing body (top left): e.g. ["UBND XÃ TÂN NINH"] or ["UBND XÃ TÂN NINH", "PHÒNG VĂN HÓA - XÃ HỘI"]. */
  issuer: string[];
  /** Number and symbol, e.g. "Số: 12/BC-UBND" (the number may be left blank: "Số:     /BC-UBND"). */
  number: string;
  /** Place and date line: place name and the ISO date of signature, e.g. "Tân Ninh", "2026-09-18". */
  place: string;
  signedOn: string;
  /** Title block: "BÁO CÁO" and the subject line under it. */
  title: string;
  subject: string;
  /** The period and reference date the figures are computed for. */
  period: { code: string; label: string; start: string; end: string };
  date: string;
  /** Plan the report answers to (e.g. "Kế hoạch số 63/KH-UBND ngày 30/3/2026 của UBND xã Tân Ninh"). */
  planDocument?: string;
  /** Body sections, in order; narrative ones were edited by the officer before export. */
  sections: ReportSection[];
  /** The appendix: the plan's indicators, in plan order. */
  indicators: ReportIndicator[];
  /** Per-village table: the village-level indicators (SPEC §3: 3, 4, 6, 8, 9, 10). */
  villageTable: {
    codes: IndicatorCode[];
    /** Short column headings for those codes, same order. */
    headings: string[];
    rows: ReportVillageRow[];
  };
  /** Villages below target on at least one village-level indicator, worst first. */
  lagging: {
    village: string;
    code: string;
    below: { code: IndicatorCode; heading: string; value: number | null; target: number }[];
  }[];
  /** Charts: each an SVG (ECharts server rendering) with a caption and the same data as a table. */
  charts: ReportChart[];
  /** "Nơi nhận:" lines. */
  recipients: string[];
  /** Signature block (bottom right): e.g. ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], then the signer's name. */
  signature: { lines: string[]; name: string };
  /** Set when the report was submitted: version, status; shown in the footer or under the title. */
  version?: number;
  /** A draft's files: every page is headed "DỰ THẢO" (never set in a submitted snapshot). */
  draft?: boolean;
  /**
   * What the rows of `villageTable` and `lagging` are: a commune's villages (the default), or a
   * province's communes (the province report, issue 18.3: its headings say "Xã", "Toàn tỉnh").
   */
  level?: "villages" | "communes";
};

export type ReportSection = {
  /** e.g. "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" */
  heading: string;
  /** Plain text paragraphs (no markup); a paragraph starting with "- " is a bullet. */
  paragraphs: string[];
  /** True for parts the officer wrote or edited (difficulties, next steps, …). */
  narrative: boolean;
};

export type ReportIndicator = {
  id: number;
  code: IndicatorCode;
  title: string;
  responsible: string;
  cooperating: string[];
  /** Count indicators (7, 11) have value = the count and no numerator/denominator. */
  kind: "ratio" | "count";
  target: number;
  minimum?: number;
  numerator?: number;
  denominator?: number;
  /** Fraction 0–1 for ratios, the count for counts; null when the denominator is 0 ("no data"). */
  value: number | null;
  met: boolean;
};

export type ReportVillageRow = {
  code: string;
  name: string;
  /** Keyed by indicator code (those of villageTable.codes). */
  values: Partial<
    Record<
      IndicatorCode,
      { numerator: number; denominator: number; value: number | null; rank?: number | null }
    >
  >;
};

export type ReportChart = {
  caption: string;
  svg: string;
  width: number;
  height: number;
  /** The data behind the chart, as a small table (header + rows of text). */
  table: { header: string[]; rows: string[][] };
};
