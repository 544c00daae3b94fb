import type { Db } from "../../db/client.ts";
import type { Msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import type { Permission } from "../auth/policy.ts";

export const IMPORT_KINDS = [
  "villages",
  "units",
  "households",
  "residents",
  "certifications",
  "activities",
  "attendance",
  "team_members",
  "visits",
  "incidents",
] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

/** A column of an import file: its key (the data README's) and the headers that mean it. */
export type ColumnSpec = { key: string; aliases: readonly string[]; required?: boolean };

/** A problem with one cell (or a whole row, with column null). */
export type CellIssue = { column: string | null; message: Msg };

export type Parsed<R> = { value?: R; errors: CellIssue[]; warnings: CellIssue[] };

/** What the engine needs of one kind: its columns, how a row is checked, how a batch is written. */
export type ImportKind<R, C = unknown> = {
  name: ImportKindName;
  columns: readonly ColumnSpec[];
  permission: Permission;
  /** Rows per written batch (default 100); kinds whose writes pass arrays may take more. */
  batchSize?: number;
  /**
   * Loads what rows refer to (villages by code, …) once per import. `workersOnly`: the rows may name
   * the commune's enterprise and cooperative workers only (the economy office's imports).
   */
  load(db: Db, communeId: number, who: { workersOnly: boolean }): Promise<C>;
  /**
   * Checks and normalizes one row. `rowNumber` lets within-file duplicates name their first row.
   * May record the row's natural key in `context` to catch duplicates in the file.
   */
  parse(get: (key: string) => Cell, context: C, rowNumber: number, today: string): Parsed<R>;
  /** Upserts a batch of valid rows by natural key, inside the import's transaction. */
  write(
    db: Db,
    communeId: number,
    rows: R[],
    context: C,
  ): Promise<{ inserted: number; updated: number; unchanged: number }>;
};

export type RowIssue = { row: number; column: string | null; message: Msg };

export type ImportResult = {
  ok: boolean;
  kind: ImportKindName;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows written to the rejects file (with --skip-invalid). */
  rejected: number;
  /** The first `MAX_KEPT_ISSUES` errors (every one goes to the errors file, when asked). */
  errors: RowIssue[];
  /** How many errors there are in all, and in how many rows. */
  errorCount: number;
  invalidRows: number;
  /** The first `MAX_KEPT_ISSUES` warnings, and how many there are in all. */
  warnings: RowIssue[];
  warningCount: number;
  /** The header mapping found: column key → the file's header text. */
  columns: Record<string, string>;
  dryRun: boolean;
};
