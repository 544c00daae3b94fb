import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import { taskEvidence, taskProgress, units, users, villages } from "../../db/schema.ts";
import type { TaskStatus } from "./schema.ts";

/** Who carries a task: a unit of the registry, or a village. */
export type AssigneeRef =
  | { unitId: number; villageId?: undefined }
  | { villageId: number; unitId?: undefined };

export type ProgressRow = {
  id: number;
  taskCode: string;
  unitId: number | null;
  villageId: number | null;
  dueDate: string | null;
  status: TaskStatus;
  result: string;
  reportedOn: string;
  reportedByName: string | null;
  createdAt: Date;
};

const progressColumns = {
  ...columnsOf(taskProgress, "id", "taskCode", "unitId", "villageId", "dueDate", "status", "result"),
  reportedOn: taskProgress.reportedOn,
  reportedByName: users.displayName,
  createdAt: taskProgress.createdAt,
};

/**
 * The progress entries of a commune's plan year, oldest first (so the last one per task, assignee and
 * due date is the current state); optionally of one task only.
 */
export async function listProgressRows(
  db: Db,
  scope: { communeId: number; planYear: number; taskCode?: string },
): Promise<ProgressRow[]> {
  return db
    .select(progressColumns)
    .from(taskProgress)
    .leftJoin(users, eq(users.id, taskProgress.reportedBy))
    .where(
      and(
        eq(taskProgress.communeId, scope.communeId),
        eq(taskProgress.planYear, scope.planYear),
        scope.taskCode === undefined ? undefined : eq(taskProgress.taskCode, scope.taskCode),
      ),
    )
    .orderBy(asc(taskProgress.createdAt), asc(taskProgress.id));
}

export async function insertProgressRow(
  db: Db,
  values: {
    communeId: number;
    planYear: number;
    taskCode: string;
    assignee: AssigneeRef;
    dueDate: string | null;
    status: TaskStatus;
    result: string;
    reportedOn: string;
    reportedBy: number | null;
  },
): Promise<number> {
  const { assignee, ...rest } = values;
  const [row] = await db
    .insert(taskProgress)
    .values({ ...rest, unitId: assignee.unitId ?? null, villageId: assignee.villageId ?? null })
    .returning({ id: taskProgress.id });
  return row!.id;
}

export type EvidenceMeta = {
  id: number;
  progressId: number;
  fileName: string;
  mediaType: (typeof taskEvidence.$inferSelect)["mediaType"];
  size: number;
};

const evidenceColumns = columnsOf(taskEvidence, "id", "progressId", "fileName", "mediaType", "size");

export async function insertEvidenceRows(
  db: Db,
  rows: {
    communeId: number;
    progressId: number;
    fileName: string;
    mediaType: EvidenceMeta["mediaType"];
    content: Uint8Array;
    sha256: string;
  }[],
): Promise<EvidenceMeta[]> {
  if (rows.length === 0) return [];
  return db
    .insert(taskEvidence)
    .values(rows.map((r) => ({ ...r, size: r.content.byteLength })))
    .returning(evidenceColumns);
}

/** The evidence files' descriptions (not their bytes) of some progress entries of a commune. */
export async function listEvidenceOf(
  db: Db,
  communeId: number,
  progressIds: number[],
): Promise<EvidenceMeta[]> {
  if (progressIds.length === 0) return [];
  return db
    .select(evidenceColumns)
    .from(taskEvidence)
    .where(and(eq(taskEvidence.communeId, communeId), inArray(taskEvidence.progressId, progressIds)))
    .orderBy(asc(taskEvidence.id));
}

/** One evidence file of a commune, with its bytes and the entry it belongs to. */
export async function findEvidence(
  db: Db,
  communeId: number,
  id: number,
): Promise<
  | (EvidenceMeta & {
      content: Uint8Array;
      taskCode: string;
      planYear: number;
      unitId: number | null;
      villageId: number | null;
    })
  | undefined
> {
  const [row] = await db
    .select({
      ...evidenceColumns,
      content: taskEvidence.content,
      ...columnsOf(taskProgress, "taskCode", "planYear", "unitId", "villageId"),
    })
    .from(taskEvidence)
    .innerJoin(taskProgress, eq(taskProgress.id, taskEvidence.progressId))
    .where(and(eq(taskEvidence.communeId, communeId), eq(taskEvidence.id, id)))
    .orderBy(desc(taskEvidence.id));
  return row;
}

/** The commune's units and villages by id and code, to resolve a plan's unit codes. */
export async function listAssigneePlaces(db: Db, communeId: number) {
  const [u, v] = await Promise.all([
    db
      .select({ id: units.id, code: units.code, name: units.name })
      .from(units)
      .where(eq(units.communeId, communeId))
      .orderBy(asc(units.code)),
    db
      .select({ id: villages.id, code: villages.code, name: villages.name })
      .from(villages)
      .where(eq(villages.communeId, communeId))
      .orderBy(asc(villages.nameSort), asc(villages.code)),
  ]);
  return { units: u, villages: v };
}
