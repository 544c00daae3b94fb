import { checkMarketRow, MARKET_COLUMNS, type MarketInput } from "../../markets/check.ts";
import {
  insertMarketRows,
  listMarketsOfCommune,
  type MarketRow,
  updateMarketRow,
} from "../../markets/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow, upsertByCode } from "./by-code.ts";

type Context = {
  villages: Map<string, VillageRow>;
  byCode: Map<string, MarketRow>;
  seen: Map<string, number>;
};

/** Markets ("Chợ số – Nông thôn số", issue 19.3): by code, the village by code. */
export const marketsKind: ImportKind<MarketInput, Context> = {
  name: "markets",
  permission: "market.update",
  columns: MARKET_COLUMNS,
  async load(db, communeId) {
    const villages = await listAllVillagesOfCommune(db, communeId);
    const rows = await listMarketsOfCommune(db, communeId);
    return {
      villages: new Map(villages.map((v) => [v.code, v])),
      byCode: new Map(rows.map((m) => [m.code, m])),
      seen: new Map(),
    };
  },
  parse(get, ctx, rowNumber) {
    const { checker: c, code, value } = checkMarketRow(get, (x) => ctx.villages.get(x));
    if (code !== undefined) noteFirstRow(ctx.seen, code, rowNumber, c, "code");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  write(db, communeId, rows, ctx) {
    return upsertByCode(rows, ctx.byCode, {
      update: (existing, r) => updateMarketRow(db, existing.id, r),
      insert: (fresh) =>
        insertMarketRows(
          db,
          fresh.map((r) => ({ communeId, ...r })),
        ),
    });
  },
};
