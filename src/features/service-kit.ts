import type { Db } from "../db/client.ts";
import type { Page, Paged } from "../db/rows.ts";
import { conflictOnForeignKey, isRefused, validationError } from "../lib/errors.ts";
import { checkerFieldErrors, type RowChecker } from "../lib/row-checker.ts";
import type { Cell } from "../lib/values.ts";
import { type Actor, auditIdentityShown, recordAudit } from "./audit/service.ts";
import type { Scope } from "./auth/policy.ts";
import { seesUnmasked, type Viewer } from "./auth/viewer.ts";
import { type ListPage, listPage, pageWindow } from "./paging.ts";
import { findVillagesByCodes } from "./villages/repo.ts";

export { type ListPage, listPage, pageWindow } from "./paging.ts";

// The shapes the features' services share: one options object (rule 1), a list's page as the API and
// the pages show it, the audit event inside the write's transaction, every failed field at once.

/** A list read: the connection, who reads, which page (from 1) of how many rows. */
export type ListRead = { db: Db; viewer: Viewer; page: number; pageSize: number };
/** A read of one record: the connection, who reads, which record. */
export type RecordRead = { db: Db; viewer: Viewer; id: number };
/** A write: the connection, who sees (the scope), who acts (the audit trail). */
export type WriteOpts = { db: Db; viewer: Viewer; actor: Actor };
/** A write to one stored record. */
export type RecordWrite = WriteOpts & { id: number };
/** A new record from column-key input (a form or the API). */
export type InputWrite = WriteOpts & { input: Record<string, Cell> };
/** A change to one stored record from column-key input. */
export type RecordInputWrite = RecordWrite & { input: Record<string, Cell> };

/** What an audit event keeps of a change: the values before and after, the commune when not the actor's. */
export type Change = { before?: unknown; after?: unknown; communeId?: number | null };

/** Records the audit event of a change to one record; the entity is the action's first part ("village.update" → "village"). */
export async function auditChange(
  db: Db,
  actor: Actor,
  change: Change & { action: `${string}.${string}`; entityId: number | string },
): Promise<void> {
  await recordAudit(db, actor, { entity: change.action.slice(0, change.action.indexOf(".")), ...change });
}

/** Records the audit event of a change to one stored record, the row before and after shown through `view`. */
export async function auditBeforeAfter<Row extends { id: number }>(
  db: Db,
  actor: Actor,
  action: `${string}.${string}`,
  before: Row,
  after: Row,
  view: (row: Row) => unknown,
): Promise<void> {
  await auditChange(db, actor, { action, entityId: before.id, before: view(before), after: view(after) });
}

/** The checked value of a row, or a validation error naming every field that failed. */
export function checkedValue<T>(checker: RowChecker, value: T | undefined): T {
  if (!checker.ok || !value) throw validationError(checkerFieldErrors(checker.errors));
  return value;
}

/**
 * Removes one record in one transaction: `load` finds it and refuses (404, 403, 409) when it may not
 * go, `remove` deletes it, the audit event keeps `before(row)`; a reference still pointing at it is a 409.
 */
export async function removeAudited<Row extends { id: number; communeId: number }>(
  opts: WriteOpts,
  spec: {
    action: `${string}.delete`;
    load: (tx: Db) => Promise<Row>;
    remove: (tx: Db, id: number) => Promise<void>;
    before: (row: Row) => unknown;
  },
): Promise<Row> {
  return conflictOnForeignKey(() =>
    opts.db.transaction(async (tx) => {
      const row = await spec.load(tx);
      await spec.remove(tx, row.id);
      const before = spec.before(row);
      await auditChange(tx, opts.actor, {
        action: spec.action,
        entityId: row.id,
        before,
        communeId: row.communeId,
      });
      return row;
    }),
  );
}

/** The page of a list whose filter names something unknown (a village code no village has): nothing. */
export function emptyPage(opts: { page: number; pageSize: number }): ListPage<never> {
  return { items: [], total: 0, page: opts.page, pageSize: opts.pageSize };
}

/**
 * One page of a repo's list of the rows in the viewer's scope that `filter` keeps, presented; a
 * filter that can keep nothing (`null`: it names an unknown village) gives the empty page unread.
 */
export async function scopedPage<F, R, T>(
  opts: ListRead,
  list: (db: Db, scope: Scope, filter: F, page: Page) => Promise<Paged<R>>,
  filter: F | null,
  present: (row: R) => T,
): Promise<ListPage<T>> {
  if (filter === null) return emptyPage(opts);
  return listPage(await list(opts.db, opts.viewer.scope, filter, pageWindow(opts)), present, opts);
}

/**
 * The id of the village a list's filter names by code in the viewer's commune: `undefined` when the
 * filter names none, `null` when no village has that code (the list is then empty).
 */
export async function filterVillageId(
  db: Db,
  viewer: Viewer,
  code: string | undefined,
): Promise<number | null | undefined> {
  if (!code) return undefined;
  const [v] = await findVillagesByCodes(db, viewer.communeId, [code]);
  return v ? v.id : null;
}

/** The filter most lists share: a village (by its code) and a search text. */
export type VillageTextFilter = { villageId?: number; q?: string };

/**
 * A query's village code turned into an id, and its search text trimmed; only what the query gives
 * is set, and an unknown village code gives `null` (the list is then empty).
 */
export async function villageTextFilter(
  db: Db,
  viewer: Viewer,
  query: { village?: string | undefined; q?: string | undefined },
): Promise<VillageTextFilter | null> {
  const f: VillageTextFilter = {};
  const villageId = await filterVillageId(db, viewer, query.village);
  if (villageId === null) return null;
  if (villageId !== undefined) f.villageId = villageId;
  const text = query.q?.trim();
  if (text) f.q = text;
  return f;
}

/** Who asks for a list with citizen IDs or phones, and where the answer is shown (it is audited when unmasked). */
export type IdentityRead = { db: Db; viewer: Viewer; audit: { actor: Actor; source: string } };

/** Rows presented for the viewer, the answer audited when it shows unmasked IDs or phones (SPEC §8). */
export async function presentAudited<
  R,
  T extends { id: number; citizen_id?: string | null; phone?: string | null },
>(
  opts: IdentityRead,
  entity: string,
  rows: readonly R[],
  present: (row: R, viewer: Viewer) => T,
): Promise<T[]> {
  const shown = rows.map((r) => present(r, opts.viewer));
  await auditIdentityShown(opts.db, opts.audit.actor, {
    source: opts.audit.source,
    entity,
    items: shown,
    unmasked: seesUnmasked(opts.viewer),
  });
  return shown;
}

/** A repo's page of rows presented for the viewer and audited as `presentAudited` does, with its numbers. */
export async function auditedPage<
  R,
  T extends { id: number; citizen_id?: string | null; phone?: string | null },
>(
  opts: IdentityRead & { page: number; pageSize: number },
  entity: string,
  rows: Paged<R>,
  present: (row: R, viewer: Viewer) => T,
): Promise<ListPage<T>> {
  const items = await presentAudited(opts, entity, rows.items, present);
  return { items, total: rows.total, page: opts.page, pageSize: opts.pageSize };
}

/**
 * The three reads and writes of a removable record, from the one check of whether the viewer may
 * remove it now (`load`: 404, 403 or 409 when not): the record a removal would remove (the
 * confirmation page), whether it may go (the detail page's button), and the audited removal.
 */
export function removal<Row extends { id: number; communeId: number }, Item>(spec: {
  action: `${string}.delete`;
  load: (db: Db, viewer: Viewer, id: number) => Promise<Row>;
  remove: (tx: Db, id: number) => Promise<void>;
  before: (row: Row) => unknown;
  present: (row: Row) => Item;
}) {
  return {
    getRemovable: async (opts: RecordRead): Promise<Item> =>
      spec.present(await spec.load(opts.db, opts.viewer, opts.id)),
    isRemovable: async (opts: RecordRead): Promise<boolean> =>
      !(await isRefused(spec.load(opts.db, opts.viewer, opts.id))),
    remove: async (opts: RecordWrite): Promise<Item> =>
      spec.present(
        await removeAudited(opts, {
          action: spec.action,
          load: (tx) => spec.load(tx, opts.viewer, opts.id),
          remove: spec.remove,
          before: spec.before,
        }),
      ),
  };
}
