import assert from "node:assert/strict";
import { test } from "node:test";
import { columnsOf } from "./rows.ts";
import { villages } from "./schema.ts";

test("columnsOf names exactly the columns asked for, in that order", () => {
  const cols = columnsOf(villages, "code", "name");
  assert.deepEqual(Object.keys(cols), ["code", "name"]);
  assert.equal(cols.code, villages.code);
  assert.equal(cols.name, villages.name);
});
