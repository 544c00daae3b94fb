import type { Db } from "../../../db/client.ts";
import { msg } from "../../../lib/errors.ts";
import type { RowChecker, WriteCounts } from "../../../lib/row-checker.ts";
import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import type { Cell } from "../../../lib/values.ts";
import type { Permission } from "../../auth/policy.ts";
import type { ColumnSpec, ImportKind, ImportKindName } from "../types.ts";

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

/** What a kind keyed by `code` loads once per import: what rows refer to, the records on record by code. */
export type ByCodeContext<E, Refs> = { refs: Refs; byCode: Map<string, E>; seen: Map<string, number> };

/**
 * A kind keyed by `code` (villages, units, households, activities, incidents, markets): `loadRefs`
 * reads what rows refer to (villages, units by code) and `loadRows` the kind's records, once per
 * import; `check` is the forms' row check, whose code (when it parsed) marks a code seen twice in the
 * file; the write updates the rows on record that differ and inserts the others with the commune.
 */
export function byCodeKind<
  R extends { code: string },
  E extends { id: number; code: string },
  Refs = undefined,
>(spec: {
  name: ImportKindName;
  permission: Permission;
  columns: readonly ColumnSpec[];
  loadRefs?: (db: Db, communeId: number) => Promise<Refs>;
  loadRows: (db: Db, communeId: number) => Promise<E[]>;
  check: (
    get: (key: string) => Cell,
    refs: Refs,
    today: string,
  ) => { checker: RowChecker; code?: string | undefined; value?: R | undefined };
  /** Writes a row's values over the record of that id. */
  update: (db: Db, id: number, row: R) => Promise<void>;
  insert: (db: Db, rows: (R & { communeId: number })[]) => Promise<E[]>;
}): ImportKind<R, ByCodeContext<E, Refs>> {
  return {
    name: spec.name,
    permission: spec.permission,
    columns: spec.columns,
    async load(db, communeId) {
      const refs = (await spec.loadRefs?.(db, communeId)) as Refs;
      const rows = await spec.loadRows(db, communeId);
      return { refs, byCode: mapByCode(rows), seen: new Map() };
    },
    parse(get, ctx, rowNumber, today) {
      const { checker: c, code, value } = spec.check(get, ctx.refs, today);
      const key = code ?? value?.code;
      if (key !== undefined) noteFirstRow(ctx.seen, key, rowNumber, c, "code");
      return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
    },
    write(db, communeId, rows, ctx) {
      return upsertByCode(rows, ctx.byCode, {
        update: (existing, r) => spec.update(db, existing.id, r),
        insert: (fresh) =>
          spec.insert(
            db,
            fresh.map((r) => ({ communeId, ...r })),
          ),
      });
    },
  };
}

/** The rows by their code. */
export const mapByCode = <T extends { code: string }>(rows: readonly T[]) =>
  new Map(rows.map((r) => [r.code, r]));

/** Inserts rows one at a time with a repo function that returns the new id (kinds whose insert takes one row). */
export async function insertEach<V>(
  values: V[],
  insertOne: (v: V) => Promise<number>,
): Promise<(V & { id: number })[]> {
  const out = [];
  for (const v of values) out.push({ ...v, id: await insertOne(v) });
  return out;
}
