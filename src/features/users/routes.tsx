import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { ROLES } from "../../db/schema.ts";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { apiRouter, ZIdParam, ZPageQuery } from "../../web/api.ts";
import { Pagination } from "../../web/components.tsx";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { ChoiceOptions } from "../../web/kit/choice-options.tsx";
import { PageHeader } from "../../web/kit/page.tsx";
import { ListTable } from "../../web/kit/table.tsx";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { apiRoute, jsonBody, jsonContent, listContent } from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { guardPaths } from "../../web/routes-kit/guard-paths.ts";
import { apiGetById } from "../../web/routes-kit/record-operations.ts";
import { idOf, pageOf } from "../../web/routes-kit/request.ts";
import { COMMUNE_ROLES, type Role } from "../auth/policy.ts";
import { listUnitsOfCommune } from "../units/repo.ts";
import { listAllVillagesOfCommune } from "../villages/repo.ts";
import {
  createUser,
  getUser,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  type UserCtx,
  type UserView,
  updateUser,
} from "./service.ts";
import { UserFormPage, type UserFormValues } from "./views/user-form.tsx";

export const userRoutes = new Hono<AppEnv>();
guardPaths(userRoutes, "/admin/users", requirePermission("user.manage"));

function ctxOf(c: Context<AppEnv>): UserCtx {
  const viewer = requireViewer(c);
  return {
    db: c.var.deps.db,
    actor: actorOf(viewer, c.var),
    scope: viewer.scope,
    communeId: viewer.communeId,
  };
}

function isRole(x: string | undefined): x is Role {
  return (ROLES as readonly string[]).includes(x ?? "");
}

userRoutes.get("/admin/users", async (c) => {
  const t = c.var.t;
  const roleQ = c.req.query("role");
  const role = isRole(roleQ) ? roleQ : undefined;
  const page = pageOf(c);
  const result = await listUsers({ ...ctxOf(c), role, page, pageSize: 50 });
  const href = (p: number) =>
    `/admin/users?${new URLSearchParams({ ...(role ? { role } : {}), page: String(p) })}`;
  return render(c, { title: t("users.title") }, () => (
    <div>
      <PageHeader
        t={t}
        title={t("users.title")}
        actions={[{ href: "/admin/users/new", label: t("users.new") }]}
      />
      <form method="get" action="/admin/users" class="filters">
        <label for="f-role">{t("users.filter_role")}</label>
        <select id="f-role" name="role" class="select">
          <ChoiceOptions
            blank={t("users.all_roles")}
            options={COMMUNE_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            value={role}
          />
        </select>
        <button type="submit" class="button button--secondary">
          {t("common.filter")}
        </button>
      </form>
      <ListTable
        caption={t("users.title")}
        rows={result.items}
        columns={[
          { head: t("field.username"), cell: (u) => <a href={`/admin/users/${u.id}`}>{u.username}</a> },
          { head: t("field.display_name"), cell: (u) => u.displayName },
          { head: t("field.role"), cell: (u) => t(`role.${u.role}`) },
          {
            head: t("field.villages"),
            cell: (u) => [...u.villages, ...(u.unit ? [u.unit] : [])].join(", ") || t("common.none"),
          },
          { head: t("users.status"), cell: (u) => (u.disabled ? t("users.disabled") : t("users.active")) },
        ]}
      />
      <Pagination t={t} page={page} pageSize={50} total={result.total} href={href} />
    </div>
  ));
});

async function formPage(
  c: Context<AppEnv>,
  opts: { user?: UserView; values: UserFormValues; errors?: FieldErrors; passwordErrors?: FieldErrors },
) {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const villages = await listAllVillagesOfCommune(db, viewer.communeId);
  const schools = await listUnitsOfCommune(db, viewer.communeId);
  const t = c.var.t;
  const title = opts.user ? t("users.edit_title", { username: opts.user.username }) : t("users.new_title");
  const status = opts.errors || opts.passwordErrors ? 422 : 200;
  return render(c, { title, status }, (ctx) => (
    <UserFormPage ctx={ctx} {...opts} villages={villages} schools={schools} />
  ));
}

userRoutes.get("/admin/users/new", (c) => formPage(c, { values: { role: "volunteer" } }));

/** The account fields of the form (the password fields apart). */
const accountOf = (form: FormValues) => ({
  displayName: str(form, "displayName"),
  role: str(form, "role"),
  villages: list(form, "villages"),
  unit: str(form, "unit"),
});
const newUserOf = (form: FormValues) => ({ username: str(form, "username"), ...accountOf(form) });

userRoutes.post("/admin/users", (c) =>
  submitForm(c, {
    run: async (form) => {
      if (str(form, "password") !== str(form, "password_confirm")) {
        throw new AppError("validation", {
          message: msg("error.validation"),
          fields: { password_confirm: msg("v.password_mismatch") },
        });
      }
      return createUser({ ...ctxOf(c), input: { ...newUserOf(form), password: str(form, "password") } });
    },
    flash: (user) => msg("users.created", { username: user.username }),
    to: (user) => `/admin/users/${user.id}`,
    invalid: (form, errors) => formPage(c, { values: newUserOf(form), errors }),
  }),
);

userRoutes.get("/admin/users/:id{[0-9]+}", async (c) => {
  const user = await getUser({ ...ctxOf(c), id: idOf(c) });
  return formPage(c, { user, values: { ...user } });
});

userRoutes.post("/admin/users/:id{[0-9]+}", async (c) => {
  const id = idOf(c);
  const user = await getUser({ ...ctxOf(c), id });
  return submitForm(c, {
    run: (form) => updateUser({ ...ctxOf(c), id, input: accountOf(form) }),
    flash: () => msg("users.updated"),
    to: () => `/admin/users/${id}`,
    invalid: (form, errors) => formPage(c, { user, values: accountOf(form), errors }),
  });
});

for (const action of ["disable", "enable"] as const) {
  userRoutes.post(`/admin/users/:id{[0-9]+}/${action}`, async (c) => {
    const id = idOf(c);
    const user = await setUserDisabled({ ...ctxOf(c), id, disabled: action === "disable" });
    setFlash(
      c,
      msg(action === "disable" ? "users.disabled_done" : "users.enabled_done", { username: user.username }),
    );
    return c.redirect(`/admin/users/${id}`, 303);
  });
}

userRoutes.post("/admin/users/:id{[0-9]+}/password", async (c) => {
  const id = idOf(c);
  const user = await getUser({ ...ctxOf(c), id });
  return submitForm(c, {
    run: (form) =>
      resetUserPassword({
        ...ctxOf(c),
        id,
        password: str(form, "password"),
        confirm: str(form, "password_confirm"),
      }),
    flash: () => msg("users.password_done", { username: user.username }),
    to: () => `/admin/users/${id}`,
    invalid: (_form, passwordErrors) => formPage(c, { user, values: { ...user }, passwordErrors }),
  });
});

// --- API ----------------------------------------------------------------------

export const userApi = apiRouter();
guardPaths(userApi, "/users", requirePermission("user.manage"));

const ZUserOut = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    villages: z.array(z.string()).openapi({ description: "Village codes (village_lead, volunteer)" }),
    unit: z.string().nullable().openapi({ description: "Unit code (school)" }),
    totpEnabled: z.boolean(),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("User");

const ZUserCreateIn = z
  .object({
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    password: z.string(),
    villages: z.array(z.string()).optional(),
    unit: z.string().nullable().optional(),
  })
  .openapi("UserCreate");

const ZUserPatchIn = z
  .object({
    displayName: z.string().optional(),
    role: z.enum(ROLES).optional(),
    villages: z.array(z.string()).optional(),
    unit: z.string().nullable().optional(),
    disabled: z.boolean().optional(),
    password: z.string().optional().openapi({ description: "A new password; ends the account's sessions" }),
  })
  .openapi("UserPatch");

userApi.openapi(
  apiRoute("get", "/users", {
    summary: "List the commune's accounts (admin)",
    request: { query: ZPageQuery.extend({ role: z.enum(ROLES).optional() }) },
    responses: { 200: listContent(ZUserOut, "Accounts") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const r = await listUsers({ ...ctxOf(c), role: q.role, page: q.page, pageSize: q.pageSize });
    return c.json({ items: r.items, total: r.total }, 200);
  },
);

userApi.openapi(
  apiRoute("post", "/users", {
    summary: "Create an account (admin)",
    request: { body: jsonBody(ZUserCreateIn) },
    responses: { 201: jsonContent(ZUserOut, "The new account") },
  }),
  async (c) => c.json(await createUser({ ...ctxOf(c), input: c.req.valid("json") }), 201),
);

apiGetById(userApi, {
  path: "/users/{id}",
  summary: "One account (admin)",
  schema: ZUserOut,
  description: "The account",
  load: (c, id) => getUser({ ...ctxOf(c), id }),
});

userApi.openapi(
  apiRoute("patch", "/users/{id}", {
    summary: "Change an account: name, role, scope, disabled, password (admin)",
    request: {
      params: ZIdParam,
      body: jsonBody(ZUserPatchIn),
    },
    responses: { 200: jsonContent(ZUserOut, "The account after the change") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const { disabled, password, ...fields } = body;
    // All of it or none of it.
    const user = await c.var.deps.db.transaction(async (tx) => {
      const ctx = { ...ctxOf(c), db: tx };
      let u = await getUser({ ...ctx, id });
      if (Object.keys(fields).length > 0) u = await updateUser({ ...ctx, id, input: fields });
      if (password !== undefined) u = await resetUserPassword({ ...ctx, id, password });
      if (disabled !== undefined) u = await setUserDisabled({ ...ctx, id, disabled });
      return u;
    });
    return c.json(user, 200);
  },
);
