import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { type Cell, INCIDENT_SEVERITIES } from "../../lib/values.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { permitByMethod, writes } from "../../web/routes-kit/api-route.ts";
import { listRoute } from "../../web/routes-kit/list-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { mountRecordForms } from "../../web/routes-kit/record-forms.ts";
import { idOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listUnitsOfCommune } from "../units/repo.ts";
import { createIncident, deleteIncident, getIncident, listIncidents, updateIncident } from "./service.ts";
import {
  IncidentDetailPage,
  IncidentFormPage,
  IncidentListPage,
  type FormValues as PageValues,
} from "./views/pages.tsx";

export const incidentRoutes = new Hono<AppEnv>();

const KEYS = ["code", "date", "severity", "kind", "description", "unit", "resolved_date"] as const;

incidentRoutes.get(
  "/incidents",
  requirePermission("incident.read"),
  listRoute({
    query: ["q", "severity"],
    list: listIncidents,
    title: "incidents.title",
    view: ({ viewer, ...page }) => (
      <IncidentListPage
        {...page}
        canCreate={viewerCan(viewer, "incident.create") && viewer.scope.kind === "commune"}
      />
    ),
  }),
);

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

mountRecordForms(incidentRoutes, {
  base: "/incidents",
  can: { create: "incident.create", update: "incident.update" },
  messages: "incidents",
  label: (x) => ({ code: x.code }),
  input: inputOfForm,
  data: (c) => listUnitsOfCommune(c.var.deps.db, requireViewer(c).communeId),
  view: ({ data, ...page }) => <IncidentFormPage {...page} units={data} />,
  create: createIncident,
  update: updateIncident,
  get: getIncident,
  values: (x): PageValues => Object.fromEntries(KEYS.map((k) => [k, x[k] === null ? "" : String(x[k])])),
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

const ZIncidentIn = z
  .object({
    code: ZCell,
    date: ZCell,
    severity: ZCell,
    kind: ZCell,
    description: ZCell,
    unit: ZCell,
    resolved_date: ZCell,
  })
  .openapi("IncidentInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

mountRecordApi(incidentApi, {
  path: "/incidents",
  noun: "incident",
  record: ZIncident,
  list: {
    summary: "List security incidents of the caller's commune, newest first",
    query: ZPageQuery.extend({
      q: z.string().optional().openapi({ description: "Part of the code, kind or description" }),
      severity: z.enum(INCIDENT_SEVERITIES).optional(),
    }),
    item: ZIncident,
    items: "Incidents",
    run: listIncidents,
  },
  get: { summary: "One incident (404 outside the caller's scope)", run: getIncident },
  create: {
    summary: "Record a security incident (the rules of an import row; the code unique in the commune)",
    body: ZIncidentIn,
    run: createIncident,
  },
  update: {
    summary: "Change an incident (e.g. its resolution date, not before its date)",
    body: ZIncidentIn,
    run: updateIncident,
  },
  remove: { summary: "Delete an incident", done: "Deleted", run: deleteIncident },
});
