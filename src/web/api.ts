import { OpenAPIHono, z } from "@hono/zod-openapi";
import { validationError } from "../lib/errors.ts";
import { fieldErrorsOf } from "../lib/validation.ts";
import type { AppEnv } from "./context.ts";

/** A router for the JSON API whose request validation fails with the app's own error. */
export function apiRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationError(fieldErrorsOf(result.error.issues, {}, (result as { data?: unknown }).data));
      }
    },
  });
}

export const ZError = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation" }),
      message: z.string(),
      fields: z.record(z.string(), z.string()),
    }),
  })
  .openapi("Error");

export const ZPageQuery = z.object({
  page: z.coerce
    .number()
    .int()
    .min(1)
    .default(1)
    .openapi({ param: { name: "page", in: "query" } }),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ param: { name: "pageSize", in: "query" } }),
});

export const ZIdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" } }),
});

/** Error responses every authenticated route may give. */
export const errorResponses = {
  401: {
    description: "Not signed in, or the token is invalid/expired",
    content: { "application/json": { schema: ZError } },
  },
  403: { description: "The role lacks the permission", content: { "application/json": { schema: ZError } } },
  404: {
    description: "Not found, or outside the caller's scope",
    content: { "application/json": { schema: ZError } },
  },
  422: { description: "Invalid input", content: { "application/json": { schema: ZError } } },
} as const;

/** The answer of a write the record's state refuses (a removal of a record others still refer to). */
export const conflictResponse = {
  409: {
    description: "Refused as the record stands (other records still refer to it)",
    content: { "application/json": { schema: ZError } },
  },
} as const;

export const bearer = [{ bearerAuth: [] }];

/**
 * Gives every API operation without one an `operationId` from its method and path, in one rule:
 * `GET /residents/{id}/certifications` → `getResidentsByIdCertifications`. Unique because method and
 * path are; stable as long as the path is (a generated client's function names).
 */
export function nameOperations(router: OpenAPIHono<AppEnv>): void {
  const camel = (s: string) => s.replace(/[_-](\w)/g, (_, ch: string) => ch.toUpperCase());
  const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
  for (const def of router.openAPIRegistry.definitions) {
    if (def.type !== "route" || def.route.operationId) continue;
    const parts = def.route.path
      .split("/")
      .filter(Boolean)
      .map((p) => (p.startsWith("{") ? `By${cap(camel(p.slice(1, -1)))}` : cap(camel(p))));
    def.route.operationId = `${def.route.method}${parts.join("")}`;
  }
}
