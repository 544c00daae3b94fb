import type { OpenAPIHono } from "@hono/zod-openapi";
import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { Permission } from "../../features/auth/policy.ts";
import { bearer, errorResponses } from "../api.ts";
import type { AppEnv } from "../context.ts";
import { requirePermission } from "../middleware.ts";

/** An OpenAPI response with a JSON body. */
export function jsonContent<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** A required JSON request body. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return { content: { "application/json": { schema } }, required: true } as const;
}

/** The `{items, total}` answer of a list endpoint. */
export function listContent<S extends z.ZodType>(item: S, description: string) {
  return jsonContent(z.object({ items: z.array(item), total: z.number().int() }), description);
}

/** The parts every authenticated operation shares: bearer security and the error responses. */
export const secured = { security: bearer } as const;

/** Responses of an authenticated operation: its own plus the shared error responses. */
export function withErrors<R extends object>(responses: R): R & typeof errorResponses {
  return { ...responses, ...errorResponses };
}

/** Which permission each HTTP method of a path needs; GET (and any method not named) needs `GET`'s. */
export type MethodPermissions = { GET: Permission } & Partial<
  Record<"POST" | "PUT" | "PATCH" | "DELETE", Permission>
>;

/** Declares the permissions of a path (and, with `/*`, what is below it) by method. */
export function permitByMethod(router: OpenAPIHono<AppEnv>, path: string, byMethod: MethodPermissions): void {
  router.use(path, async (c, next) => {
    const method = c.req.method as keyof MethodPermissions;
    return requirePermission(byMethod[method] ?? byMethod.GET)(c, next);
  });
}

/** What an operation states besides its method and path: summary, request and its own responses. */
type OperationParts = Omit<RouteConfig, "method" | "path" | "security">;

/**
 * An authenticated JSON API operation: bearer security and the shared error responses (401, 403,
 * 404, 422) added to the operation's own responses.
 */
export function apiRoute<M extends RouteConfig["method"], P extends string, R extends OperationParts>(
  method: M,
  path: P,
  parts: R,
) {
  return createRoute({
    ...parts,
    method,
    path,
    security: bearer,
    responses: { ...parts.responses, ...errorResponses },
  });
}
