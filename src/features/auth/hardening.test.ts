/**
 * Issue 15, findings 2, 5 and 9: where `next` may send a user, which address is the client's
 * behind a proxy, lockout abuse, and the Permissions-Policy header.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { and, eq } from "drizzle-orm";
import { Agent, useTestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { auditEvents } from "../../db/schema.ts";
import { forwardedClient, safeNext } from "../../web/middleware.ts";

const t = useTestApp();

const HOSTILE_NEXT = [
  "/%09/evil.example",
  "/%0A/evil.example",
  "/%0D/evil.example",
  "/%0D%0ASet-Cookie:%20x=1",
  "//evil.example",
  "/\\evil.example",
  "/%5Cevil.example",
  "/./%2F/evil.example",
  "/.//evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
  "%2F%2Fevil.example",
];

describe("next= stays on this site (finding 2)", () => {
  test("GET /lang with a hostile next: 303 home, never elsewhere, never a 500", async () => {
    for (const next of HOSTILE_NEXT) {
      const res = await t.app.request(`/lang?to=en&next=${next}`);
      assert.equal(res.status, 303, next);
      const location = res.headers.get("location")!;
      assert.equal(
        new URL(location, "http://own.example").origin,
        "http://own.example",
        `${next} → ${location}`,
      );
      assert.ok(
        !/^\/[\\/\t\n\r]/.test(location) && !/[\t\n\r]/.test(location),
        `${next} → ${JSON.stringify(location)}`,
      );
    }
    // A NUL is refused before any route (finding 8): a 400, still never a 500.
    assert.equal((await t.app.request("/lang?to=en&next=/%00")).status, 400);
    const ok = await t.app.request(`/lang?to=en&next=${encodeURIComponent("/residents?village=T01#top")}`);
    assert.equal(ok.headers.get("location"), "/residents?village=T01#top");
  });

  test("POST /login with a hostile next goes home after signing in", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    for (const next of ["/\t/evil.example", "/\n/x", "/\r/x"]) {
      const a = new Agent(t.app);
      await a.get("/login");
      const res = await a.postForm("/login", { username: user.username, password: TEST_PASSWORD, next });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/", JSON.stringify(next));
    }
  });

  test("safeNext keeps ordinary paths as the parser writes them", () => {
    assert.equal(safeNext("/visits/new?household=12"), "/visits/new?household=12");
    assert.equal(safeNext("/\t/evil.example"), "/");
    assert.equal(safeNext(undefined, "/indicators"), "/indicators");
  });
});

describe("the client's address behind a proxy (finding 5)", () => {
  test("the rightmost entry (or the configured hop), never what the client wrote", () => {
    assert.equal(forwardedClient("6.6.6.6, 203.0.113.9", 1), "203.0.113.9");
    assert.equal(forwardedClient("6.6.6.6, 203.0.113.9, 10.0.0.2", 2), "203.0.113.9");
    assert.equal(forwardedClient("203.0.113.9", 2), undefined);
    assert.equal(forwardedClient("not an address", 1), undefined);
    assert.equal(forwardedClient("[2001:db8::1]:443", 1), "2001:db8::1");
  });

  test("a client that writes its own X-Forwarded-For entries still meets the per-address limit", async () => {
    // nginx appends the address it saw: the client controls only what comes before it.
    for (let i = 0; i < 20; i++) {
      const res = await t.app.request("/api/v1/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i}, 10.77.0.1` },
        body: JSON.stringify({ username: `khong-co-${i}`, password: "sai-mat-khau-x" }),
      });
      assert.equal(res.status, 401);
    }
    const res = await t.app.request("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.200, 10.77.0.1" },
      body: JSON.stringify({ username: "khong-co-nua", password: "sai-mat-khau-x" }),
    });
    assert.equal(res.status, 429);
    const [event] = await t.db
      .select({ ip: auditEvents.ip })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "login.failed"), eq(auditEvents.actorUsername, "khong-co-0")));
    assert.equal(event?.ip, "10.77.0.1");
  });
});

describe("lockout abuse (finding 9)", () => {
  test("five wrong passwords lock the account for those addresses only; the owner elsewhere signs in; admins are told", async () => {
    const { user } = await buildUser(t.db, { role: "admin", commune: t.commune });
    const attacker = "10.66.0.1";
    for (let i = 0; i < 5; i++) {
      const a = new Agent(t.app, attacker);
      await a.get("/login");
      await a.postForm("/login", { username: user.username, password: `sai-${i}-xxxxxx` });
    }
    const again = new Agent(t.app, attacker);
    await again.get("/login");
    assert.equal(
      (await again.postForm("/login", { username: user.username, password: TEST_PASSWORD })).status,
      429,
    );
    const owner = new Agent(t.app);
    await owner.login(user.username, TEST_PASSWORD);
    const told = await t.db
      .select({ entityId: auditEvents.entityId })
      .from(auditEvents)
      .where(eq(auditEvents.action, "login.account_locked"));
    assert.deepEqual(told, [{ entityId: String(user.id) }]);
  });

  test("every answer carries a Permissions-Policy that denies device features", async () => {
    const res = await t.app.request("/login");
    const policy = res.headers.get("permissions-policy") ?? "";
    assert.match(policy, /camera=\(\)/);
    assert.match(policy, /geolocation=\(\)/);
    assert.match(policy, /microphone=\(\)/);
  });
});
