import { and, asc, desc, eq, lt, ne, notInArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { importJobs, importUploadParts, importUploads } from "../../db/schema.ts";

/** Who owns an upload or a job: one user in one commune. */
export type Owner = { communeId: number; userId: number };

export type UploadPart = "source" | "errors" | "rejects";

const uploadColumns = {
  ...rowKit.columnsOf(importUploads, "id", "communeId", "userId", "kind", "name", "ext", "sheet", "keptAt"),
  sourceGone: importUploads.sourceGone,
};
export type UploadRow = {
  id: string;
  communeId: number;
  userId: number;
  kind: string;
  name: string;
  ext: string;
  sheet: string | null;
  keptAt: Date;
  sourceGone: boolean;
};

export async function insertUploadRow(db: Db, values: Omit<UploadRow, "sourceGone">) {
  await db.insert(importUploads).values(values);
}

export async function findUploadRow(db: Db, id: string, who: Owner): Promise<UploadRow | undefined> {
  const [row] = await db
    .select(uploadColumns)
    .from(importUploads)
    .where(
      and(
        eq(importUploads.id, id),
        eq(importUploads.communeId, who.communeId),
        eq(importUploads.userId, who.userId),
      ),
    );
  return row;
}

export async function setUploadKeptAt(db: Db, id: string, keptAt: Date) {
  await db.update(importUploads).set({ keptAt }).where(eq(importUploads.id, id));
}

/** The uploads whose running job still needs them (any process's). */
function uploadsOfRunningJobs(db: Db, communeId?: number) {
  return db
    .select({ id: importJobs.uploadId })
    .from(importJobs)
    .where(
      and(
        eq(importJobs.state, "running"),
        communeId === undefined ? undefined : eq(importJobs.communeId, communeId),
      ),
    );
}

/** Deletes uploads kept since before `before` (their parts go with them), except a running job's. */
export async function deleteExpiredUploads(db: Db, before: Date): Promise<number> {
  const gone = await db
    .delete(importUploads)
    .where(and(lt(importUploads.keptAt, before), notInArray(importUploads.id, uploadsOfRunningJobs(db))))
    .returning({ id: importUploads.id });
  return gone.length;
}

/** Deletes every upload of a commune, except those of its running jobs. */
export async function deleteUploadsOfCommune(db: Db, communeId: number): Promise<number> {
  const gone = await db
    .delete(importUploads)
    .where(
      and(
        eq(importUploads.communeId, communeId),
        notInArray(importUploads.id, uploadsOfRunningJobs(db, communeId)),
      ),
    )
    .returning({ id: importUploads.id });
  return gone.length;
}

export async function deleteUploadRow(db: Db, id: string) {
  await rowKit.deleteRowById(db, importUploads, id);
}

/** Replaces one of an upload's files by these chunks. */
export async function writeUploadPart(
  db: Db,
  upload: { id: string; communeId: number },
  part: UploadPart,
  chunks: Uint8Array[],
) {
  await db
    .delete(importUploadParts)
    .where(and(eq(importUploadParts.uploadId, upload.id), eq(importUploadParts.part, part)));
  for (let seq = 0; seq < chunks.length; seq++) {
    await db
      .insert(importUploadParts)
      .values({ uploadId: upload.id, communeId: upload.communeId, part, seq, data: chunks[seq]! });
  }
}

/** The chunks of one of an upload's files, in order (none: no such file). */
export async function readUploadPart(db: Db, uploadId: string, part: UploadPart): Promise<Uint8Array[]> {
  const rows = await db
    .select({ data: importUploadParts.data })
    .from(importUploadParts)
    .where(and(eq(importUploadParts.uploadId, uploadId), eq(importUploadParts.part, part)))
    .orderBy(asc(importUploadParts.seq));
  return rows.map((r) => r.data);
}

/** The uploaded file itself goes (its commit wrote it); the record and its rejects stay. */
export async function dropUploadSource(db: Db, uploadId: string) {
  await db
    .delete(importUploadParts)
    .where(and(eq(importUploadParts.uploadId, uploadId), eq(importUploadParts.part, "source")));
  await db.update(importUploads).set({ sourceGone: true }).where(eq(importUploads.id, uploadId));
}

const jobColumns = {
  ...rowKit.columnsOf(importJobs, "id", "communeId", "userId", "kind", "phase", "uploadId", "fileName"),
  ...rowKit.columnsOf(importJobs, "state", "rows", "totalRows", "bytesRead", "bytesTotal", "skipInvalid"),
  ...rowKit.columnsOf(importJobs, "result", "preview", "error", "owner", "attempts", "leaseUntil"),
  ...rowKit.columnsOf(importJobs, "startedAt", "updatedAt", "finishedAt"),
};
export type JobRow = typeof importJobs.$inferSelect;

/** Inserts a running job; `false` when the user already has one running (the unique index says so). */
export async function insertJobRow(db: Db, values: typeof importJobs.$inferInsert): Promise<boolean> {
  const rows = await db
    .insert(importJobs)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: importJobs.id });
  return rows.length === 1;
}

export async function findJobRow(db: Db, id: string, who: Owner): Promise<JobRow | undefined> {
  const [row] = await db
    .select(jobColumns)
    .from(importJobs)
    .where(
      and(eq(importJobs.id, id), eq(importJobs.communeId, who.communeId), eq(importJobs.userId, who.userId)),
    );
  return row;
}

export async function findRunningJobRow(db: Db, who: Owner): Promise<JobRow | undefined> {
  const [row] = await db
    .select(jobColumns)
    .from(importJobs)
    .where(
      and(
        eq(importJobs.state, "running"),
        eq(importJobs.communeId, who.communeId),
        eq(importJobs.userId, who.userId),
      ),
    );
  return row;
}

/** The latest finished check of an upload by its owner. */
export async function findCheckRow(db: Db, uploadId: string, who: Owner): Promise<JobRow | undefined> {
  const [row] = await db
    .select(jobColumns)
    .from(importJobs)
    .where(
      and(
        eq(importJobs.uploadId, uploadId),
        eq(importJobs.phase, "check"),
        eq(importJobs.state, "done"),
        eq(importJobs.communeId, who.communeId),
        eq(importJobs.userId, who.userId),
      ),
    )
    .orderBy(desc(importJobs.startedAt))
    .limit(1);
  return row;
}

/** Progress and a renewed lease, from the process that runs the job (no other's). */
export async function renewJobRow(
  db: Db,
  id: string,
  owner: string,
  values: Pick<JobRow, "rows" | "bytesRead" | "bytesTotal" | "leaseUntil" | "updatedAt">,
) {
  await db
    .update(importJobs)
    .set(values)
    .where(and(eq(importJobs.id, id), eq(importJobs.owner, owner), eq(importJobs.state, "running")));
}

/** Ends a running job; `false` when it was no longer running (failed by another process meanwhile). */
export async function finishJobRow(
  db: Db,
  id: string,
  values: Pick<JobRow, "state" | "rows" | "finishedAt" | "updatedAt"> &
    Partial<Pick<JobRow, "result" | "preview" | "error" | "bytesRead" | "bytesTotal">>,
): Promise<boolean> {
  const rows = await db
    .update(importJobs)
    .set(values)
    .where(and(eq(importJobs.id, id), eq(importJobs.state, "running")))
    .returning({ id: importJobs.id });
  return rows.length === 1;
}

/**
 * Fails the running jobs whose process is gone: those whose lease ran out before `before` (on
 * PostgreSQL), or every running job not of `notOwner` (on the embedded database, where one process
 * alone runs jobs). Returns the ids failed.
 */
export async function failAbandonedJobRows(
  db: Db,
  opts: { before?: Date; notOwner?: string; error: unknown; at: Date },
): Promise<string[]> {
  const rows = await db
    .update(importJobs)
    .set({ state: "failed", error: opts.error, finishedAt: opts.at, updatedAt: opts.at })
    .where(
      and(
        eq(importJobs.state, "running"),
        opts.before ? lt(importJobs.leaseUntil, opts.before) : undefined,
        opts.notOwner ? ne(importJobs.owner, opts.notOwner) : undefined,
      ),
    )
    .returning({ id: importJobs.id });
  return rows.map((r) => r.id);
}

/** Deletes jobs finished before `before`. */
export async function deleteFinishedJobRows(db: Db, before: Date) {
  await db.delete(importJobs).where(and(ne(importJobs.state, "running"), lt(importJobs.finishedAt, before)));
}

/** Deletes a commune's finished jobs now (their previews and results may name an erased person). */
export async function deleteFinishedJobsOfCommune(db: Db, communeId: number) {
  await db
    .delete(importJobs)
    .where(and(eq(importJobs.communeId, communeId), ne(importJobs.state, "running")));
}
