import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { Db } from "../../db/client.ts";
import type { Viewer } from "../../features/auth/viewer.ts";
import type { MsgKey } from "../../lib/i18n/index.ts";
import type { AppEnv } from "../context.ts";
import { type PageCtx, render } from "../render.tsx";
import { pageOf, queryOf, readerOf } from "./request.ts";

/** A list's filters as read from the query string: each named parameter, trimmed, an empty one undefined. */
export type ListQuery<K extends string> = { [P in K]: string | undefined };

/** A record list's page: its filters, the list service, what else the page offers, and its view. */
export type ListRoute<K extends string, P, D> = {
  /** The query parameters the list filters by. */
  query: readonly K[];
  /** The list service, given the page (50 rows) in the viewer's scope. */
  list: (opts: { db: Db; viewer: Viewer; query: ListQuery<K>; page: number; pageSize: number }) => Promise<P>;
  /** What the page offers besides the list (e.g. the villages to filter by), loaded after the list. */
  data?: (reader: { db: Db; viewer: Viewer }) => Promise<D>;
  /** The page's title. */
  title: MsgKey;
  view: (p: { ctx: PageCtx; query: ListQuery<K>; result: P; viewer: Viewer; data: D }) => Child;
};

/** The handler of a record list's page (`GET /units`…): reads the filters and the page, lists, renders. */
export function listRoute<K extends string, P, D = undefined>(spec: ListRoute<K, P, D>) {
  return async (c: Context<AppEnv>) => {
    const { db, viewer } = readerOf(c);
    const query = queryOf(c, spec.query);
    const result = await spec.list({ db, viewer, query, page: pageOf(c), pageSize: 50 });
    // Without `data`, D is its default, undefined.
    const data = spec.data ? await spec.data({ db, viewer }) : (undefined as D);
    return render(c, { title: c.var.t(spec.title) }, (ctx) =>
      spec.view({ ctx, query, result, viewer, data }),
    );
  };
}
