import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import { buildCommune, buildUser } from "../../../test/helpers/factories.ts";
import type { Database } from "../../db/client.ts";
import { ImportJobs, type NewJob } from "./jobs.ts";

let database: Database;
let who: { communeId: number; userId: number };

before(async () => {
  database = await createTestDatabase();
  const commune = await buildCommune(database.db);
  const { user } = await buildUser(database.db, { role: "coordinator", commune });
  who = { communeId: commune.id, userId: user.id };
});
after(() => database.close());

const job = (phase: NewJob["phase"], uploadId: string): NewJob => ({
  ...who,
  kind: "villages",
  phase,
  uploadId,
  fileName: "thon.csv",
});

describe("import jobs", () => {
  test("a job read as ended is ended everywhere: the next job starts at once (the check, then its commit)", async () => {
    const jobs = new ImportJobs(database);
    for (let round = 0; round < 5; round++) {
      const check = await jobs.start(job("check", `u${round}`), async () => ({}));
      assert.ok(check, `round ${round}: the check starts`);
      // The progress page as a user reloads it, as often as the event loop lets it.
      let seen: string = check.state;
      while (seen === "running") {
        await tick();
        seen = (await jobs.find(check.id, who))?.state ?? "gone";
      }
      assert.equal(seen, "done");
      // What the user does next, at once: commit. Nothing of the ended check holds the place.
      assert.equal(
        await jobs.runningOf(who),
        undefined,
        `round ${round}: no running job once the check reads done`,
      );
      const commit = await jobs.start(job("commit", `u${round}`), async () => ({}));
      assert.ok(commit, `round ${round}: the commit starts`);
      while ((await jobs.find(commit.id, who))?.state === "running") await tick();
    }
  });

  test("one running job a user: a second is refused while the first runs", async () => {
    const jobs = new ImportJobs(database);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = await jobs.start(job("check", "a"), async () => {
      await held;
      return {};
    });
    assert.ok(first);
    assert.equal((await jobs.runningOf(who))?.id, first.id);
    assert.equal(await jobs.start(job("check", "b"), async () => ({})), undefined);
    release();
    while ((await jobs.find(first.id, who))?.state === "running") await tick();
    assert.equal(await jobs.runningOf(who), undefined);
  });
});
