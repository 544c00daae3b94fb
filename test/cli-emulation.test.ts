import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../src/config.ts";
import { communes } from "../src/db/schema.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { runImport } from "../src/features/imports/engine.ts";
import { openAppDatabase } from "../src/server.ts";
import { createTestDatabase, testDatabaseUrl } from "./helpers/db.ts";

const BIN = path.resolve("bin/bdhvs.js");
const SAMPLE = path.resolve("../shared/data/sample");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cli-emulation-"));

function env(extra: Record<string, string> = {}) {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !["DATABASE_URL", "TEST_DATABASE_URL", "DATA_DIR", "PORT", "BDHVS_LANG"].includes(k)
    )
      e[k] = v;
  }
  return { ...e, LOG_LEVEL: "silent", ...extra };
}

describe("bdhvs emulation", () => {
  let dbEnv: Record<string, string> = {};
  let dbArgs: string[] = [];
  let close = async () => {};
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args, ...dbArgs], {
        env: env(dbEnv),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  before(async () => {
    let config: ReturnType<typeof loadConfig>;
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      dbEnv = { DATABASE_URL: database.location };
      close = () => database.close();
      config = loadConfig({ DATABASE_URL: database.location, LOG_LEVEL: "silent" });
    } else {
      dbArgs = ["--data-dir", path.join(dir, "data")];
      config = loadConfig({ LOG_LEVEL: "silent" }, { dataDir: path.join(dir, "data") });
    }
    const database = await openAppDatabase(config);
    try {
      const [commune] = await database.db.select({ id: communes.id }).from(communes);
      for (const [kind, file] of [
        ["villages", "villages.csv"],
        ["units", "units.csv"],
      ] as const) {
        const r = await runImport({
          db: database.db,
          communeId: commune!.id,
          kind,
          file: path.join(SAMPLE, file),
          actor: cliActor(commune!.id),
          today: "2026-06-15",
        });
        assert.equal(r.ok, true, kind);
      }
    } finally {
      await database.close();
    }
  });
  after(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("prints the ranking with each score explained, the same lines as --json", async () => {
    const json = await run(["emulation", "--period", "2026-Q2", "--date", "2026-06-15", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const r = JSON.parse(json.stdout) as {
      months: number;
      villages: { name: string; scoreText: string; explanation: string[] }[];
      units: { name: string }[];
    };
    assert.equal(r.months, 3);
    assert.ok(r.villages.length > 0 && r.units.length > 0);
    const text = await run(["emulation", "--period", "2026-Q2", "--date", "2026-06-15"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Xếp hạng thi đua đến ngày 2026-06-15, kỳ 2026-Q2/);
    for (const v of r.villages) {
      assert.ok(text.stdout.includes(`${v.name} · ${v.scoreText}`), v.name);
      for (const line of v.explanation) assert.ok(text.stdout.includes(line), line);
    }
    const bad = await run(["emulation", "--period", "2026-Q9"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /2026-Q9/);
  });
});
