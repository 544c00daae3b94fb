import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildUnit, buildUser, buildVillage, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { auditEvents, sessions, users } from "../../db/schema.ts";
import { errorMessageOf } from "../../test-support/api.ts";

let t: TestApp;
let admin: Agent;
let adminId: number;
let token: string;

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  await buildVillage(t.db, { commune, code: "T01", name: "Thôn Đông" });
  await buildVillage(t.db, { commune, code: "T02", name: "Thôn Tây" });
  await buildUnit(t.db, { commune, code: "THCS", name: "Trường THCS Tân Ninh", type: "school" });
  await buildUnit(t.db, { commune, code: "CAX", name: "Công an xã", type: "office" });
  const { user, password } = await buildUser(t.db, { role: "admin", commune, username: "quantri" });
  adminId = user.id;
  admin = new Agent(t.app);
  await admin.login(user.username, password);
  token = await apiToken(t.app, user.username, password);
});
after(() => t.close());

async function createViaForm(fields: Record<string, string | string[]>) {
  await admin.get("/admin/users/new");
  return admin.postForm("/admin/users", {
    password: "mat-khau-dai-123",
    password_confirm: "mat-khau-dai-123",
    ...fields,
  });
}

describe("creating accounts through the form", () => {
  test("a village lead with two villages; the audit trail records it without the password hash", async () => {
    const res = await createViaForm({
      username: "Truong-Thon",
      displayName: "Trần Văn Tuấn",
      role: "village_lead",
      villages: ["T01", "T02"],
    });
    assert.equal(res.status, 303);
    await admin.get(res.headers.get("location")!);
    assert.match(admin.lastHtml, /Đã tạo tài khoản truong-thon/);
    const [ev] = await t.db
      .select({
        after: auditEvents.after,
        actor: auditEvents.actorUsername,
        requestId: auditEvents.requestId,
      })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.create"), eq(auditEvents.entity, "user")));
    const after = ev!.after as Record<string, unknown>;
    assert.equal(after.username, "truong-thon");
    assert.deepEqual(after.villages, ["T01", "T02"]);
    assert.equal(ev!.actor, "quantri");
    assert.ok(ev!.requestId);
    assert.doesNotMatch(JSON.stringify(ev), /argon2|passwordHash/);
    // The new account signs in and sees its villages.
    const lead = new Agent(t.app);
    await lead.login("truong-thon", "mat-khau-dai-123");
    await lead.get("/");
    assert.match(lead.lastHtml, /thôn Thôn Đông, Thôn Tây/);
  });

  const bad: [string, Record<string, string | string[]>, RegExp][] = [
    [
      "a username with spaces or accents",
      { username: "Nguyễn An", displayName: "A", role: "leader" },
      /Tên đăng nhập chỉ gồm chữ thường không dấu/,
    ],
    [
      "no display name",
      { username: "ok-name", displayName: "  ", role: "leader" },
      /Vui lòng nhập Họ và tên/,
    ],
    ["an unknown role", { username: "ok-name", displayName: "A", role: "boss" }, /Vai trò không hợp lệ/],
    [
      "a volunteer without a village",
      { username: "ok-name", displayName: "A", role: "volunteer" },
      /cần ít nhất một thôn/,
    ],
    [
      "a village that does not exist",
      { username: "ok-name", displayName: "A", role: "volunteer", villages: "T99" },
      /Không có thôn mã “T99”/,
    ],
    [
      "a school officer without a school",
      { username: "ok-name", displayName: "A", role: "school" },
      /cần chọn một đơn vị/,
    ],
    [
      "a school officer on a unit that is not a school",
      { username: "ok-name", displayName: "A", role: "school", unit: "CAX" },
      /không phải là trường học/,
    ],
    [
      "a leader given a village",
      { username: "ok-name", displayName: "A", role: "leader", villages: "T01" },
      /không gắn với thôn hay đơn vị/,
    ],
    [
      "a short password",
      { username: "ok-name", displayName: "A", role: "leader", password: "ngan", password_confirm: "ngan" },
      /ít nhất 10 ký tự/,
    ],
    [
      "passwords that differ",
      { username: "ok-name", displayName: "A", role: "leader", password_confirm: "khac-han-roi-123" },
      /không khớp/,
    ],
    ["a taken username", { username: "quantri", displayName: "A", role: "leader" }, /đã có người dùng/],
  ];
  for (const [what, fields, message] of bad) {
    test(`refused with a clear message: ${what}`, async () => {
      const before = await t.db.select({ n: count() }).from(users);
      const res = await createViaForm(fields);
      assert.equal(res.status, 422);
      assert.match(admin.lastHtml, message);
      assert.match(admin.lastHtml, /class="error-summary"/);
      assert.match(admin.lastHtml, /href="#f-/);
      const after = await t.db.select({ n: count() }).from(users);
      assert.equal(after[0]!.n, before[0]!.n);
    });
  }

  test("a school officer of a school", async () => {
    const res = await createViaForm({
      username: "co-giao",
      displayName: "Cô Lan",
      role: "school",
      unit: "THCS",
    });
    assert.equal(res.status, 303);
  });
});

describe("changing accounts", () => {
  test("a changed role takes effect at once: the account's sessions end", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const victim = new Agent(t.app);
    await victim.login(user.username, TEST_PASSWORD);
    await admin.get(`/admin/users/${user.id}`);
    const res = await admin.postForm(`/admin/users/${user.id}`, {
      displayName: "Đổi vai trò",
      role: "leader",
    });
    assert.equal(res.status, 303);
    assert.equal((await victim.get("/")).status, 303);
    const [row] = await t.db
      .select({ role: users.role, name: users.displayName })
      .from(users)
      .where(eq(users.id, user.id));
    assert.deepEqual(row, { role: "leader", name: "Đổi vai trò" });
  });

  test("disabling ends sessions and tokens; enabling lets the account back in", async () => {
    const { user } = await buildUser(t.db, { role: "police", commune: t.commune });
    const victim = new Agent(t.app);
    await victim.login(user.username, TEST_PASSWORD);
    const victimToken = await apiToken(t.app, user.username, TEST_PASSWORD);
    await admin.get(`/admin/users/${user.id}`);
    assert.equal((await admin.postForm(`/admin/users/${user.id}/disable`, {})).status, 303);
    assert.equal((await victim.get("/")).status, 303);
    assert.equal((await t.app.request("/api/v1/me", { headers: bearer(victimToken) })).status, 401);
    const [s] = await t.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, user.id));
    assert.equal(s!.n, 0);
    await admin.get(`/admin/users/${user.id}`);
    assert.equal((await admin.postForm(`/admin/users/${user.id}/enable`, {})).status, 303);
    await new Agent(t.app).login(user.username, TEST_PASSWORD);
  });

  test("the last administrator cannot be disabled or demoted, and cannot disable themself", async () => {
    await admin.get(`/admin/users/${adminId}`);
    const res = await admin.postForm(`/admin/users/${adminId}/disable`, {});
    assert.equal(res.status, 409);
    assert.match(admin.lastHtml, /tự khóa tài khoản/);
    const api = await t.app.request(`/api/v1/users/${adminId}`, {
      method: "PATCH",
      headers: bearer(token, { "content-type": "application/json" }),
      body: JSON.stringify({ role: "leader" }),
    });
    assert.equal(api.status, 409);
    assert.match(await errorMessageOf(api), /quản trị viên cuối cùng/);
  });

  test("an administrator resets a password; old sessions end", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const victim = new Agent(t.app);
    await victim.login(user.username, TEST_PASSWORD);
    await admin.get(`/admin/users/${user.id}`);
    const short = await admin.postForm(`/admin/users/${user.id}/password`, {
      password: "ngan",
      password_confirm: "ngan",
    });
    assert.equal(short.status, 422);
    await admin.get(`/admin/users/${user.id}`);
    const ok = await admin.postForm(`/admin/users/${user.id}/password`, {
      password: "mat-khau-moi-999",
      password_confirm: "mat-khau-moi-999",
    });
    assert.equal(ok.status, 303);
    assert.equal((await victim.get("/")).status, 303);
    await new Agent(t.app).login(user.username, "mat-khau-moi-999");
  });

  test("PATCH through the API is all or nothing", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune, displayName: "Trước" });
    const res = await t.app.request(`/api/v1/users/${user.id}`, {
      method: "PATCH",
      headers: bearer(token, { "content-type": "application/json" }),
      body: JSON.stringify({ displayName: "Sau", password: "ngan" }),
    });
    assert.equal(res.status, 422);
    const [row] = await t.db.select({ name: users.displayName }).from(users).where(eq(users.id, user.id));
    assert.equal(row!.name, "Trước");
  });
});

describe("the list", () => {
  test("filters by role and shows each account's scope", async () => {
    await admin.get("/admin/users?role=village_lead");
    assert.match(admin.lastHtml, /truong-thon/);
    assert.match(admin.lastHtml, /T01, T02/);
    assert.doesNotMatch(admin.lastHtml, />quantri</);
    const res = await t.app.request("/api/v1/users?role=school", { headers: bearer(token) });
    const body = (await res.json()) as { items: { username: string; unit: string }[]; total: number };
    assert.deepEqual(
      body.items.map((u) => [u.username, u.unit]),
      [["co-giao", "THCS"]],
    );
  });
});
