import { randomBytes } from "node:crypto";
import { nowMs } from "../../lib/clock.ts";
import { AppError, type Msg, msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/tabular/read.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { ImportKindName, ImportResult } from "./types.ts";

/**
 * Web imports run as background jobs of the app process: the upload's check (a dry run), then its
 * commit. Jobs live in memory, in this one process: a restart forgets them (their uploads stay on
 * disk until they expire, see uploads.ts), and several app processes do not share them.
 */

export type JobPhase = "check" | "commit";
export type JobState = "running" | "done" | "failed";
export type PreviewRow = { row: number; cells: Cell[] };

/** Who may see a job: the user who started it, in that commune. */
export type JobOwner = { userId: number; communeId: number };

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
   * What the progress page needs without the database (on PGlite a running import holds the only
   * connection): the viewer and commune as they were when the job started, and the hash of the
   * session cookie that started it.
   */
  readonly snapshot: {
    viewer: Viewer;
    commune: { name: string; province: string; demo?: boolean };
    sessionHash: string | undefined;
    csrfToken: string;
  };
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

export type NewJob = Pick<
  ImportJob,
  "userId" | "communeId" | "kind" | "phase" | "uploadId" | "fileName" | "snapshot"
> & {
  totalRows?: number | undefined;
  skipInvalid?: boolean;
};

/** What a job's work reports as it goes. */
export type JobReport = {
  rows(rows: number): void;
  bytes(read: number, total: number): void;
};

/** How long a finished job stays known. */
export const JOB_TTL_MS = 3_600_000;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(
    private readonly opts: {
      now?: () => number;
      ttlMs?: number;
      /** Told of a job that failed on something other than the file (a bug, the database). */
      onUnexpected?: (err: unknown, job: ImportJob) => void;
    } = {},
  ) {}

  private now() {
    return (this.opts.now ?? nowMs)();
  }

  /** Forgets jobs finished longer ago than the keeping time. Running jobs stay. */
  private prune() {
    const limit = this.now() - (this.opts.ttlMs ?? JOB_TTL_MS);
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== undefined && job.finishedAt <= limit) this.jobs.delete(id);
    }
  }

  /**
   * Forgets a commune's finished jobs now (their previews and results may name a person being
   * erased); returns the uploads its running jobs still use, which must stay.
   */
  forgetFinishedOf(communeId: number): Set<string> {
    const running = new Set<string>();
    for (const [id, job] of this.jobs) {
      if (job.communeId !== communeId) continue;
      if (job.state === "running") running.add(job.uploadId);
      else this.jobs.delete(id);
    }
    return running;
  }

  /** The job of this id, if it is still known and belongs to this user. */
  find(id: string, who: JobOwner): ImportJob | undefined {
    this.prune();
    const job = this.jobs.get(id);
    if (!job || job.userId !== who.userId || job.communeId !== who.communeId) return undefined;
    return job;
  }

  /** The user's running job, if any (one at a time). */
  runningOf(who: JobOwner): ImportJob | undefined {
    for (const job of this.jobs.values()) {
      if (job.state === "running" && job.userId === who.userId && job.communeId === who.communeId) return job;
    }
    return undefined;
  }

  /** A running job by its id alone: for callers that checked who asks themselves. */
  runningById(id: string): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job?.state === "running" ? job : undefined;
  }

  /** Whether any job is running (its work may hold the database). */
  anyRunning(): ImportJob | undefined {
    for (const job of this.jobs.values()) if (job.state === "running") return job;
    return undefined;
  }

  /** The latest finished check of an upload, if still known. */
  checkOf(uploadId: string, who: JobOwner): ImportJob | undefined {
    this.prune();
    let found: ImportJob | undefined;
    for (const job of this.jobs.values()) {
      if (
        job.uploadId === uploadId &&
        job.phase === "check" &&
        job.state === "done" &&
        job.userId === who.userId &&
        job.communeId === who.communeId &&
        (!found || job.startedAt > found.startedAt)
      )
        found = job;
    }
    return found;
  }

  /**
   * Starts a job: registers it as running, then runs `work` in the background. `undefined` when the
   * user already has a job running (nothing is started). An `AppError` thrown by `work` is the
   * job's error as the user reads it; anything else fails the job with a general message.
   */
  start(
    init: NewJob,
    work: (job: ImportJob, report: JobReport) => Promise<Pick<ImportJob, "result" | "preview">>,
  ): ImportJob | undefined {
    this.prune();
    if (this.runningOf(init)) return undefined;
    const now = this.now();
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
    this.jobs.set(job.id, job);
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
    // Started on the next turn of the event loop: the request that starts it answers first.
    setImmediate(() => {
      work(job, report).then(
        (outcome) => {
          Object.assign(job, outcome);
          this.finish(job, "done");
        },
        (err: unknown) => {
          if (err instanceof AppError && err.code !== "internal") job.error = err.msg;
          else {
            job.error = msg("imports.job_failed");
            this.opts.onUnexpected?.(err, job);
          }
          this.finish(job, "failed");
        },
      );
    });
    return job;
  }

  private finish(job: ImportJob, state: JobState) {
    job.state = state;
    job.finishedAt = this.now();
    job.updatedAt = job.finishedAt;
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

/** The job registry of one app (keyed by its database handle: one per app process in practice). */
export function importJobs(key: object, opts?: ConstructorParameters<typeof ImportJobs>[0]): ImportJobs {
  let jobs = registries.get(key);
  if (!jobs) {
    jobs = new ImportJobs(opts);
    registries.set(key, jobs);
  }
  return jobs;
}
