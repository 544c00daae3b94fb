import { checkIncidentRow, INCIDENT_COLUMNS, type IncidentInput } from "../../incidents/check.ts";
import {
  type IncidentValues,
  insertIncidentRow,
  listIncidentValuesOfCommune,
  updateIncidentRow,
} from "../../incidents/repo.ts";
import { listUnitsOfCommune } from "../../units/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow, upsertByCode } from "./by-code.ts";

type Context = {
  units: Map<string, { id: number }>;
  byCode: Map<string, IncidentValues & { id: number }>;
  seen: Map<string, number>;
};

/** Security incidents (SPEC §4; police and admin): by code, the unit by code. */
export const incidentsKind: ImportKind<IncidentInput, Context> = {
  name: "incidents",
  permission: "incident.create",
  columns: INCIDENT_COLUMNS,
  async load(db, communeId) {
    const units = new Map((await listUnitsOfCommune(db, communeId)).map((u) => [u.code, u]));
    const rows = await listIncidentValuesOfCommune(db, communeId);
    return { units, byCode: new Map(rows.map((i) => [i.code, i])), seen: new Map() };
  },
  parse(get, ctx, rowNumber, today) {
    const { checker: c, value } = checkIncidentRow(get, { unit: (code) => ctx.units.get(code) }, today);
    if (value) noteFirstRow(ctx.seen, value.code, rowNumber, c, "code");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  write(db, communeId, rows, ctx) {
    return upsertByCode(rows, ctx.byCode, {
      update: (existing, r) => updateIncidentRow(db, existing.id, r),
      insert: async (fresh) => {
        const out = [];
        for (const r of fresh) {
          const values = { communeId, ...r };
          out.push({ ...values, id: await insertIncidentRow(db, values) });
        }
        return out;
      },
    });
  },
};
