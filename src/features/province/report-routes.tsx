/**
 * The province report's pages and the province's API (issue 18.3 and 18.2): `/province/reports`
 * (list and new draft), `/province/reports/ID` (preview, submit, files), and under `/api/v1` the
 * same reports plus `GET /province/ranking` and `GET /province/communes/{code}` — the figures of
 * the `/province` pages. Only the installation's scope: a commune role gets 404 (403 without the
 * permission to read indicators, as on the pages); the province admin, who reads no commune's
 * figures, 403. Reads go to the replica when there is one.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { type AppError, notFound } from "../../lib/errors.ts";
import { apiRouter, bearer, conflictResponse, errorResponses, ZIdParam } from "../../web/api.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { readDbOf } from "../../web/read-db.ts";
import { render } from "../../web/render.tsx";
import { jsonBody, jsonContent } from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { optionalText } from "../../web/routes-kit/query-params.ts";
import { writerOf } from "../../web/routes-kit/request.ts";
import type { Viewer } from "../auth/viewer.ts";
import { loadDashboard } from "../indicators/dashboard.ts";
import { INDICATOR_CODES } from "../indicators/plan.ts";
import { planFor } from "../plans/service.ts";
import { REPORT_CONTENT_TYPES, REPORT_FORMATS, type ReportFormat } from "../reports/render.ts";
import { inputOfForm } from "../reports/routes.tsx";
import {
  createProvinceReport,
  listProvinceReports,
  type ProvinceReportInput,
  provinceReportModel,
  renderProvinceReport,
  submitProvinceReport,
} from "./report-service.ts";
import { guard, guardProvincePaths, queryOf, windowOf } from "./routes.tsx";
import { communeOf, loadProvinceFigures, provinceTotal, rankCommunes } from "./service.ts";
import { ProvinceReportListPage, ProvinceReportPage } from "./views/reports.tsx";

export const provinceReportRoutes = new Hono<AppEnv>();
guardProvincePaths(provinceReportRoutes, "/province/reports");

const idOf = (c: Context<AppEnv>) => Number(c.req.param("id"));

async function listPage(
  c: Context<AppEnv>,
  values: Record<string, string | undefined> = {},
  errors?: AppError["fields"],
) {
  const viewer = requireViewer(c);
  const items = await listProvinceReports({ db: readDbOf(c), viewer });
  return render(c, { title: c.var.t("preport.title"), status: errors ? 422 : 200 }, (ctx) => (
    <ProvinceReportListPage ctx={ctx} items={items} values={values} errors={errors} />
  ));
}

provinceReportRoutes.get("/province/reports", requirePermission("province_report.read"), (c) => listPage(c));

const reportPath = (r: { id: number }) => `/province/reports/${r.id}`;

provinceReportRoutes.post("/province/reports", requirePermission("province_report.create"), (c) =>
  submitForm(c, {
    run: (form) => createProvinceReport({ ...writerOf(c), input: inputOfForm(form) }),
    to: reportPath,
    invalid: (form, errors) => listPage(c, form as Record<string, string | undefined>, errors),
  }),
);

async function reportPage(c: Context<AppEnv>, error?: string) {
  const viewer = requireViewer(c);
  const db = error ? c.var.deps.db : readDbOf(c);
  // The document's words are Vietnamese whatever the interface's language, as the commune's preview.
  const { report, model } = await provinceReportModel({ db, viewer, id: idOf(c), lang: "vi" });
  return render(
    c,
    { title: c.var.t("preport.report_heading", { period: report.period }), status: error ? 409 : 200 },
    (ctx) => <ProvinceReportPage ctx={ctx} report={report} model={model} error={error} />,
  );
}

provinceReportRoutes.get("/province/reports/:id{[0-9]+}", requirePermission("province_report.read"), (c) =>
  reportPage(c),
);

provinceReportRoutes.post(
  "/province/reports/:id{[0-9]+}/submit",
  requirePermission("province_report.submit"),
  (c) =>
    submitForm(c, {
      run: () => submitProvinceReport({ ...writerOf(c), id: idOf(c), lang: "vi" }),
      to: reportPath,
      invalid: (_form, _errors, err) => reportPage(c, c.var.t(err.msg.key, err.msg.params)),
      catches: ["conflict"],
    }),
);

async function download(c: Context<AppEnv>, id: number, format: string) {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw notFound();
  const viewer = requireViewer(c);
  const { report, body } = await renderProvinceReport({
    db: readDbOf(c),
    viewer,
    id,
    lang: "vi",
    format: format as ReportFormat,
  });
  const name = `bao-cao-tinh-${report.period}${report.status === "draft" ? "-du-thao" : ""}.${format}`;
  c.header("Content-Type", REPORT_CONTENT_TYPES[format as ReportFormat]);
  c.header("Content-Disposition", `attachment; filename="${name}"`);
  return c.body(body as Uint8Array<ArrayBuffer>, 200);
}

provinceReportRoutes.get(
  "/province/reports/:id{[0-9]+}/files/:format",
  requirePermission("province_report.read"),
  (c) => download(c, idOf(c), c.req.param("format")),
);

// --- API ----------------------------------------------------------------------

export const provinceApi = apiRouter();
provinceApi.use("/province/*", requirePermission("indicator.read"), guard);
provinceApi.use("/province/reports", async (c, next) =>
  requirePermission(c.req.method === "POST" ? "province_report.create" : "province_report.read")(c, next),
);
provinceApi.use("/province/reports/*", async (c, next) =>
  requirePermission(c.req.method === "POST" ? "province_report.submit" : "province_report.read")(c, next),
);

const ZWindow = z.object({
  date: optionalText("Reference date yyyy-mm-dd (default today)"),
  period: optionalText("2026, 2026-Q3 or 2026-09 (default the plan's year)"),
});

const ZCommuneFigure = z
  .object({
    code: z.string(),
    name: z.string(),
    rank: z.number().int().nullable().openapi({ description: "1 for the best; null without a value" }),
    numerator: z.number().int().nullable(),
    denominator: z.number().int().nullable(),
    value: z
      .number()
      .nullable()
      .openapi({ description: "A fraction 0–1 (the count for 7 and 11); null: no data" }),
    target: z.number(),
    met: z.boolean(),
    change: z.number().nullable().openapi({ description: "The value minus the value one month earlier" }),
    noData: z.boolean(),
  })
  .openapi("ProvinceCommuneFigure");

provinceApi.openapi(
  createRoute({
    method: "get",
    path: "/province/ranking",
    summary: "The communes ranked on one indicator, as the /province page shows them (same filters and sort)",
    security: bearer,
    request: {
      query: ZWindow.extend({
        indicator: z.enum(INDICATOR_CODES).optional().openapi({ description: "Default the plan's first" }),
        sort: z.enum(["rank", "name", "value", "change"]).optional(),
        desc: z.enum(["0", "1"]).optional(),
        off: z.enum(["0", "1"]).optional().openapi({ description: "1: only the communes off target" }),
      }),
    },
    responses: {
      200: {
        description: "The ranking",
        content: {
          "application/json": {
            schema: z.object({
              date: z.string(),
              period: z.string(),
              previousDate: z.string(),
              indicator: z.enum(INDICATOR_CODES),
              province: z.object({
                numerator: z.number().int().optional(),
                denominator: z.number().int().optional(),
                value: z.number().nullable(),
                target: z.number(),
                met: z.boolean(),
              }),
              communes: z.array(ZCommuneFigure),
            }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const { date, period } = await windowOf(c, { lenient: false });
    const figures = await loadProvinceFigures({ db: readDbOf(c), viewer, date, period });
    const q = queryOf(c, figures.plan);
    const target = figures.plan.indicators.find((i) => i.code === q.indicator)?.target ?? 0;
    const rows = rankCommunes(figures, q.indicator, { sort: q.sort, desc: q.desc, offTarget: q.offTarget });
    return c.json(
      {
        date,
        period: period.code,
        previousDate: figures.previousDate,
        indicator: q.indicator,
        province: { ...provinceTotal(figures, q.indicator), target },
        communes: rows.map((r) => ({
          code: r.commune.code,
          name: r.commune.name,
          rank: r.rank,
          numerator: r.noData ? null : (r.indicator.numerator ?? null),
          denominator: r.noData ? null : (r.indicator.denominator ?? null),
          value: r.indicator.value,
          target: r.indicator.target,
          met: r.indicator.met,
          change: r.change,
          noData: r.noData,
        })),
      },
      200,
    );
  },
);

provinceApi.openapi(
  createRoute({
    method: "get",
    path: "/province/communes/{code}",
    summary: "A commune's dashboard figures as the province reads them (read-only)",
    security: bearer,
    request: {
      params: z.object({ code: z.string().openapi({ param: { name: "code", in: "path" } }) }),
      query: ZWindow,
    },
    responses: {
      200: {
        description: "The commune's indicators at the date",
        content: {
          "application/json": {
            schema: z.object({
              commune: z.object({ code: z.string(), name: z.string() }),
              date: z.string(),
              period: z.string(),
              indicators: z.array(z.record(z.string(), z.unknown())).openapi({
                description: "As GET /indicators answers for that commune",
              }),
            }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const db = readDbOf(c);
    const { date, period } = await windowOf(c, { lenient: false });
    const figures = await loadProvinceFigures({ db, viewer, date, period });
    const commune = communeOf(figures, c.req.valid("param").code);
    const plan = await planFor(db, commune.id);
    const asCommune: Viewer = { ...viewer, communeId: commune.id, communeName: commune.name };
    const { table } = await loadDashboard({ db, viewer: asCommune, plan, date, period });
    return c.json(
      {
        commune: { code: commune.code, name: commune.name },
        date,
        period: period.code,
        indicators: table.indicators as unknown as Record<string, unknown>[],
      },
      200,
    );
  },
);

const ZProvinceReport = z
  .object({
    id: z.number().int(),
    period: z.string(),
    status: z.enum(["draft", "submitted"]),
    date: z.string(),
    number: z.string().nullable(),
    signed_on: z.string(),
    signer_name: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
    submitted_by: z.string().nullable(),
    submitted_at: z.string().nullable(),
  })
  .openapi("ProvinceReport");

const ZProvinceReportIn = z
  .object({
    period: z.string().openapi({ example: "2026-Q3" }),
    date: z.string().optional(),
    number: z.string().optional(),
    signed_on: z.string().optional(),
    signer_name: z.string().optional(),
  })
  .partial()
  .openapi("ProvinceReportInput");

provinceApi.openapi(
  createRoute({
    method: "get",
    path: "/province/reports",
    summary: "The provincial steering committee's reports",
    security: bearer,
    responses: {
      200: {
        description: "The reports, newest period first",
        content: { "application/json": { schema: z.object({ items: z.array(ZProvinceReport) }) } },
      },
      ...errorResponses,
    },
  }),
  async (c) =>
    c.json({ items: await listProvinceReports({ db: readDbOf(c), viewer: requireViewer(c) }) }, 200),
);

provinceApi.openapi(
  createRoute({
    method: "post",
    path: "/province/reports",
    summary: "A new draft of the province report for a period",
    security: bearer,
    request: { body: jsonBody(ZProvinceReportIn) },
    responses: {
      201: jsonContent(ZProvinceReport, "The draft"),
      ...errorResponses,
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const b = c.req.valid("json");
    const input: ProvinceReportInput = {
      period: b.period,
      date: b.date,
      number: b.number,
      signedOn: b.signed_on,
      signerName: b.signer_name,
    };
    const r = await createProvinceReport({ db: c.var.deps.db, viewer, actor: actorOf(viewer, c.var), input });
    return c.json(r, 201);
  },
);

provinceApi.openapi(
  createRoute({
    method: "get",
    path: "/province/reports/{id}",
    summary: "A province report with its figures: a draft's computed now, a submitted one's as frozen",
    security: bearer,
    request: { params: ZIdParam },
    responses: {
      200: {
        description: "The report",
        content: {
          "application/json": {
            schema: ZProvinceReport.extend({
              figures: z.record(z.string(), z.unknown()).openapi({
                description: "The province's figures on each indicator and each commune's, with its rank",
              }),
            }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { report, figures } = await provinceReportModel({
      db: readDbOf(c),
      viewer: requireViewer(c),
      id: c.req.valid("param").id,
      lang: "vi",
    });
    return c.json({ ...report, figures: figures as unknown as Record<string, unknown> }, 200);
  },
);

provinceApi.openapi(
  createRoute({
    method: "post",
    path: "/province/reports/{id}/submit",
    summary: "Submit a draft: its content and figures are frozen as they are now",
    security: bearer,
    request: { params: ZIdParam },
    responses: {
      200: {
        description: "The submitted report",
        content: { "application/json": { schema: ZProvinceReport } },
      },
      ...conflictResponse,
      ...errorResponses,
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const r = await submitProvinceReport({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      id: c.req.valid("param").id,
      lang: "vi",
    });
    return c.json(r, 200);
  },
);

provinceApi.openapi(
  createRoute({
    method: "get",
    path: "/province/reports/{id}/files/{format}",
    summary:
      "Download a province report (DOCX, XLSX or PDF): a draft laid out now, a submitted one from its frozen content",
    security: bearer,
    request: { params: ZIdParam.extend({ format: z.enum(REPORT_FORMATS) }) },
    responses: {
      200: { description: "The file (DOCX, XLSX or PDF)" },
      ...errorResponses,
    },
  }),
  // biome-ignore lint/suspicious/noExplicitAny: a binary body is outside the typed JSON responses
  (async (c: any) => download(c, c.req.valid("param").id, c.req.valid("param").format)) as any,
);
