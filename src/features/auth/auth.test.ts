import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { count, eq, sql } from "drizzle-orm";
import { Agent, apiToken, bearer, useTestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { auditEvents, sessions, users } from "../../db/schema.ts";
import { now, nowMs } from "../../lib/clock.ts";
import { errorMessageOf } from "../../test-support/api.ts";
import type { Role } from "./policy.ts";
import { currentTotp } from "./totp.ts";

const t = useTestApp({ maxBodyBytes: 10 * 1024 * 1024 });

/** A new account of `role` in the test commune (named `displayName` if given) and a browser signed in as it. */
async function signedIn(role: Role, extra: { displayName?: string } = {}) {
  const { user } = await buildUser(t.db, { role, commune: t.commune, ...extra });
  const a = new Agent(t.app);
  await a.login(user.username, TEST_PASSWORD);
  return { user, a };
}

const auditCount = async (action: string) => {
  const [r] = await t.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, action));
  return r!.n;
};

describe("sign-in", () => {
  test("the login page is Vietnamese, names the product and the commune, and carries a CSRF token", async () => {
    const a = new Agent(t.app);
    const res = await a.get("/login");
    assert.equal(res.status, 200);
    const html = a.lastHtml;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<html lang="vi">/);
    assert.match(html, /Bình dân học vụ số/);
    assert.match(html, /Xã Tân Ninh/);
    assert.match(html, /Đăng nhập/);
    assert.ok(a.csrf().length > 20);
  });

  test("a correct password opens a session on the home page; the cookie is HttpOnly and SameSite=Lax", async () => {
    const { user } = await buildUser(t.db, {
      role: "coordinator",
      commune: t.commune,
      displayName: "Lê Thị Hoa",
    });
    const a = new Agent(t.app);
    await a.get("/login");
    const res = await a.postForm("/login", { username: user.username, password: TEST_PASSWORD, next: "/" });
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("bdhvs_session="));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/); // plain HTTP here
    const home = await a.get("/");
    assert.equal(home.status, 200);
    assert.match(a.lastHtml, /Xin chào, Lê Thị Hoa/);
    assert.equal(await auditCount("login.success"), 1);
  });

  test("behind an HTTPS proxy the session cookie is Secure", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const a = new Agent(t.app);
    await a.get("/login");
    const res = await a.request("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-proto": "https" },
      body: new URLSearchParams({ _csrf: a.csrf(), username: user.username, password: TEST_PASSWORD }),
    });
    assert.equal(res.status, 303);
    assert.match(res.headers.getSetCookie().find((c) => c.startsWith("bdhvs_session="))!, /Secure/);
  });

  test("a wrong password gets a clear Vietnamese message, no session, and an audit event", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const before = await auditCount("login.failed");
    const a = new Agent(t.app);
    await a.get("/login");
    const res = await a.postForm("/login", { username: user.username, password: "sai-mat-khau-roi" });
    assert.equal(res.status, 401);
    assert.match(a.lastHtml, /Tên đăng nhập hoặc mật khẩu không đúng/);
    assert.ok(!a.cookies.has("bdhvs_session"));
    assert.equal(await auditCount("login.failed"), before + 1);
    // The same message for an account that does not exist: nothing to learn from it.
    await a.get("/login");
    const res2 = await a.postForm("/login", { username: "khong-co-ai", password: "gi-cung-duoc-1" });
    assert.equal(res2.status, 401);
    assert.match(a.lastHtml, /Tên đăng nhập hoặc mật khẩu không đúng/);
  });

  test("a disabled account cannot sign in", async () => {
    const { user } = await buildUser(t.db, { role: "police", commune: t.commune, disabled: true });
    const a = new Agent(t.app);
    await a.get("/login");
    const res = await a.postForm("/login", { username: user.username, password: TEST_PASSWORD });
    assert.equal(res.status, 401);
    assert.match(a.lastHtml, /đã bị khóa/);
  });

  test("after 5 failures the account is locked for a while, with the retry time, even for the right password, for the addresses that failed", async () => {
    const { user } = await buildUser(t.db, { role: "economy", commune: t.commune });
    const failed: Agent[] = [];
    for (let i = 0; i < 5; i++) {
      const a = new Agent(t.app); // a new address each time: the account limit, not the address one
      failed.push(a);
      await a.get("/login");
      assert.equal(
        (await a.postForm("/login", { username: user.username, password: `sai-${i}-xxxxxx` })).status,
        401,
      );
    }
    const a = new Agent(t.app, failed[0]!.ip);
    await a.get("/login");
    const res = await a.postForm("/login", { username: user.username, password: TEST_PASSWORD });
    assert.equal(res.status, 429);
    assert.match(a.lastHtml, /đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau 15 phút/);
    const retry = Number(res.headers.get("retry-after"));
    assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
    assert.ok(!a.cookies.has("bdhvs_session"));
    // The API token endpoint shares the limit.
    const api = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": failed[1]!.ip },
      body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
    });
    assert.equal(api.status, 429);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, "rate_limited");
  });

  test("an address with 20 failures is locked out, whatever the account", async () => {
    const ip = "10.250.1.1";
    for (let i = 0; i < 20; i++) {
      const a = new Agent(t.app, ip);
      await a.get("/login");
      await a.postForm("/login", { username: `nobody${i}`, password: "sai-mat-khau-x" });
    }
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const a = new Agent(t.app, ip);
    await a.get("/login");
    const res = await a.postForm("/login", { username: user.username, password: TEST_PASSWORD });
    assert.equal(res.status, 429);
    assert.match(a.lastHtml, /từ địa chỉ này/);
    // Another address is not affected.
    const b = new Agent(t.app);
    await b.login(user.username, TEST_PASSWORD);
  });

  test("logout ends the session on the server", async () => {
    const { a } = await signedIn("leader");
    const cookie = a.cookies.get("bdhvs_session")!;
    await a.get("/");
    const res = await a.postForm("/logout", {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/login");
    const again = await t.app.request("/", { headers: { cookie: `bdhvs_session=${cookie}` } });
    assert.equal(again.status, 303);
    assert.match(again.headers.get("location")!, /^\/login/);
  });

  test("an open redirect through next= is refused", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const a = new Agent(t.app);
    await a.get("/login");
    const res = await a.postForm("/login", {
      username: user.username,
      password: TEST_PASSWORD,
      next: "//evil.example/x",
    });
    assert.equal(res.headers.get("location"), "/");
  });
});

describe("session expiry", () => {
  /** A leader signed in, then the session's `column` moved `interval` (e.g. '31 minutes') into the past. */
  async function agedSession(column: "lastSeenAt" | "expiresAt", interval: string) {
    const { user, a } = await signedIn("leader");
    await t.db
      .update(sessions)
      .set({ [column]: sql`now() - ${interval}::interval` })
      .where(eq(sessions.userId, user.id));
    return { user, a };
  }

  test("a session idle for more than 30 minutes ends: the next page asks to sign in again", async () => {
    const { user, a } = await agedSession("lastSeenAt", "31 minutes");
    const res = await a.get("/");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/login?next=%2F&expired=1");
    await a.get(res.headers.get("location")!);
    assert.match(a.lastHtml, /Phiên làm việc đã hết hạn/);
    const [left] = await t.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, user.id));
    assert.equal(left!.n, 0);
  });

  test("a session older than 12 hours ends even when active", async () => {
    const { a } = await agedSession("expiresAt", "1 second");
    const res = await a.get("/");
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location")!, /expired=1/);
  });

  test("a session within its limits stays open", async () => {
    const { a } = await agedSession("lastSeenAt", "29 minutes");
    assert.equal((await a.get("/")).status, 200);
  });
});

describe("CSRF", () => {
  test("a form without the token, or with a wrong one, is refused and changes nothing", async () => {
    const { a } = await signedIn("admin");
    await a.get("/admin/users/new");
    const fields = {
      username: "csrf-victim",
      displayName: "X",
      role: "leader",
      password: "mat-khau-dai-123",
      password_confirm: "mat-khau-dai-123",
    };
    for (const csrf of [null, "sai-token-hoan-toan-khac-123456"]) {
      const res = await a.postForm("/admin/users", fields, { csrf });
      assert.equal(res.status, 403);
      assert.match(a.lastHtml, /mã bảo vệ CSRF/);
    }
    const [r] = await t.db.select({ n: count() }).from(users).where(eq(users.username, "csrf-victim"));
    assert.equal(r!.n, 0);
    // With the token it goes through.
    await a.get("/admin/users/new");
    assert.equal((await a.postForm("/admin/users", fields)).status, 303);
  });

  test("the login form needs its token too", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const a = new Agent(t.app);
    await a.get("/login");
    const res = await a.postForm(
      "/login",
      { username: user.username, password: TEST_PASSWORD },
      { csrf: null },
    );
    assert.equal(res.status, 403);
    assert.ok(!a.cookies.has("bdhvs_session"));
  });

  test("logout without the token does not end the session", async () => {
    const { a } = await signedIn("leader");
    assert.equal((await a.postForm("/logout", {}, { csrf: null })).status, 403);
    assert.equal((await a.get("/")).status, 200);
  });
});

describe("bad input", () => {
  test("malformed JSON gets 400 with a Vietnamese message and changes nothing", async () => {
    const { user: admin } = await buildUser(t.db, { role: "admin", commune: t.commune });
    const token = await apiToken(t.app, admin.username, TEST_PASSWORD);
    const created = await t.app.request("/api/v1/users", {
      method: "POST",
      headers: bearer(token, { "content-type": "application/json" }),
      body: '{"username": "hong-json", "displayName": "A", "role": "leader", "password": "mat-khau-dai-123"',
    });
    assert.equal(created.status, 400);
    const [n] = await t.db.select({ n: count() }).from(users).where(eq(users.username, "hong-json"));
    assert.equal(n!.n, 0);
    const res = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username": "a", ',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "bad_request");
    assert.match(body.error.message, /không phải JSON hợp lệ/);
  });

  test("a body over 10 MB is rejected with 413 and changes nothing", async () => {
    const { user: admin } = await buildUser(t.db, { role: "admin", commune: t.commune });
    const token = await apiToken(t.app, admin.username, TEST_PASSWORD);
    const big = JSON.stringify({
      username: "qua-lon",
      displayName: "x".repeat(10 * 1024 * 1024),
      role: "leader",
      password: "mat-khau-dai-123",
    });
    const res = await t.app.request("/api/v1/users", {
      method: "POST",
      headers: bearer(token, { "content-type": "application/json", "content-length": String(big.length) }),
      body: big,
    });
    assert.equal(res.status, 413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "payload_too_large");
    assert.match(body.error.message, /quá lớn: tối đa 10 MB/);
    const [n] = await t.db.select({ n: count() }).from(users).where(eq(users.username, "qua-lon"));
    assert.equal(n!.n, 0);
    // A page form too.
    const a = new Agent(t.app);
    await a.get("/login");
    const page = await a.postForm("/login", { username: "x", password: big });
    assert.equal(page.status, 413);
    assert.match(a.lastHtml, /quá lớn/);
  });

  test("an unknown page is a Vietnamese 404 page; an unknown API path is a JSON 404", async () => {
    const a = new Agent(t.app);
    const res = await a.get("/khong-co-trang-nay");
    assert.equal(res.status, 404);
    assert.match(a.lastHtml, /Không tìm thấy trang/);
    assert.match(a.lastHtml, /<html lang="vi">/);
    const api = await t.app.request("/api/v1/khong-co");
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, "not_found");
  });

  test("English is one click away and sticks", async () => {
    const a = new Agent(t.app);
    const res = await a.get("/lang?to=en&next=/login");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/login");
    await a.get("/login");
    assert.match(a.lastHtml, /<html lang="en">/);
    assert.match(a.lastHtml, /Sign in/);
    await a.get("/khong-co");
    assert.match(a.lastHtml, /Page not found/);
  });

  test("script in a display name is escaped on output", async () => {
    const { a } = await signedIn("leader", { displayName: '<script>alert("x")</script>' });
    await a.get("/");
    assert.doesNotMatch(a.lastHtml, /<script>alert/);
    assert.match(a.lastHtml, /&lt;script&gt;alert/);
  });
});

describe("security headers", () => {
  test("pages carry a CSP without inline script, frame-ancestors none, nosniff and a referrer policy", async () => {
    const res = await t.app.request("/login");
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "same-origin");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.ok(res.headers.get("x-request-id"));
  });
});

describe("API tokens", () => {
  test("a token from POST /api/v1/auth/token works until revoked", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const res = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { token: string; expiresAt: string };
    const hours = (Date.parse(body.expiresAt) - nowMs()) / 3_600_000;
    assert.ok(hours > 11.9 && hours <= 12);
    const me = await t.app.request("/api/v1/me", { headers: bearer(body.token) });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, user.username);
    assert.equal(
      (await t.app.request("/api/v1/auth/token", { method: "DELETE", headers: bearer(body.token) })).status,
      204,
    );
    const after = await t.app.request("/api/v1/me", { headers: bearer(body.token) });
    assert.equal(after.status, 401);
    assert.match(await errorMessageOf(after), /không hợp lệ hoặc đã hết hạn/);
  });

  test("wrong credentials get 401; missing fields get 422 naming them", async () => {
    const res = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "en" },
      body: JSON.stringify({ username: "nobody", password: "wrong-password" }),
    });
    assert.equal(res.status, 401);
    assert.match(await errorMessageOf(res), /username or password is wrong/);
    const res2 = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "x" }),
    });
    assert.equal(res2.status, 422);
    assert.ok(((await res2.json()) as { error: { fields: Record<string, string> } }).error.fields.password);
  });

  test("a session cookie does not authenticate the API (no CSRF there)", async () => {
    const { a } = await signedIn("admin");
    assert.equal((await a.request("/api/v1/me")).status, 401);
  });

  test("a disabled account's token stops working at once", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    const token = await apiToken(t.app, user.username, TEST_PASSWORD);
    await t.db.update(users).set({ disabledAt: now() }).where(eq(users.id, user.id));
    const res = await t.app.request("/api/v1/me", { headers: bearer(token) });
    // 403 with the reason (a field phone keeps its queued writes refused with it), not "sign in again".
    assert.equal(res.status, 403);
    assert.match(await errorMessageOf(res), /đã bị khóa/);
  });
});

describe("two-step verification (TOTP)", () => {
  test("an admin turns it on; sign-in then needs the code; a wrong code is refused", async () => {
    const { user, a } = await signedIn("admin");
    await a.get("/account");
    assert.equal((await a.postForm("/account/totp/start", {})).status, 303);
    await a.get("/account/totp");
    assert.match(a.lastHtml, /<svg/);
    const secret = a.lastHtml.match(/<code class="secret">([A-Z2-7]+)<\/code>/)![1]!;
    const bad = await a.postForm("/account/totp/confirm", {
      code: "000000" === currentTotp(secret) ? "111111" : "000000",
    });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /Mã xác thực không đúng/);
    assert.equal((await a.postForm("/account/totp/confirm", { code: currentTotp(secret) })).status, 303);

    const b = new Agent(t.app);
    await b.get("/login");
    const res = await b.postForm("/login", { username: user.username, password: TEST_PASSWORD, next: "/" });
    assert.equal(res.headers.get("location"), "/login/totp?next=%2F");
    // The half-open session reaches nothing.
    assert.equal((await b.get("/")).status, 303);
    await b.get("/login/totp");
    assert.equal((await b.postForm("/login/totp", { code: "12345" })).status, 422);
    assert.equal((await b.postForm("/login/totp", { code: currentTotp(secret), next: "/" })).status, 303);
    assert.equal((await b.get("/")).status, 200);

    // The API wants the code as well.
    const noCode = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
    });
    assert.equal(noCode.status, 401);
    const withCode = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: user.username, password: TEST_PASSWORD, totp: currentTotp(secret) }),
    });
    assert.equal(withCode.status, 200);
  });

  test("a volunteer is not offered it and cannot start it", async () => {
    const { a } = await signedIn("volunteer");
    await a.get("/account");
    assert.doesNotMatch(a.lastHtml, /totp\/start/);
    assert.equal((await a.postForm("/account/totp/start", {})).status, 403);
  });
});

describe("own password", () => {
  test("changing it needs the current one, ends every session, and the new one works", async () => {
    const { user, a } = await signedIn("leader");
    const other = new Agent(t.app);
    await other.login(user.username, TEST_PASSWORD);
    /** Sends the account page's password form, the new password typed twice. */
    const change = (current: string, password: string) =>
      a.postForm("/account/password", { current, password, password_confirm: password });
    await a.get("/account");
    const wrong = await change("khong-dung-dau", "mat-khau-moi-456");
    assert.equal(wrong.status, 422);
    assert.match(a.lastHtml, /Mật khẩu hiện tại không đúng/);
    const short = await change(TEST_PASSWORD, "ngan");
    assert.equal(short.status, 422);
    assert.match(a.lastHtml, /ít nhất 10 ký tự/);
    const ok = await change(TEST_PASSWORD, "mat-khau-moi-456");
    assert.equal(ok.status, 303);
    assert.equal((await other.get("/")).status, 303);
    await new Agent(t.app).login(user.username, "mat-khau-moi-456");
  });
});
