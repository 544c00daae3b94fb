/**
 * Issue 17, point 12: a client generated from the OpenAPI document the app serves works. The test
 * generates the types with openapi-typescript, type-checks a small openapi-fetch client against
 * them (tsc, strict: a wrong path, parameter or field type would fail it), then runs that client
 * against the app: sign in, list residents, read one, read the indicators.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { resetClock, setClock, startingAt } from "../src/lib/clock.ts";
import { createTestApp, type TestApp } from "./helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  TEST_PASSWORD,
} from "./helpers/factories.ts";

let t: TestApp;
let username = "";
let dir = "";

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  const village = await buildVillage(t.db, { commune: t.commune, code: "T01" });
  await buildResident(t.db, {
    household: await buildHousehold(t.db, { village }),
    fullName: "Nguyễn Văn Ấn",
    birthDate: "1950-03-04",
  });
  username = (await buildUser(t.db, { role: "coordinator", commune: t.commune })).user.username;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-client-"));
});

after(async () => {
  resetClock();
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

/** The client, written against the generated `paths`; `@ts-expect-error` marks what must not type-check. */
const clientSource = (openapiFetch: string) => `
import createClient from ${JSON.stringify(openapiFetch)};
import type { paths } from "./api";

export async function callThree(
  fetch: (request: Request) => Promise<Response>,
  who: { username: string; password: string },
) {
  const client = createClient<paths>({ baseUrl: "http://localhost/api/v1", fetch });
  const signIn = await client.POST("/auth/token", { body: { username: who.username, password: who.password } });
  if (!signIn.data) throw new Error("no token");
  const headers = { Authorization: \`Bearer \${signIn.data.token}\` };
  const list = await client.GET("/residents", { params: { query: { pageSize: 10, village: "T01" } }, headers });
  if (!list.data) throw new Error("no residents");
  const first = list.data.items[0];
  if (!first) throw new Error("empty list");
  const one = await client.GET("/residents/{id}", { params: { path: { id: first.id } }, headers });
  if (!one.data) throw new Error("no resident");
  const name: string = one.data.full_name;
  const age: number = one.data.age;
  // A volunteer gets no birth date: the generated type says it may be absent.
  // @ts-expect-error birth_date is optional
  const birth: string = one.data.birth_date;
  // @ts-expect-error no such path
  client.GET("/residentz", { headers });
  const indicators = await client.GET("/indicators", { params: { query: { date: "2026-06-15" } }, headers });
  if (!indicators.data) throw new Error("no indicators");
  return {
    statuses: [signIn.response.status, list.response.status, one.response.status, indicators.response.status],
    total: list.data.total,
    name,
    age,
    birth,
    codes: indicators.data.indicators.map((i) => i.code),
  };
}
`;

test("a client generated from /api/v1/openapi.json type-checks and calls three endpoints", async () => {
  const res = await t.app.request("/api/v1/openapi.json");
  assert.equal(res.status, 200);
  const types = astToString(await openapiTS((await res.json()) as Parameters<typeof openapiTS>[0]));
  fs.writeFileSync(path.join(dir, "api.d.ts"), types);
  assert.match(types, /"\/residents\/\{id\}": \{/);
  const openapiFetch = fileURLToPath(import.meta.resolve("openapi-fetch"));
  fs.writeFileSync(path.join(dir, "client.ts"), clientSource(openapiFetch));

  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: "es2022",
        module: "esnext",
        moduleResolution: "bundler",
        lib: ["es2023", "dom"],
        types: [],
        skipLibCheck: true,
        noEmit: true,
      },
      files: ["client.ts"],
    }),
  );
  const tsc = spawnSync(process.execPath, [path.resolve("node_modules/typescript/bin/tsc"), "-p", dir], {
    encoding: "utf8",
  });
  assert.equal(tsc.status, 0, `the generated client does not type-check:\n${tsc.stdout}${tsc.stderr}`);

  const { callThree } = (await import(pathToFileURL(path.join(dir, "client.ts")).href)) as {
    callThree: (
      fetch: (r: Request) => Promise<Response>,
      who: { username: string; password: string },
    ) => Promise<{ statuses: number[]; total: number; name: string; age: number; codes: string[] }>;
  };
  const out = await callThree((request) => Promise.resolve(t.app.request(request)), {
    username,
    password: TEST_PASSWORD,
  });
  assert.deepEqual(out.statuses, [200, 200, 200, 200]);
  assert.equal(out.total, 1);
  assert.equal(out.name, "Nguyễn Văn Ấn");
  assert.equal(out.age, 76);
  assert.equal(out.codes.length, 12);
});
