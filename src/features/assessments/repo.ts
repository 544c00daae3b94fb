import { and, desc, eq, ilike } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import {
  type ASSESSMENT_LEVELS,
  type AUDIENCES,
  assessments,
  residents,
  users,
  villages,
} from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";

export type AssessmentLevel = (typeof ASSESSMENT_LEVELS)[number];
export type Audience = (typeof AUDIENCES)[number];

export type AssessmentValues = {
  communeId: number;
  residentId: number;
  date: string;
  audience: Audience;
  levels: Record<string, AssessmentLevel>;
  note: string | null;
  recordedBy: number | null;
};

export type AssessmentListRow = AssessmentValues & {
  id: number;
  residentName: string;
  villageCode: string;
  recordedByName: string | null;
};

const listColumns = {
  ...rowKit.columnsOf(assessments, "id", "communeId", "residentId", "date", "audience", "levels", "note"),
  recordedBy: assessments.recordedBy,
  residentName: residents.fullName,
  villageCode: villages.code,
  recordedByName: users.displayName,
};

/** Assessments follow their resident's scope (a village team's villages, a school's students). */
const scoped = (scope: Scope) =>
  scopeWhere(scope, {
    commune: residents.communeId,
    village: residents.villageId,
    resident: residents.id,
    unit: residents.unitId,
  });

export type AssessmentFilter = {
  residentId?: number | undefined;
  villageId?: number | undefined;
  /** Folded part of the resident's name. */
  q?: string | undefined;
};

export const listAssessmentRows = rowKit.pagedList<Scope, AssessmentFilter, AssessmentListRow>({
  where: (scope, f) =>
    and(
      scoped(scope),
      f.residentId === undefined ? undefined : eq(assessments.residentId, f.residentId),
      f.villageId === undefined ? undefined : eq(residents.villageId, f.villageId),
      f.q ? ilike(residents.nameSearch, rowKit.containsPattern(f.q)) : undefined,
    ),
  rows: (db, where) =>
    db
      .select(listColumns)
      .from(assessments)
      .innerJoin(residents, eq(residents.id, assessments.residentId))
      .innerJoin(villages, eq(villages.id, residents.villageId))
      .leftJoin(users, eq(users.id, assessments.recordedBy))
      .where(where)
      .orderBy(desc(assessments.date), desc(assessments.id)),
  counted: { table: assessments, joins: [[residents, eq(residents.id, assessments.residentId)]] },
});

export async function findAssessmentRow(db: Db, scope: Scope, id: number) {
  const [row] = await db
    .select(listColumns)
    .from(assessments)
    .innerJoin(residents, eq(residents.id, assessments.residentId))
    .innerJoin(villages, eq(villages.id, residents.villageId))
    .leftJoin(users, eq(users.id, assessments.recordedBy))
    .where(and(eq(assessments.id, id), scoped(scope)));
  return row;
}

export async function insertAssessmentRow(db: Db, values: AssessmentValues): Promise<number> {
  return rowKit.insertRowId(db, assessments, values);
}
