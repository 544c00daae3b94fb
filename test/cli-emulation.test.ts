import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { importSample, useCliDatabase } from "./helpers/cli-database.ts";
import { sampleFilesThrough } from "./helpers/sample.ts";

describe("bdhvs emulation", () => {
  const cli = useCliDatabase("bdhvs-cli-emulation-");
  const { run } = cli;

  before(async () => {
    await importSample(cli, sampleFilesThrough("units"), "2026-06-15");
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
