/** `bdhvs province report` (issue 18.3): the province report of every commune's data, written as a file. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../src/config.ts";
import { communes } from "../src/db/schema.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { runImport } from "../src/features/imports/engine.ts";
import { openAppDatabase } from "../src/server.ts";
import { runBdhvs } from "./helpers/cli.ts";
import { createTestDatabase, testDatabaseUrl } from "./helpers/db.ts";
import { buildCommune, buildVillage } from "./helpers/factories.ts";

const SAMPLE = path.resolve("../shared/data/sample");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cli-preport-"));

describe("bdhvs province report", () => {
  let dbEnv: Record<string, string> = {};
  let dbArgs: string[] = [];
  let close = async () => {};
  const run = (args: string[]) => runBdhvs([...args, ...dbArgs], dbEnv);

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
        ["households", "households.csv"],
        ["residents", "residents.xlsx"],
      ] as const) {
        const r = await runImport({
          db: database.db,
          communeId: commune!.id,
          kind,
          file: path.join(SAMPLE, file),
          actor: cliActor(commune!.id),
          today: "2026-11-25",
        });
        assert.equal(r.ok, true, `${kind}: ${JSON.stringify(r.errors?.slice(0, 2))}`);
      }
      const other = await buildCommune(database.db, { code: "15721", name: "Xã Thử Tỉnh" });
      await buildVillage(database.db, { commune: other });
    } finally {
      await database.close();
    }
  });
  after(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("writes the PDF with every commune; a bad period writes nothing", async () => {
    const out = path.join(dir, "tinh.pdf");
    const r = await run(["province", "report", "--period", "2026-Q3", "--date", "2026-09-30", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Đã ghi báo cáo tỉnh kỳ 2026-Q3 \(pdf\)/);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", out, "-"], { encoding: "utf8" }).replace(
      /\s+/g,
      " ",
    );
    assert.match(text, /trên địa bàn tỉnh Thanh Hóa/);
    assert.match(text, /toàn tỉnh có 2 xã, phường/);
    assert.match(text, /Xã Thử Tỉnh/);

    const bad = path.join(dir, "bad.docx");
    const r2 = await run(["province", "report", "--period", "2026-Q7", "--out", bad]);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /2026-Q7/);
    assert.equal(fs.existsSync(bad), false);
  });
});
