import {
  ACTIVITY_COLUMNS,
  type ActivityInput,
  activityRefsOf,
  checkActivityRow,
} from "../../activities/check.ts";
import {
  type ActivityValues,
  insertActivityRow,
  listActivityValuesOfCommune,
  updateActivityRow,
} from "../../activities/repo.ts";
import { listUnitsOfCommune } from "../../units/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow, upsertByCode } from "./by-code.ts";

type Context = {
  refs: ReturnType<typeof activityRefsOf>;
  byCode: Map<string, ActivityValues & { id: number }>;
  seen: Map<string, number>;
};

/** Activities (SPEC §4): by code; village and unit by code; the same row check as the forms. */
export const activitiesKind: ImportKind<ActivityInput, Context> = {
  name: "activities",
  permission: "activity.create",
  columns: ACTIVITY_COLUMNS,
  async load(db, communeId) {
    const refs = activityRefsOf(
      await listAllVillagesOfCommune(db, communeId),
      await listUnitsOfCommune(db, communeId),
    );
    const rows = await listActivityValuesOfCommune(db, communeId);
    return { refs, byCode: new Map(rows.map((a) => [a.code, a])), seen: new Map() };
  },
  parse(get, ctx, rowNumber, today) {
    const { checker: c, code, value } = checkActivityRow(get, ctx.refs, today);
    if (code !== undefined) noteFirstRow(ctx.seen, code, rowNumber, c, "code");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  write(db, communeId, rows, ctx) {
    return upsertByCode(rows, ctx.byCode, {
      update: (existing, r) => updateActivityRow(db, existing.id, r),
      insert: async (fresh) => {
        const out = [];
        for (const r of fresh) {
          const values = { communeId, ...r };
          out.push({ ...values, id: await insertActivityRow(db, values) });
        }
        return out;
      },
    });
  },
};
