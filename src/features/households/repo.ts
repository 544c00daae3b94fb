import { and, asc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { chunks } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { households, residents, villages, visits } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import { nameSortKey } from "../../lib/collation.ts";
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
    out.push(
      ...(await db
        .insert(households)
        // The head's sort key from the app (the database's trigger would compute it, slower).
        .values(chunk.map((h) => ({ ...h, headSort: h.headName ? nameSortKey(h.headName) : null })))
        .returning(householdColumns)),
    );
  return out;
}

export async function updateHouseholdRow(db: Db, id: number, values: Partial<HouseholdValues>) {
  await rowKit.updateRowById(db, households, id, values);
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
/** Households of a scope: the whole commune, some villages (a school's scope reads none). */
export const householdsInScope = (scope: Scope): SQL | undefined =>
  scopeWhere(scope, { commune: households.communeId, village: households.villageId });

/** The Vietnamese letters with diacritics (both cases) and their folded forms, for folding in SQL. */
const VI_LETTERS = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ";
const FOLD_FROM = VI_LETTERS + VI_LETTERS.toUpperCase();
const FOLD_TO = [...FOLD_FROM].map((ch) => foldVietnamese(ch)).join("");
/** A text column folded in SQL the way `foldVietnamese` folds in JavaScript (case and diacritics off). */
const foldedSql = (col: PgColumn) => sql`translate(lower(coalesce(${col}, '')), ${FOLD_FROM}, ${FOLD_TO})`;
const foldedHeadName = foldedSql(households.headName);

export type HouseholdFilter = {
  villageId?: number | undefined;
  /** Search text: the start of a code, or (folded) part of the head's name. */
  q?: string | undefined;
};

function filterWhere(scope: Scope, f: HouseholdFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [householdsInScope(scope)];
  if (f.villageId !== undefined) conds.push(eq(households.villageId, f.villageId));
  if (f.q) {
    const folded = rowKit.containsPattern(foldVietnamese(f.q));
    conds.push(
      or(ilike(households.code, `${rowKit.escapeLike(f.q)}%`), sql`${foldedHeadName} like ${folded}`),
    );
  }
  return and(...conds);
}

/** Households with their village, as lists and the detail page read them. */
const selectHouseholds = (db: Db, where: SQL | undefined) =>
  db
    .select(listColumns)
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .where(where);

export const listHouseholdRows = rowKit.pagedList<Scope, HouseholdFilter, HouseholdListRow>({
  where: filterWhere,
  rows: (db, where) =>
    selectHouseholds(db, where).orderBy(asc(households.headSort), asc(households.code), asc(households.id)),
  counted: { table: households },
});

export async function findHouseholdRow(
  db: Db,
  scope: Scope,
  id: number,
): Promise<HouseholdListRow | undefined> {
  return rowKit.firstRow(selectHouseholds(db, and(eq(households.id, id), householdsInScope(scope))));
}

/** How many residents a household has (any status). */
export async function countHouseholdMembers(db: Db, householdId: number): Promise<number> {
  return rowKit.countRows(db, residents, eq(residents.householdId, householdId));
}

export async function insertHouseholdRow(db: Db, values: HouseholdValues): Promise<number> {
  return rowKit.insertRowId(db, households, values);
}

/** Moves a household's residents with it when the household changes village (one transaction with it). */
export async function moveHouseholdMembers(db: Db, householdId: number, villageId: number): Promise<void> {
  await db
    .update(residents)
    .set({ villageId, updatedAt: now() })
    .where(eq(residents.householdId, householdId));
}

export async function deleteHouseholdRow(db: Db, id: number): Promise<void> {
  await rowKit.deleteRowById(db, households, id);
}

// --- the household picker of the visit form -----------------------------------------

/** A household as the visit form's picker lists it: code, head, address, a few members, the last visit. */
export type HouseholdPickRow = HouseholdListRow & {
  lastVisit: string | null;
  /** Names of up to three active members, the oldest first (the head is often not recorded). */
  memberNames: string[];
};

/**
 * Households of a scope matching every word of `q` somewhere: in the code (any part), the head's
 * name, the address or an active member's name, all folded (no case, no diacritics). Recently
 * visited first, then never visited, by code. Without `q`, every household (of `villageId`).
 */
export async function searchHouseholdRows(
  db: Db,
  scope: Scope,
  filter: { villageId?: number | undefined; q?: string | undefined },
  limit: number,
): Promise<rowKit.Paged<HouseholdPickRow>> {
  const conds: (SQL | undefined)[] = [householdsInScope(scope)];
  if (filter.villageId !== undefined) conds.push(eq(households.villageId, filter.villageId));
  const words = foldVietnamese(filter.q ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  for (const word of words) {
    const pattern = rowKit.containsPattern(word);
    conds.push(
      or(
        ilike(households.code, pattern),
        sql`${foldedHeadName} like ${pattern}`,
        sql`${foldedSql(households.address)} like ${pattern}`,
        sql`exists (select 1 from ${residents} where ${residents.householdId} = ${households.id}
          and ${residents.status} = 'active' and ${residents.nameSearch} like ${pattern})`,
      ),
    );
  }
  const where = and(...conds);
  const lastVisit = sql<
    string | null
  >`(select max(${visits.date})::text from ${visits} where ${visits.householdId} = ${households.id})`;
  const rows = await db
    .select({ ...listColumns, lastVisit })
    .from(households)
    .innerJoin(villages, eq(villages.id, households.villageId))
    .where(where)
    .orderBy(sql`${lastVisit} desc nulls last`, asc(households.code), asc(households.id))
    .limit(limit);
  const total = await rowKit.countRows(db, households, where);
  const names = new Map<number, string[]>();
  for (const chunk of chunks(rows.map((r) => r.id))) {
    if (chunk.length === 0) continue;
    const members = await db
      .select({ householdId: residents.householdId, fullName: residents.fullName })
      .from(residents)
      .where(and(inArray(residents.householdId, chunk), eq(residents.status, "active")))
      .orderBy(asc(residents.householdId), asc(residents.birthDate), asc(residents.id));
    for (const m of members) {
      const list = names.get(m.householdId) ?? [];
      if (list.length < 3) list.push(m.fullName);
      names.set(m.householdId, list);
    }
  }
  return {
    items: rows.map((r) => ({ ...r, memberNames: names.get(r.id) ?? [] })),
    total,
  };
}
