import type { Db } from "../../db/client.ts";
import { UNIT_TYPES } from "../../db/schema.ts";
import { conflict, forbidden, isRefused, msg, notFound } from "../../lib/errors.ts";
import type { Cell, UnitType } from "../../lib/values.ts";
import type { Viewer } from "../auth/viewer.ts";
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
  return kit.listPage(
    await listUnitRows(
      opts.db,
      opts.viewer.scope,
      { type, q: opts.query.q?.trim() || undefined },
      kit.pageWindow(opts),
    ),
    presentUnit,
    opts,
  );
}

/** One unit in the viewer's scope, with its members count (404 outside the scope). */
export async function getUnit(opts: kit.RecordRead): Promise<UnitDetail> {
  const row = await findUnitRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return { ...presentUnit(row), members: await countUnitMembers(opts.db, opts.viewer.scope, row.id) };
}

/** The stored values a change starts from and the audit trail keeps. */
const stored = (row: UnitRow) => ({ code: row.code, name: row.name, type: row.type });

/** Units are written by commune roles only, in their own commune. */
function assertWritable(viewer: Viewer) {
  if (viewer.scope.kind !== "commune") throw forbidden();
}

/** The row's rules and a code free in the commune, all errors at once. */
async function checked(db: Db, communeId: number, input: Record<string, Cell>, selfId?: number) {
  const { checker, code, value } = checkUnitRow((k) => input[k] ?? null);
  if (code !== undefined) {
    const other = await findUnitByCode(db, communeId, code);
    if (other && other.id !== selfId) checker.fail("code", msg("units.code_taken", { code }));
  }
  return kit.checkedValue(checker, value);
}

/** Creates a unit from column-key input (form or API): the rules of an import row, the code unique in the commune. */
export async function createUnit(opts: kit.InputWrite): Promise<UnitDetail> {
  assertWritable(opts.viewer);
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const value = await checked(tx, communeId, opts.input);
    const id = await insertUnitRow(tx, { communeId, ...value });
    await kit.auditChange(tx, opts.actor, { action: "unit.create", entityId: id, after: value });
    return { id, ...value, members: 0 };
  });
}

/** Changes a unit: the given keys over the stored ones, checked whole. */
export async function updateUnit(opts: kit.RecordInputWrite): Promise<UnitDetail> {
  return opts.db.transaction(async (tx) => {
    const row = await findUnitRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer);
    const value = await checked(tx, row.communeId, { ...stored(row), ...opts.input }, row.id);
    await updateUnitRow(tx, row.id, value);
    await kit.auditChange(tx, opts.actor, {
      action: "unit.update",
      entityId: row.id,
      before: stored(row),
      after: value,
    });
    return { id: row.id, ...value, members: await countUnitMembers(tx, opts.viewer.scope, row.id) };
  });
}

/** The unit, if the viewer may remove it now: in scope (else 404), writable (else 403), referred to by nothing (else 409). */
async function removableRow(db: Db, viewer: Viewer, id: number): Promise<UnitRow> {
  const row = await findUnitRow(db, viewer.scope, id);
  if (!row) throw notFound();
  assertWritable(viewer);
  const refs = await countUnitReferences(db, row.id);
  if (refs.residents + refs.users > 0) throw conflict(msg("units.in_use", { name: row.name, ...refs }));
  return row;
}

/** The unit a removal would remove (the confirmation page), or the reason it cannot be. */
export async function getRemovableUnit(opts: kit.RecordRead): Promise<UnitItem> {
  return presentUnit(await removableRow(opts.db, opts.viewer, opts.id));
}

/** Whether the viewer may remove the unit now (the detail page's button). */
export async function isUnitRemovable(opts: kit.RecordRead): Promise<boolean> {
  return !(await isRefused(removableRow(opts.db, opts.viewer, opts.id)));
}

/**
 * Removes a unit that nothing refers to (no resident, no user account): otherwise 409 naming how many
 * records still do. Audited with what it held.
 */
export async function deleteUnit(opts: kit.RecordWrite): Promise<UnitItem> {
  const row = await kit.removeAudited(opts, {
    action: "unit.delete",
    load: (tx) => removableRow(tx, opts.viewer, opts.id),
    remove: deleteUnitRow,
    before: stored,
  });
  return presentUnit(row);
}
