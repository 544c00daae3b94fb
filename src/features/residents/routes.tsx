import { createRoute, z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { RESIDENT_GROUPS, RESIDENT_STATUSES } from "../../db/schema.ts";
import { AppError, msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, bearer, conflictResponse, errorResponses, ZIdParam, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, auditOf } from "../../web/context.ts";
import { type FormValues, list, readForm, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { apiRoute, jsonBody, jsonContent, permitByMethod } from "../../web/routes-kit/api-route.ts";
import { mountEditor } from "../../web/routes-kit/editor-routes.ts";
import { cellsOf, mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { idOf, pageOf, queryOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { seesUnmasked, type Viewer, viewerCan } from "../auth/viewer.ts";
import { certificationInputOf } from "../certifications/form.ts";
import { addCertification } from "../certifications/service.ts";
import { listUnitsOfCommune } from "../units/repo.ts";
import { listPickableVillages } from "../villages/service.ts";
import { RESIDENT_COLUMNS } from "./check.ts";
import { ZResident } from "./schema.ts";
import {
  createResident,
  getResident,
  listResidents,
  type ResidentQuery,
  refuseResidentDeletion,
  updateResident,
} from "./service.ts";
import {
  ResidentDetailPage,
  ResidentFormPage,
  type ResidentFormValues,
  ResidentListPage,
} from "./views/pages.tsx";

export const residentRoutes = new Hono<AppEnv>();

const filtersOf = (c: Context<AppEnv>): ResidentQuery =>
  queryOf(c, ["q", "village", "unit", "household", "group", "status"]);

/** The villages a viewer may pick from: a village team sees its own. */
const villagesFor = (c: Context<AppEnv>) =>
  listPickableVillages({ db: c.var.deps.db, viewer: requireViewer(c) });

residentRoutes.get("/residents", requirePermission("resident.read"), async (c) => {
  const reader = readerOf(c, { replica: true });
  const { viewer } = reader;
  const query = filtersOf(c);
  const result = await listResidents({
    ...reader,
    query,
    page: pageOf(c),
    pageSize: 50,
    audit: auditOf(c, "page.residents"),
    // A search's page reads one row more instead of counting every match ("Trang sau" or not);
    // the plain list's count is kept by data version.
    count: !query.q,
  });
  const villages = await villagesFor(c);
  return render(c, { title: c.var.t("residents.title") }, (ctx) => (
    <ResidentListPage
      ctx={ctx}
      query={query}
      villages={villages}
      result={result}
      canCreate={viewerCan(viewer, "resident.create")}
      canExport={viewerCan(viewer, "export.run")}
      searchById={seesUnmasked(viewer)}
    />
  ));
});

/** Whether the resident's page offers "Sửa" / "Xoá" beside each certification. */
const certificationRights = (viewer: Viewer) => ({
  canEditCertifications: viewerCan(viewer, "certification.update") && viewer.scope.kind !== "installation",
  canDeleteCertifications: viewerCan(viewer, "certification.delete") && viewer.scope.kind !== "installation",
});

residentRoutes.get("/residents/:id{[0-9]+}", requirePermission("resident.read"), async (c) => {
  const viewer = requireViewer(c);
  const r = await getResident({ ...writerOf(c), id: idOf(c) });
  return render(c, { title: r.full_name }, (ctx) => (
    <>
      <ResidentDetailPage
        ctx={ctx}
        r={r}
        canEdit={viewerCan(viewer, "resident.update")}
        masked={!seesUnmasked(viewer)}
        canCertify={viewerCan(viewer, "certification.create") && viewer.scope.kind !== "installation"}
        {...certificationRights(viewer)}
      />
      {viewerCan(viewer, "assessment.read") ? (
        <p>
          <a href={`/residents/${r.id}/assessments`}>{ctx.t("assessments.link")}</a>
        </p>
      ) : null}
    </>
  ));
});

residentRoutes.post(
  "/residents/:id{[0-9]+}/certifications",
  requirePermission("certification.create"),
  async (c) => {
    const viewer = requireViewer(c);
    const id = idOf(c);
    const form = await readForm(c);
    const input = certificationInputOf(form);
    try {
      await addCertification({ ...writerOf(c), residentId: id, input });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "validation") throw err;
      const r = await getResident({ ...writerOf(c), id });
      return render(c, { title: r.full_name, status: 422 }, (ctx) => (
        <ResidentDetailPage
          ctx={ctx}
          r={r}
          canEdit={viewerCan(viewer, "resident.update")}
          masked={!seesUnmasked(viewer)}
          canCertify
          {...certificationRights(viewer)}
          certErrors={err.fields}
          certValues={input}
        />
      ));
    }
    setFlash(c, msg("certifications.added"));
    return c.redirect(`/residents/${id}`, 303);
  },
);

/** The resident's columns the form posts as checkboxes rather than one value each. */
const CHECKBOX_KEYS: readonly string[] = ["groups", "disabled"];

/** A form's fields as the column-key input the service checks. */
function inputOfForm(form: FormValues): Record<string, Cell> {
  const keys = RESIDENT_COLUMNS.map((col) => col.key).filter((k) => !CHECKBOX_KEYS.includes(k));
  const input: Record<string, Cell> = Object.fromEntries(keys.map((k) => [k, str(form, k)]));
  input.groups = list(form, "groups").join(";");
  input.disabled = list(form, "disabled").includes("true") ? "true" : "false";
  return input;
}

mountEditor(residentRoutes, {
  base: "/residents",
  data: async (c) => {
    const viewer = requireViewer(c);
    const villages = await villagesFor(c);
    const units = await listUnitsOfCommune(c.var.deps.db, viewer.communeId);
    return { villages, units };
  },
  view: ({ data, ...page }) => <ResidentFormPage {...page} villages={data.villages} units={data.units} />,
  create: {
    permission: "resident.create",
    title: msg("residents.new"),
    values: () => ({ status: "active", vneid_level: "0" }),
    run: (c, form) => createResident({ ...writerOf(c), input: inputOfForm(form) }),
    flash: (r) => msg("residents.created", { name: r.full_name }),
  },
  update: {
    permission: "resident.update",
    title: msg("residents.edit"),
    load: async (c, id) => {
      const r = await getResident({ ...writerOf(c), id });
      const values: ResidentFormValues = {
        ...Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]),
        ),
        groups: r.groups,
        disabled: r.disabled ? "true" : "false",
      };
      return { title: msg("residents.edit_title", { name: r.full_name }), values };
    },
    run: (c, id, form) => updateResident({ ...writerOf(c), id, input: inputOfForm(form) }),
    flash: (r) => msg("residents.updated", { name: r.full_name }),
  },
});

// --- API ----------------------------------------------------------------------

export const residentApi = apiRouter();
permitByMethod(residentApi, "/residents", { GET: "resident.read", POST: "resident.create" });
permitByMethod(residentApi, "/residents/*", {
  GET: "resident.read",
  PATCH: "resident.update",
  DELETE: "resident.update",
});

const ZCertification = z.object({
  id: z.number().int(),
  kind: z.string(),
  date: z.string(),
  source: z.string(),
  reference: z.string().nullable(),
});

const ZResidentDetail = ZResident.extend({
  certifications: z
    .array(ZCertification)
    .optional()
    .openapi({ description: "For roles that read certifications" }),
});

const ZResidentIn = z
  .object({
    full_name: ZCell,
    birth_date: ZCell,
    gender: ZCell,
    citizen_id: ZCell,
    phone: ZCell,
    village: ZCell,
    household: ZCell,
    status: ZCell,
    groups: z.union([z.string(), z.array(z.string())]).optional(),
    unit: ZCell,
    disabled: ZCell,
    vneid_level: ZCell,
  })
  .openapi("ResidentInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

mountRecordApi(residentApi, {
  path: "/residents",
  noun: "resident",
  record: ZResidentDetail,
  list: {
    summary: "List residents in the caller's scope (Vietnamese name order)",
    query: ZPageQuery.extend({
      village: z.string().optional().openapi({ description: "Village code" }),
      unit: z.string().optional().openapi({ description: "Unit code" }),
      household: z.string().optional().openapi({ description: "Household code" }),
      group: z.enum(RESIDENT_GROUPS).optional(),
      status: z.enum(RESIDENT_STATUSES).optional(),
      q: z.string().optional().openapi({
        description: "Name, ignoring case and diacritics (or a citizen ID for roles that see it)",
      }),
    }),
    item: ZResident,
    items: "Residents",
    audit: "api.residents",
    replica: true,
    run: listResidents,
  },
  get: { summary: "One resident with certifications (404 outside the caller's scope)", run: getResident },
  create: {
    summary: "Create a resident (the rules of an import row)",
    body: ZResidentIn,
    run: createResident,
  },
  update: {
    summary: "Change a resident; deactivate with status moved or deceased (never deleted)",
    body: ZResidentIn,
    run: updateResident,
  },
});

residentApi.openapi(
  createRoute({
    method: "delete",
    path: "/residents/{id}",
    summary: "Residents are never deleted: always 409 (set status moved or deceased with PATCH instead)",
    description:
      "A resident leaves the registry's counts by a change of `status` to `moved` or `deceased` (PATCH /residents/{id}); only a privacy erasure on request removes one (SPEC §8). So this answers 409 `conflict` for a resident the caller may change, 404 outside the caller's scope, 403 without the right to change residents.",
    security: bearer,
    request: { params: ZIdParam },
    responses: {
      204: {
        description:
          "Never answered today: residents are not removed through the API (the answer is 409). Reserved for the privacy erasure on request of SPEC §8.",
      },
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  async (c) => refuseResidentDeletion({ ...readerOf(c), id: c.req.valid("param").id }),
);

residentApi.use("/residents/*", async (c, next) =>
  c.req.method === "POST" ? requirePermission("certification.create")(c, next) : next(),
);

residentApi.openapi(
  apiRoute("post", "/residents/{id}/certifications", {
    summary: "Record a certification (basic or vneid) for a resident in the caller's scope",
    request: {
      params: ZIdParam,
      body: jsonBody(
        z
          .object({ kind: ZCell, date: ZCell, source: ZCell, reference: ZCell })
          .openapi("CertificationInput", { description: "Labels or codes, as in an import file." }),
      ),
    },
    responses: { 201: jsonContent(ZCertification, "The certification") },
  }),
  async (c) => {
    const cert = await addCertification({
      ...writerOf(c),
      residentId: c.req.valid("param").id,
      input: cellsOf(c.req.valid("json")),
    });
    return c.json(
      { id: cert.id, kind: cert.kind, date: cert.date, source: cert.source, reference: cert.reference },
      201,
    );
  },
);
