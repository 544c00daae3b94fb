import type { MiddlewareHandler } from "hono";
import { KEY_PATTERN, runIdempotent } from "../features/idempotency/service.ts";
import { AppError, msg } from "../lib/errors.ts";
import type { AppEnv } from "./context.ts";

/**
 * Opt-in for a write route: with an `Idempotency-Key` header, the route runs at most once per user
 * and key (`runIdempotent`): the handler runs inside the transaction that stores its answer (its
 * `deps.db` is that transaction), and a replay gets the stored status and body with
 * `Idempotent-Replayed: true`. Without the header the route runs as before. Mount it after the
 * route's permission check, so a replay is authorized like the first request.
 */
export function idempotent(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const viewer = c.var.viewer;
    if (key === undefined || !viewer || c.req.method === "GET") return next();
    if (!KEY_PATTERN.test(key))
      throw new AppError("bad_request", { message: msg("idempotency.key_invalid") });
    const deps = c.var.deps;
    const { answer, replayed } = await runIdempotent({
      db: deps.db,
      communeId: viewer.communeId,
      userId: viewer.userId,
      key,
      method: c.req.method,
      path: c.req.path,
      body: await c.req.text(),
      run: async (tx) => {
        c.set("deps", { ...deps, db: tx });
        try {
          await next();
        } finally {
          c.set("deps", deps);
        }
        return {
          status: c.res.status,
          contentType: c.res.headers.get("content-type"),
          body: await c.res.clone().text(),
        };
      },
    });
    if (!replayed) return;
    const headers: Record<string, string> = { "Idempotent-Replayed": "true" };
    if (answer.contentType) headers["content-type"] = answer.contentType;
    return c.body(answer.body, answer.status as 200, headers);
  };
}
