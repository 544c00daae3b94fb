import type { CellIssue } from "../features/imports/types.ts";
import { type FieldErrors, type Msg, msg } from "./errors.ts";
import type { MsgKey } from "./i18n/index.ts";
import { isMsgKey } from "./i18n/index.ts";
import type { Cell, Result } from "./values.ts";

/** A row's cell by its column key: an import row's, a form's or an API body's. */
export type GetCell = (key: string) => Cell;

/** A row's check: the checker with its errors and warnings, and the value when there are no errors. */
export type RowCheck<T> = { checker: RowChecker; value?: T };

/** Collects a cell's parse result: its value, or its error (and any warning) under its column. */
export class RowChecker {
  readonly errors: CellIssue[] = [];
  readonly warnings: CellIssue[] = [];

  take<T>(column: string, r: Result<T>): T | undefined {
    if (!r.ok) {
      this.errors.push({ column, message: r.error });
      return undefined;
    }
    if (r.warning) this.warnings.push({ column, message: r.warning });
    return r.value;
  }

  fail(column: string | null, message: Msg): undefined {
    this.errors.push({ column, message });
    return undefined;
  }

  /**
   * What a code taken from `column` resolves to by `find`; a code `find` does not know fails the
   * column with `unknown` (a message taking the code). No code: nothing to resolve.
   */
  resolve<T>(
    column: string,
    code: string | null | undefined,
    unknown: MsgKey,
    find: (code: string) => T | undefined,
  ): T | undefined {
    if (code === undefined || code === null) return undefined;
    const found = find(code);
    if (!found) this.fail(column, msg(unknown, { code }));
    return found;
  }

  get ok() {
    return this.errors.length === 0;
  }
}

/**
 * A checker's errors as a form's field messages (the first per field), GOV.UK-style: each names its
 * field, so the error summary reads alone — "Vui lòng nhập Họ và tên.", "Ngày sinh: Ngày không tồn
 * tại…" — for the fields whose label is a column's (`col.<column>`). Errors of no column go under `_`.
 */
export function checkerFieldErrors(errors: readonly CellIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const e of errors) {
    const name = e.column ?? "_";
    if (fields[name]) continue;
    const label = `col.${name}`;
    fields[name] =
      !isMsgKey(label) || !e.message.key.startsWith("values.")
        ? e.message
        : e.message.key === "values.required"
          ? msg("v.required", { field: { key: label } })
          : msg("v.field_problem", { field: { key: label }, problem: e.message });
  }
  return fields;
}

/** Counts of a written batch. */
export type WriteCounts = { inserted: number; updated: number; unchanged: number };

export function emptyCounts(): WriteCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

/** True when every key of `next` has the same value in `current` (arrays compared in order). */
export function sameValues(current: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(next)) {
    const c = current[k];
    if (Array.isArray(v) && Array.isArray(c)) {
      if (v.length !== c.length || v.some((x, i) => x !== c[i])) return false;
    } else if ((c ?? null) !== (v ?? null)) {
      return false;
    }
  }
  return true;
}
