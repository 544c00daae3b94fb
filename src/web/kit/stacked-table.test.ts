import assert from "node:assert/strict";
import { test } from "node:test";
import { labelTableCells } from "./stacked-table.ts";

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
