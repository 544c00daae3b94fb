import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { sha256 } from "../../lib/crypto.ts";
import { forbidden, msg } from "../../lib/errors.ts";
import { foldVietnamese } from "../../lib/text.ts";
import type { Viewer } from "../auth/viewer.ts";
import { drillIndicator } from "../indicators/drill.ts";
import { addDays, parsePeriod } from "../indicators/period.ts";
import {
  findSyncState,
  insertSyncState,
  listRosterMarks,
  listScopeHouseholds,
  listScopeResidents,
  listScopeSessions,
  listScopeVillages,
  listTeamMembersOfVillages,
  pruneSyncStates,
  type SyncVersions,
  syncStateHasHousehold,
} from "./repo.ts";

/** Whether a household was in a work set this user downloaded (a refusal may then say it moved away). */
export function wasInWorkSet(opts: { db: Db; userId: number; householdId: number }): Promise<boolean> {
  return syncStateHasHousehold(opts.db, opts.userId, opts.householdId);
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

/** The work set as the phone receives it. `null` parts did not change since the cursor. */
export type WorkSet = {
  cursor: string;
  full: boolean;
  today: string;
  user: { id: number; username: string; display_name: string; role: string };
  /** The team member this account is (preselected as the visiting member), when one is found. */
  me: number | null;
  villages: { id: number; code: string; name: string }[] | null;
  households: FieldHousehold[];
  removed: { households: number[] };
  lists: FieldLists | null;
  sessions: FieldSession[] | null;
  members: FieldTeamMember[] | null;
};

/** Sessions this many days back (attendance recorded late) and ahead are in the work set. */
export const SESSION_DAYS_BACK = 14;
export const SESSION_DAYS_AHEAD = 30;
const STATES_KEPT = 3;

const versionOf = (value: unknown) => sha256(JSON.stringify(value)).slice(0, 16);

/**
 * Which team member an account is, by the same rule as the visit form (`teamMemberOfUser`): the
 * member linked to the account on the team page, else the one unlinked member of the account's
 * villages' teams whose folded name is the account's display name.
 */
export function teamMemberOfAccount(
  viewer: Pick<Viewer, "displayName" | "userId">,
  members: { id: number; nameSearch: string; villageId: number; userId: number | null }[],
): number | null {
  const linked = members.find((m) => m.userId === viewer.userId);
  if (linked) return linked.id;
  const me = foldVietnamese(viewer.displayName.trim());
  const named = members.filter((m) => m.userId === null && m.nameSearch === me);
  return named.length === 1 ? named[0]!.id : null;
}

function mayUseFieldApp(viewer: Viewer) {
  return viewer.scope.kind === "villages" || viewer.scope.kind === "unit";
}

async function priorityLists(
  db: Db,
  viewer: Viewer,
  today: string,
  villageCodes: string[],
  hh: Map<number, FieldHousehold>,
  byResident: Map<number, { member: FieldMember; household: FieldHousehold }>,
): Promise<FieldLists> {
  const period = parsePeriod(today.slice(0, 4))!;
  const whyOf = (m: FieldMember, h: FieldHousehold | undefined): PriorityReason[] => {
    const why: PriorityReason[] = [];
    if (m.age >= 60) why.push("elderly");
    if (m.disabled) why.push("disabled");
    if (h?.poor) why.push("poor");
    return why;
  };
  const lists: FieldLists = { adults: [], vneid: [], households: [] };
  for (const village of villageCodes) {
    const common = { db, viewer, date: today, period, village, counted: false, page: 1, pageSize: 100_000 };
    for (const [code, key] of [
      ["adult_skills", "adults"],
      ["vneid_16plus", "vneid"],
    ] as const) {
      const d = await drillIndicator({ ...common, code });
      if (d.kind !== "residents") continue;
      for (const r of d.items) {
        const found = byResident.get(r.id);
        if (found) lists[key].push({ id: r.id, why: whyOf(found.member, found.household) });
      }
    }
    const d = await drillIndicator({ ...common, code: "digital_households" });
    if (d.kind === "households")
      for (const row of d.items) {
        const why: PriorityReason[] = [];
        if (row.elderly > 0) why.push("elderly");
        if (row.disabled > 0) why.push("disabled");
        if (row.poor) why.push("poor");
        if (hh.has(row.id)) lists.households.push({ id: row.id, why });
      }
  }
  return lists;
}

/**
 * The field app's work set for the viewer's scope (a village team's villages, or a school's classes),
 * masked as SPEC §2 lets a village team see. Without a cursor (or with one this user no longer has)
 * everything is sent; with one, only what changed since, and the households no longer there.
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
  const villages = await listScopeVillages(db, scope);
  const householdRows = await listScopeHouseholds(db, scope);
  const residentRows = await listScopeResidents(db, scope, today);
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
  const byResident = new Map<number, { member: FieldMember; household: FieldHousehold }>();
  for (const r of residentRows) {
    const household = hh.get(r.householdId);
    if (!household) continue;
    const member: FieldMember = {
      id: r.id,
      name: r.fullName,
      age: r.age,
      status: "active",
      groups: r.groups,
      disabled: r.disabled,
      vneid_level: r.vneidLevel,
      skilled: r.skilled,
      vneid_confirmed: r.vneidConfirmed,
    };
    household.members.push(member);
    byResident.set(r.id, { member, household });
  }
  const lists =
    scope.kind === "villages"
      ? await priorityLists(
          db,
          viewer,
          today,
          villages.map((v) => v.code),
          hh,
          byResident,
        )
      : { adults: [], vneid: [], households: [] };

  const sessionRows = await listScopeSessions(
    db,
    scope,
    addDays(today, -SESSION_DAYS_BACK),
    addDays(today, SESSION_DAYS_AHEAD),
  );
  const marks = await listRosterMarks(db, [...new Set(sessionRows.map((s) => s.activityId))]);
  const sessions: FieldSession[] = sessionRows.map((s) => {
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

  const versions: SyncVersions = {
    villages: versionOf(villages),
    lists: versionOf(lists),
    sessions: versionOf(sessions),
    members: versionOf(members),
  };
  for (const h of hh.values()) versions[`h${h.id}`] = versionOf(h);

  const previousId = opts.cursor && /^\d{1,15}$/.test(opts.cursor) ? Number(opts.cursor) : undefined;
  const previous = previousId ? await findSyncState(db, viewer.userId, previousId) : undefined;
  const changed = (key: string) => !previous || previous[key] !== versions[key];
  const cursor = await db.transaction(async (tx) => {
    const id = await insertSyncState(tx, { communeId: viewer.communeId, userId: viewer.userId, versions });
    await pruneSyncStates(tx, viewer.userId, STATES_KEPT);
    return id;
  });
  const removed = previous
    ? Object.keys(previous)
        .filter((k) => k.startsWith("h") && !(k in versions))
        .map((k) => Number(k.slice(1)))
    : [];
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
    me: teamMemberOfAccount(viewer, memberRows),
    villages: changed("villages") ? villages : null,
    households: [...hh.values()].filter((h) => changed(`h${h.id}`)),
    removed: { households: removed },
    lists: changed("lists") ? lists : null,
    sessions: changed("sessions") ? sessions : null,
    members: changed("members") ? members : null,
  };
}
