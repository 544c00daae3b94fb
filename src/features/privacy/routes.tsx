import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { PRIVACY_REQUEST_KINDS, PRIVACY_REQUEST_STATUSES } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { formatDate } from "../../lib/i18n/index.ts";
import { apiRouter, ZIdParam, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { type FormValues, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { apiRoute, jsonBody, jsonContent, listContent } from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { guardPaths } from "../../web/routes-kit/guard-paths.ts";
import { apiCreate, apiGetById } from "../../web/routes-kit/record-operations.ts";
import { idOf, pageOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { recordAudit } from "../audit/service.ts";
import { importJobs } from "../imports/jobs.ts";
import { removeUploadsOfCommune } from "../imports/uploads.ts";
import { erasePerson, exportPerson, type PersonKey, previewErasure } from "./person.ts";
import {
  createPrivacyRequest,
  getPrivacyRequest,
  listPrivacyRequests,
  updatePrivacyRequest,
} from "./service.ts";
import {
  PrivacyErasePage,
  PrivacyLetterPage,
  PrivacyListPage,
  PrivacyPersonPage,
  PrivacyRequestDetailPage,
  PrivacyRequestFormPage,
} from "./views/pages.tsx";

export const privacyRoutes = new Hono<AppEnv>();

const requestOf = (v: string | undefined) => (v && /^[0-9]+$/.test(v) ? Number(v) : undefined);

async function listPage(c: Context<AppEnv>, lookup?: { value: string; errors: FieldErrors }) {
  const viewer = requireViewer(c);
  const filter = {
    status: c.req.query("status")?.trim() || undefined,
    overdue: c.req.query("overdue") === "1",
  };
  const result = await listPrivacyRequests({
    db: c.var.deps.db,
    viewer,
    filter,
    page: pageOf(c),
    pageSize: 50,
  });
  return render(c, { title: c.var.t("privacy.title"), status: lookup ? 422 : 200 }, (ctx) => (
    <PrivacyListPage
      ctx={ctx}
      {...filter}
      result={result}
      lookupErrors={lookup?.errors}
      lookupValue={lookup?.value}
    />
  ));
}

privacyRoutes.get("/privacy", requirePermission("privacy.manage"), (c) => listPage(c));

/** Finds a person by citizen ID or resident id (POST: a citizen ID never goes into a URL or a log). */
privacyRoutes.post("/privacy/lookup", requirePermission("privacy.manage"), async (c) => {
  const { db, viewer } = readerOf(c);
  const whoOf = (form: FormValues) => str(form, "who").trim();
  return submitForm(c, {
    run: (form) => {
      const who = whoOf(form);
      const key: PersonKey | undefined = /^[0-9]{12}$/.test(who)
        ? { citizenId: who }
        : /^[0-9]{1,9}$/.test(who)
          ? { residentId: Number(who) }
          : undefined;
      if (!key) throw new AppError("validation", { message: msg("privacy.lookup_needed") });
      return previewErasure({ db, communeId: viewer.communeId, key });
    },
    to: (p) => `/privacy/residents/${p.resident.id}`,
    catches: ["validation", "not_found", "conflict"],
    invalid: (form, _errors, err) => listPage(c, { value: whoOf(form), errors: { who: err.msg } }),
  });
});

async function auditShown(c: Context<AppEnv>, residentId: number, source: string) {
  const viewer = requireViewer(c);
  await recordAudit(c.var.deps.db, actorOf(viewer, c.var), {
    action: "resident.view_identity",
    entity: "resident",
    entityId: residentId,
    after: { source },
  });
}

/** The erasure preview of the path's resident (in the viewer's commune), its showing audited as `source`. */
async function shownPreview(c: Context<AppEnv>, source: string) {
  const viewer = requireViewer(c);
  const preview = await previewErasure({
    db: c.var.deps.db,
    communeId: viewer.communeId,
    key: { residentId: idOf(c) },
  });
  await auditShown(c, preview.resident.id, source);
  return preview;
}

/** All that is kept of the path's resident (in the viewer's commune), the export audited as `source`. */
function exportOfPath(c: Context<AppEnv>, source: string) {
  const viewer = requireViewer(c);
  return exportPerson({
    db: c.var.deps.db,
    communeId: viewer.communeId,
    key: { residentId: idOf(c) },
    actor: actorOf(viewer, c.var),
    source,
  });
}

privacyRoutes.get("/privacy/residents/:id{[0-9]+}", requirePermission("privacy.manage"), async (c) => {
  const preview = await shownPreview(c, "page.privacy");
  return render(c, { title: c.var.t("privacy.person_title", { name: preview.resident.fullName }) }, (ctx) => (
    <PrivacyPersonPage ctx={ctx} preview={preview} requestId={requestOf(c.req.query("request"))} />
  ));
});

privacyRoutes.get(
  "/privacy/residents/:id{[0-9]+}/export.json",
  requirePermission("privacy.manage"),
  async (c) => {
    const data = await exportOfPath(c, "web.json");
    c.header("Content-Disposition", `attachment; filename="du-lieu-ca-nhan-${data.resident.id}.json"`);
    c.header("Cache-Control", "no-store");
    return c.body(`${JSON.stringify(data, null, 2)}\n`, 200, {
      "Content-Type": "application/json; charset=utf-8",
    });
  },
);

privacyRoutes.get("/privacy/residents/:id{[0-9]+}/letter", requirePermission("privacy.manage"), async (c) => {
  const data = await exportOfPath(c, "web.letter");
  c.header("Cache-Control", "no-store");
  return render(c, { title: c.var.t("privacy.letter_title") }, (ctx) => (
    <PrivacyLetterPage ctx={ctx} data={data} communeName={ctx.communeName} today={todayInVietnam()} />
  ));
});

async function erasePage(c: Context<AppEnv>, values: FormValues, errors?: FieldErrors) {
  const preview = await shownPreview(c, "page.privacy_erase");
  const requestId = requestOf(str(values, "request") || c.req.query("request"));
  return render(
    c,
    {
      title: c.var.t("privacy.erase_title", { name: preview.resident.fullName }),
      status: errors ? 422 : 200,
    },
    (ctx) => (
      <PrivacyErasePage ctx={ctx} preview={preview} requestId={requestId} values={values} errors={errors} />
    ),
  );
}

privacyRoutes.get("/privacy/residents/:id{[0-9]+}/erase", requirePermission("resident.erase"), (c) =>
  erasePage(c, {}),
);

privacyRoutes.post("/privacy/residents/:id{[0-9]+}/erase", requirePermission("resident.erase"), async (c) => {
  const { db, viewer, actor } = writerOf(c);
  return submitForm(c, {
    run: async (form) => {
      const r = await erasePerson({
        db,
        communeId: viewer.communeId,
        key: { residentId: idOf(c) },
        reason: str(form, "reason"),
        actor,
        requestId: requestOf(str(form, "request")),
      });
      // Import leftovers (files waiting for a commit, their rejects and errors, finished jobs' previews).
      await removeUploadsOfCommune(db, viewer.communeId);
      await importJobs(c.var.deps.database).forgetFinishedOf(viewer.communeId);
      return r;
    },
    flash: (r) => msg("privacy.erased", { id: r.residentId }),
    to: () => "/privacy",
    invalid: (form, errors) => erasePage(c, form, errors),
  });
});

privacyRoutes.get("/privacy/requests/new", requirePermission("privacy.manage"), (c) =>
  render(c, { title: c.var.t("privacy.new") }, (ctx) => (
    <PrivacyRequestFormPage
      ctx={ctx}
      values={{ received_on: todayInVietnam(), resident_id: c.req.query("resident") }}
      dueDays={c.var.deps.config.privacyDueDays}
    />
  )),
);

privacyRoutes.post("/privacy/requests", requirePermission("privacy.manage"), (c) =>
  submitForm(c, {
    run: (form) =>
      createPrivacyRequest({
        ...writerOf(c),
        dueDays: c.var.deps.config.privacyDueDays,
        input: {
          resident_id: str(form, "resident_id"),
          requester: str(form, "requester"),
          received_on: str(form, "received_on"),
          kind: str(form, "kind") || undefined,
        },
      }),
    flash: (x) => msg("privacy.created", { id: x.id, due: formatDate("vi", x.due_on) }),
    to: (x) => `/privacy/requests/${x.id}`,
    invalid: (form, errors) =>
      render(c, { title: c.var.t("privacy.new"), status: 422 }, (ctx) => (
        <PrivacyRequestFormPage
          ctx={ctx}
          values={form}
          errors={errors}
          dueDays={c.var.deps.config.privacyDueDays}
        />
      )),
  }),
);

privacyRoutes.get("/privacy/requests/:id{[0-9]+}", requirePermission("privacy.manage"), async (c) => {
  const x = await getPrivacyRequest({ ...readerOf(c), id: idOf(c) });
  return render(c, { title: c.var.t("privacy.request_title", { id: x.id }) }, (ctx) => (
    <PrivacyRequestDetailPage ctx={ctx} x={x} values={{}} />
  ));
});

privacyRoutes.post("/privacy/requests/:id{[0-9]+}", requirePermission("privacy.manage"), (c) =>
  submitForm(c, {
    run: (form) =>
      updatePrivacyRequest({
        ...writerOf(c),
        id: idOf(c),
        input: { status: str(form, "status"), refusal_reason: str(form, "refusal_reason") },
      }),
    flash: (x) => msg("privacy.updated", { id: x.id }),
    to: (x) => `/privacy/requests/${x.id}`,
    invalid: async (form, errors) => {
      const x = await getPrivacyRequest({ ...readerOf(c), id: idOf(c) });
      return render(c, { title: c.var.t("privacy.request_title", { id: x.id }), status: 422 }, (ctx) => (
        <PrivacyRequestDetailPage ctx={ctx} x={x} values={form} errors={errors} />
      ));
    },
  }),
);

// --- API ----------------------------------------------------------------------

export const privacyApi = apiRouter();
guardPaths(privacyApi, "/privacy-requests", requirePermission("privacy.manage"));

const ZPrivacyRequest = z
  .object({
    id: z.number().int(),
    resident_id: z.number().int().nullable().openapi({ description: "Null when the resident was erased" }),
    resident_name: z.string().nullable(),
    requester: z.string().nullable(),
    received_on: z.string().openapi({ description: "yyyy-mm-dd" }),
    kind: z.enum(PRIVACY_REQUEST_KINDS),
    due_on: z.string().openapi({ description: "yyyy-mm-dd: working days after received_on (holidays off)" }),
    status: z.enum(PRIVACY_REQUEST_STATUSES),
    refusal_reason: z.string().nullable(),
    handled_by: z.string().nullable(),
    handled_at: z.string().nullable(),
    overdue: z.boolean(),
  })
  .openapi("PrivacyRequest");

const ZPrivacyRequestIn = z
  .object({
    resident_id: z.number().int().optional(),
    requester: z.string().optional(),
    received_on: z.string().optional().openapi({ description: "yyyy-mm-dd; default today" }),
    kind: z.enum(PRIVACY_REQUEST_KINDS),
  })
  .openapi("PrivacyRequestInput", { description: "Who asked: resident_id and/or requester." });

const ZPrivacyRequestPatch = z
  .object({ status: z.enum(PRIVACY_REQUEST_STATUSES), refusal_reason: z.string().optional() })
  .openapi("PrivacyRequestChange", { description: "A refusal needs refusal_reason." });

privacyApi.openapi(
  apiRoute("get", "/privacy-requests", {
    summary: "The commune's register of privacy requests, open ones first by due date (admin, coordinator)",
    request: {
      query: ZPageQuery.extend({
        status: z.enum(["open", ...PRIVACY_REQUEST_STATUSES]).optional(),
        overdue: z.enum(["1", "0"]).optional(),
      }),
    },
    responses: { 200: listContent(ZPrivacyRequest, "Requests") },
  }),
  async (c) => {
    const { page, pageSize, status, overdue } = c.req.valid("query");
    const r = await listPrivacyRequests({
      ...readerOf(c),
      filter: { status, overdue: overdue === "1" },
      page,
      pageSize,
    });
    return c.json({ items: r.items, total: r.total }, 200);
  },
);

apiGetById(privacyApi, {
  path: "/privacy-requests/{id}",
  summary: "One privacy request (404 outside the caller's commune)",
  schema: ZPrivacyRequest,
  description: "The request",
  load: (c, id) => getPrivacyRequest({ ...readerOf(c), id }),
});

apiCreate(privacyApi, {
  path: "/privacy-requests",
  summary: "Record a privacy request; its due date is computed in working days",
  body: ZPrivacyRequestIn,
  schema: ZPrivacyRequest,
  description: "The new request",
  run: (c, input) =>
    createPrivacyRequest({ ...writerOf(c), dueDays: c.var.deps.config.privacyDueDays, input }),
});

privacyApi.openapi(
  apiRoute("patch", "/privacy-requests/{id}", {
    summary: "Move a request on: in progress, done, or refused with a reason (records who and when)",
    request: {
      params: ZIdParam,
      body: jsonBody(ZPrivacyRequestPatch),
    },
    responses: { 200: jsonContent(ZPrivacyRequest, "The request after the change") },
  }),
  async (c) =>
    c.json(
      await updatePrivacyRequest({ ...writerOf(c), id: c.req.valid("param").id, input: c.req.valid("json") }),
      200,
    ),
);
