import { and, asc, eq } from "drizzle-orm";
import { chunks } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import { households } from "../../db/schema.ts";

export type HouseholdRow = {
  id: number;
  communeId: number;
  villageId: number;
  code: string;
  headName: string | null;
  address: string | null;
  poor: boolean;
};

export const householdColumns = {
  id: households.id,
  communeId: households.communeId,
  villageId: households.villageId,
  code: households.code,
  headName: households.headName,
  address: households.address,
  poor: households.poor,
};

export type HouseholdValues = Omit<HouseholdRow, "id">;

/** Every household of a commune (a commune has some thousands): for imports' lookups by code. */
export async function listAllHouseholdsOfCommune(db: Db, communeId: number): Promise<HouseholdRow[]> {
  return db
    .select(householdColumns)
    .from(households)
    .where(eq(households.communeId, communeId))
    .orderBy(asc(households.code));
}

export async function insertHouseholdRows(db: Db, rows: HouseholdValues[]): Promise<HouseholdRow[]> {
  const out: HouseholdRow[] = [];
  for (const chunk of chunks(rows))
    out.push(...(await db.insert(households).values(chunk).returning(householdColumns)));
  return out;
}

export async function updateHouseholdRow(db: Db, id: number, values: Partial<HouseholdValues>) {
  await db
    .update(households)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(households.id, id));
}

export async function findHouseholdByCode(db: Db, communeId: number, code: string) {
  const [row] = await db
    .select(householdColumns)
    .from(households)
    .where(and(eq(households.communeId, communeId), eq(households.code, code)));
  return row;
}
