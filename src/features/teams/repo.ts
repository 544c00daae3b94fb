import { and, asc, desc, eq, ilike, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import {
  activities,
  activitySessions,
  residents,
  teamMembers,
  teams,
  users,
  userVillages,
  villages,
  visits,
} from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";

export type TeamRow = {
  id: number;
  communeId: number;
  villageId: number;
  phone: string | null;
  publishContacts: boolean;
};

const teamColumns = rowKit.columnsOf(teams, "id", "communeId", "villageId", "phone", "publishContacts");

export async function findTeamOfVillage(db: Db, villageId: number): Promise<TeamRow | undefined> {
  const [row] = await db.select(teamColumns).from(teams).where(eq(teams.villageId, villageId));
  return row;
}

/** The village's team, created (with no phone, contacts unpublished) when it has none yet. */
export async function ensureTeamOfVillage(db: Db, communeId: number, villageId: number): Promise<TeamRow> {
  await db.insert(teams).values({ communeId, villageId }).onConflictDoNothing({ target: teams.villageId });
  return (await findTeamOfVillage(db, villageId))!;
}

export async function updateTeamRow(
  db: Db,
  id: number,
  values: { phone: string | null; publishContacts: boolean },
): Promise<void> {
  await rowKit.updateRowById(db, teams, id, values);
}

// --- members -------------------------------------------------------------------------

export type TeamMemberValues = {
  communeId: number;
  teamId: number;
  residentId: number | null;
  fullName: string;
  nameSearch: string;
  role: "leader" | "member" | "youth_volunteer";
  phone: string | null;
  /** The member's own account; left out of a write, the link stays as it is. */
  userId?: number | null;
};

/** A member with its team's village and its linked resident's citizen ID, as pages and the API show it. */
export type TeamMemberRow = TeamMemberValues & {
  id: number;
  villageId: number;
  villageCode: string;
  villageName: string;
  citizenId: string | null;
};

const memberColumns = {
  ...rowKit.columnsOf(teamMembers, "id", "communeId", "teamId", "residentId", "fullName", "nameSearch"),
  ...rowKit.columnsOf(teamMembers, "role", "phone", "userId"),
  villageId: teams.villageId,
  villageCode: villages.code,
  villageName: villages.name,
  citizenId: residents.citizenId,
};

const memberScoped = (scope: Scope) =>
  scopeWhere(scope, { commune: teamMembers.communeId, village: teams.villageId });

/** The team members a list shows and a record page opens, with their village and linked resident. */
const members = rowKit.scopedRecords({
  select: (db: Db) =>
    db
      .select(memberColumns)
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(villages, eq(villages.id, teams.villageId))
      .leftJoin(residents, eq(residents.id, teamMembers.residentId))
      .$dynamic(),
  id: teamMembers.id,
  scope: memberScoped,
});

const roleOrder = sql`case ${teamMembers.role} when 'leader' then 0 when 'member' then 1 else 2 end`;

export type TeamMemberFilter = { villageId?: number | undefined; q?: string | undefined };

function memberWhere(scope: Scope, f: TeamMemberFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [memberScoped(scope)];
  if (f.villageId !== undefined) conds.push(eq(teams.villageId, f.villageId));
  if (f.q) conds.push(ilike(teamMembers.nameSearch, rowKit.containsPattern(f.q)));
  return and(...conds);
}

export const listTeamMemberRows = rowKit.pagedList<Scope, TeamMemberFilter, TeamMemberRow>({
  where: memberWhere,
  rows: (db, where) =>
    members
      .select(db)
      .where(where)
      .orderBy(
        asc(villages.nameSort),
        asc(villages.code),
        roleOrder,
        asc(teamMembers.nameSort),
        asc(teamMembers.id),
      ),
  counted: { table: teamMembers, joins: [[teams, eq(teams.id, teamMembers.teamId)]] },
});

/** One team member, if their team's village lies in the viewer's scope. */
export const findTeamMemberRow = members.find;

/** Every member of a commune's teams, briefly: what visit imports and forms resolve names against. */
export async function listTeamMemberKeysOfCommune(db: Db, communeId: number) {
  return db
    .select({
      ...rowKit.columnsOf(teamMembers, "id", "teamId"),
      villageId: teams.villageId,
      ...rowKit.columnsOf(teamMembers, "fullName", "nameSearch"),
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.communeId, communeId));
}

/** The members of one village's team, briefly (for a visit's member list and check). */
export async function listTeamMemberKeysOfVillage(db: Db, villageId: number) {
  return db
    .select({
      ...rowKit.columnsOf(teamMembers, "id", "teamId"),
      villageId: teams.villageId,
      ...rowKit.columnsOf(teamMembers, "fullName", "nameSearch", "userId"),
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teams.villageId, villageId))
    .orderBy(roleOrder, asc(teamMembers.nameSort), asc(teamMembers.id));
}

export function findTeamMemberByName(db: Db, teamId: number, fullName: string) {
  return rowKit.findRowBy(db, teamMembers, { id: teamMembers.id }, { teamId, fullName });
}

export async function insertTeamMemberRow(db: Db, values: TeamMemberValues): Promise<number> {
  return rowKit.insertRowId(db, teamMembers, values);
}

export async function updateTeamMemberRow(db: Db, id: number, values: Partial<TeamMemberValues>) {
  await rowKit.updateRowById(db, teamMembers, id, values);
}

export async function deleteTeamMemberRow(db: Db, id: number): Promise<void> {
  await rowKit.deleteRowById(db, teamMembers, id);
}

export async function countVisitsOfMember(db: Db, memberId: number): Promise<number> {
  return rowKit.countRows(db, visits, eq(visits.memberId, memberId));
}

// --- whether a team is active (SPEC §3 indicator 8) ------------------------------------

/** A village with its team (if any) and what counts toward "active" in a window of days up to a date. */
export type TeamStatusRow = {
  villageId: number;
  villageCode: string;
  villageName: string;
  teamId: number | null;
  phone: string | null;
  publishContacts: boolean | null;
  members: number;
  visits: number;
  classSessions: number;
  propaganda: number;
  active: boolean;
};

/**
 * Every village of the scope with its team's members count and the work dated from `date − windowDays`
 * to `date` (both included): visits to the village's households, sessions of classes held in the village
 * (a class without any session by its own date), propaganda activities in the village. `active` is
 * computed here, in SQL, so the indicator engine can use the same statement.
 */
export async function listTeamStatusRows(
  db: Db,
  scope: Scope,
  rule: { date: string; windowDays: number; minMembers: number; villageId?: number | undefined },
): Promise<TeamStatusRow[]> {
  const to = sql`${rule.date}::date`;
  const from = sql`(${rule.date}::date - ${rule.windowDays}::integer)`;
  const members = sql`(select count(*) from team_members m where m.team_id = ${teams.id})`;
  const visitsN = sql`(select count(*) from visits vi join households h on h.id = vi.household_id
    where h.village_id = ${villages.id} and vi.date between ${from} and ${to})`;
  const sessionsN = sql`((select count(*) from activity_sessions s join activities a on a.id = s.activity_id
      where a.village_id = ${villages.id} and a.type = 'class' and s.date between ${from} and ${to})
    + (select count(*) from activities a where a.village_id = ${villages.id} and a.type = 'class'
      and a.date between ${from} and ${to}
      and not exists (select 1 from activity_sessions s where s.activity_id = a.id)))`;
  const propagandaN = sql`(select count(*) from activities a where a.village_id = ${villages.id}
    and a.type = 'propaganda' and a.date between ${from} and ${to})`;
  const conds: (SQL | undefined)[] = [
    scopeWhere(scope, { commune: villages.communeId, village: villages.id }),
  ];
  if (rule.villageId !== undefined) conds.push(eq(villages.id, rule.villageId));
  return db
    .select({
      villageId: villages.id,
      villageCode: villages.code,
      villageName: villages.name,
      teamId: teams.id,
      ...rowKit.columnsOf(teams, "phone", "publishContacts"),
      members: sql`coalesce(${members}, 0)`.mapWith(Number),
      visits: visitsN.mapWith(Number),
      classSessions: sessionsN.mapWith(Number),
      propaganda: propagandaN.mapWith(Number),
      active: sql`(coalesce(${members}, 0) >= ${rule.minMembers}::integer
        and (${visitsN} + ${sessionsN} + ${propagandaN}) >= 1)`.mapWith((v) => v === true || v === "t"),
    })
    .from(villages)
    .leftJoin(teams, eq(teams.villageId, villages.id))
    .where(and(...conds))
    .orderBy(asc(villages.communeId), asc(villages.nameSort), asc(villages.code));
}

// --- a team's recent work ----------------------------------------------------------------

export type RecentActivityRow = {
  activityId: number;
  code: string;
  title: string;
  type: "class" | "propaganda";
  date: string;
  /** True for a session of a class; false for the activity's own date. */
  session: boolean;
};

/** The latest class sessions (or sessionless classes) and propaganda activities held in a village. */
export async function listRecentVillageActivities(
  db: Db,
  villageId: number,
  limit: number,
): Promise<RecentActivityRow[]> {
  const sessions = await db
    .select({
      activityId: activities.id,
      ...rowKit.columnsOf(activities, "code", "title"),
      date: activitySessions.date,
    })
    .from(activitySessions)
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .where(and(eq(activities.villageId, villageId), eq(activities.type, "class")))
    .orderBy(desc(activitySessions.date))
    .limit(limit);
  const own = await db
    .select({
      activityId: activities.id,
      ...rowKit.columnsOf(activities, "code", "title", "type", "date"),
    })
    .from(activities)
    .where(
      and(
        eq(activities.villageId, villageId),
        sql`(${activities.type} = 'propaganda' or (${activities.type} = 'class' and not exists
          (select 1 from activity_sessions s where s.activity_id = ${activities.id})))`,
      ),
    )
    .orderBy(desc(activities.date))
    .limit(limit);
  const rows: RecentActivityRow[] = [
    ...sessions.map((s) => ({ ...s, type: "class" as const, session: true })),
    ...own.map((a) => ({ ...a, type: a.type as "class" | "propaganda", session: false })),
  ];
  return rows.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).slice(0, limit);
}

/** Every member of a commune's teams with its values and village, for the `team_members` import. */
export async function listTeamMemberValuesOfCommune(db: Db, communeId: number) {
  return db
    .select({
      ...rowKit.columnsOf(teamMembers, "id", "teamId"),
      villageId: teams.villageId,
      ...rowKit.columnsOf(teamMembers, "residentId", "fullName", "nameSearch", "role", "phone"),
    })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.communeId, communeId));
}

/** The enabled village-team accounts (volunteers, village leads) that work in a village: who a member may be. */
export async function listTeamAccountsOfVillage(
  db: Db,
  villageId: number,
): Promise<{ id: number; displayName: string; username: string }[]> {
  return db
    .select({ id: users.id, displayName: users.displayName, username: users.username })
    .from(users)
    .innerJoin(userVillages, eq(userVillages.userId, users.id))
    .where(
      and(
        eq(userVillages.villageId, villageId),
        inArray(users.role, ["volunteer", "village_lead"]),
        isNull(users.disabledAt),
      ),
    )
    .orderBy(asc(users.displayNameSort), asc(users.id));
}
