import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { auditEntryOf } from "../../../test/helpers/audit.ts";
import {
  buildHousehold,
  buildResident,
  buildUnit,
  buildUser,
  buildVillage,
  type Household,
  TEST_PASSWORD,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { buildTwoVillagesWithHouseholds } from "../../../test/helpers/two-villages.ts";
import { residents, villages } from "../../db/schema.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { assertFieldErrors, errorMessageOf } from "../../test-support/api.ts";
import { auditCount } from "../../test-support/audit.ts";
import { HOA_FORM } from "../../test-support/resident-form.ts";
import { listResidentRows } from "./repo.ts";
import { ageAt } from "./service.ts";

let t: TestApp;
const ROLES = ["coordinator", "volunteer", "leader", "economy"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let h1: Household;
let h2: Household;
let tokens: Record<string, string>;

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  const { v1, ...households } = await buildTwoVillagesWithHouseholds(t);
  ({ h1, h2 } = households);
  await buildUnit(t.db, { commune, code: "THCS", type: "school" });
  await buildResident(t.db, {
    household: h1,
    fullName: "Nguyễn Văn Ấn",
    citizenId: "038080000001",
    phone: "0912345678",
    birthDate: "1980-05-05",
  });
  await buildResident(t.db, {
    household: h1,
    fullName: "Trần Thị Bình",
    birthDate: "1950-01-01",
    gender: "female",
  });
  await buildResident(t.db, { household: h2, fullName: "Lê Văn An", birthDate: "2001-02-03" });
  await buildResident(t.db, {
    household: h2,
    fullName: "Phạm Thị Đào",
    status: "moved",
    birthDate: "1990-01-01",
    gender: "female",
  });
  await buildUnit(t.db, { commune, code: "DNMAY", type: "enterprise" });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1] });
  tokens = accounts.tokens;
});
after(() => t.close());

type Item = { id: number; full_name: string; citizen_id: string | null; phone: string | null; age: number };
/** A new account of a village role scoped to T01, signed in on the pages. */
async function signInToT01(role: "village_lead" | "volunteer"): Promise<Agent> {
  const t01 = await t.db.query.villages.findFirst({ where: (v, { eq }) => eq(v.code, "T01") });
  const { user } = await buildUser(t.db, { role, commune: t.commune, villages: [t01!] });
  const agent = new Agent(t.app);
  await agent.login(user.username, TEST_PASSWORD);
  return agent;
}

const list = async (role: string, query = "") => {
  const res = await t.app.request(`/api/v1/residents${query}`, { headers: bearer(tokens[role]!) });
  assert.equal(res.status, 200);
  return (await res.json()) as { items: Item[]; total: number };
};

describe("finding residents", () => {
  test("search ignores case and Vietnamese diacritics", async () => {
    for (const q of ["nguyen van an", "NGUYỄN", "nguyễn văn ấn"]) {
      const r = await list("coordinator", `?q=${encodeURIComponent(q)}`);
      assert.deepEqual(
        r.items.map((i) => i.full_name),
        ["Nguyễn Văn Ấn"],
        q,
      );
    }
    // Folded, “văn ấn” is “van an”: Lê Văn An as well.
    const both = await list("coordinator", `?q=${encodeURIComponent("văn ấn")}`);
    assert.deepEqual(
      both.items.map((i) => i.full_name),
      ["Lê Văn An", "Nguyễn Văn Ấn"],
    );
  });

  test("names sort by given name first (An, Ấn, Bình, Đào)", async () => {
    const r = await list("coordinator");
    assert.deepEqual(
      r.items.map((i) => i.full_name),
      ["Lê Văn An", "Nguyễn Văn Ấn", "Trần Thị Bình", "Phạm Thị Đào"],
    );
  });

  test("filters by village, status and household code; an unknown code finds nothing", async () => {
    assert.equal((await list("coordinator", "?village=T02")).total, 2);
    assert.equal((await list("coordinator", "?village=T02&status=moved")).total, 1);
    assert.equal((await list("coordinator", "?household=T01-0001")).total, 2);
    assert.equal((await list("coordinator", "?village=T99")).total, 0);
    const bad = await t.app.request("/api/v1/residents?status=gone", {
      headers: bearer(tokens.coordinator!),
    });
    assert.equal(bad.status, 422);
  });

  test("a volunteer sees only the residents of their village, without citizen ID, phone or birth date", async () => {
    const r = await list("volunteer");
    assert.deepEqual(r.items.map((i) => i.full_name).sort(), ["Nguyễn Văn Ấn", "Trần Thị Bình"]);
    const an = r.items.find((i) => i.full_name === "Nguyễn Văn Ấn")!;
    // Not even masked (SPEC §2; test/scope-roles.test.ts has the whole rule).
    assert.equal("citizen_id" in an, false);
    assert.equal("phone" in an, false);
    assert.equal("birth_date" in an, false);
    // Nor can a masked viewer find someone by citizen ID.
    assert.equal((await list("volunteer", "?q=038080000001")).total, 0);
    const out = (await list("coordinator", "?village=T02")).items[0]!;
    assert.equal(
      (await t.app.request(`/api/v1/residents/${out.id}`, { headers: bearer(tokens.volunteer!) })).status,
      404,
    );
  });

  test("the coordinator sees them whole, and each such view is audited", async () => {
    const an = (await list("coordinator", "?q=an&village=T01")).items[0]!;
    assert.equal(an.citizen_id, "038080000001");
    const res = await t.app.request(`/api/v1/residents/${an.id}`, { headers: bearer(tokens.coordinator!) });
    assert.equal(((await res.json()) as Item).phone, "0912345678");
    assert.equal(await auditCount(t.db, "resident.view_identity", an.id), 1);
  });

  test("a search's page counts nothing: it says its number, and 'Trang sau' only when one more match exists", async () => {
    const hh = await buildHousehold(t.db, {
      village: (await t.db.query.villages.findFirst())!,
      code: "T01-0051",
    });
    for (let i = 0; i < 51; i++) await buildResident(t.db, { household: hh, fullName: `Vũ Thị Xuyến ${i}` });
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    const first = await (await a.get("/residents?q=xuyen")).text();
    assert.match(first, /Trang 1</);
    assert.doesNotMatch(first, /bản ghi/);
    assert.match(first, /page=2[^"]*" rel="next">\s*Trang sau/);
    const second = await (await a.get("/residents?q=xuyen&page=2")).text();
    assert.match(second, /Trang 2</);
    assert.doesNotMatch(second, /rel="next"/);
    assert.equal((second.match(/Vũ Thị Xuyến/g) ?? []).length, 1);
    // Exactly a page of matches (50): no next page.
    for (let i = 0; i < 50; i++) await buildResident(t.db, { household: hh, fullName: `Đinh Văn Khải ${i}` });
    const fifty = await (await a.get("/residents?q=khai")).text();
    assert.equal((fifty.match(/Đinh Văn Khải/g) ?? []).length, 50);
    assert.doesNotMatch(fifty, /rel="next"/);
    // The plain list keeps its count; the API too.
    assert.match(await (await a.get("/residents")).text(), /bản ghi/);
    assert.equal((await list("coordinator", "?q=xuyen")).total, 51);
  });

  test("age is in completed years, a birthday counting on its day", () => {
    assert.equal(ageAt("1966-11-25", "2026-11-25"), 60);
    assert.equal(ageAt("1966-11-26", "2026-11-25"), 59);
    assert.equal(ageAt("2000-02-29", "2026-02-28"), 25);
  });
});

describe("changing residents", () => {
  const post = (role: string, body: unknown, path = "/api/v1/residents", method = "POST") =>
    accounts.send(role, body, path, method);

  test("the API creates a resident with the rules of an import row, labels accepted", async () => {
    const res = await post("coordinator", {
      full_name: "  Đỗ   Văn Mới ",
      birth_date: "1948",
      gender: "Nam",
      citizen_id: "38048012345",
      village: "T01",
      household: "T01-0001",
      groups: "CBCCVC",
      vneid_level: "Mức 1",
    });
    assert.equal(res.status, 201, await res.clone().text());
    const r = (await res.json()) as Item & { birth_date: string; groups: string[] };
    assert.equal(r.full_name, "Đỗ Văn Mới");
    assert.equal(r.birth_date, "1948");
    assert.equal(r.citizen_id, "038048012345");
    assert.deepEqual(r.groups, ["public_sector"]);
  });

  test("bad input: each field's message, nothing written", async () => {
    const [before] = await t.db.select({ n: count() }).from(residents);
    const res = await post("coordinator", {
      full_name: "",
      birth_date: "31/02/1990",
      gender: "X",
      citizen_id: "038080000001",
      phone: "12345",
      village: "T01",
      household: "T02-0001",
    });
    const fields = await assertFieldErrors(res, ["birth_date", "full_name", "gender", "household", "phone"]);
    assert.match(fields.household!, /thuộc thôn T02/);
    const [afterRow] = await t.db.select({ n: count() }).from(residents);
    assert.equal(afterRow!.n, before!.n);
    // A citizen ID already on record is refused too.
    const dup = await post("coordinator", {
      full_name: "Ai Đó",
      birth_date: "01/01/1980",
      gender: "Nam",
      citizen_id: "038080000001",
      village: "T01",
      household: "T01-0001",
    });
    assert.equal(dup.status, 422);
  });

  test("the economy office writes enterprise workers only, and cannot turn one into another group", async () => {
    const worker = {
      full_name: "Vũ Văn Thợ",
      birth_date: "02/03/1995",
      gender: "Nam",
      village: "T01",
      household: "T01-0001",
      groups: "Người lao động doanh nghiệp",
      unit: "DNMAY",
    };
    const ok = await post("economy", worker);
    assert.equal(ok.status, 201, await ok.clone().text());
    const id = ((await ok.json()) as { id: number }).id;
    const refused = [
      { ...worker, full_name: "Vũ Thị Học", groups: "Học sinh", unit: "" },
      { ...worker, full_name: "Vũ Văn Trường", unit: "THCS" },
    ];
    for (const body of refused) {
      const res = await post("economy", body);
      assert.equal(res.status, 403, body.full_name);
      assert.match(await errorMessageOf(res), /người lao động/);
    }
    // A residents file covers the whole commune: the economy office may not import one.
    const { user } = await buildUser(t.db, { role: "economy", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    await a.get("/imports");
    const form = new FormData();
    form.append("kind", "residents");
    form.append("file", new File(["Họ và tên,Ngày sinh\n"], "r.csv"));
    assert.equal((await a.postMultipart("/imports", form)).status, 403);
    assert.match(a.lastHtml, /người lao động doanh nghiệp/);
    const change = await post("economy", { groups: "Học sinh" }, `/api/v1/residents/${id}`, "PATCH");
    assert.equal(change.status, 403);
    const fine = await post("economy", { phone: "0912000111" }, `/api/v1/residents/${id}`, "PATCH");
    assert.equal(fine.status, 200);
    const n = await t.db.select({ n: count() }).from(residents).where(eq(residents.fullName, "Vũ Thị Học"));
    assert.equal(n[0]!.n, 0);
  });

  test("deactivation is a status change; a volunteer cannot write; a leader cannot either", async () => {
    const an = (await list("coordinator", "?q=an&village=T01")).items[0]!;
    const res = await post("coordinator", { status: "Đã mất" }, `/api/v1/residents/${an.id}`, "PATCH");
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, "deceased");
    for (const role of ["volunteer", "leader"]) {
      assert.equal(
        (await post(role, { status: "active" }, `/api/v1/residents/${an.id}`, "PATCH")).status,
        403,
        role,
      );
    }
    const ev = await auditEntryOf(t.db, "resident.update", an.id);
    assert.equal((ev!.before as { status: string }).status, "active");
    assert.equal((ev!.after as { status: string }).status, "deceased");
  });

  test("through the pages: a village lead adds a resident to their village, not to another", async () => {
    const a = await signInToT01("village_lead");
    await a.get("/residents/new");
    const ok = await a.postForm("/residents", HOA_FORM);
    assert.equal(ok.status, 303);
    await a.get(ok.headers.get("location")!);
    assert.match(a.lastHtml, /Đã thêm cư dân Hoàng Thị Hoa/);
    await a.get("/residents/new");
    const elsewhere = { full_name: "Người Thôn Khác", gender: "male", village: "T02", household: "T02-0001" };
    const other = await a.postForm("/residents", { ...HOA_FORM, ...elsewhere });
    assert.equal(other.status, 403);
    await a.get("/residents/new");
    const { vneid_level: _, ...required } = HOA_FORM;
    const bad = await a.postForm("/residents", {
      ...required,
      full_name: "",
      birth_date: "hôm qua",
      gender: "",
      household: "",
    });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    assert.match(a.lastHtml, /href="#f-birth_date"/);
    // Every mistake at once, each named by its field's label in the summary (GOV.UK).
    const summary = a.lastHtml.slice(a.lastHtml.indexOf('class="error-summary"'));
    const items = [
      ...summary.slice(0, summary.indexOf("</ul>")).matchAll(/<a href="#f-(\w+)">([^<]+)<\/a>/g),
    ];
    const byField = new Map(items.map((m) => [m[1], m[2]]));
    assert.deepEqual([...byField.keys()].sort(), ["birth_date", "full_name", "gender", "household"]);
    assert.equal(byField.get("full_name"), "Vui lòng nhập Họ và tên.");
    assert.match(byField.get("birth_date")!, /^Ngày sinh: /);
    assert.match(byField.get("gender")!, /Giới tính/);
    assert.doesNotMatch(summary.slice(0, summary.indexOf("</ul>")), /Ô này bắt buộc/);
  });

  test("a household in another village of the commune is out of reach for its pages too", async () => {
    const a = await signInToT01("volunteer");
    const far = (await list("coordinator", "?village=T02")).items[0]!;
    assert.equal((await a.get(`/residents/${far.id}`)).status, 404);
    assert.equal((await a.get("/residents")).status, 200);
    assert.doesNotMatch(a.lastHtml, /Lê Văn An/);
    assert.equal((await a.get("/residents/new")).status, 403);
  });
});

describe("downloads", () => {
  test("a leader's download is masked, the coordinator's whole, both audited; a volunteer may not download", async () => {
    const get = async (role: string) => {
      const res = await t.app.request("/api/v1/exports/residents.csv", { headers: bearer(tokens[role]!) });
      assert.equal(res.status, 200, `${role}: ${await res.clone().text()}`);
      assert.match(res.headers.get("content-disposition")!, /attachment; filename="bdhvs-residents-/);
      return (await res.text())
        .replace(/^\uFEFF/, "")
        .trim()
        .split(/\r?\n/);
    };
    const masked = await get("leader");
    assert.equal(
      masked[0],
      "full_name,birth_date,gender,citizen_id,phone,village,household,status,groups,unit,disabled,vneid_level",
    );
    assert.ok(masked.some((l) => l.includes("038*******01")));
    assert.ok(!masked.some((l) => l.includes("038080000001")));
    const denied = await t.app.request("/api/v1/exports/residents.csv", {
      headers: bearer(tokens.volunteer!),
    });
    assert.equal(denied.status, 403);
    const all = await get("coordinator");
    assert.ok(all.some((l) => l.includes(",T02,")));
    assert.ok(all.some((l) => l.includes("038080000001")));
    assert.equal(await auditCount(t.db, "export.residents"), 2);
    assert.equal(
      (await t.app.request("/api/v1/exports/secrets.csv", { headers: bearer(tokens.coordinator!) })).status,
      404,
    );
    assert.equal((await t.app.request("/api/v1/exports/residents.csv")).status, 401);
  });
});

describe("certifications", () => {
  test("recorded through the API with labels, refused twice, bad dates named; only writers, only in scope", async () => {
    const an = (await list("coordinator", "?q=an&village=T01")).items[0]!;
    const send = (role: string, body: unknown, id = an.id) =>
      t.app.request(`/api/v1/residents/${id}/certifications`, {
        method: "POST",
        headers: bearer(tokens[role]!, { "content-type": "application/json" }),
        body: JSON.stringify(body),
      });
    const ok = await send("coordinator", {
      kind: "Cơ bản",
      date: "20/11/2026",
      source: "Nền tảng",
      reference: "BD-1",
    });
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.deepEqual(
      { ...((await ok.json()) as Record<string, unknown>), id: 0 },
      { id: 0, kind: "basic", date: "2026-11-20", source: "platform", reference: "BD-1" },
    );
    const twice = await send("coordinator", { kind: "basic", date: "2026-11-20", source: "platform" });
    assert.equal(twice.status, 422);
    assert.match(
      ((await twice.json()) as { error: { fields: { kind: string } } }).error.fields.kind,
      /đã có chứng nhận/,
    );
    const bad = await send("coordinator", { kind: "basic", date: "31/02/2026", source: "platform" });
    assert.equal(bad.status, 422);
    assert.equal(
      (await send("volunteer", { kind: "basic", date: "2026-11-20", source: "platform" })).status,
      403,
    );
    const detail = await t.app.request(`/api/v1/residents/${an.id}`, {
      headers: bearer(tokens.coordinator!),
    });
    assert.equal(((await detail.json()) as { certifications: unknown[] }).certifications.length, 1);
    assert.equal(await auditCount(t.db, "certification.create"), 1);
  });

  test("added from the resident's page; errors shown beside the form", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    const binh = (await list("coordinator", "?q=binh")).items[0]!;
    await a.get(`/residents/${binh.id}`);
    assert.match(a.lastHtml, /Thêm chứng nhận/);
    const bad = await a.postForm(`/residents/${binh.id}/certifications`, {
      kind: "vneid",
      date: "",
      source: "vneid",
    });
    assert.equal(bad.status, 422);
    assert.match(a.lastHtml, /class="error-summary"/);
    const ok = await a.postForm(`/residents/${binh.id}/certifications`, {
      kind: "vneid",
      date: "01/11/2026",
      source: "vneid",
    });
    assert.equal(ok.status, 303);
    await a.get(`/residents/${binh.id}`);
    assert.match(a.lastHtml, /Xác nhận trên VNeID/);
    assert.match(a.lastHtml, /01\/11\/2026/);
  });
});

describe("searching many residents", () => {
  test("a search pages its matches in name order, by trigram or, for two letters, along the name order", async () => {
    const hh = await buildHousehold(t.db, {
      village: (await t.db.query.villages.findFirst())!,
      code: "T01-0077",
    });
    const names = ["Ý", "Quỳnh", "Xuân", "Anh", "Ân", "Thanh", "Tuấn", "Vân", "Khanh", "Yến"];
    for (const [i, given] of names.entries())
      await buildResident(t.db, { household: hh, fullName: `Hoàng ${i % 2 ? "Thị" : "Văn"} ${given}` });
    const scope = { kind: "commune" as const, communeId: t.commune.id };
    const pageOf = async (q: string | undefined, limit: number, offset: number) =>
      (await listResidentRows(t.db, scope, q ? { q } : {}, { limit, offset })).items.map((r) => r.fullName);
    const everyone = await pageOf(undefined, 1000, 0);
    for (const q of ["an", "anh", "uan", "van a", "hoang thi", "n"]) {
      const expected = everyone.filter((n) => foldVietnamese(n).includes(q));
      assert.ok(expected.length >= 2, q);
      const paged = [...(await pageOf(q, 2, 0)), ...(await pageOf(q, 1000, 2))];
      assert.deepEqual(paged, expected, q);
    }
  });
});

describe("the list's village filter", () => {
  test("a village added or renamed is offered at once (the kept list follows the registry)", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    assert.doesNotMatch(await (await a.get("/residents")).text(), /Thôn Mới Lập/);
    const added = await buildVillage(t.db, { commune: t.commune, code: "T09", name: "Thôn Mới Lập" });
    assert.match(await (await a.get("/residents")).text(), /Thôn Mới Lập/);
    await t.db.update(villages).set({ name: "Thôn Đổi Tên" }).where(eq(villages.id, added.id));
    const page = await (await a.get("/residents")).text();
    assert.match(page, /Thôn Đổi Tên/);
    assert.doesNotMatch(page, /Thôn Mới Lập/);
  });
});
