import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { createTestApp, signedInAgent, type TestApp } from "../../../test/helpers/app.ts";
import { auditEntryOf } from "../../../test/helpers/audit.ts";
import {
  buildCommune,
  buildHousehold,
  buildResident,
  buildVillage,
  type Household,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { households, residents } from "../../db/schema.ts";
import type { HouseholdItem } from "./service.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let h1: Household;
let h2: Household;
let foreign: Household;
const ROLES = ["coordinator", "village_lead", "volunteer", "leader"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let users: Record<string, string>;

before(async () => {
  t = await createTestApp();
  [v1, v2] = await buildTwoVillages(t);
  h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  await t.db.update(households).set({ headName: "Nguyễn Văn Ấn" }).where(eq(households.id, h1.id));
  h2 = await buildHousehold(t.db, { village: v2, code: "T02-0001", poor: true });
  await buildResident(t.db, { household: h1, fullName: "Nguyễn Văn Ấn", citizenId: "038080000001" });
  await buildResident(t.db, { household: h1, fullName: "Trần Thị Bình", gender: "female" });
  await buildResident(t.db, { household: h2, fullName: "Lê Văn An" });
  const other = await buildCommune(t.db);
  foreign = await buildHousehold(t.db, { village: await buildVillage(t.db, { commune: other }) });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1] });
  users = accounts.usernames;
});
after(() => t.close());

/** A household as the API shows it, with its member count where the list gives one. */
type Item = HouseholdItem & { members?: number };
const get = (role: string, path: string) => accounts.get(role, path);
const list = async (role: string, query = "") => {
  const res = await get(role, `/api/v1/households${query}`);
  assert.equal(res.status, 200);
  return (await res.json()) as { items: Item[]; total: number };
};
const send = (role: string, body: unknown, path = "/api/v1/households", method = "POST") =>
  accounts.send(role, body, path, method);

describe("reading households", () => {
  test("the API gives the data README's keys; the detail adds the members count", async () => {
    const r = await list("coordinator");
    assert.equal(r.total, 2);
    const first = r.items[0]!;
    assert.deepEqual(
      { ...first, id: 0 },
      {
        id: 0,
        code: "T01-0001",
        village: "T01",
        head_name: "Nguyễn Văn Ấn",
        address: null,
        poor: false,
        village_name: "Thôn Đông",
      },
    );
    const one = (await (await get("coordinator", `/api/v1/households/${h1.id}`)).json()) as Item;
    assert.equal(one.members, 2);
  });

  test("filters by village, code and the head's name without diacritics", async () => {
    assert.deepEqual(
      (await list("coordinator", "?village=T02")).items.map((i) => i.code),
      ["T02-0001"],
    );
    assert.equal((await list("coordinator", "?q=T02-")).total, 1);
    assert.equal((await list("coordinator", `?q=${encodeURIComponent("nguyen van an")}`)).total, 1);
    assert.equal((await list("coordinator", `?q=${encodeURIComponent("NGUYỄN")}`)).total, 1);
    assert.equal((await list("coordinator", "?q=50%25")).total, 0);
    assert.equal((await list("coordinator", "?village=T99")).total, 0);
  });

  test("a village team sees only its villages; another village and another commune read as 404", async () => {
    assert.deepEqual(
      (await list("volunteer")).items.map((i) => i.code),
      ["T01-0001"],
    );
    assert.equal((await get("volunteer", `/api/v1/households/${h2.id}`)).status, 404);
    assert.equal((await get("coordinator", `/api/v1/households/${foreign.id}`)).status, 404);
    assert.equal((await get("leader", `/api/v1/households/${h2.id}`)).status, 200);
  });

  test("the household page lists its members with links, masked for a volunteer", async () => {
    const a = await signedInAgent(t.app, users.volunteer!);
    assert.equal((await a.get("/households")).status, 200);
    assert.match(a.lastHtml, /Hộ gia đình/);
    assert.match(a.lastHtml, /T01-0001/);
    assert.doesNotMatch(a.lastHtml, /T02-0001/);
    assert.equal((await a.get(`/households/${h1.id}`)).status, 200);
    assert.match(a.lastHtml, /Thành viên của hộ/);
    assert.match(a.lastHtml, /href="\/residents\/\d+">Trần Thị Bình</);
    assert.doesNotMatch(a.lastHtml, /038080000001/);
    assert.equal((await a.get(`/households/${h2.id}`)).status, 404);
    assert.equal((await a.get("/households/new")).status, 403);
  });
});

describe("changing households", () => {
  test("the API creates a household, audited, with labels accepted", async () => {
    const res = await send("coordinator", {
      code: " T02-0002 ",
      village: "T02",
      head_name: "  Phạm   Thị Đào ",
      address: "Xóm 3",
      poor: "có",
    });
    assert.equal(res.status, 201, await res.clone().text());
    const h = (await res.json()) as Item;
    assert.deepEqual(
      { code: h.code, head_name: h.head_name, poor: h.poor, members: h.members },
      { code: "T02-0002", head_name: "Phạm Thị Đào", poor: true, members: 0 },
    );
    const ev = await auditEntryOf(t.db, "household.create", h.id);
    assert.equal((ev!.after as { code: string }).code, "T02-0002");
  });

  test("bad input: a message per field in Vietnamese, nothing written", async () => {
    const [before] = await t.db.select({ n: count() }).from(households);
    const dup = await send("coordinator", { code: "T01-0001", village: "T01" });
    assert.equal(dup.status, 422);
    const dupBody = (await dup.json()) as { error: { fields: Record<string, string> } };
    assert.match(dupBody.error.fields.code!, /Mã hộ “T01-0001” đã có trong xã/);
    const bad = await send("coordinator", { code: "A B", village: "T99", poor: "maybe" });
    assert.equal(bad.status, 422);
    const body = (await bad.json()) as { error: { fields: Record<string, string> } };
    assert.deepEqual(Object.keys(body.error.fields).sort(), ["code", "poor", "village"]);
    assert.match(body.error.fields.village!, /Không có thôn mã “T99” trong xã/);
    const [afterRow] = await t.db.select({ n: count() }).from(households);
    assert.equal(afterRow!.n, before!.n);
  });

  test("a village lead writes only in its villages (403 elsewhere); a volunteer and a leader cannot write", async () => {
    assert.equal((await send("village_lead", { code: "T01-0009", village: "T01" })).status, 201);
    assert.equal((await send("village_lead", { code: "T02-0009", village: "T02" })).status, 403);
    assert.equal(
      (await send("village_lead", { village: "T02" }, `/api/v1/households/${h1.id}`, "PATCH")).status,
      403,
    );
    assert.equal(
      (await send("village_lead", { address: "x" }, `/api/v1/households/${h2.id}`, "PATCH")).status,
      404,
    );
    assert.equal((await send("volunteer", { code: "T01-0010", village: "T01" })).status, 403);
    assert.equal((await send("leader", { code: "T01-0011", village: "T01" })).status, 403);
  });

  test("a change is audited with before and after; members follow their household to a new village", async () => {
    const res = await send(
      "coordinator",
      { village: "T02", address: "Đội 5" },
      `/api/v1/households/${h1.id}`,
      "PATCH",
    );
    assert.equal(res.status, 200, await res.clone().text());
    const h = (await res.json()) as Item;
    assert.equal(h.village, "T02");
    assert.equal(h.members, 2);
    const moved = await t.db
      .select({ villageId: residents.villageId })
      .from(residents)
      .where(eq(residents.householdId, h1.id));
    assert.ok(moved.every((r) => r.villageId === v2.id));
    const ev = await auditEntryOf(t.db, "household.update", h1.id);
    assert.equal((ev!.before as { villageCode: string }).villageCode, "T01");
    assert.equal((ev!.after as { address: string }).address, "Đội 5");
    // Back where it was, for the other tests.
    await send("coordinator", { village: "T01" }, `/api/v1/households/${h1.id}`, "PATCH");
  });

  test("through the pages: a village lead adds and edits a household; errors show the summary", async () => {
    const a = await signedInAgent(t.app, users.village_lead!);
    assert.equal((await a.get("/households/new")).status, 200);
    assert.match(a.lastHtml, /<label class="field__label" for="f-code">Mã hộ<\/label>/);
    assert.doesNotMatch(a.lastHtml, /Thôn Tây/);
    const ok = await a.postForm("/households", {
      code: "T01-0100",
      village: "T01",
      head_name: "Hoàng Văn Hải",
      address: "",
      poor: "true",
    });
    assert.equal(ok.status, 303);
    const path = ok.headers.get("location")!;
    await a.get(path);
    assert.match(a.lastHtml, /Đã thêm hộ T01-0100/);
    assert.match(a.lastHtml, /Hộ chưa có thành viên nào/);
    await a.get(`${path}/edit`);
    assert.match(a.lastHtml, /value="Hoàng Văn Hải"/);
    const bad = await a.postForm(path, { code: "T01-0001", village: "T01", head_name: "" });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    assert.match(a.lastHtml, /href="#f-code"/);
    assert.match(a.lastHtml, /đã có trong xã/);
    await a.get(`${path}/edit`);
    const saved = await a.postForm(path, { code: "T01-0100", village: "T01", head_name: "Hoàng Văn Hải" });
    assert.equal(saved.status, 303);
    const [row] = await t.db
      .select({ poor: households.poor })
      .from(households)
      .where(eq(households.code, "T01-0100"));
    assert.equal(row!.poor, false);
  });
});

describe("removing a household", () => {
  test("refused with 409 while residents belong to it; an empty one goes, in the writer's villages, audited", async () => {
    const used = await send("coordinator", undefined, `/api/v1/households/${h1.id}`, "DELETE");
    assert.equal(used.status, 409);
    assert.match(
      ((await used.json()) as { error: { message: string } }).error.message,
      new RegExp(`Không thể xoá hộ T01-0001: còn ${await membersOf(h1.id)} cư dân thuộc hộ này`),
    );
    const mine = await buildHousehold(t.db, { village: v1, code: "T01-0099" });
    const theirs = await buildHousehold(t.db, { village: v2, code: "T02-0099" });
    assert.equal((await send("volunteer", undefined, `/api/v1/households/${mine.id}`, "DELETE")).status, 403);
    assert.equal((await send("leader", undefined, `/api/v1/households/${mine.id}`, "DELETE")).status, 403);
    assert.equal(
      (await send("village_lead", undefined, `/api/v1/households/${theirs.id}`, "DELETE")).status,
      404,
    );
    assert.equal(
      (await send("coordinator", undefined, `/api/v1/households/${foreign.id}`, "DELETE")).status,
      404,
    );
    assert.equal(
      (await send("village_lead", undefined, `/api/v1/households/${mine.id}`, "DELETE")).status,
      204,
    );
    assert.equal((await get("village_lead", `/api/v1/households/${mine.id}`)).status, 404);
    const ev = await auditEntryOf(t.db, "household.delete", mine.id);
    assert.equal((ev!.before as { code: string }).code, "T01-0099");
  });

  test("through the pages: a Xoá button only when removable, then a confirmation page", async () => {
    const a = await signedInAgent(t.app, users.village_lead!);
    await a.get(`/households/${h1.id}`);
    assert.doesNotMatch(a.lastHtml, /\/delete"/);
    const empty = await buildHousehold(t.db, { village: v1, code: "T01-0098" });
    await a.get(`/households/${empty.id}`);
    assert.match(a.lastHtml, new RegExp(`href="/households/${empty.id}/delete"`));
    await a.get(`/households/${empty.id}/delete`);
    assert.match(a.lastHtml, /Xoá hộ T01-0098\?/);
    const res = await a.postForm(`/households/${empty.id}/delete`, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/households");
    const [left] = await t.db.select({ n: count() }).from(households).where(eq(households.id, empty.id));
    assert.equal(left!.n, 0);
  });
});

async function membersOf(householdId: number) {
  const [row] = await t.db
    .select({ n: count() })
    .from(residents)
    .where(eq(residents.householdId, householdId));
  return row!.n;
}
