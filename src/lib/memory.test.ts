import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { heapGrowingPercentFor } from "./memory.ts";

describe("the heap's growth", () => {
  test("unset: 60 on the embedded database, V8's own on PostgreSQL; set, what was set (0 too)", () => {
    assert.equal(heapGrowingPercentFor("pglite", undefined), 60);
    assert.equal(heapGrowingPercentFor("postgres", undefined), 0);
    assert.equal(heapGrowingPercentFor("pglite", 0), 0);
    assert.equal(heapGrowingPercentFor("postgres", 30), 30);
  });

  test("set at run time, the limit holds the heap nearer what lives (V8 reads it at each collection)", () => {
    // Live data, and batches that live a while (promoted to the old space) then die: a server's pages and rows.
    const script = `const flag = process.argv[1];
      if (flag) require("node:v8").setFlagsFromString(flag);
      const live = Array.from({ length: 300000 }, (_, i) => ({ i, s: "x".repeat(32) + i }));
      let peak = 0;
      const ring = [];
      for (let n = 0; n < 300; n++) {
        ring.push(Array.from({ length: 20000 }, (_, i) => ({ n, i, s: "z" + i })));
        if (ring.length > 10) ring.shift();
        peak = Math.max(peak, process.memoryUsage().heapTotal);
      }
      console.log(Math.round(peak / 1e6), live.length);`;
    const peak = (flag: string) =>
      Number(execFileSync(process.execPath, ["-e", script, flag], { encoding: "utf8" }).split(" ")[0]);
    const own = peak("");
    const limited = peak("--heap-growing-percent=60");
    // Measured on Node 20: 367 MB against 187–191 MB; on Node 24 (another V8): 478 against 361 MB.
    // Without the flag taking effect the two are the same.
    assert.ok(limited < own * 0.85, `limited ${limited} MB, V8's own ${own} MB`);
  });
});
