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

/** The same permission for every write method (POST, PUT, PATCH, DELETE). */
export function writes(permission: Permission): Required<Omit<MethodPermissions, "GET">> {
  return { POST: permission, PUT: permission, PATCH: permission, DELETE: permission };
}

/** Declares the permissions of a path (and, with `/*`, what is below it) by method; a write to a path ending in one of `bySuffix`'s keys needs that key's permission instead. */
export function permitByMethod(
  router: OpenAPIHono<AppEnv>,
  path: string,
  byMethod: MethodPermissions,
  bySuffix: Readonly<Record<string, Permission>> = {},
): void {
  router.use(path, async (c, next) =>
    requirePermission(permissionFor(c.req.method, c.req.path, byMethod, bySuffix))(c, next),
  );
}

/** The permission a request needs under `permitByMethod`'s rules (a read is never looked up by suffix). */
export function permissionFor(
  method: string,
  path: string,
  byMethod: MethodPermissions,
  bySuffix: Readonly<Record<string, Permission>> = {},
): Permission {
  if (method !== "GET" && method !== "HEAD") {
    const bare = path.replace(/\/+$/, "");
    for (const [suffix, permission] of Object.entries(bySuffix)) if (bare.endsWith(suffix)) return permission;
  }
  return byMethod[method as keyof MethodPermissions] ?? byMethod.GET;
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
