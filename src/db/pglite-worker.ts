/**
 * The embedded database's own thread (issue 14): PGlite runs here, in a `worker_threads` worker,
 * so SQL and the app's HTML rendering run on two cores at once. `pglite-proxy.ts` is the other end.
 *
 * Messages carry an id and get one reply each. A transaction is pinned here: `begin` enters
 * PGlite's `transaction()` (which holds PGlite's own lock, so statements from outside the
 * transaction wait for it, as they would in one thread), the statements tagged with its number run
 * inside it in the order they came, and `end` commits or rolls it back.
 */
import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.ts";
import { PreparedStatements } from "./pglite-statements.ts";

export type OpenRequest = {
  dataDir?: string | undefined;
  /** Profiling (`BDHVS_SQL_STATS=FILE`): time per statement text, written there at close. */
  statsFile?: string | undefined;
  template?: ArrayBuffer | undefined;
  startParams: string[];
};

export type WorkerCall =
  | {
      id: number;
      op: "query";
      tx?: number;
      sql: string;
      params?: unknown[];
      rowMode?: "array" | "object";
      raw: number[];
    }
  | { id: number; op: "exec"; tx?: number; sql: string }
  | { id: number; op: "begin"; tx: number }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "procedure"; name: string; args: unknown; nowMs: number }
  | { id: number; op: "dump" }
  | { id: number; op: "close" };

/**
 * An error as it crosses the thread: its message and its own fields (`code`, `detail`,
 * `constraint`…); an `AppError` a procedure threw, whole (`app`), to be made again on the other side.
 */
export type WireError = {
  name: string;
  message: string;
  fields: Record<string, unknown>;
  app?: { code: string; msg: unknown; fields: unknown; retryAfter: number | undefined };
};

export type WorkerReply =
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: WireError };

const port = parentPort!;
const open = workerData as OpenRequest;

/** An `AppError` (lib/errors.ts), known by its shape: this thread loads that module only with a procedure. */
function appErrorOf(err: Error): WireError["app"] {
  const e = err as Error & { code?: unknown; msg?: unknown; fields?: unknown; retryAfter?: unknown };
  if (typeof e.code !== "string" || typeof e.msg !== "object" || e.msg === null || !("key" in e.msg))
    return undefined;
  if (typeof e.fields !== "object" || e.fields === null) return undefined;
  return {
    code: e.code,
    msg: e.msg,
    fields: e.fields,
    retryAfter: typeof e.retryAfter === "number" ? e.retryAfter : undefined,
  };
}

function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: "Error", message: String(err), fields: {} };
  const app = appErrorOf(err);
  if (app) return { name: err.name, message: err.message, fields: {}, app };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    if (v === undefined || typeof v === "function" || k === "cause") continue;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) continue;
    fields[k] = v;
  }
  return { name: err.name, message: err.message, fields };
}

const keepText = (value: string) => value;

function queryOptions(call: { rowMode?: "array" | "object"; raw: number[] }): QueryOptions {
  const parsers: Record<number, (value: string) => unknown> = {};
  for (const oid of call.raw) parsers[oid] = keepText;
  return { rowMode: call.rowMode ?? "object", parsers };
}

/** What a query answers, without what cannot cross the thread. */
function plain(result: Pick<Results, "fields" | "affectedRows"> & { rows: unknown[] }) {
  return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
}

type Pending = { call: WorkerCall; done: (reply: WorkerReply) => void };

/** A transaction's statements, waiting for the transaction's loop. */
class TxQueue {
  private items: Pending[] = [];
  private wake: (() => void) | undefined;
  push(p: Pending) {
    this.items.push(p);
    this.wake?.();
    this.wake = undefined;
  }
  async next(): Promise<Pending> {
    while (this.items.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.items.shift()!;
  }
}

const ROLLBACK = Symbol("rollback");

type Stats = Map<string, { n: number; ms: number }>;
const stats: Stats | undefined = open.statsFile ? new Map() : undefined;

/** Adds `ms` to the stats under `key`: a statement's text, or a "(…)" figure of the thread's own. */
function count(key: string, ms: number) {
  const s = stats?.get(key) ?? { n: 0, ms: 0 };
  s.n++;
  s.ms += ms;
  stats?.set(key, s);
}

function writeStats(file: string, all: Stats) {
  const rows = [...all]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([sql, s]) => ({
      ms: Math.round(s.ms),
      n: s.n,
      each: +(s.ms / s.n).toFixed(2),
      sql: sql.slice(0, 4000),
    }));
  fs.writeFileSync(file, JSON.stringify(rows, null, 1));
}

async function main() {
  const pg = open.dataDir
    ? await PGlite.create(open.dataDir, { startParams: open.startParams, extensions: PGLITE_EXTENSIONS })
    : await PGlite.create({
        startParams: open.startParams,
        extensions: PGLITE_EXTENSIONS,
        ...(open.template ? { loadDataDir: new Blob([open.template]) } : {}),
      });
  const txs = new Map<number, TxQueue>();
  const reply = (r: WorkerReply) => port.postMessage(r);
  const fail = (id: number, err: unknown) => reply({ id, ok: false, error: toWire(err) });

  const statements = new PreparedStatements(pg);

  async function run(client: PGlite | Transaction, call: WorkerCall): Promise<unknown> {
    const t0 = stats ? performance.now() : 0;
    try {
      if (call.op === "query")
        return plain(await statements.query(client, call.sql, call.params ?? [], queryOptions(call)));
      if (call.op === "exec") {
        const results = (await client.exec(call.sql)).map(plain);
        await statements.afterExec(client, call.sql);
        return results;
      }
      throw new Error(`not a statement: ${call.op}`);
    } finally {
      if (stats && (call.op === "query" || call.op === "exec")) count(call.sql, performance.now() - t0);
    }
  }

  function begin(call: { id: number; tx: number }): Promise<void> {
    const queue = new TxQueue();
    txs.set(call.tx, queue);
    let ended: ((r: WorkerReply) => void) | undefined;
    let endId = -1;
    const opened = stats ? performance.now() : 0;
    let ran = 0;
    return pg
      .transaction(async (tx) => {
        reply({ id: call.id, ok: true });
        for (;;) {
          const p = await queue.next();
          if (p.call.op === "end") {
            ended = p.done;
            endId = p.call.id;
            if (!p.call.commit) throw ROLLBACK;
            return;
          }
          const t0 = stats ? performance.now() : 0;
          try {
            p.done({ id: p.call.id, ok: true, value: await run(tx, p.call) });
          } catch (err) {
            p.done({ id: p.call.id, ok: false, error: toWire(err) });
          }
          if (stats) ran += performance.now() - t0;
        }
      })
      .then(
        () => ended?.({ id: endId, ok: true }),
        (err) => {
          if (err === ROLLBACK) ended?.({ id: endId, ok: true });
          else if (ended) ended({ id: endId, ok: false, error: toWire(err) });
          else fail(call.id, err); // BEGIN itself failed
        },
      )
      .finally(() => {
        txs.delete(call.tx);
        if (!stats) return;
        // How long transactions held the thread, and how much of it they waited for the app's next
        // statement (every other statement waiting behind them).
        const held = performance.now() - opened;
        count("(transactions: open)", held);
        count("(transactions: waiting for the app's next statement)", held - ran);
      });
  }

  /**
   * The procedures' drizzle (`procedures.ts`): over PGlite here, its statements named as the app's
   * are, timed under BDHVS_SQL_STATS like theirs; made when the first procedure comes.
   */
  let procedureKit: ReturnType<typeof loadProcedures> | undefined;
  async function loadProcedures() {
    const [{ drizzle }, schema, procedures, clock] = await Promise.all([
      import("drizzle-orm/pglite"),
      import("./schema.ts"),
      import("../features/procedures.ts"),
      import("../lib/clock.ts"),
    ]);
    const local = (client: PGlite | Transaction) => ({
      async query(sql: string, params?: unknown[], options?: QueryOptions) {
        const t0 = stats ? performance.now() : 0;
        try {
          return await statements.query(client, sql, params ?? [], options ?? {});
        } finally {
          if (stats) count(sql, performance.now() - t0);
        }
      },
    });
    const client = {
      ...local(pg),
      transaction: <T>(fn: (tx: ReturnType<typeof local>) => Promise<T>) =>
        pg.transaction((tx) => fn(local(tx))),
    };
    const db = drizzle({ client: client as unknown as PGlite, schema });
    return { db, procedures, clock };
  }

  /** Runs a procedure whole in this thread, on the app's clock (the instant it was asked at, ticking on). */
  async function procedure(call: { name: string; args: unknown; nowMs: number }): Promise<unknown> {
    procedureKit ??= loadProcedures();
    const { db, procedures, clock } = await procedureKit;
    if (!procedures.isProcedureName(call.name)) throw new Error(`not a procedure: ${call.name}`);
    const t0 = stats ? performance.now() : 0;
    clock.setClock(clock.startingAt(call.nowMs));
    try {
      return await procedures.runProcedure(db as never, call.name, call.args as never);
    } finally {
      clock.resetClock();
      if (stats) count(`(procedure: ${call.name})`, performance.now() - t0);
    }
  }

  // One thing at a time, in the order asked — a transaction from its BEGIN to its end — as PGlite's
  // own lock would do; here, so that the time per statement (BDHVS_SQL_STATS) is its own.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => {});
    return next;
  };

  port.on("message", (call: WorkerCall) => {
    if (call.op === "begin") return void serial(() => begin(call));
    if ((call.op === "query" || call.op === "exec" || call.op === "end") && call.tx !== undefined) {
      const queue = txs.get(call.tx);
      if (!queue) return fail(call.id, new Error("Transaction is closed"));
      return queue.push({ call, done: reply });
    }
    if (call.op === "procedure") {
      serial(() => procedure(call)).then(
        (value) => reply({ id: call.id, ok: true, value }),
        (err) => fail(call.id, err),
      );
      return;
    }
    if (call.op === "dump") {
      serial(() => pg.dumpDataDir("none"))
        .then((blob) => blob.arrayBuffer())
        .then(
          (buf) => port.postMessage({ id: call.id, ok: true, value: buf } satisfies WorkerReply, [buf]),
          (err) => fail(call.id, err),
        );
      return;
    }
    if (call.op === "close") {
      serial(() => {
        if (stats && open.statsFile) writeStats(open.statsFile, stats);
        return pg.close();
      }).then(
        () => reply({ id: call.id, ok: true }),
        (err) => fail(call.id, err),
      );
      return;
    }
    serial(() => run(pg, call)).then(
      (value) => reply({ id: call.id, ok: true, value }),
      (err) => fail(call.id, err),
    );
  });
  port.postMessage({ id: 0, ok: true } satisfies WorkerReply);
}

main().catch((err) => port.postMessage({ id: 0, ok: false, error: toWire(err) } satisfies WorkerReply));
