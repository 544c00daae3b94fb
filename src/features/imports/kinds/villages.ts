import { msg } from "../../../lib/errors.ts";
import { emptyCounts } from "../../../lib/row-checker.ts";
import { checkVillageRow } from "../../villages/check.ts";
import {
  insertVillageRows,
  listAllVillagesOfCommune,
  updateVillageRow,
  type VillageRow,
} from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";

type Row = { code: string; name: string };
type Context = { byCode: Map<string, VillageRow>; seen: Map<string, number> };

export const villagesKind: ImportKind<Row, Context> = {
  name: "villages",
  permission: "village.create",
  columns: [
    { key: "code", aliases: ["Mã thôn", "Mã", "Mã thôn/xóm", "Village code"], required: true },
    { key: "name", aliases: ["Tên thôn", "Tên", "Thôn", "Village", "Village name"], required: true },
  ],
  async load(db, communeId) {
    const rows = await listAllVillagesOfCommune(db, communeId);
    return { byCode: new Map(rows.map((v) => [v.code, v])), seen: new Map() };
  },
  parse(get, ctx, rowNumber) {
    const { checker: c, code, value } = checkVillageRow(get);
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
      else if (existing.name === r.name) counts.unchanged++;
      else {
        await updateVillageRow(db, existing.id, { name: r.name });
        counts.updated++;
      }
    }
    for (const v of await insertVillageRows(
      db,
      fresh.map((r) => ({ communeId, ...r })),
    ))
      ctx.byCode.set(v.code, v);
    counts.inserted += fresh.length;
    return counts;
  },
};
