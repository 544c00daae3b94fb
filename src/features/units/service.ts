import { UNIT_TYPES } from "../../db/schema.ts";
import { msg } from "../../lib/errors.ts";
import type { UnitType } from "../../lib/values.ts";
import { codeList } from "../code-list-service.ts";
import * as kit from "../service-kit.ts";
import { checkUnitRow } from "./check.ts";
import {
  countUnitMembers,
  countUnitReferences,
  deleteUnitRow,
  findUnitByCode,
  findUnitRow,
  insertUnitRow,
  listUnitRows,
  type UnitRow,
  updateUnitRow,
} from "./repo.ts";

/** A unit as the API and pages show it: the data README's column keys. */
export type UnitItem = { id: number; code: string; name: string; type: UnitType };
/** A unit with how many residents of the viewer's scope belong to it. */
export type UnitDetail = UnitItem & { members: number };

export function presentUnit(row: UnitRow): UnitItem {
  return { id: row.id, code: row.code, name: row.name, type: row.type };
}

export type UnitQuery = { type?: string | undefined; q?: string | undefined };

export async function listUnits(opts: kit.ListRead & { query: UnitQuery }): Promise<kit.ListPage<UnitItem>> {
  const type = UNIT_TYPES.find((x) => x === opts.query.type);
  return kit.scopedPage(opts, listUnitRows, { type, q: opts.query.q?.trim() || undefined }, presentUnit);
}

/** The stored values a change starts from and the audit trail keeps. */
const stored = (row: UnitRow) => ({ code: row.code, name: row.name, type: row.type });

const units = codeList({
  entity: "unit",
  check: checkUnitRow,
  findByCode: findUnitByCode,
  codeTaken: (code) => msg("units.code_taken", { code }),
  find: findUnitRow,
  insert: insertUnitRow,
  update: updateUnitRow,
  remove: deleteUnitRow,
  stored,
  counts: async (db, scope, id) => ({ members: await countUnitMembers(db, scope, id) }),
  none: { members: 0 },
  inUse: async (db, row) => {
    const refs = await countUnitReferences(db, row.id);
    return refs.residents + refs.users > 0 ? msg("units.in_use", { name: row.name, ...refs }) : undefined;
  },
  present: presentUnit,
});

/** One unit in the viewer's scope, with its members count (404 outside the scope). */
export const getUnit: (opts: kit.RecordRead) => Promise<UnitDetail> = units.get;

/** Creates a unit from column-key input (form or API): the rules of an import row, the code unique in the commune. */
export const createUnit: (opts: kit.InputWrite) => Promise<UnitDetail> = units.create;

/** Changes a unit: the given keys over the stored ones, checked whole. */
export const updateUnit: (opts: kit.RecordInputWrite) => Promise<UnitDetail> = units.update;

/** The unit a removal would remove (the confirmation page), or the reason it cannot be. */
export const getRemovableUnit: (opts: kit.RecordRead) => Promise<UnitItem> = units.getRemovable;

/** Whether the viewer may remove the unit now (the detail page's button). */
export const isUnitRemovable: (opts: kit.RecordRead) => Promise<boolean> = units.isRemovable;

/**
 * Removes a unit that nothing refers to (no resident, no user account): otherwise 409 naming how many
 * records still do. Audited with what it held.
 */
export const deleteUnit: (opts: kit.RecordWrite) => Promise<UnitItem> = units.remove;
