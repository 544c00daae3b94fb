import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { Permission } from "../../features/auth/policy.ts";
import type { InputWrite, RecordInputWrite, RecordRead, RecordWrite } from "../../features/service-kit.ts";
import { type Msg, msg } from "../../lib/errors.ts";
import type { MsgKey, MsgParams } from "../../lib/i18n/index.ts";
import type { Cell } from "../../lib/values.ts";
import type { AppEnv } from "../context.ts";
import type { FormValues } from "../form.ts";
import type { PageCtx } from "../render.tsx";
import { type EditorRoutes, type EditorValues, mountEditor, mountRemover } from "./editor-routes.ts";
import { readerOf, writerOf } from "./request.ts";

/** The message prefixes (`units`, `villages`…) that have every key `K` (`units.new`, `units.created`…). */
type PrefixOf<K extends string> = MsgKey extends infer M ? (M extends `${infer P}.${K}` ? P : never) : never;
type FormPrefix = PrefixOf<"new"> &
  PrefixOf<"edit"> &
  PrefixOf<"edit_title"> &
  PrefixOf<"created"> &
  PrefixOf<"updated">;

/**
 * The form pages of a record kept the usual way: a feature's services `create`/`update`/`get` (and
 * `getRemovable`/`delete`) take the request's reader or writer, the messages are `<messages>.new`,
 * `.edit`, `.edit_title`, `.created`, `.updated` (and `.delete_title`, `.deleted`), each with the
 * record's `label` as parameters.
 */
export type RecordForms<R extends { id: number }, D, X> = {
  /** The collection's path, e.g. `/units`. */
  base: string;
  can: { create: Permission; update: Permission };
  messages: FormPrefix;
  /** The parameters of every message about one record, e.g. `{ name: r.name }`. */
  label: (record: R) => MsgParams;
  /** The form's fields as the column-key input the services check. */
  input: (form: FormValues) => Record<string, Cell>;
  data?: EditorRoutes<R, D>["data"];
  view: EditorRoutes<R, D>["view"];
  create: (opts: InputWrite) => Promise<R>;
  update: (opts: RecordInputWrite) => Promise<R>;
  get: (opts: RecordRead) => Promise<R>;
  /** The edit page's values of the stored record. */
  values: (record: R) => EditorValues;
  /** The confirm page and the delete; its messages are `<messages>.delete_title` and `.deleted`. */
  remove?: {
    permission: Permission;
    getRemovable: (opts: RecordRead) => Promise<X>;
    delete: (opts: RecordWrite) => Promise<X>;
    label: (record: X) => MsgParams;
    view: (ctx: PageCtx, record: X) => Child;
  };
};

const key = (prefix: string, name: string) => `${prefix}.${name}` as MsgKey;

/** Mounts the new/create/edit/update pages (mountEditor) and, with `remove`, the delete pages (mountRemover). */
export function mountRecordForms<R extends { id: number }, D = undefined, X = R>(
  router: Hono<AppEnv>,
  spec: RecordForms<R, D, X>,
): void {
  const { base, can, messages, label, input } = spec;
  const about = (name: string, r: R): Msg => msg(key(messages, name), label(r));
  mountEditor<R, D>(router, {
    base,
    ...(spec.data ? { data: spec.data } : {}),
    view: spec.view,
    create: {
      permission: can.create,
      title: msg(key(messages, "new")),
      run: (c, form) => spec.create({ ...writerOf(c), input: input(form) }),
      flash: (r) => about("created", r),
    },
    update: {
      permission: can.update,
      title: msg(key(messages, "edit")),
      load: async (c, id) => {
        const r = await spec.get({ ...readerOf(c), id });
        return { title: about("edit_title", r), values: spec.values(r) };
      },
      run: (c, id, form) => spec.update({ ...writerOf(c), id, input: input(form) }),
      flash: (r) => about("updated", r),
    },
  });
  const { remove } = spec;
  if (!remove) return;
  mountRemover<X>(router, {
    base,
    permission: remove.permission,
    load: (c, id) => remove.getRemovable({ ...readerOf(c), id }),
    title: (x) => msg(key(messages, "delete_title"), remove.label(x)),
    view: remove.view,
    run: (c, id) => remove.delete({ ...writerOf(c), id }),
    flash: (x) => msg(key(messages, "deleted"), remove.label(x)),
  });
}
