import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { notFound } from "../../lib/errors.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { readDbOf } from "../../web/read-db.ts";
import { apiRoute, jsonContent, listContent } from "../../web/routes-kit/api-route.ts";
import { optionalText } from "../../web/routes-kit/query-params.ts";
import { planForWindow } from "../plans/service.ts";
import { ZResident } from "../residents/schema.ts";
import { loadDrillPage } from "./dashboard.ts";
import { INDICATOR_CODES, type IndicatorCode } from "./plan.ts";
import { computeIndicators, resolveWindow } from "./service.ts";
import { computeTrends } from "./trend.ts";

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

const ZWindowQuery = z.object({
  date: optionalText("Reference date yyyy-mm-dd (default today), capped at the period's end"),
  period: optionalText("2026, 2026-Q3 or 2026-09 (default: the year of the date)"),
});

/** The viewer's commune, its plan and the date and period asked for (defaults resolved), read on the replica. */
async function windowOf(c: Context<AppEnv>, q: z.infer<typeof ZWindowQuery>) {
  const { communeId } = requireViewer(c);
  const db = readDbOf(c);
  const plan = await planForWindow(db, communeId, q);
  const { date, period } = resolveWindow({ date: q.date, period: q.period, plan });
  return { db, communeId, plan, date, period };
}

indicatorApi.openapi(
  apiRoute("get", "/indicators", {
    summary:
      "The plan's indicators at a date for a period (SPEC §3), as `bdhvs indicators --json` prints them",
    request: { query: ZWindowQuery },
    responses: {
      200: jsonContent(
        z.object({ date: z.string(), period: z.string(), indicators: z.array(ZIndicator) }),
        "The indicators",
      ),
    },
  }),
  async (c) => c.json(await computeIndicators(await windowOf(c, c.req.valid("query"))), 200),
);

indicatorApi.use("/indicators/*", requirePermission("indicator.read"));

const ZTrend = z
  .object({
    code: z.enum(INDICATOR_CODES),
    points: z.array(z.object({ date: z.string(), value: z.number().nullable() })).openapi({
      description: "The value (0–1) at each month's end from the plan's start, then at D",
    }),
    pacePerMonth: z
      .number()
      .nullable()
      .openapi({ description: "Percentage points per month over the last three months" }),
    reachDate: z.string().nullable().openapi({ description: "When the target is reached at that pace" }),
    met: z.boolean(),
    perWeek: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "People (households for 10) per week still needed by the plan's end" }),
    missing: z.number().int().nullable().openapi({ description: "How many are missing for the target at D" }),
  })
  .openapi("IndicatorTrend");

indicatorApi.openapi(
  apiRoute("get", "/indicators/trend", {
    summary: "Month-end values, pace and forecast of the ratio indicators (SPEC §3.2)",
    request: { query: ZWindowQuery },
    responses: {
      200: jsonContent(
        z.object({ date: z.string(), period: z.string(), trends: z.array(ZTrend) }),
        "The trends",
      ),
    },
  }),
  async (c) => {
    const window = await windowOf(c, c.req.valid("query"));
    const trends = await computeTrends(window);
    return c.json({ date: window.date, period: window.period.code, trends }, 200);
  },
);

const ZDrillQuery = ZWindowQuery.extend({
  village: optionalText("A village code (404 outside the caller's scope)"),
  unit: optionalText("A unit code (1, 2, 5)"),
  counted: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "true: those counted in the numerator; false (default): those missing" }),
}).extend(ZPageQuery.shape);

const ZDrillResident = ZResident;

const ZDrillHousehold = z
  .object({
    id: z.number().int(),
    code: z.string(),
    headName: z.string().nullable(),
    address: z.string().nullable(),
    poor: z.boolean(),
    villageCode: z.string(),
    villageName: z.string(),
    members: z.number().int(),
    elderly: z.number().int(),
    disabled: z.number().int(),
    skilled: z.number().int(),
  })
  .openapi("IndicatorHousehold");

const ZCodeParam = z.object({
  code: z
    .string()
    .openapi({ param: { name: "code", in: "path" }, description: "An indicator code, e.g. adult_skills" }),
});

/** The drill-down of a request, its village and unit checked against the caller's scope. */
async function drillOf(c: Context<AppEnv>, code: string, q: z.infer<typeof ZDrillQuery>) {
  const viewer = requireViewer(c);
  if (!(INDICATOR_CODES as readonly string[]).includes(code)) throw notFound();
  const plan = await planForWindow(c.var.deps.db, viewer.communeId, q);
  const { date, period } = resolveWindow({ date: q.date, period: q.period, plan });
  const page = await loadDrillPage({
    db: c.var.deps.db,
    viewer,
    actor: actorOf(viewer, c.var),
    plan,
    code: code as IndicatorCode,
    date,
    period,
    village: q.village || undefined,
    unit: q.unit || undefined,
    counted: q.counted === "true",
    page: q.page,
    pageSize: q.pageSize,
  });
  return page.drill;
}

/** The drill-downs of the API: the residents behind 1–5 and 9, the households behind 10. */
const DRILLS = [
  {
    kind: "residents",
    item: ZDrillResident,
    summary:
      "The residents behind a resident indicator (1–5, 9) at D: missing (default) or counted, the elderly, disabled and poor first",
    description: "One page of residents, masked per role",
  },
  {
    kind: "households",
    item: ZDrillHousehold,
    summary: "The households behind indicator 10 (digital_households) at D: missing (default) or counted",
    description: "One page of households",
  },
] as const;

for (const d of DRILLS) {
  indicatorApi.openapi(
    apiRoute("get", `/indicators/{code}/${d.kind}`, {
      summary: d.summary,
      request: { params: ZCodeParam, query: ZDrillQuery },
      responses: { 200: listContent(d.item, d.description) },
    }),
    async (c) => {
      const drill = await drillOf(c, c.req.valid("param").code, c.req.valid("query"));
      if (drill?.kind !== d.kind) throw notFound();
      return c.json({ items: drill.items, total: drill.total }, 200);
    },
  );
}
