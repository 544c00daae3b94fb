import { and, asc, desc, eq, gte, ilike, inArray, lte, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import {
  households,
  residents,
  teamMembers,
  users,
  villages,
  visitResidents,
  visits,
} from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import type { SupportKind } from "../../lib/values.ts";
import type { Scope } from "../auth/policy.ts";

export type VisitValues = {
  communeId: number;
  householdId: number;
  date: string;
  memberId: number;
  support: SupportKind[];
  note: string | null;
  recordedBy: number | null;
};

/** A visit with its household's and member's names, as pages and the API show it. */
export type VisitListRow = VisitValues & {
  id: number;
  householdCode: string;
  headName: string | null;
  villageId: number;
  villageCode: string;
  villageName: string;
  memberName: string;
  recordedByName: string | null;
};

const listColumns = {
  ...rowKit.columnsOf(visits, "id", "communeId", "householdId", "date", "memberId"),
  support: sql<SupportKind[]>`${visits.support}`,
  ...rowKit.columnsOf(visits, "note", "recordedBy"),
  householdCode: households.code,
  ...rowKit.columnsOf(households, "headName", "villageId"),
  villageCode: villages.code,
  villageName: villages.name,
  memberName: teamMembers.fullName,
  recordedByName: users.displayName,
};

/** Visits of a scope: by the visited household's village. */
const scoped = (scope: Scope) =>
  scopeWhere(scope, { commune: visits.communeId, village: households.villageId });

export type VisitFilter = {
  villageId?: number | undefined;
  householdId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** The start of a household code. */
  q?: string | undefined;
};

function filterWhere(scope: Scope, f: VisitFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [scoped(scope)];
  if (f.villageId !== undefined) conds.push(eq(households.villageId, f.villageId));
  if (f.householdId !== undefined) conds.push(eq(visits.householdId, f.householdId));
  if (f.from) conds.push(gte(visits.date, f.from));
  if (f.to) conds.push(lte(visits.date, f.to));
  if (f.q) conds.push(ilike(households.code, `${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  return and(...conds);
}

function selectVisits(db: Db) {
  return db
    .select(listColumns)
    .from(visits)
    .innerJoin(households, eq(households.id, visits.householdId))
    .innerJoin(villages, eq(villages.id, households.villageId))
    .innerJoin(teamMembers, eq(teamMembers.id, visits.memberId))
    .leftJoin(users, eq(users.id, visits.recordedBy));
}

export const listVisitRows = rowKit.pagedList<Scope, VisitFilter, VisitListRow>({
  where: filterWhere,
  rows: (db, where) => selectVisits(db).where(where).orderBy(desc(visits.date), desc(visits.id)),
  counted: { table: visits, joins: [[households, eq(households.id, visits.householdId)]] },
});

export async function findVisitRow(db: Db, scope: Scope, id: number): Promise<VisitListRow | undefined> {
  const [row] = await selectVisits(db).where(and(eq(visits.id, id), scoped(scope)));
  return row;
}

/** The visit with this natural key (household + date + member), if any. */
export async function findVisitByNaturalKey(
  db: Db,
  key: { householdId: number; date: string; memberId: number },
) {
  const [row] = await db
    .select({ id: visits.id })
    .from(visits)
    .where(
      and(
        eq(visits.householdId, key.householdId),
        eq(visits.date, key.date),
        eq(visits.memberId, key.memberId),
      ),
    );
  return row;
}

const writes = rowKit.recordWriters<typeof visits, VisitValues>(visits);

export const insertVisitRow = writes.insert;
export const updateVisitRow = writes.update;

/** Deletes a visit; its residents met go with it (cascade). */
export const deleteVisitRow = writes.delete;

/** The residents met on each of these visits, by visit id. */
export async function listResidentsMet(
  db: Db,
  visitIds: number[],
): Promise<Map<number, { id: number; fullName: string }[]>> {
  const out = new Map<number, { id: number; fullName: string }[]>();
  if (visitIds.length === 0) return out;
  const rows = await db
    .select({ visitId: visitResidents.visitId, id: residents.id, fullName: residents.fullName })
    .from(visitResidents)
    .innerJoin(residents, eq(residents.id, visitResidents.residentId))
    .where(inArray(visitResidents.visitId, visitIds))
    .orderBy(asc(residents.nameSort), asc(residents.id));
  for (const r of rows) {
    const list = out.get(r.visitId) ?? [];
    list.push({ id: r.id, fullName: r.fullName });
    out.set(r.visitId, list);
  }
  return out;
}

/** Sets the residents met on a visit to exactly these. */
export async function replaceResidentsMet(
  db: Db,
  communeId: number,
  visitId: number,
  residentIds: number[],
): Promise<void> {
  await db.delete(visitResidents).where(eq(visitResidents.visitId, visitId));
  if (residentIds.length === 0) return;
  await db
    .insert(visitResidents)
    .values(residentIds.map((residentId) => ({ communeId, visitId, residentId })));
}

/** The active residents of a household, briefly (who may be met on a visit). */
export async function listActiveMembersOfHousehold(db: Db, householdId: number) {
  return db
    .select(rowKit.columnsOf(residents, "id", "fullName", "birthDate", "vneidLevel"))
    .from(residents)
    .where(and(eq(residents.householdId, householdId), eq(residents.status, "active")))
    .orderBy(asc(residents.birthDate), asc(residents.id));
}

/** Residents of a household who are no longer active there (moved, deceased), among some ids. */
export async function listInactiveMembersOfHousehold(db: Db, householdId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: residents.id, fullName: residents.fullName, status: residents.status })
    .from(residents)
    .where(
      and(eq(residents.householdId, householdId), inArray(residents.id, ids), ne(residents.status, "active")),
    );
}

/** Raises a resident's VNeID level to `level` (never lowers it). */
export async function raiseVneidLevel(db: Db, residentId: number, level: number): Promise<void> {
  await db
    .update(residents)
    .set({ vneidLevel: sql`greatest(${residents.vneidLevel}, ${level}::smallint)`, updatedAt: now() })
    .where(eq(residents.id, residentId));
}

/** Every visit of a commune (its natural key and values), for the `visits` import. */
export async function listVisitValuesOfCommune(db: Db, communeId: number) {
  return db
    .select(rowKit.columnsOf(visits, "id", "householdId", "date", "memberId", "support", "note"))
    .from(visits)
    .where(eq(visits.communeId, communeId));
}
