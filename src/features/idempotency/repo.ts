import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { columnsOf, findRowBy } from "../../db/rows.ts";
import { idempotencyKeys } from "../../db/schema.ts";

export type StoredAnswer = {
  fingerprint: string;
  status: number;
  contentType: string | null;
  body: string;
};

/**
 * Claims a user's key for a request: inserts the row (status 0: not answered yet) unless the key is
 * already there. Inside a transaction, a concurrent claim of the same key waits on the unique index
 * until the first one commits or rolls back. True when this request now owns the key.
 */
export async function claimKey(
  db: Db,
  row: { communeId: number; userId: number; key: string; fingerprint: string; method: string; path: string },
): Promise<boolean> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...row, status: 0, body: "" })
    .onConflictDoNothing({ target: [idempotencyKeys.userId, idempotencyKeys.key] })
    .returning({ id: idempotencyKeys.id });
  return inserted.length > 0;
}

export async function findStoredAnswer(
  db: Db,
  userId: number,
  key: string,
): Promise<StoredAnswer | undefined> {
  return findRowBy(
    db,
    idempotencyKeys,
    columnsOf(idempotencyKeys, "fingerprint", "status", "contentType", "body"),
    { userId, key },
  );
}

export async function storeAnswer(
  db: Db,
  userId: number,
  key: string,
  answer: { status: number; contentType: string | null; body: string },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set(answer)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
}

export async function deleteKeysBefore(db: Db, before: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
