import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgSelect } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import {
  activities,
  activitySessions,
  attendance,
  certifications,
  households,
  incidents,
  residents,
  teamMembers,
  teams,
  units,
  villages,
  visits,
} from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";

/**
 * One page of a keyset walk: the rows whose id is above `afterId`, in id order, at most `limit`
 * (residents: the rows after (`afterSort`, `afterId`) in name order). Each export reads its kind page
 * by page, so a large commune never sits in memory whole.
 */
export type KeysetPage = { afterId: number; afterSort?: string | null; limit: number };

/**
 * The rows after the previous page's last, in (sort key, id) order: the kinds people read by name
 * (lib/collation.ts keys, `collate "C"`). Rows with no key (a household without a head) come last.
 */
function afterInOrder(key: SQL, id: AnyPgColumn, page: KeysetPage): SQL {
  return page.afterSort == null
    ? gt(id, page.afterId)
    : sql`(${key}, ${id}) > (${page.afterSort}, ${page.afterId})`;
}

/** A sort key that is never null: a missing one sorts after every other (U+10FFFF). */
const keyOrLast = (key: AnyPgColumn) => sql<string>`coalesce(${key}, chr(1114111))`;

/** A select's next keyset page: its rows in `inScope` after the previous page, in (`key`, id) order or id order. */
function walk<T extends PgSelect>(
  rows: T,
  page: KeysetPage,
  order: { id: AnyPgColumn; key?: SQL; inScope: SQL | undefined },
) {
  const after = order.key ? afterInOrder(order.key, order.id, page) : gt(order.id, page.afterId);
  const by = order.key ? [order.key, asc(order.id)] : [asc(order.id)];
  return rows
    .where(and(after, order.inScope))
    .orderBy(...by)
    .limit(page.limit);
}

/** A record's scope columns when a scope narrower than the commune goes by its resident's. */
const byResident = (commune: AnyPgColumn) => ({
  commune,
  village: residents.villageId,
  resident: residents.id,
  unit: residents.unitId,
});

/** Who a record names, as the export shows them beside it. */
const personColumns = columnsOf(residents, "citizenId", "fullName", "birthDate", "birthYearOnly");

export async function listVillagesPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({ id: villages.id, sort: keyOrLast(villages.nameSort), code: villages.code, name: villages.name })
    .from(villages)
    .$dynamic();
  const inScope = scopeWhere(scope, { commune: villages.communeId, village: villages.id });
  return walk(rows, page, { key: keyOrLast(villages.nameSort), id: villages.id, inScope });
}

export async function listUnitsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: units.id,
      sort: keyOrLast(units.nameSort),
      ...columnsOf(units, "code", "name", "type"),
    })
    .from(units)
    .$dynamic();
  const inScope = scopeWhere(scope, { commune: units.communeId, unit: units.id });
  return walk(rows, page, { key: keyOrLast(units.nameSort), id: units.id, inScope });
}

export async function listHouseholdsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: households.id,
      sort: keyOrLast(households.headSort),
      code: households.code,
      villageCode: villages.code,
      ...columnsOf(households, "headName", "address", "poor"),
    })
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .$dynamic();
  const inScope = scopeWhere(scope, { commune: households.communeId, village: households.villageId });
  return walk(rows, page, { key: keyOrLast(households.headSort), id: households.id, inScope });
}

export async function listResidentsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: residents.id,
      // Never null (a resident has a name): the column itself, so the name-order index serves the walk.
      sort: sql<string>`${residents.nameSort}`,
      ...columnsOf(residents, "fullName", "birthDate", "birthYearOnly", "gender", "citizenId", "phone"),
      villageCode: villages.code,
      householdCode: households.code,
      ...columnsOf(residents, "status", "groups"),
      unitCode: units.code,
      ...columnsOf(residents, "disabled", "vneidLevel"),
    })
    .from(residents)
    .innerJoin(villages, eq(villages.id, residents.villageId))
    .innerJoin(households, eq(households.id, residents.householdId))
    .leftJoin(units, eq(units.id, residents.unitId))
    .$dynamic();
  const inScope = scopeWhere(scope, byResident(residents.communeId));
  return walk(rows, page, { key: sql`${residents.nameSort}`, id: residents.id, inScope });
}

/** Certifications with their resident; a scope of villages or a unit narrows by the resident's. */
export async function listCertificationsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: certifications.id,
      ...personColumns,
      ...columnsOf(certifications, "kind", "date", "source", "reference"),
    })
    .from(certifications)
    .innerJoin(residents, eq(residents.id, certifications.residentId))
    .$dynamic();
  const inScope = scopeWhere(scope, byResident(certifications.communeId));
  return walk(rows, page, { id: certifications.id, inScope });
}

// --- the movement's records (SPEC §4) ------------------------------------------------

export async function listActivitiesPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      ...columnsOf(activities, "id", "code", "type", "title", "date"),
      villageCode: villages.code,
      unitCode: units.code,
      ...columnsOf(activities, "place", "startTime", "trainer", "audience", "notes"),
    })
    .from(activities)
    .leftJoin(villages, eq(villages.id, activities.villageId))
    .leftJoin(units, eq(units.id, activities.unitId))
    .$dynamic();
  const inScope = scopeWhere(scope, {
    commune: activities.communeId,
    village: activities.villageId,
    unit: activities.unitId,
  });
  return walk(rows, page, { id: activities.id, inScope });
}

/** Attendance with its activity, session day and resident; a narrower scope goes by the resident's. */
export async function listAttendancePage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: attendance.id,
      activityCode: activities.code,
      date: activitySessions.date,
      ...personColumns,
      present: attendance.present,
    })
    .from(attendance)
    .innerJoin(activitySessions, eq(activitySessions.id, attendance.sessionId))
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .innerJoin(residents, eq(residents.id, attendance.residentId))
    .$dynamic();
  const inScope = scopeWhere(scope, byResident(attendance.communeId));
  return walk(rows, page, { id: attendance.id, inScope });
}

export async function listTeamMembersPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: teamMembers.id,
      sort: keyOrLast(teamMembers.nameSort),
      villageCode: villages.code,
      ...columnsOf(teamMembers, "fullName", "role", "phone"),
      citizenId: residents.citizenId,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(villages, eq(villages.id, teams.villageId))
    .leftJoin(residents, eq(residents.id, teamMembers.residentId))
    .$dynamic();
  const inScope = scopeWhere(scope, { commune: teamMembers.communeId, village: teams.villageId });
  return walk(rows, page, { key: keyOrLast(teamMembers.nameSort), id: teamMembers.id, inScope });
}

export async function listVisitsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: visits.id,
      householdCode: households.code,
      date: visits.date,
      member: teamMembers.fullName,
      ...columnsOf(visits, "support", "note"),
    })
    .from(visits)
    .innerJoin(households, eq(households.id, visits.householdId))
    .innerJoin(teamMembers, eq(teamMembers.id, visits.memberId))
    .$dynamic();
  const inScope = scopeWhere(scope, { commune: visits.communeId, village: households.villageId });
  return walk(rows, page, { id: visits.id, inScope });
}

export async function listIncidentsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      ...columnsOf(incidents, "id", "code", "date", "severity", "kind", "description"),
      unitCode: units.code,
      resolvedDate: incidents.resolvedDate,
    })
    .from(incidents)
    .leftJoin(units, eq(units.id, incidents.unitId))
    .$dynamic();
  const inScope = scopeWhere(scope, { commune: incidents.communeId });
  return walk(rows, page, { id: incidents.id, inScope });
}

export type VillageExportRow = Awaited<ReturnType<typeof listVillagesPage>>[number];
export type UnitExportRow = Awaited<ReturnType<typeof listUnitsPage>>[number];
export type HouseholdExportRow = Awaited<ReturnType<typeof listHouseholdsPage>>[number];
export type ResidentExportRow = Awaited<ReturnType<typeof listResidentsPage>>[number];
export type CertificationExportRow = Awaited<ReturnType<typeof listCertificationsPage>>[number];
