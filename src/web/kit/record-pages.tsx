import type { FieldErrors } from "../../lib/errors.ts";
import type { MsgKey, T } from "../../lib/i18n/index.ts";
import { ConfirmDeletePage } from "../components.tsx";
import type { PageCtx } from "../render.tsx";
import type { FieldSpec, FormValues } from "./fields.tsx";
import { blank } from "./options.ts";
import { FormPage } from "./page.tsx";

/** What a registry's list page is given: the query, one page of its rows, and whether "add" is offered. */
export type RecordListProps<Q, I> = {
  ctx: PageCtx;
  query: Q;
  result: { items: I[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
};

/** What a route hands a record's new or edit form page: the title, the values shown and their errors. */
export type RecordFormProps<V extends FormValues = FormValues> = {
  ctx: PageCtx;
  /** The record's id when editing (none: a new one). */
  id?: number | undefined;
  title: string;
  values: V;
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

/**
 * A register's new or edit form page at `base`, as a component: the feature says which fields it
 * asks for (given the route's props and the page's `t`), `RecordFormPage` draws them.
 */
export function recordFormPage<P extends RecordFormProps>(
  base: string,
  fields: (p: P, t: T) => readonly (FieldSpec | false | null | undefined)[],
) {
  return (p: P) => <RecordFormPage form={p} base={base} fields={fields(p, p.ctx.t)} />;
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

/** A choice of one, its first option blank (nothing chosen yet). */
export function pickOne(name: string, label: MsgKey, options: { value: string; label: string }[]): FieldSpec {
  return { kind: "select", name, label, options: [blank, ...options] };
}

/**
 * The page that asks before a register's record at `base/id` goes: its code and name (and `more`
 * rows), then a POST to `base/id/delete`.
 */
export function RecordDeletePage(p: {
  ctx: PageCtx;
  base: string;
  record: { id: number; code: string; name: string };
  words: { title: MsgKey; code: MsgKey; name: MsgKey; confirm: MsgKey };
  more?: [string, string][];
}) {
  const { t } = p.ctx;
  const { id, code, name } = p.record;
  const own = `${p.base}/${id}`;
  return (
    <ConfirmDeletePage
      t={t}
      csrfToken={p.ctx.csrfToken}
      title={t(p.words.title, { name })}
      rows={[[t(p.words.code), code], [t(p.words.name), name], ...(p.more ?? [])]}
      action={`${own}/delete`}
      confirmLabel={t(p.words.confirm)}
      backHref={own}
    />
  );
}
