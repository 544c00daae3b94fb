import { msg } from "../../../lib/errors.ts";
import { emptyCounts } from "../../../lib/row-checker.ts";
import { checkUnitRow } from "../../units/check.ts";
import { insertUnitRows, listUnitsOfCommune, type UnitRow, updateUnitRow } from "../../units/repo.ts";
import type { ImportKind } from "../types.ts";

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
    if (code !== undefined) {
      const first = ctx.seen.get(code);
      if (first !== undefined) c.fail("code", msg("import.duplicate_in_file", { row: first }));
      else ctx.seen.set(code, rowNumber);
    }
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  async write(db, communeId, rows, ctx) {
    const counts = emptyCounts();
    const fresh: Row[] = [];
    for (const r of rows) {
      const existing = ctx.byCode.get(r.code);
      if (!existing) fresh.push(r);
      else if (existing.name === r.name && existing.type === r.type) counts.unchanged++;
      else {
        await updateUnitRow(db, existing.id, { name: r.name, type: r.type });
        counts.updated++;
      }
    }
    for (const u of await insertUnitRows(
      db,
      fresh.map((r) => ({ communeId, ...r })),
    ))
      ctx.byCode.set(u.code, u);
    counts.inserted += fresh.length;
    return counts;
  },
};
