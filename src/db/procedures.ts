/**
 * Writes that run whole in the embedded database's own thread (issue 14, the crowd).
 *
 * A transaction on PGlite holds its one connection from BEGIN to COMMIT. Run from the app's thread,
 * each of its statements crosses to the database's thread and back, and waits there for the app's
 * thread to get round to the next one — behind every page being rendered meanwhile — while every
 * other request's statements wait for the transaction (`BDHVS_SQL_STATS`: under the load bench,
 * visits and attendance ticks held the thread 13 of 30 s, 10.5 s of it waiting for the app).
 * A procedure is such a write sent across once: the database's thread runs the same service code
 * over its own drizzle, and only the answer comes back.
 *
 * The procedures are named in `features/procedures.ts`; this module is the plumbing between the two
 * threads. On PostgreSQL, or PGlite in the caller's thread, or inside a transaction already open, a
 * procedure is a plain call.
 */
import type { Db } from "./client.ts";

/** Runs procedure `name` with `args` in the database's thread, the app's clock reading `nowMs`. */
export type ProcedureThread = (name: string, args: unknown, nowMs: number) => Promise<unknown>;

const threads = new WeakMap<Db, ProcedureThread>();

/** Tells procedures called with `db` to run in its database's thread (`client.ts`, PGlite in a worker). */
export function runProceduresIn(db: Db, thread: ProcedureThread): void {
  threads.set(db, thread);
}

/** The database thread that runs `db`'s procedures; undefined when they run where they are called. */
export function procedureThreadOf(db: Db): ProcedureThread | undefined {
  return threads.get(db);
}
