import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { auditEntryOf } from "../../../test/helpers/audit.ts";
import {
  buildCertification,
  buildCommune,
  buildHousehold,
  buildResident,
  buildUnit,
  buildVillage,
  type Resident,
  TEST_PASSWORD,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { buildTwoVillagesWithHouseholds } from "../../../test/helpers/two-villages.ts";
import { auditEvents, certifications } from "../../db/schema.ts";

let t: TestApp;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
/** Ấn (T01, with a citizen ID), Bình (T01), Cường (T02, a THCS student), Khác (another commune). */
let an: Resident;
let binh: Resident;
let cuong: Resident;
const certOf = { anBasic: 0, anVneid: 0, binh: 0, cuong: 0, other: 0 };
let users: Record<string, string>;

const ROLES = ["coordinator", "police", "leader", "village_lead", "volunteer", "school", "province"] as const;

before(async () => {
  t = await createTestApp();
  const { v1, h1, h2 } = await buildTwoVillagesWithHouseholds(t);
  const school = await buildUnit(t.db, { commune: t.commune, code: "THCS", type: "school" });
  an = await buildResident(t.db, {
    household: h1,
    fullName: "Nguyễn Văn Ấn",
    citizenId: "038080000001",
    birthDate: "1980-05-05",
  });
  binh = await buildResident(t.db, { household: h1, fullName: "Trần Thị Bình", birthDate: "1950-01-01" });
  cuong = await buildResident(t.db, {
    household: h2,
    fullName: "Lê Văn Cường",
    birthDate: "2010-03-04",
    unitId: school.id,
    groups: ["student"],
  });
  const other = await buildResident(t.db, {
    household: await buildHousehold(t.db, {
      village: await buildVillage(t.db, { commune: await buildCommune(t.db) }),
    }),
    fullName: "Người Xã Khác",
  });
  certOf.anBasic = (
    await buildCertification(t.db, { resident: an, date: "2026-09-01", reference: "BD-1" })
  ).id;
  certOf.anVneid = (
    await buildCertification(t.db, { resident: an, kind: "vneid", source: "vneid", date: "2026-10-15" })
  ).id;
  certOf.binh = (await buildCertification(t.db, { resident: binh, date: "2026-11-01", source: "course" })).id;
  certOf.cuong = (
    await buildCertification(t.db, { resident: cuong, date: "2026-11-10", source: "school" })
  ).id;
  certOf.other = (await buildCertification(t.db, { resident: other, date: "2026-11-11" })).id;
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1], unit: school });
  users = accounts.usernames;
});
after(() => t.close());

type Item = {
  id: number;
  resident_id: number;
  citizen_id: string | null;
  full_name: string;
  birth_date: string;
  kind: string;
  date: string;
  source: string;
  reference: string | null;
  village: string;
};

const get = (role: string, path: string) => accounts.get(role, path);
const list = async (role: string, query = "") => {
  const res = await get(role, `/api/v1/certifications${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { items: Item[]; total: number };
};
const names = async (role: string, query = "") => (await list(role, query)).items.map((i) => i.full_name);
const send = (role: string, method: string, path: string, body?: unknown) =>
  accounts.send(role, body, path, method);
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } }).error;
const auditCount = async (action: string, entityId: number) => {
  const [row] = await t.db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, String(entityId))));
  return row!.n;
};

async function agentFor(role: string) {
  const a = new Agent(t.app);
  await a.login(users[role]!, TEST_PASSWORD);
  return a;
}

describe("the certifications list", () => {
  test("a commune role sees its commune's, latest first, with the data README's keys", async () => {
    const r = await list("coordinator");
    assert.equal(r.total, 4);
    assert.deepEqual(
      r.items.map((i) => i.date),
      ["2026-11-10", "2026-11-01", "2026-10-15", "2026-09-01"],
    );
    const first = r.items.find((i) => i.id === certOf.anBasic)!;
    assert.deepEqual(first, {
      id: certOf.anBasic,
      resident_id: an.id,
      citizen_id: "038080000001",
      full_name: "Nguyễn Văn Ấn",
      birth_date: "1980-05-05",
      kind: "basic",
      date: "2026-09-01",
      source: "platform",
      reference: "BD-1",
      village: "T01",
      village_name: "Thôn Đông",
    });
  });

  test("citizen IDs are masked for roles that do not see them whole", async () => {
    for (const role of ["leader", "village_lead"]) {
      const item = (await list(role)).items.find((i) => i.id === certOf.anBasic)!;
      assert.equal(item.citizen_id, "038*******01", role);
    }
    assert.equal(
      (await list("police")).items.find((i) => i.id === certOf.anBasic)!.citizen_id,
      "038080000001",
    );
    const one = await get("leader", `/api/v1/certifications/${certOf.anBasic}`);
    assert.equal(((await one.json()) as Item).citizen_id, "038*******01");
    // Handing out the whole number is audited (SPEC §8).
    const before = await auditCount("resident.view_identity", an.id);
    const whole = await get("police", `/api/v1/certifications/${certOf.anBasic}`);
    assert.equal(((await whole.json()) as Item).citizen_id, "038080000001");
    assert.equal(await auditCount("resident.view_identity", an.id), before + 1);
  });

  test("filters: village, unit, kind, source, dates, name without diacritics", async () => {
    assert.deepEqual(await names("coordinator", "?village=T02"), ["Lê Văn Cường"]);
    assert.deepEqual(await names("coordinator", "?unit=THCS"), ["Lê Văn Cường"]);
    assert.deepEqual(await names("coordinator", "?kind=vneid"), ["Nguyễn Văn Ấn"]);
    assert.deepEqual(await names("coordinator", "?kind=C%C6%A1%20b%E1%BA%A3n&source=course"), [
      "Trần Thị Bình",
    ]);
    assert.deepEqual(await names("coordinator", "?from=2026-10-15&to=31/10/2026"), ["Nguyễn Văn Ấn"]);
    assert.deepEqual(await names("coordinator", "?q=BINH"), ["Trần Thị Bình"]);
    assert.deepEqual(await names("coordinator", "?q=van%20an"), ["Nguyễn Văn Ấn", "Nguyễn Văn Ấn"]);
    assert.deepEqual(await names("coordinator", "?village=NOPE"), []);
    assert.equal((await list("coordinator", "?pageSize=1&page=2")).items[0]!.date, "2026-11-01");
    const bad = await get("coordinator", "/api/v1/certifications?from=31/02/2026");
    assert.equal(bad.status, 422);
    assert.ok((await errorOf(bad)).fields.from);
  });

  test("scope: a village team sees its villages', a school its students', the province every commune's", async () => {
    assert.deepEqual((await names("village_lead")).sort(), [
      "Nguyễn Văn Ấn",
      "Nguyễn Văn Ấn",
      "Trần Thị Bình",
    ]);
    assert.deepEqual(await names("village_lead", "?village=T02"), []);
    assert.deepEqual(await names("school"), ["Lê Văn Cường"]);
    assert.equal((await list("province")).total, 5);
    assert.equal((await get("village_lead", `/api/v1/certifications/${certOf.cuong}`)).status, 404);
    assert.equal((await get("coordinator", `/api/v1/certifications/${certOf.other}`)).status, 404);
    // A volunteer sees names and households, not certifications (SPEC §2).
    assert.equal((await get("volunteer", "/api/v1/certifications")).status, 403);
  });

  test("the page lists the viewer's certifications, filtered, with the resident linked", async () => {
    const a = await agentFor("village_lead");
    assert.equal((await a.get("/certifications")).status, 200);
    assert.match(a.lastHtml, /href="\/certifications"/, "a nav entry");
    assert.match(a.lastHtml, new RegExp(`href="/residents/${binh.id}">Trần Thị Bình`));
    assert.doesNotMatch(a.lastHtml, /Lê Văn Cường/);
    await a.get("/certifications?kind=vneid");
    assert.doesNotMatch(a.lastHtml, /Trần Thị Bình/);
    assert.match(a.lastHtml, /Xác nhận trên VNeID/);
    await a.get("/certifications?q=tran%20thi");
    assert.match(a.lastHtml, /Trần Thị Bình/);
    assert.doesNotMatch(a.lastHtml, /Nguyễn Văn Ấn/);
    const bad = await a.get("/certifications?to=2026-13-01");
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    const v = await agentFor("volunteer");
    await v.get("/");
    assert.doesNotMatch(v.lastHtml, /href="\/certifications"/);
    assert.equal((await v.get("/certifications")).status, 403);
  });
});

describe("recording through POST /api/v1/certifications", () => {
  test("the resident by id, by citizen ID, or by name and birth date", async () => {
    const cases = [
      {
        how: "by id",
        role: "coordinator",
        body: { resident_id: binh.id, kind: "VNeID", date: "02/11/2026", source: "VNeID" },
        resident: binh,
      },
      {
        how: "by citizen ID",
        role: "police",
        body: { citizen_id: "38080000001", kind: "basic", date: "2026-11-20", source: "course" },
        resident: an,
      },
      {
        how: "by name and birth date",
        role: "village_lead",
        body: {
          full_name: "Trần Thị Bình",
          birth_date: "01/01/1950",
          kind: "basic",
          date: "2026-11-21",
          source: "platform",
        },
        resident: binh,
      },
    ];
    const made: Item[] = [];
    for (const { how, role, body, resident } of cases) {
      const res = await send(role, "POST", "/api/v1/certifications", body);
      assert.equal(res.status, 201, `${how}: ${await res.clone().text()}`);
      const item = (await res.json()) as Item;
      assert.equal(item.resident_id, resident.id, how);
      made.push(item);
    }
    // The first, by id: its kind read from the label, and audited once.
    assert.equal(made[0]!.kind, "vneid");
    assert.equal(await auditCount("certification.create", made[0]!.id), 1);
  });

  test("refusals: twice, no resident, out of scope, by citizen ID for a masked role, no right", async () => {
    const body = { kind: "basic", date: "2026-09-01", source: "platform" };
    const twice = await send("coordinator", "POST", "/api/v1/certifications", {
      ...body,
      resident_id: an.id,
    });
    assert.equal(twice.status, 422);
    assert.match((await errorOf(twice)).fields.kind!, /đã có chứng nhận/);
    const none = await send("coordinator", "POST", "/api/v1/certifications", body);
    assert.equal(none.status, 422);
    assert.ok((await errorOf(none)).fields.resident_id);
    const outside = await send("village_lead", "POST", "/api/v1/certifications", {
      ...body,
      resident_id: cuong.id,
    });
    assert.equal(outside.status, 422);
    assert.ok((await errorOf(outside)).fields.resident_id);
    const unknown = await send("village_lead", "POST", "/api/v1/certifications", {
      ...body,
      full_name: "Lê Văn Cường",
      birth_date: "04/03/2010",
    });
    assert.equal(unknown.status, 422, "a resident outside the scope is not found by name either");
    const masked = await send("village_lead", "POST", "/api/v1/certifications", {
      ...body,
      citizen_id: "038080000001",
    });
    assert.equal(masked.status, 422);
    assert.match((await errorOf(masked)).fields.citizen_id!, /CCCD/);
    assert.equal((await send("leader", "POST", "/api/v1/certifications", body)).status, 403);
  });
});

describe("changing and removing", () => {
  test("PATCH changes the given keys, audited with before and after; a change onto a twin is refused", async () => {
    const res = await send("coordinator", "PATCH", `/api/v1/certifications/${certOf.binh}`, {
      reference: "KH-9",
      date: "03/11/2026",
    });
    assert.equal(res.status, 200, await res.clone().text());
    const item = (await res.json()) as Item;
    assert.equal(item.reference, "KH-9");
    assert.equal(item.date, "2026-11-03");
    assert.equal(item.source, "course");
    const [ev] = await t.db
      .select({ before: auditEvents.before, after: auditEvents.after })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, "certification.update"), eq(auditEvents.entityId, String(certOf.binh))),
      );
    assert.deepEqual(ev, {
      before: { residentId: binh.id, kind: "basic", date: "2026-11-01", source: "course", reference: null },
      after: { residentId: binh.id, kind: "basic", date: "2026-11-03", source: "course", reference: "KH-9" },
    });
    const twin = await send("coordinator", "PATCH", `/api/v1/certifications/${certOf.anVneid}`, {
      kind: "basic",
      source: "platform",
      date: "2026-09-01",
    });
    assert.equal(twin.status, 422);
    assert.match((await errorOf(twin)).fields.kind!, /Cư dân này đã có chứng nhận cùng loại/);
    const bad = await send("coordinator", "PATCH", `/api/v1/certifications/${certOf.anVneid}`, {
      source: "x",
    });
    assert.equal(bad.status, 422);
    assert.ok((await errorOf(bad)).fields.source);
    assert.equal(
      (await send("village_lead", "PATCH", `/api/v1/certifications/${certOf.cuong}`, { reference: "x" }))
        .status,
      404,
    );
    assert.equal(
      (await send("leader", "PATCH", `/api/v1/certifications/${certOf.cuong}`, { reference: "x" })).status,
      403,
    );
  });

  test("DELETE removes one in scope, audited with what it held", async () => {
    const extra = await buildCertification(t.db, { resident: cuong, date: "2026-01-02", reference: "X-1" });
    assert.equal((await send("village_lead", "DELETE", `/api/v1/certifications/${extra.id}`)).status, 404);
    assert.equal((await send("leader", "DELETE", `/api/v1/certifications/${extra.id}`)).status, 403);
    assert.equal((await send("school", "DELETE", `/api/v1/certifications/${extra.id}`)).status, 204);
    assert.equal((await get("school", `/api/v1/certifications/${extra.id}`)).status, 404);
    const ev = await auditEntryOf(t.db, "certification.delete", extra.id);
    assert.deepEqual(ev!.before, {
      residentId: cuong.id,
      kind: "basic",
      date: "2026-01-02",
      source: "platform",
      reference: "X-1",
    });
  });

  test("from the resident's page: Sửa and Xoá links, a pre-filled form, a confirmation page", async () => {
    const a = await agentFor("village_lead");
    await a.get(`/residents/${an.id}`);
    assert.match(a.lastHtml, new RegExp(`href="/certifications/${certOf.anBasic}/edit\\?from=resident"`));
    assert.match(a.lastHtml, new RegExp(`href="/certifications/${certOf.anBasic}/delete\\?from=resident"`));
    await a.get(`/certifications/${certOf.anBasic}/edit?from=resident`);
    assert.match(a.lastHtml, /value="01\/09\/2026"/);
    assert.match(a.lastHtml, /value="BD-1"/);
    const twin = await a.postForm(`/certifications/${certOf.anBasic}`, {
      from: "resident",
      kind: "vneid",
      date: "15/10/2026",
      source: "vneid",
      reference: "",
    });
    assert.equal(twin.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    assert.match(a.lastHtml, /đã có chứng nhận cùng loại/);
    const ok = await a.postForm(`/certifications/${certOf.anBasic}`, {
      from: "resident",
      kind: "basic",
      date: "02/09/2026",
      source: "platform",
      reference: "BD-2",
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/residents/${an.id}`);
    await a.get(`/residents/${an.id}`);
    assert.match(a.lastHtml, /Đã lưu chứng nhận/);
    assert.match(a.lastHtml, /BD-2/);

    await a.get(`/certifications/${certOf.anBasic}/delete?from=resident`);
    assert.match(a.lastHtml, /Xoá chứng nhận của Nguyễn Văn Ấn\?/);
    assert.match(a.lastHtml, /method="post" action="\/certifications\/\d+\/delete"/);
    const gone = await a.postForm(`/certifications/${certOf.anBasic}/delete`, { from: "resident" });
    assert.equal(gone.status, 303);
    assert.equal(gone.headers.get("location"), `/residents/${an.id}`);
    const [left] = await t.db
      .select({ n: count() })
      .from(certifications)
      .where(eq(certifications.id, certOf.anBasic));
    assert.equal(left!.n, 0);
    assert.equal(await auditCount("certification.delete", certOf.anBasic), 1);
    // Out of scope: the pages answer 404.
    assert.equal((await a.get(`/certifications/${certOf.cuong}/edit`)).status, 404);
    assert.equal((await a.get(`/certifications/${certOf.cuong}/delete`)).status, 404);
  });

  test("from the list: a reader sees no actions; a writer's removal returns to the list", async () => {
    const leader = await agentFor("leader");
    await leader.get("/certifications");
    assert.doesNotMatch(leader.lastHtml, /\/certifications\/\d+\/edit/);
    const a = await agentFor("coordinator");
    await a.get("/certifications");
    assert.match(a.lastHtml, new RegExp(`href="/certifications/${certOf.anVneid}/delete"`));
    await a.get(`/certifications/${certOf.anVneid}/delete`);
    const res = await a.postForm(`/certifications/${certOf.anVneid}/delete`, { from: "list" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/certifications");
  });
});

describe("residents are never deleted", () => {
  test("DELETE /api/v1/residents/:id answers 409 with the advice, 404 outside the scope", async () => {
    const res = await send("coordinator", "DELETE", `/api/v1/residents/${binh.id}`);
    assert.equal(res.status, 409);
    const e = await errorOf(res);
    assert.equal(e.code, "conflict");
    assert.match(e.message, /Chuyển đi/);
    assert.equal((await send("village_lead", "DELETE", `/api/v1/residents/${cuong.id}`)).status, 404);
    assert.equal((await send("leader", "DELETE", `/api/v1/residents/${binh.id}`)).status, 403);
  });
});

describe("OpenAPI", () => {
  test("documents the certifications routes and the deletes", async () => {
    const doc = (await (await t.app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; description?: string }>>;
    };
    assert.ok(doc.paths["/certifications"]?.get && doc.paths["/certifications"]?.post);
    const one = doc.paths["/certifications/{id}"]!;
    assert.ok(one.get && one.patch && one.delete);
    for (const p of ["/villages/{id}", "/units/{id}", "/households/{id}", "/residents/{id}"]) {
      assert.ok(doc.paths[p]?.delete?.responses["409"], p);
    }
    assert.match(doc.paths["/residents/{id}"]!.delete!.description!, /moved.*deceased/);
  });
});
