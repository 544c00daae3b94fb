/**
 * `npm run lint:openapi`: the OpenAPI document the app serves (`/api/v1/openapi.json`, built from the
 * routes' zod schemas) checked with Redocly's recommended rules, every warning an error
 * (`redocly.yaml`). The document is read from the app itself, on an empty in-memory database, so
 * what is checked is what clients get.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestApp } from "../test/helpers/app.ts";

const t = await createTestApp();
const res = await t.app.request("/api/v1/openapi.json");
const doc = await res.text();
await t.close();
if (res.status !== 200) {
  console.error(`GET /api/v1/openapi.json answered ${res.status}`);
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-openapi-"));
const file = path.join(dir, "openapi.json");
fs.writeFileSync(file, doc);
const bin = path.resolve("node_modules/.bin/redocly");
const run = spawnSync(bin, ["lint", file, "--config", path.resolve("redocly.yaml")], { stdio: "inherit" });
fs.rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
