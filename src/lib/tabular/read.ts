/**
 * Streaming reader for the tabular files people import (SPEC §5): `.csv` and `.xlsx`, row by row,
 * without loading the file whole into memory.
 *
 * XLSX: the zip is opened through its central directory (yauzl reads it, at the end of the file) and only
 * the parts needed are inflated, in the order needed: workbook relations, workbook, styles, shared
 * strings, then the one worksheet, row by row. ExcelJS parses each part (the XML parsers of its
 * streaming `WorkbookReader` and its `WorksheetReader`). ExcelJS's own zip walk is not used: it reads
 * the parts in the order they are stored, so a worksheet stored before `xl/workbook.xml` (ExcelJS's
 * own writer stores that part last, LibreOffice stores styles after the sheets) is parsed without
 * the workbook model or without styles: a crash ("reading 'sheets'") or dates coming out as numbers
 * (exceljs issues #962, #3064).
 */
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { TextDecoder } from "node:util";
import { CsvError, parse } from "csv-parse";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { AppError, msg } from "../errors.ts";
import { foldKey } from "../text.ts";

/**
 * One cell. Strings are NFC and trimmed (never empty: an empty cell is `null`). A `Date` comes only
 * from an Excel date cell; its UTC fields are the date (and time) the spreadsheet shows, whatever
 * the server's time zone: read it with `getUTCFullYear()`, `getUTCMonth()`, `getUTCDate()`.
 */
export type Cell = string | number | boolean | Date | null;

/** A row of cells (index 0 is column A), with the row number the spreadsheet shows (1-based). */
export type SheetRow = { rowNumber: number; cells: Cell[] };

export type FileFormat = "csv" | "xlsx";

/** The format of a file by its extension (`.csv` or `.xlsx`, any case); anything else is refused. */
export function detectFormat(fileName: string): FileFormat {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".xlsx") return "xlsx";
  throw new AppError("bad_request", {
    message: msg("tabular.unknown_type", { name: path.basename(fileName) }),
  });
}

export type ReadOptions = {
  /** Default: from the file name's extension. */
  format?: FileFormat;
  /** XLSX only: the worksheet to read; default the first visible worksheet. */
  sheet?: string;
  /** The file name shown in messages (an upload's original name); default the file's base name. */
  name?: string;
  /**
   * Progress in bytes of the file: called as they are consumed (CSV: bytes decoded; XLSX: compressed
   * bytes of the zip parts inflated), with the file's size; a last call `(size, size)` at the end.
   */
  onBytes?: (read: number, total: number) => void;
  /** Caps against hostile files (zip bombs, huge shared-strings tables); default `READ_LIMITS`. */
  limits?: Partial<ReadLimits>;
  /** Told once, before the first row, how the file is laid out (so a rejects file can be written alike). */
  onLayout?: (layout: FileLayout) => void;
};

/** How a file read is laid out: a CSV's delimiter and byte-order mark, an .xlsx's worksheet. */
export type FileLayout =
  | { format: "csv"; delimiter: string; bom: boolean }
  | { format: "xlsx"; sheet: string };

/**
 * What one file may cost, whatever it holds: every cap is checked as the file streams, so a small
 * upload that inflates to gigabytes is refused (with its own message) after reading at most the cap.
 */
export type ReadLimits = {
  /** Inflated bytes of the worksheet part of an .xlsx (it is streamed: this bounds time, not memory). */
  maxSheetBytes: number;
  /** Inflated bytes of each other part read (relations, workbook, styles: parsed whole). */
  maxPartBytes: number;
  /** Inflated bytes of the shared-strings part, and what the table may hold (kept in memory). */
  maxSharedStringsBytes: number;
  maxSharedStrings: number;
  maxSharedStringChars: number;
  /** Characters of one row (CSV record or .xlsx row), and the columns of an .xlsx row. */
  maxRowChars: number;
  maxColumns: number;
};

export const READ_LIMITS: ReadLimits = {
  maxSheetBytes: 1 << 30,
  maxPartBytes: 16 << 20,
  maxSharedStringsBytes: 128 << 20,
  maxSharedStrings: 2_000_000,
  maxSharedStringChars: 32 << 20,
  maxRowChars: 1 << 20,
  maxColumns: 16_384,
};

/**
 * Streams the rows of a `.csv` or `.xlsx` file. Rows with no content at all (empty lines, rows of
 * empty cells) are not yielded, but they are counted: `rowNumber` is always the row number the
 * spreadsheet shows, and in a CSV the line on which the record starts. A row's `cells` end at its
 * last cell; rows may be shorter or longer than the header.
 *
 * Throws `AppError`: `not_found` (tabular.file_missing) when the file is not there, `bad_request`
 * for an unknown extension, an unknown sheet, a damaged or non-UTF-8 file.
 */
export async function* readRows(file: string, opts: ReadOptions = {}): AsyncGenerator<SheetRow> {
  const name = opts.name ?? path.basename(file);
  const format = opts.format ?? detectFormat(opts.name ?? file);
  let size: number;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" });
    size = stat.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new AppError("not_found", { message: msg("tabular.file_missing", { name }) });
    }
    throw e;
  }
  const limits = { ...READ_LIMITS, ...opts.limits };
  if (format === "csv") yield* readCsv(file, name, limits, bytesCounter(opts.onBytes, size), opts.onLayout);
  else yield* readXlsx(file, name, limits, opts.sheet, bytesCounter(opts.onBytes, size), opts.onLayout);
  opts.onBytes?.(size, size);
}

/** Adds up bytes consumed and reports the running total (nothing without a callback). */
function bytesCounter(onBytes: ReadOptions["onBytes"], size: number): ((n: number) => void) | undefined {
  if (!onBytes) return undefined;
  let read = 0;
  return (n) => {
    read = Math.min(size, read + n);
    onBytes(read, size);
  };
}

/** The chunks of a byte stream, each counted as it is taken. */
async function* counted(chunks: AsyncIterable<Buffer>, count: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    count(chunk.length);
    yield chunk;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared

function corrupt(name: string, cause?: unknown): AppError {
  const err = new AppError("bad_request", { message: msg("tabular.corrupt_file", { name }) });
  if (cause !== undefined) err.cause = cause;
  return err;
}

/** Text a spreadsheet would run as a formula, behind any `'`s (see `escapeFormula` in write.ts). */
export const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

/**
 * What `escapeFormula` wrote, undone: one leading `'` before text that would otherwise be a
 * formula. An export read back is what was exported (`'=HYPERLINK(…)` is the name `=HYPERLINK(…)`),
 * so a re-import changes nothing. A lone `'` before ordinary text stays: the exporter never adds it.
 */
export function unescapeFormula(s: string): string {
  return s.startsWith("'") && FORMULA_LIKE.test(s.slice(1)) ? s.slice(1) : s;
}

/** NFC, trimmed, a formula escape undone; an empty string is `null`. */
function cleanString(s: string): string | null {
  const out = unescapeFormula(s.normalize("NFC").trim());
  return out === "" ? null : out;
}

function isBlank(cells: Cell[]): boolean {
  return cells.every((c) => c === null);
}

// ---------------------------------------------------------------------------------------------
// CSV

/** How much text may be read to find the delimiter. */
const SNIFF_LIMIT = 1 << 16;

/** “1 MB”: a cap in words. */
const sizeText = (n: number) =>
  n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${Math.ceil(n / 1024)} KB`;

async function* readCsv(
  file: string,
  name: string,
  limits: ReadLimits,
  count?: (n: number) => void,
  onLayout?: (layout: FileLayout) => void,
): AsyncGenerator<SheetRow> {
  const bytes = fs.createReadStream(file, { highWaterMark: 1 << 16 });
  let bom = false;
  const text = decodeText(count ? counted(bytes, count) : bytes, name, (b) => (bom = b));
  const it = text[Symbol.asyncIterator]();
  try {
    let head = "";
    let ended = false;
    let delimiter = sniffDelimiter(head, false);
    while (delimiter === undefined) {
      const next = await it.next();
      if (next.done) ended = true;
      else head += next.value;
      delimiter = sniffDelimiter(head, ended || head.length >= SNIFF_LIMIT);
    }
    onLayout?.({ format: "csv", delimiter, bom });
    const rest = async function* (): AsyncGenerator<string> {
      if (head) yield head;
      if (ended) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    };
    const parser = parse({
      delimiter,
      bom: false,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      trim: true,
      // The longest record accepted (characters): bounds memory when a quote is never closed.
      max_record_size: limits.maxRowChars,
    });
    const feeding = pipeline(Readable.from(rest(), { objectMode: false }), parser);
    feeding.catch(() => {}); // the same error reaches the loop below through the parser
    // Line breaks are all `\n` by now, and every record ends with one, so a record spans one line
    // plus the line breaks inside its quoted cells. (csv-parse's own `info.lines` counts a CRLF
    // inside quotes twice, and costs a third of the parsing time.)
    let lastLine = 0; // the line on which the previous record ended
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        const rowNumber = lastLine + 1;
        lastLine = rowNumber;
        const cells: Cell[] = [];
        for (const field of record) {
          if (field.includes("\n")) lastLine += field.split("\n").length - 1;
          cells.push(cleanString(field));
        }
        if (!isBlank(cells)) yield { rowNumber, cells };
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof CsvError) {
        const line = lastLine + 1;
        // A record over the cap: an opened quote that never closes (the record runs over several
        // lines, which only quotes allow), or simply a line that long.
        const quoting = ((e as CsvError & { lines?: number }).lines ?? 0) > line;
        const key =
          e.code === "CSV_QUOTE_NOT_CLOSED" || (e.code === "CSV_MAX_RECORD_SIZE" && quoting)
            ? "tabular.csv_unclosed_quote"
            : e.code === "CSV_MAX_RECORD_SIZE"
              ? "tabular.csv_line_too_long"
              : "tabular.csv_malformed";
        const err = new AppError("bad_request", {
          message: msg(key, { name, line, max: sizeText(limits.maxRowChars) }),
        });
        err.cause = e;
        throw err;
      }
      throw e;
    }
  } finally {
    await it.return?.(undefined);
  }
}

/**
 * Decodes the bytes of a CSV: UTF-8 (a byte-order mark is dropped) or, with its byte-order mark,
 * UTF-16 (Excel's "Unicode text"). Line breaks become `\n`, so the parser counts lines right and
 * cells hold `\n`. Binary content is a damaged file; other text that is not UTF-8 is refused with
 * advice to save it as "CSV UTF-8".
 */
async function* decodeText(
  bytes: AsyncIterable<Buffer>,
  name: string,
  onBom?: (bom: boolean) => void,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let afterCR = false;
  const normalize = (s: string): string => {
    let t = afterCR && s.startsWith("\n") ? s.slice(1) : s;
    if (t.length > 0) afterCR = t.endsWith("\r");
    t = t.replace(/\r\n?/g, "\n");
    if (t.includes("\0")) throw corrupt(name);
    return t;
  };
  for await (const chunk of bytes) {
    if (!decoder) {
      if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) {
        decoder = new TextDecoder("utf-16le", { fatal: true });
      } else if (chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff) {
        decoder = new TextDecoder("utf-16be", { fatal: true });
      } else {
        if (looksBinary(chunk)) throw corrupt(name);
        decoder = new TextDecoder("utf-8", { fatal: true });
      }
      onBom?.(
        chunk.length >= 2 &&
          (chunk[0] === 0xff || chunk[0] === 0xfe || (chunk[0] === 0xef && chunk[1] === 0xbb)),
      );
    }
    let s: string;
    try {
      s = decoder.decode(chunk, { stream: true });
    } catch (e) {
      throw notText(name, chunk, e);
    }
    const t = normalize(s);
    if (t) yield t;
  }
  if (decoder) {
    let s: string;
    try {
      s = decoder.decode();
    } catch (e) {
      throw notText(name, Buffer.alloc(0), e);
    }
    const t = normalize(s);
    if (t) yield t;
  }
}

function notText(name: string, chunk: Buffer, cause: unknown): AppError {
  if (looksBinary(chunk)) return corrupt(name, cause);
  const err = new AppError("bad_request", { message: msg("tabular.csv_encoding", { name }) });
  err.cause = cause;
  return err;
}

/** A zip (an .xlsx or .docx named .csv), a NUL byte, or more than 1% control characters. */
function looksBinary(chunk: Buffer): boolean {
  const n = Math.min(chunk.length, 8192);
  if (n >= 4 && chunk.readUInt32LE(0) === 0x04034b50) return true;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = chunk[i]!;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) controls++;
  }
  return controls > n / 100;
}

/**
 * The delimiter, from the first non-empty line that holds any (`,`, `;`, or a tab when tabs
 * outnumber both), counting outside double quotes. `undefined`: more text is needed.
 */
function sniffDelimiter(head: string, final: boolean): string | undefined {
  let inQuotes = false;
  let counts = { ",": 0, ";": 0, "\t": 0 };
  let content = false;
  let fallback: string | undefined; // from a line of delimiters only, like ";;;"
  const decide = (): string | undefined => {
    const { ",": comma, ";": semi, "\t": tab } = counts;
    if (tab > comma && tab > semi) return "\t";
    if (semi > comma) return ";";
    if (comma > 0) return ",";
    return undefined;
  };
  for (let i = 0; i < head.length; i++) {
    const ch = head[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) content = true;
    else if (ch === "\n") {
      const d = decide();
      if (d && content) return d;
      fallback ??= d;
      counts = { ",": 0, ";": 0, "\t": 0 };
      content = false;
    } else if (ch === "," || ch === ";" || ch === "\t") counts[ch]++;
    else if (ch !== " " && ch !== "\r") content = true;
  }
  if (final) return (content ? decide() : undefined) ?? fallback ?? decide() ?? ",";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// XLSX: the zip container

/** The entries of a zip, by lower-cased path, from its central directory (yauzl reads it). */
async function readZipDirectory(
  file: string,
): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  const zip = await yauzl.openPromise(file, {
    lazyEntries: true,
    autoClose: false,
    // Excel and LibreOffice write forward slashes; a hand-made file with backslashes still opens.
    strictFileNames: false,
    validateEntrySizes: true,
  });
  const entries = new Map<string, yauzl.Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      const key = entry.fileName.replace(/\\/g, "/").replace(/^\/+/, "").toLowerCase();
      entries.set(key, entry);
    }
  } catch (e) {
    zip.close();
    throw e;
  }
  return { zip, entries };
}

/**
 * The inflated bytes of one entry, streamed (`count`: told the compressed bytes read, in proportion
 * to the inflated bytes: yauzl holds an entry to its stated size, so the sum comes out right).
 */
async function openZipEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  max: { bytes: number; error: () => Error },
  count?: (n: number) => void,
): Promise<Readable> {
  if (entry.isEncrypted()) throw new Error("encrypted zip entry");
  if (!entry.canDecodeFileData()) throw new Error(`zip method ${entry.compressionMethod}`);
  if (entry.uncompressedSize > max.bytes) throw max.error();
  if (entry.uncompressedSize === 0) return Readable.from([], { objectMode: false });
  const inflated = await zip.openReadStreamPromise(entry);
  if (count) {
    const ratio = entry.compressedSize / entry.uncompressedSize;
    let seen = 0;
    let told = 0;
    inflated.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      const now = Math.round(seen * ratio);
      count(now - told);
      told = now;
    });
  }
  // Bounded whatever the header says: a part is cut off at `max` as it streams.
  return capped(inflated, max.bytes, max.error);
}

/** The bytes of `source`, failing with `error()` once more than `max` have passed (a zip bomb). */
function capped(source: Readable, max: number, error: () => Error): Readable {
  let seen = 0;
  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(error());
      else done(null, chunk);
    },
  });
  source.on("error", (e) => out.destroy(e));
  out.on("close", () => source.destroy());
  return source.pipe(out);
}

/**
 * Runs one of ExcelJS's part parsers on `stream`, failing as soon as the stream does. ExcelJS
 * listens to a stream only once its parser starts: a damaged part whose inflate failed earlier
 * (while the next part was being opened) left it waiting forever for an 'end' that never came —
 * found by the fuzz test on Node 24, one file in a few dozen reads of it on Node 20 too.
 */
async function parsePart(stream: Readable, parse: (s: Readable) => Promise<void>): Promise<void> {
  const failed = finished(stream).then(() => new Promise<never>(() => {}));
  failed.catch(() => {});
  await Promise.race([parse(stream), failed]);
}

// ---------------------------------------------------------------------------------------------
// XLSX: the workbook

/** What is used of ExcelJS's streaming reader (exceljs 4.4.0, lib/stream/xlsx/workbook-reader.js). */
type ExcelReader = {
  workbookRels?: { Id: string; Type: string; Target: string }[];
  model?: { sheets?: { name: string; id: number; state?: string; rId: string }[] };
  properties?: { model?: { date1904?: boolean } };
  styles?: { getStyleModel?(id: number): { numFmt?: string } | null | undefined };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
};

/**
 * The small parts (relations, workbook, styles) go through ExcelJS's parsers; the shared strings
 * and the worksheet, which hold the data, through the scanner below (`XmlScanner`): ExcelJS's
 * worksheet reader builds a styled Row and Cell object per cell and read an .xlsx four times slower
 * than the same rows as CSV. `count` is told the compressed bytes read (progress).
 */
async function* readXlsx(
  file: string,
  name: string,
  limits: ReadLimits,
  sheet?: string,
  count?: (n: number) => void,
  onLayout?: (layout: FileLayout) => void,
): AsyncGenerator<SheetRow> {
  const opened: Readable[] = [];
  let closeZip = () => {};
  try {
    let zip: yauzl.ZipFile;
    let entries: Map<string, yauzl.Entry>;
    try {
      ({ zip, entries } = await readZipDirectory(file));
    } catch (e) {
      throw corrupt(name, e);
    }
    closeZip = () => zip.close();
    const tooLarge = (part: string, max: number) => () =>
      new AppError("bad_request", {
        message: msg("tabular.xlsx_part_too_large", { name, part, max: sizeText(max) }),
      });
    const open = async (part: string, max = limits.maxPartBytes): Promise<Readable | undefined> => {
      const entry = entries.get(part.toLowerCase());
      if (!entry) return undefined;
      const stream = await openZipEntry(zip, entry, { bytes: max, error: tooLarge(part, max) }, count);
      stream.on("error", () => {}); // reported to whoever reads it; never an unhandled 'error' event
      // Text, not bytes: a Vietnamese letter may straddle two chunks (ExcelJS decoded each chunk on
      // its own, which broke such a letter into U+FFFD).
      stream.setEncoding("utf8");
      opened.push(stream);
      return stream;
    };
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: "emit",
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      entries: "ignore",
    }) as unknown as ExcelReader;

    let target: { name: string; part: string };
    let date1904: boolean;
    let shared: Cell[] = [];
    try {
      const rels = await open("xl/_rels/workbook.xml.rels");
      const workbook = await open("xl/workbook.xml");
      if (!rels || !workbook) throw new Error("not a workbook");
      await parsePart(rels, (s) => reader._parseRels(s));
      await parsePart(workbook, (s) => reader._parseWorkbook(s));
      const relations = reader.workbookRels ?? [];
      const partOf = (rel: { Target: string }): string =>
        rel.Target.startsWith("/")
          ? rel.Target.slice(1)
          : path.posix.normalize(path.posix.join("xl", rel.Target));
      const related = (type: string, fallback: string): string => {
        const rel = relations.find((r) => r.Type.endsWith(`/${type}`));
        return rel ? partOf(rel) : fallback;
      };
      const styles = await open(related("styles", "xl/styles.xml"));
      if (styles) await parsePart(styles, (s) => reader._parseStyles(s));
      const strings = await open(
        related("sharedStrings", "xl/sharedStrings.xml"),
        limits.maxSharedStringsBytes,
      );
      if (strings) shared = await readSharedStrings(strings, name, limits);
      date1904 = reader.properties?.model?.date1904 === true;

      const sheets = (reader.model?.sheets ?? []).flatMap((s) => {
        const rel = relations.find((r) => r.Id === s.rId);
        if (!rel?.Type.endsWith("/worksheet")) return [];
        return [
          { name: s.name, hidden: s.state === "hidden" || s.state === "veryHidden", part: partOf(rel) },
        ];
      });
      const found =
        sheet === undefined
          ? (sheets.find((s) => !s.hidden) ?? sheets[0])
          : (sheets.find((s) => s.name === sheet) ?? uniqueFolded(sheets, sheet));
      if (!found) {
        if (sheet === undefined) throw new Error("no worksheet");
        throw new AppError("bad_request", {
          message: msg("tabular.unknown_sheet", {
            name,
            sheet,
            sheets: sheets.map((s) => `“${s.name}”`).join(", "),
          }),
        });
      }
      target = found;
      onLayout?.({ format: "xlsx", sheet: found.name });
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw corrupt(name, e);
    }

    const part = await open(target.part, limits.maxSheetBytes).catch((e: unknown) => {
      throw e instanceof AppError ? e : corrupt(name, e);
    });
    if (!part) throw corrupt(name);
    // Whether a cell style shows its number as a date, by style id (as ExcelJS decides it).
    const dateStyles = new Map<number, boolean>();
    const isDateStyle = (id: number): boolean => {
      let is = dateStyles.get(id);
      if (is === undefined) {
        is = isDateFormat(reader.styles?.getStyleModel?.(id)?.numFmt);
        dateStyles.set(id, is);
      }
      return is;
    };
    const sheetRows = new SheetRowsHandler(shared, isDateStyle, date1904, name, limits);
    const scanner = new XmlScanner(sheetRows);
    try {
      for await (const chunk of part as AsyncIterable<string>) {
        scanner.feed(chunk);
        if (sheetRows.rows.length > 0) {
          const rows = sheetRows.rows;
          sheetRows.rows = [];
          yield* rows;
        }
      }
      scanner.end();
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw corrupt(name, e);
    }
    yield* sheetRows.rows;
  } finally {
    for (const s of opened) s.destroy();
    closeZip();
  }
}

/** A sheet named like `wanted` once case, diacritics, spaces and punctuation are folded, if only one. */
function uniqueFolded<T extends { name: string }>(sheets: T[], wanted: string): T | undefined {
  const key = foldKey(wanted);
  const matches = sheets.filter((s) => foldKey(s.name) === key);
  return matches.length === 1 ? matches[0] : undefined;
}

/** Excel's serial day number (days since 1899-12-30, or 1904-01-01) as a Date whose UTC fields show it. */
function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Whether a number format shows a date or time (as ExcelJS decides it for plain cells). */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const bare = fmt.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, "");
  return /[ymdhMsb]/.test(bare);
}

/** OOXML escapes characters as `_xHHHH_` (Excel writes a carriage return as `_x000D_`). */
function unescapeOoxml(s: string): string {
  if (!s.includes("_x")) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * A text cell's value: OOXML escapes undone, NFC, trimmed; empty is `null`. Always a string of its
 * own: a slice of the XML text would keep the whole 64 KB chunk it came from alive as long as the
 * value lives (an importer keeps some values of every row, and held the whole sheet that way).
 */
function textCell(s: string): Cell {
  const out = cleanString(unescapeOoxml(s));
  // V8 copies short slices; a longer one is copied by flattening a concatenation.
  return out !== null && out.length > 12 ? ` ${out}`.slice(1) : out;
}

// ---------------------------------------------------------------------------------------------
// XLSX: the XML of the shared strings and of the worksheet

/** What the scanner reports; element names come without their namespace prefix. */
type XmlHandler = {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Text between tags, entities decoded; only while `wantsText`. */
  text(s: string): void;
  wantsText: boolean;
};

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML text as it reads: line breaks normalised to `\n` (XML §2.11), then character references decoded. */
function xmlText(raw: string): string {
  const s = raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
  if (!s.includes("&")) return s;
  return s.replace(
    ENTITY,
    (whole, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
      if (named) return NAMED[named]!;
      const code = Number.parseInt(hex ?? dec!, hex ? 16 : 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

/**
 * The value of attribute `wanted` in a tag's attribute text (names compared without namespace
 * prefix), as written: callers decode it with `xmlText` when it may hold references.
 */
function attribute(attrs: string, wanted: string): string | undefined {
  let i = 0;
  for (;;) {
    const eq = attrs.indexOf("=", i);
    if (eq < 0) return undefined;
    let q = eq + 1;
    while (q < attrs.length && attrs.charCodeAt(q) <= 0x20) q++;
    const quote = attrs.charCodeAt(q);
    if (quote !== 0x22 && quote !== 0x27) throw new Error("unquoted attribute value");
    const end = attrs.indexOf(quote === 0x22 ? '"' : "'", q + 1);
    if (end < 0) throw new Error("unclosed attribute value");
    let n0 = i;
    while (attrs.charCodeAt(n0) <= 0x20) n0++;
    let n1 = eq;
    while (n1 > n0 && attrs.charCodeAt(n1 - 1) <= 0x20) n1--;
    if (
      n1 - n0 >= wanted.length &&
      attrs.startsWith(wanted, n1 - wanted.length) &&
      (n1 - n0 === wanted.length || attrs.charCodeAt(n1 - wanted.length - 1) === 0x3a) /* : */
    ) {
      return attrs.slice(q + 1, end);
    }
    i = end + 1;
  }
}

/** Longest stretch of text or single tag held while waiting for its end (bounds memory on garbage). */
const MAX_PENDING = 1 << 24;
const NAME_START = /[A-Za-z_:\u00c0-\uffff]/;

/**
 * A streaming pull scanner for the XML of spreadsheet parts: tags, text, CDATA; comments,
 * processing instructions and the doctype are skipped. It checks what it reads enough to call a
 * damaged part damaged (a stray `<`, mismatched or unclosed elements, text cut off), not more.
 */
class XmlScanner {
  private buf = "";
  private readonly stack: string[] = [];
  private seenRoot = false;

  constructor(private readonly handler: XmlHandler) {}

  feed(chunk: string): void {
    this.buf = this.buf.length > 0 ? this.buf + chunk : chunk;
    const at = this.scan();
    this.buf = at < this.buf.length ? this.buf.slice(at) : "";
    if (this.buf.length > MAX_PENDING) throw new Error("XML construct too long");
  }

  end(): void {
    if (this.buf.trim() !== "" || this.stack.length > 0 || !this.seenRoot) throw new Error("XML cut off");
  }

  /** Handles every complete construct of the buffer; returns where the incomplete rest starts. */
  private scan(): number {
    const buf = this.buf;
    const h = this.handler;
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf("<", pos);
      if (lt < 0) {
        // Text up to the end may stop inside a character reference: keep it for the next chunk.
        return pos;
      }
      if (lt > pos) {
        if (h.wantsText) h.text(xmlText(buf.slice(pos, lt)));
        else if (this.stack.length === 0 && buf.slice(pos, lt).trim() !== "")
          throw new Error("text outside the root");
      }
      const next = buf.charCodeAt(lt + 1);
      if (Number.isNaN(next)) return lt;
      if (next === 0x21 /* ! */) {
        if (buf.startsWith("<!--", lt)) {
          const end = buf.indexOf("-->", lt + 4);
          if (end < 0) return lt;
          pos = end + 3;
        } else if (buf.startsWith("<![CDATA[", lt)) {
          const end = buf.indexOf("]]>", lt + 9);
          if (end < 0) return lt;
          if (h.wantsText) h.text(buf.slice(lt + 9, end));
          pos = end + 3;
        } else {
          const end = buf.indexOf(">", lt);
          if (end < 0) return lt;
          // A doctype without an internal subset (no entity definitions) is skipped.
          if (!buf.startsWith("<!DOCTYPE", lt) || buf.slice(lt, end).includes("[")) {
            throw new Error("unsupported markup");
          }
          pos = end + 1;
        }
        continue;
      }
      if (next === 0x3f /* ? */) {
        const end = buf.indexOf("?>", lt + 2);
        if (end < 0) return lt;
        pos = end + 2;
        continue;
      }
      // A start or end tag: its end is the first `>` outside quotes (`<` may not appear before it).
      let gt = buf.indexOf(">", lt + 2);
      if (gt < 0) return lt;
      let plain = true;
      for (let i = lt + 1; i < gt; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x22 || c === 0x27) {
          plain = false;
          break;
        }
        if (c === 0x3c /* < */) throw new Error("stray < in a tag");
      }
      if (!plain) {
        gt = -1;
        let quote = 0;
        for (let i = lt + 1; i < buf.length; i++) {
          const c = buf.charCodeAt(i);
          if (quote !== 0) {
            if (c === quote) quote = 0;
            else if (c === 0x3c /* < */) throw new Error("< in an attribute value");
          } else if (c === 0x3e /* > */) {
            gt = i;
            break;
          } else if (c === 0x22 || c === 0x27) quote = c;
          else if (c === 0x3c) throw new Error("stray < in a tag");
        }
      }
      if (gt < 0) return lt;
      if (next === 0x2f /* / */) {
        const name = localName(buf.slice(lt + 2, gt).trim());
        if (this.stack.pop() !== name) throw new Error(`mismatched </${name}>`);
        h.close(name);
      } else {
        let nameEnd = lt + 1;
        while (nameEnd < gt) {
          const c = buf.charCodeAt(nameEnd);
          if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f /* / */) break;
          nameEnd++;
        }
        const qname = buf.slice(lt + 1, nameEnd);
        if (qname === "" || !NAME_START.test(qname[0]!)) throw new Error("bad tag name");
        const selfClosing = buf.charCodeAt(gt - 1) === 0x2f;
        const name = localName(qname);
        if (this.stack.length === 0 && this.seenRoot) throw new Error("second root element");
        this.seenRoot = true;
        h.open(name, buf.slice(nameEnd, selfClosing ? gt - 1 : gt), selfClosing);
        if (selfClosing) h.close(name);
        else this.stack.push(name);
      }
      pos = gt + 1;
    }
  }
}

function localName(qname: string): string {
  const colon = qname.indexOf(":");
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** The shared strings table (`<sst><si>…</si></sst>`), each string a cell value already. */
async function readSharedStrings(stream: Readable, fileName: string, limits: ReadLimits): Promise<Cell[]> {
  const strings: Cell[] = [];
  let chars = 0;
  const tooLarge = () =>
    new AppError("bad_request", {
      message: msg("tabular.shared_strings_too_large", {
        name: fileName,
        strings: limits.maxSharedStrings.toLocaleString("vi-VN"),
        max: sizeText(limits.maxSharedStringChars),
      }),
    });
  let text = "";
  let inT = 0; // depth of <t> outside a phonetic run
  let inPhonetic = false;
  const handler: XmlHandler = {
    wantsText: false,
    open(name) {
      if (name === "si") text = "";
      else if (name === "rPh") inPhonetic = true;
      else if (name === "t" && !inPhonetic) {
        inT++;
        handler.wantsText = true;
      }
    },
    close(name) {
      if (name === "si") {
        if (strings.length >= limits.maxSharedStrings) throw tooLarge();
        strings.push(textCell(text));
        text = "";
      } else if (name === "rPh") inPhonetic = false;
      else if (name === "t" && !inPhonetic && inT > 0) {
        inT--;
        handler.wantsText = inT > 0;
      }
    },
    text(s) {
      chars += s.length;
      if (chars > limits.maxSharedStringChars) throw tooLarge();
      text += s;
    },
  };
  const scanner = new XmlScanner(handler);
  for await (const chunk of stream as AsyncIterable<string>) scanner.feed(chunk);
  scanner.end();
  return strings;
}

/** Column number (1-based) of a cell reference like `AB12`; 0 when it has no letters. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 0x61 || c > 0x7a) break;
    col = col * 26 + (c - 0x60);
  }
  return col;
}

/** A `<c>` being read: its type, style, whether it holds a formula, its value's text. */
type OpenCell = { t: string | undefined; style: number; formula: boolean; v: string | undefined };

/**
 * The rows of a worksheet (`<sheetData><row><c>…`), with the values ExcelJS's reader gave: shared
 * and inline strings and text formula results as text; numbers, as dates when their style's
 * number format shows a date; booleans; errors as `null`; a formula gives its cached result.
 */
class SheetRowsHandler implements XmlHandler {
  rows: SheetRow[] = [];
  wantsText = false;
  private inData = false;
  private rowNumber = 0;
  private cells: Cell[] | undefined;
  private col = 0;
  private cell: OpenCell | undefined;
  private inInline = false;
  private inPhonetic = false;
  /** Characters of the row being read (its cells' text, shared strings included). */
  private rowChars = 0;

  constructor(
    private readonly shared: readonly Cell[],
    private readonly isDateStyle: (id: number) => boolean,
    private readonly date1904: boolean,
    private readonly fileName: string,
    private readonly limits: ReadLimits,
  ) {}

  /** A row over the caps is refused: its cells would be held, and shown in a preview, whole. */
  private grow(chars: number): void {
    this.rowChars += chars;
    if (this.rowChars > this.limits.maxRowChars) {
      throw new AppError("bad_request", {
        message: msg("tabular.row_too_long", {
          name: this.fileName,
          row: this.rowNumber,
          max: sizeText(this.limits.maxRowChars),
        }),
      });
    }
  }

  open(name: string, attrs: string): void {
    if (!this.inData) {
      if (name === "sheetData") this.inData = true;
      return;
    }
    const cell = this.cell;
    if (cell) {
      if (name === "v") {
        cell.v = "";
        this.wantsText = true;
      } else if (name === "f") cell.formula = true;
      else if (name === "is") {
        this.inInline = true;
        cell.v = "";
      } else if (name === "rPh") this.inPhonetic = true;
      else if (name === "t" && this.inInline && !this.inPhonetic) this.wantsText = true;
    } else if (name === "c" && this.cells) {
      const ref = attribute(attrs, "r");
      const col = ref === undefined ? 0 : columnOf(ref);
      const style = attribute(attrs, "s");
      const cell: OpenCell = {
        t: attribute(attrs, "t"),
        style: style === undefined ? 0 : Number.parseInt(style, 10) || 0,
        formula: false,
        v: undefined,
      };
      this.col = col > 0 ? col : this.col + 1;
      if (this.col > this.limits.maxColumns) {
        throw new AppError("bad_request", {
          message: msg("tabular.too_many_columns", {
            name: this.fileName,
            row: this.rowNumber,
            max: this.limits.maxColumns,
          }),
        });
      }
      this.cell = cell;
    } else if (name === "row") {
      const r = Number.parseInt(attribute(attrs, "r") ?? "", 10);
      this.rowNumber = r > 0 ? r : this.rowNumber + 1;
      this.cells = [];
      this.col = 0;
      this.rowChars = 0;
    }
  }

  close(name: string): void {
    if (!this.inData) return;
    if (name === "v" || name === "t") this.wantsText = false;
    else if (name === "is") this.inInline = false;
    else if (name === "rPh") this.inPhonetic = false;
    else if (name === "c") {
      const cell = this.cell;
      const cells = this.cells;
      this.cell = undefined;
      if (!cell || !cells) return;
      const value = this.valueOf(cell);
      if (value === null) return;
      // Shared strings were not counted as text (inline text and numbers were, as they came).
      if (cell.t === "s" && typeof value === "string") this.grow(value.length);
      while (cells.length < this.col - 1) cells.push(null);
      cells[this.col - 1] = value;
    } else if (name === "row") {
      if (this.cells && this.cells.length > 0)
        this.rows.push({ rowNumber: this.rowNumber, cells: this.cells });
      this.cells = undefined;
    } else if (name === "sheetData") this.inData = false;
  }

  text(s: string): void {
    if (!this.cell) return;
    this.grow(s.length);
    this.cell.v += s;
  }

  private valueOf(c: {
    t: string | undefined;
    style: number;
    formula: boolean;
    v: string | undefined;
  }): Cell {
    const v = c.v;
    if (v === undefined) return null;
    if (c.formula) {
      if (c.t === "str") return textCell(v);
      return this.numberOf(v, c.style);
    }
    switch (c.t) {
      case "s":
        return this.shared[Number.parseInt(v, 10)] ?? null;
      case "inlineStr":
      case "str":
        return textCell(v);
      case "e":
        return null;
      case "b":
        return Number.parseInt(v, 10) !== 0;
      default:
        return this.numberOf(v, c.style);
    }
  }

  private numberOf(v: string, style: number): Cell {
    const n = Number.parseFloat(v);
    if (!Number.isFinite(n)) return null;
    if (style !== 0 && this.isDateStyle(style)) {
      const d = excelSerialToDate(n, this.date1904);
      return Number.isNaN(d.getTime()) ? null : d;
    }
    return n;
  }
}
