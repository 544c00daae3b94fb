import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { createTestDatabase } from "../../test/helpers/db.ts";
import { buildCommune, buildVillage } from "../../test/helpers/factories.ts";
import type { Database } from "./client.ts";
import { readingOnce, rememberVersions, trackWrites, versionsOf } from "./data-version.ts";

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

test("a reading request reads a commune's versions once; outside one, every read is fresh", async () => {
  const db = database.db;
  const commune = await buildCommune(db, { code: "RV1", name: "Xã Đọc Một Lần" });
  const other = await buildCommune(db, { code: "RV2", name: "Xã Khác" });
  const start = await versionsOf(db, commune.id);
  await readingOnce(async () => {
    const first = await versionsOf(db, commune.id);
    assert.deepEqual(first, start);
    await buildVillage(db, { commune, code: "T01", name: "Thôn Một" });
    // The rest of the request keeps what it read first: the answers it keeps are never older.
    assert.deepEqual(await versionsOf(db, commune.id), first);
    // Another commune's versions are read for themselves.
    assert.deepEqual(await versionsOf(db, other.id), await versionsOf(db, other.id));
  });
  const now = await versionsOf(db, commune.id);
  assert.ok(now.registry > start.registry, "a read after the request sees the write");
  assert.ok(now.all > start.all);
  // Two requests at once each read their own.
  const seen = await Promise.all([
    readingOnce(() => versionsOf(db, commune.id)),
    readingOnce(async () => {
      await buildVillage(db, { commune, code: "T02", name: "Thôn Hai" });
      return versionsOf(db, commune.id);
    }),
  ]);
  assert.ok(seen[1].registry > now.registry);
});

test("the versions read with the session serve the request; they are not remembered outside one", async () => {
  const db = database.db;
  const commune = await buildCommune(db, { code: "RV3", name: "Xã Phiên" });
  const read = await versionsOf(db, commune.id);
  const told = { ...read, all: read.all + 1000 };
  await readingOnce(async () => {
    rememberVersions(db, commune.id, told);
    assert.deepEqual(await versionsOf(db, commune.id), told);
  });
  rememberVersions(db, commune.id, told);
  assert.deepEqual(await versionsOf(db, commune.id), read);
});

test("PGlite in its own thread: the versions row is read again only after a write has answered", async (t) => {
  if (database.kind !== "pglite") return t.skip("PostgreSQL: other processes write; every read is fresh");
  const db = database.db;
  const commune = await buildCommune(db, { code: "RV4", name: "Xã Một Luồng" });
  const raise = sql`update data_versions set version = version + 1, registry_version = registry_version + 1
    where commune_id = ${commune.id}`;
  // Each kind of write the proxy answers moves the next read on: a statement, a transaction, a
  // transaction rolled back (counted too: the count is conservative), a statement that fails.
  const before = await versionsOf(db, commune.id);
  await buildVillage(db, { commune, code: "T01", name: "Thôn Một" });
  const afterInsert = await versionsOf(db, commune.id);
  assert.ok(afterInsert.registry > before.registry);
  await db.execute(raise);
  const afterUpdate = await versionsOf(db, commune.id);
  assert.equal(afterUpdate.all, afterInsert.all + 1);
  await db.transaction(async (tx) => {
    await tx.execute(raise);
  });
  const afterTransaction = await versionsOf(db, commune.id);
  assert.equal(afterTransaction.all, afterUpdate.all + 1);
  await assert.rejects(
    db.execute(sql`update data_versions set version = 1 / 0 where commune_id = ${commune.id}`),
  );
  assert.deepEqual(await versionsOf(db, commune.id), afterTransaction);
  // A write in a statement that starts as a read (a writing CTE) counts as a write.
  await db.execute(
    sql`with w as (update data_versions set version = version + 1 where commune_id = ${commune.id} returning 1) select count(*) from w`,
  );
  assert.equal((await versionsOf(db, commune.id)).all, afterTransaction.all + 1);

  // While the count stands still, the row read is kept: told by a counter that never moves, a
  // change made behind it is not seen, and is once the counter moves.
  // (On a database of its own, so that this one keeps its real count.)
  const own = await createTestDatabase();
  t.after(() => own.close());
  const c2 = await buildCommune(own.db, { code: "RV5", name: "Xã Đếm" });
  await buildVillage(own.db, { commune: c2, code: "T01", name: "Thôn Một" });
  let writes = 0;
  trackWrites(own.db, () => writes);
  const kept = await versionsOf(own.db, c2.id);
  await own.db.execute(sql`update data_versions set version = version + 1 where commune_id = ${c2.id}`);
  assert.deepEqual(await versionsOf(own.db, c2.id), kept, "kept while the count stands still");
  writes++;
  assert.equal((await versionsOf(own.db, c2.id)).all, kept.all + 1);
});
