import { msg } from "../../../lib/errors.ts";
import type { RowChecker, WriteCounts } from "../../../lib/row-checker.ts";
import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";

/** Notes a row's natural key; a key seen before in the file is an error on `column` naming the first row. */
export function noteFirstRow(
  seen: Map<string, number>,
  key: string,
  rowNumber: number,
  c: RowChecker,
  column: string | null,
) {
  const first = seen.get(key);
  if (first !== undefined) c.fail(column, msg("import.duplicate_in_file", { row: first }));
  else seen.set(key, rowNumber);
}

/**
 * The write of a kind keyed by `code` (villages, units, households): rows whose code is on record
 * update it when a value differs, others are inserted together. `byCode` is kept current.
 */
export async function upsertByCode<R extends { code: string }, E extends { id: number; code: string }>(
  rows: R[],
  byCode: Map<string, E>,
  ops: { update(existing: E, row: R): Promise<void>; insert(rows: R[]): Promise<E[]> },
): Promise<WriteCounts> {
  const counts = emptyCounts();
  const fresh: R[] = [];
  for (const r of rows) {
    const existing = byCode.get(r.code);
    if (!existing) fresh.push(r);
    else if (sameValues(existing as unknown as Record<string, unknown>, r)) counts.unchanged++;
    else {
      await ops.update(existing, r);
      byCode.set(r.code, { ...existing, ...r });
      counts.updated++;
    }
  }
  for (const e of await ops.insert(fresh)) byCode.set(e.code, e);
  counts.inserted += fresh.length;
  return counts;
}
