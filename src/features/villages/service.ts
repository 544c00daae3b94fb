import type { Db } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import type { Viewer } from "../auth/viewer.ts";
import { findVillageRow, listVillageRows, type VillageRow } from "./repo.ts";

export type VillageView = { id: number; code: string; name: string };

export function presentVillage(row: VillageRow): VillageView {
  return { id: row.id, code: row.code, name: row.name };
}

export async function listVillages(opts: { db: Db; viewer: Viewer; page: number; pageSize: number }) {
  const { items, total } = await listVillageRows(opts.db, opts.viewer.scope, {
    limit: opts.pageSize,
    offset: (opts.page - 1) * opts.pageSize,
  });
  return { items: items.map(presentVillage), total, page: opts.page, pageSize: opts.pageSize };
}

/** A village in the viewer's scope; out of scope reads as not found (SPEC §2). */
export async function getVillage(opts: { db: Db; viewer: Viewer; id: number }): Promise<VillageView> {
  const row = await findVillageRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return presentVillage(row);
}
