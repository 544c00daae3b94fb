import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { CERTIFICATION_KINDS, CERTIFICATION_SOURCES } from "../../db/schema.ts";
import { formatCivilDate } from "../../lib/dates.ts";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, auditOf } from "../../web/context.ts";
import { readForm, str } from "../../web/form.ts";
import { requirePermission } from "../../web/middleware.ts";
import { type PageCtx, render, setFlash } from "../../web/render.tsx";
import { permitByMethod } from "../../web/routes-kit/api-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { idOf, pageOf, queryOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { seesUnmasked, viewerCan } from "../auth/viewer.ts";
import { listPickableVillages } from "../villages/service.ts";
import { certificationInputOf } from "./form.ts";
import {
  addCertification,
  type CertificationItem,
  type CertificationQuery,
  deleteCertification,
  getCertification,
  listCertifications,
  updateCertification,
} from "./service.ts";
import {
  type Back,
  backHref,
  CertificationDeletePage,
  CertificationFormPage,
  type CertificationFormValues,
  CertificationListPage,
} from "./views/pages.tsx";

export const certificationRoutes = new Hono<AppEnv>();

const backOf = (v: string | undefined): Back => (v === "resident" ? "resident" : "list");

const filtersOf = (c: Context<AppEnv>): CertificationQuery =>
  queryOf(c, ["q", "village", "kind", "source", "from", "to"]);

certificationRoutes.get("/certifications", requirePermission("certification.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const query = filtersOf(c);
  const page = pageOf(c);
  let result: Awaited<ReturnType<typeof listCertifications>>;
  let errors: FieldErrors | undefined;
  try {
    result = await listCertifications({
      db,
      viewer,
      query,
      page,
      pageSize: 50,
      audit: auditOf(c, "page.certifications"),
    });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    result = { items: [], total: 0, page, pageSize: 50 };
    errors = err.fields;
  }
  const villages = await listPickableVillages({ db, viewer });
  return render(c, { title: c.var.t("certifications.title"), status: errors ? 422 : 200 }, (ctx) => (
    <CertificationListPage
      ctx={ctx}
      query={query}
      villages={villages}
      result={result}
      errors={errors}
      searchById={seesUnmasked(viewer)}
      canUpdate={viewerCan(viewer, "certification.update") && viewer.scope.kind !== "installation"}
      canDelete={viewerCan(viewer, "certification.delete") && viewer.scope.kind !== "installation"}
    />
  ));
});

const valuesOf = (x: CertificationItem): CertificationFormValues => ({
  kind: x.kind,
  date: formatCivilDate(x.date),
  source: x.source,
  reference: x.reference ?? "",
});

/** A page of one certification (its edit form, its delete confirmation), titled with its resident's name. */
async function certificationPage(
  c: Context<AppEnv>,
  title: "certifications.edit_title" | "certifications.delete_title",
  body: (ctx: PageCtx, cert: CertificationItem) => Child,
  status: 200 | 422 = 200,
) {
  const cert = await getCertification({ ...writerOf(c), id: idOf(c), showsIdentity: false });
  return render(c, { title: c.var.t(title, { name: cert.full_name }), status }, (ctx) => body(ctx, cert));
}

certificationRoutes.get("/certifications/:id{[0-9]+}/edit", requirePermission("certification.update"), (c) =>
  certificationPage(c, "certifications.edit_title", (ctx, cert) => (
    <CertificationFormPage ctx={ctx} c={cert} back={backOf(c.req.query("from"))} values={valuesOf(cert)} />
  )),
);

certificationRoutes.post(
  "/certifications/:id{[0-9]+}",
  requirePermission("certification.update"),
  async (c) => {
    const form = await readForm(c);
    const back = backOf(str(form, "from"));
    const values = certificationInputOf(form);
    try {
      const cert = await updateCertification({ ...writerOf(c), id: idOf(c), input: values });
      setFlash(c, msg("certifications.updated"));
      return c.redirect(backHref(back, cert), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "validation") throw err;
      return certificationPage(
        c,
        "certifications.edit_title",
        (ctx, cert) => (
          <CertificationFormPage ctx={ctx} c={cert} back={back} values={values} errors={err.fields} />
        ),
        422,
      );
    }
  },
);

certificationRoutes.get(
  "/certifications/:id{[0-9]+}/delete",
  requirePermission("certification.delete"),
  (c) =>
    certificationPage(c, "certifications.delete_title", (ctx, cert) => (
      <CertificationDeletePage ctx={ctx} c={cert} back={backOf(c.req.query("from"))} />
    )),
);

certificationRoutes.post(
  "/certifications/:id{[0-9]+}/delete",
  requirePermission("certification.delete"),
  async (c) => {
    const form = await readForm(c);
    const cert = await deleteCertification({ ...writerOf(c), id: idOf(c) });
    setFlash(c, msg("certifications.deleted", { name: cert.full_name }));
    return c.redirect(backHref(backOf(str(form, "from")), cert), 303);
  },
);

// --- API ----------------------------------------------------------------------

export const certificationApi = apiRouter();

const PERMISSION_OF_METHOD = {
  GET: "certification.read",
  POST: "certification.create",
  PATCH: "certification.update",
  DELETE: "certification.delete",
} as const;
for (const path of ["/certifications", "/certifications/*"])
  permitByMethod(certificationApi, path, PERMISSION_OF_METHOD);

const ZCertificationItem = z
  .object({
    id: z.number().int(),
    resident_id: z.number().int(),
    citizen_id: z
      .string()
      .nullable()
      .openapi({ description: "The resident's; masked (038*******12) unless the role sees it whole" }),
    full_name: z.string(),
    birth_date: z.string().openapi({ description: "yyyy-mm-dd, or yyyy when only the year is known" }),
    kind: z.enum(CERTIFICATION_KINDS),
    date: z.string().openapi({ description: "yyyy-mm-dd" }),
    source: z.enum(CERTIFICATION_SOURCES),
    reference: z.string().nullable(),
    village: z.string().openapi({ description: "The resident's village code" }),
    village_name: z.string(),
  })
  .openapi("CertificationItem");

const ZCertificationCreate = z
  .object({
    resident_id: z.union([z.number().int(), z.string(), z.null()]).optional(),
    citizen_id: ZCell,
    full_name: ZCell,
    birth_date: ZCell,
    village: ZCell,
    kind: ZCell,
    date: ZCell,
    source: ZCell,
    reference: ZCell,
  })
  .openapi("CertificationCreate", {
    description:
      "The resident by `resident_id`, else as an import row names it: `citizen_id` (roles that see citizen IDs only), else `full_name` + `birth_date` (+ `village` code when two residents share them). Other values as in an import file (labels or codes).",
  });
const ZCertificationChange = z
  .object({ kind: ZCell, date: ZCell, source: ZCell, reference: ZCell })
  .openapi("CertificationChange", {
    description: "The keys to change; labels or codes, as in an import file. The resident cannot change.",
  });

mountRecordApi(certificationApi, {
  path: "/certifications",
  noun: "certification",
  record: ZCertificationItem,
  list: {
    summary: "List certifications of residents in the caller's scope (latest first)",
    query: ZPageQuery.extend({
      village: z.string().optional().openapi({ description: "The resident's village code" }),
      unit: z.string().optional().openapi({ description: "The resident's unit code" }),
      kind: z.string().optional().openapi({ description: "basic or vneid (or a label)" }),
      source: z
        .string()
        .optional()
        .openapi({ description: "vneid, platform, school or course (or a label)" }),
      from: z.string().optional().openapi({ description: "Dated on or after (yyyy-mm-dd or dd/mm/yyyy)" }),
      to: z.string().optional().openapi({ description: "Dated on or before (yyyy-mm-dd or dd/mm/yyyy)" }),
      q: z.string().optional().openapi({
        description:
          "The resident's name, ignoring case and diacritics (or the start of a citizen ID for roles that see it)",
      }),
    }),
    item: ZCertificationItem,
    items: "Certifications",
    audit: "api.certifications",
    run: listCertifications,
  },
  get: {
    summary: "One certification (404 when its resident is outside the caller's scope)",
    run: getCertification,
  },
  create: {
    summary: "Record a certification for a resident in the caller's scope (the same one twice is refused)",
    body: ZCertificationCreate,
    run: addCertification,
  },
  update: {
    summary: "Change a certification's kind, date, source or reference (onto another of the resident's: 422)",
    body: ZCertificationChange,
    run: updateCertification,
  },
  remove: {
    summary: "Remove a certification (audited with what it held)",
    done: "Removed",
    run: deleteCertification,
  },
});
