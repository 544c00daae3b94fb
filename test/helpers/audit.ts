import { and, eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import { auditEvents } from "../../src/db/schema.ts";

/** The audit entry of one action on one record (the first, if several): what it kept before and after. */
export async function auditEntryOf(
  db: Db,
  action: string,
  entityId: number | string,
): Promise<{ before: unknown; after: unknown } | undefined> {
  const [entry] = await db
    .select({ before: auditEvents.before, after: auditEvents.after })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, String(entityId))));
  return entry;
}
