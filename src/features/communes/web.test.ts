import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { communes, plans, users } from "../../db/schema.ts";
import { postNewForm } from "../../test-support/pages.ts";

/** The province admin on the web (issue 18.1): communes, each one's first admin; no commune's records. */
let t: TestApp;
let provinceAdmin: Agent;
let communeAdmin: Agent;
let provinceToken: string;

before(async () => {
  t = await createTestApp();
  const pa = await buildUser(t.db, { role: "province_admin", commune: t.commune, username: "tinh-quantri" });
  provinceAdmin = new Agent(t.app);
  await provinceAdmin.login(pa.user.username, TEST_PASSWORD);
  provinceToken = await apiToken(t.app, pa.user.username, TEST_PASSWORD);
  const ca = await buildUser(t.db, { role: "admin", commune: t.commune, username: "xa-quantri" });
  communeAdmin = new Agent(t.app);
  await communeAdmin.login(ca.user.username, TEST_PASSWORD);
});
after(() => t.close());

const communeCount = async () => (await t.db.select({ n: count() }).from(communes))[0]!.n;

describe("the province admin's pages", () => {
  test("the list of communes, linked from the home page", async () => {
    const home = await provinceAdmin.get("/");
    assert.equal(home.status, 200);
    assert.match(provinceAdmin.lastHtml, /href="\/admin\/communes"/);
    const res = await provinceAdmin.get("/admin/communes");
    assert.equal(res.status, 200);
    assert.match(provinceAdmin.lastHtml, /Các xã, phường của tỉnh/);
    assert.match(provinceAdmin.lastHtml, /<td data-label="Mã xã">TANNINH<\/td>/);
  });

  test("bad input is refused with Vietnamese messages beside each field and in the summary; nothing is added", async () => {
    const before = await communeCount();
    // Each form sent, and what the page shown again says.
    const refusals = [
      {
        form: { code: "xã 1!", name: "", province: "Thanh Hóa" },
        says: [/class="error-summary"/, /Mã xã gồm chữ, số, “-” hoặc “_”, tối đa 20 ký tự/, /href="#f-name"/],
      },
      {
        form: { code: "tanninh", name: "Xã Trùng", province: "" },
        says: [/Mã xã “TANNINH” đã có trong cài đặt/],
      },
    ];
    await provinceAdmin.get("/admin/communes/new");
    for (const { form, says } of refusals) {
      const res = await provinceAdmin.postForm("/admin/communes", form);
      assert.equal(res.status, 422, form.code);
      for (const text of says) assert.match(provinceAdmin.lastHtml, text, form.code);
    }
    assert.equal(await communeCount(), before);
  });

  test("adds a commune with its own plan, then creates its first admin, who manages that commune alone", async () => {
    const res = await postNewForm(provinceAdmin, "/admin/communes", {
      code: "15716",
      name: "Xã Định Hòa",
      province: "Thanh Hóa",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin/communes");
    await provinceAdmin.get("/admin/communes");
    assert.match(provinceAdmin.lastHtml, /Đã thêm Xã Định Hòa \(mã 15716\)/);
    const [c] = await t.db.select({ id: communes.id }).from(communes).where(eq(communes.code, "15716"));
    const [plan] = await t.db
      .select({ content: plans.content })
      .from(plans)
      .where(eq(plans.communeId, c!.id));
    assert.equal((plan!.content as { commune: string }).commune, "Định Hòa");

    await provinceAdmin.get("/admin/communes/15716/admin");
    assert.match(provinceAdmin.lastHtml, /Quản trị viên của Xã Định Hòa/);
    const admin = { username: "qt-dinhhoa", displayName: "Quản Trị Định Hòa", password: "mat-khau-dai-123" };
    const mismatch = await provinceAdmin.postForm("/admin/communes/15716/admin", {
      ...admin,
      password_confirm: "khac-hẳn",
    });
    assert.equal(mismatch.status, 422);
    const made = await provinceAdmin.postForm("/admin/communes/15716/admin", {
      ...admin,
      password_confirm: admin.password,
    });
    assert.equal(made.status, 303);
    const [u] = await t.db
      .select({ role: users.role, communeId: users.communeId })
      .from(users)
      .where(eq(users.username, "qt-dinhhoa"));
    assert.deepEqual(u, { role: "admin", communeId: c!.id });
    // The new admin sees their commune's accounts only — not Tân Ninh's, not the province admin.
    const agent = new Agent(t.app);
    await agent.login("qt-dinhhoa", "mat-khau-dai-123");
    await agent.get("/admin/users");
    assert.match(agent.lastHtml, /qt-dinhhoa/);
    assert.doesNotMatch(agent.lastHtml, /xa-quantri|tinh-quantri/);
    assert.equal((await agent.get("/admin/communes")).status, 403);
    assert.equal((await provinceAdmin.get("/admin/communes/99999/admin")).status, 404);
  });

  test("the province admin reads no commune's records; a commune admin can neither make nor touch a province admin", async () => {
    for (const path of [
      "/residents",
      "/villages",
      "/indicators",
      "/reports",
      "/admin/users",
      "/exports/residents.csv",
    ])
      assert.equal((await provinceAdmin.get(path)).status, 403, path);
    for (const path of ["/api/v1/residents", "/api/v1/indicators", "/api/v1/users"])
      assert.equal((await t.app.request(path, { headers: bearer(provinceToken) })).status, 403, path);
    assert.equal((await communeAdmin.get("/admin/communes")).status, 403);
    await communeAdmin.get("/admin/users/new");
    assert.doesNotMatch(communeAdmin.lastHtml, /value="province_admin"/);
    const res = await communeAdmin.postForm("/admin/users", {
      username: "leo-thang",
      displayName: "Leo Thang",
      role: "province_admin",
      password: "mat-khau-dai-123",
      password_confirm: "mat-khau-dai-123",
    });
    assert.equal(res.status, 422);
    const [pa] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, "tinh-quantri"));
    assert.equal((await communeAdmin.get(`/admin/users/${pa!.id}`)).status, 404);
    await communeAdmin.get("/admin/users");
    assert.doesNotMatch(communeAdmin.lastHtml, /tinh-quantri/);
  });

  test("the API: GET and POST /api/v1/communes for the province admin only; bad input is a 422 with the field", async () => {
    const send = (token: string, method: string, body?: unknown) =>
      t.app.request("/api/v1/communes", {
        method,
        headers: bearer(token, { "content-type": "application/json" }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const list = (await (await send(provinceToken, "GET")).json()) as { items: { code: string }[] };
    assert.ok(list.items.some((c) => c.code === "TANNINH"));
    const bad = await send(provinceToken, "POST", { code: "!!", name: "Xã Sai" });
    assert.equal(bad.status, 422);
    const error = ((await bad.json()) as { error: { fields: Record<string, string> } }).error;
    assert.match(error.fields.code ?? "", /Mã xã gồm chữ, số/);
    const made = await send(provinceToken, "POST", { code: "15717", name: "Phường Thử" });
    assert.equal(made.status, 201);
    assert.deepEqual(((await made.json()) as { code: string; name: string }).code, "15717");
    const ca = await apiToken(t.app, "xa-quantri", TEST_PASSWORD);
    assert.equal((await send(ca, "GET")).status, 403);
    assert.equal((await send(ca, "POST", { code: "15718", name: "Xã Khác" })).status, 403);
  });
});
