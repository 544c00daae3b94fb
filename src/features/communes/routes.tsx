import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { AppError, type FieldErrors, msg, notFound } from "../../lib/errors.ts";
import { apiRouter } from "../../web/api.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { type FormValues, str } from "../../web/form.ts";
import { FormPage, PageHeader } from "../../web/kit/page.tsx";
import { ListTable } from "../../web/kit/table.tsx";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { apiRoute, jsonContent } from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { guardPaths } from "../../web/routes-kit/guard-paths.ts";
import { writerOf } from "../../web/routes-kit/request.ts";
import { createUser } from "../users/service.ts";
import { type CommuneRow, findCommuneByCode, listCommuneSummaries } from "./repo.ts";
import { addCommune } from "./service.ts";

/**
 * The province admin's pages (issue 18.1): the installation's communes, adding one (with its own
 * plan from the province's template), and creating a commune's admin. No commune's records here.
 */
export const communeRoutes = new Hono<AppEnv>();
guardPaths(communeRoutes, "/admin/communes", requirePermission("commune.manage"));

communeRoutes.get("/admin/communes", async (c) => {
  const t = c.var.t;
  const all = await listCommuneSummaries(c.var.deps.db);
  return render(c, { title: t("communes.title") }, () => (
    <div>
      <PageHeader
        t={t}
        title={t("communes.title")}
        intro={t("communes.intro")}
        actions={[{ href: "/admin/communes/new", label: t("communes.new") }]}
      />
      <ListTable
        caption={t("communes.title")}
        rows={all}
        columns={[
          { head: t("communes.field_code"), cell: (x) => x.code },
          {
            head: t("communes.field_name"),
            cell: (x) => (
              <>
                {x.name}
                {x.demo ? <span class="tag tag--grey"> {t("communes.demo")}</span> : null}
              </>
            ),
          },
          { head: t("communes.field_province"), cell: (x) => x.province },
          {
            head: t("communes.col_residents"),
            headClass: "num",
            class: "num",
            cell: (x) => x.residents.toLocaleString("vi-VN"),
          },
          { head: t("communes.col_admins"), headClass: "num", class: "num", cell: (x) => x.admins },
          {
            head: t("communes.col_actions"),
            cell: (x) => (
              <a href={`/admin/communes/${encodeURIComponent(x.code)}/admin`}>{t("communes.first_admin")}</a>
            ),
          },
        ]}
      />
    </div>
  ));
});

type Values = { code?: string; name?: string; province?: string };

function newPage(c: Context<AppEnv>, values: Values, errors?: FieldErrors) {
  const t = c.var.t;
  return render(c, { title: t("communes.new_title"), status: errors ? 422 : 200 }, (ctx) => (
    <FormPage
      ctx={ctx}
      back="/admin/communes"
      title={t("communes.new_title")}
      action="/admin/communes"
      errors={errors}
      intro={<p>{t("communes.new_intro")}</p>}
      values={values}
      fields={[
        { name: "code", label: "communes.field_code", hint: t("communes.field_code_hint"), width: "short" },
        { name: "name", label: "communes.field_name", hint: t("communes.field_name_hint") },
        { name: "province", label: "communes.field_province" },
      ]}
      submit={t("communes.create")}
    />
  ));
}

communeRoutes.get("/admin/communes/new", async (c) => {
  const first = (await listCommuneSummaries(c.var.deps.db))[0];
  return newPage(c, { province: first?.province ?? "" });
});

const communeInputOf = (form: FormValues) => ({
  code: str(form, "code"),
  name: str(form, "name"),
  province: str(form, "province"),
});

communeRoutes.post("/admin/communes", (c) =>
  submitForm(c, {
    run: (form) => addCommune({ ...writerOf(c), input: communeInputOf(form) }),
    flash: (commune) => msg("communes.created", { code: commune.code, name: commune.name }),
    to: () => "/admin/communes",
    invalid: (form, errors) => newPage(c, communeInputOf(form), errors),
  }),
);

async function communeOfPath(c: Context<AppEnv>): Promise<CommuneRow> {
  const commune = await findCommuneByCode(c.var.deps.db, c.req.param("code") ?? "");
  if (!commune) throw notFound();
  return commune;
}

type AdminValues = { username?: string; displayName?: string };

function adminPage(c: Context<AppEnv>, commune: CommuneRow, values: AdminValues, errors?: FieldErrors) {
  const t = c.var.t;
  const title = t("communes.admin_title", { name: commune.name });
  const password = { type: "password", autocomplete: "new-password" } as const;
  return render(c, { title, status: errors ? 422 : 200 }, (ctx) => (
    <FormPage
      ctx={ctx}
      back="/admin/communes"
      title={title}
      action={`/admin/communes/${encodeURIComponent(commune.code)}/admin`}
      errors={errors}
      intro={<p>{t("communes.admin_intro")}</p>}
      values={values}
      fields={[
        { name: "username", label: "field.username", autocomplete: "off", hint: t("v.username_format") },
        { name: "displayName", label: "field.display_name" },
        { name: "password", label: "field.password", ...password },
        { name: "password_confirm", label: "field.password_confirm", ...password },
      ]}
      submit={t("communes.admin_button")}
    />
  ));
}

communeRoutes.get("/admin/communes/:code/admin", async (c) => adminPage(c, await communeOfPath(c), {}));

const adminInputOf = (form: FormValues) => ({
  username: str(form, "username"),
  displayName: str(form, "displayName"),
});

communeRoutes.post("/admin/communes/:code/admin", async (c) => {
  const { db, actor } = writerOf(c);
  const commune = await communeOfPath(c);
  return submitForm(c, {
    run: (form) => {
      if (str(form, "password") !== str(form, "password_confirm"))
        throw new AppError("validation", {
          message: msg("error.validation"),
          fields: { password_confirm: msg("v.password_mismatch") },
        });
      // The commune's admin, in that commune: the province admin makes no other role.
      return createUser({
        db,
        actor,
        scope: { kind: "commune", communeId: commune.id },
        communeId: commune.id,
        input: { ...adminInputOf(form), role: "admin", password: str(form, "password") },
      });
    },
    flash: (user) => msg("communes.admin_created", { username: user.username, name: commune.name }),
    to: () => "/admin/communes",
    invalid: (form, errors) => adminPage(c, commune, adminInputOf(form), errors),
  });
});

// --- API ----------------------------------------------------------------------

const ZCommuneOut = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    province: z.string(),
    demo: z.boolean(),
    residents: z.number().int(),
    admins: z.number().int(),
  })
  .openapi("Commune");

export const communeApi = apiRouter();
communeApi.use("/communes", requirePermission("commune.manage"));

communeApi.openapi(
  apiRoute("get", "/communes", {
    summary: "The installation's communes, with their residents and active admins (province admin)",
    responses: {
      200: {
        description: "The communes",
        content: { "application/json": { schema: z.object({ items: z.array(ZCommuneOut) }) } },
      },
    },
  }),
  async (c) => c.json({ items: await listCommuneSummaries(c.var.deps.db) }, 200),
);

communeApi.openapi(
  apiRoute("post", "/communes", {
    summary: "Add a commune with its own plan from the province's template (province admin)",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z.object({ code: z.string(), name: z.string(), province: z.string().optional() }),
          },
        },
      },
    },
    responses: {
      201: jsonContent(ZCommuneOut, "The commune added"),
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const commune = await addCommune({
      db: c.var.deps.db,
      actor: actorOf(viewer, c.var),
      input: await c.req.json().catch(() => ({})),
    });
    return c.json({ ...commune, residents: 0, admins: 0 }, 201);
  },
);
