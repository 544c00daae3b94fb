import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { loadConfig } from "../src/config.ts";
import { communes } from "../src/db/schema.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { runImport } from "../src/features/imports/engine.ts";
import type { IndicatorTable } from "../src/features/indicators/service.ts";
import { openAppDatabase } from "../src/server.ts";
import { createTestDatabase, testDatabaseUrl } from "./helpers/db.ts";
import { zipEntry } from "./helpers/zip.ts";

const BIN = path.resolve("bin/bdhvs.js");
const SAMPLE = path.resolve("../shared/data/sample");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cli-report-"));

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

describe("bdhvs report", () => {
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
    // The sample registry, imported in this process (the CLI's import is tested elsewhere).
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
        ["certifications", "certifications.csv"],
      ] as const) {
        const r = await runImport({
          db: database.db,
          communeId: commune!.id,
          kind,
          file: path.join(SAMPLE, file),
          actor: cliActor(commune!.id),
          today: "2026-11-25",
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

  test("writes the DOCX and the XLSX with the figures of `bdhvs indicators` for the same date and period", async () => {
    const json = await run(["indicators", "--date", "2026-09-30", "--period", "2026-Q3", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const table = JSON.parse(json.stdout) as IndicatorTable;

    const docx = path.join(dir, "bc.docx");
    let r = await run([
      "report",
      "--period",
      "2026-Q3",
      "--date",
      "2026-09-30",
      "--out",
      docx,
      "--number",
      "7",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Đã ghi báo cáo kỳ 2026-Q3/);
    const xml = zipEntry(fs.readFileSync(docx), "word/document.xml")!.toString("utf8");
    assert.ok(xml.includes("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert.ok(xml.includes("Số: 7/BC-UBND"));

    const xlsx = path.join(dir, "bc.data");
    r = await run([
      "report",
      "--period",
      "2026-Q3",
      "--date",
      "2026-09-30",
      "--format",
      "xlsx",
      "--out",
      xlsx,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const cells: unknown[][] = [];
    for (const sheet of book.worksheets) sheet.eachRow((row) => cells.push(row.values as unknown[]));
    for (const i of table.indicators) {
      const row = cells.find((c) => c.includes(i.title));
      assert.ok(row, `indicator ${i.id} in the workbook`);
      if (i.numerator !== undefined) {
        assert.ok(row.includes(i.numerator) && row.includes(i.denominator), `figures of ${i.id}`);
      } else assert.ok(row.includes(i.value), `count of ${i.id}`);
    }
  });

  test("an unknown period, a date before the period, a format not offered: a clear message, no file", async () => {
    const out = path.join(dir, "none.docx");
    let r = await run(["report", "--period", "2026-Q5", "--out", out]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /2026-Q5/);
    r = await run(["report", "--period", "2026-Q3", "--date", "2026-06-30", "--out", out]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /2026-06-30/);
    r = await run(["report", "--period", "2026-Q3", "--format", "odt", "--out", out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /odt/);
    assert.equal(fs.existsSync(out), false);
  });
});
