import type { Db } from "../../db/client.ts";
import type { Scope } from "../auth/policy.ts";
import { listPage, pageWindow } from "../paging.ts";
import { type AuditFilter, insertAuditEvent, listAuditEvents } from "./repo.ts";

/** Who is acting, carried from the request (or the CLI) into every write. */
export type Actor = {
  communeId: number | null;
  userId: number | null;
  username: string;
  requestId: string | null;
  ip: string | null;
};

export function cliActor(communeId: number | null): Actor {
  return { communeId, userId: null, username: "cli", requestId: null, ip: null };
}

export type AuditInput = {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  /** Overrides the actor's commune (an admin acting on another commune's record). */
  communeId?: number | null;
};

/** Records one audit event. Call it inside the transaction of the write it describes. */
export async function recordAudit(db: Db, actor: Actor, input: AuditInput): Promise<void> {
  await insertAuditEvent(db, {
    communeId: input.communeId === undefined ? actor.communeId : input.communeId,
    actorUserId: actor.userId,
    actorUsername: actor.username,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId == null ? null : String(input.entityId),
    before: input.before ?? null,
    after: input.after ?? null,
    requestId: actor.requestId,
    ip: actor.ip,
  });
}

export async function listAudit(opts: {
  db: Db;
  scope: Scope;
  filter: AuditFilter;
  page: number;
  pageSize: number;
}) {
  const rows = await listAuditEvents(opts.db, opts.scope, opts.filter, pageWindow(opts));
  return listPage(rows, (row) => row, opts);
}

/**
 * One answer that shows unmasked citizen IDs or phones (SPEC §8): one event naming the list it came
 * from, the records and the fields shown. Nothing when every value was masked or empty.
 */
export async function auditIdentityShown(
  db: Db,
  actor: Actor,
  opts: {
    /** Where it was shown: `api.residents`, `page.residents`, … */
    source: string;
    entity: string;
    items: readonly { id: number; citizen_id?: string | null; phone?: string | null }[];
    /** Whether the viewer sees the values unmasked (`seesUnmasked`). */
    unmasked: boolean;
  },
): Promise<void> {
  if (!opts.unmasked) return;
  const fields = new Set<string>();
  const ids: number[] = [];
  for (const item of opts.items) {
    let shown = false;
    if (item.citizen_id) {
      fields.add("citizen_id");
      shown = true;
    }
    if (item.phone) {
      fields.add("phone");
      shown = true;
    }
    if (shown) ids.push(item.id);
  }
  if (ids.length === 0) return;
  await recordAudit(db, actor, {
    action: `${opts.entity}.view_identity_list`,
    entity: opts.entity,
    after: { source: opts.source, fields: [...fields].sort(), ids },
  });
}
