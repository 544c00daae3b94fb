/**
 * The embedded database in its own thread (pglite-proxy.ts ↔ pglite-worker.ts): what the app relied
 * on when PGlite ran in its thread still holds — transactions commit or roll back whole, a statement
 * from outside waits for an open transaction and never sees its rows, errors keep their SQLSTATE,
 * and the data folder's lock, migrations and dump work. On TEST_DATABASE_URL the same statements
 * run on PostgreSQL (the dump and the lock are PGlite's only).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createTestDatabase, testDatabaseUrl } from "../../test/helpers/db.ts";
import { isForeignKeyViolation } from "../lib/errors.ts";
import { type Database, openDatabase } from "./client.ts";
import { DataDirInUseError } from "./lock.ts";

let database: Database;
const rowsOf = async (q: Promise<unknown>) => ((await q) as { rows: Record<string, unknown>[] }).rows;

before(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`create table t_parent (id int primary key)`);
  await database.db.execute(
    sql`create table t_child (id int primary key, parent int references t_parent(id))`,
  );
});
after(() => database.close());

describe("the database behind its thread", () => {
  test("a transaction commits whole; one that throws leaves nothing; a savepoint rolls back alone", async () => {
    const { db } = database;
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into t_parent values (1)`);
      await tx.transaction(async (inner) => {
        await inner.execute(sql`insert into t_parent values (2)`);
      });
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into t_parent values (3)`);
          throw new Error("undo 3");
        })
        .catch(() => {});
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into t_parent values (4)`);
        throw new Error("undo all");
      }),
      /undo all/,
    );
    const rows = await rowsOf(db.execute(sql`select id from t_parent order by id`));
    assert.deepEqual(
      rows.map((r) => r.id),
      [1, 2],
    );
  });

  test("a statement from outside waits for an open transaction and never reads its uncommitted rows", async () => {
    const { db } = database;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedP = new Promise<void>((resolve) => (inserted = resolve));
    const txDone = db.transaction(async (tx) => {
      await tx.execute(sql`insert into t_parent values (10)`);
      inserted();
      await gate;
      throw new Error("rolled back");
    });
    await insertedP;
    const outside = rowsOf(db.execute(sql`select count(*)::int as n from t_parent where id = 10`));
    release();
    await assert.rejects(txDone, /rolled back/);
    assert.deepEqual(await outside, [{ n: 0 }]);
  });

  test("errors keep their SQLSTATE through drizzle's wrapper (a foreign key refused: 23503)", async () => {
    const { db } = database;
    const err = await db.execute(sql`insert into t_child values (1, 999)`).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isForeignKeyViolation(err), String(err));
    // The connection goes on working after a failed statement inside a transaction.
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into t_child values (2, 998)`);
      }),
    );
    assert.deepEqual(await rowsOf(db.execute(sql`select 1 as one`)), [{ one: 1 }]);
  });

  test("values cross unchanged: dates and instants as text, json, bytea, arrays, nulls", async () => {
    const rows = await rowsOf(
      database.db.execute(
        sql`select '2026-06-15'::date as d, '2026-06-15 09:00:00+07'::timestamptz as at, '{"a":[1,"b"]}'::jsonb as j,
                   '\\x00ff'::bytea as b, array[1,2]::int[] as xs, null::text as nothing, ${"Nguyễn Văn Á"}::text as name`,
      ),
    );
    const r = rows[0]!;
    assert.equal(r.d, "2026-06-15");
    assert.match(String(r.at), /^2026-06-15 02:00:00(\+00)?/);
    assert.deepEqual(r.j, { a: [1, "b"] });
    assert.deepEqual([...(r.b as Uint8Array)], [0, 255]);
    assert.deepEqual(r.xs, [1, 2]);
    assert.equal(r.nothing, null);
    assert.equal(r.name, "Nguyễn Văn Á");
  });

  test("many statements at once all answer, in order", async () => {
    const ns = await Promise.all(
      Array.from({ length: 200 }, (_, i) => rowsOf(database.db.execute(sql`select ${i}::int as n`))),
    );
    assert.deepEqual(
      ns.map((r) => r[0]!.n),
      Array.from({ length: 200 }, (_, i) => i),
    );
  });
});

describe("the embedded data folder", { skip: testDatabaseUrl ? "PGlite only" : false }, () => {
  test("is locked while open, migrates, dumps, opens again (in either thread) and from the dump", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-proxy-"));
    try {
      const first = await openDatabase({ dataDir: dir });
      await assert.rejects(openDatabase({ dataDir: dir }), DataDirInUseError);
      await first.migrate();
      await first.db.execute(sql`create table kept (x text)`);
      await first.db.execute(sql`insert into kept values ('còn đây')`);
      const dump = await first.dump!();
      await first.close();
      const again = await openDatabase({ dataDir: dir });
      assert.deepEqual(await rowsOf(again.db.execute(sql`select x from kept`)), [{ x: "còn đây" }]);
      await again.close();
      // The same folder in the caller's thread (a CLI import opens it so).
      const inThread = await openDatabase({ dataDir: dir, pgliteThread: "caller" });
      assert.deepEqual(await rowsOf(inThread.db.execute(sql`select x from kept`)), [{ x: "còn đây" }]);
      await inThread.close();
      const fromDump = await openDatabase({ template: dump });
      assert.deepEqual(await rowsOf(fromDump.db.execute(sql`select x from kept`)), [{ x: "còn đây" }]);
      await fromDump.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
