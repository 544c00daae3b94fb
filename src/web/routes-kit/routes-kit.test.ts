/** The routes kit: query parsing, the form post-redirect-get, and permissions by method. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { Db } from "../../db/client.ts";
import type { Viewer } from "../../features/auth/viewer.ts";
import { nowMs } from "../../lib/clock.ts";
import { AppError, msg, validationError } from "../../lib/errors.ts";
import { apiRouter } from "../api.ts";
import type { AppEnv, Deps } from "../context.ts";
import { WROTE_COOKIE } from "../read-db.ts";
import { permissionFor, writes } from "./api-route.ts";
import { submitForm } from "./form-route.ts";
import { cellsOf, mountRecordApi, ZCell } from "./record-api.ts";
import { pageNumber, queryOf, readerOf } from "./request.ts";

describe("routes kit", () => {
  test("pageNumber: a whole number from 1, anything else 1", () => {
    assert.equal(pageNumber(undefined), 1);
    assert.equal(pageNumber("3"), 3);
    assert.equal(pageNumber("0"), 1);
    assert.equal(pageNumber("-2"), 1);
    assert.equal(pageNumber("abc"), 1);
  });

  test("queryOf trims the named parameters and leaves empty ones out", async () => {
    const app = new Hono<AppEnv>();
    app.get("/q", (c) => c.json(queryOf(c, ["q", "village", "status"])));
    const res = await app.request("/q?q=%20Lan%20&village=&other=x");
    assert.deepEqual(await res.json(), { q: "Lan" });
  });

  const formApp = (run: (name: string) => Promise<{ id: number }>) => {
    const app = new Hono<AppEnv>();
    app.post("/things", (c) =>
      submitForm(c, {
        run: (form) => run(String(form.name ?? "")),
        flash: () => msg("error.not_found"),
        to: (r) => `/things/${r.id}`,
        invalid: (form, errors) => c.json({ form, errors }, 422),
      }),
    );
    return (body: string) =>
      app.request("/things", {
        method: "POST",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
  };

  test("submitForm: a success redirects (303) with a flash", async () => {
    const res = await formApp(async () => ({ id: 7 }))("name=An&_csrf=x");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/things/7");
    assert.match(res.headers.get("set-cookie") ?? "", /bdhvs_flash=/);
  });

  test("submitForm: a validation error draws the form again with the values and errors, no flash", async () => {
    const post = formApp(async () => {
      throw validationError({ name: msg("v.required", { field: "name" }) });
    });
    const res = await post("name=&_csrf=x");
    assert.equal(res.status, 422);
    const body = (await res.json()) as { form: Record<string, string>; errors: Record<string, unknown> };
    assert.deepEqual(body.form, { name: "" });
    assert.ok(body.errors.name);
    assert.equal(res.headers.get("set-cookie"), null);
  });

  test("submitForm: any other error goes on to the app's error handler", async () => {
    const post = formApp(async () => {
      throw new AppError("not_found", { message: msg("error.not_found") });
    });
    const res = await post("name=x");
    assert.equal(res.status, 500); // a bare Hono app without onError: the error was not swallowed
  });

  test("permissionFor: by method, GET's for any other, a write's suffix first", () => {
    const byMethod = { GET: "report.read", ...writes("report.create") } as const;
    const bySuffix = { "/submit": "report.submit", "/approve": "report.approve" } as const;
    assert.equal(permissionFor("GET", "/reports/3/submit", byMethod, bySuffix), "report.read");
    assert.equal(permissionFor("HEAD", "/reports/3", byMethod, bySuffix), "report.read");
    assert.equal(permissionFor("PATCH", "/reports/3", byMethod, bySuffix), "report.create");
    assert.equal(permissionFor("POST", "/reports/3/submit/", byMethod, bySuffix), "report.submit");
    assert.equal(permissionFor("POST", "/reports/3/approve", byMethod, bySuffix), "report.approve");
    assert.equal(
      permissionFor("OPTIONS", "/reports", { GET: "unit.read", POST: "unit.create" }),
      "unit.read",
    );
  });

  test("readerOf({ replica: true }): a read goes to the replica, a write or a fresh writer's read to the primary", async () => {
    const primary = { name: "primary" } as unknown as Db;
    const replica = { name: "replica" } as unknown as Db;
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set("deps", { db: primary, readDb: replica } as unknown as Deps);
      c.set("viewer", { userId: 1 } as unknown as Viewer);
      await next();
    });
    const which = (db: Db) => (db as unknown as { name: string }).name;
    app.on(["GET", "POST"], "/r", (c) => {
      const r = readerOf(c, { replica: true });
      return c.json({ db: which(r.db), readDb: which(r.readDb), plain: "readDb" in readerOf(c) });
    });
    assert.deepEqual(await (await app.request("/r")).json(), {
      db: "primary",
      readDb: "replica",
      plain: false,
    });
    assert.equal(
      ((await (await app.request("/r", { method: "POST" })).json()) as { readDb: string }).readDb,
      "primary",
    );
    const fresh = { headers: { cookie: `${WROTE_COOKIE}=${nowMs() + 5000}` } };
    assert.equal(((await (await app.request("/r", fresh)).json()) as { readDb: string }).readDb, "primary");
  });

  test("cellsOf: a missing value reads as empty, a list as one text joined by ;", () => {
    assert.deepEqual(cellsOf({ a: "x", b: 2, c: undefined, d: null, e: ["qr", "bank"], f: true }), {
      a: "x",
      b: 2,
      c: null,
      d: null,
      e: "qr;bank",
      f: true,
    });
  });

  test("mountRecordApi: the services get the writer, the id and the body as input; only the named operations exist", async () => {
    const api = apiRouter();
    api.use(async (c, next) => {
      c.set("deps", { db: { name: "primary" } } as unknown as Deps);
      c.set("viewer", { userId: 1, communeId: 4, username: "an" } as unknown as Viewer);
      c.set("requestId", "r1");
      await next();
    });
    const calls: unknown[] = [];
    const record = z.object({ id: z.number() });
    mountRecordApi(api, {
      path: "/things",
      noun: "thing",
      record,
      get: { summary: "One", run: async (a) => ({ id: a.id, user: a.actor.userId }) },
      update: {
        summary: "Change",
        body: z.object({ name: ZCell, tags: z.array(z.string()).optional() }),
        run: async (a) => {
          calls.push({ id: a.id, input: a.input });
          return { id: a.id };
        },
      },
      remove: { summary: "Remove", done: "Removed", run: async (a) => calls.push({ removed: a.id }) },
    });
    assert.deepEqual(await (await api.request("/things/3")).json(), { id: 3, user: 1 });
    const patch = await api.request("/things/3", {
      method: "PATCH",
      body: JSON.stringify({ name: "Lan", tags: ["a", "b"] }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(patch.status, 200);
    assert.equal((await api.request("/things/3", { method: "DELETE" })).status, 204);
    assert.deepEqual(calls, [{ id: 3, input: { name: "Lan", tags: "a;b" } }, { removed: 3 }]);
    assert.equal((await api.request("/things")).status, 404); // no list was declared
  });
});
