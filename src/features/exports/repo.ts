import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgSelect } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
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
  order: { id: AnyPgColumn; key?: SQL },
  inScope: SQL | undefined,
) {
  const after = order.key ? afterInOrder(order.key, order.id, page) : gt(order.id, page.afterId);
  const by = order.key ? [order.key, asc(order.id)] : [asc(order.id)];
  return rows
    .where(and(after, inScope))
    .orderBy(...by)
    .limit(page.limit);
}

/** Who a record names, as the export shows them beside it. */
const personColumns = {
  citizenId: residents.citizenId,
  fullName: residents.fullName,
  birthDate: residents.birthDate,
  birthYearOnly: residents.birthYearOnly,
};

export type VillageExportRow = { id: number; sort: string; code: string; name: string };

export async function listVillagesPage(db: Db, scope: Scope, page: KeysetPage): Promise<VillageExportRow[]> {
  const rows = db
    .select({ id: villages.id, sort: keyOrLast(villages.nameSort), code: villages.code, name: villages.name })
    .from(villages)
    .$dynamic();
  return walk(
    rows,
    page,
    { key: keyOrLast(villages.nameSort), id: villages.id },
    scopeWhere(scope, { commune: villages.communeId, village: villages.id }),
  );
}

export type UnitExportRow = {
  id: number;
  sort: string;
  code: string;
  name: string;
  type: (typeof units.$inferSelect)["type"];
};

export async function listUnitsPage(db: Db, scope: Scope, page: KeysetPage): Promise<UnitExportRow[]> {
  const rows = db
    .select({
      id: units.id,
      sort: keyOrLast(units.nameSort),
      code: units.code,
      name: units.name,
      type: units.type,
    })
    .from(units)
    .$dynamic();
  return walk(
    rows,
    page,
    { key: keyOrLast(units.nameSort), id: units.id },
    scopeWhere(scope, { commune: units.communeId, unit: units.id }),
  );
}

export type HouseholdExportRow = {
  id: number;
  sort: string;
  code: string;
  villageCode: string;
  headName: string | null;
  address: string | null;
  poor: boolean;
};

export async function listHouseholdsPage(
  db: Db,
  scope: Scope,
  page: KeysetPage,
): Promise<HouseholdExportRow[]> {
  const rows = db
    .select({
      id: households.id,
      sort: keyOrLast(households.headSort),
      code: households.code,
      villageCode: villages.code,
      headName: households.headName,
      address: households.address,
      poor: households.poor,
    })
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .$dynamic();
  return walk(
    rows,
    page,
    { key: keyOrLast(households.headSort), id: households.id },
    scopeWhere(scope, { commune: households.communeId, village: households.villageId }),
  );
}

export type ResidentExportRow = {
  id: number;
  sort: string;
  fullName: string;
  birthDate: string;
  birthYearOnly: boolean;
  gender: (typeof residents.$inferSelect)["gender"];
  citizenId: string | null;
  phone: string | null;
  villageCode: string;
  householdCode: string;
  status: (typeof residents.$inferSelect)["status"];
  groups: string[];
  unitCode: string | null;
  disabled: boolean;
  vneidLevel: number;
};

export async function listResidentsPage(
  db: Db,
  scope: Scope,
  page: KeysetPage,
): Promise<ResidentExportRow[]> {
  const rows = db
    .select({
      id: residents.id,
      // Never null (a resident has a name): the column itself, so the name-order index serves the walk.
      sort: sql<string>`${residents.nameSort}`,
      fullName: residents.fullName,
      birthDate: residents.birthDate,
      birthYearOnly: residents.birthYearOnly,
      gender: residents.gender,
      citizenId: residents.citizenId,
      phone: residents.phone,
      villageCode: villages.code,
      householdCode: households.code,
      status: residents.status,
      groups: residents.groups,
      unitCode: units.code,
      disabled: residents.disabled,
      vneidLevel: residents.vneidLevel,
    })
    .from(residents)
    .innerJoin(villages, eq(villages.id, residents.villageId))
    .innerJoin(households, eq(households.id, residents.householdId))
    .leftJoin(units, eq(units.id, residents.unitId))
    .$dynamic();
  return walk(
    rows,
    page,
    { key: sql`${residents.nameSort}`, id: residents.id },
    scopeWhere(scope, {
      commune: residents.communeId,
      village: residents.villageId,
      resident: residents.id,
      unit: residents.unitId,
    }),
  );
}

export type CertificationExportRow = {
  id: number;
  citizenId: string | null;
  fullName: string;
  birthDate: string;
  birthYearOnly: boolean;
  kind: (typeof certifications.$inferSelect)["kind"];
  date: string;
  source: (typeof certifications.$inferSelect)["source"];
  reference: string | null;
};

/** Certifications with their resident; a scope of villages or a unit narrows by the resident's. */
export async function listCertificationsPage(
  db: Db,
  scope: Scope,
  page: KeysetPage,
): Promise<CertificationExportRow[]> {
  const rows = db
    .select({
      id: certifications.id,
      ...personColumns,
      kind: certifications.kind,
      date: certifications.date,
      source: certifications.source,
      reference: certifications.reference,
    })
    .from(certifications)
    .innerJoin(residents, eq(residents.id, certifications.residentId))
    .$dynamic();
  return walk(
    rows,
    page,
    { id: certifications.id },
    scopeWhere(scope, {
      commune: certifications.communeId,
      village: residents.villageId,
      resident: residents.id,
      unit: residents.unitId,
    }),
  );
}

// --- the movement's records (SPEC §4) ------------------------------------------------

export async function listActivitiesPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: activities.id,
      code: activities.code,
      type: activities.type,
      title: activities.title,
      date: activities.date,
      villageCode: villages.code,
      unitCode: units.code,
      place: activities.place,
      startTime: activities.startTime,
      trainer: activities.trainer,
      audience: activities.audience,
      notes: activities.notes,
    })
    .from(activities)
    .leftJoin(villages, eq(villages.id, activities.villageId))
    .leftJoin(units, eq(units.id, activities.unitId))
    .$dynamic();
  return walk(
    rows,
    page,
    { id: activities.id },
    scopeWhere(scope, {
      commune: activities.communeId,
      village: activities.villageId,
      unit: activities.unitId,
    }),
  );
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
  return walk(
    rows,
    page,
    { id: attendance.id },
    scopeWhere(scope, {
      commune: attendance.communeId,
      village: residents.villageId,
      resident: residents.id,
      unit: residents.unitId,
    }),
  );
}

export async function listTeamMembersPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: teamMembers.id,
      sort: keyOrLast(teamMembers.nameSort),
      villageCode: villages.code,
      fullName: teamMembers.fullName,
      role: teamMembers.role,
      phone: teamMembers.phone,
      citizenId: residents.citizenId,
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(villages, eq(villages.id, teams.villageId))
    .leftJoin(residents, eq(residents.id, teamMembers.residentId))
    .$dynamic();
  return walk(
    rows,
    page,
    { key: keyOrLast(teamMembers.nameSort), id: teamMembers.id },
    scopeWhere(scope, { commune: teamMembers.communeId, village: teams.villageId }),
  );
}

export async function listVisitsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: visits.id,
      householdCode: households.code,
      date: visits.date,
      member: teamMembers.fullName,
      support: visits.support,
      note: visits.note,
    })
    .from(visits)
    .innerJoin(households, eq(households.id, visits.householdId))
    .innerJoin(teamMembers, eq(teamMembers.id, visits.memberId))
    .$dynamic();
  return walk(
    rows,
    page,
    { id: visits.id },
    scopeWhere(scope, { commune: visits.communeId, village: households.villageId }),
  );
}

export async function listIncidentsPage(db: Db, scope: Scope, page: KeysetPage) {
  const rows = db
    .select({
      id: incidents.id,
      code: incidents.code,
      date: incidents.date,
      severity: incidents.severity,
      kind: incidents.kind,
      description: incidents.description,
      unitCode: units.code,
      resolvedDate: incidents.resolvedDate,
    })
    .from(incidents)
    .leftJoin(units, eq(units.id, incidents.unitId))
    .$dynamic();
  return walk(rows, page, { id: incidents.id }, scopeWhere(scope, { commune: incidents.communeId }));
}
