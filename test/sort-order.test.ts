/**
 * Issue 17 point 1: lists, exports and prints sort names in Intl.Collator('vi') order, given name
 * first (SPEC §4), on PGlite and PostgreSQL alike: the database's sort keys (drizzle/0011) are the
 * app's (src/lib/collation.ts), and the API lists come out in that order.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { households, residents, villages } from "../src/db/schema.ts";
import { exportRecords } from "../src/features/exports/service.ts";
import { compareNames, compareText, nameSortKey, sortKey, sortKeyTables } from "../src/lib/collation.ts";
import { apiToken, bearer, createTestApp, type TestApp } from "./helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildTeam,
  buildTeamMember,
  buildUnit,
  buildUser,
  buildVillage,
  TEST_PASSWORD,
} from "./helpers/factories.ts";

let t: TestApp;
let token: string;

const NAMES = [
  "Nguyễn Văn Đạt",
  "Nguyễn Văn Dũng",
  "Trần Thị Ăn",
  "Lê Văn An",
  "Phạm Thị Ân",
  "Hồ Văn Ê",
  "Đỗ Văn E",
  "Vũ Thị Ơn",
  "Bùi Văn Ôn",
  "Ngô Văn On",
  "Dương Văn Ưng",
  "Lý Văn Ung",
  "Đặng Thị Ánh",
  "Võ Thị Anh",
  "Hoàng Thị Ạnh",
];
const VILLAGES = ["Thôn Đông", "Thôn Dốc", "Thôn Ấp Mới", "Thôn An", "Thôn Ơn", "Thôn Ông"];

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  const villages = [];
  for (const [i, name] of VILLAGES.entries())
    villages.push(await buildVillage(t.db, { commune, code: `V${i}`, name }));
  for (const [i, name] of NAMES.entries()) {
    // Codes in the reverse of name order, so code order cannot pass for name order.
    const household = await buildHousehold(t.db, {
      village: villages[i % villages.length]!,
      code: `H${99 - i}`,
      headName: name,
    });
    await buildResident(t.db, { household, fullName: name });
  }
  await buildHousehold(t.db, { village: villages[0]!, code: "H00" }); // no head: last
  const team = await buildTeam(t.db, { village: villages[0]! });
  for (const name of NAMES.slice(0, 6)) await buildTeamMember(t.db, { team, fullName: name, role: "member" });
  for (const name of ["Trường Tiểu học Đông", "Trường Tiểu học Dốc", "Ấp Mới"])
    await buildUnit(t.db, { commune, name });
  const { user } = await buildUser(t.db, { role: "admin", commune, displayName: "Đinh Văn Đạt" });
  await buildUser(t.db, { role: "coordinator", commune, displayName: "Đinh Văn Dũng" });
  token = await apiToken(t.app, user.username, TEST_PASSWORD);
});
after(() => t.close());

const getJson = async <T>(path: string): Promise<T> => {
  const res = await t.app.request(path, { headers: bearer(token) });
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
};

describe("Vietnamese order on the database", () => {
  test("the database's keys are the app's, for every character of the tables and many names", async () => {
    const texts = [
      ...NAMES,
      ...VILLAGES,
      sortKeyTables().from,
      "Nguyễn  Văn",
      "O'Brien Nguyễn",
      "Ngọc-Ánh",
      "A1 b2",
    ];
    for (const text of texts) {
      const result = (await t.db.execute(
        sql`select vi_sort_key(${text}) as k, vi_name_sort_key(${text}) as n`,
      )) as unknown as { rows: { k: string; n: string }[] };
      assert.equal(result.rows[0]!.k, sortKey(text), text);
      assert.equal(result.rows[0]!.n, nameSortKey(text), text);
    }
  });

  test("a key the app did not give is the trigger's: on insert, and when the name changes but the key does not", async () => {
    const [r] = await t.db
      .insert(residents)
      .values({
        communeId: t.commune.id,
        villageId: (await t.db.select({ id: villages.id }).from(villages).limit(1))[0]!.id,
        householdId: (await t.db.select({ id: households.id }).from(households).limit(1))[0]!.id,
        fullName: "Tạm Thời Đạt",
        nameSearch: "tam thoi dat",
        birthDate: "1990-01-01",
        gender: "male",
      })
      .returning({ id: residents.id, key: residents.nameSort });
    assert.equal(r!.key, nameSortKey("Tạm Thời Đạt"));
    const [renamed] = await t.db
      .update(residents)
      .set({ fullName: "Tạm Thời Dũng" })
      .where(eq(residents.id, r!.id))
      .returning({ key: residents.nameSort });
    assert.equal(renamed!.key, nameSortKey("Tạm Thời Dũng"));
    await t.db.delete(residents).where(eq(residents.id, r!.id));
  });

  test("residents list: given name first, đ after d, ă/â after a, ơ/ô after o, ư after u, tones second", async () => {
    const r = await getJson<{ items: { full_name: string }[] }>("/api/v1/residents?pageSize=100");
    const got = r.items.map((i) => i.full_name);
    assert.deepEqual(got, [...NAMES].sort(compareNames));
    assert.ok(got.indexOf("Nguyễn Văn Dũng") < got.indexOf("Nguyễn Văn Đạt"));
    assert.deepEqual(
      got.filter((n) => / (An|Anh|Ánh|Ạnh|Ăn|Ân)$/u.test(n)),
      ["Lê Văn An", "Võ Thị Anh", "Đặng Thị Ánh", "Hoàng Thị Ạnh", "Trần Thị Ăn", "Phạm Thị Ân"],
    );
  });

  test("households list by head, villages and units by name, users by display name", async () => {
    const h = await getJson<{ items: { head_name: string }[] }>("/api/v1/households?pageSize=100");
    assert.deepEqual(
      h.items.map((i) => i.head_name),
      [...[...NAMES].sort(compareNames), null],
    );
    const v = await getJson<{ items: { name: string }[] }>("/api/v1/villages?pageSize=100");
    assert.deepEqual(
      v.items.map((i) => i.name).filter((n) => VILLAGES.includes(n)),
      [...VILLAGES].sort(compareText),
    );
    assert.deepEqual(
      v.items.map((i) => i.name).filter((n) => VILLAGES.includes(n)),
      ["Thôn An", "Thôn Ấp Mới", "Thôn Dốc", "Thôn Đông", "Thôn Ông", "Thôn Ơn"],
    );
    const u = await getJson<{ items: { name: string }[] }>("/api/v1/units?pageSize=100");
    assert.deepEqual(
      u.items.map((i) => i.name),
      ["Ấp Mới", "Trường Tiểu học Dốc", "Trường Tiểu học Đông"],
    );
    const users = await getJson<{ items: { displayName: string }[] }>("/api/v1/users?pageSize=100");
    const names = users.items.map((i) => i.displayName);
    assert.ok(names.indexOf("Đinh Văn Dũng") < names.indexOf("Đinh Văn Đạt"), names.join(", "));
  });

  test("the residents export walks name order across its pages", async () => {
    const res = await t.app.request("/api/v1/exports/residents.csv", { headers: bearer(token) });
    assert.equal(res.status, 200);
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/)
      .slice(1);
    const names = lines.map((l) => l.split(/[,;]/)[0]!.replace(/"/g, ""));
    assert.deepEqual(names, [...NAMES].sort(compareNames));
    // Four rows a query: the walk goes on from the last name of each page, not from its id.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-sort-")), "residents.csv");
    const scope = { kind: "commune", communeId: t.commune.id } as const;
    await exportRecords({ db: t.db, kind: "residents", scope, mask: true, file, pageSize: 4 });
    const paged = fs
      .readFileSync(file, "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/)
      .slice(1);
    assert.deepEqual(
      paged.map((l) => l.split(/[,;]/)[0]!.replace(/"/g, "")),
      [...NAMES].sort(compareNames),
    );
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test("the households, villages and team members exports too, page after page (a household without a head last)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-sort-"));
    const scope = { kind: "commune", communeId: t.commune.id } as const;
    const column = async (kind: "households" | "villages" | "team_members", at: number) => {
      const file = path.join(dir, `${kind}.csv`);
      await exportRecords({ db: t.db, kind, scope, mask: true, file, pageSize: 4 });
      return fs
        .readFileSync(file, "utf8")
        .replace(/^\uFEFF/, "")
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(",")[at]!);
    };
    assert.deepEqual(await column("households", 2), [...[...NAMES].sort(compareNames), ""]);
    assert.deepEqual(await column("villages", 1), [...VILLAGES].sort(compareText));
    assert.deepEqual(await column("team_members", 1), NAMES.slice(0, 6).sort(compareNames));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("team members in name order", async () => {
    const r = await getJson<{ items: { full_name: string }[] }>("/api/v1/team_members?pageSize=100");
    assert.deepEqual(
      r.items.map((i) => i.full_name),
      NAMES.slice(0, 6).sort(compareNames),
    );
  });
});
