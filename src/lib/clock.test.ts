import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  civilDateInVietnam,
  fixedClock,
  now,
  nowMs,
  resetClock,
  setClock,
  startingAt,
  todayInVietnam,
} from "./clock.ts";

describe("the clock", () => {
  afterEach(() => resetClock());

  test("today is the civil date in Hà Nội, not in UTC", () => {
    // 23:30 on 31 December in Hà Nội is still 31 December (16:30 UTC).
    assert.equal(civilDateInVietnam(new Date("2026-12-31T23:30:00+07:00")), "2026-12-31");
    // 00:30 on 1 January is the new year, though UTC still says 31 December.
    assert.equal(civilDateInVietnam(new Date("2027-01-01T00:30:00+07:00")), "2027-01-01");
    assert.equal(new Date("2027-01-01T00:30:00+07:00").toISOString().slice(0, 10), "2026-12-31");
    assert.equal(civilDateInVietnam(new Date("2026-03-01T00:10:00+07:00")), "2026-03-01");
    assert.equal(civilDateInVietnam(new Date("2028-02-29T12:00:00+07:00")), "2028-02-29");
    assert.equal(civilDateInVietnam(new Date("2026-12-01T00:30:00+07:00")), "2026-12-01");
  });

  test("a fixed clock answers now and today, and moves only when advanced", () => {
    const c = fixedClock("2026-12-31T23:30:00+07:00");
    setClock(c);
    assert.equal(now().toISOString(), "2026-12-31T16:30:00.000Z");
    assert.equal(todayInVietnam(), "2026-12-31");
    c.advance(60 * 60_000);
    assert.equal(todayInVietnam(), "2027-01-01");
    assert.equal(nowMs(), Date.UTC(2026, 11, 31, 17, 30));
  });

  test("a clock starting at an instant ticks forward from it", async () => {
    setClock(startingAt("2028-02-29T12:00:00+07:00"));
    const first = nowMs();
    assert.ok(Math.abs(first - Date.UTC(2028, 1, 29, 5)) < 1000);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(nowMs() >= first + 15, "it moves");
    assert.equal(todayInVietnam(), "2028-02-29");
  });

  test("bad instants are refused", () => {
    assert.throws(() => fixedClock("not a date"));
    assert.throws(() => startingAt("2026-13-45"));
  });
});
