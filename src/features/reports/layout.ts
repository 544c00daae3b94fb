/**
 * The page geometry and type sizes of Decree 30/2020/NĐ-CP (Appendix I) that the DOCX and the PDF
 * share, in millimetres and points. The body is A4 portrait; the appendix (wide tables) is A4
 * landscape with its own page numbers, as the decree has appendices numbered on their own.
 */
export const PAGE = {
  /** A4 in mm. */
  width: 210,
  height: 297,
  /** Margins in mm: the decree's ranges are top/bottom 20–25, left 30–35, right 15–20. */
  top: 20,
  bottom: 20,
  left: 30,
  right: 15,
  /** Where the page number stands: its distance from the top edge, mm. */
  header: 10,
} as const;

/** Text width of a portrait page, mm (165). */
export const BODY_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** Text width of a landscape appendix page, mm (252): the same margins, the binding edge kept on the left. */
export const APPENDIX_WIDTH = PAGE.height - PAGE.left - PAGE.right;

/** Type sizes in points. */
export const SIZE = {
  body: 14,
  issuer: 13,
  number: 13,
  mottoCountry: 12,
  mottoSlogan: 14,
  placeDate: 14,
  title: 14,
  recipientsHeading: 12,
  recipients: 11,
  signature: 14,
  table: 12,
  tableSmall: 11,
  pageNumber: 13,
  caption: 13,
} as const;

/** The header table's columns, mm: the issuing body on the left, the national motto on the right. */
export const HEADER_COLUMNS = [62, 103] as const;
/** The closing table's columns, mm: "Nơi nhận" on the left, the signature on the right. */
export const CLOSING_COLUMNS = [80, 85] as const;

/**
 * Width of "Độc lập - Tự do - Hạnh phúc" in Times New Roman (Tinos) bold 14 pt, measured with the
 * font's metrics: the rule under it is as long as the line (the decree).
 */
export const SLOGAN_WIDTH_MM = 60.4;

/** Rough width of an upper-case bold line (0.61 em a letter, measured on Tinos bold): for the short rules. */
export function capsWidthMm(text: string, pt: number): number {
  return ([...text].length * 0.61 * pt * 25.4) / 72;
}

/** The appendix tables' column widths, mm, each set summing to APPENDIX_WIDTH. */
export const INDICATOR_COLUMNS = [12, 71, 35, 40, 24, 20, 32, 18] as const;
export const LAGGING_COLUMNS = [12, 50, 190] as const;
export function villageColumns(n: number): number[] {
  const first = [12, 44];
  const rest = (APPENDIX_WIDTH - first[0]! - first[1]!) / Math.max(n, 1);
  return [...first, ...Array.from({ length: n }, () => rest)];
}
/** Charts in the appendix: at most this wide and this tall, mm (a chart and its caption fit a page). */
export const CHART_MAX = { width: 200, height: 150 } as const;

export function chartSizeMm(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(CHART_MAX.width / width, CHART_MAX.height / height);
  return { width: width * scale, height: height * scale };
}
