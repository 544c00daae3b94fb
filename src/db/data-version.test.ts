import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase } from "../../test/helpers/db.ts";
import { buildCommune } from "../../test/helpers/factories.ts";
import type { Database } from "./client.ts";
import { computationsOf, keptAnswersOf, knownByVersion, setKeptAnswersBudget } from "./data-version.ts";

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  setKeptAnswersBudget(64 * 1024 * 1024);
  await database.close();
});

test("the kept answers stay within their weight budget: the least recently used go first", async () => {
  const db = database.db;
  const commune = await buildCommune(db, { code: "KW1", name: "Xã Cân Nặng" });
  // Each answer weighs ~10 KB as JSON (a Map's entries count as an array's); the budget holds three.
  setKeptAnswersBudget(35_000);
  const ask = (key: string) =>
    knownByVersion({
      db,
      communeId: commune.id,
      key,
      label: "weighed",
      compute: async () => new Map([[key, "x".repeat(10_000)]]),
    });
  for (const key of ["a", "b", "c"]) await ask(key);
  assert.equal(computationsOf("weighed"), 3);
  const three = keptAnswersOf(db);
  assert.ok(three.weight >= 30_000 && three.weight <= 35_000, `three answers weigh ${three.weight}`);
  await ask("a"); // used again: now the most recent
  assert.equal(computationsOf("weighed"), 3, "a is still kept");
  await ask("d"); // over the budget: b, the least recently used, goes
  assert.ok(keptAnswersOf(db).weight <= 35_000, `kept ${keptAnswersOf(db).weight}`);
  await ask("a");
  await ask("c");
  await ask("d");
  assert.equal(computationsOf("weighed"), 4, "a, c and d are kept");
  await ask("b");
  assert.equal(computationsOf("weighed"), 5, "b was dropped and is computed again");
  // An answer heavier than the whole budget is kept alone rather than never.
  setKeptAnswersBudget(5_000);
  await ask("e");
  const alone = keptAnswersOf(db);
  assert.ok(alone.weight >= 10_000 && alone.weight < 20_000, `the heavy answer alone: ${alone.weight}`);
  await ask("e");
  assert.equal(computationsOf("weighed"), 6, "e is kept");
});
