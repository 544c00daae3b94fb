import type { CellIssue } from "../features/imports/types.ts";
import type { Msg } from "./errors.ts";
import type { Result } from "./values.ts";

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

  get ok() {
    return this.errors.length === 0;
  }
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
