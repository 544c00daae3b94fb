import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { units } from "../../db/schema.ts";

export type UnitRow = {
  id: number;
  communeId: number;
  code: string;
  name: string;
  type: (typeof units.$inferSelect)["type"];
};

const columns = {
  id: units.id,
  communeId: units.communeId,
  code: units.code,
  name: units.name,
  type: units.type,
};

export async function findUnitByCode(db: Db, communeId: number, code: string): Promise<UnitRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(units)
    .where(and(eq(units.communeId, communeId), eq(units.code, code)));
  return row;
}

export async function findUnitById(db: Db, id: number): Promise<UnitRow | undefined> {
  const [row] = await db.select(columns).from(units).where(eq(units.id, id));
  return row;
}

export async function listUnitsOfCommune(
  db: Db,
  communeId: number,
  type?: UnitRow["type"],
): Promise<UnitRow[]> {
  return db
    .select(columns)
    .from(units)
    .where(and(eq(units.communeId, communeId), type ? eq(units.type, type) : undefined))
    .orderBy(asc(units.code));
}

export async function insertUnitRows(
  db: Db,
  rows: { communeId: number; code: string; name: string; type: UnitRow["type"] }[],
): Promise<UnitRow[]> {
  if (rows.length === 0) return [];
  return db.insert(units).values(rows).returning(columns);
}

export async function updateUnitRow(db: Db, id: number, values: { name: string; type: UnitRow["type"] }) {
  await db
    .update(units)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(units.id, id));
}
