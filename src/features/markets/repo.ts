import { and, asc, count, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { households, markets, residents, vendors, villages } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Scope } from "../auth/policy.ts";
import type { MarketInput, OwnerCandidate, VendorInput } from "./check.ts";

export type MarketRow = MarketInput & { id: number; communeId: number };
export type VendorValues = VendorInput & { id: number; communeId: number };

const marketColumns = rowKit.columnsOf(markets, "id", "communeId", "code", "name", "villageId", "kind");

const vendorColumns = {
  ...rowKit.columnsOf(vendors, "id", "communeId", "marketId", "stall", "ownerName", "residentId"),
  ...rowKit.columnsOf(vendors, "householdId", "goods", "payments", "channels"),
};

// --- the whole commune (imports, checks) ------------------------------------------------

export async function listMarketsOfCommune(db: Db, communeId: number): Promise<MarketRow[]> {
  return (await db
    .select(marketColumns)
    .from(markets)
    .where(eq(markets.communeId, communeId))
    .orderBy(asc(markets.code))) as MarketRow[];
}

export async function findMarketByCode(db: Db, communeId: number, code: string) {
  return (await rowKit.findRowBy(db, markets, marketColumns, { communeId, code })) as MarketRow | undefined;
}

export async function insertMarketRows(
  db: Db,
  rows: (MarketInput & { communeId: number })[],
): Promise<MarketRow[]> {
  if (rows.length === 0) return [];
  return (await db.insert(markets).values(rows).returning(marketColumns)) as MarketRow[];
}

export async function updateMarketRow(db: Db, id: number, values: MarketInput): Promise<void> {
  await rowKit.updateRowById(db, markets, id, values);
}

export async function listVendorValuesOfCommune(db: Db, communeId: number): Promise<VendorValues[]> {
  return (await db
    .select(vendorColumns)
    .from(vendors)
    .where(eq(vendors.communeId, communeId))) as VendorValues[];
}

export async function insertVendorRows(
  db: Db,
  rows: (VendorInput & { communeId: number })[],
): Promise<VendorValues[]> {
  if (rows.length === 0) return [];
  return (await db.insert(vendors).values(rows).returning(vendorColumns)) as VendorValues[];
}

export async function updateVendorRow(db: Db, id: number, values: VendorInput): Promise<void> {
  await rowKit.updateRowById(db, vendors, id, values);
}

/** What a vendor's owner may be linked to in a commune: its residents (by citizen ID, by household) and households. */
export async function loadOwnerRefs(
  db: Db,
  communeId: number,
): Promise<{
  residents: (OwnerCandidate & { citizenId: string | null })[];
  households: { id: number; code: string }[];
}> {
  const r = await db
    .select(rowKit.columnsOf(residents, "id", "householdId", "fullName", "citizenId"))
    .from(residents)
    .where(eq(residents.communeId, communeId));
  const h = await db
    .select({ id: households.id, code: households.code })
    .from(households)
    .where(eq(households.communeId, communeId));
  return { residents: r, households: h };
}

/** What an owner candidate shows of a resident. */
const ownerColumns = rowKit.columnsOf(residents, "id", "householdId", "fullName");

/** One owner candidate by citizen ID, in the commune. */
export function findOwnerByCitizenId(db: Db, communeId: number, citizenId: string) {
  return rowKit.findRowBy(db, residents, ownerColumns, { communeId, citizenId });
}

export function findHouseholdByCodeIn(db: Db, communeId: number, code: string) {
  return rowKit.findRowBy(db, households, { id: households.id, code: households.code }, { communeId, code });
}

export async function findHouseholdCode(db: Db, id: number): Promise<string | undefined> {
  const [row] = await db.select({ code: households.code }).from(households).where(eq(households.id, id));
  return row?.code;
}

export async function listHouseholdMembers(db: Db, householdId: number): Promise<OwnerCandidate[]> {
  return db.select(ownerColumns).from(residents).where(eq(residents.householdId, householdId));
}

// --- in a viewer's scope ----------------------------------------------------------------

const marketScope = (scope: Scope) => scopeWhere(scope, { commune: markets.communeId });
const vendorScope = (scope: Scope) => scopeWhere(scope, { commune: vendors.communeId });

export type MarketListRow = MarketRow & {
  villageCode: string;
  villageName: string;
  vendors: number;
  cashless: number;
};

const cashless =
  sql<number>`count(${vendors.id}) filter (where cardinality(${vendors.payments}) > 0)`.mapWith(Number);

/** The markets a list shows and a record page opens, with their village and vendor figures. */
const marketRecords = rowKit.scopedRecords({
  select: (db: Db) =>
    db
      .select({
        ...marketColumns,
        villageCode: villages.code,
        villageName: villages.name,
        vendors: count(vendors.id),
        cashless,
      })
      .from(markets)
      .innerJoin(villages, eq(villages.id, markets.villageId))
      .leftJoin(vendors, eq(vendors.marketId, markets.id))
      .groupBy(markets.id, villages.id)
      .$dynamic(),
  id: markets.id,
  scope: marketScope,
});

/** Markets in scope, each with its vendors and those taking cashless payment, by code. */
export async function listMarketRows(
  db: Db,
  scope: Scope,
  filter: { q?: string | undefined; kind?: MarketRow["kind"] | undefined; villageId?: number | undefined },
): Promise<MarketListRow[]> {
  const conds: (SQL | undefined)[] = [marketScope(scope)];
  if (filter.kind) conds.push(eq(markets.kind, filter.kind));
  if (filter.villageId) conds.push(eq(markets.villageId, filter.villageId));
  if (filter.q) {
    const like = rowKit.containsPattern(filter.q);
    conds.push(or(ilike(markets.code, like), ilike(markets.name, like)));
  }
  return (await marketRecords
    .select(db)
    .where(and(...conds))
    .orderBy(asc(markets.communeId), asc(markets.code))) as MarketListRow[];
}

export async function findMarketRow(db: Db, scope: Scope, id: number): Promise<MarketListRow | undefined> {
  return (await marketRecords.find(db, scope, id)) as MarketListRow | undefined;
}

export type VendorListRow = VendorValues & {
  marketCode: string;
  marketName: string;
  householdCode: string | null;
  citizenId: string | null;
};

export type VendorFilter = {
  marketId?: number | undefined;
  q?: string | undefined;
  payment?: string | undefined;
  channel?: string | undefined;
  cashless?: "yes" | "no" | undefined;
};

function vendorConds(scope: Scope, filter: VendorFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [vendorScope(scope)];
  if (filter.marketId) conds.push(eq(vendors.marketId, filter.marketId));
  if (filter.payment) conds.push(sql`${filter.payment} = any(${vendors.payments})`);
  if (filter.channel) conds.push(sql`${filter.channel} = any(${vendors.channels})`);
  if (filter.cashless === "yes") conds.push(sql`cardinality(${vendors.payments}) > 0`);
  if (filter.cashless === "no") conds.push(sql`cardinality(${vendors.payments}) = 0`);
  if (filter.q) {
    const like = rowKit.containsPattern(filter.q);
    conds.push(or(ilike(vendors.stall, like), ilike(vendors.ownerName, like), ilike(vendors.goods, like)));
  }
  return and(...conds);
}

const vendorListColumns = {
  ...vendorColumns,
  marketCode: markets.code,
  marketName: markets.name,
  householdCode: households.code,
  citizenId: residents.citizenId,
};

/** The vendors a list shows, a record page opens and an export walks, with their market and owner's keys. */
const vendorRecords = rowKit.scopedRecords({
  select: (db: Db) =>
    db
      .select(vendorListColumns)
      .from(vendors)
      .innerJoin(markets, eq(markets.id, vendors.marketId))
      .leftJoin(households, eq(households.id, vendors.householdId))
      .leftJoin(residents, eq(residents.id, vendors.residentId))
      .$dynamic(),
  id: vendors.id,
  scope: vendorScope,
});

export const listVendorRows = rowKit.pagedList<Scope, VendorFilter, VendorListRow>({
  where: vendorConds,
  rows: (db, where) =>
    vendorRecords
      .select(db)
      .where(where)
      .orderBy(asc(markets.code), asc(vendors.stall), asc(vendors.id)) as rowKit.Pageable<VendorListRow>,
  counted: { table: vendors },
});

export async function findVendorRow(db: Db, scope: Scope, id: number): Promise<VendorListRow | undefined> {
  return (await vendorRecords.find(db, scope, id)) as VendorListRow | undefined;
}

/** Vendors by id order, one page, for exports. */
export async function listVendorExportPage(
  db: Db,
  scope: Scope,
  page: { afterId: number; limit: number },
): Promise<VendorListRow[]> {
  return (await vendorRecords
    .select(db)
    .where(and(sql`${vendors.id} > ${page.afterId}`, vendorScope(scope)))
    .orderBy(asc(vendors.id))
    .limit(page.limit)) as VendorListRow[];
}

/** A commune's figures by market: vendors, and those accepting a cashless payment. */
export async function marketFigureRows(
  db: Db,
  communeId: number,
): Promise<{ id: number; code: string; name: string; vendors: number; cashless: number }[]> {
  return db
    .select({ id: markets.id, code: markets.code, name: markets.name, vendors: count(vendors.id), cashless })
    .from(markets)
    .leftJoin(vendors, eq(vendors.marketId, markets.id))
    .where(eq(markets.communeId, communeId))
    .groupBy(markets.id)
    .orderBy(asc(markets.code));
}

export async function findVendorIdByStall(
  db: Db,
  marketId: number,
  stall: string,
): Promise<number | undefined> {
  return (await rowKit.findRowBy(db, vendors, { id: vendors.id }, { marketId, stall }))?.id;
}
