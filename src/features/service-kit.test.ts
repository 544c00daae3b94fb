import assert from "node:assert/strict";
import { test } from "node:test";
import { containsPattern, escapeLike } from "../db/rows.ts";
import { AppError, msg } from "../lib/errors.ts";
import { RowChecker } from "../lib/row-checker.ts";
import { checkedValue, listPage, pageWindow } from "./service-kit.ts";

test("a page from 1 is the rows after the earlier pages", () => {
  assert.deepEqual(pageWindow({ page: 1, pageSize: 50 }), { limit: 50, offset: 0 });
  assert.deepEqual(pageWindow({ page: 3, pageSize: 20 }), { limit: 20, offset: 40 });
});

test("a repo's page is presented with its numbers", () => {
  const page = listPage({ items: [{ n: 1 }, { n: 2 }], total: 7 }, (r) => r.n * 10, { page: 2, pageSize: 2 });
  assert.deepEqual(page, { items: [10, 20], total: 7, page: 2, pageSize: 2 });
});

test("like patterns take %, _ and \\ literally", () => {
  assert.equal(escapeLike("50%_a\\b"), "50\\%\\_a\\\\b");
  assert.equal(containsPattern("T01_"), "%T01\\_%");
});

test("a checked value is returned; a failed check is a validation error naming every field", () => {
  const ok = new RowChecker();
  assert.deepEqual(checkedValue(ok, { code: "T01" }), { code: "T01" });
  const bad = new RowChecker();
  bad.fail("code", msg("error.validation"));
  bad.fail("name", msg("error.validation"));
  assert.throws(
    () => checkedValue(bad, undefined),
    (err: unknown) =>
      err instanceof AppError &&
      err.code === "validation" &&
      Object.keys(err.fields).sort().join() === "code,name",
  );
});
