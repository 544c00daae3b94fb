import type { FieldErrors } from "../../lib/errors.ts";
import type { MsgKey, T } from "../../lib/i18n/index.ts";
import { ConfirmDeletePage } from "../components.tsx";
import type { PageCtx } from "../render.tsx";
import type { FieldSpec, FormValues } from "./fields.tsx";
import { FormPage } from "./page.tsx";

/** What a route hands a record's new or edit form page: the title, the values shown and their errors. */
export type RecordFormProps = {
  ctx: PageCtx;
  /** The record's id when editing (none: a new one). */
  id?: number | undefined;
  title: string;
  values: FormValues;
  errors?: FieldErrors | undefined;
};

/** A record's new or edit form: posts to `base` or `base/id` and goes back there, with the route's values. */
export function RecordFormPage(p: {
  form: RecordFormProps;
  base: string;
  fields: readonly (FieldSpec | false | null | undefined)[];
}) {
  const f = p.form;
  return (
    <FormPage
      ctx={f.ctx}
      title={f.title}
      record={{ base: p.base, id: f.id }}
      values={f.values}
      errors={f.errors}
      fields={p.fields}
    />
  );
}

/** A register's code (typed once, a hint under it, no autofill) and name: the first two fields of its form. */
export function codeNameFields(
  t: T,
  keys: { code: MsgKey; hint: MsgKey; name: MsgKey },
  width?: "short",
): FieldSpec[] {
  return [
    { name: "code", label: keys.code, hint: t(keys.hint), autocomplete: "off", ...(width ? { width } : {}) },
    { name: "name", label: keys.name },
  ];
}

/** The page that asks before a record at `base/id` goes: what will go, then a POST to `base/id/delete`. */
export function RecordDeletePage(p: {
  ctx: PageCtx;
  base: string;
  id: number;
  title: string;
  rows: [string, string][];
  confirmLabel: string;
}) {
  const own = `${p.base}/${p.id}`;
  return (
    <ConfirmDeletePage
      t={p.ctx.t}
      csrfToken={p.ctx.csrfToken}
      title={p.title}
      rows={p.rows}
      action={`${own}/delete`}
      confirmLabel={p.confirmLabel}
      backHref={own}
    />
  );
}
