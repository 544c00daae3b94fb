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
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { villages } from "../../db/schema.ts";
import { AppError, conflictOnForeignKey, isForeignKeyViolation } from "../../lib/errors.ts";
import { deleteThroughPages } from "../../test-support/pages.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let foreign: Village;
const ROLES = ["coordinator", "village_lead", "leader"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let users: Record<string, string>;

before(async () => {
  t = await createTestApp();
  [v1, v2] = await buildTwoVillages(t);
  const h = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  await buildHousehold(t.db, { village: v1, code: "T01-0002" });
  await buildResident(t.db, { household: h });
  await buildResident(t.db, { household: h });
  await buildResident(t.db, { household: h });
  foreign = await buildVillage(t.db, { commune: await buildCommune(t.db) });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1] });
  users = accounts.usernames;
});
after(() => t.close());

const get = (role: string, path: string) => accounts.get(role, path);
const send = (role: string, body: unknown, path = "/api/v1/villages", method = "POST") =>
  accounts.send(role, body, path, method);

describe("villages", () => {
  test("the detail counts the village's households and residents; scope gives 404 outside", async () => {
    const res = await get("coordinator", `/api/v1/villages/${v1.id}`);
    assert.deepEqual(await res.json(), {
      id: v1.id,
      code: "T01",
      name: "Thôn Đông",
      households: 2,
      residents: 3,
    });
    assert.equal((await get("village_lead", `/api/v1/villages/${v2.id}`)).status, 404);
    assert.equal((await get("coordinator", `/api/v1/villages/${foreign.id}`)).status, 404);
  });

  test("the village page links to its households and residents", async () => {
    const a = await signedInAgent(t.app, users.village_lead!);
    assert.equal((await a.get(`/villages/${v1.id}`)).status, 200);
    assert.match(a.lastHtml, /Số hộ/);
    assert.match(a.lastHtml, /href="\/households\?village=T01"/);
    assert.match(a.lastHtml, /href="\/residents\?village=T01"/);
    assert.doesNotMatch(a.lastHtml, /Sửa thông tin thôn/);
    assert.equal((await a.get("/villages/new")).status, 403);
  });

  test("the API creates and changes villages, audited; codes stay unique in the commune", async () => {
    const res = await send("coordinator", { code: "T03", name: "  Thôn   Bắc " });
    assert.equal(res.status, 201, await res.clone().text());
    const v = (await res.json()) as { id: number; name: string };
    assert.equal(v.name, "Thôn Bắc");
    const dup = await send("coordinator", { code: "T01", name: "Khác" });
    assert.equal(dup.status, 422);
    const body = (await dup.json()) as { error: { fields: Record<string, string> } };
    assert.match(body.error.fields.code!, /Mã thôn “T01” đã có trong xã/);
    const empty = await send("coordinator", { code: "T04", name: " " });
    assert.equal(empty.status, 422);
    assert.deepEqual(Object.keys(((await empty.json()) as typeof body).error.fields), ["name"]);
    const renamed = await send("coordinator", { name: "Thôn Nam" }, `/api/v1/villages/${v.id}`, "PATCH");
    assert.equal(renamed.status, 200);
    assert.equal(((await renamed.json()) as { name: string }).name, "Thôn Nam");
    const taken = await send("coordinator", { code: "T02" }, `/api/v1/villages/${v.id}`, "PATCH");
    assert.equal(taken.status, 422);
    const ev = await auditEntryOf(t.db, "village.update", v.id);
    assert.deepEqual(
      [ev!.before, ev!.after],
      [
        { code: "T03", name: "Thôn Bắc" },
        { code: "T03", name: "Thôn Nam" },
      ],
    );
    for (const role of ["village_lead", "leader"]) {
      assert.equal((await send(role, { code: "T09", name: "X" })).status, 403, role);
      assert.equal((await send(role, { name: "X" }, `/api/v1/villages/${v1.id}`, "PATCH")).status, 403, role);
    }
  });

  test("through the pages: the coordinator adds a village; errors show the summary", async () => {
    const a = await signedInAgent(t.app, users.coordinator!);
    await a.get("/villages/new");
    assert.match(a.lastHtml, /<label class="field__label" for="f-name">Tên thôn<\/label>/);
    const bad = await a.postForm("/villages", { code: "T01", name: "" });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    assert.match(a.lastHtml, /href="#f-code"/);
    assert.match(a.lastHtml, /href="#f-name"/);
    const [before] = await t.db.select({ n: count() }).from(villages);
    const ok = await a.postForm("/villages", { code: "T05", name: "Thôn Mới" });
    assert.equal(ok.status, 303);
    await a.get(ok.headers.get("location")!);
    assert.match(a.lastHtml, /Đã thêm thôn Thôn Mới/);
    const [afterRow] = await t.db.select({ n: count() }).from(villages);
    assert.equal(afterRow!.n, before!.n + 1);
  });
});

describe("removing a village", () => {
  test("refused with 409 naming what still refers to it; an unused one goes, audited", async () => {
    const used = await send("coordinator", undefined, `/api/v1/villages/${v1.id}`, "DELETE");
    assert.equal(used.status, 409);
    const e = ((await used.json()) as { error: { code: string; message: string } }).error;
    assert.equal(e.code, "conflict");
    assert.match(e.message, /còn 2 hộ, 3 cư dân và 1 tài khoản người dùng/);
    const empty = await buildVillage(t.db, { commune: t.commune, code: "T09", name: "Thôn Trống" });
    assert.equal(
      (await send("village_lead", undefined, `/api/v1/villages/${empty.id}`, "DELETE")).status,
      403,
    );
    assert.equal((await send("leader", undefined, `/api/v1/villages/${empty.id}`, "DELETE")).status, 403);
    assert.equal(
      (await send("coordinator", undefined, `/api/v1/villages/${foreign.id}`, "DELETE")).status,
      404,
    );
    assert.equal(
      (await send("coordinator", undefined, `/api/v1/villages/${empty.id}`, "DELETE")).status,
      204,
    );
    assert.equal((await get("coordinator", `/api/v1/villages/${empty.id}`)).status, 404);
    const ev = await auditEntryOf(t.db, "village.delete", empty.id);
    assert.deepEqual(ev!.before, { code: "T09", name: "Thôn Trống" });
  });

  test("a reference the service did not count still answers 409, not 500 (the database's foreign key)", async () => {
    const raw = await t.db
      .delete(villages)
      .where(eq(villages.id, v1.id))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    assert.ok(isForeignKeyViolation(raw), String(raw));
    await assert.rejects(
      conflictOnForeignKey(() => t.db.delete(villages).where(eq(villages.id, v1.id))),
      (err) => err instanceof AppError && err.code === "conflict" && err.msg.key === "delete.in_use",
    );
    assert.equal(isForeignKeyViolation(new Error("other")), false);
  });

  test("through the pages: a Xoá button only when removable, a confirmation page, then the list", async () => {
    const a = await signedInAgent(t.app, users.coordinator!);
    await a.get(`/villages/${v1.id}`);
    assert.doesNotMatch(a.lastHtml, /\/delete"/);
    assert.equal((await a.get(`/villages/${v1.id}/delete`)).status, 409);
    assert.match(a.lastHtml, /Không thể xoá thôn “Thôn Đông”/);
    const empty = await buildVillage(t.db, { commune: t.commune, code: "T08", name: "Thôn Bỏ" });
    await deleteThroughPages(a, "/villages", empty.id, /Xoá thôn Thôn Bỏ\?/);
    await a.get("/villages");
    assert.match(a.lastHtml, /Đã xoá thôn Thôn Bỏ/);
    const [left] = await t.db.select({ n: count() }).from(villages).where(eq(villages.id, empty.id));
    assert.equal(left!.n, 0);
  });
});
