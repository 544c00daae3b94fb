/**
 * The phone layout of every list table, once: at ≤ 480 px the stylesheet turns each row of a
 * `table.table` into a stacked block whose cells show their column's heading before the value
 * (`td::before { content: attr(data-label) }`). This gives every body cell the `data-label` of its
 * column, read from the table's own `<thead>`, so a feature's view only says what it lists.
 *
 * It runs on the page as rendered (our own JSX output: regular markup, no nested tables), for every
 * page, so no list can forget it. A cell that already has a `data-label` keeps it; a heading cell
 * with `colspan` labels each column it spans; a table without `<thead>` is left alone.
 */

const TABLE = /<table\b[^>]*\bclass="(?:[^"]*\s)?table(?:\s[^"]*)?"[^>]*>[\s\S]*?<\/table>/g;
const THEAD = /<thead\b[^>]*>([\s\S]*?)<\/thead>/;
const ROW = /<tr\b[^>]*>([\s\S]*?)<\/tr>/g;
const HEAD_CELL = /<th\b([^>]*)>([\s\S]*?)<\/th>/g;
const BODY_CELL = /<(td|th)\b([^>]*)>/g;

const colspanOf = (attrs: string) => {
  const m = attrs.match(/\bcolspan="(\d+)"/);
  return m ? Math.max(1, Number(m[1])) : 1;
};

/** A heading's text as an attribute value: tags off, white space collapsed (entities stay escaped). */
const labelText = (inner: string) =>
  inner
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/"/g, "&quot;");

/** The labels of a table's columns: the last row of its `<thead>`. */
function columnLabels(head: string): string[] {
  const rows = [...head.matchAll(ROW)];
  const last = rows.at(-1)?.[1];
  if (!last) return [];
  const labels: string[] = [];
  for (const m of last.matchAll(HEAD_CELL)) {
    const text = labelText(m[2] ?? "");
    for (let i = 0; i < colspanOf(m[1] ?? ""); i++) labels.push(text);
  }
  return labels;
}

function labelRows(body: string, labels: string[]): string {
  return body.replace(ROW, (row) => {
    let col = 0;
    return row.replace(BODY_CELL, (cell, tag: string, attrs: string) => {
      const label = labels[col];
      col += colspanOf(attrs);
      if (!label || /\bdata-label=/.test(attrs)) return cell;
      const selfClosing = attrs.endsWith("/");
      return `<${tag}${selfClosing ? attrs.slice(0, -1) : attrs} data-label="${label}"${selfClosing ? "/" : ""}>`;
    });
  });
}

/** Adds `data-label` to the body cells of every `table.table` of a rendered page. */
export function labelTableCells(html: string): string {
  if (!html.includes("<table")) return html;
  return html.replace(TABLE, (table) => {
    const head = table.match(THEAD);
    if (!head || head.index === undefined) return table;
    const labels = columnLabels(head[1] ?? "");
    if (labels.length === 0) return table;
    const split = head.index + head[0].length;
    return table.slice(0, split) + labelRows(table.slice(split), labels);
  });
}
