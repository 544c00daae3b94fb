import { html, raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { labelText } from "./stacked-table.ts";

/** One column of a list table: its heading, how a row fills its cell, and an optional sort key. */
export type Column<R> = {
  head: Child;
  cell: (row: R, index: number) => Child;
  /** The key the list sorts by when this heading is chosen: the heading becomes a link with aria-sort. */
  sort?: string;
  /** Class of the body cells (e.g. "nowrap", "num"), or of each row's cell (a heat map's shade). */
  class?: string | ((row: R) => string | undefined);
  /** Class of the heading cell. */
  headClass?: string;
  /** This column's cells head their rows (`<th scope="row">`), where that is not the first column. */
  rowHeader?: boolean;
  /** Extra attributes of the body cells (e.g. `{ "data-score": true }` for a test or a script to find). */
  cellAttrs?: Record<string, string | boolean>;
};

/** The list's current order and the address of another order (a GET link: no JavaScript). */
export type SortState = {
  key: string;
  dir: "asc" | "desc";
  href: (key: string, dir: "asc" | "desc") => string;
};

/** GOV.UK `table` options: a caption, the columns (false/null ones are left out), the rows, an empty state. */
export type ListTableProps<R> = {
  caption: string;
  /** The caption is read by screen readers only (the page's heading already says it); default true. */
  captionHidden?: boolean;
  columns: readonly (Column<R> | false | null | undefined)[];
  rows: readonly R[];
  /** Shown instead of the table when there are no rows (a paragraph); without it an empty table is drawn. */
  empty?: Child;
  /** The first cell of each row is its header (`<th scope="row">`). */
  firstCellIsHeader?: boolean;
  sort?: SortState | undefined;
  /** Extra classes of the table (e.g. "table--list", "table--compact"). */
  class?: string;
  /** Class of each body row. */
  rowClass?: (row: R) => string | undefined;
  /** Extra attributes of each body row (e.g. `data-entry`). */
  rowAttrs?: (row: R) => Record<string, string | undefined>;
  /** Extra attributes of the table (e.g. `data-ranking`). */
  attrs?: Record<string, string | undefined>;
  /** The table sits in a horizontally scrolling box (`div.table-wrap`); default true. */
  wrap?: boolean;
  id?: string;
  /** The caption's id (for `region` to name it). */
  captionId?: string;
  /**
   * The id of the element naming the table's scrolling box: the box becomes a focusable region
   * (`section.table-wrap`, aria-labelledby, tabindex 0) that a keyboard can scroll.
   */
  region?: string;
  /** The table's foot rows (a total), drawn in `<tfoot>`. */
  foot?: Child;
};

/** The aria-sort value of a column under a sort state (undefined: not sortable or not the current order). */
export function ariaSort(
  col: { sort?: string },
  sort: SortState | undefined,
): "ascending" | "descending" | "none" | undefined {
  if (!col.sort || !sort) return undefined;
  if (col.sort !== sort.key) return "none";
  return sort.dir === "asc" ? "ascending" : "descending";
}

/** The order a sortable heading's link asks for: the other direction of the current column, else ascending. */
export function nextDir(col: { sort?: string }, sort: SortState): "asc" | "desc" {
  return col.sort === sort.key && sort.dir === "asc" ? "desc" : "asc";
}

/**
 * A column's heading as the label of its cells in the phone layout, as `kit/stacked-table.ts`
 * would read it from the rendered heading (tags off, white space collapsed, escaped once); undefined
 * when the heading does not render at once (an async part), so the page's pass labels the table.
 */
function headLabel(head: Child): HtmlEscapedString | undefined {
  const rendered: unknown = html`${head}`;
  if (rendered instanceof Promise) return undefined;
  return raw(labelText(String(rendered)));
}

/**
 * A list table, GOV.UK style. The phone layout (stacked rows labelled with their column's heading):
 * each body cell gets its column's heading as `data-label` here, once per column, and the table
 * says so (`data-labelled`), so `kit/stacked-table.ts` — which labels every other `table.table` of
 * a page — steps over it; a table with a foot is left to that pass, which labels the foot too.
 */
export function ListTable<R>(p: ListTableProps<R>) {
  if (p.rows.length === 0 && p.empty !== undefined) return <p>{p.empty}</p>;
  const cols = p.columns.filter((c): c is Column<R> => !!c);
  const cellClass = (c: Column<R>, r: R) => (typeof c.class === "function" ? c.class(r) : c.class);
  const heads = p.foot ? undefined : cols.map((c) => headLabel(c.head));
  const labelled = heads?.every((l) => l !== undefined) === true;
  // An empty heading labels nothing (as the page's pass does).
  const labels = cols.map((_, j) => (labelled && String(heads?.[j]) !== "" ? heads?.[j] : undefined));
  const labelOf = (j: number) => labels[j];
  const table = (
    <table
      class={p.class ? `table ${p.class}` : "table"}
      id={p.id}
      {...p.attrs}
      data-labelled={labelled ? "" : undefined}
    >
      <caption id={p.captionId} class={p.captionHidden === false ? "table__caption" : "visually-hidden"}>
        {p.caption}
      </caption>
      <thead>
        <tr>
          {cols.map((c) => (
            <th scope="col" class={c.headClass} aria-sort={ariaSort(c, p.sort)}>
              {c.sort && p.sort ? <a href={p.sort.href(c.sort, nextDir(c, p.sort))}>{c.head}</a> : c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r, i) => (
          <tr class={p.rowClass?.(r)} {...p.rowAttrs?.(r)}>
            {cols.map((c, j) =>
              (j === 0 && p.firstCellIsHeader) || c.rowHeader ? (
                <th scope="row" class={cellClass(c, r)} data-label={labelOf(j)} {...c.cellAttrs}>
                  {c.cell(r, i)}
                </th>
              ) : (
                <td class={cellClass(c, r)} data-label={labelOf(j)} {...c.cellAttrs}>
                  {c.cell(r, i)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
      {p.foot ? <tfoot>{p.foot}</tfoot> : null}
    </table>
  );
  if (p.wrap === false) return table;
  if (p.region)
    return (
      <section class="table-wrap" aria-labelledby={p.region} tabindex={0}>
        {table}
      </section>
    );
  return <div class="table-wrap">{table}</div>;
}
