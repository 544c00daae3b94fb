import { checkVillageRow } from "../../villages/check.ts";
import {
  insertVillageRows,
  listAllVillagesOfCommune,
  updateVillageRow,
  type VillageRow,
} from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow, upsertByCode } from "./by-code.ts";

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
    if (code !== undefined) noteFirstRow(ctx.seen, code, rowNumber, c, "code");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  write(db, communeId, rows, ctx) {
    return upsertByCode(rows, ctx.byCode, {
      update: (existing, r) => updateVillageRow(db, existing.id, { name: r.name }),
      insert: (fresh) =>
        insertVillageRows(
          db,
          fresh.map((r) => ({ communeId, ...r })),
        ),
    });
  },
};
