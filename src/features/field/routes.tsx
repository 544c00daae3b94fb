import { z } from "@hono/zod-openapi";
import { apiRouter } from "../../web/api.ts";
import { requirePermission } from "../../web/middleware.ts";
import { apiRoute } from "../../web/routes-kit/api-route.ts";
import { readerOf } from "../../web/routes-kit/request.ts";
import { syncWorkSet } from "./service.ts";

// --- API ----------------------------------------------------------------------

export const fieldApi = apiRouter();
fieldApi.use("/field/*", requirePermission("attendance.record"));

fieldApi.openapi(
  apiRoute("get", "/field/work-set", {
    summary:
      "The field app's work set: the team's households with their active members (no birth date, citizen ID or phone), the three visit lists in priority order, class sessions of the coming weeks with their learners, the team's members. With `cursor`, only what changed since that sync and the households no longer in scope.",
    request: {
      query: z.object({
        cursor: z.string().optional().openapi({ description: "The `cursor` of the previous sync" }),
      }),
    },
    responses: {
      200: {
        description: "The work set (or its changes)",
        content: {
          "application/json": { schema: z.object({ cursor: z.string(), full: z.boolean() }).passthrough() },
        },
      },
    },
  }),
  async (c) => c.json(await syncWorkSet({ ...readerOf(c), cursor: c.req.valid("query").cursor }), 200),
);
