import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Agent, apiToken, bearer, useTestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";

const t = useTestApp();

describe("operations", () => {
  test("signed-in pages and API answers are not cached; the login page's static CSS is", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    assert.equal((await a.get("/")).headers.get("cache-control"), "no-store");
    const token = await apiToken(t.app, user.username, TEST_PASSWORD);
    assert.equal(
      (await t.app.request("/api/v1/me", { headers: bearer(token) })).headers.get("cache-control"),
      "no-store",
    );
    const css = await t.app.request("/static/app.css");
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type")!, /text\/css/);
    assert.match(css.headers.get("cache-control")!, /max-age/);
  });

  test("the OpenAPI document describes the API and its bearer authentication", async () => {
    const res = await t.app.request("/api/v1/openapi.json");
    assert.equal(res.status, 200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, { scheme: string }> };
    };
    assert.equal(doc.openapi, "3.1.0");
    for (const path of [
      "/auth/token",
      "/me",
      "/users",
      "/users/{id}",
      "/villages",
      "/villages/{id}",
      "/audit",
    ]) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(doc.paths["/users/{id}"]!.patch);
    assert.equal(doc.components.securitySchemes.bearerAuth!.scheme, "bearer");
  });

  test("a request id given by a proxy is kept; a hostile one is replaced", async () => {
    const ok = await t.app.request("/healthz", { headers: { "x-request-id": "lb-1234.abc" } });
    assert.equal(ok.headers.get("x-request-id"), "lb-1234.abc");
    const bad = await t.app.request("/healthz", { headers: { "x-request-id": "<script>" } });
    assert.match(bad.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
  });

  test("/healthz answers 200 while the database answers, 503 when it does not", async () => {
    const ok = await t.app.request("/healthz");
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { status: string }).status, "ok");
    await t.database.close();
    const down = await t.app.request("/healthz");
    assert.equal(down.status, 503);
  });
});
