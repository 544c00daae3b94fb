import { and, count, eq, getTableColumns, type SQL } from "drizzle-orm";
import type {
  AnyPgColumn,
  PgInsertValue,
  PgSelect,
  PgTable,
  PgUpdateSetSource,
  SelectedFields,
} from "drizzle-orm/pg-core";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { now } from "../lib/clock.ts";
import type { Db } from "./client.ts";

// Small typed helpers the features' repo.ts files share; only repo.ts modules call them (rule 2), and
// each repo function keeps the viewer's scope in its own signature (rule 6): these take a ready `where`.

/** A list's page: how many rows, after how many. */
export type Page = { limit: number; offset: number };

/** One page of a list and how many rows the whole filter matches. */
export type Paged<T> = { items: T[]; total: number };

/** An ordered select that can still be cut to a page (what drizzle's builders offer). */
export type Pageable<T> = { limit(n: number): { offset(n: number): PromiseLike<T[]> } };

/** How many rows of `table` match `where` (all of them without one). */
export async function countRows(db: Db, table: PgTable, where?: SQL): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

/** The page of an ordered select, with the count of `table`'s rows matching the same `where`. */
export async function pagedRows<T>(
  db: Db,
  page: Page,
  rows: Pageable<T>,
  counted: { table: PgTable; where: SQL | undefined },
): Promise<Paged<T>> {
  const items = await rows.limit(page.limit).offset(page.offset);
  return { items, total: await countRows(db, counted.table, counted.where) };
}

/** The first row a select returns, if any. */
export async function firstRow<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  const [row] = await rows;
  return row;
}

/** `text` with the `like` wildcards (`%`, `_`) and the escape character taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** The `like` pattern that finds `text` anywhere in a value. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A table with a serial `id`. */
type WithId = PgTable & { id: AnyPgColumn };

/** Inserts one row and returns its new id. */
export async function insertRowId<T extends WithId>(
  db: Db,
  table: T,
  values: PgInsertValue<T>,
): Promise<number> {
  const [row] = await db.insert(table).values(values).returning({ id: table.id });
  return row!.id as number;
}

/** Sets the given columns of the row `id`, and its `updated_at` to now. */
export async function updateRowById<T extends WithId & { updatedAt: AnyPgColumn }>(
  db: Db,
  table: T,
  id: number,
  values: PgUpdateSetSource<T>,
): Promise<void> {
  await db
    .update(table)
    .set({ ...values, updatedAt: now() } as PgUpdateSetSource<T>)
    .where(eq(table.id, id));
}

/** Sets the given columns of the row `id`, and nothing else (no `updated_at`: a correction, not an edit). */
export async function setRowById<T extends WithId>(
  db: Db,
  table: T,
  id: number,
  values: PgUpdateSetSource<T>,
): Promise<void> {
  await db.update(table).set(values).where(eq(table.id, id));
}

/** Deletes the row `id`, a serial or a text key (what refers to it goes with it where the schema cascades). */
export async function deleteRowById(db: Db, table: WithId, id: number | string): Promise<void> {
  await db.delete(table).where(eq(table.id, id));
}

/** The page of an ordered select, with its total from a count select (`{ n: count() }`, joined as the filter needs). */
export async function pageWithCount<T>(
  page: Page,
  rows: Pageable<T>,
  counted: PromiseLike<{ n: number }[]>,
): Promise<Paged<T>> {
  const items = await rows.limit(page.limit).offset(page.offset);
  const [row] = await counted;
  return { items, total: row?.n ?? 0 };
}

/** The named columns of `table`, for a select that names its columns (rule 2) on one line. */
export function columnsOf<T extends PgTable, K extends keyof T["_"]["columns"] & string>(
  table: T,
  ...keys: K[]
): Pick<T["_"]["columns"], K> {
  const all = getTableColumns(table) as T["_"]["columns"];
  return Object.fromEntries(keys.map((k) => [k, all[k]])) as Pick<T["_"]["columns"], K>;
}

/** Values for some of `table`'s columns, by their property names (`{ communeId, code }`). */
export type ColumnValues<T extends PgTable> = {
  [K in keyof T["_"]["columns"]]?: T["_"]["columns"][K]["_"]["data"];
};

/** The where-clause "each named column of `table` equals its value" (a natural key, a parent and a key). */
export function matching<T extends PgTable>(table: T, values: ColumnValues<T>): SQL | undefined {
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>;
  return and(...Object.entries(values).map(([key, value]) => eq(columns[key]!, value)));
}

/** The first row of `table` whose named columns equal the given values, as `fields` selects it. */
export async function findRowBy<T extends PgTable, F extends SelectedFields>(
  db: Db,
  table: T,
  fields: F,
  values: ColumnValues<T>,
): Promise<SelectResultFields<F> | undefined> {
  const [row] = await db
    .select(fields)
    .from(table as PgTable)
    .where(matching(table, values));
  return row as SelectResultFields<F> | undefined;
}

/**
 * A feature's listed records: the one select (its columns and joins, made `$dynamic()`) that its list
 * and its record page share, and the where-clause of a viewer's scope on it. `find` takes the scope in
 * its signature (rule 6), so a record page cannot forget it.
 */
export function scopedRecords<S, Q extends PgSelect>(spec: {
  select: (db: Db) => Q;
  id: AnyPgColumn;
  scope: (scope: S) => SQL | undefined;
}) {
  return {
    /** The shared select, for the list to filter, order and page. */
    select: spec.select,
    /** The record `id`, if it lies in the scope. */
    async find(db: Db, scope: S, id: number): Promise<Q["_"]["result"][number] | undefined> {
      const [row] = await spec.select(db).where(and(eq(spec.id, id), spec.scope(scope)));
      return row;
    },
  };
}

/**
 * The writes of a feature's records on `table`, typed by the feature's values `V`: insert (returns the
 * new id), update by id (and `updated_at` to now), delete by id.
 */
export function recordWriters<T extends WithId & { updatedAt: AnyPgColumn }, V>(table: T) {
  return {
    insert: (db: Db, values: V): Promise<number> => insertRowId(db, table, values as PgInsertValue<T>),
    update: (db: Db, id: number, values: Partial<V>): Promise<void> =>
      updateRowById(db, table, id, values as PgUpdateSetSource<T>),
    delete: (db: Db, id: number): Promise<void> => deleteRowById(db, table, id),
  };
}

/** What a list counts: the rows of `table`, inner-joined to what its where-clause names (`[table, on]` each). */
export type Counted = { table: PgTable; joins?: [PgTable, SQL][] };

/** How many rows of `counted.table`, joined as it says, match `where`. */
export async function countJoined(db: Db, counted: Counted, where: SQL | undefined): Promise<number> {
  let rows = db.select({ n: count() }).from(counted.table).$dynamic();
  for (const [table, on] of counted.joins ?? []) rows = rows.innerJoin(table, on);
  const [row] = await rows.where(where);
  return row?.n ?? 0;
}

/**
 * A feature's paged list `(db, scope, filter, page)`: the where-clause of the scope (rule 6) and the
 * filter, the ordered select it cuts to a page, and what it counts for the total.
 */
export function pagedList<S, F, T>(spec: {
  where: (scope: S, filter: F) => SQL | undefined;
  rows: (db: Db, where: SQL | undefined) => Pageable<T>;
  counted: Counted;
}): (db: Db, scope: S, filter: F, page: Page) => Promise<Paged<T>> {
  return async (db, scope, filter, page) => {
    const where = spec.where(scope, filter);
    const items = await spec.rows(db, where).limit(page.limit).offset(page.offset);
    return { items, total: await countJoined(db, spec.counted, where) };
  };
}
