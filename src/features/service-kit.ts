import type { Db } from "../db/client.ts";
import { conflictOnForeignKey, validationError } from "../lib/errors.ts";
import { checkerFieldErrors, type RowChecker } from "../lib/row-checker.ts";
import type { Cell } from "../lib/values.ts";
import { type Actor, recordAudit } from "./audit/service.ts";
import type { Viewer } from "./auth/viewer.ts";

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
