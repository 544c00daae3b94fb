import type { Db } from "../../db/client.ts";
import { conflict, forbidden, isRefused, msg, notFound } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import type { Viewer } from "../auth/viewer.ts";
import * as kit from "../service-kit.ts";
import { checkVillageRow } from "./check.ts";
import {
  countVillageContents,
  countVillageReferences,
  deleteVillageRow,
  findVillageRow,
  findVillagesByCodes,
  insertVillageRow,
  listAllVillagesOfCommune,
  listVillageRows,
  updateVillageRow,
  type VillageRow,
} from "./repo.ts";

export type VillageView = { id: number; code: string; name: string };
/** A village with what the viewer's scope holds of it. */
export type VillageDetail = VillageView & { households: number; residents: number };

/** The stored values a change starts from and the audit trail keeps. */
const stored = (row: VillageRow) => ({ code: row.code, name: row.name });

export function presentVillage(row: VillageRow): VillageView {
  return { id: row.id, code: row.code, name: row.name };
}

export async function listVillages(opts: kit.ListRead) {
  return kit.listPage(
    await listVillageRows(opts.db, opts.viewer.scope, kit.pageWindow(opts)),
    presentVillage,
    opts,
  );
}

/** A village in the viewer's scope, with its households and residents counts; out of scope reads as not found (SPEC §2). */
export async function getVillage(opts: kit.RecordRead): Promise<VillageDetail> {
  const row = await findVillageRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return { ...presentVillage(row), ...(await countVillageContents(opts.db, opts.viewer.scope, row.id)) };
}

/** The villages a viewer may pick in a form or filter: a village team sees its own, commune roles all. */
export async function listPickableVillages(opts: { db: Db; viewer: Viewer }): Promise<VillageRow[]> {
  const all = await listAllVillagesOfCommune(opts.db, opts.viewer.communeId);
  const s = opts.viewer.scope;
  return s.kind === "villages" ? all.filter((v) => s.villageIds.includes(v.id)) : all;
}

/** Villages are written by commune roles only, in their own commune. */
function assertWritable(viewer: Viewer) {
  if (viewer.scope.kind !== "commune") throw forbidden();
}

/** The row's rules and a code free in the commune, all errors at once. */
async function checked(db: Db, communeId: number, input: Record<string, Cell>, selfId?: number) {
  const { checker, code, value } = checkVillageRow((k) => input[k] ?? null);
  if (code !== undefined) {
    const [other] = await findVillagesByCodes(db, communeId, [code]);
    if (other && other.id !== selfId) checker.fail("code", msg("villages.code_taken", { code }));
  }
  return kit.checkedValue(checker, value);
}

/** Creates a village from column-key input (form or API): the rules of an import row, the code unique in the commune. */
export async function createVillage(opts: kit.InputWrite): Promise<VillageDetail> {
  assertWritable(opts.viewer);
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const value = await checked(tx, communeId, opts.input);
    const id = await insertVillageRow(tx, { communeId, ...value });
    await kit.auditChange(tx, opts.actor, { action: "village.create", entityId: id, after: value });
    return { id, ...value, households: 0, residents: 0 };
  });
}

/** Changes a village's code or name: the given keys over the stored ones, checked whole. */
export async function updateVillage(opts: kit.RecordInputWrite): Promise<VillageDetail> {
  return opts.db.transaction(async (tx) => {
    const row = await findVillageRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer);
    const value = await checked(tx, row.communeId, { ...stored(row), ...opts.input }, row.id);
    await updateVillageRow(tx, row.id, value);
    await kit.auditChange(tx, opts.actor, {
      action: "village.update",
      entityId: row.id,
      before: stored(row),
      after: value,
    });
    return { id: row.id, ...value, ...(await countVillageContents(tx, opts.viewer.scope, row.id)) };
  });
}

/** The village, if the viewer may remove it now: in scope (else 404), writable (else 403), referred to by nothing (else 409). */
async function removableRow(db: Db, viewer: Viewer, id: number): Promise<VillageRow> {
  const row = await findVillageRow(db, viewer.scope, id);
  if (!row) throw notFound();
  assertWritable(viewer);
  const refs = await countVillageReferences(db, row.id);
  if (refs.households + refs.residents + refs.users > 0) {
    throw conflict(msg("villages.in_use", { name: row.name, ...refs }));
  }
  return row;
}

/** The village a removal would remove (the confirmation page), or the reason it cannot be. */
export async function getRemovableVillage(opts: kit.RecordRead): Promise<VillageView> {
  return presentVillage(await removableRow(opts.db, opts.viewer, opts.id));
}

/** Whether the viewer may remove the village now (the detail page's button). */
export async function isVillageRemovable(opts: kit.RecordRead): Promise<boolean> {
  return !(await isRefused(removableRow(opts.db, opts.viewer, opts.id)));
}

/**
 * Removes a village that nothing refers to (no household, resident or user account): otherwise 409
 * naming how many records still do. Audited with what it held.
 */
export async function deleteVillage(opts: kit.RecordWrite): Promise<VillageView> {
  const row = await kit.removeAudited(opts, {
    action: "village.delete",
    load: (tx) => removableRow(tx, opts.viewer, opts.id),
    remove: deleteVillageRow,
    before: stored,
  });
  return presentVillage(row);
}
