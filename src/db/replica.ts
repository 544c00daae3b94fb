import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Db } from "./client.ts";
import * as schema from "./schema.ts";

/**
 * A PostgreSQL streaming replica for reads (issue 18.5, `DATABASE_REPLICA_URL`). Its pool falls
 * back to the primary's: a query the replica cannot answer because it is unreachable, shutting
 * down, still starting, or cancelled by a conflict with recovery runs on the primary instead, and
 * the replica is then left alone for `RETRY_MS` (every read goes to the primary meanwhile). A
 * connection lost mid-transaction is not retried (the transaction's error stands).
 */

/** How long a replica that failed is left alone before it is tried again. */
const RETRY_MS = 5_000;

/** Errors that say the replica is not there (not that the query is wrong). */
export function replicaUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string") {
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code))
      return true;
    // connection exceptions, admin shutdown, crash shutdown, cannot connect now, recovery conflict
    if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || code === "40001") return true;
    return false;
  }
  const message = err instanceof Error ? err.message : "";
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(message);
}

type Call = (...args: unknown[]) => unknown;

/**
 * The replica's pool, its `query` and `connect` falling back to the primary's. Still a `pg.Pool`
 * (drizzle takes a transaction's connection from a pool it recognises).
 */
function fallbackPool(config: pg.PoolConfig, primary: pg.Pool, now: () => number) {
  const pool = new pg.Pool(config);
  let downUntil = 0;
  const up = () => now() >= downUntil;
  const fail = () => {
    downUntil = now() + RETRY_MS;
  };
  const ownQuery = pool.query.bind(pool) as Call;
  const ownConnect = pool.connect.bind(pool) as Call;
  const primaryQuery = primary.query.bind(primary) as Call;
  const primaryConnect = primary.connect.bind(primary) as Call;
  const patched = pool as unknown as { query: Call; connect: Call };
  patched.query = (...args) => {
    if (typeof args[args.length - 1] === "function") return ownQuery(...args);
    if (!up()) return primaryQuery(...args);
    return (ownQuery(...args) as Promise<unknown>).catch((err: unknown) => {
      if (!replicaUnavailable(err)) throw err;
      fail();
      return primaryQuery(...args);
    });
  };
  patched.connect = (...args) => {
    if (args.length > 0) return ownConnect(...args);
    if (!up()) return primaryConnect();
    return (ownConnect() as Promise<unknown>).catch((err: unknown) => {
      if (!replicaUnavailable(err)) throw err;
      fail();
      return primaryConnect();
    });
  };
  return { pool, up };
}

export type Replica = { db: Db; up(): boolean; close(): Promise<void> };

/** Opens the replica's pool, falling back to `primary` (the primary's pool). */
export function openReplica(
  url: string,
  primary: pg.Pool,
  opts: { poolSize?: number; now: () => number },
): Replica {
  const { pool, up } = fallbackPool(
    { connectionString: url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 2_000 },
    primary,
    opts.now,
  );
  pool.on("error", () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    up,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
