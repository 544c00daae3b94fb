import { checkUnitRow } from "../../units/check.ts";
import { insertUnitRows, listUnitsOfCommune, type UnitRow, updateUnitRow } from "../../units/repo.ts";
import { byCodeKind } from "./by-code.ts";

export const unitsKind = byCodeKind<{ code: string; name: string; type: UnitRow["type"] }, UnitRow>({
  name: "units",
  permission: "unit.create",
  columns: [
    { key: "code", aliases: ["Mã đơn vị", "Mã", "Unit code"], required: true },
    { key: "name", aliases: ["Tên đơn vị", "Tên", "Đơn vị", "Unit", "Unit name"], required: true },
    { key: "type", aliases: ["Loại", "Loại đơn vị", "Unit type"], required: true },
  ],
  loadRows: listUnitsOfCommune,
  check: (get) => checkUnitRow(get),
  update: (db, id, r) => updateUnitRow(db, id, { name: r.name, type: r.type }),
  insert: insertUnitRows,
});
