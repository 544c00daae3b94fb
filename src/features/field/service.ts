import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { sha256 } from "../../lib/crypto.ts";
import { forbidden, msg } from "../../lib/errors.ts";
import type { Viewer } from "../auth/viewer.ts";
import { drillIndicator } from "../indicators/drill.ts";
import { addDays, parsePeriod } from "../indicators/period.ts";
import { memberOfAccount } from "../teams/service.ts";
import {
  currentChangeMark,
  findSyncState,
  insertSyncState,
  listChangesSince,
  listRosterMarks,
  listScopeHouseholds,
  listScopePoorHouseholdCodes,
  listScopeResidents,
  listScopeSessions,
  listScopeVillages,
  listTeamMembersOfVillages,
  pruneChanges,
  pruneSyncStates,
  type SyncVersions,
  syncStateHasKey,
} from "./repo.ts";

/** Whether a household was in a work set this user downloaded (a refusal may then say it moved away). */
export function wasInWorkSet(opts: { db: Db; userId: number; householdId: number }): Promise<boolean> {
  return syncStateHasKey(opts.db, opts.userId, `h${opts.householdId}`);
}

/** The key that marks a class's session of a day as sent to the phone (by code and date, as attendance names it). */
const sessionDayKey = (code: string, date: string) => `d${code}@${date}`;

/** Whether a class's session of that day was in a work set this user downloaded (a refusal may say it was cancelled). */
export function wasSessionInWorkSet(opts: {
  db: Db;
  userId: number;
  activityCode: string;
  date: string;
}): Promise<boolean> {
  return syncStateHasKey(opts.db, opts.userId, sessionDayKey(opts.activityCode, opts.date));
}

/** Why a resident or household is near the top of a visit list (SPEC §7: the elderly, disabled and poor first). */
export type PriorityReason = "elderly" | "disabled" | "poor";

/** A household member as a village team sees it (SPEC §2): no birth date, gender, citizen ID or phone. */
export type FieldMember = {
  id: number;
  name: string;
  age: number;
  status: "active";
  groups: string[];
  disabled: boolean;
  vneid_level: number;
  /** Has a certification of basic digital skills today. */
  skilled: boolean;
  /** Has a `vneid` certification (the account confirmed) today. */
  vneid_confirmed: boolean;
};

export type FieldHousehold = {
  id: number;
  code: string;
  head: string | null;
  address: string | null;
  poor: boolean;
  village_id: number;
  last_visit: string | null;
  members: FieldMember[];
};

export type FieldListEntry = { id: number; why: PriorityReason[] };

export type FieldLists = {
  /** Adults without basic digital skills (residents), in the visit list's priority order. */
  adults: FieldListEntry[];
  /** Residents 16+ without a VNeID account. */
  vneid: FieldListEntry[];
  /** Households with no member with basic skills. */
  households: FieldListEntry[];
};

export type FieldSession = {
  id: number;
  date: string;
  activity: string;
  title: string;
  place: string | null;
  village_id: number | null;
  audience: string | null;
  /** The class's learners (anyone on a roster of the class), with their mark on this session. */
  learners: { id: number; name: string; household_id: number; present: boolean | null }[];
};

export type FieldTeamMember = { id: number; name: string; role: string; village_id: number };

/**
 * The work set as the phone receives it. `full`: everything (the phone drops what it had); else only
 * what changed since the cursor: the households and sessions to put, those to drop (`removed`), and
 * `villages`, `lists`, `members` whole when they changed (`null`: unchanged).
 */
export type WorkSet = {
  cursor: string;
  full: boolean;
  today: string;
  user: { id: number; username: string; display_name: string; role: string };
  /** The team member this account is (preselected as the visiting member), when one is found. */
  me: number | null;
  villages: { id: number; code: string; name: string }[] | null;
  households: FieldHousehold[];
  removed: { households: number[]; sessions: number[] };
  lists: FieldLists | null;
  sessions: FieldSession[];
  members: FieldTeamMember[] | null;
};

/** Sessions this many days back (attendance recorded late) and ahead are in the work set. */
export const SESSION_DAYS_BACK = 14;
export const SESSION_DAYS_AHEAD = 30;
const STATES_KEPT = 3;

const versionOf = (value: unknown) => sha256(JSON.stringify(value)).slice(0, 16);

function mayUseFieldApp(viewer: Viewer) {
  return viewer.scope.kind === "villages" || viewer.scope.kind === "unit";
}

/**
 * The three visit lists of some villages, in the drill-down's priority order, with why each entry is
 * near the top — from the drill-down's own rows (age, disability) and the poor households' codes, so a
 * changes-only sync need not read every household to draw them.
 */
async function priorityLists(
  db: Db,
  viewer: Viewer,
  today: string,
  villageCodes: string[],
  poorHouseholds: string[],
): Promise<FieldLists> {
  const period = parsePeriod(today.slice(0, 4))!;
  const whyOf = (r: { elderly: boolean; disabled: boolean; household: string }): PriorityReason[] => {
    const why: PriorityReason[] = [];
    if (r.elderly) why.push("elderly");
    if (r.disabled) why.push("disabled");
    if (poor.has(r.household)) why.push("poor");
    return why;
  };
  const poor = new Set(poorHouseholds);
  const lists: FieldLists = { adults: [], vneid: [], households: [] };
  for (const village of villageCodes) {
    const common = { db, viewer, date: today, period, village, counted: false, page: 1, pageSize: 100_000 };
    for (const [code, key] of [
      ["adult_skills", "adults"],
      ["vneid_16plus", "vneid"],
    ] as const) {
      const d = await drillIndicator({ ...common, code });
      if (d.kind !== "residents") continue;
      for (const r of d.items) if (r.status === "active") lists[key].push({ id: r.id, why: whyOf(r) });
    }
    const d = await drillIndicator({ ...common, code: "digital_households" });
    if (d.kind === "households")
      for (const row of d.items) {
        const why: PriorityReason[] = [];
        if (row.elderly > 0) why.push("elderly");
        if (row.disabled > 0) why.push("disabled");
        if (row.poor) why.push("poor");
        lists.households.push({ id: row.id, why });
      }
  }
  return lists;
}

/** The households of a scope (all, or those among `ids`) with their active members, as the phone keeps them. */
async function readHouseholds(db: Db, viewer: Viewer, today: string, ids?: number[]) {
  const householdRows = await listScopeHouseholds(db, viewer.scope, ids);
  const residentRows =
    ids && householdRows.length === 0
      ? []
      : await listScopeResidents(db, viewer.scope, today, ids ? householdRows.map((h) => h.id) : undefined);
  const hh = new Map<number, FieldHousehold>();
  for (const h of householdRows)
    hh.set(h.id, {
      id: h.id,
      code: h.code,
      head: h.headName,
      address: h.address,
      poor: h.poor,
      village_id: h.villageId,
      last_visit: h.lastVisit,
      members: [],
    });
  for (const r of residentRows)
    hh.get(r.householdId)?.members.push({
      id: r.id,
      name: r.fullName,
      age: r.age,
      status: "active",
      groups: r.groups,
      disabled: r.disabled,
      vneid_level: r.vneidLevel,
      skilled: r.skilled,
      vneid_confirmed: r.vneidConfirmed,
    });
  return hh;
}

/** The class sessions of the coming weeks (and the last two) of a scope, with their learners. */
async function readSessions(db: Db, viewer: Viewer, today: string): Promise<FieldSession[]> {
  const sessionRows = await listScopeSessions(
    db,
    viewer.scope,
    addDays(today, -SESSION_DAYS_BACK),
    addDays(today, SESSION_DAYS_AHEAD),
  );
  const marks = await listRosterMarks(db, [...new Set(sessionRows.map((s) => s.activityId))]);
  return sessionRows.map((s) => {
    const learners = new Map<number, FieldSession["learners"][number]>();
    for (const m of marks) {
      if (m.activityId !== s.activityId) continue;
      if (!learners.has(m.residentId) && m.status === "active")
        learners.set(m.residentId, {
          id: m.residentId,
          name: m.fullName,
          household_id: m.householdId,
          present: null,
        });
      if (m.sessionId === s.id) {
        const l = learners.get(m.residentId);
        if (l) l.present = m.present;
      }
    }
    return {
      id: s.id,
      date: s.date,
      activity: s.code,
      title: s.title,
      place: s.place,
      village_id: s.villageId,
      audience: s.audience,
      learners: [...learners.values()],
    };
  });
}

/** Keys of a sync state that are not records: the format, the day, the scope and the change mark. */
const STATE_FORMAT = "2";

/**
 * The field app's work set for the viewer's scope (a village team's villages, or a school's classes),
 * masked as SPEC §2 lets a village team see. Without a cursor (or with one this user no longer has)
 * everything is sent. With one, only what changed since: for a village team on the same day, the
 * change log (`field_changes`, written by triggers) names the households, classes and team that
 * changed, and only those are read; otherwise (another day — ages and the sessions' window move — a
 * school, a changed scope, a state older than the log) everything is read and compared record by
 * record with the versions the phone got. Either way the households and sessions no longer there are
 * sent as removals.
 */
export async function syncWorkSet(opts: {
  db: Db;
  viewer: Viewer;
  cursor?: string | undefined;
}): Promise<WorkSet> {
  const { db, viewer } = opts;
  if (!mayUseFieldApp(viewer)) throw forbidden(msg("field.scope_not_field"));
  const today = todayInVietnam();
  const scope = viewer.scope;
  // Taken before any read: a transaction still running now is read again by the next sync.
  const mark = await currentChangeMark(db);
  const villages = await listScopeVillages(db, scope);
  const scopeKey =
    scope.kind === "villages"
      ? `v${[...scope.villageIds].sort((a, b) => a - b).join(",")}`
      : `u${scope.kind === "unit" ? scope.unitId : ""}`;
  const previousId = opts.cursor && /^\d{1,15}$/.test(opts.cursor) ? Number(opts.cursor) : undefined;
  const state = previousId ? await findSyncState(db, viewer.userId, previousId) : undefined;
  const previous = state?.versions._format === STATE_FORMAT ? state.versions : undefined;
  const logged =
    !!previous &&
    state!.logged &&
    scope.kind === "villages" &&
    previous._today === today &&
    previous._scope === scopeKey;

  // What to read: everything, or (from the change log) the households that changed and whether the
  // visit lists, the sessions, the team or the villages may have.
  let householdIds: number[] | undefined;
  let readLists = true;
  let readSessionsToo = true;
  let readVillages = true;
  if (logged) {
    const changes = await listChangesSince(
      db,
      viewer.communeId,
      villages.map((v) => v.id),
      Number(previous._mark),
    );
    householdIds = [...new Set(changes.filter((c) => c.kind === "household").map((c) => c.refId))];
    const classes = changes.some((c) => c.kind === "session");
    // A learner's name or status is a household change; attendance feeds the residents' facts.
    readLists = householdIds.length > 0 || classes;
    readSessionsToo = readLists;
    readVillages = changes.some((c) => c.kind === "village");
  }
  const hh = await readHouseholds(db, viewer, today, householdIds);
  const lists =
    scope.kind !== "villages"
      ? { adults: [], vneid: [], households: [] }
      : readLists
        ? await priorityLists(
            db,
            viewer,
            today,
            villages.map((v) => v.code),
            await listScopePoorHouseholdCodes(db, scope),
          )
        : undefined;
  const sessions = readSessionsToo ? await readSessions(db, viewer, today) : undefined;
  const memberRows = await listTeamMembersOfVillages(
    db,
    villages.map((v) => v.id),
  );
  const members: FieldTeamMember[] = memberRows.map((m) => ({
    id: m.id,
    name: m.fullName,
    role: m.role,
    village_id: m.villageId,
  }));

  // The new state: the previous one's versions where nothing was read, this read's elsewhere.
  const versions: SyncVersions = logged ? { ...previous } : {};
  Object.assign(versions, { _format: STATE_FORMAT, _today: today, _scope: scopeKey, _mark: String(mark) });
  const changed = (key: string, value: unknown) => {
    const v = versionOf(value);
    const was = previous?.[key];
    versions[key] = v;
    return was !== v;
  };
  const removed = { households: [] as number[], sessions: [] as number[] };
  const sentHouseholds = [...hh.values()].filter((h) => changed(`h${h.id}`, h));
  const gone = (prefix: string, kept: (id: number) => boolean, candidates: string[]) => {
    const out: number[] = [];
    for (const k of candidates) {
      const id = Number(k.slice(1));
      if (!k.startsWith(prefix) || !/^\d+$/.test(k.slice(1)) || kept(id)) continue;
      delete versions[k];
      if (previous && k in previous) out.push(id);
    }
    return out;
  };
  removed.households = gone(
    "h",
    (id) => hh.has(id),
    householdIds ? householdIds.map((id) => `h${id}`) : Object.keys(previous ?? {}),
  );
  let sentSessions: FieldSession[] = [];
  if (sessions) {
    sentSessions = sessions.filter((x) => changed(`s${x.id}`, x));
    const ids = new Set(sessions.map((x) => x.id));
    removed.sessions = gone("s", (id) => ids.has(id), Object.keys(logged ? versions : (previous ?? {})));
    for (const k of Object.keys(versions)) if (k.startsWith("d")) delete versions[k];
    for (const x of sessions) versions[sessionDayKey(x.activity, x.date)] = "1";
  }
  const listsChanged = lists !== undefined && changed("lists", lists);
  const membersChanged = changed("members", members);
  const villagesChanged = readVillages && changed("villages", villages);

  const cursor = await db.transaction(async (tx) => {
    const id = await insertSyncState(tx, { communeId: viewer.communeId, userId: viewer.userId, versions });
    await pruneSyncStates(tx, viewer.userId, STATES_KEPT);
    await pruneChanges(tx);
    return id;
  });
  return {
    cursor: String(cursor),
    full: !previous,
    today,
    user: {
      id: viewer.userId,
      username: viewer.username,
      display_name: viewer.displayName,
      role: viewer.role,
    },
    me: memberOfAccount(viewer, memberRows)?.id ?? null,
    villages: villagesChanged ? villages : null,
    households: sentHouseholds,
    removed,
    lists: listsChanged ? lists : null,
    sessions: sentSessions,
    members: membersChanged ? members : null,
  };
}
