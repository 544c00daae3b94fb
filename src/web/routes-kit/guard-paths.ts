import type { Hono, MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";

/** Runs `handlers` (a permission check, a guard) before every route at `base` and below it. */
export function guardPaths(
  router: Hono<AppEnv>,
  base: string,
  ...handlers: MiddlewareHandler<AppEnv>[]
): void {
  router.use(base, ...handlers);
  router.use(`${base}/*`, ...handlers);
}
