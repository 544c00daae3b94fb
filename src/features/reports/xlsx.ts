/**
 * The report's tables as a workbook: "Thông tin" (what the report is), "Chỉ tiêu" (the 12
 * indicators), "Theo thôn" (villages × the village indicators), "Thôn chưa đạt" (one row per
 * village and indicator below target). Figures are numbers — ratios as fractions shown `0.0%`,
 * counts as integers — so they can be summed and charted; dates are dates.
 */
import ExcelJS from "exceljs";
import { CEILING_INDICATORS } from "../indicators/plan.ts";
import { communeCell, type Fmt, reportFormatter } from "./format.ts";
import type { ReportIndicator, ReportModel } from "./model.ts";

const PERCENT = "0.0%";
const PERCENT_TARGET = "0%";
const INTEGER = "#,##0";
const DATE = "dd/mm/yyyy";
const FONT = { name: "Times New Roman", size: 12 };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: "thin" },
  left: { style: "thin" },
  bottom: { style: "thin" },
  right: { style: "thin" },
};

/** A civil date as an Excel date (midnight UTC: ExcelJS writes dates in UTC, so no shift). */
const civil = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Row heights for wrapped text: neither Excel nor LibreOffice fits a row to its wrapped cells when
 * it opens a file, so each row gets the height of its tallest cell, estimated from the text's length
 * and the column's width (a column unit holds about one 12-pt Times letter).
 */
function fitRowHeights(ws: ExcelJS.Worksheet, skip: Set<number>) {
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (skip.has(n)) return;
    let lines = 1;
    row.eachCell((cell, col) => {
      if (cell.isMerged && cell.master !== cell) return;
      const width = ws.getColumn(col).width ?? 10;
      const text = cell.type === ExcelJS.ValueType.String ? String(cell.value) : "";
      const words = text.split(/\s+/);
      // Greedy word wrap, as the spreadsheet does it.
      let count = 1;
      let used = 0;
      for (const w of words) {
        const len = [...w].length;
        if (used > 0 && used + 1 + len > width - 2) {
          count++;
          used = len;
        } else used += (used > 0 ? 1 : 0) + len;
      }
      lines = Math.max(lines, count);
    });
    if (lines > 1) row.height = lines * 15.5 + 2;
  });
}

/** Bold, wrapped, centred header rows, and every used cell with the font and a thin border. */
function finish(ws: ExcelJS.Worksheet, headerRows: number, frozenColumns = 0, landscape = true) {
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = {
        ...FONT,
        ...(n <= headerRows ? { bold: true } : {}),
        ...(cell.font?.bold ? { bold: true } : {}),
      };
      cell.border = THIN;
      cell.alignment =
        n <= headerRows
          ? { wrapText: true, vertical: "middle", horizontal: "center" }
          : { wrapText: true, vertical: "middle", ...cell.alignment };
    });
  });
  ws.views = [
    { state: "frozen", xSplit: frozenColumns, ySplit: headerRows, activeCell: `A${headerRows + 1}` },
  ];
  fitRowHeights(
    ws,
    new Set(
      ws
        .getRows(1, headerRows)
        ?.filter((r) => r.height)
        .map((r) => r.number),
    ),
  );
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: landscape ? "landscape" : "portrait",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `1:${headerRows}`,
    margins: { left: 0.6, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
}

function infoSheet(wb: ExcelJS.Workbook, model: ReportModel, f: Fmt) {
  const t = f.t;
  const ws = wb.addWorksheet(t("reportdoc.sheet_info"));
  ws.columns = [{ width: 26 }, { width: 80 }];
  ws.addRow([t("reportdoc.info_field"), t("reportdoc.info_value")]);
  const rows: [string, string | Date | number][] = [
    [t("reportdoc.info_title"), model.title],
    [t("reportdoc.info_subject"), model.subject],
    [t("reportdoc.info_number"), f.bareNumber(model.number)],
    [t("reportdoc.info_issuer"), model.issuer.join(" - ")],
    [t("reportdoc.info_signed_on"), civil(model.signedOn)],
    [t("reportdoc.info_period"), `${model.period.label} (${model.period.code})`],
    [t("reportdoc.info_period_range"), civil(model.period.start)],
    [t("reportdoc.info_period_to"), civil(model.period.end)],
    [t("reportdoc.info_date"), civil(model.date)],
    ...(model.planDocument ? [[t("reportdoc.info_plan"), model.planDocument] as [string, string]] : []),
    ...(model.version !== undefined
      ? [[t("reportdoc.info_version"), model.version] as [string, number]]
      : []),
  ];
  for (const [label, value] of rows) {
    const row = ws.addRow([label, value]);
    const cell = row.getCell(2);
    if (value instanceof Date) cell.numFmt = DATE;
    cell.alignment = { horizontal: "left" };
  }
  finish(ws, 1, 0, false);
}

/** Writes a figure: a ratio as a fraction shown in percent, a count as an integer. */
function setFigure(cell: ExcelJS.Cell, kind: ReportIndicator["kind"], value: number, target = false) {
  cell.value = value;
  cell.numFmt = kind === "ratio" ? (target ? PERCENT_TARGET : PERCENT) : INTEGER;
  cell.alignment = { horizontal: "right" };
}

function indicatorSheet(wb: ExcelJS.Workbook, model: ReportModel, f: Fmt) {
  const t = f.t;
  const ws = wb.addWorksheet(t("reportdoc.sheet_indicators"));
  ws.columns = [
    { width: 6 },
    { width: 60 },
    { width: 26 },
    { width: 32 },
    { width: 10 },
    { width: 11 },
    { width: 11 },
    { width: 12 },
    { width: 11 },
    { width: 11 },
    { width: 11 },
  ];
  ws.addRow([
    t("reportdoc.col_no"),
    t("reportdoc.col_indicator"),
    t("reportdoc.col_responsible"),
    t("reportdoc.col_cooperating"),
    t("reportdoc.col_kind"),
    t("reportdoc.col_target"),
    t("reportdoc.col_minimum"),
    t("reportdoc.col_result"),
    t("reportdoc.col_numerator"),
    t("reportdoc.col_denominator"),
    t("reportdoc.col_met"),
  ]);
  for (const ind of model.indicators) {
    const row = ws.addRow([
      ind.id,
      ind.title,
      ind.responsible,
      ind.cooperating.join("; "),
      t(ind.kind === "ratio" ? "reportdoc.kind_ratio" : "reportdoc.kind_count"),
    ]);
    setFigure(row.getCell(6), ind.kind, ind.target, true);
    // A ceiling (indicator 11: at most 0 incidents) says so in the cell's format, the value stays a number.
    if (CEILING_INDICATORS.includes(ind.code)) row.getCell(6).numFmt = `"≤ "${INTEGER}`;
    if (ind.minimum !== undefined) setFigure(row.getCell(7), ind.kind, ind.minimum, true);
    if (ind.value === null) row.getCell(8).value = t("reportdoc.no_data");
    else setFigure(row.getCell(8), ind.kind, ind.value);
    if (ind.numerator !== undefined) setFigure(row.getCell(9), "count", ind.numerator);
    if (ind.denominator !== undefined) setFigure(row.getCell(10), "count", ind.denominator);
    row.getCell(11).value = f.met(ind.met);
    row.getCell(1).alignment = { horizontal: "center" };
    row.getCell(11).alignment = { horizontal: "center" };
  }
  finish(ws, 1, 2);
}

function villageSheet(wb: ExcelJS.Workbook, model: ReportModel, f: Fmt) {
  const t = f.t;
  const vt = model.villageTable;
  const idOf = new Map(model.indicators.map((i) => [i.code, i.id]));
  // A province's communes are ranked on each indicator: a fourth column per indicator, the rank.
  const ranked = vt.rows.some((r) => Object.values(r.values).some((v) => v?.rank != null));
  const per = ranked ? 4 : 3;
  const ws = wb.addWorksheet(t("reportdoc.sheet_villages"));
  ws.columns = [
    { width: 6 },
    { width: 10 },
    { width: 22 },
    ...vt.codes.flatMap(() => [
      { width: 11 },
      { width: 10 },
      { width: 10 },
      ...(ranked ? [{ width: 7 }] : []),
    ]),
  ];
  const top = ws.addRow([
    t("reportdoc.col_no"),
    t("reportdoc.col_village_code"),
    t("reportdoc.col_village"),
    ...vt.codes.flatMap((c, i) => [
      `${idOf.get(c) ?? ""}. ${vt.headings[i] ?? c}`.replace(/^\. /, ""),
      ...Array<string>(per - 1).fill(""),
    ]),
  ]);
  ws.addRow([
    "",
    "",
    "",
    ...vt.codes.flatMap(() => [
      t("reportdoc.col_result"),
      t("reportdoc.col_numerator"),
      t("reportdoc.col_denominator"),
      ...(ranked ? [t("reportdoc.col_rank")] : []),
    ]),
  ]);
  for (let c = 1; c <= 3; c++) ws.mergeCells(1, c, 2, c);
  for (let i = 0; i < vt.codes.length; i++) ws.mergeCells(1, 4 + i * per, 1, 3 + (i + 1) * per);
  top.height = 48;

  const write = (
    row: ExcelJS.Row,
    values: (code: (typeof vt.codes)[number]) => ReturnType<typeof communeCell>,
  ) => {
    vt.codes.forEach((code, i) => {
      const cell = values(code);
      if (!cell) return;
      const at = 4 + i * per;
      if (cell.value === null) row.getCell(at).value = t("reportdoc.no_data");
      else setFigure(row.getCell(at), "ratio", cell.value);
      setFigure(row.getCell(at + 1), "count", cell.numerator);
      setFigure(row.getCell(at + 2), "count", cell.denominator);
      if (ranked && cell.rank != null) {
        row.getCell(at + 3).value = cell.rank;
        row.getCell(at + 3).alignment = { horizontal: "center" };
      }
    });
  };
  vt.rows.forEach((r, n) => {
    const row = ws.addRow([n + 1, r.code, r.name]);
    row.getCell(1).alignment = { horizontal: "center" };
    write(row, (code) => r.values[code]);
  });
  const total = ws.addRow(["", "", t("reportdoc.commune_total")]);
  write(total, (code) => communeCell(model, code));
  total.eachCell({ includeEmpty: true }, (cell) => {
    cell.font = { ...FONT, bold: true };
  });
  finish(ws, 2, 3);
}

function laggingSheet(wb: ExcelJS.Workbook, model: ReportModel, f: Fmt) {
  const t = f.t;
  const idOf = new Map(model.indicators.map((i) => [i.code, i.id]));
  const ws = wb.addWorksheet(t("reportdoc.sheet_lagging"));
  ws.columns = [{ width: 6 }, { width: 10 }, { width: 22 }, { width: 36 }, { width: 11 }, { width: 11 }];
  ws.addRow([
    t("reportdoc.col_no"),
    t("reportdoc.col_village_code"),
    t("reportdoc.col_village"),
    t("reportdoc.col_indicator"),
    t("reportdoc.col_result"),
    t("reportdoc.col_target"),
  ]);
  let n = 0;
  for (const l of model.lagging) {
    for (const b of l.below) {
      const row = ws.addRow([
        ++n,
        l.code,
        l.village,
        `${idOf.get(b.code) ?? ""}. ${b.heading}`.replace(/^\. /, ""),
      ]);
      row.getCell(1).alignment = { horizontal: "center" };
      if (b.value === null) row.getCell(5).value = t("reportdoc.no_data");
      else setFigure(row.getCell(5), "ratio", b.value);
      setFigure(row.getCell(6), "ratio", b.target, true);
    }
  }
  finish(ws, 1, 3);
}

export async function renderXlsx(model: ReportModel): Promise<Buffer> {
  const f = reportFormatter(model.lang, model.level);
  const wb = new ExcelJS.Workbook();
  wb.creator = model.issuer.join(" - ");
  wb.title = `${model.title} ${model.subject}`;
  wb.subject = model.subject;
  wb.created = civil(model.signedOn);
  wb.modified = civil(model.signedOn);
  infoSheet(wb, model, f);
  indicatorSheet(wb, model, f);
  villageSheet(wb, model, f);
  laggingSheet(wb, model, f);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
