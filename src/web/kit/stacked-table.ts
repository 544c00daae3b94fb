/**
 * The phone layout of every list table, once: at ≤ 480 px the stylesheet turns each row of a
 * `table.table` into a stacked block whose cells show their column's heading before the value
 * (`td::before { content: attr(data-label) }`). This gives every body cell the `data-label` of its
 * column, read from the table's own `<thead>`, so a feature's view only says what it lists.
 *
 * It runs on the page as rendered (our own JSX output: regular markup, no nested tables), for every
 * page, so no list can forget it. A cell that already has a `data-label` keeps it; a heading cell
 * with `colspan` labels each column it spans; a table without `<thead>` is left alone.
 *
 * A table that says it is labelled already (`data-labelled` in its opening tag: `ListTable` gives
 * its cells their labels as it draws them, the same labels this would give) is stepped over
 * whole: most of a page's cells never pass through here.
 *
 * It reads the page once, forward, with `indexOf` (every page pays for it: a dashboard of ~100 kB
 * took a third of a millisecond through regular expressions over the page and each table and row).
 * The markup it recognises is what these expressions would match, from left to right, shortest
 * first:
 *   table  <table\b[^>]*\bclass="(?:[^"]*\s)?table(?:\s[^"]*)?"[^>]*>[\s\S]*?</table>
 *   head   <thead\b[^>]*>([\s\S]*?)</thead>       (the first in the table)
 *   row    <tr\b[^>]*>([\s\S]*?)</tr>             (the head's last; each after the head)
 *   cells  <th\b([^>]*)>([\s\S]*?)</th>  in the head's last row;  <(td|th)\b([^>]*)>  in a body row
 */

/** The opening tag of a `table.table`, tried where a `<table` starts. */
const TABLE_OPEN = /<table\b[^>]*\bclass="(?:[^"]*\s)?table(?:\s[^"]*)?"[^>]*>/y;

/** A table's opening tag that says its cells are labelled already. */
const LABELLED = /\sdata-labelled(?=[\s=>/])/;

/** Not a word character ([A-Za-z0-9_]): a tag name ends before it (`<th` is not `<thead`). */
function endsName(s: string, at: number): boolean {
  if (at >= s.length) return true;
  const c = s.charCodeAt(at);
  return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);
}

/** An element `<name…>…</name>` found in s[from, to): where its tag starts, its content starts and ends, and it ends. */
type Found = { start: number; open: number; close: number; end: number };

/** The first `<name\b[^>]*>…</name>` in s[from, to), as the regular expression would find it. */
function findElement(s: string, name: string, from: number, to: number): Found | undefined {
  const opener = `<${name}`;
  const closer = `</${name}>`;
  let at = s.indexOf(opener, from);
  while (at >= 0 && at + opener.length <= to) {
    const afterName = at + opener.length;
    if (afterName === to || endsName(s, afterName)) {
      const gt = s.indexOf(">", afterName);
      if (gt < 0 || gt >= to) return undefined; // no later start finds a `>` either
      const close = s.indexOf(closer, gt + 1);
      if (close < 0 || close + closer.length > to) return undefined; // nor a closing tag
      return { start: at, open: gt + 1, close, end: close + closer.length };
    }
    at = s.indexOf(opener, at + 1);
  }
  return undefined;
}

const colspanOf = (attrs: string) => {
  if (!attrs.includes("colspan")) return 1;
  const m = attrs.match(/\bcolspan="(\d+)"/);
  return m ? Math.max(1, Number(m[1])) : 1;
};

const hasLabel = (attrs: string) => attrs.includes("data-label=") && /\bdata-label=/.test(attrs);

/** A heading's text as an attribute value: tags off, white space collapsed (entities stay escaped). */
export const labelText = (inner: string) =>
  inner
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/"/g, "&quot;");

/** The labels of a table's columns: the last row of its `<thead>`, s[from, to). */
function columnLabels(s: string, from: number, to: number): string[] {
  let last: Found | undefined;
  for (let row = findElement(s, "tr", from, to); row; row = findElement(s, "tr", row.end, to)) last = row;
  if (!last || last.close === last.open) return [];
  const labels: string[] = [];
  for (
    let cell = findElement(s, "th", last.open, last.close);
    cell;
    cell = findElement(s, "th", cell.end, last.close)
  ) {
    const text = labelText(s.slice(cell.open, cell.close));
    const span = colspanOf(s.slice(cell.start + 3, cell.open - 1));
    for (let i = 0; i < span; i++) labels.push(text);
  }
  return labels;
}

/** The body rows of s[from, to) with their cells labelled; undefined when no cell needs a label. */
function labelRows(s: string, from: number, to: number, labels: string[]): string | undefined {
  let out = "";
  let copied = from;
  for (let row = findElement(s, "tr", from, to); row; row = findElement(s, "tr", row.end, to)) {
    let col = 0;
    // A cell's opening tag `<td…>` / `<th…>` anywhere in the row, its own `<tr…>` included.
    for (let at = s.indexOf("<t", row.start); at >= 0 && at < row.end; at = s.indexOf("<t", at + 1)) {
      const c = s.charCodeAt(at + 2);
      if ((c !== 100 && c !== 104) || !endsName(s, at + 3)) continue; // not <td / <th
      const gt = s.indexOf(">", at + 3); // before the row's end: `</tr>` ends with one
      const attrs = s.slice(at + 3, gt);
      const label = labels[col];
      col += colspanOf(attrs);
      if (label && !hasLabel(attrs)) {
        const selfClosing = attrs.endsWith("/");
        out +=
          s.slice(copied, at + 3) +
          (selfClosing ? attrs.slice(0, -1) : attrs) +
          ` data-label="${label}"${selfClosing ? "/" : ""}>`;
        copied = gt + 1;
      }
      at = gt;
    }
  }
  return copied === from ? undefined : out + s.slice(copied, to);
}

/** Adds `data-label` to the body cells of every `table.table` of a rendered page. */
export function labelTableCells(html: string): string {
  let out = "";
  let copied = 0;
  for (let at = html.indexOf("<table"); at >= 0; ) {
    TABLE_OPEN.lastIndex = at;
    if (!TABLE_OPEN.test(html)) {
      at = html.indexOf("<table", at + 1);
      continue;
    }
    const close = html.indexOf("</table>", TABLE_OPEN.lastIndex);
    if (close < 0) break; // no later table closes either
    const end = close + "</table>".length;
    if (LABELLED.test(html.slice(at, TABLE_OPEN.lastIndex))) {
      at = html.indexOf("<table", end);
      continue;
    }
    const head = findElement(html, "thead", at, end);
    const labels = head ? columnLabels(html, head.open, head.close) : [];
    const body = head && labels.length > 0 ? labelRows(html, head.end, end, labels) : undefined;
    if (head && body !== undefined) {
      out += html.slice(copied, head.end) + body;
      copied = end;
    }
    at = html.indexOf("<table", end);
  }
  return copied === 0 ? html : out + html.slice(copied);
}
