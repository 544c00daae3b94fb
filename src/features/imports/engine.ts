import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { isMsgKey, type Lang, type MsgParams, t } from "../../lib/i18n/index.ts";
import {
  detectFormat,
  type Cell as FileCell,
  type FileFormat,
  type FileLayout,
  type ReadLimits,
  readRows,
} from "../../lib/tabular/read.ts";
import { writeRows } from "../../lib/tabular/write.ts";
import { foldKey } from "../../lib/text.ts";
import { type Cell, isBlank } from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { IMPORT_KIND_SPECS } from "./kinds/index.ts";
import {
  type ColumnSpec,
  IMPORT_KINDS,
  type ImportKindName,
  type ImportResult,
  type RowIssue,
} from "./types.ts";

/** Rows per written batch unless the kind says otherwise (see db/chunks.ts on PGlite and big statements). */
const DEFAULT_BATCH = 100;

/** Data rows an import accepts unless configured otherwise (`IMPORT_MAX_ROWS`). */
export const DEFAULT_MAX_ROWS = 500_000;

/**
 * Errors (and warnings) kept in the result, for pages and the CLI; the rest are counted, and every
 * error goes to the errors file as it is found. Memory stays bounded whatever the file holds.
 */
export const MAX_KEPT_ISSUES = 1000;

class Rollback extends Error {}

/**
 * The tables an import of each kind writes, itself or by the triggers that keep the indicator facts
 * (their statistics are refreshed after it).
 */
const KIND_TABLES: Record<ImportKindName, readonly string[]> = {
  villages: ["villages"],
  units: ["units"],
  households: ["households"],
  residents: ["residents", "resident_facts", "households"],
  certifications: ["certifications", "resident_facts", "households"],
  activities: ["activities"],
  attendance: ["activity_sessions", "attendance", "resident_facts"],
  team_members: ["teams", "team_members"],
  visits: ["visits"],
  incidents: ["incidents"],
};

export type ImportOptions = {
  db: Db;
  communeId: number;
  kind: ImportKindName;
  /** Path of the file to read. */
  file: string;
  /** Its original name (an upload's temporary file has none): decides the format and shows in the audit trail. */
  fileName?: string;
  format?: FileFormat;
  sheet?: string | undefined;
  /** Check only: nothing is written. */
  dryRun?: boolean;
  /** Write the valid rows; invalid ones go to `rejectsFile`. Without it, one invalid row stops everything. */
  skipInvalid?: boolean;
  rejectsFile?: string | undefined;
  actor: Actor;
  /** yyyy-mm-dd: the day dates are checked against (no future birth dates). Default: today in Vietnam. */
  today?: string;
  onProgress?: (rows: number) => void;
  /** Bytes of the file read so far, and its size (see `readRows`). */
  onBytes?: (read: number, total: number) => void;
  /** Every error, one per line (row, column, reason), written as they are found: a `.csv` or `.xlsx`. */
  errorsFile?: string | undefined;
  /**
   * Runs inside the import's transaction once everything is written, before its commit (a web job
   * marks itself done there: the import and its job's end commit together or not at all).
   */
  onCommit?: ((tx: Db, result: ImportResult) => Promise<void>) | undefined;
  /** Language of the reasons in the rejects and errors files. */
  lang?: Lang;
  /** Largest number of data rows accepted (default `DEFAULT_MAX_ROWS`); above it nothing is written. */
  maxRows?: number;
  /** The reader's caps (see `READ_LIMITS`). */
  limits?: Partial<ReadLimits>;
};

/**
 * Rows pushed by the import loop, taken by a file writer as they come: at most a few hundred wait
 * in memory (the loop waits for the writer beyond that).
 */
class RowFeed implements AsyncIterable<FileCell[]> {
  private readonly queue: FileCell[][] = [];
  private wake: (() => void) | undefined;
  private room: (() => void) | undefined;
  private ended = false;
  /** Set when the writer stopped (failed): pushing no longer waits. */
  broken = false;

  async push(row: FileCell[]): Promise<void> {
    if (this.broken) return;
    this.queue.push(row);
    this.wake?.();
    if (this.queue.length >= 256) await new Promise<void>((resolve) => (this.room = resolve));
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  breakOff(): void {
    this.broken = true;
    this.queue.length = 0;
    this.room?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<FileCell[]> {
    for (;;) {
      const row = this.queue.shift();
      if (row) {
        if (this.queue.length < 128 && this.room) {
          const r = this.room;
          this.room = undefined;
          r();
        }
        yield row;
      } else if (this.ended) return;
      else {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    }
  }
}

/**
 * A file written from a feed while the import reads (`done` settles when it is closed); laid out as
 * the file read (`like`: delimiter and byte-order mark, or worksheet name) when of its format.
 */
function feedFile(
  file: string,
  header: string[],
  like?: FileLayout,
): { feed: RowFeed; done: Promise<number> } {
  const feed = new RowFeed();
  const format = detectFormat(file);
  const layout =
    like?.format !== format
      ? {}
      : like.format === "csv"
        ? { delimiter: like.delimiter, bom: like.bom }
        : { sheetName: like.sheet };
  const done = writeRows(file, { format, header, ...layout }, feed);
  done.catch(() => feed.breakOff());
  return { feed, done };
}

function headerMap(
  header: Cell[],
  columns: readonly ColumnSpec[],
): { index: Map<string, number>; found: Record<string, string>; unknown: string[] } {
  const byFolded = new Map<string, string>();
  for (const c of columns) {
    byFolded.set(foldKey(c.key), c.key);
    for (const a of c.aliases) byFolded.set(foldKey(a), c.key);
  }
  const index = new Map<string, number>();
  const found: Record<string, string> = {};
  const unknown: string[] = [];
  header.forEach((cell, i) => {
    if (isBlank(cell)) return;
    const text = String(cell);
    const key = byFolded.get(foldKey(text));
    if (key && !index.has(key)) {
      index.set(key, i);
      found[key] = text;
    } else {
      unknown.push(text);
    }
  });
  return { index, found, unknown };
}

/**
 * A column's name for people: the header its kind's files use (its first alias, Vietnamese: “Mã
 * thôn”), or in English the catalog's `col.<key>` when there is one.
 */
export function columnLabel(lang: Lang, kind: ImportKindName, key: string): string {
  const label = `col.${key}`;
  if (lang === "en" && isMsgKey(label)) return t(lang, label);
  return IMPORT_KIND_SPECS[kind].columns.find((c) => c.key === key)?.aliases[0] ?? key;
}

/**
 * The kind whose columns a header fits, when the chosen one does not: every required column of it
 * found, and the most of the header's columns explained (the first such kind in import order).
 */
export function guessKind(header: Cell[], chosen: ImportKindName): ImportKindName | undefined {
  let best: ImportKindName | undefined;
  let bestScore = 0;
  for (const kind of IMPORT_KINDS) {
    if (kind === chosen) continue;
    const columns = IMPORT_KIND_SPECS[kind].columns;
    const map = headerMap(header, columns);
    if (columns.some((c) => c.required && !map.index.has(c.key))) continue;
    const score = map.index.size - map.unknown.length / 100;
    if (score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  return best;
}

/** The header does not fit the chosen kind: which columns lack, and which kind it seems to be. */
function headerMismatch(
  kind: ImportKindName,
  header: Cell[],
  rowNumber: number,
  missing: string[] | undefined,
): AppError {
  const guess = guessKind(header, kind);
  const hint: MsgParams = guess ? { guess: { key: `kind.${guess}` }, guess_kind: guess } : {};
  // The headers a file of the kind uses (its Vietnamese ones), whatever the language of the message.
  const columns = (missing ?? []).map((key) => `“${columnLabel("vi", kind, key)}”`).join(", ");
  const params: MsgParams = { kind: { key: `kind.${kind}` }, row: rowNumber, ...hint };
  const message = missing
    ? msg(guess ? "import.missing_columns_guess" : "import.missing_columns", { ...params, columns })
    : msg(guess ? "import.no_header_guess" : "import.no_header", params);
  return new AppError("bad_request", { message });
}

/**
 * Imports one file of one kind (SPEC §5): all-or-nothing in one transaction by default; with
 * `skipInvalid` the valid rows are written and the invalid ones listed (and copied, unchanged, to
 * the rejects file); `dryRun` checks without writing. Re-importing the same file changes nothing.
 */
/**
 * Whether the rows of this import may name the enterprise and cooperative workers only: the economy
 * office's imports (SPEC §2), decided from the account on record, whatever route started it (a
 * citizen ID of anyone else is "not found", as if it did not exist). The CLI acts for the commune.
 */
async function importsWorkersOnly(db: Db, actor: Actor): Promise<boolean> {
  if (actor.userId === null) return false;
  const r = (await db.execute(sql`select role from users where id = ${actor.userId}`)) as unknown as {
    rows: { role: string }[];
  };
  return r.rows[0]?.role === "economy";
}

export async function runImport(opts: ImportOptions): Promise<ImportResult> {
  const spec = IMPORT_KIND_SPECS[opts.kind];
  const fileName = opts.fileName ?? opts.file;
  const format = opts.format ?? detectFormat(fileName);
  const today = opts.today ?? todayInVietnam();
  const result: ImportResult = {
    ok: false,
    kind: opts.kind,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    errorCount: 0,
    invalidRows: 0,
    warnings: [],
    warningCount: 0,
    columns: {},
    dryRun: !!opts.dryRun,
  };
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const lang = opts.lang ?? "vi";
  const warn = (w: RowIssue) => {
    result.warningCount++;
    if (result.warnings.length < MAX_KEPT_ISSUES) result.warnings.push(w);
  };
  // The rejects (with --skip-invalid) and the errors, each written as the rows are read.
  let rejects: ReturnType<typeof feedFile> | undefined;
  let errors: ReturnType<typeof feedFile> | undefined;
  const wantRejects = !!(opts.skipInvalid && opts.rejectsFile);
  let headerWidth = 0;
  let layout: FileLayout | undefined;
  const closeFiles = async () => {
    for (const f of [rejects, errors]) {
      f?.feed.end();
      await f?.done;
    }
  };

  try {
    await opts.db.transaction(async (tx) => {
      const context = await spec.load(tx, opts.communeId, {
        workersOnly: await importsWorkersOnly(tx, opts.actor),
      });
      let index: Map<string, number> | undefined;
      let batch: unknown[] = [];
      // One batch is written while the next is read and checked (on PostgreSQL the server works
      // meanwhile). Writes stay one at a time and in order; a failed write is thrown at the next
      // flush or at the end, before anything else is sent, so the transaction still rolls back whole.
      let writing: Promise<void> | undefined;
      const flush = async () => {
        if (writing) await writing;
        writing = undefined;
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        writing = spec.write(tx, opts.communeId, rows as never[], context as never).then((counts) => {
          result.inserted += counts.inserted;
          result.updated += counts.updated;
          result.unchanged += counts.unchanged;
        });
        writing.catch(() => {}); // handled when awaited
      };

      for await (const { rowNumber, cells } of readRows(opts.file, {
        format,
        sheet: opts.sheet,
        name: path.basename(fileName),
        onBytes: opts.onBytes,
        onLayout: (l) => (layout = l),
        ...(opts.limits ? { limits: opts.limits } : {}),
      })) {
        if (cells.every(isBlank)) continue;
        if (!index) {
          const map = headerMap(cells, spec.columns);
          if (map.index.size === 0) throw headerMismatch(opts.kind, cells, rowNumber, undefined);
          const missing = spec.columns.filter((c) => c.required && !map.index.has(c.key)).map((c) => c.key);
          if (missing.length > 0) throw headerMismatch(opts.kind, cells, rowNumber, missing);
          for (const name of map.unknown) {
            warn({ row: rowNumber, column: null, message: msg("import.unknown_column", { name }) });
          }
          index = map.index;
          result.columns = map.found;
          headerWidth = cells.length;
          if (wantRejects && opts.rejectsFile) {
            rejects = feedFile(
              opts.rejectsFile,
              [...cells.map((c) => (c === null ? "" : String(c))), t(lang, "imports.rejects_reason")],
              layout,
            );
          }
          if (opts.errorsFile) {
            errors = feedFile(opts.errorsFile, [
              t(lang, "imports.errors_file_row"),
              t(lang, "imports.errors_file_column"),
              t(lang, "imports.errors_file_reason"),
            ]);
          }
          continue;
        }
        result.rows++;
        if (result.rows > maxRows) {
          throw new AppError("bad_request", {
            message: msg("import.too_many_rows", { max: maxRows.toLocaleString("vi-VN") }),
          });
        }
        const at = index;
        const parsed = spec.parse(
          (key) => {
            const i = at.get(key);
            return i === undefined ? null : (cells[i] ?? null);
          },
          context as never,
          rowNumber,
          today,
        );
        for (const w of parsed.warnings) warn({ row: rowNumber, ...w });
        if (parsed.errors.length > 0 || parsed.value === undefined) {
          result.invalidRows++;
          const reasons: string[] = [];
          for (const e of parsed.errors) {
            const issue = { row: rowNumber, ...e };
            result.errorCount++;
            if (result.errors.length < MAX_KEPT_ISSUES) result.errors.push(issue);
            if (errors) {
              const column = e.column
                ? (result.columns[e.column] ?? columnLabel(lang, opts.kind, e.column))
                : "";
              await errors.feed.push([rowNumber, column, t(lang, e.message.key, e.message.params)]);
            }
            if (rejects) reasons.push(describeIssue(lang, issue, opts.kind));
          }
          if (rejects) {
            const padded = Array.from(
              { length: Math.max(headerWidth, cells.length) },
              (_, j) => cells[j] ?? null,
            );
            await rejects.feed.push([...padded, reasons.join("; ")]);
          }
        } else {
          batch.push(parsed.value);
          if (batch.length >= (spec.batchSize ?? DEFAULT_BATCH)) await flush();
        }
        if (result.rows % 1000 === 0) opts.onProgress?.(result.rows);
      }
      if (!index) throw new AppError("bad_request", { message: msg("import.empty_file") });
      await flush();
      await writing;
      opts.onProgress?.(result.rows);

      const invalid = result.invalidRows > 0;
      result.ok = !invalid || !!opts.skipInvalid;
      // The files are whole before anything is committed (a write error aborts the import).
      await closeFiles();
      if (!result.ok || opts.dryRun) throw new Rollback();
      result.rejected = result.invalidRows;
      await recordAudit(tx, opts.actor, {
        action: `import.${opts.kind}`,
        entity: opts.kind,
        after: {
          file: path.basename(fileName),
          rows: result.rows,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          rejected: result.rejected,
        },
      });
      await opts.onCommit?.(tx, result);
    });
  } catch (err) {
    if (!(err instanceof Rollback)) {
      // A refused file leaves no partial rejects or errors file behind.
      await closeFiles().catch(() => {});
      for (const f of [opts.rejectsFile, opts.errorsFile])
        if (f) await fs.promises.rm(f, { force: true }).catch(() => {});
      throw err;
    }
    // Nothing was written. A dry run's counts say what would have been; a refused import's are zero.
    if (!result.dryRun) {
      result.inserted = 0;
      result.updated = 0;
      result.unchanged = 0;
    }
  }

  // Fresh planner statistics for what was written: PGlite runs no autovacuum, and a table the
  // planner believes empty turns the indicators' joins into nested loops (seconds instead of ms).
  if (!result.dryRun && result.ok && result.inserted + result.updated > 0) {
    await opts.db.execute(sql.raw(`analyze ${KIND_TABLES[opts.kind].join(", ")}`));
  }

  // No rejected row (or a refused import): no rejects file.
  if (wantRejects && opts.rejectsFile && (!result.ok || result.rejected === 0 || result.dryRun))
    await fs.promises.rm(opts.rejectsFile, { force: true }).catch(() => {});
  return result;
}

/** “column: message” in a language, the column by its name for people (“Ngày sinh: …”), for the rejects file and the CLI. */
export function describeIssue(lang: Lang, e: RowIssue, kind: ImportKindName): string {
  const text = t(lang, e.message.key, e.message.params);
  return e.column ? `${columnLabel(lang, kind, e.column)}: ${text}` : text;
}
