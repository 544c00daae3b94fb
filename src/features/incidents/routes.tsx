import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { type FieldErrors, msg } from "../../lib/errors.ts";
import { type Cell, INCIDENT_SEVERITIES } from "../../lib/values.ts";
import { apiRouter, ZIdParam, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import {
  apiRoute,
  jsonBody,
  jsonContent,
  listContent,
  permitByMethod,
  writes,
} from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { idOf, itemsPage, pagedQuery, pageOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listUnitsOfCommune } from "../units/repo.ts";
import {
  createIncident,
  deleteIncident,
  getIncident,
  type IncidentQuery,
  listIncidents,
  updateIncident,
} from "./service.ts";
import {
  IncidentDetailPage,
  IncidentFormPage,
  IncidentListPage,
  type FormValues as PageValues,
} from "./views/pages.tsx";

export const incidentRoutes = new Hono<AppEnv>();

const KEYS = ["code", "date", "severity", "kind", "description", "unit", "resolved_date"] as const;

function queryOf(c: Context<AppEnv>): IncidentQuery {
  const q = (k: string) => c.req.query(k)?.trim() || undefined;
  return { q: q("q"), severity: q("severity") };
}

incidentRoutes.get("/incidents", requirePermission("incident.read"), async (c) => {
  const viewer = requireViewer(c);
  const query = queryOf(c);
  const result = await listIncidents({
    db: c.var.deps.db,
    viewer,
    query,
    page: pageOf(c),
    pageSize: 50,
  });
  return render(c, { title: c.var.t("incidents.title") }, (ctx) => (
    <IncidentListPage
      ctx={ctx}
      query={query}
      result={result}
      canCreate={viewerCan(viewer, "incident.create") && viewer.scope.kind === "commune"}
    />
  ));
});

incidentRoutes.get("/incidents/:id{[0-9]+}", requirePermission("incident.read"), async (c) => {
  const viewer = requireViewer(c);
  const x = await getIncident({ db: c.var.deps.db, viewer, id: idOf(c) });
  return render(c, { title: c.var.t("incidents.detail_title", { code: x.code }) }, (ctx) => (
    <IncidentDetailPage
      ctx={ctx}
      x={x}
      canEdit={viewerCan(viewer, "incident.update") && viewer.scope.kind === "commune"}
    />
  ));
});

const inputOfForm = (form: FormValues): Record<string, Cell> =>
  Object.fromEntries(KEYS.map((k) => [k, str(form, k)]));

async function formPage(
  c: Context<AppEnv>,
  opts: { id?: number; title: string; values: PageValues; errors?: FieldErrors },
) {
  const units = await listUnitsOfCommune(c.var.deps.db, requireViewer(c).communeId);
  return render(c, { title: opts.title, status: opts.errors ? 422 : 200 }, (ctx) => (
    <IncidentFormPage
      ctx={ctx}
      id={opts.id}
      title={opts.title}
      values={opts.values}
      units={units}
      errors={opts.errors}
    />
  ));
}

incidentRoutes.get("/incidents/new", requirePermission("incident.create"), (c) =>
  formPage(c, { title: c.var.t("incidents.new"), values: {} }),
);

incidentRoutes.post("/incidents", requirePermission("incident.create"), (c) => {
  return submitForm(c, {
    run: (form) => createIncident({ ...writerOf(c), input: inputOfForm(form) }),
    flash: (x) => msg("incidents.created", { code: x.code }),
    to: (x) => `/incidents/${x.id}`,
    invalid: (form, errors) => formPage(c, { title: c.var.t("incidents.new"), values: form, errors }),
  });
});

incidentRoutes.get("/incidents/:id{[0-9]+}/edit", requirePermission("incident.update"), async (c) => {
  const viewer = requireViewer(c);
  const x = await getIncident({ db: c.var.deps.db, viewer, id: idOf(c) });
  const values: PageValues = Object.fromEntries(KEYS.map((k) => [k, x[k] === null ? "" : String(x[k])]));
  return formPage(c, { id: x.id, title: c.var.t("incidents.edit_title", { code: x.code }), values });
});

incidentRoutes.post("/incidents/:id{[0-9]+}", requirePermission("incident.update"), (c) => {
  const id = idOf(c);
  return submitForm(c, {
    run: (form) => updateIncident({ ...writerOf(c), id, input: inputOfForm(form) }),
    flash: (x) => msg("incidents.updated", { code: x.code }),
    to: (x) => `/incidents/${x.id}`,
    invalid: (form, errors) => formPage(c, { id, title: c.var.t("incidents.edit"), values: form, errors }),
  });
});

// --- API ----------------------------------------------------------------------

export const incidentApi = apiRouter();
permitByMethod(incidentApi, "/incidents", { GET: "incident.read", POST: "incident.create" });
// Hono's `/*` also matches the bare path: POST there creates.
permitByMethod(incidentApi, "/incidents/*", {
  GET: "incident.read",
  ...writes("incident.update"),
  POST: "incident.create",
});

const ZIncident = z
  .object({
    id: z.number().int(),
    code: z.string(),
    date: z.string().openapi({ description: "yyyy-mm-dd" }),
    severity: z.enum(INCIDENT_SEVERITIES),
    kind: z.string().nullable(),
    description: z.string(),
    unit: z.string().nullable().openapi({ description: "Unit code" }),
    resolved_date: z.string().nullable(),
    unit_name: z.string().nullable(),
  })
  .openapi("Incident");

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();
const ZIncidentIn = z
  .object({
    code: cell,
    date: cell,
    severity: cell,
    kind: cell,
    description: cell,
    unit: cell,
    resolved_date: cell,
  })
  .openapi("IncidentInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

const inputOfJson = (body: z.infer<typeof ZIncidentIn>): Record<string, Cell> =>
  Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v ?? null]));

incidentApi.openapi(
  apiRoute("get", "/incidents", {
    summary: "List security incidents of the caller's commune, newest first",
    request: {
      query: ZPageQuery.extend({
        q: z.string().optional().openapi({ description: "Part of the code, kind or description" }),
        severity: z.enum(INCIDENT_SEVERITIES).optional(),
      }),
    },
    responses: { 200: listContent(ZIncident, "Incidents") },
  }),
  async (c) =>
    c.json(itemsPage(await listIncidents({ ...readerOf(c), ...pagedQuery(c.req.valid("query")) })), 200),
);

incidentApi.openapi(
  apiRoute("get", "/incidents/{id}", {
    summary: "One incident (404 outside the caller's scope)",
    request: { params: ZIdParam },
    responses: { 200: jsonContent(ZIncident, "The incident") },
  }),
  async (c) => c.json(await getIncident({ ...readerOf(c), id: c.req.valid("param").id }), 200),
);

incidentApi.openapi(
  apiRoute("post", "/incidents", {
    summary: "Record a security incident (the rules of an import row; the code unique in the commune)",
    request: { body: jsonBody(ZIncidentIn) },
    responses: { 201: jsonContent(ZIncident, "The new incident") },
  }),
  async (c) => c.json(await createIncident({ ...writerOf(c), input: inputOfJson(c.req.valid("json")) }), 201),
);

incidentApi.openapi(
  apiRoute("patch", "/incidents/{id}", {
    summary: "Change an incident (e.g. its resolution date, not before its date)",
    request: {
      params: ZIdParam,
      body: jsonBody(ZIncidentIn),
    },
    responses: { 200: jsonContent(ZIncident, "The incident after the change") },
  }),
  async (c) =>
    c.json(
      await updateIncident({
        ...writerOf(c),
        id: c.req.valid("param").id,
        input: inputOfJson(c.req.valid("json")),
      }),
      200,
    ),
);

incidentApi.openapi(
  apiRoute("delete", "/incidents/{id}", {
    summary: "Delete an incident",
    request: { params: ZIdParam },
    responses: { 204: { description: "Deleted" } },
  }),
  async (c) => {
    await deleteIncident({ ...writerOf(c), id: c.req.valid("param").id });
    return c.body(null, 204);
  },
);
