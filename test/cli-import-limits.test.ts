/** Issue 15, finding 1, through the CLI: the row cap (IMPORT_MAX_ROWS), the zip caps, the errors file. */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { useCliDatabase } from "./helpers/cli-database.ts";
import { inline, xlsxBomb } from "./helpers/hostile.ts";

describe("bdhvs import: caps", () => {
  const { dir, run } = useCliDatabase("bdhvs-cli-limits-");

  test("over IMPORT_MAX_ROWS, a zip bomb, and 1,500 errors with --errors: clear messages, nothing written", async () => {
    const csv = path.join(dir, "v.csv");
    fs.writeFileSync(
      csv,
      `Mã thôn,Tên thôn\n${Array.from({ length: 6 }, (_, i) => `X${i},Thôn ${i}`).join("\n")}\n`,
    );
    const over = await run(["import", "villages", csv], { env: { IMPORT_MAX_ROWS: "5" } });
    assert.equal(over.code, 1, over.stderr);
    assert.match(over.stderr, /Tệp có hơn 5 dòng dữ liệu/);

    const bomb = path.join(dir, "bomb.xlsx");
    fs.writeFileSync(
      bomb,
      xlsxBomb(["Mã thôn", "Tên thôn"], `<row>${inline("TZ9")}${inline("x")}</row>`, 11_000_000),
    );
    const b = await run(["import", "villages", bomb, "--dry-run"], { env: { IMPORT_MAX_ROWS: "1000" } });
    assert.equal(b.code, 1);
    assert.match(b.stderr, /hơn 1\.000 dòng dữ liệu/);

    const dup = path.join(dir, "dup.csv");
    fs.writeFileSync(dup, `Mã thôn,Tên thôn\n${Array.from({ length: 1501 }, () => "TZ9,x").join("\n")}\n`);
    const errors = path.join(dir, "errors.csv");
    const d = await run(["import", "villages", dup, "--errors", errors]);
    assert.equal(d.code, 1);
    assert.match(d.stderr, /… và 500 mục nữa/);
    assert.equal(fs.readFileSync(errors, "utf8").trimEnd().split(/\r?\n/).length, 1 + 1500);
    const list = await run(["export", "villages", "--out", path.join(dir, "out.csv")]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(fs.readFileSync(path.join(dir, "out.csv"), "utf8").trimEnd().split(/\r?\n/).length, 1);
  });
});
