import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { auditEntryOf } from "../../../test/helpers/audit.ts";
import {
  buildCommune,
  buildHousehold,
  buildResident,
  buildUnit,
  buildVillage,
  TEST_PASSWORD,
  type Unit,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { assertFieldErrors, errorMessageOf } from "../../test-support/api.ts";
import { deleteThroughPages } from "../../test-support/pages.ts";

let t: TestApp;
const ROLES = ["coordinator", "economy", "village_lead", "school", "leader"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let school: Unit;
let office: Unit;
let foreign: Unit;
let users: Record<string, string>;

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  school = await buildUnit(t.db, { commune, code: "THCS", name: "Trường THCS Tân Ninh", type: "school" });
  office = await buildUnit(t.db, { commune, code: "UBND", name: "UBND xã", type: "office" });
  const v1 = await buildVillage(t.db, { commune, code: "T01" });
  const v2 = await buildVillage(t.db, { commune, code: "T02" });
  const h1 = await buildHousehold(t.db, { village: v1 });
  const h2 = await buildHousehold(t.db, { village: v2 });
  await buildResident(t.db, { household: h1, unitId: school.id, groups: ["student"] });
  await buildResident(t.db, { household: h2, unitId: school.id, groups: ["student"] });
  foreign = await buildUnit(t.db, { commune: await buildCommune(t.db) });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1], unit: school });
  users = accounts.usernames;
});
after(() => t.close());

const get = (role: string, path: string) => accounts.get(role, path);
const send = (role: string, body: unknown, path = "/api/v1/units", method = "POST") =>
  accounts.send(role, body, path, method);
type List = { items: { id: number; code: string; type: string }[]; total: number };

describe("units", () => {
  test("the API lists units with their type code; a school sees only itself; another commune is 404", async () => {
    const all = (await (await get("coordinator", "/api/v1/units")).json()) as List;
    assert.deepEqual(
      all.items.map((u) => [u.code, u.type]),
      [
        ["THCS", "school"],
        ["UBND", "office"],
      ],
    );
    assert.equal(((await (await get("coordinator", "/api/v1/units?type=office")).json()) as List).total, 1);
    const mine = (await (await get("school", "/api/v1/units")).json()) as List;
    assert.deepEqual(
      mine.items.map((u) => u.code),
      ["THCS"],
    );
    assert.equal((await get("school", `/api/v1/units/${office.id}`)).status, 404);
    assert.equal((await get("coordinator", `/api/v1/units/${foreign.id}`)).status, 404);
  });

  test("the members count is what the viewer's scope holds", async () => {
    const whole = (await (await get("coordinator", `/api/v1/units/${school.id}`)).json()) as {
      members: number;
    };
    assert.equal(whole.members, 2);
    const lead = (await (await get("village_lead", `/api/v1/units/${school.id}`)).json()) as {
      members: number;
    };
    assert.equal(lead.members, 1);
  });

  test("the unit page shows the Vietnamese type and links to its members", async () => {
    const a = new Agent(t.app);
    await a.login(users.village_lead!, TEST_PASSWORD);
    assert.equal((await a.get("/units")).status, 200);
    assert.match(a.lastHtml, /Trường học/);
    assert.match(a.lastHtml, /Cơ quan/);
    assert.equal((await a.get(`/units/${school.id}`)).status, 200);
    assert.match(a.lastHtml, /href="\/residents\?unit=THCS"/);
    assert.match(a.lastHtml, /Số người thuộc đơn vị/);
    assert.equal((await a.get("/units/new")).status, 403);
  });

  test("create and change through the API, audited; labels accepted; duplicate code and empty name refused", async () => {
    const res = await send("economy", { code: "HTX-1", name: "HTX Nông nghiệp", type: "Hợp tác xã" });
    assert.equal(res.status, 201, await res.clone().text());
    const u = (await res.json()) as { id: number; type: string };
    assert.equal(u.type, "cooperative");
    const bad = await send("coordinator", { code: "THCS", name: "", type: "Nhà máy" });
    const fields = await assertFieldErrors(bad, ["code", "name", "type"]);
    assert.match(fields.code!, /Mã đơn vị “THCS” đã có trong xã/);
    const changed = await send("coordinator", { type: "enterprise" }, `/api/v1/units/${u.id}`, "PATCH");
    assert.equal(changed.status, 200);
    const ev = await auditEntryOf(t.db, "unit.update", u.id);
    assert.equal((ev!.before as { type: string }).type, "cooperative");
    assert.equal((ev!.after as { type: string }).type, "enterprise");
    for (const role of ["village_lead", "school", "leader"]) {
      assert.equal((await send(role, { code: "X1", name: "X", type: "office" })).status, 403, role);
    }
  });

  test("through the pages: the coordinator adds a unit; errors show the summary", async () => {
    const a = new Agent(t.app);
    await a.login(users.coordinator!, TEST_PASSWORD);
    await a.get("/units/new");
    assert.match(a.lastHtml, /<label class="field__label" for="f-type">Loại đơn vị<\/label>/);
    assert.match(a.lastHtml, /<option value="association">Đoàn thể<\/option>/);
    const bad = await a.postForm("/units", { code: "UBND", name: "", type: "" });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    assert.match(a.lastHtml, /href="#f-type"/);
    const ok = await a.postForm("/units", { code: "DTN", name: "Đoàn Thanh niên xã", type: "association" });
    assert.equal(ok.status, 303);
    await a.get(ok.headers.get("location")!);
    assert.match(a.lastHtml, /Đã thêm đơn vị Đoàn Thanh niên xã/);
  });
});

describe("removing a unit", () => {
  test("refused with 409 naming its residents and accounts; an unused one goes, audited", async () => {
    const used = await send("coordinator", undefined, `/api/v1/units/${school.id}`, "DELETE");
    assert.equal(used.status, 409);
    assert.match(await errorMessageOf(used), /còn 2 cư dân và 1 tài khoản người dùng/);
    const spare = await buildUnit(t.db, {
      commune: t.commune,
      code: "HTX-XOA",
      name: "HTX Sẽ Xoá",
      type: "cooperative",
    });
    assert.equal((await send("village_lead", undefined, `/api/v1/units/${spare.id}`, "DELETE")).status, 403);
    assert.equal((await send("school", undefined, `/api/v1/units/${spare.id}`, "DELETE")).status, 403);
    assert.equal((await send("economy", undefined, `/api/v1/units/${foreign.id}`, "DELETE")).status, 404);
    assert.equal((await send("economy", undefined, `/api/v1/units/${spare.id}`, "DELETE")).status, 204);
    assert.equal((await get("economy", `/api/v1/units/${spare.id}`)).status, 404);
    const ev = await auditEntryOf(t.db, "unit.delete", spare.id);
    assert.deepEqual(ev!.before, { code: "HTX-XOA", name: "HTX Sẽ Xoá", type: "cooperative" });
  });

  test("through the pages: a Xoá button only when removable, then a confirmation page", async () => {
    const a = new Agent(t.app);
    await a.login(users.coordinator!, TEST_PASSWORD);
    await a.get(`/units/${school.id}`);
    assert.doesNotMatch(a.lastHtml, /\/delete"/);
    await deleteThroughPages(a, "/units", office.id, /Xoá đơn vị UBND xã\?/);
    assert.equal((await get("coordinator", `/api/v1/units/${office.id}`)).status, 404);
  });
});
