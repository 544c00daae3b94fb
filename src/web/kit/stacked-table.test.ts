import assert from "node:assert/strict";
import { test } from "node:test";
import { html } from "hono/html";
import { labelTableCells } from "./stacked-table.ts";
import { type Column, ListTable, type SortState } from "./table.tsx";

test("each body cell of a table.table gets its column's heading; colspan, kept labels, other tables", () => {
  const out = labelTableCells(
    '<table class="table table--list"><thead><tr><th scope="col">Mã <span>hộ</span></th><th colspan="2">A &amp; "B"</th></tr></thead>' +
      '<tbody><tr><td class="nowrap"><a href="/x">1</a></td><td>2</td><td data-label="giữ">3</td></tr>' +
      '<tr><th scope="row">r</th><td colspan="2">w</td></tr></tbody></table>' +
      '<table class="other"><thead><tr><th>x</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>',
  );
  assert.match(out, /<td class="nowrap" data-label="Mã hộ"><a href="\/x">1<\/a><\/td>/);
  assert.match(out, /<td data-label="A &amp; &quot;B&quot;">2<\/td>/);
  assert.match(out, /<td data-label="giữ">3<\/td>/);
  assert.match(
    out,
    /<th scope="row" data-label="Mã hộ">r<\/th><td colspan="2" data-label="A &amp; &quot;B&quot;">w/,
  );
  assert.match(out, /<table class="other"><thead><tr><th>x<\/th><\/tr><\/thead><tbody><tr><td>1<\/td>/);
  assert.match(out, /<th scope="col">Mã <span>hộ<\/span><\/th>/, "the head row is left as it is");
  assert.equal(labelTableCells("<p>no table</p>"), "<p>no table</p>");
});

test("the head's last row names the columns; a table without a head, or a head without cells, is left alone", () => {
  const twoRows =
    '<table class="table"><thead><tr><th colspan="2">Nhóm</th></tr><tr><th>Thôn</th><th>Số hộ</th></tr></thead>' +
    '<tbody><tr><td>Thôn 1</td><td class="num"/></tr></tbody></table>';
  assert.equal(
    labelTableCells(twoRows),
    '<table class="table"><thead><tr><th colspan="2">Nhóm</th></tr><tr><th>Thôn</th><th>Số hộ</th></tr></thead>' +
      '<tbody><tr><td data-label="Thôn">Thôn 1</td><td class="num" data-label="Số hộ"/></tr></tbody></table>',
  );
  const headless = '<table class="table"><tbody><tr><td>1</td></tr></tbody></table>';
  assert.equal(labelTableCells(headless), headless);
  const emptyHead = '<table class="table"><thead><tr></tr></thead><tbody><tr><td>1</td></tr></tbody></table>';
  assert.equal(labelTableCells(emptyHead), emptyHead);
});

test("a ListTable labels its cells as the page's pass would, says so, and the pass steps over it", async () => {
  type Row = { a: string; b: number };
  const columns: Column<Row>[] = [
    { head: html`Mã <span>hộ</span>`, cell: (r) => r.a },
    { head: 'A & "B"', cell: (r) => r.b, sort: "b", class: "num" },
    { head: "", cell: () => "—" },
    { head: "Giữ", cell: () => "k", cellAttrs: { "data-label": "giữ" } },
  ];
  const sort: SortState = { key: "b", dir: "asc", href: (k, d) => `?sort=${k}&dir=${d}` };
  const rows = [
    { a: "x & <y>", b: 2 },
    { a: "z", b: 3 },
  ];
  const drawn = String(
    await ListTable({ caption: "Danh sách", firstCellIsHeader: true, rows, columns, sort }).toString(),
  );
  assert.match(drawn, /<table class="table" data-labelled="">/);
  assert.match(drawn, /<th scope="row" data-label="Mã hộ">x &amp; &lt;y&gt;<\/th>/);
  assert.match(drawn, /<td class="num" data-label="A &amp; &quot;B&quot;">2<\/td>/);
  assert.match(drawn, /<td>—<\/td>/, "an empty heading labels nothing");
  assert.match(drawn, /<td data-label="giữ">k<\/td>/, "a cell's own label is kept");
  assert.equal(labelTableCells(drawn), drawn, "the page's pass changes nothing");
  // The same table without the labels drawn: the page's pass gives it the very same ones.
  const bare = drawn.replace(' data-labelled=""', "").replace(/ data-label="(?!giữ")[^"]*"/g, "");
  assert.notEqual(bare, drawn);
  assert.equal(labelTableCells(bare), drawn.replace(' data-labelled=""', ""));

  // A table with a foot is left to the page's pass (which labels the foot's cells too).
  const footed = String(
    await ListTable({ caption: "Tổng", rows, columns, foot: html`<tr><td>Σ</td></tr>` }).toString(),
  );
  assert.doesNotMatch(footed, /data-labelled/);
  assert.match(labelTableCells(footed), /<td data-label="Mã hộ">Σ<\/td>/);
});
