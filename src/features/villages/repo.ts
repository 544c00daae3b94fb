import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { households, residents, userVillages, villages } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";
import { householdsInScope } from "../households/repo.ts";
import { residentsInScope } from "../residents/repo.ts";

export type VillageRow = { id: number; communeId: number; code: string; name: string };

const columns = { id: villages.id, communeId: villages.communeId, code: villages.code, name: villages.name };
const scoped = (scope: Scope) => scopeWhere(scope, { commune: villages.communeId, village: villages.id });

export async function listVillageRows(
  db: Db,
  scope: Scope,
  page: rowKit.Page,
): Promise<rowKit.Paged<VillageRow>> {
  const where = scoped(scope);
  const order = [asc(villages.communeId), asc(villages.nameSort), asc(villages.code)];
  return rowKit.pagedRows(
    db,
    page,
    db
      .select(columns)
      .from(villages)
      .where(where)
      .orderBy(...order),
    {
      table: villages,
      where,
    },
  );
}

export async function findVillageRow(db: Db, scope: Scope, id: number): Promise<VillageRow | undefined> {
  return rowKit.firstRow(
    db
      .select(columns)
      .from(villages)
      .where(and(eq(villages.id, id), scoped(scope))),
  );
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
  await rowKit.updateRowById(db, villages, id, values);
}

export async function insertVillageRow(db: Db, values: { communeId: number; code: string; name: string }) {
  return rowKit.insertRowId(db, villages, values);
}

/** How many households and residents of a village the viewer's scope holds. */
export async function countVillageContents(
  db: Db,
  scope: Scope,
  villageId: number,
): Promise<{ households: number; residents: number }> {
  return {
    households: await rowKit.countRows(
      db,
      households,
      and(eq(households.villageId, villageId), householdsInScope(scope)),
    ),
    residents: await rowKit.countRows(
      db,
      residents,
      and(eq(residents.villageId, villageId), residentsInScope(scope)),
    ),
  };
}

/** Everything that refers to a village, whatever any viewer's scope: a village is removed only when none does. */
export async function countVillageReferences(
  db: Db,
  villageId: number,
): Promise<{ households: number; residents: number; users: number }> {
  return {
    households: await rowKit.countRows(db, households, eq(households.villageId, villageId)),
    residents: await rowKit.countRows(db, residents, eq(residents.villageId, villageId)),
    users: await rowKit.countRows(db, userVillages, eq(userVillages.villageId, villageId)),
  };
}

export async function deleteVillageRow(db: Db, id: number): Promise<void> {
  await rowKit.deleteRowById(db, villages, id);
}
