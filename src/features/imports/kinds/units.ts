import { checkUnitRow } from "../../units/check.ts";
import { insertUnitRows, listUnitsOfCommune, type UnitRow, updateUnitRow } from "../../units/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow, upsertByCode } from "./by-code.ts";

type Row = { code: string; name: string; type: UnitRow["type"] };
type Context = { byCode: Map<string, UnitRow>; seen: Map<string, number> };

export const unitsKind: ImportKind<Row, Context> = {
  name: "units",
  permission: "unit.create",
  columns: [
    { key: "code", aliases: ["Mã đơn vị", "Mã", "Unit code"], required: true },
    { key: "name", aliases: ["Tên đơn vị", "Tên", "Đơn vị", "Unit", "Unit name"], required: true },
    { key: "type", aliases: ["Loại", "Loại đơn vị", "Unit type"], required: true },
  ],
  async load(db, communeId) {
    const rows = await listUnitsOfCommune(db, communeId);
    return { byCode: new Map(rows.map((u) => [u.code, u])), seen: new Map() };
  },
  parse(get, ctx, rowNumber) {
    const { checker: c, code, value } = checkUnitRow(get);
    if (code !== undefined) noteFirstRow(ctx.seen, code, rowNumber, c, "code");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  write(db, communeId, rows, ctx) {
    return upsertByCode(rows, ctx.byCode, {
      update: (existing, r) => updateUnitRow(db, existing.id, { name: r.name, type: r.type }),
      insert: (fresh) =>
        insertUnitRows(
          db,
          fresh.map((r) => ({ communeId, ...r })),
        ),
    });
  },
};
