import { checkHouseholdRow } from "../../households/check.ts";
import {
  type HouseholdRow,
  insertHouseholdRows,
  listAllHouseholdsOfCommune,
  updateHouseholdRow,
} from "../../households/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import { byCodeKind, mapByCode } from "./by-code.ts";

type Row = {
  code: string;
  villageId: number;
  headName: string | null;
  address: string | null;
  poor: boolean;
};

export const householdsKind = byCodeKind<Row, HouseholdRow, Map<string, VillageRow>>({
  name: "households",
  permission: "household.create",
  columns: [
    { key: "code", aliases: ["Mã hộ", "Mã hộ gia đình", "Số hộ", "Household code"], required: true },
    { key: "village", aliases: ["Thôn", "Mã thôn", "Village"], required: true },
    { key: "head_name", aliases: ["Chủ hộ", "Họ tên chủ hộ", "Tên chủ hộ", "Head of household"] },
    { key: "address", aliases: ["Địa chỉ", "Address"] },
    { key: "poor", aliases: ["Hộ nghèo", "Hộ nghèo/cận nghèo", "Nghèo", "Poor"] },
  ],
  loadRefs: async (db, communeId) => mapByCode(await listAllVillagesOfCommune(db, communeId)),
  loadRows: listAllHouseholdsOfCommune,
  check: (get, villages) => checkHouseholdRow(get, (x) => villages.get(x)),
  update: updateHouseholdRow,
  insert: insertHouseholdRows,
});
