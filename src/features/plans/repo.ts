import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { plans, users } from "../../db/schema.ts";

export type PlanRow = {
  id: number;
  fileName: string;
  year: number;
  content: unknown;
  active: boolean;
  loadedByName: string | null;
  createdAt: Date;
};

const columns = {
  ...rowKit.columnsOf(plans, "id", "fileName", "year", "content", "active"),
  loadedByName: users.displayName,
  createdAt: plans.createdAt,
};

/** The commune's active plans, one per year, earliest year first. */
export async function findActivePlanRows(db: Db, communeId: number): Promise<PlanRow[]> {
  return db
    .select(columns)
    .from(plans)
    .leftJoin(users, eq(users.id, plans.loadedBy))
    .where(and(eq(plans.communeId, communeId), eq(plans.active, true)))
    .orderBy(asc(plans.year));
}

/** Every plan file loaded for the commune, newest first (without their content). */
export async function listPlanRows(db: Db, communeId: number): Promise<Omit<PlanRow, "content">[]> {
  const { content: _c, ...rest } = columns;
  return db
    .select(rest)
    .from(plans)
    .leftJoin(users, eq(users.id, plans.loadedBy))
    .where(eq(plans.communeId, communeId))
    .orderBy(desc(plans.createdAt), desc(plans.id));
}

/** The active plans of the commune stop being in force: of one year, or (no year) of every year. */
export async function deactivatePlans(db: Db, communeId: number, year?: number): Promise<void> {
  await db
    .update(plans)
    .set({ active: false })
    .where(
      and(
        eq(plans.communeId, communeId),
        eq(plans.active, true),
        year === undefined ? undefined : eq(plans.year, year),
      ),
    );
}

export async function insertPlanRow(
  db: Db,
  values: { communeId: number; fileName: string; year: number; content: unknown; loadedBy: number | null },
): Promise<number> {
  return rowKit.insertRowId(db, plans, values);
}
