import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { detectFormat, type FileFormat, readRows } from "../../lib/tabular/read.ts";
import { writeRows } from "../../lib/tabular/write.ts";
import { foldKey } from "../../lib/text.ts";
import { type Cell, isBlank } from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { IMPORT_KIND_SPECS } from "./kinds/index.ts";
import type { ColumnSpec, ImportKindName, ImportResult, RowIssue } from "./types.ts";

/** Rows per written batch unless the kind says otherwise (see db/chunks.ts on PGlite and big statements). */
const DEFAULT_BATCH = 100;

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
  /** Language of the reasons in the rejects file. */
  lang?: Lang;
};

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
 * Imports one file of one kind (SPEC §5): all-or-nothing in one transaction by default; with
 * `skipInvalid` the valid rows are written and the invalid ones listed (and copied, unchanged, to
 * the rejects file); `dryRun` checks without writing. Re-importing the same file changes nothing.
 */
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
    warnings: [],
    columns: {},
    dryRun: !!opts.dryRun,
  };
  let headerCells: Cell[] = [];
  const rejects: { row: number; cells: Cell[] }[] = [];

  try {
    await opts.db.transaction(async (tx) => {
      const context = await spec.load(tx, opts.communeId);
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
      })) {
        if (cells.every(isBlank)) continue;
        if (!index) {
          const map = headerMap(cells, spec.columns);
          if (map.index.size === 0) {
            throw new AppError("bad_request", {
              message: msg("import.no_header", { kind: opts.kind, row: rowNumber }),
            });
          }
          const missing = spec.columns.filter((c) => c.required && !map.index.has(c.key)).map((c) => c.key);
          if (missing.length > 0) {
            throw new AppError("bad_request", {
              message: msg("import.missing_columns", { columns: missing.join(", "), row: rowNumber }),
            });
          }
          for (const name of map.unknown) {
            result.warnings.push({
              row: rowNumber,
              column: null,
              message: msg("import.unknown_column", { name }),
            });
          }
          index = map.index;
          result.columns = map.found;
          headerCells = cells;
          continue;
        }
        result.rows++;
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
        for (const w of parsed.warnings) result.warnings.push({ row: rowNumber, ...w });
        if (parsed.errors.length > 0 || parsed.value === undefined) {
          for (const e of parsed.errors) result.errors.push({ row: rowNumber, ...e });
          rejects.push({ row: rowNumber, cells });
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

      const invalid = result.errors.length > 0;
      result.ok = !invalid || !!opts.skipInvalid;
      if (!result.ok || opts.dryRun) throw new Rollback();
      result.rejected = rejects.length;
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
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
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

  if (opts.skipInvalid && opts.rejectsFile && rejects.length > 0) {
    const lang = opts.lang ?? "vi";
    const reasons = new Map<number, string[]>();
    for (const e of result.errors)
      reasons.set(e.row, [...(reasons.get(e.row) ?? []), describeIssue(lang, e)]);
    const header = [...headerCells.map((c) => (c === null ? "" : String(c))), "reason"];
    const width = headerCells.length;
    await writeRows(
      opts.rejectsFile,
      { format: detectFormat(opts.rejectsFile), header },
      rejects.map(({ row, cells }) => [
        ...Array.from({ length: Math.max(width, cells.length) }, (_, j) => cells[j] ?? null),
        (reasons.get(row) ?? []).join("; "),
      ]),
    );
  }
  return result;
}

/** “column: message” in a language, for the rejects file and the CLI. */
export function describeIssue(lang: Lang, e: RowIssue): string {
  const text = t(lang, e.message.key, e.message.params);
  return e.column ? `${e.column}: ${text}` : text;
}
