import type { Db } from "../../db/client.ts";
import { knownByVersion, type Versions } from "../../db/data-version.ts";
import { msg, notFound } from "../../lib/errors.ts";
import { foldKey } from "../../lib/text.ts";
import type { Cell } from "../../lib/values.ts";
import type { Viewer } from "../auth/viewer.ts";
import * as kit from "../service-kit.ts";
import { listAllVillagesOfCommune } from "../villages/repo.ts";
import {
  checkMarketRow,
  checkVendorRow,
  type MarketInput,
  type VendorInput,
  type VendorRefs,
} from "./check.ts";
import {
  findHouseholdByCodeIn,
  findHouseholdCode,
  findMarketByCode,
  findMarketRow,
  findOwnerByCitizenId,
  findVendorIdByStall,
  findVendorRow,
  insertMarketRows,
  insertVendorRows,
  listHouseholdMembers,
  listMarketRows,
  listMarketsOfCommune,
  listVendorRows,
  type MarketListRow,
  marketFigureRows,
  updateMarketRow,
  updateVendorRow,
  type VendorFilter,
  type VendorListRow,
} from "./repo.ts";
import { MARKET_KINDS, type MarketKind, PAYMENT_METHODS, SALES_CHANNELS } from "./values.ts";

// --- presenters -------------------------------------------------------------------------

/** A market as pages and the API show it. */
export type MarketItem = {
  id: number;
  code: string;
  name: string;
  kind: MarketKind;
  village: { id: number; code: string; name: string };
  vendors: number;
  cashless: number;
};

export function presentMarket(r: MarketListRow): MarketItem {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    village: { id: r.villageId, code: r.villageCode, name: r.villageName },
    vendors: r.vendors,
    cashless: r.cashless,
  };
}

/**
 * A vendor as pages and the API show it: the owner's name as the stall gives it, and which resident
 * and household it is linked to (ids and the household's code) — never the resident's citizen ID.
 */
export type VendorItem = {
  id: number;
  market: { id: number; code: string; name: string };
  stall: string;
  ownerName: string;
  residentId: number | null;
  household: { id: number; code: string } | null;
  goods: string | null;
  payments: VendorInput["payments"];
  channels: VendorInput["channels"];
  cashless: boolean;
};

export function presentVendor(r: VendorListRow): VendorItem {
  return {
    id: r.id,
    market: { id: r.marketId, code: r.marketCode, name: r.marketName },
    stall: r.stall,
    ownerName: r.ownerName,
    residentId: r.residentId,
    household:
      r.householdId !== null && r.householdCode !== null
        ? { id: r.householdId, code: r.householdCode }
        : null,
    goods: r.goods,
    payments: r.payments as VendorItem["payments"],
    channels: r.channels as VendorItem["channels"],
    cashless: r.payments.length > 0,
  };
}

// --- reading ----------------------------------------------------------------------------

export type MarketQuery = { q?: string | undefined; kind?: string | undefined; village?: string | undefined };

export async function listMarkets(opts: {
  db: Db;
  viewer: Viewer;
  query: MarketQuery;
}): Promise<MarketItem[]> {
  const kind = MARKET_KINDS.find((k) => k === opts.query.kind);
  const villageId = Number(opts.query.village) || undefined;
  const rows = await listMarketRows(opts.db, opts.viewer.scope, {
    q: opts.query.q?.trim() || undefined,
    kind,
    villageId,
  });
  return rows.map(presentMarket);
}

export async function getMarket(opts: kit.RecordRead): Promise<MarketItem> {
  const row = await findMarketRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return presentMarket(row);
}

export type VendorQuery = {
  market?: string | undefined;
  q?: string | undefined;
  payment?: string | undefined;
  channel?: string | undefined;
  cashless?: string | undefined;
};

export async function listVendors(
  opts: kit.ListRead & { query: VendorQuery },
): Promise<kit.ListPage<VendorItem>> {
  const q = opts.query;
  const filter: VendorFilter = {
    marketId: Number(q.market) || undefined,
    q: q.q?.trim() || undefined,
    payment: PAYMENT_METHODS.find((p) => p === q.payment),
    channel: SALES_CHANNELS.find((c) => c === q.channel),
    cashless: q.cashless === "yes" || q.cashless === "no" ? q.cashless : undefined,
  };
  return kit.scopedPage(opts, listVendorRows, filter, presentVendor);
}

export async function getVendor(opts: kit.RecordRead): Promise<VendorItem> {
  const row = await findVendorRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return presentVendor(row);
}

// --- writing ----------------------------------------------------------------------------

/** Markets and vendors are the commune's records: written by a commune-wide viewer, in its own commune. */
function communeOf(viewer: Viewer): number {
  if (viewer.scope.kind !== "commune") throw notFound();
  return viewer.communeId;
}

async function checkedMarket(
  db: Db,
  communeId: number,
  input: Record<string, Cell>,
  selfId?: number,
): Promise<MarketInput> {
  const villages = new Map((await listAllVillagesOfCommune(db, communeId)).map((v) => [v.code, v]));
  const { checker, code, value } = checkMarketRow(
    (k) => input[k] ?? null,
    (c) => villages.get(c),
  );
  if (code !== undefined) {
    const other = await findMarketByCode(db, communeId, code);
    if (other && other.id !== selfId) checker.fail("code", msg("markets.code_taken", { code }));
  }
  return kit.checkedValue(checker, value);
}

/**
 * Adds one record to the viewer's commune in one transaction: `check` turns the input into its
 * values (a validation error otherwise), `insert` stores them, the audit event keeps them; its id.
 */
async function insertAudited<V>(
  opts: kit.InputWrite,
  action: `${string}.create`,
  check: (tx: Db, communeId: number, input: Record<string, Cell>) => Promise<V>,
  insert: (tx: Db, rows: (V & { communeId: number })[]) => Promise<{ id: number }[]>,
): Promise<number> {
  const communeId = communeOf(opts.viewer);
  return opts.db.transaction(async (tx) => {
    const value = await check(tx, communeId, opts.input);
    const [row] = await insert(tx, [{ communeId, ...value }]);
    await kit.auditChange(tx, opts.actor, { action, entityId: row!.id, after: value });
    return row!.id;
  });
}

export async function createMarket(opts: kit.InputWrite): Promise<MarketItem> {
  const id = await insertAudited(opts, "market.create", checkedMarket, insertMarketRows);
  return getMarket({ db: opts.db, viewer: opts.viewer, id });
}

export async function updateMarket(opts: kit.RecordInputWrite): Promise<MarketItem> {
  const communeId = communeOf(opts.viewer);
  await opts.db.transaction(async (tx) => {
    const row = await findMarketRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    const stored = { code: row.code, name: row.name, village: row.villageCode, kind: row.kind };
    const value = await checkedMarket(tx, communeId, { ...stored, ...opts.input }, row.id);
    await updateMarketRow(tx, row.id, value);
    await kit.auditChange(tx, opts.actor, {
      action: "market.update",
      entityId: row.id,
      before: { code: row.code, name: row.name, villageId: row.villageId, kind: row.kind },
      after: value,
    });
  });
  return getMarket({ db: opts.db, viewer: opts.viewer, id: opts.id });
}

/** The references of one vendor row, looked up in the viewer's commune (what an import preloads). */
async function vendorRefs(
  db: Db,
  communeId: number,
): Promise<VendorRefs & { ready(input: Record<string, Cell>): Promise<void> }> {
  const markets = new Map((await listMarketsOfCommune(db, communeId)).map((m) => [m.code, m]));
  let byCitizenId: Awaited<ReturnType<typeof findOwnerByCitizenId>>;
  let household: { id: number; code: string } | undefined;
  let members: Awaited<ReturnType<typeof listHouseholdMembers>> = [];
  let otherCode: string | undefined;
  const text = (v: Cell) => (v === null || v === undefined ? "" : String(v).replace(/[\s.-]/g, ""));
  return {
    async ready(input) {
      const cid = text(input.citizen_id);
      byCitizenId = /^\d{12}$/.test(cid) ? await findOwnerByCitizenId(db, communeId, cid) : undefined;
      const code = String(input.household ?? "").trim();
      household = code ? await findHouseholdByCodeIn(db, communeId, code) : undefined;
      members = household ? await listHouseholdMembers(db, household.id) : [];
      otherCode = byCitizenId ? await findHouseholdCode(db, byCitizenId.householdId) : undefined;
    },
    market: (code) => markets.get(code),
    residentByCitizenId: () => byCitizenId,
    household: () => household,
    householdCodeOf: () => otherCode,
    membersOf: () => members,
  };
}

async function checkedVendor(
  db: Db,
  communeId: number,
  input: Record<string, Cell>,
  self?: VendorListRow,
): Promise<VendorInput> {
  const refs = await vendorRefs(db, communeId);
  await refs.ready(input);
  const { checker, value } = checkVendorRow((k) => input[k] ?? null, refs);
  if (value) {
    const taken = await findVendorIdByStall(db, value.marketId, value.stall);
    if (taken !== undefined && taken !== self?.id)
      checker.fail("stall", msg("markets.stall_taken", { stall: value.stall }));
    // An edit that gives no citizen ID keeps the resident linked before, while the owner and household stay.
    if (
      self?.residentId &&
      value.residentId === null &&
      value.householdId === self.householdId &&
      foldKey(value.ownerName) === foldKey(self.ownerName)
    )
      value.residentId = self.residentId;
  }
  return kit.checkedValue(checker, value);
}

export async function createVendor(opts: kit.InputWrite): Promise<VendorItem> {
  const id = await insertAudited(opts, "vendor.create", checkedVendor, insertVendorRows);
  return getVendor({ db: opts.db, viewer: opts.viewer, id });
}

/** The stored vendor as column-key input (what an edit starts from). */
export function vendorInputOf(v: VendorItem): Record<string, Cell> {
  return {
    market: v.market.code,
    stall: v.stall,
    owner_name: v.ownerName,
    citizen_id: null,
    household: v.household?.code ?? null,
    goods: v.goods,
    payments: v.payments.join(";"),
    channels: v.channels.join(";"),
  };
}

export async function updateVendor(opts: kit.RecordInputWrite): Promise<VendorItem> {
  const communeId = communeOf(opts.viewer);
  await opts.db.transaction(async (tx) => {
    const row = await findVendorRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    const before = presentVendor(row);
    const value = await checkedVendor(tx, communeId, { ...vendorInputOf(before), ...opts.input }, row);
    await updateVendorRow(tx, row.id, value);
    await kit.auditChange(tx, opts.actor, {
      action: "vendor.update",
      entityId: row.id,
      before: {
        marketId: row.marketId,
        stall: row.stall,
        ownerName: row.ownerName,
        residentId: row.residentId,
        householdId: row.householdId,
        goods: row.goods,
        payments: row.payments,
        channels: row.channels,
      },
      after: value,
    });
  });
  return getVendor({ db: opts.db, viewer: opts.viewer, id: opts.id });
}

// --- the figures beside indicator 10 -------------------------------------------------------

export type MarketFigures = {
  markets: { id: number; code: string; name: string; vendors: number; cashless: number }[];
  total: { vendors: number; cashless: number };
};

/**
 * "Chợ số" beside indicator 10 (issue 19.3): vendors accepting a cashless payment (QR, bank
 * account, e-wallet) over vendors, by market and for the commune. The dashboard and the report
 * both take it from here.
 */
export async function marketFigures(opts: { db: Db; communeId: number }): Promise<MarketFigures> {
  const markets = await marketFigureRows(opts.db, opts.communeId);
  const total = markets.reduce(
    (t, m) => ({ vendors: t.vendors + m.vendors, cashless: t.cashless + m.cashless }),
    { vendors: 0, cashless: 0 },
  );
  return { markets, total };
}

/**
 * `marketFigures` for a page: kept by the markets' version (migration 0025), so a dashboard that
 * no market or vendor write has changed asks no statement for them. `versions`: the request's own.
 */
export async function knownMarketFigures(opts: {
  db: Db;
  communeId: number;
  versions?: Versions | undefined;
}): Promise<MarketFigures> {
  const { value } = await knownByVersion({
    db: opts.db,
    communeId: opts.communeId,
    key: "market-figures",
    families: ["markets"],
    ...(opts.versions ? { versions: opts.versions } : {}),
    compute: () => marketFigures(opts),
  });
  return value;
}
