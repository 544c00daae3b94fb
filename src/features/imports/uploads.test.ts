import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import { buildCommune, buildUser } from "../../../test/helpers/factories.ts";
import type { Database } from "../../db/client.ts";
import { fixedClock, resetClock, setClock } from "../../lib/clock.ts";
import { ImportJobs, type NewJob } from "./jobs.ts";
import { findUpload, readUploadFile, saveUpload, storeUploadPart, touchUpload } from "./uploads.ts";

let database: Database;
let who: { communeId: number; userId: number };
const file = (name: string) => new File(["Mã thôn,Tên thôn\nT01,Thôn Một\n"], name);

before(async () => {
  database = await createTestDatabase();
  const commune = await buildCommune(database.db);
  const { user } = await buildUser(database.db, { role: "coordinator", commune });
  who = { communeId: commune.id, userId: user.id };
});
after(() => database.close());

describe("uploads waiting for their commit (in the database, issue 18.4)", () => {
  afterEach(() => resetClock());

  test("keep their bytes, bound to their uploader; large files in several chunks", async () => {
    const db = database.db;
    const big = `Mã thôn,Tên thôn\n${"T01,Thôn Một có tên dài\n".repeat(40_000)}`; // ~1 MB: 4+ chunks
    const up = await saveUpload(db, new File([big], "Thon.CSV"), { kind: "villages", ...who });
    assert.equal(up.ext, ".csv");
    const found = await findUpload(db, up.id, who);
    assert.ok(found);
    assert.equal((await readUploadFile(db, found, "source"))!.toString("utf8"), big);
    assert.equal(await findUpload(db, up.id, { ...who, userId: who.userId + 1000 }), undefined);
    assert.equal(await findUpload(db, "z".repeat(32), who), undefined);
    assert.equal(await readUploadFile(db, found, "errors"), undefined);
  });

  test("expire two hours after they were saved or touched, by the app's clock, with their errors", async () => {
    const db = database.db;
    const clock = fixedClock("2027-01-01T00:30:00+07:00");
    setClock(clock);
    const meta = { kind: "villages" as const, ...who };
    const old = await saveUpload(db, file("a.csv"), meta);
    const touched = await saveUpload(db, file("b.csv"), meta);
    const errors = new URL(`file://${process.cwd()}/package.json`).pathname;
    await storeUploadPart(db, old, "errors", errors);
    clock.advance(90 * 60_000);
    await touchUpload(db, touched);
    clock.advance(31 * 60_000);
    const fresh = await saveUpload(db, file("c.csv"), meta); // each new upload sweeps the old ones
    assert.equal(
      await findUpload(db, old.id, who, { fileGone: true }),
      undefined,
      "saved 2 h 1 min ago: gone",
    );
    assert.equal(await readUploadFile(db, old, "errors"), undefined, "with its errors file");
    assert.ok(await findUpload(db, touched.id, who), "touched 31 min ago: kept");
    assert.ok(await findUpload(db, fresh.id, who));
    clock.advance(2 * 3_600_000 + 1000);
    await saveUpload(db, file("d.csv"), meta);
    assert.equal(await findUpload(db, touched.id, who), undefined);
    assert.equal(await findUpload(db, fresh.id, who), undefined);
  });
});

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
