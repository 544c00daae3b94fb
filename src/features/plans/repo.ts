import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { plans, users } from "../../db/schema.ts";

export type PlanRow = {
  id: number;
  fileName: string;
  content: unknown;
  active: boolean;
  loadedByName: string | null;
  createdAt: Date;
};

const columns = {
  id: plans.id,
  fileName: plans.fileName,
  content: plans.content,
  active: plans.active,
  loadedByName: users.displayName,
  createdAt: plans.createdAt,
};

export async function findActivePlanRow(db: Db, communeId: number): Promise<PlanRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(plans)
    .leftJoin(users, eq(users.id, plans.loadedBy))
    .where(and(eq(plans.communeId, communeId), eq(plans.active, true)));
  return row;
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

export async function deactivatePlans(db: Db, communeId: number): Promise<void> {
  await db
    .update(plans)
    .set({ active: false })
    .where(and(eq(plans.communeId, communeId), eq(plans.active, true)));
}

export async function insertPlanRow(
  db: Db,
  values: { communeId: number; fileName: string; content: unknown; loadedBy: number | null },
): Promise<number> {
  const [row] = await db.insert(plans).values(values).returning({ id: plans.id });
  return row!.id;
}
