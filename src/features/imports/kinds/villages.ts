import { checkVillageRow } from "../../villages/check.ts";
import {
  insertVillageRows,
  listAllVillagesOfCommune,
  updateVillageRow,
  type VillageRow,
} from "../../villages/repo.ts";
import { byCodeKind } from "./by-code.ts";

export const villagesKind = byCodeKind<{ code: string; name: string }, VillageRow>({
  name: "villages",
  permission: "village.create",
  columns: [
    { key: "code", aliases: ["Mã thôn", "Mã", "Mã thôn/xóm", "Village code"], required: true },
    { key: "name", aliases: ["Tên thôn", "Tên", "Thôn", "Village", "Village name"], required: true },
  ],
  loadRows: listAllVillagesOfCommune,
  check: (get) => checkVillageRow(get),
  update: (db, id, r) => updateVillageRow(db, id, { name: r.name }),
  insert: insertVillageRows,
});
