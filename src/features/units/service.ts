import type { Db } from "../../db/client.ts";
import { UNIT_TYPES } from "../../db/schema.ts";
import {
  conflict,
  conflictOnForeignKey,
  forbidden,
  isRefused,
  msg,
  notFound,
  validationError,
} from "../../lib/errors.ts";
import { checkerFieldErrors } from "../../lib/row-checker.ts";
import type { Cell, UnitType } from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
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

export async function listUnits(opts: {
  db: Db;
  viewer: Viewer;
  query: UnitQuery;
  page: number;
  pageSize: number;
}): Promise<{ items: UnitItem[]; total: number; page: number; pageSize: number }> {
  const type = UNIT_TYPES.find((x) => x === opts.query.type);
  const { items, total } = await listUnitRows(
    opts.db,
    opts.viewer.scope,
    { type, q: opts.query.q?.trim() || undefined },
    { limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize },
  );
  return { items: items.map(presentUnit), total, page: opts.page, pageSize: opts.pageSize };
}

/** One unit in the viewer's scope, with its members count (404 outside the scope). */
export async function getUnit(opts: { db: Db; viewer: Viewer; id: number }): Promise<UnitDetail> {
  const row = await findUnitRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return { ...presentUnit(row), members: await countUnitMembers(opts.db, opts.viewer.scope, row.id) };
}

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
  if (!checker.ok || !value) {
    throw validationError(checkerFieldErrors(checker.errors));
  }
  return value;
}

/** Creates a unit from column-key input (form or API): the rules of an import row, the code unique in the commune. */
export async function createUnit(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  input: Record<string, Cell>;
}): Promise<UnitDetail> {
  assertWritable(opts.viewer);
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const value = await checked(tx, communeId, opts.input);
    const id = await insertUnitRow(tx, { communeId, ...value });
    await recordAudit(tx, opts.actor, { action: "unit.create", entity: "unit", entityId: id, after: value });
    return { id, ...value, members: 0 };
  });
}

/** Changes a unit: the given keys over the stored ones, checked whole. */
export async function updateUnit(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  input: Record<string, Cell>;
}): Promise<UnitDetail> {
  return opts.db.transaction(async (tx) => {
    const row = await findUnitRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer);
    const stored = { code: row.code, name: row.name, type: row.type };
    const value = await checked(tx, row.communeId, { ...stored, ...opts.input }, row.id);
    await updateUnitRow(tx, row.id, value);
    await recordAudit(tx, opts.actor, {
      action: "unit.update",
      entity: "unit",
      entityId: row.id,
      before: stored,
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
export async function getRemovableUnit(opts: { db: Db; viewer: Viewer; id: number }): Promise<UnitItem> {
  return presentUnit(await removableRow(opts.db, opts.viewer, opts.id));
}

/** Whether the viewer may remove the unit now (the detail page's button). */
export async function isUnitRemovable(opts: { db: Db; viewer: Viewer; id: number }): Promise<boolean> {
  return !(await isRefused(removableRow(opts.db, opts.viewer, opts.id)));
}

/**
 * Removes a unit that nothing refers to (no resident, no user account): otherwise 409 naming how many
 * records still do. Audited with what it held.
 */
export async function deleteUnit(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
}): Promise<UnitItem> {
  return conflictOnForeignKey(() =>
    opts.db.transaction(async (tx) => {
      const row = await removableRow(tx, opts.viewer, opts.id);
      await deleteUnitRow(tx, row.id);
      await recordAudit(tx, opts.actor, {
        action: "unit.delete",
        entity: "unit",
        entityId: row.id,
        before: { code: row.code, name: row.name, type: row.type },
        communeId: row.communeId,
      });
      return presentUnit(row);
    }),
  );
}
