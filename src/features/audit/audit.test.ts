import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { count, eq, sql } from "drizzle-orm";
import { Agent, apiToken, bearer, useTestApp } from "../../../test/helpers/app.ts";
import { buildCommune, buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { auditEvents } from "../../db/schema.ts";

const t = useTestApp();

describe("the audit trail", () => {
  test("is append-only: the database refuses UPDATE and DELETE", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune });
    await new Agent(t.app).login(user.username, TEST_PASSWORD);
    const [before] = await t.db.select({ n: count() }).from(auditEvents);
    assert.ok(before!.n > 0);
    const appendOnly = (e: unknown) =>
      /append-only/.test(String((e as Error & { cause?: Error }).cause?.message));
    await assert.rejects(t.db.execute(sql`update audit_events set action = 'x'`), appendOnly);
    await assert.rejects(t.db.execute(sql`delete from audit_events`), appendOnly);
    const [afterRow] = await t.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "x"));
    assert.equal(afterRow!.n, 0);
  });

  test("records sign-in, failed sign-in and logout with who, when, address and request id", async () => {
    const { user } = await buildUser(t.db, { role: "leader", commune: t.commune, username: "nguoi-xem" });
    const a = new Agent(t.app, "10.77.0.1");
    await a.get("/login");
    await a.postForm("/login", { username: "nguoi-xem", password: "sai-mat-khau-1" });
    await a.login(user.username, TEST_PASSWORD);
    await a.get("/");
    await a.postForm("/logout", {});
    const rows = await t.db
      .select({
        action: auditEvents.action,
        ip: auditEvents.ip,
        actor: auditEvents.actorUsername,
        rid: auditEvents.requestId,
        communeId: auditEvents.communeId,
      })
      .from(auditEvents)
      .where(eq(auditEvents.actorUsername, "nguoi-xem"))
      .orderBy(auditEvents.id);
    assert.deepEqual(
      rows.map((r) => r.action),
      ["login.failed", "login.success", "logout"],
    );
    for (const r of rows) {
      assert.equal(r.ip, "10.77.0.1");
      assert.ok(r.rid);
      assert.equal(r.communeId, t.commune.id);
    }
  });

  test("the audit page, for admins, filters by user, action and day; other communes' events stay out", async () => {
    const other = await buildCommune(t.db);
    const { user: stranger } = await buildUser(t.db, {
      role: "leader",
      commune: other,
      username: "nguoi-la",
    });
    await new Agent(t.app).login(stranger.username, TEST_PASSWORD);
    const { user } = await buildUser(t.db, { role: "admin", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    await a.get("/admin/audit?username=nguoi-xem");
    // Actions in words, the recorded code kept as the cell's title; times as HH:mm dd/mm/yyyy.
    assert.match(a.lastHtml, /<td title="login\.failed"[^>]*>Đăng nhập không thành công<\/td>/);
    assert.match(a.lastHtml, /<td title="logout"[^>]*>Đăng xuất<\/td>/);
    assert.doesNotMatch(a.lastHtml, /<code>login\./);
    assert.match(a.lastHtml, /<td[^>]*>\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}<\/td>/);
    await a.get("/admin/audit?username=nguoi-xem&action=login.s");
    assert.match(a.lastHtml, /<td title="login\.success"[^>]*>Đăng nhập thành công<\/td>/);
    assert.doesNotMatch(a.lastHtml, /title="logout"/);
    await a.get("/admin/audit?username=nguoi-xem&lang=en");
    assert.match(a.lastHtml, /<td title="login\.success"[^>]*>Signed in<\/td>/);
    await a.get("/admin/audit?username=nguoi-la");
    assert.match(a.lastHtml, /Không có sự kiện nào/);
    await a.get("/admin/audit?from=2000-01-01&to=2000-01-02");
    assert.match(a.lastHtml, /Không có sự kiện nào/);

    const token = await apiToken(t.app, user.username, TEST_PASSWORD);
    const res = await t.app.request("/api/v1/audit?username=nguoi-xem&pageSize=2", {
      headers: bearer(token),
    });
    const body = (await res.json()) as { items: { action: string; at: string }[]; total: number };
    assert.equal(body.total, 3);
    assert.equal(body.items.length, 2);
    assert.equal(body.items[0]!.action, "logout"); // newest first
    const bad = await t.app.request("/api/v1/audit?from=25/11/2026", { headers: bearer(token) });
    assert.equal(bad.status, 422);
  });
});
