/** `bdhvs province report` (issue 18.3): the province report of every commune's data, written as a file. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { openAppDatabase } from "../src/server.ts";
import { importSample, useCliDatabase } from "./helpers/cli-database.ts";
import { buildCommune, buildVillage } from "./helpers/factories.ts";
import { sampleFilesThrough } from "./helpers/sample.ts";

describe("bdhvs province report", () => {
  const cli = useCliDatabase("bdhvs-cli-preport-");
  const { dir, run } = cli;

  before(async () => {
    await importSample(cli, sampleFilesThrough("residents"), "2026-11-25");
    const database = await openAppDatabase(cli.config());
    try {
      const other = await buildCommune(database.db, { code: "15721", name: "Xã Thử Tỉnh" });
      await buildVillage(database.db, { commune: other });
    } finally {
      await database.close();
    }
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
