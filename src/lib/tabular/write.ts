/**
 * Streaming writer for exports and rejects files: `.csv` (UTF-8 with a byte-order mark, so Excel
 * shows Vietnamese right) and `.xlsx`, row by row. Every text cell is escaped against formula
 * injection (SPEC §5).
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";
import { type Cell, detectFormat, type FileFormat, FORMULA_LIKE } from "./read.ts";

/** The format of a file by its extension; anything but `.csv` / `.xlsx` throws (tabular.unknown_type). */
export function formatFromName(file: string): FileFormat {
  return detectFormat(file);
}

/**
 * Text that a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return) gets a leading `'`, so it stays text (OWASP "CSV injection"). So that the reader
 * can undo it exactly (`unescapeFormula`), text that already starts with `'`s before such a
 * character gets one more.
 */
export function escapeFormula(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

export type WriteOptions = {
  /** Default: from the file name's extension. */
  format?: FileFormat;
  header: string[];
  /** XLSX only; default "Sheet1". Cut to Excel's 31 characters, without `[]:*?/\`. */
  sheetName?: string;
  /** CSV only: the delimiter (default `,`) and whether the file starts with a byte-order mark (default yes). */
  delimiter?: string;
  bom?: boolean;
};

const PLAIN: Partial<ExcelJS.Style> = {};

/** Excel refuses a cell longer than this. */
const XLSX_MAX_TEXT = 32_767;
/** Rows between two pauses that let the zip stream catch up (bounds memory). */
const XLSX_YIELD_EVERY = 500;

/**
 * Writes a header and rows to a `.csv` or `.xlsx` file, streaming; returns the number of data rows.
 * Text is escaped (`escapeFormula`); numbers stay numbers (number cells in xlsx); booleans are
 * `true`/`false` in CSV and boolean cells in xlsx; a Date is written `yyyy-mm-dd` (its UTC date,
 * the way `readRows` gives civil dates); `null` is an empty cell. On failure no file is left behind.
 */
export async function writeRows(
  file: string,
  opts: WriteOptions,
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>,
): Promise<number> {
  const format = opts.format ?? detectFormat(file);
  try {
    return format === "csv" ? await writeCsv(file, opts, rows) : await writeXlsx(file, opts, rows);
  } catch (e) {
    await fs.promises.rm(file, { force: true }).catch(() => {});
    throw e;
  }
}

/** yyyy-mm-dd of a Date's UTC fields (a civil date as `readRows` gives it); invalid → null. */
function isoDate(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

function csvValue(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return escapeFormula(cell);
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  if (typeof cell === "boolean") return cell ? "true" : "false";
  return isoDate(cell) ?? "";
}

async function writeCsv(
  file: string,
  opts: WriteOptions,
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>,
): Promise<number> {
  let count = 0;
  async function* records(): AsyncGenerator<string[]> {
    yield opts.header.map(csvValue);
    for await (const row of rows) {
      count++;
      yield row.map(csvValue);
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ bom: opts.bom ?? true, delimiter: opts.delimiter ?? ",", record_delimiter: "windows" }),
    fs.createWriteStream(file),
  );
  return count;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xlsxValue(cell: Cell): string | number | boolean | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === "string") {
    // ExcelJS drops the control characters XML cannot hold; a lone surrogate would break the file.
    return escapeFormula(cell).slice(0, XLSX_MAX_TEXT).replace(LONE_SURROGATE, "\uFFFD");
  }
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : null;
  if (typeof cell === "boolean") return cell;
  return isoDate(cell);
}

function safeSheetName(name: string): string {
  const clean = name
    .replace(/[[\]:*?/\\]/g, " ")
    .replace(/^'+|'+$/g, "")
    .trim()
    .slice(0, 31)
    .trim();
  return clean || "Sheet1";
}

async function writeXlsx(
  file: string,
  opts: WriteOptions,
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet(safeSheetName(opts.sheetName ?? "Sheet1"), {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.columns = opts.header.map((h) => ({ width: Math.min(40, Math.max(10, h.length + 2)) }));
  let count = 0;
  let failure: unknown;
  try {
    const head = sheet.addRow(opts.header.map(xlsxValue));
    head.font = { name: "Calibri", family: 2, size: 11, bold: true };
    head.commit();
    for await (const row of rows) {
      const added = sheet.addRow(row.map(xlsxValue));
      // One shared style object: ExcelJS turns each new style object into XML to look up its id,
      // which doubles the time of a large export.
      added.eachCell((cell) => {
        cell.style = PLAIN;
      });
      added.commit();
      count++;
      if (count % XLSX_YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (e) {
    failure = e;
  }
  // Committed even after a failure, so the file is closed before `writeRows` removes it.
  sheet.commit();
  await workbook.commit();
  if (failure !== undefined) throw failure;
  return count;
}
