import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestApp, type TestApp } from "../../../test/helpers/app.ts";

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

test("/favicon.ico answers 200 with an image, and every layout links it", async () => {
  const res = await t.app.request("/favicon.ico");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  const body = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
  for (const path of ["/", "/login"]) {
    const html = await (await t.app.request(path)).text();
    assert.match(html, /<link rel="icon" href="\/favicon.ico"/, path);
  }
});

test("public pages carry a meta description, in the page's language", async () => {
  for (const path of ["/", "/lop-hoc", "/hoc", "/tu-danh-gia", "/ho-tro", "/khung-ky-nang"]) {
    const html = await (await t.app.request(path)).text();
    const m = html.match(/<meta name="description" content="([^"]+)"/);
    assert.ok(m, `${path} has a meta description`);
    assert.ok(m[1]!.length > 40, path);
    assert.match(m[1]!, /Xã Tân Ninh|Tân Ninh/, path);
  }
  const en = await (await t.app.request("/lop-hoc?lang=en")).text();
  assert.match(en, /<meta name="description" content="Free digital skills classes/);
});

test("the English interface shows the framework's English groups and domains; the Vietnamese stays marked", async () => {
  const en = await (await t.app.request("/khung-ky-nang?lang=en")).text();
  assert.match(en, /<h1>Basic digital knowledge and skills framework<\/h1>/);
  assert.match(en, /<span>Using devices and software<\/span>/);
  assert.match(en, /<span>Residents<\/span>/);
  assert.doesNotMatch(en, /Sử dụng thiết bị và phần mềm/);
  const group = await (await t.app.request("/khung-ky-nang/nguoi-dan?lang=en")).text();
  assert.match(group, /Residents/);
  // The components have no English yet: Vietnamese, marked for screen readers.
  assert.match(group, /<dl class="component" lang="vi">/);
  const vi = await (await t.app.request("/khung-ky-nang")).text();
  assert.match(vi, /<span>Sử dụng thiết bị và phần mềm<\/span>/);
  assert.doesNotMatch(vi, /<span lang="vi">/);
});
