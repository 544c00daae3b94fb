/**
 * The app's end of the embedded database's thread (`pglite-worker.ts`): a thin async stand-in for
 * a PGlite client with what drizzle's pglite driver calls — `query`, `exec`, `transaction` (whose
 * statements are pinned to the worker's one transaction by its number) — plus `dumpDataDir` and
 * `close`. Rows cross the thread by structured clone; the result parsers drizzle passes (which keep
 * dates and intervals as text) are applied here to the values the worker left as text.
 */
import { Worker } from "node:worker_threads";
import { AppError, type ErrorCode, type FieldErrors, type Msg } from "../lib/errors.ts";
import type { OpenRequest, WireError, WorkerCall, WorkerReply } from "./pglite-worker.ts";

type Parser = (value: string, typeId?: number) => unknown;
export type ProxyQueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, Parser> };
type Field = { name: string; dataTypeID: number };
export type ProxyResults<T = Record<string, unknown>> = { rows: T[]; fields: Field[]; affectedRows?: number };

export type ProxyTransaction = {
  query<T>(sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<ProxyResults<T>>;
  exec(sql: string): Promise<ProxyResults[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
};

/** A database error as the worker reported it: the same message and fields (`code`, `detail`…); an `AppError` again. */
function fromWire(w: WireError): Error {
  if (w.app) {
    const { code, msg, fields, retryAfter } = w.app;
    return new AppError(code as ErrorCode, {
      message: msg as Msg,
      fields: fields as FieldErrors,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
  const err = new Error(w.message);
  err.name = w.name;
  Object.assign(err, w.fields);
  return err;
}

type Call = WorkerCall extends infer C ? (C extends { id: number } ? Omit<C, "id"> : never) : never;

/** Set by scripts/build-server.ts in the compiled bundle; absent when tsx runs the sources. */
declare const __BDHVS_BUNDLED__: boolean | undefined;

// The worker is TypeScript beside this file when the app runs from its sources (tsx), the bundle's
// own entry in dist/server when it runs compiled (the bundle gives each module its source file's
// import.meta.url, so the compiled path is written from the source's place).
const workerUrl =
  typeof __BDHVS_BUNDLED__ !== "undefined" && __BDHVS_BUNDLED__
    ? new URL("../../dist/server/pglite-worker.js", import.meta.url)
    : new URL("./pglite-worker.ts", import.meta.url);

/**
 * The worker's young generation: V8's default let it grow to ~34 MB once procedures
 * (`procedures.ts`) build their statements here; 8 MB collects the same garbage as often as needed,
 * ~26 MB less at the peak, no slower under `npm run bench -- load`.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * From the sources, the worker registers tsx first (tsx's `--import` hook, which the worker inherits
 * with the parent's flags, does not register itself in a worker thread on Node 20).
 */
function startWorker(opts: { workerData: unknown; transferList?: ArrayBuffer[] }): Worker {
  const options = { ...opts, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!workerUrl.pathname.endsWith(".ts")) return new Worker(workerUrl, options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export class PGliteProxy {
  private worker: Worker;
  private nextId = 1;
  private nextTx = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failed: Error | undefined;
  private answeredWrites = 0;

  /**
   * How many calls that may have written have answered: a transaction's end, an `exec`, a query
   * outside a transaction that is not a plain read. This proxy is its database's one client (the
   * data folder is locked), so what was read while this count stood still is still what the
   * database holds (`data-version.ts` keeps the versions row so).
   */
  get writes(): number {
    return this.answeredWrites;
  }

  /** `answer`, counted in `writes` once it settles (before whoever awaits it goes on). */
  private counted<T>(answer: Promise<T>): Promise<T> {
    return answer.finally(() => {
      this.answeredWrites++;
    });
  }

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on("message", (r: WorkerReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (this.pending.size === 0) worker.unref();
      if (r.ok) p.resolve(r.value);
      else p.reject(fromWire(r.error));
    });
    const gone = (err: Error) => {
      this.failed = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on("error", gone);
    worker.on("exit", (code) => gone(new Error(`the database thread stopped (${code})`)));
  }

  /** Starts the worker and opens PGlite in it (a data folder, or in memory from a dumped template). */
  static async create(open: OpenRequest): Promise<PGliteProxy> {
    const worker = startWorker({
      workerData: open,
      ...(open.template ? { transferList: [open.template] } : {}),
    });
    const proxy = new PGliteProxy(worker);
    await new Promise<void>((resolve, reject) => {
      proxy.pending.set(0, { resolve: () => resolve(), reject });
    });
    return proxy;
  }

  private call<T>(call: Call, transfer?: ArrayBuffer[]): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // The thread keeps the process alive only while an answer is awaited, as a client in the
      // same thread would: a command that forgets to close still ends.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...call, id }, transfer ?? []);
    });
  }

  private async runQuery<T>(
    tx: number | undefined,
    sql: string,
    params: unknown[] | undefined,
    options: ProxyQueryOptions | undefined,
  ): Promise<ProxyResults<T>> {
    const parsers = options?.parsers;
    const raw = parsers ? Object.keys(parsers).map(Number) : [];
    const result = await this.call<ProxyResults<T>>({
      op: "query",
      ...(tx === undefined ? {} : { tx }),
      sql,
      params: params ?? [],
      rowMode: options?.rowMode ?? "object",
      raw,
    });
    if (parsers && raw.length > 0) applyParsers(result, parsers, options?.rowMode ?? "object");
    return result;
  }

  query<T>(sql: string, params?: unknown[], options?: ProxyQueryOptions): Promise<ProxyResults<T>> {
    const answer = this.runQuery<T>(undefined, sql, params, options);
    return isPlainRead(sql) ? answer : this.counted(answer);
  }

  exec(sql: string): Promise<ProxyResults[]> {
    return this.counted(this.call({ op: "exec", sql }));
  }

  /** `fn` runs inside one transaction of the worker; it commits when `fn` resolves, else rolls back. */
  async transaction<T>(fn: (tx: ProxyTransaction) => Promise<T>): Promise<T> {
    const tx = this.nextTx++;
    await this.call({ op: "begin", tx });
    let closed = false;
    const check = () => {
      if (closed) throw new Error("Transaction is closed");
    };
    const self = this;
    const handle: ProxyTransaction = {
      async query<R>(sql: string, params?: unknown[], options?: ProxyQueryOptions) {
        check();
        return self.runQuery<R>(tx, sql, params, options);
      },
      async exec(sql: string) {
        check();
        return self.call<ProxyResults[]>({ op: "exec", tx, sql });
      },
      async rollback() {
        check();
        closed = true;
        await self.counted(self.call({ op: "end", tx, commit: false }));
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await fn(handle);
    } catch (err) {
      if (!closed) {
        closed = true;
        await this.counted(this.call({ op: "end", tx, commit: false })).catch(() => {});
      }
      throw err;
    }
    if (!closed) {
      closed = true;
      await this.counted(this.call({ op: "end", tx, commit: true }));
    }
    return result;
  }

  /**
   * Runs a procedure (`procedures.ts`) whole in the worker, its clock reading `nowMs` — the app's —
   * when it starts; counted as a write.
   */
  procedure(name: string, args: unknown, nowMs: number): Promise<unknown> {
    return this.counted(this.call({ op: "procedure", name, args, nowMs }));
  }

  /** The whole data folder as a tarball (PGlite's `dumpDataDir`). */
  async dumpDataDir(): Promise<Blob> {
    const buf = await this.call<ArrayBuffer>({ op: "dump" });
    return new Blob([buf], { type: "application/x-tar" });
  }

  async close(): Promise<void> {
    if (!this.failed) await this.call({ op: "close" });
    await this.worker.terminate();
  }
}

/**
 * A statement that writes nothing: a `select` or `with` naming no writing keyword (conservative: a
 * read that only mentions one, `for update` included, counts as a write).
 */
function isPlainRead(sql: string): boolean {
  return (
    /^\s*(select|with)\b/i.test(sql) &&
    !/\b(insert|update|delete|merge|truncate|copy|call|do|nextval|setval)\b/i.test(sql)
  );
}

function applyParsers(result: ProxyResults<unknown>, parsers: Record<number, Parser>, rowMode: string) {
  const cols: { index: number; name: string; parse: Parser; type: number }[] = [];
  result.fields.forEach((f, index) => {
    const parse = parsers[f.dataTypeID];
    if (parse) cols.push({ index, name: f.name, parse, type: f.dataTypeID });
  });
  if (cols.length === 0) return;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const c of cols) {
      const key = rowMode === "array" ? c.index : c.name;
      const v = row[key];
      if (typeof v === "string") row[key] = c.parse(v, c.type);
    }
  }
}
