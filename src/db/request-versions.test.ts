import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase } from "../../test/helpers/db.ts";
import { buildCommune, buildVillage } from "../../test/helpers/factories.ts";
import type { Database } from "./client.ts";
import { readingOnce, rememberVersions, versionsOf } from "./data-version.ts";

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
