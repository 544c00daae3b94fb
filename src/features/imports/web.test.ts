import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { count } from "drizzle-orm";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { residents, villages } from "../../db/schema.ts";
import { cliActor } from "../audit/service.ts";
import { runImport } from "./engine.ts";

const SAMPLE = path.resolve("../shared/data/sample");
let t: TestApp;
let admin: Agent;

const fileForm = (kind: string, name: string, content: Buffer | string) => {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new File([content], name));
  return form;
};

before(async () => {
  t = await createTestApp();
  for (const kind of ["villages", "units", "households"] as const) {
    await runImport({
      db: t.db,
      communeId: t.commune.id,
      kind,
      file: path.join(SAMPLE, `${kind}.csv`),
      actor: cliActor(t.commune.id),
    });
  }
  const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
  admin = new Agent(t.app);
  await admin.login(user.username, TEST_PASSWORD);
});
after(() => t.close());

const residentCount = async () => (await t.db.select({ n: count() }).from(residents))[0]!.n;

describe("importing through the web", () => {
  test("check shows the column mapping, the first rows and every error with its row and reason; nothing is written", async () => {
    await admin.get("/imports");
    const res = await admin.postMultipart(
      "/imports",
      fileForm("residents", "residents_dirty.csv", fs.readFileSync(path.join(SAMPLE, "residents_dirty.csv"))),
    );
    assert.equal(res.status, 200);
    const html = admin.lastHtml;
    assert.match(html, /Kiểm tra tệp “residents_dirty.csv”/);
    assert.match(html, /56 dòng dữ liệu: 42 dòng hợp lệ/);
    assert.match(html, /14 lỗi cần sửa/);
    assert.match(html, /<td>39<\/td><td>Số CCCD<\/td><td>Số CCCD “03807540200” có 11 chữ số/);
    assert.equal(await residentCount(), 0);
  });

  test("commit without ticking “skip” writes nothing and says what to do; with it, the valid rows land and the rejects download", async () => {
    await admin.get("/imports");
    await admin.postMultipart(
      "/imports",
      fileForm("residents", "residents_dirty.csv", fs.readFileSync(path.join(SAMPLE, "residents_dirty.csv"))),
    );
    const action = admin.lastHtml.match(/action="(\/imports\/[0-9a-f]{32}\/commit)"/)![1]!;
    const refused = await admin.postForm(action, {});
    assert.equal(refused.status, 422);
    assert.match(admin.lastHtml, /hãy sửa tệp rồi tải lên lại/);
    assert.equal(await residentCount(), 0);
    const done = await admin.postForm(action, { skip_invalid: "1" });
    assert.equal(done.status, 200);
    assert.match(admin.lastHtml, /42 thêm mới/);
    assert.equal(await residentCount(), 42);
    const link = admin.lastHtml.match(/href="(\/imports\/[0-9a-f]{32}\/rejects)"/)![1]!;
    const rejects = await admin.request(link);
    assert.equal(rejects.status, 200);
    const text = await rejects.text();
    assert.equal(text.trim().split(/\r?\n/).length, 15);
    assert.match(text, /reason/);
    // Another user cannot fetch them.
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const other = new Agent(t.app);
    await other.login(user.username, TEST_PASSWORD);
    assert.equal((await other.request(link)).status, 404);
  });

  test("bad files: unknown type, empty, no header, truncated xlsx, no file — a clear message, nothing written", async () => {
    const before = (await t.db.select({ n: count() }).from(villages))[0]!.n;
    const cases: [string, Buffer | string, RegExp][] = [
      ["thon.txt", "Mã thôn,Tên thôn\nX,Y\n", /không phải \.csv hay \.xlsx/],
      ["trong.csv", "", /Vui lòng|không có dữ liệu|Tệp/],
      ["la.csv", "Foo,Bar\n1,2\n", /Không nhận ra dòng tiêu đề/],
      [
        "hong.xlsx",
        fs.readFileSync(path.join(SAMPLE, "residents.xlsx")).subarray(0, 4000),
        /hỏng|không đọc được|không phải/,
      ],
    ];
    for (const [name, content, message] of cases) {
      await admin.get("/imports");
      const res = await admin.postMultipart("/imports", fileForm("villages", name, content));
      assert.equal(res.status, 422, name);
      assert.match(admin.lastHtml, message, name);
      assert.match(admin.lastHtml, /class="error-summary"/);
    }
    await admin.get("/imports");
    const form = new FormData();
    form.append("kind", "villages");
    assert.equal((await admin.postMultipart("/imports", form)).status, 422);
    assert.equal((await t.db.select({ n: count() }).from(villages))[0]!.n, before);
  });

  test("a file over the upload limit is refused with 413", async () => {
    const small = await createTestApp({ maxUploadBytes: 1024 });
    try {
      const { user } = await buildUser(small.db, { role: "admin", commune: small.commune });
      const a = new Agent(small.app);
      await a.login(user.username, TEST_PASSWORD);
      await a.get("/imports");
      const res = await a.postMultipart(
        "/imports",
        fileForm("villages", "lon.csv", `Mã thôn,Tên thôn\n${"T1,Thôn\n".repeat(500)}`),
      );
      assert.equal(res.status, 413);
      assert.match(a.lastHtml, /quá lớn/);
    } finally {
      await small.close();
    }
  });

  test("a volunteer cannot import; a school officer neither (not commune-wide)", async () => {
    for (const role of ["volunteer", "school"] as const) {
      const { user } = await buildUser(t.db, { role, commune: t.commune });
      const a = new Agent(t.app);
      await a.login(user.username, TEST_PASSWORD);
      const page = await a.get("/imports");
      if (role === "volunteer") {
        assert.equal(page.status, 403);
        continue;
      }
      const res = await a.postMultipart("/imports", fileForm("residents", "x.csv", "Họ và tên\nA\n"));
      assert.equal(res.status, 403);
    }
  });
});
