import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../db/schema.ts";
import { apiRouter, bearer, errorResponses, ZError } from "../../web/api.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { issueApiToken, revokeApiToken } from "./service.ts";

export const authApi = apiRouter();

const ZTokenIn = z
  .object({
    username: z.string().min(1),
    password: z.string().min(1),
    totp: z
      .string()
      .optional()
      .openapi({ description: "The 6-digit code, for accounts with two-step verification" }),
  })
  .openapi("TokenRequest");

authApi.openapi(
  createRoute({
    method: "post",
    path: "/auth/token",
    summary: "Exchange a username and password for a bearer token",
    // The one operation without a token: it is how a client gets one.
    security: [],
    request: { body: { content: { "application/json": { schema: ZTokenIn } }, required: true } },
    responses: {
      200: {
        description: "The token; send it as `Authorization: Bearer TOKEN`",
        content: {
          "application/json": {
            schema: z.object({ token: z.string(), expiresAt: z.string() }).openapi("Token"),
          },
        },
      },
      400: { description: "Malformed JSON", content: { "application/json": { schema: ZError } } },
      401: { description: "Wrong username or password", content: { "application/json": { schema: ZError } } },
      422: errorResponses[422],
      429: {
        description: "Too many failed sign-ins; see Retry-After",
        content: { "application/json": { schema: ZError } },
      },
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const { token, expiresAt } = await issueApiToken({
      db: c.var.deps.db,
      username: body.username,
      password: body.password,
      totp: body.totp,
      client: { ip: c.var.clientIp, requestId: c.var.requestId },
      settings: c.var.deps.auth,
    });
    return c.json({ token, expiresAt: expiresAt.toISOString() }, 200);
  },
);

authApi.use("/auth/token", async (c, next) =>
  c.req.method === "DELETE" ? requirePermission(null)(c, next) : next(),
);

authApi.openapi(
  createRoute({
    method: "delete",
    path: "/auth/token",
    summary: "Revoke the bearer token of this request",
    security: bearer,
    responses: { 204: { description: "Revoked" }, 401: errorResponses[401] },
  }),
  async (c) => {
    const token = c.req.header("authorization")!.replace(/^Bearer\s+/i, "");
    await revokeApiToken({
      db: c.var.deps.db,
      token,
      viewer: requireViewer(c),
      client: { ip: c.var.clientIp, requestId: c.var.requestId },
    });
    return c.body(null, 204);
  },
);

authApi.use("/me", requirePermission(null));

authApi.openapi(
  createRoute({
    method: "get",
    path: "/me",
    summary: "The signed-in account, its role and scope",
    security: bearer,
    responses: {
      200: {
        description: "The caller",
        content: {
          "application/json": {
            schema: z
              .object({
                id: z.number().int(),
                username: z.string(),
                displayName: z.string(),
                role: z.enum(ROLES),
                communeId: z.number().int(),
                scope: z.object({
                  kind: z.enum(["installation", "commune", "villages", "unit"]),
                  communeId: z.number().int().optional(),
                  villageIds: z.array(z.number().int()).optional(),
                  unitId: z.number().int().nullable().optional(),
                }),
              })
              .openapi("Me"),
          },
        },
      },
      401: errorResponses[401],
    },
  }),
  (c) => {
    const v = requireViewer(c);
    return c.json(
      {
        id: v.userId,
        username: v.username,
        displayName: v.displayName,
        role: v.role,
        communeId: v.communeId,
        scope: {
          kind: v.scope.kind,
          communeId: "communeId" in v.scope ? v.scope.communeId : undefined,
          villageIds: "villageIds" in v.scope ? [...v.scope.villageIds] : undefined,
          unitId: "unitId" in v.scope ? v.scope.unitId : undefined,
        },
      },
      200,
    );
  },
);
