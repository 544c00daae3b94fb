import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { useCliDatabase } from "./helpers/cli-database.ts";
import { SAMPLE } from "./helpers/sample.ts";

/** `bdhvs privacy export|erase` from the shell, on the embedded database or PostgreSQL. */
describe("bdhvs privacy", () => {
  const cli = useCliDatabase("bdhvs-cli-privacy-");
  const { dir, run } = cli;
  let person: { id: number; cid: string; name: string };
  const query = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => {
    const database = await openDatabase(cli.target);
    try {
      return ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;
    } finally {
      await database.close();
    }
  };

  before(async () => {
    for (const [kind, file] of [
      ["villages", "villages.csv"],
      ["units", "units.csv"],
      ["households", "households.csv"],
      ["residents", "residents.xlsx"],
      ["certifications", "certifications.csv"],
    ]) {
      const r = await run(["import", kind!, path.join(SAMPLE, file!)]);
      assert.equal(r.code, 0, r.stderr);
    }
    const found = await query<{ id: number; cid: string; name: string }>(
      sql`select r.id, r.citizen_id as cid, r.full_name as name from residents r
          where r.citizen_id is not null and exists (select 1 from certifications c where c.resident_id = r.id)
          order by r.id limit 1`,
    );
    assert.ok(found[0]);
    person = found[0];
  });

  test("export writes every section; erase removes the person; a second erase and bad ids are clear messages", async () => {
    const out = path.join(dir, "nguoi.json");
    let r = await run(["privacy", "export", "--citizen-id", person.cid, "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Đã xuất dữ liệu của người dân số ${person.id} vào`));
    const data = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown> & {
      resident: { full_name: string };
    };
    assert.equal(data.resident.full_name, person.name);
    for (const k of ["household", "certifications", "attendance", "visits", "assessments", "audit"])
      assert.ok(k in data, k);
    assert.equal(fs.statSync(out).mode & 0o777, 0o600);

    r = await run(["privacy", "erase", "--resident", String(person.id)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Hãy cho biết lý do xóa/);
    r = await run(["privacy", "erase", "--citizen-id", "12345", "--reason", "Yêu cầu số 3"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /“12345” không phải số căn cước/);
    r = await run(["privacy", "erase", "--resident", "999999", "--reason", "Yêu cầu số 3"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Không có người dân số 999999 trong xã/);
    r = await run(["privacy", "erase", "--resident", "1", "--citizen-id", person.cid, "--reason", "x"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /đúng một người/);
    const [{ n }] = (await query<{ n: number }>(
      sql`select count(*)::int as n from residents where id = ${person.id}`,
    )) as [{ n: number }];
    assert.equal(n, 1, "nothing changed");

    r = await run([
      "privacy",
      "erase",
      "--citizen-id",
      person.cid,
      "--reason",
      "Yêu cầu số 3 ngày 20/11/2026",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Đã xóa dữ liệu của người dân số ${person.id}: \\d+ chứng nhận`));
    const left = await query<{ n: number }>(
      sql`select (select count(*) from residents where id = ${person.id}) + (select count(*) from certifications where resident_id = ${person.id})
            + (select count(*) from audit_events where after::text like ${`%${person.cid}%`}) as n`,
    );
    assert.equal(Number(left[0]!.n), 0);
    r = await run(["privacy", "erase", "--resident", String(person.id), "--reason", "lần hai"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /đã được xóa theo yêu cầu ngày/);
  });
});
