import { and, eq, like, lte, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { households, residentFacts, residents, units, villages } from "../../db/schema.ts";
import { scopeWhere, workerResidents } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import { nameSortKey } from "../../lib/collation.ts";
import type { Scope } from "../auth/policy.ts";

export type ResidentValues = {
  communeId: number;
  villageId: number;
  householdId: number;
  fullName: string;
  nameSearch: string;
  birthDate: string;
  birthYearOnly: boolean;
  gender: "male" | "female" | "other";
  citizenId: string | null;
  phone: string | null;
  status: "active" | "moved" | "deceased";
  groups: string[];
  unitId: number | null;
  disabled: boolean;
  vneidLevel: number;
};

export type ResidentRow = ResidentValues & { id: number };

export const residentColumns = {
  id: residents.id,
  communeId: residents.communeId,
  villageId: residents.villageId,
  householdId: residents.householdId,
  fullName: residents.fullName,
  nameSearch: residents.nameSearch,
  birthDate: residents.birthDate,
  birthYearOnly: residents.birthYearOnly,
  gender: residents.gender,
  citizenId: residents.citizenId,
  phone: residents.phone,
  status: residents.status,
  groups: residents.groups,
  unitId: residents.unitId,
  disabled: residents.disabled,
  vneidLevel: residents.vneidLevel,
};

/** The residents whose `key` is one of `values` (one array parameter, cast to `type[]`), in any commune. */
async function findResidentsWhereAny(
  db: Db,
  key: PgColumn,
  values: (string | number)[],
  type: "text" | "integer",
): Promise<ResidentRow[]> {
  if (values.length === 0) return [];
  return db
    .select(residentColumns)
    .from(residents)
    .where(sql`${key} = any(${sql.param(values)}::${sql.raw(type)}[])`);
}

/** Residents with these citizen IDs, in any commune (a citizen ID is unique in the installation). */
export async function findResidentsByCitizenIds(db: Db, citizenIds: string[]): Promise<ResidentRow[]> {
  return findResidentsWhereAny(db, residents.citizenId, citizenIds, "text");
}

/**
 * Inserts many residents in one statement of fifteen array parameters (`unnest`): several times
 * faster than a multi-row VALUES list on PGlite, whose statements must also stay small (db/chunks.ts).
 */
export async function insertResidentRows(db: Db, rows: ResidentValues[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof ResidentValues>(k: K) => rows.map((r) => r[k]);
  // Each row's groups travel as one array literal (codes only: no quoting needed), cast back per row.
  const groups = rows.map((r) => `{${r.groups.join(",")}}`);
  await db.execute(sql`
    insert into residents (commune_id, village_id, household_id, full_name, name_search, birth_date, birth_year_only,
      gender, citizen_id, phone, status, groups, unit_id, disabled, vneid_level, name_sort)
    select c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12::text[], c13, c14, c15, c16
    from unnest(${sql.param(col("communeId"))}::integer[], ${sql.param(col("villageId"))}::integer[], ${sql.param(col("householdId"))}::integer[],
      ${sql.param(col("fullName"))}::text[], ${sql.param(col("nameSearch"))}::text[], ${sql.param(col("birthDate"))}::date[], ${sql.param(col("birthYearOnly"))}::boolean[],
      ${sql.param(col("gender"))}::text[], ${sql.param(col("citizenId"))}::text[], ${sql.param(col("phone"))}::text[], ${sql.param(col("status"))}::text[],
      ${sql.param(groups)}::text[], ${sql.param(col("unitId"))}::integer[], ${sql.param(col("disabled"))}::boolean[], ${sql.param(col("vneidLevel"))}::smallint[],
      ${sql.param(rows.map((r) => nameSortKey(r.fullName)))}::text[])
      as u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16)`);
}

/**
 * Updates many residents in one statement (an import's changed rows): every value of each row,
 * passed as one array per column like `insertResidentRows`.
 */
export async function updateResidentRows(
  db: Db,
  rows: { id: number; values: Omit<ResidentValues, "communeId"> }[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof Omit<ResidentValues, "communeId">>(k: K) => rows.map((r) => r.values[k]);
  const groups = rows.map((r) => `{${r.values.groups.join(",")}}`);
  await db.execute(sql`
    update residents r set village_id = u.c2, household_id = u.c3, full_name = u.c4, name_search = u.c5,
      birth_date = u.c6, birth_year_only = u.c7, gender = u.c8, citizen_id = u.c9, phone = u.c10,
      status = u.c11, groups = u.c12::text[], unit_id = u.c13, disabled = u.c14, vneid_level = u.c15,
      name_sort = u.c16, updated_at = ${now().toISOString()}::timestamptz
    from unnest(${sql.param(rows.map((r) => r.id))}::integer[], ${sql.param(col("villageId"))}::integer[], ${sql.param(col("householdId"))}::integer[],
      ${sql.param(col("fullName"))}::text[], ${sql.param(col("nameSearch"))}::text[], ${sql.param(col("birthDate"))}::date[], ${sql.param(col("birthYearOnly"))}::boolean[],
      ${sql.param(col("gender"))}::text[], ${sql.param(col("citizenId"))}::text[], ${sql.param(col("phone"))}::text[], ${sql.param(col("status"))}::text[],
      ${sql.param(groups)}::text[], ${sql.param(col("unitId"))}::integer[], ${sql.param(col("disabled"))}::boolean[], ${sql.param(col("vneidLevel"))}::smallint[],
      ${sql.param(rows.map((r) => nameSortKey(r.values.fullName)))}::text[])
      as u(id, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16)
    where r.id = u.id`);
}

export async function updateResidentRow(db: Db, id: number, values: Partial<ResidentValues>) {
  await rowKit.updateRowById(db, residents, id, values);
}

/** Residents by id (the rows an import compares against). */
export async function findResidentsByIds(db: Db, ids: number[]): Promise<ResidentRow[]> {
  return findResidentsWhereAny(db, residents.id, ids, "integer");
}

/** The highest resident id so far (0 without residents), and whether the commune has any. */
export async function residentsOnRecord(db: Db, communeId: number): Promise<{ upTo: number; any: boolean }> {
  const [row] = await db
    .select({
      upTo: sql<number>`coalesce(max(${residents.id}), 0)::int`,
      any: sql<boolean>`exists (select 1 from residents where commune_id = ${communeId})`,
    })
    .from(residents);
  return { upTo: row?.upTo ?? 0, any: !!row?.any };
}

/** The commune's residents with id up to `upTo` that have one of these citizen IDs (unique index). */
export async function findResidentsByCitizenIdsUpTo(
  db: Db,
  opts: { communeId: number; upTo: number; citizenIds: string[] },
): Promise<ResidentRow[]> {
  if (opts.citizenIds.length === 0) return [];
  return db
    .select(residentColumns)
    .from(residents)
    .where(
      and(
        sql`${residents.citizenId} = any(${sql.param(opts.citizenIds)}::text[])`,
        eq(residents.communeId, opts.communeId),
        lte(residents.id, opts.upTo),
      ),
    );
}

/**
 * The commune's residents with id up to `upTo` that have one of these household + full name +
 * birth date keys (through the household index).
 */
export async function findResidentsByHouseholdKeys(
  db: Db,
  opts: {
    communeId: number;
    upTo: number;
    keys: { householdId: number; fullName: string; birthDate: string }[];
  },
): Promise<ResidentRow[]> {
  if (opts.keys.length === 0) return [];
  const col = <K extends "householdId" | "fullName" | "birthDate">(k: K) =>
    sql.param(opts.keys.map((x) => x[k]));
  return db
    .select(residentColumns)
    .from(residents)
    .where(
      and(
        sql`${residents.householdId} = any(${col("householdId")}::integer[])`,
        sql`(${residents.householdId}, ${residents.fullName}, ${residents.birthDate}) in (
          select * from unnest(${col("householdId")}::integer[], ${col("fullName")}::text[], ${col("birthDate")}::date[]))`,
        eq(residents.communeId, opts.communeId),
        lte(residents.id, opts.upTo),
      ),
    );
}

/** What certification imports need to find a resident: every resident of the commune, briefly. */
export async function listResidentKeysOfCommune(db: Db, communeId: number, who = { workersOnly: false }) {
  return db
    .select(
      rowKit.columnsOf(residents, "id", "citizenId", "fullName", "birthDate", "villageId", "householdId"),
    )
    .from(residents)
    .where(
      who.workersOnly
        ? sql`${eq(residents.communeId, communeId)} and ${residents.id} in ${workerResidents(communeId)}`
        : eq(residents.communeId, communeId),
    );
}

// --- reading, in a viewer's scope ----------------------------------------------

/** A resident with the codes and names of what it refers to, as pages and the API show it. */
export type ResidentListRow = ResidentRow & {
  villageCode: string;
  villageName: string;
  householdCode: string;
  unitCode: string | null;
  unitName: string | null;
  /** Whether the household is poor or near-poor (a visit list's priority). */
  poor: boolean;
  /** The first basic-skills (or vneid) certification's date and the first vneid one's (`resident_facts`). */
  firstSkill: string | null;
  firstVneid: string | null;
};

const listColumns = {
  ...residentColumns,
  villageCode: villages.code,
  villageName: villages.name,
  householdCode: households.code,
  unitCode: units.code,
  unitName: units.name,
  poor: households.poor,
  ...rowKit.columnsOf(residentFacts, "firstSkill", "firstVneid"),
};

export type ResidentFilter = {
  villageId?: number | undefined;
  unitId?: number | undefined;
  householdId?: number | undefined;
  group?: string | undefined;
  status?: string | undefined;
  /** Folded search text (name), or digits (start of a citizen ID, when the viewer may search by it). */
  q?: string | undefined;
  qCitizenId?: boolean;
};

/** Residents of a scope: the whole commune, some villages, a school's students, every commune (province). */
export const residentsInScope = (scope: Scope): SQL | undefined =>
  scopeWhere(scope, {
    commune: residents.communeId,
    village: residents.villageId,
    resident: residents.id,
    unit: residents.unitId,
  });

function filterWhere(scope: Scope, f: ResidentFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [residentsInScope(scope)];
  if (f.villageId !== undefined) conds.push(eq(residents.villageId, f.villageId));
  if (f.unitId !== undefined) conds.push(eq(residents.unitId, f.unitId));
  if (f.householdId !== undefined) conds.push(eq(residents.householdId, f.householdId));
  if (f.group) conds.push(sql`${f.group} = any(${residents.groups})`);
  if (f.status) conds.push(sql`${residents.status} = ${f.status}`);
  if (f.q) conds.push(residentSearchWhere(f.q, f.qCitizenId));
  return and(...conds);
}

/**
 * Residents whose folded name contains `q`, or, when the viewer may search by it and `q` is digits,
 * whose citizen ID starts with it (the residents list and the certifications list alike).
 */
export function residentSearchWhere(q: string, byCitizenId: boolean | undefined): SQL | undefined {
  const pattern = rowKit.containsPattern(q);
  // `name_search` and `q` are both folded (lower case, no diacritics): `like`, which costs about a
  // third of `ilike` on every row a search reads.
  return byCitizenId && /^\d{3,12}$/.test(q)
    ? or(like(residents.nameSearch, pattern), like(residents.citizenId, `${q}%`))
    : like(residents.nameSearch, pattern);
}

/** Whether a search's text holds a trigram (three characters without a space) for 0024's index. */
const searchesByTrigram = (f: ResidentFilter) => f.q !== undefined && /[^ ]{3}/.test(f.q);

/** Vietnamese name order (Intl.Collator('vi')): the given name (last word) first, then the whole name (SPEC §4). */
const nameOrder = [residents.nameSort, residents.id];

/** The ids a list or search matches, in name order (the page is cut by the caller). */
function idsInNameOrder(db: Db, scope: Scope, filter: ResidentFilter) {
  const where = filterWhere(scope, filter);
  // The list, or a search too short for a trigram (most names match it): the name-order index.
  if (!searchesByTrigram(filter))
    return db
      .select({ id: residents.id })
      .from(residents)
      .where(where)
      .orderBy(...nameOrder);
  // A search with a trigram: its matches first (0024's index), then those in name order. `offset 0`
  // keeps the planner from reading the name order until a page is full instead, which for a name
  // late in that order reads most of the commune. (Raw: drizzle leaves out an offset of 0.)
  const matches = sql`(select ${residents.id} as id, ${residents.nameSort} as name_sort
    from ${residents} where ${where} offset 0) as matches`;
  return db
    .select({ id: sql<number>`matches.id`.as("id") })
    .from(matches)
    .orderBy(sql`matches.name_sort`, sql`matches.id`);
}

/** A page of residents of a scope; `count` gives the total (the caller may know it already). */
export async function listResidentRows(
  db: Db,
  scope: Scope,
  filter: ResidentFilter,
  page: rowKit.Page,
  /** Counts the whole match; undefined: no count (`total` null). */
  count?: (db: Db, scope: Scope, filter: ResidentFilter) => Promise<number>,
): Promise<{ items: ResidentListRow[]; total: number | null }> {
  // The page's ids first, on `residents` alone (the rows skipped by the offset are never joined),
  // then the page's rows with their village, household, unit and facts.
  const pageIds = idsInNameOrder(db, scope, filter).limit(page.limit).offset(page.offset).as("page_ids");
  const items = await records
    .select(db)
    .innerJoin(pageIds, sql`page_ids.id = ${residents.id}`)
    .orderBy(...nameOrder);
  return { items, total: count ? await count(db, scope, filter) : null };
}

export async function countResidentRows(db: Db, scope: Scope, filter: ResidentFilter): Promise<number> {
  return rowKit.countRows(db, residents, filterWhere(scope, filter));
}

/** The residents a list shows and a record page opens, with their village, household, unit and facts. */
const records = rowKit.scopedRecords({
  select: (db: Db) =>
    db
      .select(listColumns)
      .from(residents)
      .innerJoin(villages, eq(villages.id, residents.villageId))
      .innerJoin(households, eq(households.id, residents.householdId))
      .leftJoin(units, eq(units.id, residents.unitId))
      .leftJoin(residentFacts, eq(residentFacts.residentId, residents.id))
      .$dynamic(),
  id: residents.id,
  scope: residentsInScope,
});

/** One resident, if they lie in the viewer's scope. */
export const findResidentRow = records.find;

export async function insertResidentRow(db: Db, values: ResidentValues): Promise<number> {
  return rowKit.insertRowId(db, residents, values);
}

/** Residents by id in the viewer's scope, in the order of `ids` (a page ordered elsewhere). */
export async function findResidentRowsByIds(db: Db, scope: Scope, ids: number[]): Promise<ResidentListRow[]> {
  if (ids.length === 0) return [];
  const found = await records
    .select(db)
    .where(and(sql`${residents.id} = any(${sql.param(ids)}::integer[])`, residentsInScope(scope)));
  const byId = new Map(found.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
