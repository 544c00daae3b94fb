import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { createTestDatabase } from "../../test/helpers/db.ts";
import { buildCommune, buildVillage } from "../../test/helpers/factories.ts";
import type { Scope } from "../features/auth/policy.ts";
import { fixedClock, resetClock, setClock } from "../lib/clock.ts";
import type { Database, Db } from "./client.ts";
import { columnsOf, findRowBy, recordWriters, scopedRecords } from "./rows.ts";
import { communes, villages } from "./schema.ts";
import { scopeWhere } from "./scope.ts";

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  resetClock();
  await database.close();
});

test("columnsOf names exactly the columns asked for, in that order", () => {
  const cols = columnsOf(villages, "code", "name");
  assert.deepEqual(Object.keys(cols), ["code", "name"]);
  assert.equal(cols.code, villages.code);
  assert.equal(cols.name, villages.name);
});

test("findRowBy finds the row whose named columns all match, and nothing when one differs", async () => {
  const db = database.db;
  const [a, b] = [await buildCommune(db), await buildCommune(db)];
  const mine = await buildVillage(db, { commune: a, code: "THON-1" });
  await buildVillage(db, { commune: b, code: "THON-1" });
  const fields = { id: villages.id, code: villages.code };
  assert.deepEqual(await findRowBy(db, villages, fields, { communeId: a.id, code: "THON-1" }), {
    id: mine.id,
    code: "THON-1",
  });
  assert.equal(await findRowBy(db, villages, fields, { communeId: a.id, code: "THON-2" }), undefined);
});

test("scopedRecords' find opens a record of the scope only", async () => {
  const db = database.db;
  const [a, b] = [await buildCommune(db), await buildCommune(db)];
  const [mine, theirs] = [await buildVillage(db, { commune: a }), await buildVillage(db, { commune: b })];
  const records = scopedRecords({
    select: (d: Db) =>
      d
        .select({ code: villages.code, commune: communes.code })
        .from(villages)
        .innerJoin(communes, eq(communes.id, villages.communeId))
        .$dynamic(),
    id: villages.id,
    scope: (scope: Scope) => scopeWhere(scope, { commune: villages.communeId }),
  });
  const scope: Scope = { kind: "commune", communeId: a.id };
  assert.deepEqual(await records.find(db, scope, mine.id), { code: mine.code, commune: a.code });
  assert.equal(await records.find(db, scope, theirs.id), undefined);
  assert.equal((await records.find(db, { kind: "installation" }, theirs.id))?.commune, b.code);
});

test("recordWriters insert, update (with updated_at from the clock) and delete one row by id", async () => {
  const db = database.db;
  const commune = await buildCommune(db);
  const writes = recordWriters<typeof villages, { communeId: number; code: string; name: string }>(villages);
  const id = await writes.insert(db, { communeId: commune.id, code: "THON-W", name: "Thôn Một" });
  const at = new Date("2026-05-01T03:00:00Z");
  setClock(fixedClock(at));
  await writes.update(db, id, { name: "Thôn Hai" });
  const read = () => findRowBy(db, villages, { name: villages.name, updatedAt: villages.updatedAt }, { id });
  assert.deepEqual(await read(), { name: "Thôn Hai", updatedAt: at });
  await writes.delete(db, id);
  assert.equal(await read(), undefined);
});
