/**
 * The commune's data version (table `data_versions`): raised at the commit of every write that
 * changes what the indicators and lists read (migration 0008's deferred triggers). Answers computed
 * from the data can be kept in memory under the version read before computing them: never older
 * than that version, they are valid until the next write; several app processes agree, since the
 * version lives in the database.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";

/** The commune's data version; 0 before its first write. */
export async function dataVersionOf(db: Db, communeId: number): Promise<number> {
  const result = (await db.execute(
    sql`select version from data_versions where commune_id = ${communeId}`,
  )) as unknown as { rows: { version: number }[] };
  const row = result.rows[0];
  return row ? Number(row.version) : 0;
}

/**
 * The installation's data version, for answers about every commune at once (the province's
 * ranking): the sum of the communes' versions plus the number of communes. Each term only grows
 * and every write raises one of them, so the sum rises with every write anywhere.
 */
export async function installationVersionOf(db: Db): Promise<number> {
  const result = (await db.execute(
    sql`select (select coalesce(sum(version), 0) from data_versions)
      + (select count(*) from communes) as version`,
  )) as unknown as { rows: { version: number | string }[] };
  return Number(result.rows[0]?.version ?? 0);
}

const MAX_ENTRIES = 500;

/** Answers kept by data version, per database: the dashboard's figures, the lists, the residents count. */
const byDatabase = new WeakMap<Db, Map<string, { version: number; value: Promise<unknown> }>>();

/**
 * `compute()` once per (database, commune, key) and data version: the version is read first, so an
 * answer kept is never older than the version it is kept under. Requests that arrive while it is
 * being computed share that computation (after a write, fifty dashboards compute once, not fifty
 * times); a computation that fails is forgotten. `key` must name everything the answer depends on
 * besides the commune's data (the viewer's role and scope, the dates, the page).
 */
export async function knownByVersion<T>(opts: {
  db: Db;
  /** The commune whose version keys the answer, or the whole installation's (installationVersionOf). */
  communeId: number | "installation";
  key: string;
  compute: () => Promise<T>;
}): Promise<{ value: T; cached: boolean }> {
  const { db, communeId } = opts;
  const version =
    communeId === "installation" ? await installationVersionOf(db) : await dataVersionOf(db, communeId);
  let entries = byDatabase.get(db);
  if (!entries) {
    entries = new Map();
    byDatabase.set(db, entries);
  }
  const key = `${communeId}|${opts.key}`;
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    entries.delete(key);
    entries.set(key, hit);
    return { value: (await hit.value) as T, cached: true };
  }
  const value = opts.compute();
  // A request that read an older version must not replace the answer of a newer one.
  if (!hit || hit.version < version) {
    const entry = { version, value: value as Promise<unknown> };
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
  }
  return { value: await value, cached: false };
}
