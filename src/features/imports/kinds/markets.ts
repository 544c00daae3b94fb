import { checkMarketRow, MARKET_COLUMNS, type MarketInput } from "../../markets/check.ts";
import {
  insertMarketRows,
  listMarketsOfCommune,
  type MarketRow,
  updateMarketRow,
} from "../../markets/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import { byCodeKind, mapByCode } from "./by-code.ts";

/** Markets ("Chợ số – Nông thôn số", issue 19.3): by code, the village by code. */
export const marketsKind = byCodeKind<MarketInput, MarketRow, Map<string, VillageRow>>({
  name: "markets",
  permission: "market.update",
  columns: MARKET_COLUMNS,
  loadRefs: async (db, communeId) => mapByCode(await listAllVillagesOfCommune(db, communeId)),
  loadRows: listMarketsOfCommune,
  check: (get, villages) => checkMarketRow(get, (x) => villages.get(x)),
  update: updateMarketRow,
  insert: insertMarketRows,
});
