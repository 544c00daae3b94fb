import type { Child } from "hono/jsx";
import type { MsgKey, T } from "../../lib/i18n/index.ts";
import { Pagination } from "../components.tsx";
import { FilterBar, listHref } from "./filter-bar.tsx";
import { type ActionLink, PageHeader } from "./page.tsx";
import { ListTable, type ListTableProps } from "./table.tsx";

/** One page of a list, as the services return it (total null: not counted, `hasNext` says more). */
export type PageOf = { page: number; pageSize: number; total: number | null; hasNext?: boolean };

/** The paging of a list from the page the service returned (previous/next, numbered items). */
export function Paging(p: { t: T; paging: PageOf; href: (page: number) => string }) {
  return <Pagination t={p.t} {...p.paging} href={p.href} />;
}

/**
 * A registry list page: heading and actions, the filter bar, the table (or its empty state) and the
 * paging — what every list of the staff pages is made of, from options alone.
 */
export function ListPage<R>(
  p: Omit<ListTableProps<R>, "caption"> & {
    t: T;
    title: string;
    /** A paragraph under the heading. */
    intro?: Child;
    /** The table's caption (default the title). */
    caption?: string;
    actions?: readonly (ActionLink | false | null | undefined)[];
    filter?: Omit<Parameters<typeof FilterBar>[0], "submit"> | undefined;
    /** What comes between the heading and the filters (an error summary). */
    summary?: Child;
    /** What comes between the filters and the table (a notice). */
    before?: Child;
    paging: PageOf;
    href: (page: number) => string;
  },
) {
  const { t, title, intro, actions, filter, summary, before, paging, href, ...table } = p;
  return (
    <div>
      <PageHeader t={t} title={title} intro={intro} actions={actions} />
      {summary}
      {filter ? <FilterBar {...filter} submit={t("common.filter")} /> : null}
      {before}
      <ListTable {...table} caption={p.caption ?? title} />
      <Paging t={t} paging={paging} href={href} />
    </div>
  );
}

/** A registry's words: its heading, its "add" button, its search box's label and its empty state. */
export type RegistryWords = { title: MsgKey; new: MsgKey; search?: MsgKey; empty: MsgKey };

/**
 * A registry list at `base` (`base/new` adds one, `?q=` searches, the query stays in the paging
 * links): the ListPage of a registry from its words, query, page of rows, filters and columns.
 */
export function RegistryList<R>(
  p: Omit<ListTableProps<R>, "caption" | "rows" | "empty"> & {
    ctx: { t: T };
    base: string;
    words: RegistryWords;
    query: { q?: string | undefined } & Record<string, string | number | null | undefined>;
    result: PageOf & { items: readonly R[] };
    canCreate: boolean;
    filters?: NonNullable<Parameters<typeof FilterBar>[0]["filters"]>;
    /** More actions after "add" (an export, an import). */
    actions?: readonly (ActionLink | false | null | undefined)[];
    before?: Child;
  },
) {
  const { ctx, base, words, query, result, canCreate, filters, actions, ...table } = p;
  const { t } = ctx;
  return (
    <ListPage
      {...table}
      t={t}
      title={t(words.title)}
      actions={[canCreate && { href: `${base}/new`, label: t(words.new) }, ...(actions ?? [])]}
      filter={{
        action: base,
        search: words.search ? { label: t(words.search), value: query.q } : undefined,
        filters,
      }}
      empty={t(words.empty)}
      rows={result.items}
      paging={result}
      href={listHref(base, query)}
    />
  );
}
