import { and, asc, eq, gte, isNull, notExists, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import { activities, activitySessions, teamMembers, teams, villages } from "../../db/schema.ts";

/**
 * What the public pages read: nothing here names a resident. Classes carry their title, place,
 * village and audience (never the trainer); team contacts come only from teams that agreed to
 * publish them (`teams.publish_contacts`), and even then only their leaders.
 */

export type PublicClassRow = {
  activityId: number;
  date: string;
  title: string;
  /** The time of day it starts, HH:mm, when given. */
  startTime: string | null;
  place: string | null;
  audience: string | null;
  villageCode: string | null;
  villageName: string | null;
};

const classColumns = {
  activityId: activities.id,
  ...columnsOf(activities, "title", "startTime", "place", "audience"),
  villageCode: villages.code,
  villageName: villages.name,
};

/**
 * The commune's classes from `from` on: each session of a class on its own date, and a class with no
 * session on the class's date. With a village: its classes and the commune-wide ones (no village).
 */
export async function listUpcomingClassRows(
  db: Db,
  communeId: number,
  opts: { from: string; villageId?: number | undefined; limit: number },
): Promise<PublicClassRow[]> {
  const village =
    opts.villageId === undefined
      ? undefined
      : or(eq(activities.villageId, opts.villageId), isNull(activities.villageId));
  const isClass = and(eq(activities.communeId, communeId), eq(activities.type, "class"), village);
  const [sessions, undated] = await Promise.all([
    db
      .select({ date: activitySessions.date, ...classColumns })
      .from(activitySessions)
      .innerJoin(activities, eq(activities.id, activitySessions.activityId))
      .leftJoin(villages, eq(villages.id, activities.villageId))
      .where(and(isClass, eq(activitySessions.communeId, communeId), gte(activitySessions.date, opts.from)))
      .orderBy(asc(activitySessions.date), asc(activities.title))
      .limit(opts.limit),
    db
      .select({ date: activities.date, ...classColumns })
      .from(activities)
      .leftJoin(villages, eq(villages.id, activities.villageId))
      .where(
        and(
          isClass,
          gte(activities.date, opts.from),
          notExists(
            db
              .select({ one: sql`1` })
              .from(activitySessions)
              .where(eq(activitySessions.activityId, activities.id)),
          ),
        ),
      )
      .orderBy(asc(activities.date), asc(activities.title))
      .limit(opts.limit),
  ]);
  return [...sessions, ...undated]
    .sort(
      (a, b) =>
        a.date.localeCompare(b.date) ||
        (a.startTime ?? "99").localeCompare(b.startTime ?? "99") ||
        a.title.localeCompare(b.title, "vi"),
    )
    .slice(0, opts.limit);
}

export type PublicTeamRow = {
  villageCode: string;
  villageName: string;
  /** The team agreed to publish its contacts: then the team's phone and its leaders. */
  published: boolean;
  teamPhone: string | null;
  leaders: { name: string; phone: string | null }[];
};

/** Each village of the commune with its team's published contacts (none when unpublished). */
export async function listPublicTeamRows(db: Db, communeId: number): Promise<PublicTeamRow[]> {
  const [rows, leaders] = await Promise.all([
    db
      .select({
        villageId: villages.id,
        villageCode: villages.code,
        villageName: villages.name,
        published: teams.publishContacts,
        teamPhone: sql<string | null>`case when ${teams.publishContacts} then ${teams.phone} end`,
      })
      .from(villages)
      .leftJoin(teams, eq(teams.villageId, villages.id))
      .where(eq(villages.communeId, communeId))
      .orderBy(asc(villages.nameSort), asc(villages.code)),
    db
      .select({ villageId: teams.villageId, name: teamMembers.fullName, phone: teamMembers.phone })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(
        and(eq(teams.communeId, communeId), eq(teams.publishContacts, true), eq(teamMembers.role, "leader")),
      )
      .orderBy(asc(teamMembers.nameSort), asc(teamMembers.id)),
  ]);
  return rows.map((r) => ({
    villageCode: r.villageCode,
    villageName: r.villageName,
    published: r.published === true,
    teamPhone: r.published ? r.teamPhone : null,
    leaders: r.published
      ? leaders.filter((l) => l.villageId === r.villageId).map((l) => ({ name: l.name, phone: l.phone }))
      : [],
  }));
}
