import { and, asc, count, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { chunks } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import { households, residents, villages } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import { foldVietnamese } from "../../lib/text.ts";
import type { Scope } from "../auth/policy.ts";

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
    .set({ ...values, updatedAt: now() })
    .where(eq(households.id, id));
}

export async function findHouseholdByCode(db: Db, communeId: number, code: string) {
  const [row] = await db
    .select(householdColumns)
    .from(households)
    .where(and(eq(households.communeId, communeId), eq(households.code, code)));
  return row;
}

// --- reading and writing, in a viewer's scope --------------------------------------

/** A household with its village's code and name, as pages and the API show it. */
export type HouseholdListRow = HouseholdRow & { villageCode: string; villageName: string };

const listColumns = { ...householdColumns, villageCode: villages.code, villageName: villages.name };

/** Households of a scope: a commune, a village team's villages, every commune (province); none for a school. */
const scoped = (scope: Scope) =>
  scopeWhere(scope, { commune: households.communeId, village: households.villageId });

/** The Vietnamese letters with diacritics (both cases) and their folded forms, for folding in SQL. */
const VI_LETTERS = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ";
const FOLD_FROM = VI_LETTERS + VI_LETTERS.toUpperCase();
const FOLD_TO = [...FOLD_FROM].map((ch) => foldVietnamese(ch)).join("");
const foldedHeadName = sql`translate(lower(coalesce(${households.headName}, '')), ${FOLD_FROM}, ${FOLD_TO})`;

export type HouseholdFilter = {
  villageId?: number | undefined;
  /** Search text: the start of a code, or (folded) part of the head's name. */
  q?: string | undefined;
};

function filterWhere(scope: Scope, f: HouseholdFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [scoped(scope)];
  if (f.villageId !== undefined) conds.push(eq(households.villageId, f.villageId));
  if (f.q) {
    const esc = f.q.replace(/[\\%_]/g, (m) => `\\${m}`);
    const folded = foldVietnamese(f.q).replace(/[\\%_]/g, (m) => `\\${m}`);
    conds.push(or(ilike(households.code, `${esc}%`), sql`${foldedHeadName} like ${`%${folded}%`}`));
  }
  return and(...conds);
}

export async function listHouseholdRows(
  db: Db,
  scope: Scope,
  filter: HouseholdFilter,
  page: { limit: number; offset: number },
): Promise<{ items: HouseholdListRow[]; total: number }> {
  const where = filterWhere(scope, filter);
  const items = await db
    .select(listColumns)
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .where(where)
    .orderBy(asc(households.code), asc(households.id))
    .limit(page.limit)
    .offset(page.offset);
  const [row] = await db.select({ n: count() }).from(households).where(where);
  return { items, total: row?.n ?? 0 };
}

export async function findHouseholdRow(
  db: Db,
  scope: Scope,
  id: number,
): Promise<HouseholdListRow | undefined> {
  const [row] = await db
    .select(listColumns)
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .where(and(eq(households.id, id), scoped(scope)));
  return row;
}

/** How many residents a household has (any status). */
export async function countHouseholdMembers(db: Db, householdId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(residents).where(eq(residents.householdId, householdId));
  return row?.n ?? 0;
}

export async function insertHouseholdRow(db: Db, values: HouseholdValues): Promise<number> {
  const [row] = await db.insert(households).values(values).returning({ id: households.id });
  return row!.id;
}

/** Moves a household's residents with it when the household changes village (one transaction with it). */
export async function moveHouseholdMembers(db: Db, householdId: number, villageId: number): Promise<void> {
  await db
    .update(residents)
    .set({ villageId, updatedAt: now() })
    .where(eq(residents.householdId, householdId));
}

export async function deleteHouseholdRow(db: Db, id: number): Promise<void> {
  await db.delete(households).where(eq(households.id, id));
}
