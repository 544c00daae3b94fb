import { and, count, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { auditEvents } from "../db/schema.ts";

/** How many audit entries an action has left (on one record when `entityId` is given). */
export async function auditCount(db: Db, action: string, entityId?: number | string): Promise<number> {
  const byAction = eq(auditEvents.action, action);
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(entityId === undefined ? byAction : and(byAction, eq(auditEvents.entityId, String(entityId))));
  return row!.n;
}
