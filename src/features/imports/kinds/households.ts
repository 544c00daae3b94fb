import { msg } from "../../../lib/errors.ts";
import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import { checkHouseholdRow } from "../../households/check.ts";
import {
  type HouseholdRow,
  insertHouseholdRows,
  listAllHouseholdsOfCommune,
  updateHouseholdRow,
} from "../../households/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";

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
      else if (sameValues(existing, r)) counts.unchanged++;
      else {
        await updateHouseholdRow(db, existing.id, r);
        ctx.byCode.set(r.code, { ...existing, ...r });
        counts.updated++;
      }
    }
    for (const h of await insertHouseholdRows(
      db,
      fresh.map((r) => ({ communeId, ...r })),
    ))
      ctx.byCode.set(h.code, h);
    counts.inserted += fresh.length;
    return counts;
  },
};
