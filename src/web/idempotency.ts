import type { Context, MiddlewareHandler, Next } from "hono";
import type { Db } from "../db/client.ts";
import { KEY_PATTERN, runIdempotent } from "../features/idempotency/service.ts";
import { AppError, msg } from "../lib/errors.ts";
import type { AppEnv } from "./context.ts";
import { setFlash } from "./render.tsx";

/** Runs the route with `deps.db` swapped for the transaction that stores its answer. */
async function nextInside(c: Context<AppEnv>, tx: Db, next: Next) {
  const deps = c.var.deps;
  c.set("deps", { ...deps, db: tx });
  try {
    await next();
  } finally {
    c.set("deps", deps);
  }
}

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
        await nextInside(c, tx, next);
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

/** The hidden field a server-rendered form carries its key in (`FormKey`, drawn at render). */
export const FORM_KEY_FIELD = "idempotency_key";

/**
 * The same for a server-rendered form: the key comes in the form's hidden `idempotency_key` field,
 * made when the form was drawn, so a double submit or a back-and-resubmit of the same form writes once
 * and lands on the same page (the stored answer is the redirect; the replay says the form was already
 * sent). Only a success (a redirect) is kept: a form shown again with its errors gets a new key. The
 * same key with other values (the old form edited after going back) is refused with a plain reason.
 */
export function idempotentForm(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const viewer = c.var.viewer;
    const type = c.req.header("content-type") ?? "";
    if (c.req.method !== "POST" || !viewer || !type.startsWith("application/x-www-form-urlencoded"))
      return next();
    const body = await c.req.text();
    const key = new URLSearchParams(body).get(FORM_KEY_FIELD);
    if (!key) return next();
    if (!KEY_PATTERN.test(key))
      throw new AppError("bad_request", { message: msg("idempotency.key_invalid") });
    const deps = c.var.deps;
    let result: Awaited<ReturnType<typeof runIdempotent>>;
    try {
      result = await runIdempotent({
        db: deps.db,
        communeId: viewer.communeId,
        userId: viewer.userId,
        key: `form:${key}`,
        method: "POST",
        path: c.req.path,
        body,
        keep: (a) => a.status >= 300 && a.status < 400,
        run: async (tx) => {
          await nextInside(c, tx, next);
          return { status: c.res.status, contentType: null, body: c.res.headers.get("location") ?? "" };
        },
      });
    } catch (err) {
      if (err instanceof AppError && err.code === "validation")
        throw new AppError("validation", { message: msg("idempotency.form_reused") });
      throw err;
    }
    if (!result.replayed) return;
    setFlash(c, msg("idempotency.form_replayed"));
    return c.redirect(result.answer.body || "/", 303);
  };
}
