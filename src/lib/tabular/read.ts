/**
 * Streaming reader for the tabular files people import (SPEC §5): `.csv` and `.xlsx`, row by row,
 * without loading the file whole into memory.
 *
 * XLSX: the zip is opened through its central directory (read here, at the end of the file) and only
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
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TextDecoder } from "node:util";
import zlib from "node:zlib";
import { CsvError, parse } from "csv-parse";
import ExcelJS from "exceljs";
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
  if (format === "csv") yield* readCsv(file, name, bytesCounter(opts.onBytes, size));
  else yield* readXlsx(file, name, size, opts.sheet, bytesCounter(opts.onBytes, size));
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

/** NFC, trimmed; an empty string is `null`. */
function cleanString(s: string): string | null {
  const out = s.normalize("NFC").trim();
  return out === "" ? null : out;
}

function isBlank(cells: Cell[]): boolean {
  return cells.every((c) => c === null);
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Longest record accepted (characters): bounds memory when a quote is never closed. */
const MAX_RECORD = 1 << 20;
/** How much text may be read to find the delimiter. */
const SNIFF_LIMIT = 1 << 16;

async function* readCsv(file: string, name: string, count?: (n: number) => void): AsyncGenerator<SheetRow> {
  const bytes = fs.createReadStream(file, { highWaterMark: 1 << 16 });
  const text = decodeText(count ? counted(bytes, count) : bytes, name);
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
      max_record_size: MAX_RECORD,
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
        const key =
          e.code === "CSV_QUOTE_NOT_CLOSED" || e.code === "CSV_MAX_RECORD_SIZE"
            ? "tabular.csv_unclosed_quote"
            : "tabular.csv_malformed";
        const err = new AppError("bad_request", { message: msg(key, { name, line }) });
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
async function* decodeText(bytes: AsyncIterable<Buffer>, name: string): AsyncGenerator<string> {
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

type ZipEntry = {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  localOffset: number;
};

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readAt(fh: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw new Error("short read");
  return buf;
}

/** The entries of a zip, by lower-cased path, from its central directory. */
async function readZipDirectory(file: string, size: number): Promise<Map<string, ZipEntry>> {
  const fh = await fs.promises.open(file, "r");
  try {
    if (size < 22) throw new Error("too small for a zip");
    const magic = await readAt(fh, 0, 4);
    if (magic.readUInt32LE(0) !== LOCAL) throw new Error("not a zip");
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = await readAt(fh, size - tailLength, tailLength);
    let at = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new Error("no end of central directory");
    let count = tail.readUInt16LE(at + 10);
    let dirSize = tail.readUInt32LE(at + 12);
    let dirOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
      const locatorAt = size - tailLength + at - 20;
      const locator = await readAt(fh, locatorAt, 20);
      if (locator.readUInt32LE(0) !== EOCD64_LOCATOR) throw new Error("no zip64 locator");
      const record = await readAt(fh, Number(locator.readBigUInt64LE(8)), 56);
      if (record.readUInt32LE(0) !== EOCD64) throw new Error("no zip64 end of central directory");
      count = Number(record.readBigUInt64LE(32));
      dirSize = Number(record.readBigUInt64LE(40));
      dirOffset = Number(record.readBigUInt64LE(48));
    }
    if (dirOffset + dirSize > size || dirSize > 1 << 26) throw new Error("bad central directory");
    const dir = await readAt(fh, dirOffset, dirSize);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw new Error("bad central directory");
      const flags = dir.readUInt16LE(p + 8);
      const method = dir.readUInt16LE(p + 10);
      let compressedSize = dir.readUInt32LE(p + 20);
      let uncompressedSize = dir.readUInt32LE(p + 24);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      let localOffset = dir.readUInt32LE(p + 42);
      const name = dir.toString("utf8", p + 46, p + 46 + nameLength);
      // ZIP64 sizes and offset, in this order, for the fields that hold 0xffffffff.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = dir.readUInt16LE(e);
        const len = dir.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (): number => {
            const v = Number(dir.readBigUInt64LE(q));
            q += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
        }
        e += 4 + len;
      }
      p = extraEnd + commentLength;
      const key = name.replace(/\\/g, "/").replace(/^\/+/, "").toLowerCase();
      entries.set(key, { name, flags, method, compressedSize, localOffset });
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** The inflated bytes of one entry, streamed from the file (`count`: told the compressed bytes read). */
async function openZipEntry(
  file: string,
  entry: ZipEntry,
  size: number,
  count?: (n: number) => void,
): Promise<Readable> {
  if (entry.flags & 0x01) throw new Error("encrypted zip entry");
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`zip method ${entry.method}`);
  const fh = await fs.promises.open(file, "r");
  let header: Buffer;
  try {
    header = await readAt(fh, entry.localOffset, 30);
  } finally {
    await fh.close();
  }
  if (header.readUInt32LE(0) !== LOCAL) throw new Error("bad local header");
  const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > size) throw new Error("zip entry past the end of the file");
  if (entry.compressedSize === 0) return Readable.from([], { objectMode: false });
  const raw = fs.createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  // A second 'data' listener only watches: the pipe below (or a PassThrough, for a stored entry)
  // is attached in the same tick, before any chunk flows.
  if (count) raw.on("data", (chunk) => count(chunk.length));
  if (entry.method === 0) {
    if (!count) return raw;
    const through = new PassThrough();
    raw.on("error", (e) => through.destroy(e));
    through.on("close", () => raw.destroy());
    return raw.pipe(through);
  }
  const inflate = zlib.createInflateRaw({ chunkSize: 1 << 16 });
  raw.on("error", (e) => inflate.destroy(e));
  inflate.on("close", () => raw.destroy());
  return raw.pipe(inflate);
}

// ---------------------------------------------------------------------------------------------
// XLSX: the workbook

/** What is used of ExcelJS's streaming reader (exceljs 4.4.0, lib/stream/xlsx/workbook-reader.js). */
type ExcelReader = {
  workbookRels?: { Id: string; Type: string; Target: string }[];
  model?: { sheets?: { name: string; id: number; state?: string; rId: string }[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ eventType: string; value: SheetReader }>;
};

type ExcelCell = { value: unknown; numFmt?: string };
type ExcelRow = { number: number; eachCell(iteratee: (cell: ExcelCell, col: number) => void): void };
type SheetReader = AsyncIterable<ExcelRow>;

async function* readXlsx(
  file: string,
  name: string,
  size: number,
  sheet?: string,
  count?: (n: number) => void,
): AsyncGenerator<SheetRow> {
  const opened: Readable[] = [];
  try {
    let entries: Map<string, ZipEntry>;
    try {
      entries = await readZipDirectory(file, size);
    } catch (e) {
      throw corrupt(name, e);
    }
    const open = async (part: string): Promise<Readable | undefined> => {
      const entry = entries.get(part.toLowerCase());
      if (!entry) return undefined;
      const stream = await openZipEntry(file, entry, size, count);
      stream.on("error", () => {}); // reported to whoever reads it; never an unhandled 'error' event
      // Text, not bytes: ExcelJS decodes each chunk on its own, which breaks a Vietnamese letter
      // that straddles two chunks into U+FFFD.
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
    try {
      const rels = await open("xl/_rels/workbook.xml.rels");
      const workbook = await open("xl/workbook.xml");
      if (!rels || !workbook) throw new Error("not a workbook");
      await reader._parseRels(rels);
      await reader._parseWorkbook(workbook);
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
      if (styles) await reader._parseStyles(styles);
      const strings = await open(related("sharedStrings", "xl/sharedStrings.xml"));
      if (strings) await drain(reader._parseSharedStrings(strings));
      reader.sharedStrings ??= [];
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
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw corrupt(name, e);
    }

    const part = await open(target.part).catch((e: unknown) => {
      throw corrupt(name, e);
    });
    if (!part) throw corrupt(name);
    const sheetNo = /(\d+)\.xml$/i.exec(target.part)?.[1] ?? "1";
    const worksheet = [...reader._parseWorksheet(part, sheetNo)][0]?.value;
    if (!worksheet) throw corrupt(name);
    const rows = worksheet[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<ExcelRow>;
      try {
        next = await rows.next();
      } catch (e) {
        throw corrupt(name, e);
      }
      if (next.done) break;
      const row = next.value;
      const cells: Cell[] = [];
      row.eachCell((cell, col) => {
        const value = toCell(cell.value, cell.numFmt, date1904);
        if (value === null) return;
        while (cells.length < col - 1) cells.push(null);
        cells[col - 1] = value;
      });
      if (cells.length > 0) yield { rowNumber: row.number, cells };
    }
  } finally {
    for (const s of opened) s.destroy();
  }
}

async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of items) {
    // With sharedStrings: "cache" nothing is yielded; the strings are kept on the reader.
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

function toCell(value: unknown, numFmt: string | undefined, date1904: boolean): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") return cleanString(unescapeOoxml(value));
  if (typeof value === "boolean") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) {
    const text = (v.richText as { text?: unknown }[])
      .map((r) => (typeof r.text === "string" ? r.text : ""))
      .join("");
    return cleanString(unescapeOoxml(text));
  }
  if ("error" in v) return null;
  if ("formula" in v || "sharedFormula" in v || "result" in v) {
    const result = v.result;
    // The streaming reader leaves a formula's date result a serial number.
    if (typeof result === "number" && Number.isFinite(result) && isDateFormat(numFmt)) {
      return excelSerialToDate(result, date1904);
    }
    return toCell(result, undefined, date1904);
  }
  if ("text" in v) return toCell(v.text, undefined, date1904);
  return null;
}
