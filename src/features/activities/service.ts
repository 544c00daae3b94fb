import type { Db } from "../../db/client.ts";
import { ACTIVITY_TYPES } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, conflict, forbidden, msg, notFound, validationError } from "../../lib/errors.ts";
import { formatDate } from "../../lib/i18n/index.ts";
import { maskCitizenId } from "../../lib/mask.ts";
import { checkerFieldErrors, RowChecker } from "../../lib/row-checker.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { type Cell, isBlank, parseCivilDate, parseText, parseYesNo } from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { seesUnmasked, type Viewer } from "../auth/viewer.ts";
import { wasSessionInWorkSet } from "../field/service.ts";
import { inDatabaseThread } from "../procedures.ts";
import { projectPerson } from "../residents/fields.ts";
import { ageAt } from "../residents/service.ts";
import * as kit from "../service-kit.ts";
import { findUnitByCode } from "../units/repo.ts";
import { findVillagesByCodes } from "../villages/repo.ts";
import { activityRefsOf, checkActivityRow, parseActivityDate } from "./check.ts";
import {
  type ActivityFilter,
  type ActivityRow,
  type AttendanceListRow,
  countAttendanceOfActivity,
  deleteActivityRow,
  findActivityIdByCode,
  findActivityRow,
  findActivityRowByCode,
  findAttendanceStates,
  findResidentsForAttendance,
  findSessionByDate,
  findSessionRow,
  insertActivityRow,
  insertSessionRow,
  listActivityRows,
  listAttendanceRows,
  listCalendarRows,
  listRosterRows,
  listSessionRows,
  maxActivityCodeNumber,
  type RosterRow,
  type SessionRow,
  searchWalkInRows,
  updateActivityRow,
  upsertAttendanceRows,
} from "./repo.ts";

// --- presenting --------------------------------------------------------------------

/** An activity as the API and pages show it: the data README's column keys (codes, ISO dates). */
export type ActivityItem = {
  id: number;
  code: string;
  type: ActivityRow["type"];
  title: string;
  date: string;
  village: string | null;
  unit: string | null;
  place: string | null;
  /** The time of day it starts, HH:mm. */
  time: string | null;
  trainer: string | null;
  audience: ActivityRow["audience"];
  notes: string | null;
  village_name: string | null;
  unit_name: string | null;
};

export function presentActivity(row: ActivityRow): ActivityItem {
  return {
    id: row.id,
    code: row.code,
    type: row.type,
    title: row.title,
    date: row.date,
    village: row.villageCode,
    unit: row.unitCode,
    place: row.place,
    time: row.startTime,
    trainer: row.trainer,
    audience: row.audience,
    notes: row.notes,
    village_name: row.villageName,
    unit_name: row.unitName,
  };
}

export type SessionItem = { id: number; date: string; notes: string | null; present: number; total: number };

/**
 * A resident on a roster: name, age and household only (SPEC §2: what a volunteer marking attendance
 * may see) — never a birth date, citizen ID or phone.
 */
export type RosterItem = {
  resident_id: number;
  full_name: string;
  /** Completed years today. */
  age: number;
  household: string;
  /** null: not on this session's roster yet. */
  present: boolean | null;
};

function presentRoster(row: RosterRow): RosterItem {
  return {
    resident_id: row.residentId,
    full_name: row.fullName,
    age: ageAt(row.birthDate, todayInVietnam()),
    household: row.householdCode,
    present: row.present,
  };
}

// --- scope ---------------------------------------------------------------------------

/**
 * May the viewer write an activity of this village and unit? Commune roles anywhere in their commune;
 * a village team only in its villages (not commune-wide ones); a school only its own unit's.
 */
export function mayWriteActivity(
  viewer: Viewer,
  where: { villageId: number | null; unitId: number | null },
): boolean {
  const s = viewer.scope;
  switch (s.kind) {
    case "installation":
      return false;
    case "commune":
      return true;
    case "villages":
      return where.villageId !== null && s.villageIds.includes(where.villageId);
    case "unit":
      return s.unitId !== null && where.unitId === s.unitId;
  }
}

function assertWritable(viewer: Viewer, where: { villageId: number | null; unitId: number | null }) {
  if (mayWriteActivity(viewer, where)) return;
  const s = viewer.scope;
  // A form that left the field empty gets told what to choose, not a bare 403.
  if (s.kind === "villages" && where.villageId === null)
    throw validationError({ village: msg("activities.village_required_team") });
  if (s.kind === "unit" && where.unitId === null)
    throw validationError({ unit: msg("activities.unit_required_school") });
  throw forbidden();
}

async function loadActivity(db: Db, viewer: Viewer, id: number): Promise<ActivityRow> {
  const row = await findActivityRow(db, viewer.scope, id);
  if (!row) throw notFound();
  return row;
}

// --- activities ----------------------------------------------------------------------

export type ActivityQuery = {
  type?: string | undefined;
  village?: string | undefined;
  /** yyyy-mm */
  month?: string | undefined;
  q?: string | undefined;
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** First and last day of a yyyy-mm month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

/** Turns a query's codes into ids; an unknown village or type matches nothing (an empty page). */
async function filterOf(db: Db, viewer: Viewer, q: ActivityQuery): Promise<ActivityFilter | null> {
  if (q.type && !(ACTIVITY_TYPES as readonly string[]).includes(q.type)) return null;
  const f: ActivityFilter | null = await kit.villageTextFilter(db, viewer, q);
  if (!f) return null;
  if (q.type) f.type = q.type;
  if (q.month && MONTH.test(q.month)) Object.assign(f, monthRange(q.month));
  return f;
}

export async function listActivities(opts: kit.ListRead & { query: ActivityQuery }) {
  const filter = await filterOf(opts.db, opts.viewer, opts.query);
  return kit.scopedPage(opts, listActivityRows, filter, presentActivity);
}

export type ActivityDetail = ActivityItem & { sessions: SessionItem[]; attendance: number };

/** One activity in the viewer's scope with its sessions (404 outside the scope). */
export async function getActivity(opts: kit.RecordRead): Promise<ActivityDetail> {
  const row = await loadActivity(opts.db, opts.viewer, opts.id);
  return detailOf(opts.db, row);
}

/** One activity for its page: the detail, and whether the viewer may write it (edit, add sessions). */
export async function getActivityView(
  opts: kit.RecordRead,
): Promise<{ activity: ActivityDetail; writable: boolean }> {
  const row = await loadActivity(opts.db, opts.viewer, opts.id);
  return { activity: await detailOf(opts.db, row), writable: mayWriteActivity(opts.viewer, row) };
}

async function detailOf(db: Db, row: ActivityRow): Promise<ActivityDetail> {
  const sessions = await listSessionRows(db, row.id);
  return {
    ...presentActivity(row),
    sessions: sessions.map((s) => ({
      id: s.id,
      date: s.date,
      notes: s.notes,
      present: s.present,
      total: s.total,
    })),
    attendance: await countAttendanceOfActivity(db, row.id),
  };
}

/** The next free code of the commune's HD0001, HD0002… series. */
export async function nextActivityCode(opts: { db: Db; communeId: number }): Promise<string> {
  const n = (await maxActivityCodeNumber(opts.db, opts.communeId)) + 1;
  return `HD${String(n).padStart(4, "0")}`;
}

const fieldsOf = (c: RowChecker) => checkerFieldErrors(c.errors);

/** The row's rules and a code free in the commune, all errors at once. */
async function checked(db: Db, communeId: number, input: Record<string, Cell>, selfId?: number) {
  const code = (k: string) => (typeof input[k] === "string" ? (input[k] as string).trim() : "");
  const villages = code("village") ? await findVillagesByCodes(db, communeId, [code("village")]) : [];
  const unit = code("unit") ? await findUnitByCode(db, communeId, code("unit")) : undefined;
  const {
    checker,
    code: parsedCode,
    value,
  } = checkActivityRow(
    (k) => input[k] ?? null,
    activityRefsOf(villages, unit ? [unit] : []),
    todayInVietnam(),
  );
  if (parsedCode !== undefined) {
    const other = await findActivityIdByCode(db, communeId, parsedCode);
    if (other !== undefined && other !== selfId) {
      const next = await nextActivityCode({ db, communeId });
      checker.fail("code", msg("activities.code_taken", { code: parsedCode, next }));
    }
  }
  if (!checker.ok || !value) throw validationError(fieldsOf(checker));
  return value;
}

/** The stored values for the audit trail. */
function auditView(row: ActivityRow) {
  const { communeId: _c, villageName: _v, unitName: _u, ...rest } = row;
  return rest;
}

/**
 * Creates an activity from column-key input (form or API): the rules of an import row, the code
 * unique in the commune (an empty code takes the next free HD number), inside the writer's scope.
 */
export async function createActivity(opts: kit.InputWrite): Promise<ActivityDetail> {
  const communeId = opts.viewer.communeId;
  if (opts.viewer.scope.kind === "installation") throw forbidden();
  return opts.db.transaction(async (tx) => {
    const input = { ...opts.input };
    if (isBlank(input.code ?? null)) input.code = await nextActivityCode({ db: tx, communeId });
    const value = await checked(tx, communeId, input);
    assertWritable(opts.viewer, value);
    const id = await insertActivityRow(tx, { communeId, ...value });
    const row = (await findActivityRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, { action: "activity.create", entityId: id, after: auditView(row) });
    return detailOf(tx, row);
  });
}

/** The input keys of a stored activity, so a partial change can be checked whole. */
function inputOf(row: ActivityRow): Record<string, Cell> {
  return {
    code: row.code,
    type: row.type,
    title: row.title,
    date: row.date,
    village: row.villageCode,
    unit: row.unitCode,
    audience: row.audience,
    place: row.place,
    time: row.startTime,
    trainer: row.trainer,
    notes: row.notes,
  };
}

/** Changes an activity: the given keys over the stored ones, checked whole; both before and after in scope. */
export async function updateActivity(opts: kit.RecordInputWrite): Promise<ActivityDetail> {
  return opts.db.transaction(async (tx) => {
    const row = await loadActivity(tx, opts.viewer, opts.id);
    if (!mayWriteActivity(opts.viewer, row)) throw forbidden();
    const merged = { ...inputOf(row), ...opts.input };
    if (isBlank(merged.code ?? null)) merged.code = row.code;
    const value = await checked(tx, row.communeId, merged, row.id);
    assertWritable(opts.viewer, value);
    if (value.type !== "class" && row.type === "class" && (await listSessionRows(tx, row.id)).length > 0)
      throw validationError({ type: msg("activities.type_has_sessions") });
    await updateActivityRow(tx, row.id, value);
    const after = (await findActivityRow(tx, opts.viewer.scope, row.id)) ?? row;
    await kit.auditBeforeAfter(tx, opts.actor, "activity.update", row, after, auditView);
    return detailOf(tx, after);
  });
}

/** Deletes an activity with no attendance recorded (409 otherwise); its empty sessions go with it. */
export async function deleteActivity(opts: kit.RecordWrite) {
  await opts.db.transaction(async (tx) => {
    const row = await loadActivity(tx, opts.viewer, opts.id);
    if (!mayWriteActivity(opts.viewer, row)) throw forbidden();
    const n = await countAttendanceOfActivity(tx, row.id);
    if (n > 0)
      throw new AppError("conflict", {
        message: msg("activities.delete_has_attendance", { code: row.code, n }),
      });
    await deleteActivityRow(tx, row.id);
    await kit.auditChange(tx, opts.actor, {
      action: "activity.delete",
      entityId: row.id,
      before: auditView(row),
    });
  });
}

// --- calendar --------------------------------------------------------------------------

export type CalendarEntry = { activity: ActivityItem; sessionId: number | null };
export type Calendar = {
  month: string;
  prev: string;
  next: string;
  days: { date: string; entries: CalendarEntry[] }[];
};

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * A month of the viewer's activities, day by day: each activity on its date and each class session
 * on its day (a class met on its own date shows once, as that session).
 */
export async function getCalendar(opts: {
  db: Db;
  viewer: Viewer;
  month?: string | undefined;
  village?: string | undefined;
}): Promise<Calendar> {
  const month = opts.month && MONTH.test(opts.month) ? opts.month : todayInVietnam().slice(0, 7);
  const cal: Calendar = { month, prev: shiftMonth(month, -1), next: shiftMonth(month, 1), days: [] };
  let villageId: number | undefined;
  if (opts.village) {
    const [v] = await findVillagesByCodes(opts.db, opts.viewer.communeId, [opts.village]);
    if (!v) return cal;
    villageId = v.id;
  }
  const rows = await listCalendarRows(opts.db, opts.viewer.scope, { ...monthRange(month), villageId });
  const byDay = new Map<string, Map<number, CalendarEntry>>();
  const put = (date: string, activity: ActivityRow, sessionId: number | null) => {
    const day = byDay.get(date) ?? new Map<number, CalendarEntry>();
    byDay.set(date, day);
    const had = day.get(activity.id);
    if (!had || (had.sessionId === null && sessionId !== null))
      day.set(activity.id, { activity: presentActivity(activity), sessionId });
  };
  for (const a of rows.activities) put(a.date, a, null);
  for (const s of rows.sessions) put(s.date, s.activity, s.id);
  cal.days = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, entries]) => ({
      date,
      entries: [...entries.values()].sort((a, b) => (a.activity.code < b.activity.code ? -1 : 1)),
    }));
  return cal;
}

// --- sessions --------------------------------------------------------------------------

/**
 * Adds a session (a class day) to a class. Whoever records attendance may add one to a class they
 * may write (a village team: its own villages' classes; commune-wide classes are the commune's).
 */
export async function addSession(opts: kit.InputWrite & { activityId: number }): Promise<SessionItem> {
  return opts.db.transaction(async (tx) => {
    const row = await loadActivity(tx, opts.viewer, opts.activityId);
    if (!mayWriteActivity(opts.viewer, row)) throw forbidden();
    if (row.type !== "class") throw validationError({ date: msg("sessions.only_class") });
    const c = new RowChecker();
    const date = c.take("date", parseActivityDate(opts.input.date ?? null, todayInVietnam()));
    const notes = c.take("notes", parseText(opts.input.notes ?? null, { max: 500 }));
    if (date && (await findSessionByDate(tx, row.id, date.date)))
      c.fail("date", msg("sessions.duplicate", { date: dmy(date.date) }));
    if (!c.ok) throw validationError(fieldsOf(c));
    const values = { communeId: row.communeId, activityId: row.id, date: date!.date, notes: notes || null };
    const id = await insertSessionRow(tx, values);
    await kit.auditChange(tx, opts.actor, {
      action: "activity_session.create",
      entityId: id,
      after: { activity: row.code, date: values.date, notes: values.notes },
      communeId: row.communeId,
    });
    return { id, date: values.date, notes: values.notes, present: 0, total: 0 };
  });
}

export async function listSessions(opts: {
  db: Db;
  viewer: Viewer;
  activityId: number;
}): Promise<SessionItem[]> {
  const row = await loadActivity(opts.db, opts.viewer, opts.activityId);
  return (await detailOf(opts.db, row)).sessions;
}

const dmy = (iso: string) => formatDate("vi", iso);

async function loadSession(
  db: Db,
  viewer: Viewer,
  activityId: number,
  sessionId: number,
): Promise<{ activity: ActivityRow; session: SessionRow }> {
  const activity = await loadActivity(db, viewer, activityId);
  const session = await findSessionRow(db, activity.id, sessionId);
  if (!session) throw notFound();
  return { activity, session };
}

/** Most residents a roster shows at once; a search narrows a larger one. */
export const ROSTER_LIMIT = 200;

/**
 * Who a class with no learners yet expects: its village's active residents of its audience's group,
 * adults (18 or more on the session's day) unless the class is for students.
 */
function expectedOf(a: ActivityRow, sessionDate: string) {
  if (a.villageId === null || a.audience === null) return null;
  return {
    villageId: a.villageId,
    group: a.audience === "resident" ? null : a.audience,
    adultsOn: a.audience === "student" ? null : sessionDate,
  };
}

export type SessionRoster = {
  activity: ActivityItem;
  session: SessionItem;
  rows: RosterItem[];
  /** How many residents match, of which `rows` shows at most ROSTER_LIMIT. */
  total: number;
};

/**
 * A session's roster in the viewer's scope: the class's learners (residents on any roster of the
 * class); while it has none — for a class of a village with an audience — that village's active
 * residents of the group (every adult for `resident`). Names, birth years and households only.
 */
export async function getSessionRoster(opts: {
  db: Db;
  viewer: Viewer;
  activityId: number;
  sessionId: number;
  q?: string | undefined;
}): Promise<SessionRoster> {
  const { activity, session } = await loadSession(opts.db, opts.viewer, opts.activityId, opts.sessionId);
  const q = opts.q?.trim() ? foldVietnamese(opts.q.trim()) : undefined;
  const { items, total } = await listRosterRows(opts.db, opts.viewer.scope, {
    activityId: activity.id,
    sessionId: session.id,
    expected: expectedOf(activity, session.date),
    q,
    limit: ROSTER_LIMIT,
  });
  const counts = (await listSessionRows(opts.db, activity.id)).find((s) => s.id === session.id);
  return {
    activity: presentActivity(activity),
    session: { ...session, present: counts?.present ?? 0, total: counts?.total ?? 0 },
    rows: items.map(presentRoster),
    total,
  };
}

/**
 * Residents a walk-in search finds in the viewer's scope: a name typed with or without diacritics,
 * or a whole 12-digit citizen ID (matched exactly, never shown).
 */
export async function searchWalkIns(opts: {
  db: Db;
  viewer: Viewer;
  activityId: number;
  sessionId: number;
  text: string;
}): Promise<RosterItem[]> {
  const { session } = await loadSession(opts.db, opts.viewer, opts.activityId, opts.sessionId);
  const text = opts.text.trim();
  const digits = text.replace(/[\s.-]/g, "");
  if (/^\d{12}$/.test(digits)) {
    const rows = await searchWalkInRows(opts.db, opts.viewer.scope, {
      sessionId: session.id,
      citizenId: digits,
      limit: 1,
    });
    return rows.map(presentRoster);
  }
  const folded = foldVietnamese(text);
  if (folded.length < 2) return [];
  const rows = await searchWalkInRows(opts.db, opts.viewer.scope, {
    sessionId: session.id,
    q: folded,
    limit: 20,
  });
  return rows.map(presentRoster);
}

type Mark = { residentId: number; present: boolean };

/**
 * Checks that the viewer may mark these residents on this session: residents of the commune, inside a
 * village team's villages or a school's unit; nobody present at a session still to come.
 */
async function checkMarks(db: Db, viewer: Viewer, session: SessionRow, communeId: number, marks: Mark[]) {
  const s = viewer.scope;
  if (s.kind === "installation") throw forbidden();
  const found = await findResidentsForAttendance(
    db,
    communeId,
    marks.map((m) => m.residentId),
  );
  const byId = new Map(found.map((r) => [r.id, r]));
  for (const m of marks) {
    const r = byId.get(m.residentId);
    // Outside the viewer's scope is the same answer as no such resident: a 404 that names nobody
    // (naming them let anyone read every resident's name by trying ids).
    const outside =
      !r ||
      (s.kind === "villages" && !s.villageIds.includes(r.villageId)) ||
      (s.kind === "unit" && r.unitId !== s.unitId) ||
      (s.kind === "commune" && s.workers && !r.worker);
    if (outside)
      throw new AppError("not_found", {
        message: msg("attendance.resident_unknown"),
        fields: { resident_id: msg("attendance.resident_unknown") },
      });
  }
  const today = todayInVietnam();
  if (session.date > today && marks.some((m) => m.present))
    throw validationError({
      present: msg("attendance.future_present", { date: dmy(session.date), today: dmy(today) }),
    });
  return byId;
}

/** Writes marks that change something, with one audit event listing the changes. */
async function writeMarks(
  db: Db,
  actor: Actor,
  activity: ActivityRow,
  session: SessionRow,
  marks: Mark[],
): Promise<{ changed: number }> {
  const before = await findAttendanceStates(
    db,
    session.id,
    marks.map((m) => m.residentId),
  );
  const changes = marks.filter((m) => before.get(m.residentId) !== m.present);
  if (changes.length === 0) return { changed: 0 };
  await upsertAttendanceRows(
    db,
    changes.map((m) => ({ communeId: activity.communeId, sessionId: session.id, ...m })),
  );
  await recordAudit(db, actor, {
    action: "attendance.record",
    entity: "activity_session",
    entityId: session.id,
    before: changes.map((m) => ({ resident_id: m.residentId, present: before.get(m.residentId) ?? null })),
    after: changes.map((m) => ({ resident_id: m.residentId, present: m.present })),
    communeId: activity.communeId,
  });
  return { changed: changes.length };
}

/**
 * Saves a roster form: the ticked residents present; the shown-but-unticked who are on the roster
 * absent (an unticked resident not yet on the roster stays off it).
 */
export async function saveSessionAttendance(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  activityId: number;
  sessionId: number;
  shown: number[];
  present: number[];
}): Promise<{ changed: number; present: number }> {
  return opts.db.transaction(async (tx) => {
    const { activity, session } = await loadSession(tx, opts.viewer, opts.activityId, opts.sessionId);
    const ticked = new Set(opts.present);
    const ids = [...new Set([...opts.shown, ...opts.present])];
    const stored = await findAttendanceStates(tx, session.id, ids);
    const marks = ids
      .filter((id) => ticked.has(id) || stored.has(id))
      .map((id) => ({ residentId: id, present: ticked.has(id) }));
    // Only changes are checked for scope: an unchanged row of another village (seen by a commune role) is left alone.
    const changes = marks.filter((m) => stored.get(m.residentId) !== m.present);
    await checkMarks(tx, opts.viewer, session, activity.communeId, changes);
    const { changed } = await writeMarks(tx, opts.actor, activity, session, changes);
    return { changed, present: ticked.size };
  });
}

/** One resident marked present or absent on a session, by whom: `markAttendance`'s options besides `db`. */
type AttendanceMark = {
  viewer: Viewer;
  actor: Actor;
  activityId: number;
  sessionId: number;
  residentId: number;
  present: boolean;
};

/** Marks one resident present or absent on a session (a tick with JavaScript, a walk-in, the API). */
export async function markAttendance(opts: { db: Db } & AttendanceMark): Promise<{
  name: string;
  present: boolean;
  changed: boolean;
  counts: { present: number; total: number };
}> {
  const { db, ...args } = opts;
  const done = await inDatabaseThread(db, "attendance.mark", args);
  // The session's counts after the commit (see recordVisit in visits/service.ts).
  const counts = (await listSessionRows(opts.db, done.activityId)).find((s) => s.id === done.sessionId);
  return {
    name: done.name,
    present: opts.present,
    changed: done.changed > 0,
    counts: { present: counts?.present ?? 0, total: counts?.total ?? 0 },
  };
}

/** `markAttendance`'s transaction (a procedure: `features/procedures.ts`). */
export function markAttendanceTransaction(
  db: Db,
  opts: AttendanceMark,
): Promise<{ activityId: number; sessionId: number; name: string; changed: number }> {
  return db.transaction(async (tx) => {
    const { activity, session } = await loadSession(tx, opts.viewer, opts.activityId, opts.sessionId);
    const mark = { residentId: opts.residentId, present: opts.present };
    const byId = await checkMarks(tx, opts.viewer, session, activity.communeId, [mark]);
    const { changed } = await writeMarks(tx, opts.actor, activity, session, [mark]);
    return {
      activityId: activity.id,
      sessionId: session.id,
      name: byId.get(opts.residentId)!.fullName,
      changed,
    };
  });
}

/**
 * Adds a walk-in to a session's roster: present when the session is today or past, enrolled (absent)
 * for a session still to come. Someone already on the roster is left as they are.
 */
export async function addWalkIn(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  activityId: number;
  sessionId: number;
  residentId: number;
}): Promise<{ name: string; already: boolean }> {
  return opts.db.transaction(async (tx) => {
    const { activity, session } = await loadSession(tx, opts.viewer, opts.activityId, opts.sessionId);
    const present = session.date <= todayInVietnam();
    const mark = { residentId: opts.residentId, present };
    const byId = await checkMarks(tx, opts.viewer, session, activity.communeId, [mark]);
    const name = byId.get(opts.residentId)!.fullName;
    const stored = await findAttendanceStates(tx, session.id, [opts.residentId]);
    if (stored.has(opts.residentId)) return { name, already: true };
    await writeMarks(tx, opts.actor, activity, session, [mark]);
    return { name, already: false };
  });
}

// --- attendance API ----------------------------------------------------------------------

/**
 * An attendance row as the API shows it: the data README's keys, the citizen ID masked per SPEC §8;
 * without citizen ID and birth date for a role that reads names only (residents/fields.ts).
 */
export type AttendanceItem = {
  id: number;
  activity: string;
  date: string;
  resident_id: number;
  citizen_id?: string | null;
  full_name: string;
  birth_date?: string;
  present: boolean;
};

export function presentAttendance(r: AttendanceListRow, viewer: Viewer): AttendanceItem {
  return projectPerson(
    {
      id: r.id,
      activity: r.activityCode,
      date: r.date,
      resident_id: r.residentId,
      citizen_id: seesUnmasked(viewer) ? r.citizenId : maskCitizenId(r.citizenId),
      full_name: r.fullName,
      birth_date: r.birthYearOnly ? r.birthDate.slice(0, 4) : r.birthDate,
      present: r.present,
    },
    viewer,
  );
}

export async function listAttendance(opts: {
  db: Db;
  viewer: Viewer;
  query: { activity?: string | undefined; date?: string | undefined };
  page: number;
  pageSize: number;
  /** Who asks, and where the answer is shown: an answer with unmasked IDs or phones is audited. */
  audit: { actor: Actor; source: string };
}): Promise<{ items: AttendanceItem[]; total: number }> {
  const empty = { items: [], total: 0 };
  let activityId: number | undefined;
  if (opts.query.activity) {
    const a = await resolveActivity(opts.db, opts.viewer, opts.query.activity);
    if (!a) return empty;
    activityId = a.id;
  }
  let date: string | undefined;
  if (opts.query.date) {
    const d = parseCivilDate(opts.query.date, { today: todayInVietnam() });
    if (!d.ok) throw validationError({ date: d.error });
    date = d.value.date;
  }
  const { items, total } = await listAttendanceRows(
    opts.db,
    opts.viewer.scope,
    { activityId, date },
    kit.pageWindow(opts),
  );
  return { items: await kit.presentAudited(opts, "attendance", items, presentAttendance), total };
}

/** An activity named by its code, or by its id given as a number. */
async function resolveActivity(db: Db, viewer: Viewer, ref: Cell): Promise<ActivityRow | undefined> {
  if (typeof ref === "number" && Number.isInteger(ref)) return findActivityRow(db, viewer.scope, ref);
  if (typeof ref !== "string" || ref.trim() === "") return undefined;
  return findActivityRowByCode(db, viewer.scope, viewer.communeId, ref.trim());
}

/**
 * Records one attendance through the API: the activity (code or id; unknown or outside the scope is
 * 404), the session by date (empty: the activity's date; it must exist), the resident by id, present.
 */
export async function recordAttendance(opts: kit.InputWrite): Promise<AttendanceItem> {
  const activity = await resolveActivity(opts.db, opts.viewer, opts.input.activity ?? null);
  // A session the phone had, gone since (the class or the session deleted): say it was cancelled.
  const cancelled = async (code: string, date: string | undefined) => {
    if (
      date &&
      (await wasSessionInWorkSet({ db: opts.db, userId: opts.viewer.userId, activityCode: code, date }))
    )
      throw conflict(msg("field.session_cancelled", { code, date: dmy(date) }));
  };
  if (!activity) {
    if (isBlank(opts.input.activity ?? null)) throw validationError({ activity: msg("values.required") });
    if (typeof opts.input.activity === "string" && typeof opts.input.date === "string")
      await cancelled(opts.input.activity.trim(), opts.input.date.trim());
    throw new AppError("not_found", {
      message: msg("attendance.activity_unknown", { value: String(opts.input.activity) }),
    });
  }
  const c = new RowChecker();
  const date = isBlank(opts.input.date ?? null)
    ? activity.date
    : c.take("date", parseCivilDate(opts.input.date ?? null, { today: todayInVietnam() }))?.date;
  const present = c.take("present", parseYesNo(opts.input.present ?? null));
  const rid = opts.input.resident_id;
  const residentId =
    typeof rid === "number" ? rid : typeof rid === "string" && /^\d+$/.test(rid) ? Number(rid) : NaN;
  if (!Number.isSafeInteger(residentId)) c.fail("resident_id", msg("values.required"));
  let session: SessionRow | undefined;
  if (date) {
    session = await findSessionByDate(opts.db, activity.id, date);
    if (!session) {
      await cancelled(activity.code, date);
      c.fail("date", msg("attendance.session_unknown", { date: dmy(date), code: activity.code }));
    }
  }
  if (!c.ok || !session) throw validationError(fieldsOf(c));
  await markAttendance({
    db: opts.db,
    viewer: opts.viewer,
    actor: opts.actor,
    activityId: activity.id,
    sessionId: session.id,
    residentId,
    present: present!,
  });
  const { items } = await listAttendanceRows(
    opts.db,
    opts.viewer.scope,
    { activityId: activity.id, date: session.date, residentId },
    { limit: 1, offset: 0 },
  );
  return presentAttendance(items[0]!, opts.viewer);
}
