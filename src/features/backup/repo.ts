import { desc, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { auditEvents } from "../../db/schema.ts";

/** A table of the `public` schema with the columns a backup carries (generated columns are not). */
export type TableInfo = { name: string; columns: string[]; primaryKey: string[] };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/**
 * Every table of the `public` schema, parents before children (foreign keys), with its insertable
 * columns in their order and its primary key. Read from the catalog, so a table added by a later
 * migration is carried without a change here.
 */
export async function listTables(db: Db): Promise<TableInfo[]> {
  const cols = await rows<{ table_name: string; column_name: string; is_generated: string }>(
    db,
    sql`select table_name, column_name, is_generated from information_schema.columns
        where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const tables = await rows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
  );
  const pks = await rows<{ name: string; col: string }>(
    db,
    sql`select c.relname as name, a.attname as col
        from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
        join lateral unnest(i.indkey) with ordinality k(attnum, pos) on true
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where n.nspname = 'public' and i.indisprimary order by c.relname, k.pos`,
  );
  const fks = await rows<{ child: string; parent: string }>(
    db,
    sql`select distinct c.relname as child, p.relname as parent
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        join pg_namespace n on n.oid = c.relnamespace
        where k.contype = 'f' and n.nspname = 'public'`,
  );
  const info = new Map<string, TableInfo>();
  for (const t of tables) info.set(t.name, { name: t.name, columns: [], primaryKey: [] });
  for (const c of cols) if (c.is_generated !== "ALWAYS") info.get(c.table_name)?.columns.push(c.column_name);
  for (const k of pks) info.get(k.name)?.primaryKey.push(k.col);
  // Topological order; a self-reference is satisfied by inserting rows in primary-key order.
  const parents = new Map<string, Set<string>>([...info.keys()].map((n) => [n, new Set<string>()]));
  for (const f of fks) if (f.child !== f.parent) parents.get(f.child)?.add(f.parent);
  const out: TableInfo[] = [];
  const done = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const p of parents.get(name) ?? []) visit(p, path);
    path.delete(name);
    done.add(name);
    out.push(info.get(name)!);
  };
  for (const name of info.keys()) visit(name, new Set());
  return out;
}

/** The table's rows as JSON text (`to_jsonb`), in primary-key order. */
export async function readTableJson(db: Db, table: TableInfo): Promise<string[]> {
  const cols = table.columns.map((c) => `${ident(c)}`).join(", ");
  const order = table.primaryKey.length ? ` order by ${table.primaryKey.map(ident).join(", ")}` : "";
  const r = await rows<{ j: string }>(
    db,
    sql.raw(`select to_jsonb(x)::text as j from (select ${cols} from ${ident(table.name)}${order}) x`),
  );
  return r.map((x) => x.j);
}

/**
 * Inserts rows given as a JSON array text through `jsonb_populate_recordset`: one parameter per
 * statement whatever the width of the rows (PGlite aborts on statements with very many values),
 * and every type (bytea, arrays, jsonb, timestamptz) read back by its own input function.
 */
export async function insertTableJson(db: Db, table: TableInfo, columns: string[], jsonArray: string) {
  const cols = columns.map(ident).join(", ");
  await db.execute(
    sql`${sql.raw(`insert into ${ident(table.name)} (${cols}) overriding system value select ${cols} from jsonb_populate_recordset(null::${ident(table.name)}, `)}${jsonArray}${sql.raw("::jsonb)")}`,
  );
}

/** Sets each serial column's sequence past the largest id (after a load with explicit ids). */
/** Runs the transaction's pending deferred triggers now (`set constraints all immediate`). */
export async function fireDeferredTriggers(db: Db): Promise<void> {
  await db.execute(sql`set constraints all immediate`);
}

export async function resetSequences(db: Db): Promise<void> {
  const seqs = await rows<{ table_name: string; column_name: string; seq: string }>(
    db,
    sql`select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
        from information_schema.columns
        where table_schema = 'public' and column_default like 'nextval(%'`,
  );
  for (const s of seqs) {
    if (!s.seq) continue;
    await db.execute(
      sql.raw(
        `select setval('${s.seq.replace(/'/g, "''")}', coalesce((select max(${ident(s.column_name)}) from ${ident(s.table_name)}), 0) + 1, false)`,
      ),
    );
  }
}

/** The table holding the most rows among those that `holdsData` looks at, or undefined if all are empty. */
export async function firstNonEmptyTable(
  db: Db,
  tables: string[],
): Promise<{ table: string; rows: number } | undefined> {
  for (const t of tables) {
    const [r] = await rows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${ident(t)}`));
    if (r && r.n > 0) return { table: t, rows: r.n };
  }
  return undefined;
}

/** The migrations applied to the database (drizzle's journal), by their `created_at` (the folder's millis). */
export async function appliedMigrations(db: Db): Promise<number[]> {
  const [exists] = await rows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return [];
  const r = await rows<{ created_at: string | number }>(
    db,
    sql`select created_at from drizzle.__drizzle_migrations order by created_at`,
  );
  return r.map((x) => Number(x.created_at));
}

export async function publicTableCount(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')`,
  );
  return r?.n ?? 0;
}

/** Empties every table of the `public` schema (row triggers do not fire on TRUNCATE). */
export async function truncateAll(db: Db, tables: string[]): Promise<void> {
  if (!tables.length) return;
  await db.execute(sql.raw(`truncate ${tables.map(ident).join(", ")} restart identity cascade`));
}

/** Drops the application's schema and drizzle's journal, to rebuild them at another version. */
export async function dropSchema(db: Db): Promise<void> {
  await db.execute(sql.raw("drop schema public cascade"));
  await db.execute(sql.raw("create schema public"));
  await db.execute(sql.raw("drop table if exists drizzle.__drizzle_migrations"));
}

/** Runs one migration's statements and records it in drizzle's journal, as drizzle's migrator does. */
export async function applyMigration(db: Db, m: { sql: string[]; hash: string; folderMillis: number }) {
  await db.execute(sql.raw("create schema if not exists drizzle"));
  await db.execute(
    sql.raw(
      "create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)",
    ),
  );
  for (const stmt of m.sql) if (stmt.trim()) await db.execute(sql.raw(stmt));
  await db.execute(
    sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`,
  );
}

/** The communes of the installation, for the backup's header. */
export async function listCommuneHeads(db: Db) {
  return rows<{ code: string; name: string; province: string }>(
    db,
    sql`select code, name, province from communes order by id`,
  );
}

/** The latest backup outcome recorded in the audit trail (scheduled, taken on the web, failed). */
export async function latestBackupEvent(db: Db) {
  const [row] = await db
    .select({ action: auditEvents.action, at: auditEvents.at, after: auditEvents.after })
    .from(auditEvents)
    .where(inArray(auditEvents.action, ["backup.scheduled", "backup.failed"]))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row;
}
