/**
 * The embedded database's named statements (pglite-statements.ts) answer exactly as PGlite's own
 * `query()`: the same rows for every type the app stores, the same affected rows, the same errors
 * with their SQLSTATE, inside and outside a transaction; and no statement outlives a table change
 * or the cap on how many are kept. PGlite only: PostgreSQL's driver is not involved.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PGlite, type QueryOptions } from "@electric-sql/pglite";
import { PreparedStatements } from "./pglite-statements.ts";

let pg: PGlite;
let statements: PreparedStatements;
/** How many named statements PostgreSQL holds, asked through PGlite's unnamed path. */
const held = async () =>
  (await pg.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements")).rows[0]!.n;

before(async () => {
  pg = await PGlite.create();
  statements = new PreparedStatements(pg, 4);
  await pg.exec(`
    create table things (
      id serial primary key, code text unique not null, n bigint, born date, at timestamptz,
      ok boolean, tags text[], nums int[], data jsonb, raw json, price numeric(10, 2), note text
    );
    insert into things (code, n, born, at, ok, tags, nums, data, raw, price, note) values
      ('a', 9007199254740993, '1950-02-28', '2026-12-04 10:00:00+07', true, '{x,"y z"}', '{1,2}',
       '{"k": [1, "hai"]}', '{"v": 1}', 12.50, 'Nguyễn Thị Hồng'),
      ('b', null, null, null, null, null, null, null, null, null, null);
  `);
});
after(() => pg.close());

async function same(sql: string, params: unknown[] = [], options: QueryOptions = {}) {
  const expected = await pg.query(sql, params, options);
  const got = await statements.query(pg, sql, params, options);
  assert.deepEqual(got.rows, expected.rows, sql);
  assert.deepEqual(got.fields, expected.fields, sql);
  assert.equal(got.affectedRows ?? 0, expected.affectedRows ?? 0, sql);
  return got;
}

describe("named statements on the embedded database", () => {
  test("answer as query() does, for every type, both row modes and a call's own parsers", async () => {
    await same("select * from things order by id");
    await same("select * from things order by id", [], { rowMode: "array" });
    await same("select born, at, data from things where id = $1", [1], {
      parsers: { 1082: (v) => v, 3802: (v) => v },
    });
    await same("select id, code as id from things order by 1"); // one name twice: the last wins
    const got = await same("select code, note from things where code = any($1) and at < $2 and ok = $3", [
      ["a", "c"],
      new Date("2027-01-01T00:00:00Z"),
      true,
    ]);
    assert.equal((got.rows[0] as { note: string }).note, "Nguyễn Thị Hồng");
    await same("select $1::jsonb as j, $2::int[] as a, $3::text as t, $4::date as d", [
      { a: [1] },
      [3, 4],
      null,
      "2026-01-31",
    ]);
    await same("select 1 where false");
    await same("with x as (select count(*) from things) select * from x");
  });

  test("one statement, parsed once, answers each run's parameters", async () => {
    const sql = "select code from things where id = $1";
    for (const [id, code] of [
      [1, "a"],
      [2, "b"],
      [1, "a"],
    ] as const)
      assert.deepEqual((await statements.query(pg, sql, [id], {})).rows, [{ code }]);
    const named = await pg.query("select name from pg_prepared_statements where statement = $1", [sql]);
    assert.equal(named.rows.length, 1);
  });

  test("writes count their rows; returning gives them", async () => {
    const inserted = await statements.query(
      pg,
      "insert into things (code) values ($1), ($2) returning code",
      ["c", "d"],
      {},
    );
    assert.deepEqual(inserted.rows, [{ code: "c" }, { code: "d" }]);
    assert.equal(inserted.affectedRows, 2);
    const updated = await statements.query(
      pg,
      "update things set note = $1 where code in ('c', 'd', 'e')",
      ["x"],
      {},
    );
    assert.deepEqual([updated.affectedRows, updated.rows, updated.fields], [2, [], []]);
    assert.equal(
      (await statements.query(pg, "delete from things where code = $1", ["nothing"], {})).affectedRows,
      0,
    );
    assert.equal(
      (await statements.query(pg, "delete from things where code in ($1, $2)", ["c", "d"], {})).affectedRows,
      2,
    );
    // The same counts as query()'s, on rows written again.
    await pg.query("insert into things (code) values ('c'), ('d')");
    await same("update things set note = $1 where code in ('c', 'd')", ["y"]);
    await pg.query("delete from things where code in ('c', 'd')");
  });

  test("errors keep PostgreSQL's fields and leave the statement usable", async () => {
    const insert = "insert into things (code) values ($1)";
    await assert.rejects(statements.query(pg, insert, ["a"], {}), (err: Record<string, unknown>) => {
      assert.equal(err.code, "23505");
      assert.equal(err.constraint, "things_code_key");
      assert.match(String(err.detail), /\(code\)=\(a\)/);
      return true;
    });
    await assert.rejects(statements.query(pg, "select nope from things", [], {}), { code: "42703" });
    await assert.rejects(statements.query(pg, "select from where", [], {}), { code: "42601" });
    await statements.query(pg, insert, ["e"], {});
    assert.deepEqual(
      (await statements.query(pg, "select count(*)::int as n from things where code = $1", ["e"], {})).rows,
      [{ n: 1 }],
    );
    await pg.query("delete from things where code = 'e'");
  });

  test("inside a transaction: its rows are seen, an error aborts it, a rollback undoes it", async () => {
    await assert.rejects(
      pg.transaction(async (tx) => {
        await statements.query(tx, "insert into things (code) values ($1)", ["t1"], {});
        const seen = await statements.query(tx, "select code from things where code = $1", ["t1"], {});
        assert.equal(seen.rows.length, 1);
        await assert.rejects(statements.query(tx, "insert into things (code) values ($1)", ["t1"], {}), {
          code: "23505",
        });
        await assert.rejects(statements.query(tx, "select code from things where code = $1", ["t1"], {}), {
          code: "25P02",
        });
        throw new Error("undo");
      }),
      /undo/,
    );
    assert.equal(
      (await statements.query(pg, "select code from things where code = $1", ["t1"], {})).rows.length,
      0,
    );
  });

  test("a table change reaches every statement: through query(), exec(), or from outside", async () => {
    const all = "select * from things where id = $1";
    const columns = async () => (await statements.query(pg, all, [1], {})).fields.map((f) => f.name);
    assert.ok(!(await columns()).includes("extra1"));
    await statements.query(pg, "alter table things add column extra1 int", [], {});
    assert.ok((await columns()).includes("extra1"));
    await pg.exec("alter table things add column extra2 int");
    await statements.afterExec(pg, "alter table things add column extra2 int");
    assert.ok((await columns()).includes("extra2"));
    // Changed behind its back: PostgreSQL refuses the old statement, it is parsed again.
    await pg.exec("alter table things add column extra3 int");
    assert.ok((await columns()).includes("extra3"));
  });

  test("at most the cap is kept, the least recently used closed first", async () => {
    for (let i = 0; i < 10; i++) await statements.query(pg, `select ${i} as i`, [], {});
    assert.equal(statements.size, 4);
    assert.equal(await held(), 4);
    // Evicted inside a transaction: closed after it, when nothing can abort the close.
    await pg.transaction(async (tx) => {
      for (let i = 10; i < 13; i++) await statements.query(tx, `select ${i} as i`, [], {});
    });
    await statements.query(pg, "select 13 as i", [], {});
    assert.equal(statements.size, 4);
    assert.equal(await held(), 4);
    assert.deepEqual((await statements.query(pg, "select 0 as i", [], {})).rows, [{ i: 0 }]);
  });
});
