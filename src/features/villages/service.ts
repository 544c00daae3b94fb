import type { Db } from "../../db/client.ts";
import { knownByVersion, type Versions } from "../../db/data-version.ts";
import { msg } from "../../lib/errors.ts";
import type { Viewer } from "../auth/viewer.ts";
import { codeList } from "../code-list-service.ts";
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

/**
 * The commune's villages, kept by the registry's version (`db/data-version.ts`): what a page lists
 * in its filters and pickers, and the dashboard beside its figures. Read outside a transaction (a
 * transaction's own writes raise the version only when it commits).
 */
export async function knownVillagesOfCommune(
  db: Db,
  communeId: number,
  versions?: Versions,
): Promise<VillageRow[]> {
  const { value } = await knownByVersion({
    db,
    communeId,
    ...(versions ? { versions } : {}),
    families: ["registry"],
    key: "villages",
    label: "villages",
    compute: () => listAllVillagesOfCommune(db, communeId),
  });
  // A copy: the kept list is every page's.
  return [...value];
}

/** The villages a viewer may pick in a form or filter: a village team sees its own, commune roles all. */
export async function listPickableVillages(opts: { db: Db; viewer: Viewer }): Promise<VillageRow[]> {
  const all = await knownVillagesOfCommune(opts.db, opts.viewer.communeId);
  const s = opts.viewer.scope;
  return s.kind === "villages" ? all.filter((v) => s.villageIds.includes(v.id)) : all;
}

const villages = codeList({
  entity: "village",
  check: checkVillageRow,
  findByCode: async (db, communeId, code) => (await findVillagesByCodes(db, communeId, [code]))[0],
  codeTaken: (code) => msg("villages.code_taken", { code }),
  find: findVillageRow,
  insert: insertVillageRow,
  update: updateVillageRow,
  remove: deleteVillageRow,
  stored,
  counts: countVillageContents,
  none: { households: 0, residents: 0 },
  inUse: async (db, row) => {
    const refs = await countVillageReferences(db, row.id);
    return refs.households + refs.residents + refs.users > 0
      ? msg("villages.in_use", { name: row.name, ...refs })
      : undefined;
  },
  present: presentVillage,
});

/** A village in the viewer's scope, with its households and residents counts; out of scope reads as not found (SPEC §2). */
export const getVillage: (opts: kit.RecordRead) => Promise<VillageDetail> = villages.get;

/** Creates a village from column-key input (form or API): the rules of an import row, the code unique in the commune. */
export const createVillage: (opts: kit.InputWrite) => Promise<VillageDetail> = villages.create;

/** Changes a village's code or name: the given keys over the stored ones, checked whole. */
export const updateVillage: (opts: kit.RecordInputWrite) => Promise<VillageDetail> = villages.update;

/** The village a removal would remove (the confirmation page), or the reason it cannot be. */
export const getRemovableVillage: (opts: kit.RecordRead) => Promise<VillageView> = villages.getRemovable;

/** Whether the viewer may remove the village now (the detail page's button). */
export const isVillageRemovable: (opts: kit.RecordRead) => Promise<boolean> = villages.isRemovable;

/**
 * Removes a village that nothing refers to (no household, resident or user account): otherwise 409
 * naming how many records still do. Audited with what it held.
 */
export const deleteVillage: (opts: kit.RecordWrite) => Promise<VillageView> = villages.remove;
