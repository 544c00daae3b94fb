/**
 * Applies a work-set download to the phone's store: a full one replaces everything; a changes-only
 * one puts the households and sessions sent, drops those removed, and replaces the visit lists, the
 * team and the villages when they came. The store is an interface so the same code runs on IndexedDB
 * in the app and on plain maps in the server's tests (a phone's store after changes-only syncs must
 * equal a fresh full download).
 */
import { foldVietnamese } from "../../lib/text.ts";
import type { Household, Session } from "./store.ts";

export type WorkSetBody = {
  cursor: string;
  full: boolean;
  today: string;
  me: number | null;
  villages: unknown[] | null;
  households: Household[];
  removed: { households: number[]; sessions: number[] };
  lists: unknown | null;
  sessions: Session[];
  members: unknown[] | null;
};

export interface WorkSetStore {
  clear(store: "households" | "sessions"): Promise<unknown>;
  put(store: "households" | "sessions", value: Household | Session): Promise<unknown>;
  delete(store: "households" | "sessions", id: number): Promise<unknown>;
  meta(key: string, value: unknown): Promise<unknown>;
}

/** The folded text a household is found by: its code, head, address and every member's name. */
export const searchTextOf = (h: Household) =>
  foldVietnamese([h.code, h.head, h.address, ...h.members.map((m) => m.name)].join(" "));

export async function applyWorkSet(store: WorkSetStore, body: WorkSetBody): Promise<void> {
  if (body.full) {
    await store.clear("households");
    await store.clear("sessions");
  }
  for (const h of body.households) await store.put("households", { ...h, search: searchTextOf(h) });
  for (const id of body.removed.households) await store.delete("households", id);
  for (const s of body.sessions) await store.put("sessions", s);
  for (const id of body.removed.sessions) await store.delete("sessions", id);
  if (body.lists) await store.meta("lists", body.lists);
  if (body.members) await store.meta("members", body.members);
  if (body.villages) await store.meta("villages", body.villages);
  await store.meta("me", body.me);
  await store.meta("today", body.today);
  await store.meta("cursor", body.cursor);
}
