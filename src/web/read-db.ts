import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db/client.ts";
import { nowMs } from "../lib/clock.ts";
import type { AppEnv } from "./context.ts";
import { isSecure } from "./middleware.ts";

/**
 * Reads on a replica (issue 18.5). A read-only request (GET or HEAD) of a page or an API read that
 * asks for it (`readDbOf(c)`: dashboards, lists, exports) reads on the replica — unless the same
 * browser wrote a moment ago: after any successful write the answer carries a short mark
 * (`bdhvs_wrote`, `FRESH_MS`), and while it lasts the user's reads go to the primary, so a user
 * always sees their own write even when the replica lags behind. Writes (audit records included)
 * always use `deps.db`, the primary.
 */

export const WROTE_COOKIE = "bdhvs_wrote";
/** How long after a write its author's reads stay on the primary (a replica's usual lag is well under a second). */
export const FRESH_MS = 10_000;

/** The database this request reads from. */
export function readDbOf(c: Context<AppEnv>): Db {
  const { db, readDb } = c.var.deps;
  if (readDb === db) return db;
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return db;
  const mark = Number(getCookie(c, WROTE_COOKIE));
  if (Number.isFinite(mark) && mark > nowMs()) return db;
  return readDb;
}

/** After a successful write, marks the browser so its next reads go to the primary for a while. */
export function markWrites(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const { db, readDb } = c.var.deps;
    if (readDb === db || c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS")
      return;
    if (c.res.status >= 400) return;
    setCookie(c, WROTE_COOKIE, String(nowMs() + FRESH_MS), {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: isSecure(c),
      maxAge: Math.ceil(FRESH_MS / 1000),
    });
  };
}
