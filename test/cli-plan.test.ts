import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Plan } from "../src/features/indicators/plan.ts";
import { useCliDatabase } from "./helpers/cli-database.ts";

describe("bdhvs plan copy (issue 19.5)", () => {
  const { run } = useCliDatabase("bdhvs-cli-plan-");

  test("copies 2026 to 2027 once; show --year prints it; bad years are refused with a message", async () => {
    let r = await run(["plan", "show", "--year", "2027"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Xã chưa có kế hoạch năm 2027/);
    r = await run(["plan", "copy", "--from", "2026", "--to", "2027"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Đã sao chép kế hoạch năm 2026 sang năm 2027/);
    r = await run(["plan", "show", "--year", "2027"]);
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as Plan;
    assert.equal(plan.year, 2027);
    assert.equal(plan.startDate, "2027-01-01");
    assert.ok(plan.reports.length > 0 && plan.reports.every((x) => x.period.startsWith("2027")));
    r = await run(["plan", "copy", "--from", "2026", "--to", "2027"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Đã có kế hoạch năm 2027/);
    r = await run(["plan", "copy", "--from", "2027", "--to", "2026", "--lang", "en"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the target year must come after the source year/);
    r = await run(["plan", "copy", "--from", "2026"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bdhvs plan copy --from NĂM --to NĂM/);
  });
});
