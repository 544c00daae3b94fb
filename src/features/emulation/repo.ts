import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { type CommendationStatus, commendations, users } from "../../db/schema.ts";

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** What a village or a unit did in a window: classes held (by their first day), class sessions, visits. */
export type ActivityCounts = {
  id: number;
  code: string;
  name: string;
  classes: number;
  sessions: number;
  visits: number;
};

type Window = { start: string; date: string };

/** The classes (activities of type `class` dated in the window) of `owner` and their sessions held in it. */
const classCounts = (owner: "village_id" | "unit_id", id: SQL, w: Window) => sql`
      (select count(*)::int from activities a
        where a.${sql.raw(owner)} = ${id} and a.type = 'class' and a.date between ${w.start}::date and ${w.date}::date) as classes,
      (select count(*)::int from activity_sessions s join activities a on a.id = s.activity_id
        where a.${sql.raw(owner)} = ${id} and a.type = 'class' and s.date between ${w.start}::date and ${w.date}::date) as sessions`;

/**
 * Every village of the commune with its classes (activities of type `class` dated in the window),
 * the sessions of its classes held in the window, and the door-to-door visits to its households.
 */
export function villageActivity(db: Db, communeId: number, w: Window): Promise<ActivityCounts[]> {
  return rows(
    db,
    sql`
    select v.id, v.code, v.name, ${classCounts("village_id", sql.raw("v.id"), w)},
      (select count(*)::int from visits x join households h on h.id = x.household_id
        where h.village_id = v.id and x.date between ${w.start}::date and ${w.date}::date) as visits
    from villages v
    where v.commune_id = ${communeId}
    order by v.name_sort, v.code`,
  );
}

/** Every unit of the commune with the classes it organised and their sessions in the window (no visits). */
export function unitActivity(db: Db, communeId: number, w: Window): Promise<ActivityCounts[]> {
  return rows(
    db,
    sql`
    select u.id, u.code, u.name, ${classCounts("unit_id", sql.raw("u.id"), w)},
      0 as visits
    from units u
    where u.commune_id = ${communeId}
    order by u.name_sort, u.code`,
  );
}

const columns = {
  ...rowKit.columnsOf(commendations, "id", "period", "date", "status", "number", "signedOn", "signerName"),
  ...rowKit.columnsOf(commendations, "items", "weights", "createdBy", "approvedBy", "approvedAt"),
  ...rowKit.columnsOf(commendations, "createdAt", "updatedAt"),
};
export type CommendationRow = {
  id: number;
  period: string;
  date: string;
  status: CommendationStatus;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  items: unknown;
  weights: unknown;
  createdBy: number | null;
  approvedBy: number | null;
  approvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  approverName: string | null;
};

export async function listCommendationRows(db: Db, communeId: number): Promise<CommendationRow[]> {
  return db
    .select({ ...columns, approverName: users.displayName })
    .from(commendations)
    .leftJoin(users, eq(users.id, commendations.approvedBy))
    .where(eq(commendations.communeId, communeId))
    .orderBy(desc(commendations.createdAt), desc(commendations.id));
}

export async function findCommendationRow(
  db: Db,
  communeId: number,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<CommendationRow | undefined> {
  const q = db
    .select({ ...columns, approverName: users.displayName })
    .from(commendations)
    .leftJoin(users, eq(users.id, commendations.approvedBy))
    .where(and(eq(commendations.communeId, communeId), eq(commendations.id, id)))
    .orderBy(asc(commendations.id));
  const [row] = opts.forUpdate ? await q.for("update", { of: commendations }) : await q;
  return row;
}

export async function insertCommendationRow(
  db: Db,
  values: {
    communeId: number;
    period: string;
    date: string;
    signedOn: string;
    items: unknown;
    weights: unknown;
    createdBy: number | null;
  },
): Promise<number> {
  return rowKit.insertRowId(db, commendations, values);
}

export async function updateCommendationRow(
  db: Db,
  communeId: number,
  id: number,
  values: Partial<{
    number: string | null;
    signerName: string | null;
    signedOn: string;
    items: unknown;
    status: CommendationStatus;
    approvedBy: number | null;
    approvedAt: Date;
  }>,
): Promise<void> {
  await db
    .update(commendations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(commendations.communeId, communeId), eq(commendations.id, id)));
}
