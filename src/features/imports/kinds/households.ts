import { checkHouseholdRow } from "../../households/check.ts";
import {
  type HouseholdRow,
  insertHouseholdRows,
  listAllHouseholdsOfCommune,
  updateHouseholdRow,
} from "../../households/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow, upsertByCode } from "./by-code.ts";

type Row = {
  code: string;
  villageId: number;
  headName: string | null;
  address: string | null;
  poor: boolean;
};
type Context = {
  villages: Map<string, VillageRow>;
  byCode: Map<string, HouseholdRow>;
  seen: Map<string, number>;
};

export const householdsKind: ImportKind<Row, Context> = {
  name: "households",
  permission: "household.create",
  columns: [
    { key: "code", aliases: ["Mã hộ", "Mã hộ gia đình", "Số hộ", "Household code"], required: true },
    { key: "village", aliases: ["Thôn", "Mã thôn", "Village"], required: true },
    { key: "head_name", aliases: ["Chủ hộ", "Họ tên chủ hộ", "Tên chủ hộ", "Head of household"] },
    { key: "address", aliases: ["Địa chỉ", "Address"] },
    { key: "poor", aliases: ["Hộ nghèo", "Hộ nghèo/cận nghèo", "Nghèo", "Poor"] },
  ],
  async load(db, communeId) {
    const villages = await listAllVillagesOfCommune(db, communeId);
    const households = await listAllHouseholdsOfCommune(db, communeId);
    return {
      villages: new Map(villages.map((v) => [v.code, v])),
      byCode: new Map(households.map((h) => [h.code, h])),
      seen: new Map(),
    };
  },
  parse(get, ctx, rowNumber) {
    const { checker: c, code, value } = checkHouseholdRow(get, (x) => ctx.villages.get(x));
    if (code !== undefined) noteFirstRow(ctx.seen, code, rowNumber, c, "code");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  write(db, communeId, rows, ctx) {
    return upsertByCode(rows, ctx.byCode, {
      update: (existing, r) => updateHouseholdRow(db, existing.id, r),
      insert: (fresh) =>
        insertHouseholdRows(
          db,
          fresh.map((r) => ({ communeId, ...r })),
        ),
    });
  },
};
