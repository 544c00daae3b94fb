import type { FieldErrors } from "../../lib/errors.ts";
import type { PageCtx } from "../render.tsx";
import type { FieldSpec, FormValues } from "./fields.tsx";
import { FormPage } from "./page.tsx";

/** What a registry's list page is given: the query, one page of its rows, and whether "add" is offered. */
export type RecordListProps<Q, I> = {
  ctx: PageCtx;
  query: Q;
  result: { items: I[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
};

/** What a record's form page is given: its id when it edits one, its heading, the values and their errors. */
export type RecordFormProps<V extends FormValues = FormValues> = {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: V;
  errors?: FieldErrors | undefined;
};

/** A record's add or edit form: posts to `base` (new) or `base/id` (edit) and goes back there. */
export function RecordFormPage(
  p: RecordFormProps & { base: string; fields: readonly (FieldSpec | false | null | undefined)[] },
) {
  return (
    <FormPage
      ctx={p.ctx}
      record={{ base: p.base, id: p.id }}
      title={p.title}
      errors={p.errors}
      values={p.values}
      fields={p.fields}
    />
  );
}
