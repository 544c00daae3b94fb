import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { auditEvents } from "../src/db/schema.ts";
import { compareText } from "../src/lib/collation.ts";
import { readRows } from "../src/lib/tabular/read.ts";
import { runBdhvs } from "./helpers/cli.ts";
import { useCliDatabase } from "./helpers/cli-database.ts";
import { SAMPLE } from "./helpers/sample.ts";

async function cellsOf(file: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const row of readRows(file)) out.push(row.cells.map((c) => (c === null ? "" : String(c))));
  return out;
}

describe("bdhvs export", () => {
  const cli = useCliDatabase("bdhvs-cli-export-");
  const { dir, run } = cli;

  test("writes every village of the commune, unmasked, with the import's column keys; one audit event", async () => {
    const imported = await run(["import", "villages", path.join(SAMPLE, "villages.csv")]);
    assert.equal(imported.code, 0, imported.stderr);

    const csv = path.join(dir, "thon.csv");
    const r = await run(["export", "villages", "--out", csv]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Đã xuất 6 bản ghi (villages) vào ${csv}.\n`);
    const rows = await cellsOf(csv);
    assert.deepEqual(rows[0], ["code", "name"]);
    // Villages by name, the Vietnamese way (Bắc before Đông).
    assert.ok(rows.some((r) => r[0] === "T01" && r[1] === "Thôn Đông Hòa"));
    const names = rows.slice(1).map((r) => String(r[1]));
    assert.deepEqual(names, [...names].sort(compareText));
    assert.equal(rows.length, 7);
    assert.ok(
      fs
        .readFileSync(csv)
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
      "a BOM for Excel",
    );

    const xlsx = path.join(dir, "thon.xlsx");
    const en = await run(["export", "villages", "--out", xlsx, "--lang", "en"]);
    assert.equal(en.code, 0, en.stderr);
    assert.equal(en.stdout, `Exported 6 records (villages) to ${xlsx}.\n`);
    assert.deepEqual(await cellsOf(xlsx), rows);

    const database = await openDatabase(cli.target);
    try {
      const events = await database.db
        .select({ actor: auditEvents.actorUsername, entity: auditEvents.entity, after: auditEvents.after })
        .from(auditEvents)
        .where(eq(auditEvents.action, "export.villages"))
        .orderBy(auditEvents.id);
      assert.deepEqual(events, [
        { actor: "cli", entity: "villages", after: { file: "thon.csv", rows: 6 } },
        { actor: "cli", entity: "villages", after: { file: "thon.xlsx", rows: 6 } },
      ]);
    } finally {
      await database.close();
    }
  });

  test("a file that is neither .csv nor .xlsx, or an unknown kind, is refused clearly and writes nothing", async () => {
    const pdf = path.join(dir, "thon.pdf");
    const r = await run(["export", "villages", "--out", pdf]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Không xuất được ra “.*thon\.pdf”: chỉ hỗ trợ tệp \.csv hoặc \.xlsx/);
    assert.ok(!fs.existsSync(pdf));
    const en = await run(["export", "villages", "--out", pdf, "--lang", "en"]);
    assert.equal(en.code, 2);
    assert.match(en.stderr, /only \.csv and \.xlsx files are supported/);

    const kind = await run(["export", "reports", "--out", path.join(dir, "a.csv")]);
    assert.equal(kind.code, 2);
    assert.match(kind.stderr, /Loại dữ liệu không xuất được: “reports”/);
    const noOut = await run(["export", "villages"]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /bdhvs export <loại> --out/);
    const noDir = await run(["export", "villages", "--out", path.join(dir, "khong-co", "a.csv")]);
    assert.equal(noDir.code, 1);
    assert.match(noDir.stderr, /không tồn tại/);
  });

  test("the command is listed in the help", async () => {
    const help = await runBdhvs(["--help"]);
    assert.match(help.stdout, /export {4}xuất dữ liệu ra tệp Excel/);
    const own = await runBdhvs(["export", "--help", "--lang", "en"]);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /Usage: bdhvs export <kind> --out FILE\.csv\|FILE\.xlsx/);
  });
});
