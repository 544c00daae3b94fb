import assert from "node:assert/strict";
import { test } from "node:test";
import { periodWords } from "./period-words.ts";

test("a report period in words, never its code, in both languages", () => {
  const cases: [string, string, string][] = [
    ["2026", "Năm 2026", "2026"],
    ["2026-Q1", "Quý I/2026", "Q1 2026"],
    ["2026-Q4", "Quý IV/2026", "Q4 2026"],
    ["2026-09", "Tháng 9/2026", "September 2026"],
  ];
  for (const [code, vi, en] of cases) {
    assert.equal(periodWords("vi", code), vi, code);
    assert.equal(periodWords("en", code), en, code);
  }
  assert.equal(periodWords("vi", "2026-Q5"), "2026-Q5", "a code that does not parse is shown as it is");
});
