import type { Db } from "../../db/client.ts";
import { conflict, forbidden, msg, notFound } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import type { Viewer } from "../auth/viewer.ts";
import * as kit from "../service-kit.ts";
import { findVillagesByCodes } from "../villages/repo.ts";
import { checkHouseholdRow } from "./check.ts";
import {
  countHouseholdMembers,
  deleteHouseholdRow,
  findHouseholdByCode,
  findHouseholdRow,
  type HouseholdListRow,
  insertHouseholdRow,
  listHouseholdRows,
  moveHouseholdMembers,
  updateHouseholdRow,
} from "./repo.ts";

/** A household as the API and pages show it: the data README's column keys. */
export type HouseholdItem = {
  id: number;
  code: string;
  village: string;
  head_name: string | null;
  address: string | null;
  poor: boolean;
  village_name: string;
};

export type HouseholdDetail = HouseholdItem & { members: number };

export function presentHousehold(row: HouseholdListRow): HouseholdItem {
  return {
    id: row.id,
    code: row.code,
    village: row.villageCode,
    head_name: row.headName,
    address: row.address,
    poor: row.poor,
    village_name: row.villageName,
  };
}

export type HouseholdQuery = { village?: string | undefined; q?: string | undefined };

export async function listHouseholds(opts: kit.ListRead & { query: HouseholdQuery }) {
  const filter = await kit.villageTextFilter(opts.db, opts.viewer, opts.query);
  return kit.scopedPage(opts, listHouseholdRows, filter, presentHousehold);
}

/** One household in the viewer's scope, with its members count (404 outside the scope). */
export async function getHousehold(opts: kit.RecordRead): Promise<HouseholdDetail> {
  const row = await findHouseholdRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return { ...presentHousehold(row), members: await countHouseholdMembers(opts.db, row.id) };
}

/** A write stays inside the writer's scope: a village team only in its villages. */
function assertWritable(viewer: Viewer, villageId: number) {
  const s = viewer.scope;
  if (s.kind === "installation" || s.kind === "unit") throw forbidden();
  if (s.kind === "villages" && !s.villageIds.includes(villageId)) throw forbidden();
}

/** The row's rules and a code free in the commune, all errors at once. */
async function checked(db: Db, communeId: number, input: Record<string, Cell>, selfId?: number) {
  const villageCode = typeof input.village === "string" ? input.village.trim() : "";
  const villages = villageCode ? await findVillagesByCodes(db, communeId, [villageCode]) : [];
  const { checker, code, value } = checkHouseholdRow(
    (k) => input[k] ?? null,
    (c) => villages.find((v) => v.code === c),
  );
  if (code !== undefined) {
    const other = await findHouseholdByCode(db, communeId, code);
    if (other && other.id !== selfId) checker.fail("code", msg("households.code_taken", { code }));
  }
  return kit.checkedValue(checker, value);
}

/** The stored values for the audit trail. */
function auditView(row: HouseholdListRow) {
  const { communeId: _c, villageName: _n, ...rest } = row;
  return rest;
}

/** Creates a household from column-key input (form or API); the same rules as an import row. */
export async function createHousehold(opts: kit.InputWrite): Promise<HouseholdDetail> {
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const value = await checked(tx, communeId, opts.input);
    assertWritable(opts.viewer, value.villageId);
    const id = await insertHouseholdRow(tx, { communeId, ...value });
    const row = (await findHouseholdRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, {
      action: "household.create",
      entityId: id,
      after: auditView(row),
    });
    return { ...presentHousehold(row), members: 0 };
  });
}

/** The input keys of a stored household, so a partial change can be checked whole. */
function inputOf(row: HouseholdListRow): Record<string, Cell> {
  return {
    code: row.code,
    village: row.villageCode,
    head_name: row.headName,
    address: row.address,
    poor: row.poor,
  };
}

/** Changes a household: the given keys over the stored ones, checked whole. */
export async function updateHousehold(opts: kit.RecordInputWrite): Promise<HouseholdDetail> {
  return opts.db.transaction(async (tx) => {
    const row = await findHouseholdRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer, row.villageId);
    const value = await checked(tx, row.communeId, { ...inputOf(row), ...opts.input }, row.id);
    assertWritable(opts.viewer, value.villageId);
    await updateHouseholdRow(tx, row.id, value);
    if (value.villageId !== row.villageId) await moveHouseholdMembers(tx, row.id, value.villageId);
    const after = (await findHouseholdRow(tx, opts.viewer.scope, row.id)) ?? row;
    await kit.auditBeforeAfter(tx, opts.actor, "household.update", row, after, auditView);
    return { ...presentHousehold(after), members: await countHouseholdMembers(tx, row.id) };
  });
}

/** The household, if the viewer may remove it now: in scope (else 404), writable (else 403), without residents (else 409). */
async function removableRow(db: Db, viewer: Viewer, id: number): Promise<HouseholdListRow> {
  const row = await findHouseholdRow(db, viewer.scope, id);
  if (!row) throw notFound();
  assertWritable(viewer, row.villageId);
  const residents = await countHouseholdMembers(db, row.id);
  if (residents > 0) throw conflict(msg("households.in_use", { code: row.code, residents }));
  return row;
}

const removal = kit.removal({
  action: "household.delete",
  load: removableRow,
  remove: deleteHouseholdRow,
  before: auditView,
  present: presentHousehold,
});

/** The household a removal would remove (the confirmation page), or the reason it cannot be. */
export const getRemovableHousehold: (opts: kit.RecordRead) => Promise<HouseholdItem> = removal.getRemovable;

/** Whether the viewer may remove the household now (the detail page's button). */
export const isHouseholdRemovable: (opts: kit.RecordRead) => Promise<boolean> = removal.isRemovable;

/**
 * Removes a household no resident belongs to (any status): otherwise 409 naming how many do. A village
 * team removes only in its villages. Audited with what it held.
 */
export const deleteHousehold: (opts: kit.RecordWrite) => Promise<HouseholdItem> = removal.remove;
