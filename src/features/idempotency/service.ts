import type { Db } from "../../db/client.ts";
import { now } from "../../lib/clock.ts";
import { sha256 } from "../../lib/crypto.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { claimKey, deleteKeysBefore, findStoredAnswer, type StoredAnswer, storeAnswer } from "./repo.ts";

/** How long a key's answer is kept: a phone may stay offline for days, not for months. */
export const KEY_RETENTION_DAYS = 30;
const PRUNE_EVERY = 200;
let writesSincePrune = 0;

/** A key as the draft allows: a short printable string (the field app sends a UUID). */
export const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export type Answer = { status: number; contentType: string | null; body: string };

/** Sorted keys, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** The request's fingerprint: method, path and body (JSON bodies compared as data, not as text). */
export function fingerprintOf(method: string, path: string, body: string): string {
  let text = body;
  try {
    text = JSON.stringify(canonical(JSON.parse(body)));
  } catch {
    // not JSON: the bytes as sent
  }
  return sha256(`${method.toUpperCase()} ${path}\n${text}`);
}

function replayOf(stored: StoredAnswer, fingerprint: string): Answer {
  if (stored.fingerprint !== fingerprint)
    throw new AppError("validation", { message: msg("idempotency.key_reused") });
  // Claimed but never answered: only a request still running holds it (a failed one rolled back).
  if (stored.status === 0) throw new AppError("conflict", { message: msg("idempotency.in_progress") });
  return { status: stored.status, contentType: stored.contentType, body: stored.body };
}

/**
 * Runs a write at most once per user and key. The key is claimed, the write runs and its answer is
 * stored, all in one transaction: a replay of an answered key returns the stored answer and runs
 * nothing; the same key with another request is refused (422); a server error (5xx) keeps nothing,
 * so the client may retry with the same key (`keep` may keep less: a web form keeps only its
 * redirect after success, so a form re-shown with its errors can be corrected and sent again).
 */
export async function runIdempotent(opts: {
  db: Db;
  communeId: number;
  userId: number;
  key: string;
  method: string;
  path: string;
  body: string;
  run: (tx: Db) => Promise<Answer>;
  /** Which answers are kept (and the write with them); default: all but server errors. */
  keep?: (answer: Answer) => boolean;
}): Promise<{ answer: Answer; replayed: boolean }> {
  const keep = opts.keep ?? ((a: Answer) => a.status < 500);
  const fingerprint = fingerprintOf(opts.method, opts.path, opts.body);
  const stored = await findStoredAnswer(opts.db, opts.userId, opts.key);
  if (stored) return { answer: replayOf(stored, fingerprint), replayed: true };
  await pruneNow(opts.db);
  const failed = new Error("server error: nothing kept");
  let answer: Answer | undefined;
  try {
    return await opts.db.transaction(async (tx) => {
      const owned = await claimKey(tx, {
        communeId: opts.communeId,
        userId: opts.userId,
        key: opts.key,
        fingerprint,
        method: opts.method.toUpperCase(),
        path: opts.path,
      });
      if (!owned) {
        const other = await findStoredAnswer(tx, opts.userId, opts.key);
        return { answer: replayOf(other!, fingerprint), replayed: true };
      }
      answer = await opts.run(tx);
      if (!keep(answer)) throw failed;
      await storeAnswer(tx, opts.userId, opts.key, answer);
      return { answer, replayed: false };
    });
  } catch (err) {
    if (err === failed && answer) return { answer, replayed: false };
    throw err;
  }
}

async function pruneNow(db: Db) {
  writesSincePrune = (writesSincePrune + 1) % PRUNE_EVERY;
  if (writesSincePrune !== 1) return;
  await deleteKeysBefore(db, new Date(now().getTime() - KEY_RETENTION_DAYS * 86_400_000));
}
