import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildTeam,
  buildTeamMember,
  buildUser,
  buildVillage,
  buildVisit,
  type Resident,
  TEST_PASSWORD,
  type Village,
} from "../../../test/helpers/factories.ts";
import { activities, activitySessions, teamMembers, teams } from "../../db/schema.ts";
import { parseTeamRole } from "../../lib/values.ts";
import { sendJson } from "../../test-support/api.ts";
import { auditCount } from "../../test-support/audit.ts";
import { checkTeamMemberRow } from "./check.ts";
import { teamActivityAt } from "./service.ts";

let t: TestApp;
const v: Record<string, Village> = {};
let resident: Resident;
const agents: Record<string, Agent> = {};
const tokens: Record<string, string> = {};
const D = "2026-06-30";
const D90 = "2026-04-01"; // D − 90 days

async function withMembers(village: Village, n: number) {
  for (let i = 0; i < n; i++)
    await buildTeamMember(t.db, { village, fullName: `Thành Viên ${village.code} ${i}` });
}

async function activity(
  village: Village,
  type: "class" | "propaganda",
  date: string,
  sessions: string[] = [],
) {
  const [a] = await t.db
    .insert(activities)
    .values({
      communeId: village.communeId,
      code: `HD-${village.code}-${type}-${date}`,
      type,
      title: `Hoạt động ${type}`,
      date,
      villageId: village.id,
    })
    .returning();
  for (const s of sessions)
    await t.db.insert(activitySessions).values({ communeId: village.communeId, activityId: a!.id, date: s });
}

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  for (const code of ["A", "B", "C", "D", "E", "F", "G", "H"])
    v[code] = await buildVillage(t.db, { commune, code, name: `Thôn ${code}` });
  // A: 3 members and a visit 10 days before D → active.
  await withMembers(v.A!, 3);
  await buildVisit(t.db, { household: await buildHousehold(t.db, { village: v.A! }), date: "2026-06-20" });
  // B: a visit, but only 2 members.
  await withMembers(v.B!, 1); // + the visit's member = 2
  await buildVisit(t.db, { household: await buildHousehold(t.db, { village: v.B! }), date: "2026-06-20" });
  // C: 3 members, nothing done.
  await withMembers(v.C!, 3);
  // D: a class session exactly on D − 90 (included).
  await withMembers(v.D!, 3);
  await activity(v.D!, "class", "2026-01-01", [D90]);
  // E: a class dated in the window, but its only session before it: counts by its sessions → not active.
  await withMembers(v.E!, 3);
  await activity(v.E!, "class", "2026-06-01", ["2026-03-31"]);
  // F: a class without sessions, dated D (included).
  await withMembers(v.F!, 3);
  await activity(v.F!, "class", D);
  // G: a visit the day before the window, and propaganda the day after D: neither counts.
  await withMembers(v.G!, 1); // + the visit's member = 2
  await buildVisit(t.db, { household: await buildHousehold(t.db, { village: v.G! }), date: "2026-03-31" });
  await activity(v.G!, "propaganda", "2026-07-01");
  // H: propaganda on D; no team row at all.
  await activity(v.H!, "propaganda", D);

  resident = await buildResident(t.db, {
    household: await buildHousehold(t.db, { village: v.C! }),
    fullName: "Phạm Thị Ngọc",
    gender: "female",
    citizenId: "038180000002",
  });
  for (const [key, role, villages] of [
    ["leadC", "village_lead", [v.C!]],
    ["leadA", "village_lead", [v.A!]],
    ["volC", "volunteer", [v.C!]],
    ["coordinator", "coordinator", []],
    ["police", "police", []],
  ] as const) {
    const { user } = await buildUser(t.db, { role, commune, villages: [...villages] });
    const agent = new Agent(t.app);
    await agent.login(user.username, TEST_PASSWORD);
    agents[key] = agent;
    tokens[key] = await apiToken(t.app, user.username, TEST_PASSWORD);
  }
});
after(() => t.close());

/** The member form filled for a member by name alone (no resident picked). */
const freeMember = (fullName: string, role: string, phone: string) => ({
  resident: "",
  full_name: fullName,
  role,
  phone,
});

/** Opens team C's new-member form as the agent and sends it for a member by name alone. */
async function addFreeMember(agent: Agent, fullName: string, role: string, phone: string) {
  await agent.get(`/teams/${v.C!.id}/members/new`);
  return agent.postForm(`/teams/${v.C!.id}/members`, freeMember(fullName, role, phone));
}

describe("whether a team is active (SPEC §3 indicator 8)", () => {
  test("≥ 3 members and some work in the 90 days up to D, both ends included; reasons in words", async () => {
    const rows = await teamActivityAt({
      db: t.db,
      scope: { kind: "commune", communeId: t.commune.id },
      date: D,
    });
    const by = Object.fromEntries(rows.map((r) => [r.villageCode, r]));
    const active = Object.fromEntries(rows.map((r) => [r.villageCode, r.active]));
    assert.deepEqual(active, { A: true, B: false, C: false, D: true, E: false, F: true, G: false, H: false });
    const vi = (code: string) => by[code]!.reasons.map((m) => m.key);
    assert.deepEqual(vi("B"), ["teams.reason_members"]);
    assert.deepEqual(by.B!.reasons[0]!.params, { count: 2, min: 3 });
    assert.deepEqual(vi("C"), ["teams.reason_no_work"]);
    assert.deepEqual(by.C!.reasons[0]!.params, { days: 90, from: "01/04/2026", to: "30/06/2026" });
    assert.deepEqual(vi("G"), ["teams.reason_members", "teams.reason_no_work"]);
    assert.deepEqual(vi("H"), ["teams.reason_members"]);
    assert.equal(by.H!.teamId, null);
    assert.equal(by.D!.classSessions, 1);
    assert.equal(by.F!.classSessions, 1);
    assert.equal(by.E!.classSessions, 0);
  });

  test("a day later the window moves: D's session on D − 90 drops out", async () => {
    const rows = await teamActivityAt({
      db: t.db,
      scope: { kind: "commune", communeId: t.commune.id },
      date: "2026-07-01",
    });
    const by = Object.fromEntries(rows.map((r) => [r.villageCode, r]));
    assert.equal(by.D!.active, false);
    assert.equal(by.G!.propaganda, 1);
  });

  test("the teams page and API say it in words; a village team sees only its villages", async () => {
    const agent = agents.coordinator!;
    assert.equal((await agent.get("/teams")).status, 200);
    assert.match(agent.lastHtml, /Tổ mới có 0 thành viên \(cần ít nhất 3\)/);
    assert.match(agent.lastHtml, /Không có hoạt động nào trong 90 ngày qua \(từ \d\d\/\d\d\/\d{4} đến/);
    const res = await t.app.request(`/api/v1/teams?date=${D}`, { headers: bearer(tokens.leadC!) });
    const body = (await res.json()) as {
      items: { village: string; active: boolean; reason: string | null }[];
    };
    assert.deepEqual(
      body.items.map((x) => [x.village, x.active]),
      [["C", false]],
    );
    assert.equal(
      body.items[0]!.reason,
      "Không có hoạt động nào trong 90 ngày qua (từ 01/04/2026 đến 30/06/2026)",
    );
  });
});

describe("a village's team page and members", () => {
  test("a village lead adds a member picked by a search without diacritics, linked to the resident", async () => {
    const agent = agents.leadC!;
    assert.equal((await agent.get(`/teams/${v.C!.id}/members/new?q=pham+thi+ngoc`)).status, 200);
    assert.match(agent.lastHtml, new RegExp(`value="${resident.id}"`));
    assert.doesNotMatch(agent.lastHtml, /038180000002/);
    const res = await agent.postForm(`/teams/${v.C!.id}/members`, {
      resident: String(resident.id),
      full_name: "",
      role: "youth_volunteer",
      phone: "0987654321",
    });
    assert.equal(res.status, 303, agent.lastHtml.slice(0, 400));
    const [m] = await t.db.select().from(teamMembers).where(eq(teamMembers.residentId, resident.id));
    assert.equal(m!.fullName, "Phạm Thị Ngọc");
    assert.equal(m!.role, "youth_volunteer");
    assert.equal(m!.phone, "0987654321");
    assert.equal(await auditCount(t.db, "team_member.create"), 1);
    // The lead is a masked role: the page shows the phone masked; the coordinator sees it whole.
    await agent.get(`/teams/${v.C!.id}`);
    assert.match(agent.lastHtml, /098\*\*\*\*\*21/);
    assert.doesNotMatch(agent.lastHtml, /0987654321/);
    await agents.coordinator!.get(`/teams/${v.C!.id}`);
    assert.match(agents.coordinator!.lastHtml, /0987654321/);
  });

  test("a free-text member, its edit (a masked phone sent back keeps it) and its removal", async () => {
    const agent = agents.leadC!;
    let res = await addFreeMember(agent, "Hà Văn Tự Do", "member", "0912000111");
    assert.equal(res.status, 303);
    const [m] = await t.db.select().from(teamMembers).where(eq(teamMembers.fullName, "Hà Văn Tự Do"));
    await agent.get(`/teams/${v.C!.id}/members/${m!.id}/edit`);
    assert.match(agent.lastHtml, /value="091\*\*\*\*\*11"/);
    res = await agent.postForm(
      `/teams/${v.C!.id}/members/${m!.id}`,
      freeMember("Hà Văn Tự Do", "leader", "091*****11"),
    );
    assert.equal(res.status, 303);
    const [after] = await t.db.select().from(teamMembers).where(eq(teamMembers.id, m!.id));
    assert.equal(after!.phone, "0912000111");
    assert.equal(after!.role, "leader");
    await agent.get(`/teams/${v.C!.id}/members/${m!.id}/edit`);
    res = await agent.postForm(`/teams/${v.C!.id}/members/${m!.id}/delete`, {});
    assert.equal(res.status, 303);
    assert.equal((await t.db.select().from(teamMembers).where(eq(teamMembers.id, m!.id))).length, 0);
  });

  test("bad member input: unknown role, bad phone, a name already in the team", async () => {
    const agent = agents.leadC!;
    const res = await addFreeMember(agent, "Thành Viên C 0", "chủ tịch", "12345");
    assert.equal(res.status, 422);
    assert.match(agent.lastHtml, /href="#f-role"/);
    assert.match(agent.lastHtml, /href="#f-phone"/);
  });

  test("out of scope: another village's lead gets 404; a volunteer may not edit (403)", async () => {
    const agent = agents.leadA!;
    assert.equal((await agent.get(`/teams/${v.C!.id}`)).status, 404);
    assert.equal((await agent.get(`/teams/${v.C!.id}/members/new`)).status, 404);
    await agent.get(`/teams/${v.A!.id}`);
    const before = (await t.db.select({ n: count() }).from(teamMembers))[0]!.n;
    assert.equal(
      (await agent.postForm(`/teams/${v.C!.id}/members`, { full_name: "X", role: "member" })).status,
      404,
    );
    assert.equal((await t.db.select({ n: count() }).from(teamMembers))[0]!.n, before);
    const vol = agents.volC!;
    assert.equal((await vol.get(`/teams/${v.C!.id}`)).status, 200);
    assert.equal((await vol.get(`/teams/${v.C!.id}/edit`)).status, 403);
  });

  test("the team's phone and consent to publish contacts, audited", async () => {
    const agent = agents.leadC!;
    await agent.get(`/teams/${v.C!.id}/edit`);
    let res = await agent.postForm(`/teams/${v.C!.id}/edit`, { phone: "0912", publish_contacts: "true" });
    assert.equal(res.status, 422);
    res = await agent.postForm(`/teams/${v.C!.id}/edit`, { phone: "0912 345 678", publish_contacts: "true" });
    assert.equal(res.status, 303);
    const [team] = await t.db.select().from(teams).where(eq(teams.villageId, v.C!.id));
    assert.equal(team!.phone, "0912345678");
    assert.equal(team!.publishContacts, true);
    assert.equal(await auditCount(t.db, "team.update"), 1);
  });
});

describe("team members API", () => {
  const send = (key: string, path: string, method = "GET", body?: unknown) =>
    sendJson(t.app, tokens[key]!, path, method, body);

  test("POST like an import row (labels, citizen ID links the resident); items masked for masked roles", async () => {
    const res = await send("coordinator", "/api/v1/team_members", "POST", {
      village: "C",
      full_name: "Ngọc Tổ Phó",
      role: "Tình nguyện viên",
      phone: "912345000",
      citizen_id: "038180000002",
    });
    assert.equal(res.status, 201, await res.clone().text());
    const m = (await res.json()) as Record<string, unknown>;
    assert.equal(m.role, "youth_volunteer");
    assert.equal(m.phone, "0912345000");
    assert.equal(m.citizen_id, "038180000002");
    assert.equal(m.resident_id, resident.id);
    const seen = (await (await send("volC", `/api/v1/team_members/${m.id}`)).json()) as Record<
      string,
      unknown
    >;
    // A volunteer reads names, not phones or citizen IDs, masked or not (SPEC §2).
    assert.equal("phone" in seen, false);
    assert.equal("citizen_id" in seen, false);
    const lead = (await (await send("leadC", `/api/v1/team_members/${m.id}`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(lead.phone, "091*****00");
    assert.equal(lead.citizen_id, "038*******02");
    const list = (await (await send("volC", "/api/v1/team_members?q=ngoc")).json()) as { total: number };
    assert.ok(list.total >= 1);
    assert.equal((await send("leadA", `/api/v1/team_members/${m.id}`)).status, 404);
    assert.equal(
      (await send("leadA", `/api/v1/team_members/${m.id}`, "PATCH", { role: "leader" })).status,
      404,
    );
    const patched = await send("leadC", `/api/v1/team_members/${m.id}`, "PATCH", { role: "Tổ trưởng" });
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as { role: string }).role, "leader");
    assert.equal((await send("leadC", `/api/v1/team_members/${m.id}`, "DELETE")).status, 204);
  });

  test("POST into a village out of the lead's scope is 404; an unknown citizen ID is 422", async () => {
    assert.equal(
      (await send("leadA", "/api/v1/team_members", "POST", { village: "C", full_name: "X", role: "member" }))
        .status,
      404,
    );
    const res = await send("coordinator", "/api/v1/team_members", "POST", {
      village: "C",
      full_name: "Y",
      role: "member",
      citizen_id: "038180009999",
    });
    assert.equal(res.status, 422);
  });
});

describe("the team member row check and the role parser", () => {
  test("roles by Vietnamese or English label, with or without diacritics", () => {
    for (const [label, code] of [
      ["Tổ trưởng", "leader"],
      ["to truong", "leader"],
      ["Thành viên", "member"],
      ["Đoàn viên tình nguyện", "youth_volunteer"],
      ["Tình nguyện viên", "youth_volunteer"],
      ["Youth volunteer", "youth_volunteer"],
    ])
      assert.deepEqual(parseTeamRole(label), { ok: true, value: code }, label);
    assert.equal(parseTeamRole("Chủ tịch").ok, false);
  });

  test("references resolve through the context; all errors at once", () => {
    const refs = {
      village: (c: string) => (c === "T01" ? { id: 1, communeId: 1, code: "T01", name: "Một" } : undefined),
      residentByCitizenId: () => undefined,
    };
    const cells: Record<string, string> = { village: "T09", full_name: "", role: "x", phone: "123" };
    const { checker } = checkTeamMemberRow((k) => cells[k], refs);
    assert.deepEqual(
      checker.errors.map((e) => e.column),
      ["village", "full_name", "role", "phone"],
    );
    const ok = checkTeamMemberRow(
      (k) => ({ village: "T01", full_name: "Lò Xuân Bình", role: "Tổ trưởng", phone: "0834864926" })[k],
      refs,
    );
    assert.deepEqual(ok.value, {
      villageId: 1,
      fullName: "Lò Xuân Bình",
      nameSearch: "lo xuan binh",
      role: "leader",
      phone: "0834864926",
      residentId: null,
    });
  });
});

test("buildTeam returns the existing team of a village", async () => {
  const a = await buildTeam(t.db, { village: v.A! });
  const b = await buildTeam(t.db, { village: v.A! });
  assert.equal(a.id, b.id);
});
