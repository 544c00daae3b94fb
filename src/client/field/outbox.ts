/**
 * The outbox: the only module that sends writes. Each item has a client-generated id and an
 * Idempotency-Key (the server stores its answer: a resend after a lost answer writes nothing twice).
 * States: waiting → sent (the server acknowledged it) or refused (kept with the server's reason until
 * the user edits and resends it, or discards it). Network failures and server errors keep the item
 * waiting and back off; a 401 pauses everything until the user signs in again.
 */
import { nowMs } from "../../lib/clock.ts";
import { type OutboxItem, userDb } from "./store.ts";

export type SendResult = { sent: number; refused: number; failed: boolean; needsSignIn: boolean };

type Listener = () => void;
const listeners = new Set<Listener>();
export function onOutboxChange(l: Listener) {
  listeners.add(l);
}
const changed = () => {
  for (const l of listeners) l();
};

const uuid = () => crypto.randomUUID();

export async function listItems(userId: number): Promise<OutboxItem[]> {
  const db = await userDb(userId);
  return db.getAllFromIndex("outbox", "byCreated");
}

/** What has not left the phone: items waiting (or being sent) and items the server refused. */
export async function unsentCounts(userId: number): Promise<{ waiting: number; refused: number }> {
  const items = await listItems(userId);
  const refused = items.filter((i) => i.state === "refused").length;
  return { waiting: items.filter((i) => i.state !== "sent").length - refused, refused };
}

export async function pendingCount(userId: number): Promise<number> {
  const { waiting, refused } = await unsentCounts(userId);
  return waiting + refused;
}

/** Queues a write. An attendance mark still waiting for the same session and resident is replaced. */
export async function enqueue(
  userId: number,
  item: Pick<OutboxItem, "kind" | "method" | "path" | "body" | "label"> & { group?: string },
): Promise<OutboxItem> {
  const db = await userDb(userId);
  const tx = db.transaction("outbox", "readwrite");
  if (item.group) {
    for (const other of await tx.store.getAll())
      if (other.group === item.group && other.state === "waiting") await tx.store.delete(other.id);
  }
  const id = uuid();
  const full: OutboxItem = {
    ...item,
    id,
    key: id,
    state: "waiting",
    reason: null,
    attempts: 0,
    createdAt: nowMs(),
    sentAt: null,
  };
  await tx.store.put(full);
  await tx.done;
  changed();
  return full;
}

/** A refused item edited: a new body is a new request, so it gets a new key. */
export async function resend(userId: number, id: string, body?: Record<string, unknown>, label?: string) {
  const db = await userDb(userId);
  const item = await db.get("outbox", id);
  if (!item) return;
  await db.put("outbox", {
    ...item,
    body: body ?? item.body,
    label: label ?? item.label,
    key: uuid(),
    state: "waiting",
    reason: null,
    attempts: 0,
  });
  changed();
}

export async function discard(userId: number, id: string) {
  const db = await userDb(userId);
  await db.delete("outbox", id);
  changed();
}

/** Acknowledged items are kept a day for the list ("Đã gửi"), then dropped. */
async function pruneSent(userId: number) {
  const db = await userDb(userId);
  for (const i of await db.getAll("outbox"))
    if (i.state === "sent" && i.sentAt && nowMs() - i.sentAt > 86_400_000) await db.delete("outbox", i.id);
}

/** The server's reason, each field's message after the field's name ("Nội dung hỗ trợ: …"). */
function reasonOf(body: unknown, status: number, fallback: string, labels: Record<string, string>): string {
  const e = (body as { error?: { message?: string; fields?: Record<string, string> } } | null)?.error;
  if (!e) return `${fallback} (${status})`;
  const fields = Object.entries(e.fields ?? {}).map(([k, m]) => (labels[k] ? `${labels[k]}: ${m}` : m));
  return fields.length > 0 ? fields.join(" ") : (e.message ?? fallback);
}

let running: Promise<SendResult> | undefined;
let backoffMs = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * Sends every waiting item in order, one at a time, at most one run per page (and, through the Web
 * Locks API, per phone). `token()` gives the current bearer token (null: signed out).
 */
export function sendAll(
  userId: number,
  token: () => Promise<string | null>,
  refusedText: string,
  labels: Record<string, string> = {},
): Promise<SendResult> {
  running ??= (async () => {
    const run = () => sendLoop(userId, token, refusedText, labels);
    try {
      return navigator.locks ? await navigator.locks.request(`bdhvs-outbox-${userId}`, run) : await run();
    } finally {
      running = undefined;
    }
  })();
  return running;
}

async function sendLoop(
  userId: number,
  token: () => Promise<string | null>,
  refusedText: string,
  labels: Record<string, string>,
): Promise<SendResult> {
  const result: SendResult = { sent: 0, refused: 0, failed: false, needsSignIn: false };
  const db = await userDb(userId);
  await pruneSent(userId);
  for (const item of await listItems(userId)) {
    if (item.state !== "waiting" && item.state !== "sending") continue;
    const t = await token();
    if (!t) {
      result.needsSignIn = true;
      break;
    }
    let res: Response;
    try {
      res = await fetch(item.path, {
        method: item.method,
        headers: {
          authorization: `Bearer ${t}`,
          "content-type": "application/json",
          "idempotency-key": item.key,
          "accept-language": document.documentElement.lang || "vi",
        },
        body: JSON.stringify(item.body),
      });
    } catch {
      result.failed = true; // offline, or the answer was lost: the same key is sent again later
      break;
    }
    const current = (await db.get("outbox", item.id)) ?? item;
    if (res.status === 401) {
      result.needsSignIn = true;
      break;
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      await db.put("outbox", { ...current, attempts: current.attempts + 1 });
      result.failed = true;
      break;
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // an empty or non-JSON answer
    }
    if (res.ok) {
      await db.put("outbox", { ...current, state: "sent", sentAt: nowMs(), reason: null });
      result.sent++;
    } else {
      await db.put("outbox", {
        ...current,
        state: "refused",
        reason: reasonOf(body, res.status, refusedText, labels),
      });
      result.refused++;
    }
    changed();
  }
  // Offline is not a server down: no backoff then (the "online" event sends again).
  backoffMs = result.failed && navigator.onLine ? Math.min(Math.max(backoffMs * 2, 2_000), 300_000) : 0;
  changed();
  return result;
}

/** Schedules the next try after a failure (2 s, 4 s, … up to 5 minutes); `now` retries at once. */
export function scheduleRetry(fn: () => void, now = false) {
  if (timer) clearTimeout(timer);
  timer = setTimeout(fn, now ? 0 : backoffMs || 2_000);
}

/** The network is back, or the user pressed "Gửi ngay": try at once, from a short delay again. */
export function resetBackoff() {
  backoffMs = 0;
}

export function currentBackoffMs() {
  return backoffMs;
}
