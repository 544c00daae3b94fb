/**
 * The phone's storage (IndexedDB through idb). One small database names the accounts that signed in
 * on this phone and who is signed in now; each account has a database of its own (its work set and
 * its outbox), so a second user on the same phone never reads or sends the first one's.
 */
import { type DBSchema, type IDBPDatabase, openDB } from "idb";

export type Account = { userId: number; username: string; displayName: string; token: string | null };

interface MetaDb extends DBSchema {
  accounts: { key: number; value: Account };
  state: { key: string; value: unknown };
}

export type OutboxState = "waiting" | "sending" | "sent" | "refused";
export type OutboxItem = {
  /** The client-generated id; also the Idempotency-Key of its current version. */
  id: string;
  key: string;
  kind: "visit" | "attendance";
  method: "POST" | "PUT";
  path: string;
  body: Record<string, unknown>;
  /** What the list shows: "Thăm hộ T01-0001", "Điểm danh LH01 10/06 — Nguyễn Văn An". */
  label: string;
  state: OutboxState;
  reason: string | null;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  /** For coalescing ticks: the session and resident of an attendance mark. */
  group?: string;
};

export type Household = {
  id: number;
  code: string;
  head: string | null;
  address: string | null;
  poor: boolean;
  village_id: number;
  last_visit: string | null;
  members: {
    id: number;
    name: string;
    age: number;
    groups: string[];
    disabled: boolean;
    vneid_level: number;
    skilled: boolean;
    vneid_confirmed: boolean;
  }[];
  /** Folded text searched: code, head, every member's name, address. */
  search?: string;
};

export type Session = {
  id: number;
  date: string;
  activity: string;
  title: string;
  place: string | null;
  village_id: number | null;
  learners: { id: number; name: string; household_id: number; present: boolean | null }[];
};

interface UserDb extends DBSchema {
  households: { key: number; value: Household };
  sessions: { key: number; value: Session };
  meta: { key: string; value: unknown };
  outbox: { key: string; value: OutboxItem; indexes: { byCreated: number } };
}

/** Schema versions: 1 had the outbox without its index; 2 adds it (an upgrade keeps every item). */
export const USER_DB_VERSION = 2;

let meta: Promise<IDBPDatabase<MetaDb>> | undefined;
export function metaDb() {
  meta ??= openDB<MetaDb>("bdhvs-field", 1, {
    upgrade(db) {
      db.createObjectStore("accounts", { keyPath: "userId" });
      db.createObjectStore("state");
    },
  });
  return meta;
}

const userDbs = new Map<number, Promise<IDBPDatabase<UserDb>>>();
export function userDb(userId: number) {
  let p = userDbs.get(userId);
  if (!p) {
    p = openDB<UserDb>(`bdhvs-field-u${userId}`, USER_DB_VERSION, {
      upgrade(db, oldVersion, _new, tx) {
        if (oldVersion < 1) {
          db.createObjectStore("households", { keyPath: "id" });
          db.createObjectStore("sessions", { keyPath: "id" });
          db.createObjectStore("meta");
          db.createObjectStore("outbox", { keyPath: "id" });
        }
        if (oldVersion < 2) tx.objectStore("outbox").createIndex("byCreated", "createdAt");
      },
      blocking() {
        // A newer version of the app wants to upgrade: let it (this page reloads on its next visit).
        void p?.then((d) => d.close());
        userDbs.delete(userId);
      },
    });
    userDbs.set(userId, p);
  }
  return p;
}

export async function currentAccount(): Promise<Account | undefined> {
  const db = await metaDb();
  const id = (await db.get("state", "current")) as number | undefined;
  return id === undefined ? undefined : db.get("accounts", id);
}

export async function saveAccount(a: Account, current: boolean) {
  const db = await metaDb();
  await db.put("accounts", a);
  if (current) await db.put("state", a.userId, "current");
}

export async function signOutAccount() {
  const db = await metaDb();
  const a = await currentAccount();
  if (a) await db.put("accounts", { ...a, token: null });
  await db.delete("state", "current");
}
