import type { Context } from "hono";
import type { Db } from "../../db/client.ts";
import type { Actor } from "../../features/audit/service.ts";
import type { Viewer } from "../../features/auth/viewer.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { type AppEnv, actorOf } from "../context.ts";
import { readDbOf } from "../read-db.ts";

/** Where a reader reads: `replica: true` adds `readDb`, the replica unless this browser just wrote (web/read-db.ts). */
export type ReaderOptions = { replica?: boolean };

/** What a read service takes from the request: the connection and the signed-in viewer (401 without one). */
export function readerOf(c: Context<AppEnv>): { db: Db; viewer: Viewer };
/** The same, plus `readDb` for a list, dashboard or export that reads on the replica; writes (audit) stay on `db`. */
export function readerOf(
  c: Context<AppEnv>,
  options: { replica: true },
): { db: Db; readDb: Db; viewer: Viewer };
export function readerOf(
  c: Context<AppEnv>,
  options: ReaderOptions = {},
): { db: Db; readDb?: Db; viewer: Viewer } {
  const viewer = c.var.viewer;
  if (!viewer) throw new AppError("unauthenticated", { message: msg("error.unauthenticated") });
  const db = c.var.deps.db;
  return options.replica ? { db, readDb: readDbOf(c), viewer } : { db, viewer };
}

/** What a write service takes: the reader plus the actor the audit trail records. */
export function writerOf(c: Context<AppEnv>): { db: Db; viewer: Viewer; actor: Actor } {
  const reader = readerOf(c);
  return { ...reader, actor: actorOf(reader.viewer, c.var) };
}

/** A numeric path parameter (the route's pattern, e.g. `:id{[0-9]+}`, already made it digits). */
export function idOf(c: Context<AppEnv>, name = "id"): number {
  return Number(c.req.param(name));
}

/** The `page` query parameter as a page number from 1 (anything else reads as 1). */
export function pageOf(c: Context<AppEnv>, name = "page"): number {
  return pageNumber(c.req.query(name));
}

/** A page number from text: a whole number from 1, else 1. */
export function pageNumber(v: string | undefined): number {
  return Math.max(1, Number.parseInt(v ?? "1", 10) || 1);
}

/** The named query parameters, trimmed, an empty one left out (undefined). */
export function queryOf<K extends string>(
  c: Context<AppEnv>,
  keys: readonly K[],
): { [P in K]: string | undefined } {
  const out = {} as { [P in K]: string | undefined };
  for (const k of keys) out[k] = c.req.query(k)?.trim() || undefined;
  return out;
}

/** A validated list query split as list services take it: the page, its size, and the filters. */
export function pagedQuery<Q extends { page: number; pageSize: number }>({ page, pageSize, ...query }: Q) {
  return { page, pageSize, query };
}

/** A list service's page as the JSON API answers it (`total` 0 when the service did not count). */
export function itemsPage<I>(r: { items: I[]; total: number | null }): { items: I[]; total: number } {
  return { items: r.items, total: r.total ?? 0 };
}
