import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { REPORT_STATUSES } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { apiRouter, conflictResponse, ZIdParam } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, readForm, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import {
  apiRoute,
  jsonBody,
  jsonContent,
  listContent,
  permitByMethod,
  writes,
} from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { apiDeleteById, apiPatchById } from "../../web/routes-kit/record-operations.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { planFor } from "../plans/service.ts";
import { REPORT_CONTENT_TYPES, REPORT_FORMATS } from "./render.ts";
import type { ReportFormat } from "./repo.ts";
import {
  approveReport,
  createReport,
  deleteReport,
  getReport,
  listReports,
  newReportVersion,
  type ReportInput,
  type ReportItem,
  reportFile,
  reportModelOf,
  returnedBefore,
  returnReport,
  scheduleOf,
  submitReport,
  updateReport,
} from "./service.ts";
import {
  ReportDetailPage,
  type ReportFormValues,
  ReportListPage,
  ReportNewPage,
  reportName,
  SubmitConfirmPage,
} from "./views/pages.tsx";

export const reportRoutes = new Hono<AppEnv>();

/** The plan in force for the viewer's commune. */
const planOf = (c: Context<AppEnv>) => planFor(c.var.deps.db, requireViewer(c).communeId);

export const inputOfForm = (form: FormValues): ReportInput => ({
  period: str(form, "period"),
  date: str(form, "date"),
  number: str(form, "number"),
  signedOn: str(form, "signed_on"),
  signerName: str(form, "signer_name"),
  narrative: {
    overview: str(form, "overview"),
    difficulties: str(form, "difficulties"),
    nextSteps: str(form, "nextSteps"),
    proposals: str(form, "proposals"),
  },
  adhoc: str(form, "adhoc") ? { title: str(form, "title"), dueDate: str(form, "due_date") } : undefined,
});

const valuesOf = (r: ReportItem): ReportFormValues => ({
  period: r.period,
  date: r.date,
  number: r.number ?? "",
  signed_on: r.signed_on,
  signer_name: r.signer_name ?? "",
  ...r.narrative,
});

reportRoutes.get("/reports", requirePermission("report.read"), async (c) => {
  const viewer = requireViewer(c);
  const items = await listReports({ db: c.var.deps.db, viewer });
  const schedule = viewer.scope.kind === "commune" ? scheduleOf(await planOf(c), items) : [];
  return render(c, { title: c.var.t("reports.title") }, (ctx) => (
    <ReportListPage
      ctx={ctx}
      items={items}
      schedule={schedule}
      canCreate={viewerCan(viewer, "report.create") && viewer.scope.kind === "commune"}
    />
  ));
});

/** The next scheduled period without a submission, as the form's suggestion. */
async function suggestedPeriod(c: Context<AppEnv>, items: ReportItem[]): Promise<string> {
  const next = scheduleOf(await planOf(c), items).find(
    (s) => s.state === "upcoming" || s.state === "overdue",
  );
  return next?.period ?? todayInVietnam().slice(0, 4);
}

async function newPage(c: Context<AppEnv>, values: ReportFormValues, adhoc: boolean, errors?: FieldErrors) {
  const title = c.var.t(adhoc ? "reports.adhoc_new" : "reports.new");
  return render(c, { title, status: errors ? 422 : 200 }, (ctx) => (
    <ReportNewPage ctx={ctx} values={values} errors={errors} adhoc={adhoc} />
  ));
}

reportRoutes.get("/reports/new", requirePermission("report.create"), async (c) => {
  const viewer = requireViewer(c);
  const items = await listReports({ db: c.var.deps.db, viewer });
  const adhoc = c.req.query("adhoc") === "1";
  const today = todayInVietnam();
  // An ad hoc report's figures default to the year so far.
  const period = adhoc ? today.slice(0, 4) : await suggestedPeriod(c, items);
  return newPage(c, { period, signed_on: today }, adhoc);
});

reportRoutes.post("/reports", requirePermission("report.create"), (c) => {
  return submitForm(c, {
    run: async (form) => createReport({ ...writerOf(c), plan: await planOf(c), input: inputOfForm(form) }),
    flash: (r) => msg("reports.created_msg", { period: r.period, version: r.version }),
    to: (r) => `/reports/${r.id}`,
    invalid: (form, errors) => newPage(c, form as ReportFormValues, Boolean(str(form, "adhoc")), errors),
  });
});

async function detailPage(
  c: Context<AppEnv>,
  opts: { values?: ReportFormValues; errors?: FieldErrors } = {},
) {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const id = idOf(c);
  // The plan first: an `await` among Promise.all's arguments leaves getReport's rejection unhandled a moment.
  const plan = await planOf(c);
  const [{ files }, live, items] = await Promise.all([
    getReport({ db, viewer, id }),
    // The preview shows the official document, which is in Vietnamese whatever the interface's language.
    reportModelOf({ db, viewer, plan, id, lang: "vi" }),
    listReports({ db, viewer }),
  ]);
  const r = live.report;
  const commune = viewer.scope.kind === "commune";
  return render(
    c,
    {
      title: c.var.t("reports.detail_title", { period: r.period, version: r.version }),
      status: opts.errors ? 422 : 200,
      // The submit button's dialog; without it, the button leads to the confirmation page.
      head: r.status === "draft" ? <script src="/static/reports.js" defer /> : undefined,
    },
    (ctx) => (
      <ReportDetailPage
        ctx={ctx}
        report={r}
        model={live.model}
        frozen={live.frozen}
        files={files}
        values={opts.values ?? valuesOf(r)}
        errors={opts.errors}
        previousReturn={returnedBefore(items, r)}
        can={{
          edit: commune && r.status === "draft" && viewerCan(viewer, "report.create"),
          submit: commune && r.status === "draft" && viewerCan(viewer, "report.submit"),
          approve: commune && r.status === "submitted" && viewerCan(viewer, "report.approve"),
          newVersion:
            commune &&
            (r.status === "submitted" || r.status === "approved" || r.status === "returned") &&
            viewerCan(viewer, "report.create"),
        }}
      />
    ),
  );
}

reportRoutes.get("/reports/:id{[0-9]+}", requirePermission("report.read"), (c) => detailPage(c));

reportRoutes.post("/reports/:id{[0-9]+}", requirePermission("report.create"), async (c) => {
  const form = await readForm(c);
  try {
    await updateReport({ ...writerOf(c), id: idOf(c), input: inputOfForm(form) });
    setFlash(c, msg("reports.saved"));
    return c.redirect(`/reports/${idOf(c)}`, 303);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return detailPage(c, { values: form as ReportFormValues, errors: err.fields });
  }
});

/** Asks before submitting, for a browser without JavaScript (with it, the report page's dialog asks). */
reportRoutes.get("/reports/:id{[0-9]+}/submit", requirePermission("report.submit"), async (c) => {
  const { report } = await getReport({ ...readerOf(c), id: idOf(c) });
  if (report.status !== "draft") return c.redirect(`/reports/${report.id}`, 303);
  const t = c.var.t;
  return render(
    c,
    { title: t("reports.submit_confirm_title", { name: reportName(t, report), version: report.version }) },
    (ctx) => <SubmitConfirmPage ctx={ctx} report={report} />,
  );
});

reportRoutes.post("/reports/:id{[0-9]+}/submit", requirePermission("report.submit"), async (c) => {
  await readForm(c);
  try {
    const r = await submitReport({ ...writerOf(c), plan: await planOf(c), id: idOf(c) });
    setFlash(c, msg("reports.submitted_flash", { period: r.period, version: r.version }));
    return c.redirect(`/reports/${r.id}`, 303);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return detailPage(c, { errors: err.fields });
  }
});

reportRoutes.post("/reports/:id{[0-9]+}/approve", requirePermission("report.approve"), async (c) => {
  await readForm(c);
  const r = await approveReport({ ...writerOf(c), id: idOf(c) });
  setFlash(c, msg("reports.approved_flash", { period: r.period, version: r.version }));
  return c.redirect(`/reports/${r.id}`, 303);
});

reportRoutes.post("/reports/:id{[0-9]+}/return", requirePermission("report.approve"), (c) => {
  return submitForm(c, {
    run: (form) => returnReport({ ...writerOf(c), id: idOf(c), comment: str(form, "comment") }),
    flash: (r) => msg("reports.returned_flash", { name: reportName(c.var.t, r), version: r.version }),
    to: (r) => `/reports/${r.id}`,
    invalid: (form, errors) => detailPage(c, { values: form as ReportFormValues, errors }),
  });
});

reportRoutes.post("/reports/:id{[0-9]+}/versions", requirePermission("report.create"), async (c) => {
  await readForm(c);
  const r = await newReportVersion({ ...writerOf(c), plan: await planOf(c), id: idOf(c) });
  setFlash(c, msg("reports.created_msg", { period: r.period, version: r.version }));
  return c.redirect(`/reports/${r.id}`, 303);
});

reportRoutes.post("/reports/:id{[0-9]+}/delete", requirePermission("report.create"), async (c) => {
  await readForm(c);
  await deleteReport({ ...writerOf(c), id: idOf(c) });
  setFlash(c, msg("reports.deleted"));
  return c.redirect("/reports", 303);
});

const isFormat = (f: string): f is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(f);

async function download(c: Context<AppEnv>, id: number, format: string) {
  if (!isFormat(format)) throw new AppError("not_found", { message: msg("error.not_found") });
  const file = await reportFile({ ...readerOf(c), plan: await planOf(c), id, format, lang: c.var.lang });
  c.header("Content-Type", REPORT_CONTENT_TYPES[format]);
  c.header("Content-Disposition", `attachment; filename="${file.filename}"`);
  return c.body(file.content as Uint8Array<ArrayBuffer>, 200);
}

reportRoutes.get("/reports/:id{[0-9]+}/files/:format", requirePermission("report.read"), (c) =>
  download(c, idOf(c), c.req.param("format")),
);

// --- API ----------------------------------------------------------------------

export const reportApi = apiRouter();
permitByMethod(reportApi, "/reports", { GET: "report.read", POST: "report.create" });
permitByMethod(
  reportApi,
  "/reports/*",
  { GET: "report.read", ...writes("report.create") },
  { "/submit": "report.submit", "/approve": "report.approve", "/return": "report.approve" },
);

const ZNarrative = z.object({
  overview: z.string(),
  difficulties: z.string(),
  nextSteps: z.string(),
  proposals: z.string(),
});

const ZReport = z
  .object({
    id: z.number().int(),
    period: z.string().openapi({ example: "2026-Q3" }),
    version: z.number().int(),
    status: z.enum(REPORT_STATUSES),
    date: z.string().openapi({ description: "Reference date of the figures, yyyy-mm-dd" }),
    due_date: z.string().nullable().openapi({ description: "From the plan's reporting schedule" }),
    number: z.string().nullable(),
    signed_on: z.string(),
    signer_name: z.string().nullable(),
    narrative: ZNarrative,
    created_by: z.string().nullable(),
    created_at: z.string(),
    submitted_by: z.string().nullable(),
    submitted_at: z.string().nullable(),
    submitted_on: z.string().nullable(),
    on_time: z.boolean().nullable(),
    approved_by: z.string().nullable(),
    approved_at: z.string().nullable(),
    kind: z.enum(["scheduled", "adhoc"]).openapi({ description: "adhoc: an ad hoc (đột xuất) report" }),
    adhoc_no: z
      .number()
      .int()
      .openapi({ description: "0 for a scheduled report; N for the N-th ad hoc one" }),
    title: z.string().nullable().openapi({ description: "An ad hoc report's title (its reason)" }),
    returned_by: z.string().nullable(),
    returned_at: z.string().nullable(),
    return_comment: z.string().nullable().openapi({ description: "The leader's comment when returning it" }),
  })
  .openapi("Report");

const ZReportIn = z
  .object({
    period: z.string().optional().openapi({ description: "2026, 2026-Q3 or 2026-09 (only when creating)" }),
    date: z.string().optional().openapi({ description: "Reference date, yyyy-mm-dd, within the period" }),
    number: z.string().optional(),
    signed_on: z.string().optional(),
    signer_name: z.string().optional(),
    narrative: ZNarrative.partial().optional(),
    adhoc: z
      .object({
        title: z.string().openapi({ description: "The title (reason), printed as the subject" }),
        due_date: z.string().openapi({ description: "yyyy-mm-dd, chosen by the coordinator" }),
      })
      .optional()
      .openapi({ description: "Only when creating: an ad hoc (đột xuất) report outside the schedule" }),
  })
  .openapi("ReportInput");

const inputOfJson = (b: z.infer<typeof ZReportIn>): ReportInput => ({
  period: b.period,
  date: b.date,
  number: b.number,
  signedOn: b.signed_on,
  signerName: b.signer_name,
  narrative: b.narrative,
  adhoc: b.adhoc ? { title: b.adhoc.title, dueDate: b.adhoc.due_date } : undefined,
});

reportApi.openapi(
  apiRoute("get", "/reports", {
    summary: "Every report of the caller's commune (the province: of every commune), newest first",
    responses: { 200: listContent(ZReport, "Reports") },
  }),
  async (c) => {
    const items = await listReports({ ...readerOf(c) });
    return c.json({ items, total: items.length }, 200);
  },
);

reportApi.openapi(
  apiRoute("get", "/reports/{id}", {
    summary: "One report with its figures: frozen when submitted, computed now for a draft",
    request: { params: ZIdParam },
    responses: {
      200: jsonContent(
        ZReport.extend({
          figures: z
            .any()
            .openapi({ description: "The indicator table, as GET /api/v1/indicators returns it" }),
          files: z.array(
            z.object({ format: z.enum(REPORT_FORMATS), size: z.number().int(), sha256: z.string() }),
          ),
        }),
        "The report",
      ),
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const id = c.req.valid("param").id;
    const plan = await planOf(c); // before Promise.all (see detailPage)
    const [{ files }, live] = await Promise.all([
      getReport({ db: c.var.deps.db, viewer, id }),
      reportModelOf({ db: c.var.deps.db, viewer, plan, id, lang: c.var.lang }),
    ]);
    return c.json({ ...live.report, figures: live.table, files }, 200);
  },
);

reportApi.openapi(
  apiRoute("post", "/reports", {
    summary: "Create a draft report for a period (one draft per period; the next version number)",
    request: { body: jsonBody(ZReportIn) },
    responses: { 201: jsonContent(ZReport, "The new draft"), ...conflictResponse },
  }),
  async (c) =>
    c.json(
      await createReport({ ...writerOf(c), plan: await planOf(c), input: inputOfJson(c.req.valid("json")) }),
      201,
    ),
);

apiPatchById(reportApi, {
  path: "/reports/{id}",
  summary: "Change a draft (a submitted report is never edited: 409)",
  body: ZReportIn,
  schema: ZReport,
  description: "The draft after the change",
  responses: conflictResponse,
  run: (c, id, body) => updateReport({ ...writerOf(c), id, input: inputOfJson(body) }),
});

apiDeleteById(reportApi, {
  path: "/reports/{id}",
  summary: "Delete a draft (a submitted report cannot be deleted: 409)",
  responses: conflictResponse,
  run: (c, id) => deleteReport({ ...writerOf(c), id }),
});

reportApi.openapi(
  apiRoute("post", "/reports/{id}/submit", {
    summary:
      "Submit a draft in one call: freezes its figures and files; earlier versions of the period are superseded (the web asks for confirmation first; the API does not)",
    request: { params: ZIdParam },
    responses: { 200: jsonContent(ZReport, "The submitted report"), ...conflictResponse },
  }),
  async (c) =>
    c.json(await submitReport({ ...writerOf(c), plan: await planOf(c), id: c.req.valid("param").id }), 200),
);

reportApi.openapi(
  apiRoute("post", "/reports/{id}/approve", {
    summary: "Approve a submitted report (leader)",
    request: { params: ZIdParam },
    responses: { 200: jsonContent(ZReport, "The approved report"), ...conflictResponse },
  }),
  async (c) => c.json(await approveReport({ ...writerOf(c), id: c.req.valid("param").id }), 200),
);

reportApi.openapi(
  apiRoute("post", "/reports/{id}/return", {
    summary: "Return a submitted report to its writer with a comment (leader, admin); a new version follows",
    request: {
      params: ZIdParam,
      body: jsonBody(
        z
          .object({ comment: z.string().openapi({ description: "Required, at most 2,000 characters" }) })
          .openapi("ReportReturn"),
      ),
    },
    responses: { 200: jsonContent(ZReport, "The returned report"), ...conflictResponse },
  }),
  async (c) =>
    c.json(await returnReport({ ...writerOf(c), ...c.req.valid("param"), ...c.req.valid("json") }), 200),
);

reportApi.openapi(
  apiRoute("post", "/reports/{id}/versions", {
    summary: "Start a new draft version of a submitted report's period",
    request: { params: ZIdParam },
    responses: { 201: jsonContent(ZReport, "The new draft"), ...conflictResponse },
  }),
  async (c) =>
    c.json(
      await newReportVersion({ ...writerOf(c), plan: await planOf(c), id: c.req.valid("param").id }),
      201,
    ),
);

reportApi.openapi(
  apiRoute("get", "/reports/{id}/files/{format}", {
    summary: "Download a report: a submitted report's stored file, or a draft generated now",
    request: { params: ZIdParam.extend({ format: z.enum(REPORT_FORMATS) }) },
    responses: { 200: { description: "The file (DOCX, XLSX or PDF)" } },
  }),
  // biome-ignore lint/suspicious/noExplicitAny: a binary body is outside the typed JSON responses
  (async (c: any) => download(c, c.req.valid("param").id, c.req.valid("param").format)) as any,
);
