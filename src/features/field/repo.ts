import { and, asc, desc, eq, gte, inArray, lte, max, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { columnsOf, findRowBy, insertRowId } from "../../db/rows.ts";
import {
  activities,
  activitySessions,
  attendance,
  fieldChanges,
  fieldSyncStates,
  households,
  residentFacts,
  residents,
  teamMembers,
  teams,
  villages,
  visits,
} from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";

/** The villages of a scope (a village team's own; none for a school). */
export async function listScopeVillages(db: Db, scope: Scope) {
  return db
    .select({ id: villages.id, code: villages.code, name: villages.name })
    .from(villages)
    .where(scopeWhere(scope, { commune: villages.communeId, village: villages.id }))
    .orderBy(asc(villages.nameSort), asc(villages.code));
}

/** The households of a scope (or those of them among `ids`), with their last visit's date. */
export async function listScopeHouseholds(db: Db, scope: Scope, ids?: number[]) {
  const last = db
    .select({ householdId: visits.householdId, last: max(visits.date).as("last") })
    .from(visits)
    .groupBy(visits.householdId)
    .as("last_visit");
  return db
    .select({
      ...columnsOf(households, "id", "code", "headName", "address", "poor", "villageId"),
      lastVisit: last.last,
    })
    .from(households)
    .leftJoin(last, eq(last.householdId, households.id))
    .where(
      and(
        scopeWhere(scope, { commune: households.communeId, village: households.villageId }),
        ids ? inArray(households.id, ids) : undefined,
      ),
    )
    .orderBy(asc(households.code));
}

/** The codes of a scope's poor households (a visit list's "poor" reason). */
export async function listScopePoorHouseholdCodes(db: Db, scope: Scope): Promise<string[]> {
  const rows = await db
    .select({ code: households.code })
    .from(households)
    .where(
      and(
        scopeWhere(scope, { commune: households.communeId, village: households.villageId }),
        eq(households.poor, true),
      ),
    );
  return rows.map((r) => r.code);
}

/**
 * The active residents of a scope's households with what a visit needs: never a birth date, citizen
 * ID or phone leaves this function — only the age at `today` (computed here) and the facts.
 */
export async function listScopeResidents(db: Db, scope: Scope, today: string, householdIds?: number[]) {
  return db
    .select({
      ...columnsOf(residents, "id", "householdId", "fullName"),
      age: sql<number>`extract(year from age(${today}::date, ${residents.birthDate}))::int`,
      ...columnsOf(residents, "groups", "disabled", "vneidLevel"),
      skilled: sql<boolean>`coalesce(${residentFacts.firstSkill} <= ${today}::date, false)`,
      vneidConfirmed: sql<boolean>`coalesce(${residentFacts.firstVneid} <= ${today}::date, false)`,
    })
    .from(residents)
    .leftJoin(residentFacts, eq(residentFacts.residentId, residents.id))
    .where(
      and(
        scopeWhere(scope, { commune: residents.communeId, village: residents.villageId }),
        eq(residents.status, "active"),
        householdIds ? inArray(residents.householdId, householdIds) : undefined,
      ),
    )
    .orderBy(asc(residents.householdId), asc(residents.id));
}

/** The class sessions of a scope between two dates (a village team's villages, or a school's unit). */
export async function listScopeSessions(db: Db, scope: Scope, from: string, to: string) {
  return db
    .select({
      ...columnsOf(activitySessions, "id", "date"),
      activityId: activities.id,
      ...columnsOf(activities, "code", "title", "place", "villageId", "audience"),
    })
    .from(activitySessions)
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .where(
      and(
        scopeWhere(scope, {
          commune: activities.communeId,
          village: activities.villageId,
          unit: activities.unitId,
        }),
        eq(activities.type, "class"),
        gte(activitySessions.date, from),
        lte(activitySessions.date, to),
      ),
    )
    .orderBy(asc(activitySessions.date), asc(activities.code));
}

/** Who is on the rosters of these activities' sessions (any session), and their mark on each. */
export async function listRosterMarks(db: Db, activityIds: number[]) {
  if (activityIds.length === 0) return [];
  return db
    .select({
      activityId: activitySessions.activityId,
      ...columnsOf(attendance, "sessionId", "residentId", "present"),
      ...columnsOf(residents, "fullName", "householdId", "status"),
    })
    .from(attendance)
    .innerJoin(activitySessions, eq(activitySessions.id, attendance.sessionId))
    .innerJoin(residents, eq(residents.id, attendance.residentId))
    .where(inArray(activitySessions.activityId, activityIds))
    .orderBy(asc(residents.nameSort), asc(residents.id));
}

/** The members of the teams of some villages. */
export async function listTeamMembersOfVillages(db: Db, villageIds: number[]) {
  if (villageIds.length === 0) return [];
  return db
    .select({
      ...columnsOf(teamMembers, "id", "fullName", "nameSearch", "role"),
      villageId: teams.villageId,
      userId: teamMembers.userId,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(inArray(teams.villageId, villageIds))
    .orderBy(asc(teams.villageId), asc(teamMembers.nameSort), asc(teamMembers.id));
}

export type SyncVersions = Record<string, string>;

export async function insertSyncState(
  db: Db,
  row: { communeId: number; userId: number; versions: SyncVersions },
): Promise<number> {
  return insertRowId(db, fieldSyncStates, row);
}

/** A user's kept sync state, and whether it is recent enough that the change log still covers it. */
export async function findSyncState(
  db: Db,
  userId: number,
  id: number,
): Promise<{ versions: SyncVersions; logged: boolean } | undefined> {
  const fields = {
    versions: fieldSyncStates.versions,
    logged: sql<boolean>`${fieldSyncStates.createdAt} > now() - make_interval(days => ${CHANGES_KEPT_DAYS - 1})`,
  };
  const r = await findRowBy(db, fieldSyncStates, fields, { userId, id });
  return r ? { versions: r.versions as SyncVersions, logged: r.logged } : undefined;
}

/** Changes are kept this many days; an older sync state is compared record by record instead. */
export const CHANGES_KEPT_DAYS = 8;

/**
 * The oldest transaction still running: a later sync reads the changes of this transaction and every
 * later one (it may not have committed before this sync's reads).
 */
export async function currentChangeMark(db: Db): Promise<number> {
  const r = (await db.execute(
    sql`select (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint as mark`,
  )) as unknown as { rows: { mark: string | number }[] };
  return Number(r.rows[0]!.mark);
}

/** What changed in some villages since a mark (the household ids; whether sessions, members, villages did). */
export async function listChangesSince(db: Db, communeId: number, villageIds: number[], mark: number) {
  if (villageIds.length === 0) return [];
  return db
    .selectDistinct({ kind: fieldChanges.kind, refId: fieldChanges.refId })
    .from(fieldChanges)
    .where(
      and(
        eq(fieldChanges.communeId, communeId),
        gte(fieldChanges.tx, mark),
        inArray(fieldChanges.villageId, villageIds),
      ),
    );
}

/** Drops changes older than every sync state that reads them. */
export async function pruneChanges(db: Db): Promise<void> {
  await db
    .delete(fieldChanges)
    .where(sql`${fieldChanges.createdAt} < now() - make_interval(days => ${CHANGES_KEPT_DAYS})`);
}

/** Keeps a user's latest states only (a phone syncs from its last cursor). */
export async function pruneSyncStates(db: Db, userId: number, keep: number): Promise<void> {
  const recent = db
    .select({ id: fieldSyncStates.id })
    .from(fieldSyncStates)
    .where(eq(fieldSyncStates.userId, userId))
    .orderBy(desc(fieldSyncStates.id))
    .limit(keep);
  await db
    .delete(fieldSyncStates)
    .where(and(eq(fieldSyncStates.userId, userId), sql`${fieldSyncStates.id} not in (${recent})`));
}

/** True when one of the user's kept work sets held this record (its version key: `h12`, `dLH01@2026-06-17`). */
export async function syncStateHasKey(db: Db, userId: number, key: string): Promise<boolean> {
  const [r] = await db
    .select({ id: fieldSyncStates.id })
    .from(fieldSyncStates)
    .where(and(eq(fieldSyncStates.userId, userId), sql`jsonb_exists(${fieldSyncStates.versions}, ${key})`))
    .limit(1);
  return !!r;
}
