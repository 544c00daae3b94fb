import { createRoute, z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { AppError, msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, bearer, conflictResponse, errorResponses, ZIdParam, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, actorOf, auditOf } from "../../web/context.ts";
import { type FormValues, list, readForm, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { viewerCan } from "../auth/viewer.ts";
import { listResidents } from "../residents/service.ts";
import { listPickableVillages } from "../villages/service.ts";
import {
  createHousehold,
  deleteHousehold,
  getHousehold,
  getRemovableHousehold,
  type HouseholdQuery,
  isHouseholdRemovable,
  listHouseholds,
  updateHousehold,
} from "./service.ts";
import {
  HouseholdDeletePage,
  HouseholdDetailPage,
  HouseholdFormPage,
  type HouseholdFormValues,
  HouseholdListPage,
} from "./views/pages.tsx";

export const householdRoutes = new Hono<AppEnv>();

const pageOf = (v: string | undefined) => Math.max(1, Number.parseInt(v ?? "1", 10) || 1);
/** Members shown on a household's page; a larger household links to the residents list. */
const MEMBERS_SHOWN = 100;

function queryOf(c: Context<AppEnv>): HouseholdQuery {
  const q = (k: string) => c.req.query(k)?.trim() || undefined;
  return { q: q("q"), village: q("village") };
}

householdRoutes.get("/households", requirePermission("household.read"), async (c) => {
  const viewer = requireViewer(c);
  const db = c.var.deps.db;
  const query = queryOf(c);
  const result = await listHouseholds({ db, viewer, query, page: pageOf(c.req.query("page")), pageSize: 50 });
  const villages = await listPickableVillages({ db, viewer });
  return render(c, { title: c.var.t("households.title") }, (ctx) => (
    <HouseholdListPage
      ctx={ctx}
      query={query}
      villages={villages}
      result={result}
      canCreate={viewerCan(viewer, "household.create")}
    />
  ));
});

householdRoutes.get("/households/:id{[0-9]+}", requirePermission("household.read"), async (c) => {
  const viewer = requireViewer(c);
  const db = c.var.deps.db;
  const h = await getHousehold({ db, viewer, id: Number(c.req.param("id")) });
  const members = await listResidents({
    db,
    viewer,
    query: { household: h.code },
    page: 1,
    pageSize: MEMBERS_SHOWN,
    audit: auditOf(c, "page.household"),
  });
  const canDelete =
    viewerCan(viewer, "household.delete") && (await isHouseholdRemovable({ db, viewer, id: h.id }));
  return render(c, { title: c.var.t("households.detail_title", { code: h.code }) }, (ctx) => (
    <HouseholdDetailPage
      ctx={ctx}
      h={h}
      members={members.items}
      canEdit={viewerCan(viewer, "household.update")}
      canDelete={canDelete}
    />
  ));
});

/** A form's fields as the column-key input the service checks. */
function inputOfForm(form: FormValues): Record<string, Cell> {
  const input: Record<string, Cell> = Object.fromEntries(
    ["code", "village", "head_name", "address"].map((k) => [k, str(form, k)]),
  );
  input.poor = list(form, "poor").includes("true") ? "true" : "false";
  return input;
}

async function formPage(
  c: Context<AppEnv>,
  opts: {
    id?: number;
    title: string;
    values: HouseholdFormValues;
    errors?: Record<string, ReturnType<typeof msg>>;
  },
) {
  const villages = await listPickableVillages({ db: c.var.deps.db, viewer: requireViewer(c) });
  return render(c, { title: opts.title, status: opts.errors ? 422 : 200 }, (ctx) => (
    <HouseholdFormPage
      ctx={ctx}
      id={opts.id}
      title={opts.title}
      values={opts.values}
      villages={villages}
      errors={opts.errors}
    />
  ));
}

householdRoutes.get("/households/new", requirePermission("household.create"), (c) =>
  formPage(c, { title: c.var.t("households.new"), values: {} }),
);

householdRoutes.post("/households", requirePermission("household.create"), async (c) => {
  const viewer = requireViewer(c);
  const form = await readForm(c);
  try {
    const h = await createHousehold({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      input: inputOfForm(form),
    });
    setFlash(c, msg("households.created", { code: h.code }));
    return c.redirect(`/households/${h.id}`, 303);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return formPage(c, { title: c.var.t("households.new"), values: form, errors: err.fields });
  }
});

householdRoutes.get("/households/:id{[0-9]+}/edit", requirePermission("household.update"), async (c) => {
  const viewer = requireViewer(c);
  const id = Number(c.req.param("id"));
  const h = await getHousehold({ db: c.var.deps.db, viewer, id });
  const values: HouseholdFormValues = {
    code: h.code,
    village: h.village,
    head_name: h.head_name ?? "",
    address: h.address ?? "",
    poor: h.poor ? "true" : "false",
  };
  return formPage(c, { id, title: c.var.t("households.edit_title", { code: h.code }), values });
});

householdRoutes.post("/households/:id{[0-9]+}", requirePermission("household.update"), async (c) => {
  const viewer = requireViewer(c);
  const id = Number(c.req.param("id"));
  const form = await readForm(c);
  try {
    const h = await updateHousehold({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      id,
      input: inputOfForm(form),
    });
    setFlash(c, msg("households.updated", { code: h.code }));
    return c.redirect(`/households/${h.id}`, 303);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return formPage(c, { id, title: c.var.t("households.edit"), values: form, errors: err.fields });
  }
});

householdRoutes.get("/households/:id{[0-9]+}/delete", requirePermission("household.delete"), async (c) => {
  const h = await getRemovableHousehold({
    db: c.var.deps.db,
    viewer: requireViewer(c),
    id: Number(c.req.param("id")),
  });
  return render(c, { title: c.var.t("households.delete_title", { code: h.code }) }, (ctx) => (
    <HouseholdDeletePage ctx={ctx} h={h} />
  ));
});

householdRoutes.post("/households/:id{[0-9]+}/delete", requirePermission("household.delete"), async (c) => {
  const viewer = requireViewer(c);
  const h = await deleteHousehold({
    db: c.var.deps.db,
    viewer,
    actor: actorOf(viewer, c.var),
    id: Number(c.req.param("id")),
  });
  setFlash(c, msg("households.deleted", { code: h.code }));
  return c.redirect("/households", 303);
});

// --- API ----------------------------------------------------------------------

export const householdApi = apiRouter();
householdApi.use("/households", async (c, next) =>
  requirePermission(c.req.method === "POST" ? "household.create" : "household.read")(c, next),
);
householdApi.use("/households/*", async (c, next) =>
  requirePermission(
    c.req.method === "PATCH"
      ? "household.update"
      : c.req.method === "DELETE"
        ? "household.delete"
        : "household.read",
  )(c, next),
);

const ZHousehold = z
  .object({
    id: z.number().int(),
    code: z.string(),
    village: z.string().openapi({ description: "Village code" }),
    head_name: z.string().nullable(),
    address: z.string().nullable(),
    poor: z.boolean().openapi({ description: "Poor or near-poor household" }),
    village_name: z.string(),
  })
  .openapi("Household");

const ZHouseholdDetail = ZHousehold.extend({
  members: z.number().int().openapi({ description: "Residents of the household (any status)" }),
});

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();
const ZHouseholdIn = z
  .object({ code: cell, village: cell, head_name: cell, address: cell, poor: cell })
  .openapi("HouseholdInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

const inputOfJson = (body: z.infer<typeof ZHouseholdIn>): Record<string, Cell> =>
  Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v ?? null]));

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

householdApi.openapi(
  createRoute({
    method: "get",
    path: "/households",
    summary: "List households in the caller's scope (by code)",
    security: bearer,
    request: {
      query: ZPageQuery.extend({
        village: z.string().optional().openapi({ description: "Village code" }),
        q: z.string().optional().openapi({
          description: "Start of a household code, or part of the head's name ignoring case and diacritics",
        }),
      }),
    },
    responses: {
      200: json(z.object({ items: z.array(ZHousehold), total: z.number().int() }), "Households"),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { page, pageSize, ...query } = c.req.valid("query");
    const r = await listHouseholds({ db: c.var.deps.db, viewer: requireViewer(c), query, page, pageSize });
    return c.json({ items: r.items, total: r.total }, 200);
  },
);

householdApi.openapi(
  createRoute({
    method: "get",
    path: "/households/{id}",
    summary: "One household with its members count (404 outside the caller's scope)",
    security: bearer,
    request: { params: ZIdParam },
    responses: { 200: json(ZHouseholdDetail, "The household"), ...errorResponses },
  }),
  async (c) => {
    const h = await getHousehold({
      db: c.var.deps.db,
      viewer: requireViewer(c),
      id: c.req.valid("param").id,
    });
    return c.json(h, 200);
  },
);

householdApi.openapi(
  createRoute({
    method: "post",
    path: "/households",
    summary: "Create a household (the rules of an import row; a village team only in its villages)",
    security: bearer,
    request: { body: { content: { "application/json": { schema: ZHouseholdIn } }, required: true } },
    responses: { 201: json(ZHouseholdDetail, "The new household"), ...errorResponses },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const h = await createHousehold({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      input: inputOfJson(c.req.valid("json")),
    });
    return c.json(h, 201);
  },
);

householdApi.openapi(
  createRoute({
    method: "patch",
    path: "/households/{id}",
    summary: "Change a household (its residents follow it to a new village)",
    security: bearer,
    request: {
      params: ZIdParam,
      body: { content: { "application/json": { schema: ZHouseholdIn } }, required: true },
    },
    responses: { 200: json(ZHouseholdDetail, "The household after the change"), ...errorResponses },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const h = await updateHousehold({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      id: c.req.valid("param").id,
      input: inputOfJson(c.req.valid("json")),
    });
    return c.json(h, 200);
  },
);

householdApi.openapi(
  createRoute({
    method: "delete",
    path: "/households/{id}",
    summary: "Remove a household no resident belongs to (409 while residents of any status do)",
    security: bearer,
    request: { params: ZIdParam },
    responses: { 204: { description: "Removed" }, ...errorResponses, ...conflictResponse },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    await deleteHousehold({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      id: c.req.valid("param").id,
    });
    return c.body(null, 204);
  },
);
