import { and, desc, eq, gte, ilike, lt, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { auditEvents } from "../../db/schema.ts";
import { now } from "../../lib/clock.ts";
import type { Scope } from "../auth/policy.ts";

export type NewAuditEvent = typeof auditEvents.$inferInsert;

export async function insertAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values({ at: now(), ...event });
}

export type AuditFilter = {
  action?: string | undefined;
  entity?: string | undefined;
  username?: string | undefined;
  /** Inclusive lower bound (instant). */
  from?: Date | undefined;
  /** Exclusive upper bound (instant). */
  to?: Date | undefined;
};

const columns = {
  ...rowKit.columnsOf(auditEvents, "id", "communeId", "at", "actorUserId", "actorUsername", "action"),
  ...rowKit.columnsOf(auditEvents, "entity", "entityId", "before", "after", "requestId", "ip"),
};

export type AuditRow = {
  id: number;
  communeId: number | null;
  at: Date;
  actorUserId: number | null;
  actorUsername: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
};

function whereOf(scope: Scope, f: AuditFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (scope.kind !== "installation") conds.push(eq(auditEvents.communeId, scope.communeId));
  if (f.action) conds.push(ilike(auditEvents.action, `${escapeLike(f.action)}%`));
  if (f.entity) conds.push(eq(auditEvents.entity, f.entity));
  if (f.username) conds.push(eq(auditEvents.actorUsername, f.username.toLowerCase()));
  if (f.from) conds.push(gte(auditEvents.at, f.from));
  if (f.to) conds.push(lt(auditEvents.at, f.to));
  return and(...conds);
}

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/**
 * Audit events of the scope, newest first. Events that name no commune (failed logins
 * for unknown accounts) are seen only with installation scope.
 */
export const listAuditEvents = rowKit.pagedList<Scope, AuditFilter, AuditRow>({
  where: whereOf,
  rows: (db, where) =>
    db.select(columns).from(auditEvents).where(where).orderBy(desc(auditEvents.at), desc(auditEvents.id)),
  counted: { table: auditEvents },
});
