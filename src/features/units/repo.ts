import { and, asc, count, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { residents, units, users } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import type { Scope } from "../auth/policy.ts";

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
  await db
    .update(units)
    .set({ ...values, updatedAt: now() })
    .where(eq(units.id, id));
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
  page: { limit: number; offset: number },
): Promise<{ items: UnitRow[]; total: number }> {
  const conds: (SQL | undefined)[] = [scoped(scope)];
  if (filter.type) conds.push(eq(units.type, filter.type));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(or(ilike(units.code, like), ilike(units.name, like)));
  }
  const where = and(...conds);
  const items = await db
    .select(columns)
    .from(units)
    .where(where)
    .orderBy(asc(units.communeId), asc(units.nameSort), asc(units.code))
    .limit(page.limit)
    .offset(page.offset);
  const [row] = await db.select({ n: count() }).from(units).where(where);
  return { items, total: row?.n ?? 0 };
}

export async function findUnitRow(db: Db, scope: Scope, id: number): Promise<UnitRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(units)
    .where(and(eq(units.id, id), scoped(scope)));
  return row;
}

/** How many residents of the viewer's scope belong to a unit (the number /residents?unit=CODE shows). */
export async function countUnitMembers(db: Db, scope: Scope, unitId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(residents)
    .where(
      and(
        eq(residents.unitId, unitId),
        scopeWhere(scope, {
          commune: residents.communeId,
          village: residents.villageId,
          resident: residents.id,
          unit: residents.unitId,
        }),
      ),
    );
  return row?.n ?? 0;
}

export async function insertUnitRow(
  db: Db,
  values: { communeId: number; code: string; name: string; type: UnitRow["type"] },
): Promise<number> {
  const [row] = await db.insert(units).values(values).returning({ id: units.id });
  return row!.id;
}

/** Everything that refers to a unit, whatever any viewer's scope: a unit is removed only when none does. */
export async function countUnitReferences(
  db: Db,
  unitId: number,
): Promise<{ residents: number; users: number }> {
  const [r] = await db.select({ n: count() }).from(residents).where(eq(residents.unitId, unitId));
  const [u] = await db.select({ n: count() }).from(users).where(eq(users.unitId, unitId));
  return { residents: r?.n ?? 0, users: u?.n ?? 0 };
}

export async function deleteUnitRow(db: Db, id: number): Promise<void> {
  await db.delete(units).where(eq(units.id, id));
}
