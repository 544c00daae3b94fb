import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import {
  checkVendorRow,
  type OwnerCandidate,
  VENDOR_COLUMNS,
  type VendorInput,
  type VendorRefs,
} from "../../markets/check.ts";
import {
  insertVendorRows,
  listMarketsOfCommune,
  listVendorValuesOfCommune,
  loadOwnerRefs,
  updateVendorRow,
  type VendorValues,
} from "../../markets/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Context = { refs: VendorRefs; byKey: Map<string, VendorValues>; seen: Map<string, number> };

const keyOf = (r: { marketId: number; stall: string }) => `${r.marketId}|${r.stall}`;

/**
 * Vendors of the commune's markets (issue 19.3): by market + stall; the owner linked to a resident
 * (by citizen ID) or a household (by code, and a member by name) of the commune where known.
 */
export const vendorsKind: ImportKind<VendorInput, Context> = {
  name: "vendors",
  permission: "market.update",
  columns: VENDOR_COLUMNS,
  batchSize: 500,
  async load(db, communeId) {
    const markets = new Map((await listMarketsOfCommune(db, communeId)).map((m) => [m.code, m]));
    const owners = await loadOwnerRefs(db, communeId);
    const byCitizenId = new Map<string, OwnerCandidate>();
    const members = new Map<number, OwnerCandidate[]>();
    for (const r of owners.residents) {
      if (r.citizenId) byCitizenId.set(r.citizenId, r);
      const list = members.get(r.householdId) ?? [];
      list.push(r);
      members.set(r.householdId, list);
    }
    const householdByCode = new Map(owners.households.map((h) => [h.code, h]));
    const codeById = new Map(owners.households.map((h) => [h.id, h.code]));
    const refs: VendorRefs = {
      market: (code) => markets.get(code),
      residentByCitizenId: (id) => byCitizenId.get(id),
      household: (code) => householdByCode.get(code),
      householdCodeOf: (id) => codeById.get(id),
      membersOf: (id) => members.get(id) ?? [],
    };
    const existing = await listVendorValuesOfCommune(db, communeId);
    return { refs, byKey: new Map(existing.map((v) => [keyOf(v), v])), seen: new Map() };
  },
  parse(get, ctx, rowNumber) {
    const { checker: c, key, value } = checkVendorRow(get, ctx.refs);
    if (key !== undefined) noteFirstRow(ctx.seen, key, rowNumber, c, "stall");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  async write(db, communeId, rows, ctx) {
    const counts = emptyCounts();
    const fresh: VendorInput[] = [];
    for (const r of rows) {
      const existing = ctx.byKey.get(keyOf(r));
      if (!existing) fresh.push(r);
      else if (sameValues(existing as unknown as Record<string, unknown>, r)) counts.unchanged++;
      else {
        await updateVendorRow(db, existing.id, r);
        ctx.byKey.set(keyOf(r), { ...existing, ...r });
        counts.updated++;
      }
    }
    for (const v of await insertVendorRows(
      db,
      fresh.map((r) => ({ communeId, ...r })),
    ))
      ctx.byKey.set(keyOf(v), v);
    counts.inserted += fresh.length;
    return counts;
  },
};
