import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { chunks } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import {
  activities,
  activitySessions,
  attendance,
  households,
  residents,
  units,
  villages,
} from "../../db/schema.ts";
import { isWorkerRow, scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import { foldVietnamese } from "../../lib/text.ts";
import type { Scope } from "../auth/policy.ts";

export type ActivityValues = {
  communeId: number;
  code: string;
  type: (typeof activities.$inferSelect)["type"];
  title: string;
  date: string;
  villageId: number | null;
  unitId: number | null;
  audience: (typeof activities.$inferSelect)["audience"];
  place: string | null;
  startTime: string | null;
  trainer: string | null;
  notes: string | null;
};

/** An activity with the codes and names of its village and unit, as pages and the API show it. */
export type ActivityRow = ActivityValues & {
  id: number;
  villageCode: string | null;
  villageName: string | null;
  unitCode: string | null;
  unitName: string | null;
};

const activityColumns = {
  ...rowKit.columnsOf(activities, "id", "communeId", "code", "type", "title", "date", "villageId", "unitId"),
  ...rowKit.columnsOf(activities, "audience", "place", "startTime", "trainer", "notes"),
  villageCode: villages.code,
  villageName: villages.name,
  unitCode: units.code,
  unitName: units.name,
};

/**
 * Activities of a scope: the whole commune; a village team's villages plus the commune-wide ones
 * (no village); a school's own unit; every commune (province).
 */
function scoped(scope: Scope): SQL | undefined {
  switch (scope.kind) {
    case "installation":
      return undefined;
    case "commune":
      return eq(activities.communeId, scope.communeId);
    case "villages":
      return and(
        eq(activities.communeId, scope.communeId),
        scope.villageIds.length === 0
          ? isNull(activities.villageId)
          : or(isNull(activities.villageId), inArray(activities.villageId, [...scope.villageIds])),
      );
    case "unit":
      if (scope.unitId === null) return sql`false`;
      return and(eq(activities.communeId, scope.communeId), eq(activities.unitId, scope.unitId));
  }
}

/** Residents of a scope (the same rule as the residents pages). */
const residentsScoped = (scope: Scope) =>
  scopeWhere(scope, {
    commune: residents.communeId,
    village: residents.villageId,
    resident: residents.id,
    unit: residents.unitId,
  });

/** The Vietnamese letters with diacritics (both cases) and their folded forms, for folding in SQL. */
const VI_LETTERS = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ";
const FOLD_FROM = VI_LETTERS + VI_LETTERS.toUpperCase();
const FOLD_TO = [...FOLD_FROM].map((ch) => foldVietnamese(ch)).join("");
const foldedTitle = sql`translate(lower(${activities.title}), ${FOLD_FROM}, ${FOLD_TO})`;

export type ActivityFilter = {
  type?: string | undefined;
  villageId?: number | undefined;
  /** Civil dates, both included. */
  from?: string | undefined;
  to?: string | undefined;
  /** Search text: the start of a code, or (folded) part of the title. */
  q?: string | undefined;
};

function filterWhere(scope: Scope, f: ActivityFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [scoped(scope)];
  if (f.type) conds.push(sql`${activities.type} = ${f.type}`);
  if (f.villageId !== undefined) conds.push(eq(activities.villageId, f.villageId));
  if (f.from) conds.push(gte(activities.date, f.from));
  if (f.to) conds.push(lte(activities.date, f.to));
  if (f.q) {
    const folded = rowKit.escapeLike(foldVietnamese(f.q));
    conds.push(
      or(ilike(activities.code, `${rowKit.escapeLike(f.q)}%`), sql`${foldedTitle} like ${`%${folded}%`}`),
    );
  }
  return and(...conds);
}

const fromActivities = (db: Db) =>
  db
    .select(activityColumns)
    .from(activities)
    .leftJoin(villages, eq(villages.id, activities.villageId))
    .leftJoin(units, eq(units.id, activities.unitId));

export const listActivityRows = rowKit.pagedList<Scope, ActivityFilter, ActivityRow>({
  where: filterWhere,
  rows: (db, where) =>
    fromActivities(db).where(where).orderBy(desc(activities.date), asc(activities.code), asc(activities.id)),
  counted: { table: activities },
});

export async function findActivityRow(db: Db, scope: Scope, id: number): Promise<ActivityRow | undefined> {
  const [row] = await fromActivities(db).where(and(eq(activities.id, id), scoped(scope)));
  return row;
}

export async function findActivityRowByCode(
  db: Db,
  scope: Scope,
  communeId: number,
  code: string,
): Promise<ActivityRow | undefined> {
  const [row] = await fromActivities(db).where(
    and(eq(activities.communeId, communeId), eq(activities.code, code), scoped(scope)),
  );
  return row;
}

/** The activity holding a code in a commune, whoever may see it (a code is unique in the commune). */
export async function findActivityIdByCode(
  db: Db,
  communeId: number,
  code: string,
): Promise<number | undefined> {
  const row = await rowKit.findRowBy(db, activities, { id: activities.id }, { communeId, code });
  return row?.id;
}

/** The highest number N of the commune's codes of the form HD<N> (0 when none). */
export async function maxActivityCodeNumber(db: Db, communeId: number): Promise<number> {
  const [row] = await db
    .select({
      n: sql<string | null>`max(cast(substring(${activities.code} from '^HD([0-9]{1,9})$') as integer))`,
    })
    .from(activities)
    .where(eq(activities.communeId, communeId));
  return Number(row?.n ?? 0);
}

const writes = rowKit.recordWriters<typeof activities, ActivityValues>(activities);

export const insertActivityRow = writes.insert;
export const updateActivityRow = writes.update;

/** Deletes an activity; its sessions go with it (on delete cascade). */
export const deleteActivityRow = writes.delete;

/** Attendance rows recorded for any session of an activity. */
export async function countAttendanceOfActivity(db: Db, activityId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(attendance)
    .innerJoin(activitySessions, eq(activitySessions.id, attendance.sessionId))
    .where(eq(activitySessions.activityId, activityId));
  return row?.n ?? 0;
}

/** Activities of a scope dated in a range, and class sessions held in it: the calendar's two sources. */
export async function listCalendarRows(
  db: Db,
  scope: Scope,
  range: { from: string; to: string; villageId?: number | undefined },
): Promise<{ activities: ActivityRow[]; sessions: { id: number; date: string; activity: ActivityRow }[] }> {
  const village = range.villageId === undefined ? undefined : eq(activities.villageId, range.villageId);
  const acts = await fromActivities(db)
    .where(and(scoped(scope), village, gte(activities.date, range.from), lte(activities.date, range.to)))
    .orderBy(asc(activities.date), asc(activities.code));
  const rows = await db
    .select({ sessionId: activitySessions.id, sessionDate: activitySessions.date, ...activityColumns })
    .from(activitySessions)
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .leftJoin(villages, eq(villages.id, activities.villageId))
    .leftJoin(units, eq(units.id, activities.unitId))
    .where(
      and(
        scoped(scope),
        village,
        gte(activitySessions.date, range.from),
        lte(activitySessions.date, range.to),
      ),
    )
    .orderBy(asc(activitySessions.date), asc(activities.code));
  return {
    activities: acts,
    sessions: rows.map(({ sessionId, sessionDate, ...activity }) => ({
      id: sessionId,
      date: sessionDate,
      activity,
    })),
  };
}

// --- sessions --------------------------------------------------------------------

export type SessionRow = { id: number; activityId: number; date: string; notes: string | null };

const sessionColumns = rowKit.columnsOf(activitySessions, "id", "activityId", "date", "notes");

/** A class's sessions by date, with how many residents are on each roster and how many were present. */
export async function listSessionRows(
  db: Db,
  activityId: number,
): Promise<(SessionRow & { present: number; total: number })[]> {
  const rows = await db
    .select({
      ...sessionColumns,
      present: sql<number>`cast(count(${attendance.id}) filter (where ${attendance.present}) as integer)`,
      total: sql<number>`cast(count(${attendance.id}) as integer)`,
    })
    .from(activitySessions)
    .leftJoin(attendance, eq(attendance.sessionId, activitySessions.id))
    .where(eq(activitySessions.activityId, activityId))
    .groupBy(activitySessions.id)
    .orderBy(asc(activitySessions.date));
  return rows.map((r) => ({ ...r, present: Number(r.present), total: Number(r.total) }));
}

export function findSessionRow(db: Db, activityId: number, sessionId: number) {
  return rowKit.findRowBy(db, activitySessions, sessionColumns, { activityId, id: sessionId });
}

export function findSessionByDate(db: Db, activityId: number, date: string) {
  return rowKit.findRowBy(db, activitySessions, sessionColumns, { activityId, date });
}

export async function insertSessionRow(
  db: Db,
  values: { communeId: number; activityId: number; date: string; notes: string | null },
): Promise<number> {
  return rowKit.insertRowId(db, activitySessions, values);
}

// --- attendance ------------------------------------------------------------------

/** A resident as a roster shows them: never a citizen ID or phone. */
export type RosterRow = {
  residentId: number;
  fullName: string;
  birthDate: string;
  birthYearOnly: boolean;
  householdCode: string;
  villageId: number;
  /** null: not on this session's roster yet. */
  present: boolean | null;
};

/**
 * Who a class expects before it has learners: a village's active residents, maybe of one group, and
 * only those aged 18 or more on `adultsOn` when it is set (a class for adults).
 */
export type Expected = { villageId: number; group: string | null; adultsOn: string | null } | null;

const nameOrder = [residents.nameSort, residents.id];

/** Residents with their household code, and whether they are on the session's roster (`present`). */
function selectRoster(db: Db, sessionId: number) {
  return db
    .select({
      residentId: residents.id,
      ...rowKit.columnsOf(residents, "fullName", "birthDate", "birthYearOnly"),
      householdCode: households.code,
      villageId: residents.villageId,
      present: attendance.present,
    })
    .from(residents)
    .innerJoin(households, eq(households.id, residents.householdId))
    .leftJoin(attendance, and(eq(attendance.sessionId, sessionId), eq(attendance.residentId, residents.id)));
}

/**
 * The roster of a session, inside the viewer's residents scope: everyone on any roster of the class
 * (its learners), or — while no other session has any — the expected residents; optionally those whose folded
 * name holds `q`.
 */
export async function listRosterRows(
  db: Db,
  scope: Scope,
  opts: { activityId: number; sessionId: number; expected: Expected; q?: string | undefined; limit: number },
): Promise<rowKit.Paged<RosterRow>> {
  const enrolled = sql`${residents.id} in (select ${attendance.residentId} from ${attendance}
    inner join ${activitySessions} on ${activitySessions.id} = ${attendance.sessionId}
    where ${activitySessions.activityId} = ${opts.activityId})`;
  // Once the class has learners (on the roster of another of its sessions), a new session starts
  // with them; the first session keeps offering the expected while it is being ticked.
  const noLearnersYet = sql`not exists (select 1 from ${attendance}
    inner join ${activitySessions} on ${activitySessions.id} = ${attendance.sessionId}
    where ${activitySessions.activityId} = ${opts.activityId} and ${attendance.sessionId} <> ${opts.sessionId})`;
  const expected = opts.expected
    ? and(
        noLearnersYet,
        eq(residents.villageId, opts.expected.villageId),
        eq(residents.status, "active"),
        opts.expected.group ? sql`${opts.expected.group} = any(${residents.groups})` : undefined,
        opts.expected.adultsOn
          ? sql`${residents.birthDate} <= (${opts.expected.adultsOn}::date - interval '18 years')::date`
          : undefined,
      )
    : undefined;
  const where = and(
    residentsScoped(scope),
    expected ? or(enrolled, expected) : enrolled,
    opts.q ? ilike(residents.nameSearch, rowKit.containsPattern(opts.q)) : undefined,
  );
  const items = await selectRoster(db, opts.sessionId)
    .where(where)
    .orderBy(...nameOrder)
    .limit(opts.limit);
  const [row] = await db.select({ n: count() }).from(residents).where(where);
  return { items, total: row?.n ?? 0 };
}

/**
 * Residents of the viewer's scope a walk-in search finds: folded name containing `q`, or exactly this
 * citizen ID. The deceased are left out. Marks who is on the session's roster already.
 */
export async function searchWalkInRows(
  db: Db,
  scope: Scope,
  opts: { sessionId: number; q?: string | undefined; citizenId?: string | undefined; limit: number },
): Promise<RosterRow[]> {
  const match = opts.citizenId
    ? eq(residents.citizenId, opts.citizenId)
    : ilike(residents.nameSearch, rowKit.containsPattern(opts.q ?? ""));
  return selectRoster(db, opts.sessionId)
    .where(and(residentsScoped(scope), sql`${residents.status} <> 'deceased'`, match))
    .orderBy(...nameOrder)
    .limit(opts.limit);
}

/**
 * What a write of attendance must know of a resident: found in the commune, whatever the writer's
 * scope, and whether they are one of the economy office's workers (`db/scope.ts`).
 */
export async function findResidentsForAttendance(
  db: Db,
  communeId: number,
  ids: number[],
): Promise<{ id: number; fullName: string; villageId: number; unitId: number | null; worker: boolean }[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      ...rowKit.columnsOf(residents, "id", "fullName", "villageId", "unitId"),
      worker: isWorkerRow(residents.groups, residents.unitId),
    })
    .from(residents)
    .where(and(eq(residents.communeId, communeId), inArray(residents.id, ids)));
}

/** The stored present/absent of some residents on a session. */
export async function findAttendanceStates(
  db: Db,
  sessionId: number,
  residentIds: number[],
): Promise<Map<number, boolean>> {
  if (residentIds.length === 0) return new Map();
  const rows = await db
    .select({ residentId: attendance.residentId, present: attendance.present })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), inArray(attendance.residentId, residentIds)));
  return new Map(rows.map((r) => [r.residentId, r.present]));
}

/** Writes present/absent for residents of a session (the natural key session + resident). */
export async function upsertAttendanceRows(
  db: Db,
  rows: { communeId: number; sessionId: number; residentId: number; present: boolean }[],
): Promise<void> {
  for (const chunk of chunks(rows)) {
    await db
      .insert(attendance)
      .values(chunk)
      .onConflictDoUpdate({
        target: [attendance.sessionId, attendance.residentId],
        set: { present: sql`excluded.present`, updatedAt: now() },
      });
  }
}

export type AttendanceListRow = {
  id: number;
  activityId: number;
  activityCode: string;
  date: string;
  residentId: number;
  citizenId: string | null;
  fullName: string;
  birthDate: string;
  birthYearOnly: boolean;
  present: boolean;
};

export type AttendanceFilter = {
  activityId?: number | undefined;
  date?: string | undefined;
  residentId?: number | undefined;
};

/** Attendance rows whose activity and resident are both in the viewer's scope. */
export const listAttendanceRows = rowKit.pagedList<Scope, AttendanceFilter, AttendanceListRow>({
  where: (scope, filter) =>
    and(
      scoped(scope),
      residentsScoped(scope),
      filter.activityId === undefined ? undefined : eq(activities.id, filter.activityId),
      filter.date === undefined ? undefined : eq(activitySessions.date, filter.date),
      filter.residentId === undefined ? undefined : eq(residents.id, filter.residentId),
    ),
  rows: (db, where) =>
    db
      .select({
        id: attendance.id,
        activityId: activities.id,
        activityCode: activities.code,
        date: activitySessions.date,
        residentId: residents.id,
        ...rowKit.columnsOf(residents, "citizenId", "fullName", "birthDate", "birthYearOnly"),
        present: attendance.present,
      })
      .from(attendance)
      .innerJoin(activitySessions, eq(activitySessions.id, attendance.sessionId))
      .innerJoin(activities, eq(activities.id, activitySessions.activityId))
      .innerJoin(residents, eq(residents.id, attendance.residentId))
      .where(where)
      .orderBy(asc(activities.code), asc(activitySessions.date), ...nameOrder),
  counted: {
    table: attendance,
    joins: [
      [activitySessions, eq(activitySessions.id, attendance.sessionId)],
      [activities, eq(activities.id, activitySessions.activityId)],
      [residents, eq(residents.id, attendance.residentId)],
    ],
  },
});

// --- for the importer: the commune's keys at once ---------------------------------

/** Every activity of a commune with its values (the `activities` import's natural key is the code). */
export async function listActivityValuesOfCommune(
  db: Db,
  communeId: number,
): Promise<(ActivityValues & { id: number })[]> {
  return db
    .select({
      ...rowKit.columnsOf(activities, "id", "communeId", "code", "type", "title", "date", "villageId"),
      ...rowKit.columnsOf(activities, "unitId", "audience", "place", "startTime", "trainer", "notes"),
    })
    .from(activities)
    .where(eq(activities.communeId, communeId));
}

/** Every session of a commune (activity + date → id), for the `attendance` import. */
export async function listSessionKeysOfCommune(db: Db, communeId: number) {
  return db
    .select({ id: activitySessions.id, activityId: activitySessions.activityId, date: activitySessions.date })
    .from(activitySessions)
    .where(eq(activitySessions.communeId, communeId));
}

/** Attendance rows of some sessions (session + resident → present), for the `attendance` import. */
export async function findAttendanceOfSessions(db: Db, sessionIds: number[]) {
  if (sessionIds.length === 0) return [];
  return db
    .select(rowKit.columnsOf(attendance, "sessionId", "residentId", "present"))
    .from(attendance)
    .where(inArray(attendance.sessionId, sessionIds));
}
