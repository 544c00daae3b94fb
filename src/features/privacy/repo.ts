import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import {
  activities,
  activitySessions,
  assessments,
  attendance,
  auditEvents,
  certifications,
  communes,
  households,
  incidents,
  privacyErasures,
  privacyRequests,
  residents,
  taskProgress,
  teamMembers,
  teams,
  users,
  vendors,
  villages,
  visitResidents,
  visits,
} from "../../db/schema.ts";

// --- the register -------------------------------------------------------------

export type PrivacyRequestRow = typeof privacyRequests.$inferSelect & {
  residentName: string | null;
  handledByName: string | null;
};

const requestColumns = {
  ...rowKit.columnsOf(
    privacyRequests,
    "id",
    "communeId",
    "residentId",
    "requester",
    "receivedOn",
    "kind",
    "dueOn",
  ),
  ...rowKit.columnsOf(privacyRequests, "status", "refusalReason", "handledBy", "handledAt", "createdBy"),
  ...rowKit.columnsOf(privacyRequests, "createdAt", "updatedAt"),
  residentName: residents.fullName,
  handledByName: users.displayName,
};

export type PrivacyRequestFilter = { status?: string | undefined; overdueOn?: string | undefined };

function requestWhere(communeId: number, f: PrivacyRequestFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [eq(privacyRequests.communeId, communeId)];
  if (f.status === "open") conds.push(inArray(privacyRequests.status, ["received", "in_progress"]));
  else if (f.status) conds.push(eq(privacyRequests.status, f.status as "received"));
  if (f.overdueOn)
    conds.push(
      inArray(privacyRequests.status, ["received", "in_progress"]),
      sql`${privacyRequests.dueOn} < ${f.overdueOn}`,
    );
  return and(...conds);
}

/** The requests a list shows and a record page opens (a commune's own), with the resident and handler. */
const requests = rowKit.scopedRecords({
  select: (db: Db) =>
    db
      .select(requestColumns)
      .from(privacyRequests)
      .leftJoin(residents, eq(residents.id, privacyRequests.residentId))
      .leftJoin(users, eq(users.id, privacyRequests.handledBy))
      .$dynamic(),
  id: privacyRequests.id,
  scope: (communeId: number) => eq(privacyRequests.communeId, communeId),
});

/** Requests of a commune, open ones first by due date, then the rest newest first. */
export const listPrivacyRequestRows = rowKit.pagedList<number, PrivacyRequestFilter, PrivacyRequestRow>({
  where: requestWhere,
  rows: (db, where) =>
    requests
      .select(db)
      .where(where)
      .orderBy(
        sql`case when ${privacyRequests.status} in ('received','in_progress') then 0 else 1 end`,
        sql`case when ${privacyRequests.status} in ('received','in_progress') then ${privacyRequests.dueOn} end`,
        desc(privacyRequests.receivedOn),
        desc(privacyRequests.id),
      ),
  counted: { table: privacyRequests },
});

/** One request, if it is the commune's. */
export const findPrivacyRequestRow = requests.find;

export type NewPrivacyRequest = typeof privacyRequests.$inferInsert;

export async function insertPrivacyRequestRow(db: Db, values: NewPrivacyRequest): Promise<number> {
  return rowKit.insertRowId(db, privacyRequests, values);
}

export async function updatePrivacyRequestRow(
  db: Db,
  communeId: number,
  id: number,
  values: Partial<NewPrivacyRequest>,
): Promise<void> {
  await db
    .update(privacyRequests)
    .set(values)
    .where(and(eq(privacyRequests.communeId, communeId), eq(privacyRequests.id, id)));
}

// --- the person ---------------------------------------------------------------

/** A resident of the commune by citizen ID (unique in the installation, but scoped here). */
export async function findResidentIdByCitizenId(db: Db, communeId: number, citizenId: string) {
  return (await rowKit.findRowBy(db, residents, { id: residents.id }, { communeId, citizenId }))?.id;
}

export async function findErasure(db: Db, communeId: number, residentId: number) {
  const [row] = await db
    .select({ id: privacyErasures.id, erasedAt: privacyErasures.erasedAt })
    .from(privacyErasures)
    .where(and(eq(privacyErasures.communeId, communeId), eq(privacyErasures.residentId, residentId)));
  return row;
}

export type ErasureRef = { communeId: number; communeCode: string; residentId: number };

/** The erasures recorded in a database that may predate them (before migration 0011: none), with each commune's code. */
export async function listErasuresIfAny(db: Db): Promise<ErasureRef[]> {
  const r = (await db.execute(
    sql`select to_regclass('public.privacy_erasures') is not null as present`,
  )) as unknown as { rows: { present: boolean }[] };
  if (!r.rows[0]?.present) return [];
  return db
    .select({
      communeId: privacyErasures.communeId,
      communeCode: communes.code,
      residentId: privacyErasures.residentId,
    })
    .from(privacyErasures)
    .innerJoin(communes, eq(communes.id, privacyErasures.communeId))
    .orderBy(asc(privacyErasures.id));
}

/** Whether the commune of this id has this code (a restored installation is the same one). */
export async function communeHasCode(db: Db, communeId: number, code: string): Promise<boolean> {
  const [row] = await db
    .select({ id: communes.id })
    .from(communes)
    .where(and(eq(communes.id, communeId), eq(communes.code, code)));
  return !!row;
}

export async function residentExists(db: Db, communeId: number, residentId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: residents.id })
    .from(residents)
    .where(and(eq(residents.communeId, communeId), eq(residents.id, residentId)));
  return !!row;
}

export async function insertErasure(db: Db, values: typeof privacyErasures.$inferInsert): Promise<void> {
  await db.insert(privacyErasures).values(values).onConflictDoNothing();
}

export async function householdOf(db: Db, householdId: number) {
  const [row] = await db
    .select({
      ...rowKit.columnsOf(households, "id", "code", "headName", "address", "poor"),
      villageName: villages.name,
    })
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .where(eq(households.id, householdId));
  return row;
}

export async function certificationsOf(db: Db, residentId: number) {
  return db
    .select(rowKit.columnsOf(certifications, "id", "kind", "date", "source", "reference"))
    .from(certifications)
    .where(eq(certifications.residentId, residentId))
    .orderBy(asc(certifications.date), asc(certifications.id));
}

export async function attendanceOf(db: Db, residentId: number) {
  return db
    .select({
      id: attendance.id,
      date: activitySessions.date,
      activityCode: activities.code,
      activityTitle: activities.title,
      present: attendance.present,
    })
    .from(attendance)
    .innerJoin(activitySessions, eq(activitySessions.id, attendance.sessionId))
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .where(eq(attendance.residentId, residentId))
    .orderBy(asc(activitySessions.date), asc(attendance.id));
}

export async function visitsMetOf(db: Db, residentId: number) {
  return db
    .select({
      ...rowKit.columnsOf(visits, "id", "date"),
      householdCode: households.code,
      memberName: teamMembers.fullName,
      ...rowKit.columnsOf(visits, "support", "note"),
    })
    .from(visitResidents)
    .innerJoin(visits, eq(visits.id, visitResidents.visitId))
    .innerJoin(households, eq(households.id, visits.householdId))
    .innerJoin(teamMembers, eq(teamMembers.id, visits.memberId))
    .where(eq(visitResidents.residentId, residentId))
    .orderBy(asc(visits.date), asc(visits.id));
}

export async function assessmentsOf(db: Db, residentId: number) {
  return db
    .select(rowKit.columnsOf(assessments, "id", "date", "audience", "levels", "note"))
    .from(assessments)
    .where(eq(assessments.residentId, residentId))
    .orderBy(asc(assessments.date), asc(assessments.id));
}

export async function teamMembershipsOf(db: Db, residentId: number) {
  return db
    .select({
      ...rowKit.columnsOf(teamMembers, "id", "teamId"),
      villageName: villages.name,
      ...rowKit.columnsOf(teamMembers, "fullName", "role", "phone"),
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(villages, eq(villages.id, teams.villageId))
    .where(eq(teamMembers.residentId, residentId))
    .orderBy(asc(teamMembers.id));
}

export async function requestsOfResident(db: Db, communeId: number, residentId: number) {
  return db
    .select(rowKit.columnsOf(privacyRequests, "id", "kind", "receivedOn", "dueOn", "status"))
    .from(privacyRequests)
    .where(and(eq(privacyRequests.communeId, communeId), eq(privacyRequests.residentId, residentId)))
    .orderBy(asc(privacyRequests.id));
}

const auditColumns = rowKit.columnsOf(
  auditEvents,
  "id",
  "at",
  "actorUsername",
  "action",
  "entity",
  "entityId",
  "before",
  "after",
);

/**
 * The audit events of a commune about one resident: the events on the resident itself, the lists that
 * showed their identity, and the certifications, assessments and visits that named them.
 */
function personEvents(communeId: number, residentId: number): SQL {
  const id = String(residentId);
  const idJson = JSON.stringify([residentId]);
  return and(
    eq(auditEvents.communeId, communeId),
    or(
      and(eq(auditEvents.entity, "resident"), eq(auditEvents.entityId, id)),
      sql`${auditEvents.after} -> 'ids' @> ${idJson}::jsonb`,
      sql`${auditEvents.before} ->> 'residentId' = ${id}`,
      sql`${auditEvents.after} ->> 'residentId' = ${id}`,
      sql`${auditEvents.before} -> 'residentsMet' @> ${idJson}::jsonb`,
      sql`${auditEvents.after} -> 'residentsMet' @> ${idJson}::jsonb`,
    ),
  )!;
}

export async function auditEventsOfResident(db: Db, communeId: number, residentId: number) {
  return db
    .select(auditColumns)
    .from(auditEvents)
    .where(personEvents(communeId, residentId))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
}

export type AuditCopy = {
  id: number;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
};

/**
 * The audit events whose before/after copies may hold a person's data: those about them, and any
 * other of the commune whose copies contain one of `texts` (their name, citizen ID, phone).
 */
export async function auditCopiesNaming(
  db: Db,
  communeId: number,
  residentId: number,
  texts: string[],
): Promise<AuditCopy[]> {
  if (texts.length === 0) return [];
  const contains = texts.flatMap((x) => [
    ilike(sql`${auditEvents.before}::text`, rowKit.containsPattern(x)),
    ilike(sql`${auditEvents.after}::text`, rowKit.containsPattern(x)),
  ]);
  return db
    .select(rowKit.columnsOf(auditEvents, "id", "entity", "entityId", "before", "after"))
    .from(auditEvents)
    .where(
      or(personEvents(communeId, residentId), and(eq(auditEvents.communeId, communeId), or(...contains))),
    )
    .orderBy(asc(auditEvents.id));
}

/**
 * The one controlled change of the audit trail (migration 0011): within this transaction only, the
 * trigger lets the before/after copies be rewritten; every other column, and DELETE, stay refused.
 */
export async function redactAuditCopies(
  db: Db,
  changes: { id: number; before: unknown; after: unknown }[],
): Promise<void> {
  if (!changes.length) return;
  await db.execute(sql`select set_config('bdhvs.audit_redaction', 'on', true)`);
  for (const c of changes)
    await db
      .update(auditEvents)
      .set({ before: c.before ?? null, after: c.after ?? null })
      .where(eq(auditEvents.id, c.id));
  await db.execute(sql`select set_config('bdhvs.audit_redaction', 'off', true)`);
}

// --- erasing --------------------------------------------------------------------

/** Removes the records about a resident; returns how many of each went. */
export async function deleteRecordsOfResident(db: Db, residentId: number) {
  const removed = async (table: PgTable, resident: AnyPgColumn, key: AnyPgColumn) =>
    (await db.delete(table).where(eq(resident, residentId)).returning({ id: key })).length;
  const c = await removed(certifications, certifications.residentId, certifications.id);
  const a = await removed(attendance, attendance.residentId, attendance.id);
  const v = await removed(visitResidents, visitResidents.residentId, visitResidents.visitId);
  const s = await removed(assessments, assessments.residentId, assessments.id);
  // A market stall names its owner: it goes with them (issue 19.3).
  await db.delete(vendors).where(eq(vendors.residentId, residentId));
  return { certifications: c, attendance: a, visits: v, assessments: s };
}

export async function deleteResidentRow(db: Db, residentId: number): Promise<void> {
  await rowKit.deleteRowById(db, residents, residentId);
}

/** Team members who are the person (linked, or the same name and phone): their name and phone go. */
export async function anonymiseTeamMembers(
  db: Db,
  communeId: number,
  residentId: number,
  person: { fullName: string; phone: string | null },
): Promise<number> {
  const same = person.phone
    ? and(eq(teamMembers.fullName, person.fullName), eq(teamMembers.phone, person.phone))
    : undefined;
  const rows = await db
    .select({ id: teamMembers.id })
    .from(teamMembers)
    .where(and(eq(teamMembers.communeId, communeId), or(eq(teamMembers.residentId, residentId), same)));
  for (const r of rows) {
    const name = `[Đã xóa #${r.id}]`;
    await db
      .update(teamMembers)
      .set({ fullName: name, nameSearch: name.toLowerCase(), phone: null, residentId: null })
      .where(eq(teamMembers.id, r.id));
  }
  if (person.phone)
    await db
      .update(teams)
      .set({ phone: null })
      .where(and(eq(teams.communeId, communeId), eq(teams.phone, person.phone)));
  return rows.length;
}

/** Free-text fields of the commune that may name a person: each row holding one of `texts`. */
export async function freeTextsNaming(db: Db, communeId: number, texts: string[]) {
  if (texts.length === 0)
    return {
      visits: [],
      assessments: [],
      sessions: [],
      incidents: [],
      households: [],
      requests: [],
      tasks: [],
    };
  const like = (col: Parameters<typeof ilike>[0]) =>
    or(...texts.map((x) => ilike(col, rowKit.containsPattern(x))));
  const v = await db
    .select({ id: visits.id, text: visits.note })
    .from(visits)
    .where(and(eq(visits.communeId, communeId), like(visits.note)));
  const s = await db
    .select({ id: assessments.id, text: assessments.note })
    .from(assessments)
    .where(and(eq(assessments.communeId, communeId), like(assessments.note)));
  const n = await db
    .select({ id: activitySessions.id, text: activitySessions.notes })
    .from(activitySessions)
    .where(and(eq(activitySessions.communeId, communeId), like(activitySessions.notes)));
  const i = await db
    .select({ id: incidents.id, text: incidents.description })
    .from(incidents)
    .where(and(eq(incidents.communeId, communeId), like(incidents.description)));
  const h = await db
    .select({ id: households.id, text: households.headName, address: households.address })
    .from(households)
    .where(and(eq(households.communeId, communeId), or(like(households.headName), like(households.address))));
  const r = await db
    .select({
      id: privacyRequests.id,
      text: privacyRequests.requester,
      reason: privacyRequests.refusalReason,
    })
    .from(privacyRequests)
    .where(
      and(
        eq(privacyRequests.communeId, communeId),
        or(like(privacyRequests.requester), like(privacyRequests.refusalReason)),
      ),
    );
  const tp = await db
    .select({ id: taskProgress.id, text: taskProgress.result })
    .from(taskProgress)
    .where(and(eq(taskProgress.communeId, communeId), like(taskProgress.result)));
  return { visits: v, assessments: s, sessions: n, incidents: i, households: h, requests: r, tasks: tp };
}

export async function setVisitNote(db: Db, id: number, note: string | null) {
  await rowKit.setRowById(db, visits, id, { note });
}
export async function setAssessmentNote(db: Db, id: number, note: string | null) {
  await rowKit.setRowById(db, assessments, id, { note });
}
export async function setSessionNotes(db: Db, id: number, notes: string | null) {
  await rowKit.setRowById(db, activitySessions, id, { notes });
}
export async function setIncidentDescription(db: Db, id: number, description: string) {
  await rowKit.setRowById(db, incidents, id, { description });
}
export async function setTaskResult(db: Db, id: number, result: string) {
  await rowKit.setRowById(db, taskProgress, id, { result });
}
export async function setHouseholdTexts(db: Db, id: number, headName: string | null, address: string | null) {
  await rowKit.setRowById(db, households, id, { headName, address });
}
export async function setRequestTexts(
  db: Db,
  id: number,
  requester: string | null,
  refusalReason: string | null,
) {
  await rowKit.setRowById(db, privacyRequests, id, { requester, refusalReason });
}
