import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { Permission } from "../../features/auth/policy.ts";
import type { FieldErrors, Msg } from "../../lib/errors.ts";
import type { AppEnv } from "../context.ts";
import type { FormValues } from "../form.ts";
import { requirePermission } from "../middleware.ts";
import { type PageCtx, render, setFlash } from "../render.tsx";
import { submitForm } from "./form-route.ts";
import { idOf } from "./request.ts";

/** A form's values as its page shows them (the record's, or what was submitted). */
export type EditorValues = Record<string, string | string[] | undefined>;

/** What the form page of a record is drawn from: no `id` for a new record. */
export type EditorPage = { id?: number; title: string; values: EditorValues; errors?: FieldErrors };

/** The new/create/edit/update pages of a record kept by a form (`/units/new`, `/units/7/edit`, …). */
export type EditorRoutes<R extends { id: number }, D = undefined> = {
  /** The collection's path, e.g. `/units`; a saved record goes to `${base}/${id}`. */
  base: string;
  /** What the form offers to pick from (e.g. the villages), loaded each time the form is drawn. */
  data?: (c: Context<AppEnv>) => Promise<D>;
  /** The form page's body (a view such as `UnitFormPage`); it is rendered with status 422 when it has errors. */
  view: (p: EditorPage & { ctx: PageCtx; data: D }) => Child;
  create: {
    permission: Permission;
    /** The page's title. */
    title: Msg;
    /** The values a new record's form starts with (default none). */
    values?: (c: Context<AppEnv>) => EditorValues | Promise<EditorValues>;
    run: (c: Context<AppEnv>, form: FormValues) => Promise<R>;
    flash: (record: R) => Msg;
  };
  update: {
    permission: Permission;
    /** The page's title when the form comes back with errors. */
    title: Msg;
    /** The record's title and form values for its edit page. */
    load: (c: Context<AppEnv>, id: number) => Promise<{ title: Msg; values: EditorValues }>;
    run: (c: Context<AppEnv>, id: number, form: FormValues) => Promise<R>;
    flash: (record: R) => Msg;
  };
};

/** Mounts `GET base/new`, `POST base`, `GET base/:id/edit` and `POST base/:id` (post-redirect-get, errors on the form). */
export function mountEditor<R extends { id: number }, D = undefined>(
  router: Hono<AppEnv>,
  spec: EditorRoutes<R, D>,
): void {
  const { base, view, create, update } = spec;
  const formPage = async (c: Context<AppEnv>, page: EditorPage) => {
    // Without `data`, D is its default, undefined.
    const data = spec.data ? await spec.data(c) : (undefined as D);
    return render(c, { title: page.title, status: page.errors ? 422 : 200 }, (ctx) =>
      view({ ...page, ctx, data }),
    );
  };
  const text = (c: Context<AppEnv>, m: Msg) => c.var.t(m.key, m.params);
  const to = (r: R) => `${base}/${r.id}`;
  router.get(`${base}/new`, requirePermission(create.permission), async (c) =>
    formPage(c, { title: text(c, create.title), values: (await create.values?.(c)) ?? {} }),
  );
  router.post(base, requirePermission(create.permission), (c) =>
    submitForm(c, {
      run: (form) => create.run(c, form),
      flash: create.flash,
      to,
      invalid: (form, errors) => formPage(c, { title: text(c, create.title), values: form, errors }),
    }),
  );
  router.get(`${base}/:id{[0-9]+}/edit`, requirePermission(update.permission), async (c) => {
    const id = idOf(c);
    const { title, values } = await update.load(c, id);
    return formPage(c, { id, title: text(c, title), values });
  });
  router.post(`${base}/:id{[0-9]+}`, requirePermission(update.permission), (c) => {
    const id = idOf(c);
    return submitForm(c, {
      run: (form) => update.run(c, id, form),
      flash: update.flash,
      to,
      invalid: (form, errors) => formPage(c, { id, title: text(c, update.title), values: form, errors }),
    });
  });
}

/** The confirm page and the delete of a record nothing must refer to (`GET`/`POST base/:id/delete`). */
export type RemoverRoutes<R> = {
  /** The collection's path; after the delete the browser goes there. */
  base: string;
  permission: Permission;
  /** The record, refused (409) while other records refer to it. */
  load: (c: Context<AppEnv>, id: number) => Promise<R>;
  /** The confirm page's title and body. */
  title: (record: R) => Msg;
  view: (ctx: PageCtx, record: R) => Child;
  run: (c: Context<AppEnv>, id: number) => Promise<R>;
  flash: (record: R) => Msg;
};

/** Mounts `GET base/:id/delete` (the confirm page) and `POST base/:id/delete` (post-redirect-get to `base`). */
export function mountRemover<R>(router: Hono<AppEnv>, spec: RemoverRoutes<R>): void {
  const { base, permission } = spec;
  router.get(`${base}/:id{[0-9]+}/delete`, requirePermission(permission), async (c) => {
    const record = await spec.load(c, idOf(c));
    const m = spec.title(record);
    return render(c, { title: c.var.t(m.key, m.params) }, (ctx) => spec.view(ctx, record));
  });
  router.post(`${base}/:id{[0-9]+}/delete`, requirePermission(permission), async (c) => {
    setFlash(c, spec.flash(await spec.run(c, idOf(c))));
    return c.redirect(base, 303);
  });
}
