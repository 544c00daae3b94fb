/** The JSON API's one-record operations: the id from the path, the service's answer, the status. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "@hono/zod-openapi";
import { AppError } from "../../lib/errors.ts";
import { apiRouter } from "../api.ts";
import { apiCreate, apiDeleteById, apiGetById, apiPatchById } from "./record-operations.ts";

const ZThing = z.object({ id: z.number().int(), name: z.string() });

function thingApi(calls: string[]) {
  const api = apiRouter();
  apiGetById(api, {
    path: "/things/{id}",
    summary: "One thing",
    schema: ZThing,
    description: "The thing",
    load: async (_c, id) => ({ id, name: `thing ${id}` }),
  });
  apiCreate(api, {
    path: "/things",
    summary: "Add a thing",
    body: z.object({ name: z.string().min(1) }),
    schema: ZThing,
    description: "The new thing",
    run: async (_c, body) => ({ id: 1, name: body.name }),
  });
  apiPatchById(api, {
    path: "/things/{id}",
    summary: "Rename a thing",
    body: z.object({ name: z.string().min(1) }),
    schema: ZThing,
    description: "The thing after the change",
    run: async (_c, id, body) => ({ id, name: body.name }),
  });
  apiDeleteById(api, {
    path: "/things/{id}",
    summary: "Delete a thing",
    run: async (_c, id) => calls.push(`delete ${id}`),
  });
  // The app's onError maps AppError codes to statuses; here the code is enough.
  api.onError((err, c) => c.json({ code: err instanceof AppError ? err.code : "other" }, 500));
  return api;
}

describe("record API kit", () => {
  test("GET answers what load gives for the path's id; a non-numeric id is a validation error", async () => {
    const api = thingApi([]);
    const r = await api.request("/things/7");
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { id: 7, name: "thing 7" });
    assert.deepEqual(await (await api.request("/things/x")).json(), { code: "validation" });
  });

  test("POST answers 201 with the new record; a body its schema refuses never reaches run", async () => {
    const api = thingApi([]);
    const post = (body: unknown) =>
      api.request("/things", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const r = await post({ name: "new" });
    assert.equal(r.status, 201);
    assert.deepEqual(await r.json(), { id: 1, name: "new" });
    assert.deepEqual(await (await post({ name: "" })).json(), { code: "validation" });
  });

  test("PATCH passes the parsed body; DELETE runs once and answers 204 with no body", async () => {
    const calls: string[] = [];
    const api = thingApi(calls);
    const p = await api.request("/things/3", {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "renamed" }),
    });
    assert.equal(p.status, 200);
    assert.deepEqual(await p.json(), { id: 3, name: "renamed" });
    const d = await api.request("/things/5", { method: "DELETE" });
    assert.equal(d.status, 204);
    assert.equal(await d.text(), "");
    assert.deepEqual(calls, ["delete 5"]);
  });

  test("the OpenAPI document names the operations with the shared error responses", () => {
    const doc = thingApi([]).getOpenAPIDocument({ openapi: "3.0.0", info: { title: "t", version: "1" } });
    const ops = doc.paths["/things/{id}"];
    assert.deepEqual(Object.keys(ops?.get?.responses ?? {}), ["200", "401", "403", "404", "422"]);
    assert.deepEqual(Object.keys(ops?.delete?.responses ?? {}), ["204", "401", "403", "404", "422"]);
    assert.equal(ops?.patch?.summary, "Rename a thing");
  });
});
