import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import type { IndicatorTable } from "../src/features/indicators/service.ts";
import { importSample, useCliDatabase } from "./helpers/cli-database.ts";
import { sampleFilesThrough } from "./helpers/sample.ts";
import { zipEntry } from "./helpers/zip.ts";

describe("bdhvs report", () => {
  const cli = useCliDatabase("bdhvs-cli-report-");
  const { dir, run } = cli;

  before(async () => {
    // The sample registry, imported in this process (the CLI's import is tested elsewhere).
    await importSample(cli, sampleFilesThrough("certifications"), "2026-11-25");
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
