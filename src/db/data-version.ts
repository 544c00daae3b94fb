/**
 * The commune's data versions (table `data_versions`): one raised at the commit of every write that
 * changes what the indicators and lists read (migration 0008's deferred triggers), and one per
 * family of inputs, raised by the writes to that family's tables only (migration 0021). Answers
 * computed from the data can be kept in memory under the versions of the families they read, read
 * before computing them: never older than those versions, they are valid until the next write to
 * one of those families; several app processes agree, since the versions live in the database.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";

/**
 * The families of inputs and their tables (migration 0021's triggers). What each kept answer reads
 * is written beside it (features/indicators/cache.ts). `facts` is the tables `resident_facts` and
 * `household_facts`, which triggers derive from residents, households, certifications and
 * attendance with its sessions' dates: its version rises only when a fact the indicators read
 * changes (a tick of a non-worker's attendance, a phone edited, raise none).
 */
export const FAMILIES = {
  registry: ["villages", "units", "households", "residents"],
  certifications: ["certifications"],
  activities: ["activities", "activity_sessions"],
  attendance: ["attendance"],
  teams: ["teams", "team_members"],
  visits: ["visits", "visit_residents"],
  incidents: ["incidents"],
  reports: ["reports"],
  plans: ["plans"],
  /** Derived by 0006's triggers; raised only when a fact the indicators read changes (migration 0021). */
  facts: ["resident_facts", "household_facts"],
  /**
   * An enterprise worker's first training session attended (`resident_facts.first_attended`, read
   * for workers only: indicator 5), raised by migration 0026 instead of facts: a tick of attendance
   * recomputes indicator 5's figures and list, not every resident figure and list.
   */
  attended: ["resident_facts"],
  /**
   * What a signed-in request reads of its session (features/auth/repo.ts `findSessionWithUser`),
   * raised by migration 0023's triggers, not by a new session nor its last-seen touch. It leaves
   * the overall version alone (no figure reads a session); the header's commune is kept by it too.
   */
  sessions: ["sessions", "users", "user_villages", "communes"],
  /** The "Chợ số" markets and their vendors (migration 0025): the dashboard's market figures. */
  markets: ["markets", "vendors"],
} as const;
export type Family = keyof typeof FAMILIES;
const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];

/** The commune's versions: `all` raised by every write, one per family by its tables' writes. */
export type Versions = { all: number } & Record<Family, number>;

/**
 * The columns of every version of `data_versions` row `alias`, each as its family's name (`all` for
 * the overall one): for a statement that reads the versions beside something else
 * (auth/repo.ts `findSessionWithUser`); `versionsFrom` turns them into `Versions`.
 */
export function versionColumns(alias: string) {
  return sql.raw(
    [`${alias}.version as "all"`, ...FAMILY_NAMES.map((f) => `${alias}.${f}_version as "${f}"`)].join(", "),
  );
}

/** The versions of a row read with `versionColumns`; all 0 when the commune has no row yet. */
export function versionsFrom(row: Record<string, unknown> | undefined): Versions {
  const out = { all: Number(row?.all ?? 0) } as Versions;
  for (const f of FAMILY_NAMES) out[f] = Number(row?.[f] ?? 0);
  return out;
}

/**
 * The versions a reading request has read, per database and commune: a page reads them once (with
 * the session, then for each part it keeps by version), not once a part. Only requests that write
 * nothing the page then reads run inside it (GET and HEAD: `readingOnce`), so a write never leaves
 * the rest of its own request on the versions from before it.
 */
const requestReads = new AsyncLocalStorage<WeakMap<Db, Map<number, Promise<Versions>>>>();

/** Runs `fn` (a reading request) with the versions it reads read once per database and commune. */
export function readingOnce<T>(fn: () => Promise<T>): Promise<T> {
  return requestReads.run(new WeakMap(), fn);
}

/** The map of this reading request's versions for `db`, or undefined outside one. */
function readsOf(db: Db): Map<number, Promise<Versions>> | undefined {
  const store = requestReads.getStore();
  if (!store) return undefined;
  let reads = store.get(db);
  if (!reads) {
    reads = new Map();
    store.set(db, reads);
  }
  return reads;
}

/** Tells this reading request the versions it read beside something else (the session's statement). */
export function rememberVersions(db: Db, communeId: number, versions: Versions): void {
  const reads = readsOf(db);
  if (reads && !reads.has(communeId)) reads.set(communeId, Promise.resolve(versions));
}

/**
 * The commune's versions, in one row read; all 0 before its first write. Inside a reading request
 * (`readingOnce`), the first read serves the rest of the request.
 */
export async function versionsOf(db: Db, communeId: number): Promise<Versions> {
  const reads = readsOf(db);
  const known = reads?.get(communeId);
  if (known) return known;
  const read = unchangedVersions(db, communeId) ?? readVersions(db, communeId);
  if (reads) {
    reads.set(communeId, read);
    read.catch(() => reads.delete(communeId));
  }
  return read;
}

/**
 * Databases whose one client counts the writes it sent (PGlite in its own thread, locked to this
 * process: `PGliteProxy.writes`), with the versions rows read there, each under the count it was
 * read at. While the count stands still nothing can have raised a version, so the row read then is
 * still the row: the requests between two writes read it once. (A write answered after a read was
 * sent moves the count, and the next request reads again; a read sent after a write's commit but
 * before its answer is kept under the count from before it, and so only until that answer.)
 */
const trackedWrites = new WeakMap<
  Db,
  { writes: () => number; rows: Map<number, { at: number; read: Promise<Versions> }> }
>();

/** Keeps `db`'s versions rows across requests while `writes` stands still (`client.ts`, PGlite's thread). */
export function trackWrites(db: Db, writes: () => number): void {
  trackedWrites.set(db, { writes, rows: new Map() });
}

/** The versions row of a tracked database, read once per count of its writes; undefined if untracked. */
function unchangedVersions(db: Db, communeId: number): Promise<Versions> | undefined {
  const tracked = trackedWrites.get(db);
  if (!tracked) return undefined;
  const at = tracked.writes();
  const kept = tracked.rows.get(communeId);
  if (kept && kept.at === at) return kept.read;
  const read = readVersions(db, communeId);
  const entry = { at, read };
  tracked.rows.set(communeId, entry);
  read.catch(() => {
    if (tracked.rows.get(communeId) === entry) tracked.rows.delete(communeId);
  });
  return read;
}

async function readVersions(db: Db, communeId: number): Promise<Versions> {
  const result = (await db.execute(
    sql`select ${versionColumns("d")} from data_versions d where d.commune_id = ${communeId}`,
  )) as unknown as { rows: Record<string, number | string>[] };
  return versionsFrom(result.rows[0]);
}

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

/** A map per database, made on first use: what this process keeps of each database it opened. */
export function perDatabase<V>(): (db: Db) => Map<string, V> {
  const maps = new WeakMap<Db, Map<string, V>>();
  return (db) => {
    let map = maps.get(db);
    if (!map) {
      map = new Map();
      maps.set(db, map);
    }
    return map;
  };
}

const MAX_ENTRIES = 1000;

/**
 * What the answers kept for one database may weigh, as the length of their JSON (KEPT_ANSWERS_MB):
 * a count alone let a province's drill-down and visit lists (1,000 of them, two databases with the
 * replica) reach 2 GB a process. Past it the least recently used answers are dropped.
 */
let budget = 64 * 1024 * 1024;

/** Sets the weight budget of the kept answers per database (config KEPT_ANSWERS_MB; tests). */
export function setKeptAnswersBudget(bytes: number): void {
  budget = bytes;
}

/** An answer's weight: the length of its JSON, Maps and Sets as arrays; 64 KiB if it has none. */
function weightOf(value: unknown): number {
  try {
    const json = JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Map || v instanceof Set ? [...v] : typeof v === "bigint" ? String(v) : v,
    );
    return json === undefined ? 0 : json.length;
  } catch {
    return 64 * 1024;
  }
}

type Entry = { signature: string; order: number; value: Promise<unknown>; weight: number };

/** The weight of each database's kept answers (those computed; one still computing weighs 0). */
const weights = new WeakMap<Map<string, Entry>, number>();

/** Forgets `key`'s entry, and its weight. */
function forget(entries: Map<string, Entry>, key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  weights.set(entries, (weights.get(entries) ?? 0) - entry.weight);
}

/** The kept answers of a database and their weight, for the tests. */
export function keptAnswersOf(db: Db): { count: number; weight: number } {
  const entries = entriesOf(db);
  return { count: entries.size, weight: weights.get(entries) ?? 0 };
}

/** Answers kept by data version, per database: the dashboard's parts, the lists, the residents count. */
const entriesOf = perDatabase<Entry>();

/** How many times each label's answer was computed in this process (tests: what a write dropped). */
const computations = new Map<string, number>();

/** How many times answers labelled `label` were computed (not answered from memory) so far. */
export function computationsOf(label: string): number {
  return computations.get(label) ?? 0;
}

/**
 * `compute()` once per (database, commune, key) and data version: the version is read first, so an
 * answer kept is never older than the version it is kept under. With `families`, the version is
 * the versions of those families only (the ones the answer reads: a write to any other family
 * leaves it kept); `versions` passes them when the caller read them already (one read for every
 * part of a page). Requests that arrive while it is being computed share that computation (after
 * a write, fifty dashboards compute once, not fifty times); a computation that fails is forgotten.
 * `key` must name everything the answer depends on besides the commune's data (the viewer's role
 * and scope, the dates, the page).
 */
export async function knownByVersion<T>(opts: {
  db: Db;
  /** The commune whose version keys the answer, or the whole installation's (installationVersionOf). */
  communeId: number | "installation";
  key: string;
  compute: () => Promise<T>;
  /** The families the answer reads; without them, the commune's one version (any write drops it). */
  families?: readonly Family[];
  /** The commune's versions, read before (`versionsOf`); read here otherwise. */
  versions?: Versions;
  /** A name for the count of computations (`computationsOf`). */
  label?: string;
}): Promise<{ value: T; cached: boolean }> {
  const { db, communeId } = opts;
  let signature: string;
  let order: number;
  if (communeId === "installation") {
    order = await installationVersionOf(db);
    signature = String(order);
  } else {
    const versions = opts.versions ?? (await versionsOf(db, communeId));
    const parts = opts.families ? opts.families.map((f) => versions[f]) : [versions.all];
    signature = parts.join(".");
    // Every part only grows, so a later read's sum is never smaller; equal sums of two reads are equal parts.
    order = parts.reduce((a, b) => a + b, 0);
  }
  const entries = entriesOf(db);
  const key = `${communeId}|${opts.families ? opts.families.join(",") : "all"}|${opts.key}`;
  const hit = entries.get(key);
  if (hit && hit.signature === signature) {
    entries.delete(key);
    entries.set(key, hit);
    return { value: (await hit.value) as T, cached: true };
  }
  if (opts.label) computations.set(opts.label, computationsOf(opts.label) + 1);
  const value = opts.compute();
  // A request that read older versions must not replace the answer of newer ones.
  if (!hit || hit.order < order) {
    const entry: Entry = { signature, order, value: value as Promise<unknown>, weight: 0 };
    forget(entries, key);
    entries.set(key, entry);
    while (entries.size > MAX_ENTRIES) forget(entries, entries.keys().next().value!);
    value.then(
      (v) => {
        if (entries.get(key) !== entry) return;
        entry.weight = weightOf(v);
        weights.set(entries, (weights.get(entries) ?? 0) + entry.weight);
        // The oldest go first; the answer just kept stays even alone over the budget.
        for (const k of entries.keys()) {
          if ((weights.get(entries) ?? 0) <= budget || k === key) break;
          forget(entries, k);
        }
      },
      () => {
        if (entries.get(key) === entry) forget(entries, key);
      },
    );
  }
  return { value: await value, cached: false };
}
