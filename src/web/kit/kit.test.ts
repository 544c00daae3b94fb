import assert from "node:assert/strict";
import { test } from "node:test";
import { raw } from "hono/html";
import { translator } from "../../lib/i18n/index.ts";
import { Fields } from "./fields.tsx";
import { FilterBar, listHref } from "./filter-bar.tsx";
import { RegistryList } from "./list-page.tsx";
import { passwordFields } from "./options.ts";
import { ActionLinks, DownloadList, FormPage, PostForm } from "./page.tsx";
import { SummaryList } from "./summary-list.tsx";
import { ariaSort, ListTable, nextDir, type SortState } from "./table.tsx";

const t = translator("vi");
const html = (node: unknown) => String(node);
/** A field's choices, from value → label. */
const choices = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

test("ListTable: caption, headings, rows, first cell as header, left-out columns, escaping, empty state", () => {
  const rows = [{ name: "Lê <b>An</b>", age: 3 }];
  const out = html(
    ListTable({
      caption: "Cư dân",
      firstCellIsHeader: true,
      columns: [
        { head: "Họ và tên", cell: (r: (typeof rows)[0]) => r.name },
        false,
        { head: "Tuổi", cell: (r: (typeof rows)[0]) => r.age, class: "num" },
      ],
      rows,
    }),
  );
  assert.match(
    out,
    /^<div class="table-wrap"><table class="table" data-labelled=""><caption class="visually-hidden">Cư dân<\/caption>/,
  );
  assert.match(out, /<th scope="col">Họ và tên<\/th><th scope="col">Tuổi<\/th><\/tr><\/thead>/);
  assert.match(
    out,
    /<tr><th scope="row" data-label="Họ và tên">Lê &lt;b&gt;An&lt;\/b&gt;<\/th><td class="num" data-label="Tuổi">3<\/td><\/tr>/,
  );
  assert.equal(
    html(ListTable({ caption: "x", columns: [], rows: [], empty: "Không có ai." })),
    "<p>Không có ai.</p>",
  );
  assert.match(
    html(ListTable({ caption: "x", columns: [], rows: [], wrap: false })),
    /^<table class="table" data-labelled="">/,
  );
});

test("ListTable: sortable headings link to the other order and say aria-sort", () => {
  const sort: SortState = { key: "name", dir: "asc", href: (k, d) => `/r?sort=${k}&dir=${d}` };
  assert.equal(ariaSort({ sort: "name" }, sort), "ascending");
  assert.equal(ariaSort({ sort: "age" }, sort), "none");
  assert.equal(ariaSort({}, sort), undefined);
  assert.equal(nextDir({ sort: "name" }, sort), "desc");
  assert.equal(nextDir({ sort: "age" }, sort), "asc");
  const out = html(
    ListTable({
      caption: "x",
      sort,
      columns: [
        { head: "Tên", sort: "name", cell: () => "" },
        { head: "Tuổi", sort: "age", cell: () => "" },
        { head: "Ghi chú", cell: () => "" },
      ],
      rows: [],
    }),
  );
  assert.match(
    out,
    /<th scope="col" aria-sort="ascending"><a href="\/r\?sort=name&amp;dir=desc">Tên<\/a><\/th>/,
  );
  assert.match(out, /<th scope="col" aria-sort="none"><a href="\/r\?sort=age&amp;dir=asc">Tuổi<\/a><\/th>/);
  assert.match(out, /<th scope="col">Ghi chú<\/th>/);
});

test("SummaryList: tuples and rows with actions; left-out rows", () => {
  const out = html(
    SummaryList({
      rows: [
        ["Thôn", "Đông Hòa"],
        null,
        { key: "Mã", value: "T01", action: { href: "/e", label: "Sửa", hidden: "mã" } },
      ],
    }),
  );
  assert.equal(
    out,
    '<dl class="summary-list"><div><dt>Thôn</dt><dd>Đông Hòa</dd></div><div><dt>Mã</dt><dd>T01</dd>' +
      '<dd class="summary-list__actions"><a href="/e">Sửa<span class="visually-hidden"> mã</span></a></dd></div></dl>',
  );
});

test("FormPage: error summary links to each field, the message beside the field, CSRF, values kept", () => {
  const out = html(
    FormPage({
      ctx: { t, csrfToken: "tok" },
      title: "Thêm",
      back: "/x",
      action: "/x",
      values: { full_name: "An", groups: "student;worker", poor: "true", notes: "a<b" },
      errors: { full_name: { key: "v.required", params: { field: "Họ và tên" } } },
      fields: [
        { name: "full_name", label: "col.full_name" },
        false,
        {
          kind: "select",
          name: "gender",
          label: "col.gender",
          options: [{ value: "male", label: "Nam" }],
          default: "male",
        },
        {
          kind: "radios",
          name: "kind",
          label: "col.kind",
          options: choices({ a: "A", b: "B" }),
          default: "b",
        },
        {
          kind: "checkboxes",
          name: "groups",
          label: "col.groups",
          options: choices({ student: "HS", officer: "CB" }),
        },
        { kind: "checkbox", name: "poor", label: "col.poor", optionLabel: "Có" },
        { kind: "textarea", name: "notes", label: "col.notes" },
        { kind: "date", name: "date", label: "col.date", hint: "dd/mm/yyyy" },
      ],
    }),
  );
  assert.match(out, /<a href="\/x">Quay lại<\/a>/);
  assert.match(out, /class="error-summary"[\s\S]*<a href="#f-full_name">Vui lòng nhập Họ và tên.<\/a>/);
  assert.match(
    out,
    /<form method="post" action="\/x" novalidate=""><input type="hidden" name="_csrf" value="tok"\/>/,
  );
  assert.match(
    out,
    /<p id="e-full_name" class="field__error">[\s\S]*<input class="input" id="f-full_name" name="full_name" type="text" value="An" aria-invalid="true" aria-describedby="e-full_name"\/>/,
  );
  assert.match(out, /<option value="male" selected="">Nam<\/option>/);
  assert.match(
    out,
    /id="f-kind" name="kind" value="a"\/>[\s\S]*id="f-kind-1" name="kind" value="b" checked=""\/>/,
  );
  assert.match(out, /value="student" checked=""\/>[\s\S]*value="officer"\/>/);
  assert.match(out, /name="poor" value="true" checked=""\/>/);
  assert.match(out, /<textarea class="input textarea" id="f-notes" name="notes" rows="3">a&lt;b<\/textarea>/);
  assert.match(
    out,
    /<input class="input input--short" id="f-date" name="date" type="text" aria-describedby="h-date"\/>/,
  );
  assert.match(out, /<button type="submit" class="button">Lưu<\/button><\/form>/);
  assert.equal(html(Fields({ t, fields: [], values: {} })), "");
});

test("FilterBar, listHref and ActionLinks", () => {
  const out = html(
    FilterBar({
      action: "/r",
      submit: "Lọc",
      search: { label: "Tìm", value: "an" },
      filters: [
        {
          name: "village",
          label: "Thôn",
          allLabel: "Tất cả",
          options: [{ value: "T01", label: "Đông" }],
          value: "T01",
        },
        null,
      ],
    }),
  );
  assert.match(out, /^<search><form method="get" action="\/r" class="filters">/);
  assert.match(out, /<input class="input" id="f-q" name="q" type="search" value="an"\/>/);
  assert.match(out, /<option value="">Tất cả<\/option><option value="T01" selected="">Đông<\/option>/);
  assert.equal(listHref("/r", { q: "an", village: "", n: undefined, s: 2 })(3), "/r?q=an&s=2&page=3");
  assert.equal(ActionLinks({ actions: [false, null] }), null);
  assert.equal(
    html(
      ActionLinks({
        actions: [
          { href: "/n", label: "Thêm" },
          { href: "/e.csv", label: "CSV", variant: "secondary", download: true },
        ],
      }),
    ),
    '<p><a class="button" href="/n">Thêm</a><a class="button button--secondary" href="/e.csv" download="">CSV</a></p>',
  );
});

test("FilterBar: a typed box with its hint sits among the selects in order; a plain form has no class", () => {
  const out = html(
    FilterBar({
      action: "/activities",
      submit: "Lọc",
      filters: [
        { name: "type", label: "Loại", allLabel: "Tất cả", options: [{ value: "class", label: "Lớp" }] },
        {
          kind: "input",
          name: "month",
          label: "Tháng",
          hint: "năm-tháng",
          inputmode: "numeric",
          value: "2026-06",
        },
      ],
    }),
  );
  assert.ok(out.indexOf('name="type"') < out.indexOf('name="month"'));
  assert.match(out, /<p class="field__hint" id="h-month">năm-tháng<\/p>/);
  assert.match(
    out,
    /<input class="input input--short" id="f-month" name="month" type="text" inputmode="numeric"/,
  );
  assert.match(out, /aria-describedby="h-month" value="2026-06"/);
  const plain = html(
    FilterBar({ action: "/visits/new", submit: "Tìm", class: "", search: { label: "Hộ", hint: "mã" } }),
  );
  assert.match(plain, /<form method="get" action="\/visits\/new">/);
  assert.match(plain, /<p class="field__hint">mã<\/p>/);
});

test("ListTable: a foot row is drawn in tfoot after the body", () => {
  const out = html(
    ListTable({
      caption: "x",
      columns: [{ head: "A", cell: (r: number) => r }],
      rows: [1],
      foot: raw("<tr><td>9</td></tr>"),
    }),
  );
  assert.match(out, /<\/tbody><tfoot><tr><td>9<\/td><\/tr><\/tfoot><\/table>/);
});

test("RegistryList: the add button shows only when allowed; the search keeps its value; paging keeps the query", () => {
  const page = (canCreate: boolean) =>
    html(
      RegistryList({
        ctx: { t },
        base: "/units",
        words: { title: "units.title", new: "units.new", search: "units.name", empty: "units.empty" },
        query: { q: "Trường <A>", type: "school" },
        result: { items: [{ n: "A" }], page: 1, pageSize: 1, total: 3 },
        canCreate,
        columns: [{ head: "N", cell: (r: { n: string }) => r.n }],
      }),
    );
  assert.match(page(true), /<a class="button" href="\/units\/new">/);
  assert.doesNotMatch(page(false), /href="\/units\/new"/);
  assert.match(page(true), /value="Trường &lt;A&gt;"/);
  assert.match(page(true), /href="\/units\?q=Tr%C6%B0%E1%BB%9Dng\+%3CA%3E&amp;type=school&amp;page=2"/);
});

test("PostForm and passwordFields: token, hidden values, two new-password boxes that never echo a value", () => {
  const out = html(
    PostForm({
      ctx: { t, csrfToken: "tok" },
      action: "/setup",
      hidden: { token: "abc" },
      values: { password: "secret-1234" },
      fields: passwordFields(t),
      submit: "Lưu",
    }),
  );
  assert.match(
    out,
    /^<form method="post" action="\/setup" novalidate=""><input type="hidden" name="_csrf" value="tok"/,
  );
  assert.match(out, /<input type="hidden" name="token" value="abc"\/>/);
  assert.equal(out.match(/autocomplete="new-password"/g)?.length, 2);
  assert.doesNotMatch(out, /secret-1234/);
  assert.doesNotMatch(html(PostForm({ ctx: { t, csrfToken: "tok" }, submit: "Gửi" })), /action=/);
});

test("ListTable: a row header after the first cell, per-row classes and attributes, a named scrolling region", () => {
  const rows = [
    { rank: 1, name: "Tân Ninh", shade: "heat--4" },
    { rank: 2, name: "Mỹ An", shade: "heat--0" },
  ];
  const out = html(
    ListTable({
      caption: "Xếp hạng",
      captionId: "rank-caption",
      region: "rank-caption",
      attrs: { "data-ranking": "village" },
      rowAttrs: (r) => ({ "data-entry": `v:${r.rank}` }),
      columns: [
        { head: "Hạng", cell: (r: (typeof rows)[0]) => r.rank },
        { head: "Tên", rowHeader: true, cell: (r: (typeof rows)[0]) => r.name },
        {
          head: "Mức",
          class: (r: (typeof rows)[0]) => r.shade,
          cellAttrs: { "data-score": "" },
          cell: () => "x",
        },
      ],
      rows,
    }),
  );
  assert.match(out, /^<section class="table-wrap" aria-labelledby="rank-caption" tabindex="0">/);
  assert.match(
    out,
    /<table class="table" data-ranking="village" data-labelled=""><caption id="rank-caption" class="visually-hidden">/,
  );
  assert.match(
    out,
    /<tr data-entry="v:1"><td data-label="Hạng">1<\/td><th scope="row" data-label="Tên">Tân Ninh<\/th><td class="heat--4" data-label="Mức" data-score="">x<\/td><\/tr>/,
  );
  assert.match(out, /<td class="heat--0" data-label="Mức" data-score="">x<\/td>/);
});

test("DownloadList: each file a download link with its note", () => {
  const out = html(
    DownloadList({
      items: [
        { href: "/r/1/files/docx", label: "Word", note: " — 12 KB" },
        { href: "/r/1/files/pdf", label: "PDF" },
      ],
    }),
  );
  assert.equal(
    out,
    '<ul class="list"><li><a href="/r/1/files/docx" download="">Word</a> — 12 KB</li>' +
      '<li><a href="/r/1/files/pdf" download="">PDF</a></li></ul>',
  );
});
