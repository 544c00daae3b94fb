import type { Db } from "../db/client.ts";
import { conflict, forbidden, type Msg, notFound } from "../lib/errors.ts";
import type { RowChecker } from "../lib/row-checker.ts";
import type { Cell } from "../lib/values.ts";
import type { Scope } from "./auth/policy.ts";
import type { Viewer } from "./auth/viewer.ts";
import * as kit from "./service-kit.ts";

// A commune's list of coded records (its villages, its units): written by commune roles only, in
// their own commune, each with a code unique in the commune, removable while nothing refers to it.
// One set of rules serves every such list; a feature names its repo functions and messages.

/** What a coded list's feature supplies: its row rules, its repo functions, its counts and messages. */
export type CodeListSpec<
  Row extends { id: number; communeId: number },
  Value extends Record<string, Cell>,
  Counts,
  Item,
> = {
  /** The audit action's first part ("village" → "village.create", "village.update", "village.delete"). */
  entity: string;
  /** The row's rules for column-key input (the same as an import row's). */
  check: (get: (key: string) => Cell) => { checker: RowChecker; code?: string | undefined; value?: Value };
  findByCode: (db: Db, communeId: number, code: string) => Promise<{ id: number } | undefined>;
  /** The field error when the code belongs to another record of the commune. */
  codeTaken: (code: string) => Msg;
  find: (db: Db, scope: Scope, id: number) => Promise<Row | undefined>;
  insert: (tx: Db, row: Value & { communeId: number }) => Promise<number>;
  update: (tx: Db, id: number, value: Value) => Promise<void>;
  remove: (tx: Db, id: number) => Promise<void>;
  /** The stored values a change starts from and the audit trail keeps. */
  stored: (row: Row) => Value;
  /** What the viewer's scope holds of the record (its detail's counts), and those of a new one. */
  counts: (db: Db, scope: Scope, id: number) => Promise<Counts>;
  none: Counts;
  /** Why the record cannot be removed now (what still refers to it), if anything does. */
  inUse: (db: Db, row: Row) => Promise<Msg | undefined>;
  present: (row: Row) => Item;
};

/** Coded records are written by commune roles only, in their own commune. */
function assertWritable(viewer: Viewer) {
  if (viewer.scope.kind !== "commune") throw forbidden();
}

/** The reads and writes of a commune's coded list, from its feature's spec. */
export function codeList<
  Row extends { id: number; communeId: number },
  Value extends Record<string, Cell>,
  Counts,
  Item,
>(spec: CodeListSpec<Row, Value, Counts, Item>) {
  /** The row's rules and a code free in the commune, all errors at once. */
  async function checked(db: Db, communeId: number, input: Record<string, Cell>, selfId?: number) {
    const { checker, code, value } = spec.check((k) => input[k] ?? null);
    if (code !== undefined) {
      const other = await spec.findByCode(db, communeId, code);
      if (other && other.id !== selfId) checker.fail("code", spec.codeTaken(code));
    }
    return kit.checkedValue(checker, value);
  }

  /** The record, if the viewer may remove it now: in scope (else 404), writable (else 403), referred to by nothing (else 409). */
  async function removableRow(db: Db, viewer: Viewer, id: number): Promise<Row> {
    const row = await spec.find(db, viewer.scope, id);
    if (!row) throw notFound();
    assertWritable(viewer);
    const refused = await spec.inUse(db, row);
    if (refused) throw conflict(refused);
    return row;
  }

  return {
    /** One record in the viewer's scope, with its counts (404 outside the scope). */
    async get(opts: kit.RecordRead): Promise<Item & Counts> {
      const row = await spec.find(opts.db, opts.viewer.scope, opts.id);
      if (!row) throw notFound();
      return { ...spec.present(row), ...(await spec.counts(opts.db, opts.viewer.scope, row.id)) };
    },

    /** Creates a record from column-key input (form or API): the rules of an import row, the code unique in the commune. */
    async create(opts: kit.InputWrite): Promise<{ id: number } & Value & Counts> {
      assertWritable(opts.viewer);
      const communeId = opts.viewer.communeId;
      return opts.db.transaction(async (tx) => {
        const value = await checked(tx, communeId, opts.input);
        const id = await spec.insert(tx, { communeId, ...value });
        await kit.auditChange(tx, opts.actor, {
          action: `${spec.entity}.create`,
          entityId: id,
          after: value,
        });
        return { id, ...value, ...spec.none };
      });
    },

    /** Changes a record: the given keys over the stored ones, checked whole. */
    async update(opts: kit.RecordInputWrite): Promise<{ id: number } & Value & Counts> {
      return opts.db.transaction(async (tx) => {
        const row = await spec.find(tx, opts.viewer.scope, opts.id);
        if (!row) throw notFound();
        assertWritable(opts.viewer);
        const value = await checked(tx, row.communeId, { ...spec.stored(row), ...opts.input }, row.id);
        await spec.update(tx, row.id, value);
        await kit.auditChange(tx, opts.actor, {
          action: `${spec.entity}.update`,
          entityId: row.id,
          before: spec.stored(row),
          after: value,
        });
        return { id: row.id, ...value, ...(await spec.counts(tx, opts.viewer.scope, row.id)) };
      });
    },

    ...kit.removal({
      action: `${spec.entity}.delete`,
      load: removableRow,
      remove: spec.remove,
      before: spec.stored,
      present: spec.present,
    }),
  };
}
