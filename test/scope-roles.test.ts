/**
 * Issue 15, finding 7: the economy office reads its workers (enterprise and cooperative workers) and
 * their records, plus indicators — nothing else; a volunteer receives names, age, household and status
 * plus what field work needs, never a birth date, gender, citizen ID, phone or unit, masked or not —
 * in pages, the API, drill-downs, visit lists and the field app's work set alike.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { certifications } from "../src/db/schema.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { runImport } from "../src/features/imports/engine.ts";
import { resetClock, setClock, startingAt } from "../src/lib/clock.ts";
import { type Agent, createTestApp, type TestApp } from "./helpers/app.ts";
import {
  buildCertification,
  buildClass,
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildUnit,
  type Resident,
  type Unit,
} from "./helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "./helpers/roles.ts";
import { buildTwoVillages } from "./helpers/two-villages.ts";

let t: TestApp;
const ROLES = ["economy", "volunteer", "village_lead"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let agents: Record<string, Agent>;
let sewer: Resident; // enterprise worker of an enterprise
let farmer: Resident; // enterprise worker of a cooperative
let freelance: Resident; // enterprise worker naming no unit
let clerk: Resident; // "enterprise worker" of a commune office: not the economy office's
let child: Resident; // a pupil
let grandma: Resident; // elderly, disabled, poor household, with an ID and a phone, certified
let grandpa: Resident; // elderly, poor household, with an ID and a phone, no skills yet (on the visit list)
let household = "";
let economyUser = 0;

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  const commune = t.commune;
  const [v1, v2] = await buildTwoVillages(t);
  const may = await buildUnit(t.db, { commune, code: "MAYTN", name: "Công ty May", type: "enterprise" });
  const htx = await buildUnit(t.db, { commune, code: "HTXNN", name: "HTX Nông nghiệp", type: "cooperative" });
  const ubnd = await buildUnit(t.db, { commune, code: "UBND", name: "Ủy ban xã", type: "office" });
  const school = await buildUnit(t.db, { commune, code: "THTN", name: "Trường Tiểu học", type: "school" });
  const h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001", poor: true });
  const h2 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  household = h1.code;
  /** An enterprise worker of h2, working for `unit` (none: on their own). */
  const worker = (fullName: string, unit: Unit | null, more: Parameters<typeof buildResident>[1] = {}) =>
    buildResident(t.db, {
      household: h2,
      fullName,
      groups: ["enterprise_worker"],
      unitId: unit?.id,
      ...more,
    });
  sewer = await worker("Lê Thị May", may, { citizenId: "038190000001", birthDate: "1990-05-06" });
  farmer = await worker("Phan Văn Ruộng", htx);
  freelance = await worker("Vũ Tự Do", null);
  clerk = await worker("Đỗ Văn Thư", ubnd);
  child = await buildResident(t.db, {
    household: h1,
    fullName: "Bùi Bé Na",
    groups: ["student"],
    unitId: school.id,
    birthDate: "2016-02-03",
    gender: "female",
  });
  grandma = await buildResident(t.db, {
    household: h1,
    fullName: "Nguyễn Thị Bà",
    birthDate: "1950-07-08",
    gender: "female",
    citizenId: "038150000777",
    phone: "0912345678",
    disabled: true,
    vneidLevel: 1,
  });
  grandpa = await buildResident(t.db, {
    household: h1,
    fullName: "Trần Văn Ông",
    birthDate: "1945-09-10",
    citizenId: "038145000888",
    phone: "0987654321",
  });
  await buildCertification(t.db, { resident: sewer, date: "2026-03-01" });
  await buildCertification(t.db, { resident: child, date: "2026-03-02", source: "school" });
  await buildCertification(t.db, { resident: grandma, kind: "vneid", date: "2026-04-01", source: "vneid" });
  await buildClass(t.db, { commune, code: "LH01", date: "2026-06-10", present: [sewer, child, grandma] });
  await buildTeamMember(t.db, { village: v1, fullName: "Mai Văn Hùng" });
  accounts = await buildRoleAccounts(t, ROLES, { agents: true, villages: [v1] });
  agents = accounts.agents;
  economyUser = accounts.users.economy.id;
});

after(async () => {
  resetClock();
  await t.close();
});

const api = async (role: string, path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await accounts.send(role, init.body, path, init.method ?? "GET");
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, body: type.includes("json") ? await res.json() : await res.text() };
};

type Items = { items: Record<string, unknown>[] };
const names = (b: Items) => b.items.map((r) => r.full_name).sort();

describe("economy: enterprise and cooperative workers only (finding 7)", () => {
  const workers = () => [sewer, farmer, freelance].map((r) => r.fullName).sort();

  test("the residents API and page list the workers, no one else", async () => {
    const list = await api("economy", "/api/v1/residents");
    assert.equal(list.status, 200);
    assert.deepEqual(names(list.body as Items), workers());
    assert.equal((list.body as { total: number }).total, 3);
    // A filter cannot widen it.
    assert.deepEqual(names((await api("economy", "/api/v1/residents?group=student")).body as Items), []);
    const page = await agents.economy!.get("/residents");
    assert.equal(page.status, 200);
    for (const r of [sewer, farmer, freelance])
      assert.match(agents.economy!.lastHtml, new RegExp(r.fullName));
    for (const r of [child, grandma, grandpa, clerk])
      assert.doesNotMatch(agents.economy!.lastHtml, new RegExp(r.fullName));
  });

  test("another resident by id is a 404, in the API and on the page; a worker is there", async () => {
    for (const r of [child, grandma, clerk]) {
      assert.equal((await api("economy", `/api/v1/residents/${r.id}`)).status, 404);
      assert.equal((await agents.economy!.get(`/residents/${r.id}`)).status, 404);
      assert.doesNotMatch(agents.economy!.lastHtml, new RegExp(r.fullName));
    }
    const one = await api("economy", `/api/v1/residents/${sewer.id}`);
    assert.equal(one.status, 200);
    assert.equal((one.body as { unit: string }).unit, "MAYTN");
  });

  test("certifications and attendance: the workers' rows only", async () => {
    const certs = await api("economy", "/api/v1/certifications");
    assert.equal(certs.status, 200);
    assert.deepEqual(names(certs.body as Items), [sewer.fullName]);
    const att = await api("economy", "/api/v1/attendance");
    assert.equal(att.status, 200);
    assert.deepEqual(names(att.body as Items), [sewer.fullName]);
    await agents.economy!.get("/certifications");
    assert.doesNotMatch(agents.economy!.lastHtml, /Bùi Bé Na|Nguyễn Thị Bà/);
  });

  test("exports of residents, certifications and attendance hold the workers only", async () => {
    for (const kind of ["residents", "certifications", "attendance"]) {
      const res = await agents.economy!.get(`/exports/${kind}.csv`);
      assert.equal(res.status, 200, kind);
      assert.doesNotMatch(agents.economy!.lastHtml, /Bùi Bé Na|Nguyễn Thị Bà|Đỗ Văn Thư/, kind);
    }
    await agents.economy!.get("/exports/residents.csv");
    for (const r of [sewer, farmer, freelance])
      assert.match(agents.economy!.lastHtml, new RegExp(r.fullName));
  });

  test("indicators: the commune's figures; a drill-down lists workers only, households none", async () => {
    const ind = await api("economy", "/api/v1/indicators");
    assert.equal(ind.status, 200);
    const adults = (ind.body as { indicators: { code: string; denominator: number }[] }).indicators.find(
      (i) => i.code === "adult_skills",
    )!;
    assert.equal(adults.denominator, 6, "every adult of the commune counts in the figure");
    const missing = await api("economy", "/api/v1/indicators/adult_skills/residents");
    assert.equal(missing.status, 200);
    assert.deepEqual(names(missing.body as Items), [farmer.fullName, freelance.fullName].sort());
    const counted = await api("economy", "/api/v1/indicators/adult_skills/residents?counted=true");
    assert.deepEqual(names(counted.body as Items), [sewer.fullName]);
    const hh = await api("economy", "/api/v1/indicators/digital_households/households");
    assert.equal(hh.status, 200);
    assert.deepEqual((hh.body as Items).items, []);
  });

  test("writes about someone else are the 404 of no such resident, naming nobody", async () => {
    const att = await api("economy", "/api/v1/attendance", {
      method: "PUT",
      body: { activity: "LH01", date: "2026-06-10", resident_id: child.id, present: false },
    });
    assert.equal(att.status, 404);
    assert.doesNotMatch(JSON.stringify(att.body), /Bùi Bé Na/);
    const cert = await api("economy", `/api/v1/residents/${grandma.id}/certifications`, {
      method: "POST",
      body: { kind: "basic", date: "2026-06-01", source: "course" },
    });
    assert.equal(cert.status, 404);
    // A worker's attendance is the office's to record.
    const ok = await api("economy", "/api/v1/attendance", {
      method: "PUT",
      body: { activity: "LH01", date: "2026-06-10", resident_id: farmer.id, present: true },
    });
    assert.equal(ok.status, 200);
  });

  test("a citizen ID of someone it may not read is refused without saying it is taken", async () => {
    const res = await api("economy", "/api/v1/residents", {
      method: "POST",
      body: {
        full_name: "Hồ Thị Mới",
        // What the number itself says (a woman born in 1950), so only its owner can be the reason.
        birth_date: "1950-01-01",
        gender: "female",
        citizen_id: grandma.citizenId,
        village: "T02",
        household: "T02-0001",
        groups: "enterprise_worker",
        unit: "MAYTN",
      },
    });
    assert.equal(res.status, 422);
    const fields = (res.body as { error: { fields: Record<string, string> } }).error.fields;
    assert.match(fields.citizen_id!, /^Không ghi được số CCCD này/);
    assert.doesNotMatch(JSON.stringify(res.body), /đã là của|Nguyễn Thị Bà/);
  });
});

describe("economy imports: the workers only", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-economy-import-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const certsOf = async (id: number) =>
    (await t.db.select({ n: count() }).from(certifications).where(eq(certifications.residentId, id)))[0]!.n;
  const file = (name: string, rows: string[]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, ["Số CCCD,Loại,Ngày cấp,Nguồn", ...rows].join("\n"));
    return f;
  };
  const economy = () => ({
    communeId: t.commune.id,
    userId: economyUser,
    username: "economy",
    requestId: null,
    ip: null,
  });
  /** Imports a certifications file into the test commune as `actor`. */
  const importCertifications = (file: string, actor: Parameters<typeof runImport>[0]["actor"]) =>
    runImport({ db: t.db, communeId: t.commune.id, kind: "certifications", file, actor });

  test("a certifications file naming someone else is refused as if no such person; nothing is written", async () => {
    const before = [await certsOf(sewer.id), await certsOf(grandpa.id)];
    const f = file("mixed.csv", [
      `${sewer.citizenId},basic,2026-05-01,course`,
      `${grandpa.citizenId},basic,2026-05-01,course`,
    ]);
    const r = await importCertifications(f, economy());
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.column, e.message.key]),
      [[3, "citizen_id", "import.resident_not_found_cccd"]],
    );
    assert.deepEqual([await certsOf(sewer.id), await certsOf(grandpa.id)], before);
  });

  test("the workers' rows land; the commune (CLI) may name anyone", async () => {
    const mine = file("mine.csv", [`${sewer.citizenId},basic,2026-05-02,course`]);
    const r = await importCertifications(mine, economy());
    assert.equal(r.ok, true);
    assert.equal(r.inserted, 1);
    const anyone = file("anyone.csv", [`${grandpa.citizenId},basic,2026-05-02,course`]);
    const all = await importCertifications(anyone, cliActor(t.commune.id));
    assert.equal(all.ok, true);
    assert.equal(all.inserted, 1);
  });
});

/** What a volunteer may read of a resident (SPEC §2 plus field work), and nothing else. */
const VOLUNTEER_KEYS = [
  "age",
  "basic_skills",
  "disabled",
  "elderly",
  "full_name",
  "groups",
  "household",
  "id",
  "poor",
  "status",
  "village",
  "village_name",
  "vneid_confirmed",
  "vneid_level",
];
const PERSONAL =
  /038150000777|038\*+77|0912345678|091\*+78|038145000888|038\*+88|0987654321|098\*+21|1950-07-08|08\/07\/1950|1945-09-10|10\/09\/1945|2016-02-03/;

describe("volunteer: names, age, household, status and what field work needs (finding 7)", () => {
  test("the residents API: exactly those keys, the skills and priority facts right", async () => {
    const list = await api("volunteer", "/api/v1/residents");
    assert.equal(list.status, 200);
    const items = (list.body as Items).items;
    assert.deepEqual(
      items.map((r) => r.full_name).sort(),
      [child.fullName, grandma.fullName, grandpa.fullName].sort(),
    );
    for (const r of items) assert.deepEqual(Object.keys(r).sort(), VOLUNTEER_KEYS);
    const ba = items.find((r) => r.id === grandma.id)!;
    assert.equal(ba.age, 75);
    assert.equal(ba.elderly, true);
    assert.equal(ba.disabled, true);
    assert.equal(ba.poor, true);
    assert.equal(ba.basic_skills, true, "a vneid certification is basic skills too (SPEC §3)");
    assert.equal(ba.vneid_confirmed, true);
    assert.equal(ba.vneid_level, 1);
    assert.doesNotMatch(JSON.stringify(list.body), PERSONAL);
    const one = await api("volunteer", `/api/v1/residents/${grandma.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body as object).sort(), VOLUNTEER_KEYS, "no certifications list either");
  });

  test("the resident, list and household pages show none of it", async () => {
    const a = agents.volunteer!;
    for (const path of [
      "/residents",
      `/residents/${grandma.id}`,
      `/residents/${grandpa.id}`,
      `/residents/${child.id}`,
    ]) {
      assert.equal((await a.get(path)).status, 200, path);
      assert.doesNotMatch(a.lastHtml, PERSONAL, path);
      assert.doesNotMatch(a.lastHtml, /Số CCCD|Số điện thoại|Ngày sinh|Giới tính|Trường Tiểu học|THTN/, path);
    }
    await a.get(`/residents/${grandma.id}`);
    assert.match(a.lastHtml, /75 tuổi, người cao tuổi/);
    assert.match(a.lastHtml, /Có kỹ năng số cơ bản/);
    assert.match(a.lastHtml, /hộ nghèo hoặc cận nghèo/);
    const hh = await api("volunteer", "/api/v1/households");
    const id = (hh.body as { items: { id: number; code: string }[] }).items.find(
      (h) => h.code === household,
    )!.id;
    assert.equal((await a.get(`/households/${id}`)).status, 200);
    assert.match(a.lastHtml, /Nguyễn Thị Bà/);
    assert.doesNotMatch(a.lastHtml, /Giới tính|Nữ</);
  });

  test("the visit list (who to visit next): no phone column, nothing personal; drill-downs are not its", async () => {
    assert.equal((await api("volunteer", "/api/v1/indicators/adult_skills/residents")).status, 403);
    const villages = (await api("volunteer", "/api/v1/villages")).body as { items: { id: number }[] };
    const a = agents.volunteer!;
    for (const print of ["", "?print=1"]) {
      const path = `/villages/${villages.items[0]!.id}/visit-next${print}`;
      assert.equal((await a.get(path)).status, 200, path);
      assert.match(a.lastHtml, /Trần Văn Ông/);
      assert.match(a.lastHtml, /Hộ nghèo|hộ nghèo/);
      assert.doesNotMatch(a.lastHtml, PERSONAL, path);
      assert.doesNotMatch(a.lastHtml, /Số điện thoại/, path);
    }
    // A village lead's list keeps the (masked) phone.
    await agents.village_lead!.get(`/villages/${villages.items[0]!.id}/visit-next`);
    assert.match(agents.village_lead!.lastHtml, /Số điện thoại/);
    assert.match(agents.village_lead!.lastHtml, /098\*+21/);
  });

  test("attendance, team members and the field work set carry no ID, birth date, phone or gender", async () => {
    const att = await api("volunteer", "/api/v1/attendance");
    assert.equal(att.status, 200);
    for (const r of (att.body as Items).items)
      assert.deepEqual(Object.keys(r).sort(), [
        "activity",
        "date",
        "full_name",
        "id",
        "present",
        "resident_id",
      ]);
    const team = await api("volunteer", "/api/v1/team_members");
    assert.equal(team.status, 200);
    for (const m of (team.body as Items).items) {
      assert.equal("phone" in m, false);
      assert.equal("citizen_id" in m, false);
    }
    const ws = await api("volunteer", "/api/v1/field/work-set");
    assert.equal(ws.status, 200);
    const members = (ws.body as { households: { members: Record<string, unknown>[] }[] }).households.flatMap(
      (h) => h.members,
    );
    assert.ok(members.length > 0);
    for (const m of members)
      assert.deepEqual(Object.keys(m).sort(), [
        "age",
        "disabled",
        "groups",
        "id",
        "name",
        "skilled",
        "status",
        "vneid_confirmed",
        "vneid_level",
      ]);
    assert.doesNotMatch(JSON.stringify(ws.body), PERSONAL);
  });

  test("downloads are not a volunteer's (403)", async () => {
    assert.equal((await agents.volunteer!.get("/exports/residents.csv")).status, 403);
  });

  test("a village lead still reads the birth date, gender and masked IDs: the rule is the volunteer's", async () => {
    const r = await api("village_lead", `/api/v1/residents/${grandma.id}`);
    assert.equal(r.status, 200);
    const body = r.body as Record<string, unknown>;
    assert.equal(body.birth_date, "1950-07-08");
    assert.equal(body.gender, "female");
    assert.equal(body.citizen_id, "038*******77");
    assert.ok(Array.isArray(body.certifications));
  });

  test("the OpenAPI document marks the personal fields optional", async () => {
    const doc = (await (await t.app.request("/api/v1/openapi.json")).json()) as {
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const required = doc.components.schemas.Resident!.required ?? [];
    for (const k of ["birth_date", "gender", "citizen_id", "phone", "unit", "unit_name"])
      assert.equal(required.includes(k), false, k);
    for (const k of ["full_name", "age", "household", "status", "basic_skills", "poor"])
      assert.equal(required.includes(k), true, k);
    const att = doc.components.schemas.Attendance!.required ?? [];
    assert.equal(att.includes("birth_date") || att.includes("citizen_id"), false);
  });
});
