import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Database, Db } from "../../db/client.ts";
import { nowMs } from "../../lib/clock.ts";
import { AppError, type Msg, msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/tabular/read.ts";
import type { Viewer } from "../auth/viewer.ts";
import {
  deleteFinishedJobRows,
  deleteFinishedJobsOfCommune,
  failAbandonedJobRows,
  findCheckRow,
  findJobRow,
  findRunningJobRow,
  finishJobRow,
  insertJobRow,
  type JobRow,
  renewJobRow,
} from "./repo.ts";
import type { ImportKindName, ImportResult } from "./types.ts";

/**
 * Web imports run as background jobs: the upload's check (a dry run), then its commit. A job lives
 * in the database (`import_jobs`, issue 18.4), so any app process answers its page, and a restart
 * forgets nothing. The process that runs a job keeps it in memory too (its live progress; on PGlite
 * the page of a running job is answered from there, see `importJobProgress`) and, on PostgreSQL,
 * renews the job's lease as it goes. A running job whose process died is failed with a message
 * (`imports.job_interrupted`) by the next process that looks: on PostgreSQL once its lease ran out,
 * on PGlite (one process holds the data folder) at the next start. A commit marks its job done in
 * the import's own transaction (`JobWork`'s `finishIn`), so a committed import is never committed
 * again, and an import whose job was failed meanwhile rolls back.
 */

export type JobPhase = "check" | "commit";
export type JobState = "running" | "done" | "failed";
export type PreviewRow = { row: number; cells: Cell[] };

/** Who may see a job: the user who started it, in that commune. */
export type JobOwner = { userId: number; communeId: number };

/** What the progress page of a running job needs without the database (on PGlite). */
export type JobSnapshot = {
  viewer: Viewer;
  commune: { name: string; province: string; demo?: boolean };
  sessionHash: string | undefined;
  csrfToken: string;
};

export type ImportJob = {
  readonly id: string;
  readonly userId: number;
  readonly communeId: number;
  readonly kind: ImportKindName;
  readonly phase: JobPhase;
  readonly uploadId: string;
  /** The uploaded file's original name. */
  readonly fileName: string;
  readonly startedAt: number;
  /**
   * Only in the process running the job: the viewer and commune as they were when it started, and
   * the hash of the session cookie that started it (see `importJobProgress`).
   */
  readonly snapshot?: JobSnapshot;
  state: JobState;
  /** Data rows read (check) or processed (commit) so far. */
  rows: number;
  /** The file's data rows when known (a commit knows them from its check). */
  totalRows: number | undefined;
  bytesRead: number;
  bytesTotal: number;
  /** Last time the job moved (progress, or its end). */
  updatedAt: number;
  finishedAt?: number;
  /** A commit: whether invalid rows are skipped. */
  skipInvalid?: boolean;
  result?: ImportResult;
  /** The file's first rows, for the preview (a check, or a refused commit). */
  preview?: PreviewRow[];
  /** Why a failed job failed. */
  error?: Msg;
};

export type NewJob = Pick<ImportJob, "userId" | "communeId" | "kind" | "phase" | "uploadId" | "fileName"> & {
  snapshot?: JobSnapshot;
  totalRows?: number | undefined;
  skipInvalid?: boolean;
};

/** What a job's work reports as it goes. */
export type JobReport = {
  rows(rows: number): void;
  bytes(read: number, total: number): void;
};

export type JobOutcome = Pick<ImportJob, "result" | "preview">;

/**
 * A job's work. `finishIn(tx, outcome)` marks the job done inside the caller's transaction (a
 * commit's): it throws when the job is no longer running (another process failed it), which rolls
 * the transaction back.
 */
export type JobWork = (
  job: ImportJob,
  report: JobReport,
  finishIn: (tx: Db, outcome: JobOutcome) => Promise<void>,
) => Promise<JobOutcome>;

/** How long a finished job stays known. */
export const JOB_TTL_MS = 3_600_000;
/** Default lease of a running job: renewed every third of it by its process (PostgreSQL). */
export const JOB_LEASE_MS = 30_000;

/** Dates in a preview become the text the page shows (JSON keeps no Date). */
const storedCells = (rows: PreviewRow[] | undefined) =>
  rows?.map((r) => ({
    row: r.row,
    cells: r.cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : c)),
  }));

function jobOfRow(row: JobRow): ImportJob {
  return {
    id: row.id,
    userId: row.userId,
    communeId: row.communeId,
    kind: row.kind as ImportKindName,
    phase: row.phase,
    uploadId: row.uploadId,
    fileName: row.fileName,
    startedAt: row.startedAt.getTime(),
    state: row.state,
    rows: row.rows,
    totalRows: row.totalRows ?? undefined,
    bytesRead: row.bytesRead,
    bytesTotal: row.bytesTotal,
    updatedAt: row.updatedAt.getTime(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.getTime() } : {}),
    skipInvalid: row.skipInvalid,
    ...(row.result ? { result: row.result as ImportResult } : {}),
    ...(row.preview ? { preview: row.preview as PreviewRow[] } : {}),
    ...(row.error ? { error: row.error as Msg } : {}),
  };
}

export class ImportJobs {
  /** The jobs this process runs, while they run. */
  private readonly local = new Map<string, ImportJob>();
  /** This process, as the owner of the jobs it runs. */
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

  constructor(
    private readonly database: Database,
    private readonly opts: {
      now?: () => number;
      ttlMs?: number;
      leaseMs?: number;
      /** Told of a job that failed on something other than the file (a bug, the database). */
      onUnexpected?: (err: unknown, job: ImportJob) => void;
    } = {},
  ) {}

  private get db() {
    return this.database.db;
  }

  private now() {
    return (this.opts.now ?? nowMs)();
  }

  private get leaseMs() {
    return this.opts.leaseMs ?? JOB_LEASE_MS;
  }

  /**
   * Fails the running jobs whose process is gone. On PostgreSQL: those whose lease ran out. On
   * PGlite only at start (`atStart`): every running job of an earlier process.
   */
  async recover(opts: { atStart?: boolean } = {}): Promise<string[]> {
    const at = new Date(this.now());
    const error = msg("imports.job_interrupted");
    if (this.database.kind === "pglite") {
      if (!opts.atStart) return [];
      return failAbandonedJobRows(this.db, { notOwner: this.owner, error, at });
    }
    return failAbandonedJobRows(this.db, { before: at, error, at });
  }

  /** The job of this id, if it is still known and belongs to this user. */
  async find(id: string, who: JobOwner): Promise<ImportJob | undefined> {
    const mine = this.local.get(id);
    if (mine) return mine.userId === who.userId && mine.communeId === who.communeId ? mine : undefined;
    await this.recover();
    const row = await findJobRow(this.db, id, who);
    if (!row) return undefined;
    const job = jobOfRow(row);
    if (job.finishedAt !== undefined && job.finishedAt <= this.now() - (this.opts.ttlMs ?? JOB_TTL_MS))
      return undefined;
    return job;
  }

  /** The user's running job, if any (one at a time, whichever process runs it). */
  async runningOf(who: JobOwner): Promise<ImportJob | undefined> {
    // A job of this process that ended is no longer the user's running one: its row says so too
    // (`finish` marks the job ended once its row is written), even before it leaves `local`.
    for (const job of this.local.values()) {
      if (job.state === "running" && job.userId === who.userId && job.communeId === who.communeId) return job;
    }
    await this.recover();
    const row = await findRunningJobRow(this.db, who);
    return row ? jobOfRow(row) : undefined;
  }

  /** A job this process runs, by its id alone: for callers that checked who asks themselves. */
  runningById(id: string): ImportJob | undefined {
    const job = this.local.get(id);
    return job?.state === "running" ? job : undefined;
  }

  /** Whether this process runs a job (its work may hold the database). */
  anyRunning(): ImportJob | undefined {
    for (const job of this.local.values()) if (job.state === "running") return job;
    return undefined;
  }

  /** The latest finished check of an upload, if still known. */
  async checkOf(uploadId: string, who: JobOwner): Promise<ImportJob | undefined> {
    const row = await findCheckRow(this.db, uploadId, who);
    return row ? jobOfRow(row) : undefined;
  }

  /** Forgets a commune's finished jobs now (their previews and results may name a person being erased). */
  async forgetFinishedOf(communeId: number): Promise<void> {
    await deleteFinishedJobsOfCommune(this.db, communeId);
  }

  /**
   * Starts a job: records it as running, then runs `work` in the background. `undefined` when the
   * user already has a job running (nothing is started). An `AppError` thrown by `work` is the
   * job's error as the user reads it; anything else fails the job with a general message.
   */
  async start(init: NewJob, work: JobWork): Promise<ImportJob | undefined> {
    const now = this.now();
    await deleteFinishedJobRows(this.db, new Date(now - (this.opts.ttlMs ?? JOB_TTL_MS)));
    const job: ImportJob = {
      ...init,
      id: randomBytes(16).toString("hex"),
      startedAt: now,
      updatedAt: now,
      state: "running",
      rows: 0,
      totalRows: init.totalRows,
      bytesRead: 0,
      bytesTotal: 0,
    };
    const values = {
      id: job.id,
      communeId: job.communeId,
      userId: job.userId,
      kind: job.kind,
      phase: job.phase,
      uploadId: job.uploadId,
      fileName: job.fileName,
      state: "running" as const,
      totalRows: job.totalRows ?? null,
      skipInvalid: !!job.skipInvalid,
      owner: this.owner,
      leaseUntil: new Date(now + this.leaseMs),
      startedAt: new Date(now),
      updatedAt: new Date(now),
    };
    if (!(await insertJobRow(this.db, values))) {
      // A running job of a dead process holds the user's place: fail it, then try once more.
      if ((await this.recover()).length === 0 || !(await insertJobRow(this.db, values))) return undefined;
    }
    this.local.set(job.id, job);
    const report: JobReport = {
      rows: (rows) => {
        job.rows = rows;
        job.updatedAt = this.now();
      },
      bytes: (read, total) => {
        job.bytesRead = read;
        job.bytesTotal = total;
        job.updatedAt = this.now();
      },
    };
    const stopLease = this.keepLease(job);
    const finishIn = async (tx: Db, outcome: JobOutcome) => {
      const at = this.now();
      const ended = await finishJobRow(tx, job.id, {
        state: "done",
        rows: job.rows,
        bytesRead: job.bytesRead,
        bytesTotal: job.bytesTotal,
        result: outcome.result ?? null,
        preview: storedCells(outcome.preview) ?? null,
        finishedAt: new Date(at),
        updatedAt: new Date(at),
      });
      if (!ended) throw new AppError("conflict", { message: msg("imports.job_interrupted") });
    };
    // Started on the next turn of the event loop: the request that starts it answers first.
    setImmediate(() => {
      work(job, report, finishIn)
        .then(
          (outcome) => {
            Object.assign(job, outcome);
            return this.finish(job, "done");
          },
          (err: unknown) => {
            if (err instanceof AppError && err.code !== "internal") job.error = err.msg;
            else {
              job.error = msg("imports.job_failed");
              this.opts.onUnexpected?.(err, job);
            }
            return this.finish(job, "failed");
          },
        )
        .catch((err: unknown) => this.opts.onUnexpected?.(err, job))
        .finally(() => {
          stopLease();
          this.local.delete(job.id);
        });
    });
    return job;
  }

  /** On PostgreSQL, renews a running job's lease (with its progress) every third of the lease. */
  private keepLease(job: ImportJob): () => void {
    // On PGlite a running import holds the only connection, and one process alone runs jobs.
    if (this.database.kind === "pglite") return () => {};
    let pending = false;
    const timer = setInterval(
      () => {
        if (pending) return;
        pending = true;
        const at = this.now();
        renewJobRow(this.db, job.id, this.owner, {
          rows: job.rows,
          bytesRead: job.bytesRead,
          bytesTotal: job.bytesTotal,
          leaseUntil: new Date(at + this.leaseMs),
          updatedAt: new Date(at),
        })
          .catch(() => {}) // the next beat tries again
          .finally(() => {
            pending = false;
          });
      },
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Records a job's end (a commit that finished in its own transaction is already done). */
  private async finish(job: ImportJob, state: JobState) {
    const at = this.now();
    try {
      await finishJobRow(this.db, job.id, {
        state,
        rows: job.rows,
        bytesRead: job.bytesRead,
        bytesTotal: job.bytesTotal,
        result: job.result ?? null,
        preview: storedCells(job.preview) ?? null,
        error: job.error ?? null,
        finishedAt: new Date(at),
        updatedAt: new Date(at),
      });
    } finally {
      // Ended here only once its row says so: whoever reads "done" (the progress page) and at once
      // starts the next job (the commit) finds no running job in this process or in the database.
      job.state = state;
      job.finishedAt = at;
      job.updatedAt = at;
    }
  }
}

/**
 * How far a job is, 0–100, or `undefined` when unknown: rows of the known total, else bytes of the
 * file. A running job stays below 100 (what follows the last row still takes a moment).
 */
export function jobPercent(job: ImportJob): number | undefined {
  if (job.state !== "running") return 100;
  let fraction: number | undefined;
  if (job.totalRows) fraction = job.rows / job.totalRows;
  else if (job.bytesTotal > 0) fraction = job.bytesRead / job.bytesTotal;
  if (fraction === undefined) return undefined;
  return Math.max(0, Math.min(99, Math.floor(fraction * 100)));
}

const registries = new WeakMap<object, ImportJobs>();

/** The job registry of one app process (keyed by its database handle). */
export function importJobs(
  database: Database,
  opts?: ConstructorParameters<typeof ImportJobs>[1],
): ImportJobs {
  let jobs = registries.get(database);
  if (!jobs) {
    jobs = new ImportJobs(database, opts);
    registries.set(database, jobs);
  }
  return jobs;
}
