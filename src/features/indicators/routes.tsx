import { createRoute, z } from "@hono/zod-openapi";
import { apiRouter, bearer, errorResponses } from "../../web/api.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { currentPlan, INDICATOR_CODES } from "./plan.ts";
import { computeIndicators, resolveWindow } from "./service.ts";

export const indicatorApi = apiRouter();

const ZRatio = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  value: z.number().nullable(),
});
const ZIndicator = z
  .object({
    id: z.number().int(),
    code: z.enum(INDICATOR_CODES),
    title: z.string(),
    numerator: z.number().int().optional(),
    denominator: z.number().int().optional(),
    value: z.number().nullable().openapi({
      description: "A fraction 0–1 for ratios, the count for 7 and 11; null when the denominator is 0",
    }),
    target: z.number(),
    minimum: z.number().optional(),
    met: z.boolean(),
    responsible: z.string(),
    cooperating: z.array(z.string()),
    byVillage: z
      .record(z.string(), ZRatio)
      .optional()
      .openapi({ description: "By village code (3, 4, 6, 8, 9, 10)" }),
    byUnit: z.record(z.string(), ZRatio).optional().openapi({ description: "By unit code (1, 2, 5)" }),
  })
  .openapi("Indicator");

indicatorApi.use("/indicators", requirePermission("indicator.read"));

indicatorApi.openapi(
  createRoute({
    method: "get",
    path: "/indicators",
    summary:
      "The plan's indicators at a date for a period (SPEC §3), as `bdhvs indicators --json` prints them",
    security: bearer,
    request: {
      query: z.object({
        date: z
          .string()
          .optional()
          .openapi({ description: "Reference date yyyy-mm-dd (default today), capped at the period's end" }),
        period: z
          .string()
          .optional()
          .openapi({ description: "2026, 2026-Q3 or 2026-09 (default: the year of the date)" }),
      }),
    },
    responses: {
      200: {
        description: "The indicators",
        content: {
          "application/json": {
            schema: z.object({ date: z.string(), period: z.string(), indicators: z.array(ZIndicator) }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const q = c.req.valid("query");
    const plan = currentPlan();
    const { date, period } = resolveWindow({ date: q.date, period: q.period, plan });
    return c.json(
      await computeIndicators({ db: c.var.deps.db, communeId: viewer.communeId, plan, date, period }),
      200,
    );
  },
);
