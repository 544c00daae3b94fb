/**
 * The writes that run whole in the embedded database's thread (`db/procedures.ts` says why): the
 * field's frequent small transactions, a visit and an attendance tick. Each is its service's own
 * transaction function, which takes the database and one structured-clonable argument and answers
 * a structured-clonable value; an `AppError` it throws comes back as the same `AppError`.
 *
 * The database's thread loads this module (and through it the services) when it runs its first
 * procedure; the app's thread calls `inDatabaseThread`.
 */
import type { Db } from "../db/client.ts";
import { procedureThreadOf } from "../db/procedures.ts";
import { nowMs } from "../lib/clock.ts";

const PROCEDURES = {
  "visit.record": () => import("./visits/service.ts").then((m) => m.recordVisitTransaction),
  "visit.update": () => import("./visits/service.ts").then((m) => m.updateVisitTransaction),
  "attendance.mark": () => import("./activities/service.ts").then((m) => m.markAttendanceTransaction),
};

export type ProcedureName = keyof typeof PROCEDURES;
type Procedure<K extends ProcedureName> = Awaited<ReturnType<(typeof PROCEDURES)[K]>>;

export function isProcedureName(name: string): name is ProcedureName {
  return Object.hasOwn(PROCEDURES, name);
}

/**
 * Runs procedure `name`: sent to the database's thread when `db` is PGlite's connection in its own
 * thread, else called here (PostgreSQL; PGlite in this thread; a transaction already open).
 */
export async function inDatabaseThread<K extends ProcedureName>(
  db: Db,
  name: K,
  args: Parameters<Procedure<K>>[1],
): Promise<Awaited<ReturnType<Procedure<K>>>> {
  const thread = procedureThreadOf(db);
  if (thread) return (await thread(name, args, nowMs())) as Awaited<ReturnType<Procedure<K>>>;
  return runProcedure(db, name, args);
}

/** Runs procedure `name` here, over `db` (the database's thread calls it with its own connection). */
export async function runProcedure<K extends ProcedureName>(
  db: Db,
  name: K,
  args: Parameters<Procedure<K>>[1],
): Promise<Awaited<ReturnType<Procedure<K>>>> {
  const fn = (await PROCEDURES[name]()) as (db: Db, args: unknown) => Promise<unknown>;
  return (await fn(db, args)) as Awaited<ReturnType<Procedure<K>>>;
}
