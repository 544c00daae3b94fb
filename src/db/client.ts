import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { trackWrites } from "./data-version.ts";
import { lockDataDir } from "./lock.ts";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.ts";
import { PGliteProxy } from "./pglite-proxy.ts";
import { type ProcedureThread, runProceduresIn } from "./procedures.ts";
import * as schema from "./schema.ts";

/** The connection or a transaction: repo functions take either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where the data lives, for messages (a folder or a URL without its password). */
  location: string;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL only: the pool (a read replica falls back to it, see replica.ts). */
  pool?: pg.Pool;
  /** PGlite only: the whole data folder as a tarball. */
  dump?: () => Promise<Blob | File>;
};

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Any number: serialises migrations of several app processes on one PostgreSQL server. */
const MIGRATION_LOCK_KEY = 7_402_260_001;

export type OpenOptions = {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database. `undefined` with no URL: an in-memory database (tests). */
  dataDir?: string | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** In-memory PGlite only: start from this dumped data folder (a migrated template, in tests). */
  template?: Blob | undefined;
  /** PGlite only, profiling: write the time per SQL statement to this JSON file at close. */
  sqlStatsFile?: string | undefined;
  /**
   * PGlite only: `own` (default) — a worker thread of its own, so SQL runs beside the app's
   * JavaScript (the server); `caller` — in this thread, ~40–70 MB less (a CLI import, which has
   * nothing else to serve and a memory target).
   */
  pgliteThread?: "own" | "caller";
};

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts);
}

/**
 * PGlite's own settings but a smaller buffer cache. PostgreSQL's default `shared_buffers` (128 MB)
 * sits inside the wasm heap, which PGlite grows to hold it all and which never shrinks: it was a
 * quarter of the process's memory (a no-op `bdhvs migrate`: 469 MB → 358 MB peak RSS with 16 MB).
 * Pages it no longer holds are read back through the operating system's file cache; a
 * 200,000-resident import ran no slower (docs/architecture.md, "Import performance").
 * A plan for each run of a named statement (`pglite-statements.ts`), never a kept generic one: the
 * generic plans grew the heap by ~30 MB under `npm run bench -- load` (peak RSS 610–620 → 588 MB)
 * and gained nothing measurable there (101.7–109.5 → 104.6 requests/s).
 */
const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  "-c",
  "shared_buffers=16MB",
  "-c",
  "plan_cache_mode=force_custom_plan",
];

/** What the app needs of PGlite besides drizzle's calls, in its own thread or in the caller's. */
type EmbeddedClient = {
  /** What drizzle is given: the proxy, or PGlite itself. */
  drizzleClient: unknown;
  ping(): Promise<void>;
  dump(): Promise<Blob | File>;
  close(): Promise<void>;
  /** The proxy's count of answered writes (`PGliteProxy.writes`); none for PGlite in the caller's thread. */
  writes?: () => number;
  /** Runs a procedure in PGlite's thread (`procedures.ts`); none for PGlite in the caller's thread. */
  procedures?: ProcedureThread;
};

async function openEmbedded(opts: {
  pgdata?: string | undefined;
  template?: Blob | undefined;
  sqlStatsFile?: string | undefined;
  thread: "own" | "caller";
}): Promise<EmbeddedClient> {
  if (opts.thread === "caller") {
    const pg = opts.pgdata
      ? await PGlite.create(opts.pgdata, { startParams: PGLITE_START_PARAMS, extensions: PGLITE_EXTENSIONS })
      : await PGlite.create({
          startParams: PGLITE_START_PARAMS,
          extensions: PGLITE_EXTENSIONS,
          ...(opts.template ? { loadDataDir: opts.template } : {}),
        });
    return {
      drizzleClient: pg,
      ping: async () => void (await pg.query("select 1")),
      dump: () => pg.dumpDataDir("none"),
      close: () => pg.close(),
    };
  }
  const proxy = await PGliteProxy.create({
    dataDir: opts.pgdata,
    startParams: PGLITE_START_PARAMS,
    statsFile: opts.sqlStatsFile,
    template: opts.template ? await opts.template.arrayBuffer() : undefined,
  });
  return {
    drizzleClient: proxy,
    ping: async () => void (await proxy.query("select 1")),
    dump: () => proxy.dumpDataDir(),
    close: () => proxy.close(),
    writes: () => proxy.writes,
    procedures: (name, args, nowMs) => proxy.procedure(name, args, nowMs),
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const { dataDir } = opts;
  const thread = opts.pgliteThread ?? "own";
  let release = () => {};
  let client: EmbeddedClient;
  if (dataDir) {
    release = lockDataDir(dataDir);
    try {
      const pgdata = path.join(dataDir, "pgdata");
      fs.mkdirSync(pgdata, { recursive: true });
      client = await openEmbedded({ pgdata, sqlStatsFile: opts.sqlStatsFile, thread });
    } catch (err) {
      release();
      throw err;
    }
  } else {
    client = await openEmbedded({ template: opts.template, thread });
  }
  // drizzle's pglite driver calls only query() and transaction() (whose handle it gives query()).
  const db = drizzlePglite({ client: client.drizzleClient as PGlite, schema }) as unknown as Db;
  if (client.writes) trackWrites(db, client.writes);
  if (client.procedures) runProceduresIn(db, client.procedures);
  let closed = false;
  return {
    db,
    kind: "pglite",
    location: dataDir ?? "(memory)",
    async migrate() {
      await migratePglite(db as never, { migrationsFolder });
    },
    ping: () => client.ping(),
    dump: () => client.dump(),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A connection dropped by the server must not crash the process.
  pool.on("error", () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const safeUrl = (() => {
    try {
      const u = new URL(url);
      if (u.password) u.password = "***";
      return u.toString();
    } catch {
      return "(PostgreSQL)";
    }
  })();
  let closed = false;
  return {
    db,
    kind: "postgres",
    location: safeUrl,
    pool,
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
          await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
        } finally {
          await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
