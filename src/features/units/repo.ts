import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { residents, units, users } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";
import { residentsInScope } from "../residents/repo.ts";

export type UnitRow = {
  id: number;
  communeId: number;
  code: string;
  name: string;
  type: (typeof units.$inferSelect)["type"];
};

const columns = rowKit.columnsOf(units, "id", "communeId", "code", "name", "type");

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
    .orderBy(asc(units.nameSort), asc(units.code));
}

export async function insertUnitRows(
  db: Db,
  rows: { communeId: number; code: string; name: string; type: UnitRow["type"] }[],
): Promise<UnitRow[]> {
  if (rows.length === 0) return [];
  return db.insert(units).values(rows).returning(columns);
}

export async function updateUnitRow(
  db: Db,
  id: number,
  values: { code?: string; name: string; type: UnitRow["type"] },
) {
  await rowKit.updateRowById(db, units, id, values);
}

// --- reading and writing, in a viewer's scope --------------------------------------

/**
 * Units a viewer reads: a commune's units are its shared reference list (a village team picks a
 * resident's unit from it), so a village scope reads its whole commune; a school reads only itself.
 */
function scoped(scope: Scope): SQL | undefined {
  const s: Scope = scope.kind === "villages" ? { kind: "commune", communeId: scope.communeId } : scope;
  return scopeWhere(s, { commune: units.communeId, unit: units.id });
}

export type UnitFilter = { type?: UnitRow["type"] | undefined; q?: string | undefined };

export async function listUnitRows(
  db: Db,
  scope: Scope,
  filter: UnitFilter,
  page: rowKit.Page,
): Promise<rowKit.Paged<UnitRow>> {
  const like = filter.q ? rowKit.containsPattern(filter.q) : undefined;
  const where = and(
    scoped(scope),
    filter.type ? eq(units.type, filter.type) : undefined,
    like ? or(ilike(units.code, like), ilike(units.name, like)) : undefined,
  );
  const rows = db
    .select(columns)
    .from(units)
    .where(where)
    .orderBy(asc(units.communeId), asc(units.nameSort), asc(units.code));
  return rowKit.pagedRows(db, page, rows, { table: units, where });
}

export async function findUnitRow(db: Db, scope: Scope, id: number): Promise<UnitRow | undefined> {
  return rowKit.firstRow(
    db
      .select(columns)
      .from(units)
      .where(and(eq(units.id, id), scoped(scope))),
  );
}

/** How many residents of the viewer's scope belong to a unit (the number /residents?unit=CODE shows). */
export async function countUnitMembers(db: Db, scope: Scope, unitId: number): Promise<number> {
  return rowKit.countRows(db, residents, and(eq(residents.unitId, unitId), residentsInScope(scope)));
}

export async function insertUnitRow(
  db: Db,
  values: { communeId: number; code: string; name: string; type: UnitRow["type"] },
): Promise<number> {
  return rowKit.insertRowId(db, units, values);
}

/** Everything that refers to a unit, whatever any viewer's scope: a unit is removed only when none does. */
export async function countUnitReferences(
  db: Db,
  unitId: number,
): Promise<{ residents: number; users: number }> {
  return {
    residents: await rowKit.countRows(db, residents, eq(residents.unitId, unitId)),
    users: await rowKit.countRows(db, users, eq(users.unitId, unitId)),
  };
}

export async function deleteUnitRow(db: Db, id: number): Promise<void> {
  await rowKit.deleteRowById(db, units, id);
}
