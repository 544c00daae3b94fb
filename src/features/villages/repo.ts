import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { households, residents, userVillages, villages } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import type { Scope } from "../auth/policy.ts";

export type VillageRow = { id: number; communeId: number; code: string; name: string };

const columns = { id: villages.id, communeId: villages.communeId, code: villages.code, name: villages.name };
const scoped = (scope: Scope) => scopeWhere(scope, { commune: villages.communeId, village: villages.id });

export async function listVillageRows(
  db: Db,
  scope: Scope,
  page: { limit: number; offset: number },
): Promise<{ items: VillageRow[]; total: number }> {
  const where = scoped(scope);
  const items = await db
    .select(columns)
    .from(villages)
    .where(where)
    .orderBy(asc(villages.communeId), asc(villages.nameSort), asc(villages.code))
    .limit(page.limit)
    .offset(page.offset);
  const [row] = await db.select({ n: count() }).from(villages).where(where);
  return { items, total: row?.n ?? 0 };
}

export async function findVillageRow(db: Db, scope: Scope, id: number): Promise<VillageRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(villages)
    .where(and(eq(villages.id, id), scoped(scope)));
  return row;
}

/** Villages of one commune by code (for account scopes and imports). */
export async function findVillagesByCodes(db: Db, communeId: number, codes: string[]): Promise<VillageRow[]> {
  if (codes.length === 0) return [];
  return db
    .select(columns)
    .from(villages)
    .where(and(eq(villages.communeId, communeId), inArray(villages.code, codes)));
}

export async function findVillagesByIds(db: Db, ids: readonly number[]): Promise<VillageRow[]> {
  if (ids.length === 0) return [];
  return db
    .select(columns)
    .from(villages)
    .where(inArray(villages.id, [...ids]))
    .orderBy(asc(villages.nameSort), asc(villages.code));
}

export async function listAllVillagesOfCommune(db: Db, communeId: number): Promise<VillageRow[]> {
  return db
    .select(columns)
    .from(villages)
    .where(eq(villages.communeId, communeId))
    .orderBy(asc(villages.nameSort), asc(villages.code));
}

export async function insertVillageRows(db: Db, rows: { communeId: number; code: string; name: string }[]) {
  if (rows.length === 0) return [];
  return db.insert(villages).values(rows).returning(columns);
}

export async function updateVillageRow(db: Db, id: number, values: { code?: string; name: string }) {
  await db
    .update(villages)
    .set({ ...values, updatedAt: now() })
    .where(eq(villages.id, id));
}

export async function insertVillageRow(db: Db, values: { communeId: number; code: string; name: string }) {
  const [row] = await db.insert(villages).values(values).returning({ id: villages.id });
  return row!.id;
}

/** How many households and residents of a village the viewer's scope holds. */
export async function countVillageContents(
  db: Db,
  scope: Scope,
  villageId: number,
): Promise<{ households: number; residents: number }> {
  const [h] = await db
    .select({ n: count() })
    .from(households)
    .where(
      and(
        eq(households.villageId, villageId),
        scopeWhere(scope, { commune: households.communeId, village: households.villageId }),
      ),
    );
  const [r] = await db
    .select({ n: count() })
    .from(residents)
    .where(
      and(
        eq(residents.villageId, villageId),
        scopeWhere(scope, {
          commune: residents.communeId,
          village: residents.villageId,
          resident: residents.id,
          unit: residents.unitId,
        }),
      ),
    );
  return { households: h?.n ?? 0, residents: r?.n ?? 0 };
}

/** Everything that refers to a village, whatever any viewer's scope: a village is removed only when none does. */
export async function countVillageReferences(
  db: Db,
  villageId: number,
): Promise<{ households: number; residents: number; users: number }> {
  const [h] = await db.select({ n: count() }).from(households).where(eq(households.villageId, villageId));
  const [r] = await db.select({ n: count() }).from(residents).where(eq(residents.villageId, villageId));
  const [u] = await db.select({ n: count() }).from(userVillages).where(eq(userVillages.villageId, villageId));
  return { households: h?.n ?? 0, residents: r?.n ?? 0, users: u?.n ?? 0 };
}

export async function deleteVillageRow(db: Db, id: number): Promise<void> {
  await db.delete(villages).where(eq(villages.id, id));
}
