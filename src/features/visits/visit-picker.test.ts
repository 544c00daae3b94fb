import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { type Agent, createTestAppAt, signedInAgent, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildUser,
  buildVisit,
  type Household,
  type Resident,
  type TeamMember,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { households, teamMembers } from "../../db/schema.ts";
import type { Viewer } from "../auth/viewer.ts";
import { teamMemberOfUser } from "../teams/service.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let hOld: Household;
let hRecent: Household;
let hMarket: Household;
let hOther: Household;
let thang: Resident;
let mHung: TeamMember;
let mLan: TeamMember;
let volUserId: number;
const agents: Record<string, Agent> = {};

const setHead = (h: Household, headName: string | null, address: string | null) =>
  t.db.update(households).set({ headName, address }).where(eq(households.id, h.id));

before(async () => {
  t = await createTestAppAt("2026-06-15T09:00:00+07:00");
  const commune = t.commune;
  [v1, v2] = await buildTwoVillages(t);
  // 30 households with no head recorded: the picker used to show "T01-000xx — —" for each.
  for (let i = 1; i <= 30; i++)
    await buildHousehold(t.db, { village: v1, code: `T01-${String(i).padStart(5, "0")}` });
  hOld = await buildHousehold(t.db, { village: v1, code: "T01-00123" });
  await setHead(hOld, "Nguyễn Văn Đức", "Xóm Bãi Sậy");
  hRecent = await buildHousehold(t.db, { village: v1, code: "T01-00124" });
  await setHead(hRecent, "Nguyễn Thị Hoa", "Xóm Chợ");
  hMarket = await buildHousehold(t.db, { village: v1, code: "T01-00200" });
  await setHead(hMarket, null, "Đường Chợ Mới");
  hOther = await buildHousehold(t.db, { village: v2, code: "T02-00123" });
  await setHead(hOther, "Nguyễn Văn Đức", "Xóm Bãi Sậy");
  await buildResident(t.db, { household: hOld, fullName: "Nguyễn Văn Đức", birthDate: "1960-01-01" });
  await buildResident(t.db, { household: hOld, fullName: "Phạm Thị Quỳnh", birthDate: "1990-01-01" });
  thang = await buildResident(t.db, {
    household: hMarket,
    fullName: "Lường Văn Thắng",
    birthDate: "1970-02-02",
  });
  await buildResident(t.db, { household: hMarket, fullName: "Lường Thị Ánh", birthDate: "2015-01-01" });
  await buildResident(t.db, { household: hMarket, fullName: "Lường Văn Đi", status: "moved" });
  await buildResident(t.db, { household: hOther, fullName: "Phạm Thị Quỳnh", birthDate: "1991-01-01" });
  mHung = await buildTeamMember(t.db, { village: v1, fullName: "Mai Văn Hùng", role: "leader" });
  mLan = await buildTeamMember(t.db, { village: v1, fullName: "Hà Thị Lan" });
  await buildVisit(t.db, { household: hOld, member: mHung, date: "2026-03-01" });
  await buildVisit(t.db, { household: hRecent, member: mHung, date: "2026-06-10" });
  const setups = [
    // The volunteer's display name is not a member's: only the team page's link finds her member.
    ["vol1", "volunteer", [v1], "Lan Hà"],
    ["lead1", "village_lead", [v1], "Mai Văn Hùng"],
    ["coordinator", "coordinator", [], "Cán Bộ Xã"],
  ] as const;
  for (const [key, role, villages, displayName] of setups) {
    const { user } = await buildUser(t.db, { role, commune, villages: [...villages], displayName });
    if (key === "vol1") volUserId = user.id;
    const agent = await signedInAgent(t.app, user.username);
    agents[key] = agent;
  }
});
after(() => t.close());

/** The household links of the picker, in their order. */
const picked = (html: string) =>
  [...html.matchAll(/href="\/visits\/new\?household=(\d+)"/g)].map((m) => Number(m[1]));

describe("the visit form's household search", () => {
  test("a member's name without diacritics finds the household; a member who moved away does not", async () => {
    const a = agents.vol1!;
    assert.equal((await a.get("/visits/new?q=pham+thi+quynh")).status, 200);
    assert.deepEqual(picked(a.lastHtml), [hOld.id], "never the other village's Phạm Thị Quỳnh");
    assert.match(a.lastHtml, /T01-00123<\/strong> — Nguyễn Văn Đức/);
    assert.match(a.lastHtml, /Xóm Bãi Sậy · Thôn Đông/);
    assert.match(a.lastHtml, /Thăm gần nhất 01\/03\/2026/);
    await a.get("/visits/new?q=LUONG+THANG");
    assert.deepEqual(picked(a.lastHtml), [hMarket.id]);
    assert.match(a.lastHtml, /Chưa ghi chủ hộ/);
    assert.match(a.lastHtml, /Thành viên: Lường Văn Thắng, Lường Thị Ánh/);
    assert.match(a.lastHtml, /Chưa thăm/);
    await a.get("/visits/new?q=luong+van+di");
    assert.deepEqual(picked(a.lastHtml), []);
    assert.match(a.lastHtml, /role="status"/);
  });

  test("a partial code, the address, the head's name; recently visited first", async () => {
    const a = agents.vol1!;
    await a.get("/visits/new?q=0012");
    assert.deepEqual(picked(a.lastHtml), [hRecent.id, hOld.id, ...picked(a.lastHtml).slice(2)]);
    assert.ok(!picked(a.lastHtml).includes(hOther.id), "T02-00123 is another village's");
    await a.get("/visits/new?q=00200");
    assert.deepEqual(picked(a.lastHtml), [hMarket.id]);
    await a.get(`/visits/new?q=${encodeURIComponent("cho moi")}`);
    assert.deepEqual(picked(a.lastHtml), [hMarket.id]);
    await a.get("/visits/new?q=xom+cho");
    assert.deepEqual(picked(a.lastHtml), [hRecent.id]);
    await a.get("/visits/new?q=nguyen+duc");
    assert.deepEqual(picked(a.lastHtml), [hOld.id]);
    await a.get("/visits/new");
    const all = picked(a.lastHtml);
    assert.deepEqual(all.slice(0, 2), [hRecent.id, hOld.id], "a one-village team sees recent visits first");
    assert.match(a.lastHtml, /Tìm thấy 33 hộ/);
  });

  test("scope: a village team never finds another village's households; the commune finds both", async () => {
    await agents.vol1!.get("/visits/new?q=T02");
    assert.deepEqual(picked(agents.vol1!.lastHtml), []);
    await agents.vol1!.get("/visits/new?q=bai+say&village=T02");
    assert.deepEqual(picked(agents.vol1!.lastHtml), []);
    assert.equal((await agents.vol1!.get(`/visits/new?household=${hOther.id}`)).status, 404);
    assert.equal((await agents.vol1!.get("/visits/new?code=T02-00123")).status, 404);
    await agents.coordinator!.get("/visits/new?q=bai+say");
    assert.deepEqual(new Set(picked(agents.coordinator!.lastHtml)), new Set([hOld.id, hOther.id]));
  });

  test("a LIKE wildcard typed in the search is only a character", async () => {
    await agents.vol1!.get("/visits/new?q=%25");
    assert.deepEqual(picked(agents.vol1!.lastHtml), []);
  });
});

describe("from “who to visit next” to the visit form", () => {
  test("each row opens the visit form for its household, the resident ticked", async () => {
    const a = agents.lead1!;
    assert.equal((await a.get(`/villages/${v1.id}/visit-next`)).status, 200);
    assert.ok(a.lastHtml.includes(`href="/visits/new?code=T01-00200&amp;resident=${thang.id}"`));
    assert.ok(a.lastHtml.includes(`href="/visits/new?household=${hMarket.id}"`), "the households list too");
    assert.match(a.lastHtml, /aria-label="Ghi thăm hộ T01-00200"/);
    await a.get(`/visits/new?code=T01-00200&resident=${thang.id}`);
    assert.match(a.lastHtml, /T01-00200 — Chưa ghi chủ hộ/);
    assert.match(a.lastHtml, new RegExp(`value="${thang.id}" checked=""`));
    assert.match(a.lastHtml, /<option value="Mai Văn Hùng" selected="">/);
    // The printed list has no links to follow.
    await a.get(`/villages/${v1.id}/visit-next?print=1`);
    assert.doesNotMatch(a.lastHtml, /\/visits\/new\?/);
  });
});

describe("the signed-in account is the visiting member", () => {
  test("matched by name: the lead's form preselects her member", async () => {
    await agents.lead1!.get(`/visits/new?household=${hOld.id}`);
    assert.match(agents.lead1!.lastHtml, /<option value="Mai Văn Hùng" selected="">/);
  });

  test("linked on the team page: the volunteer's form preselects the linked member", async () => {
    const a = agents.vol1!;
    await a.get(`/visits/new?household=${hOld.id}`);
    assert.doesNotMatch(a.lastHtml, /<option value="[^"]+" selected="">/, "no member is hers yet");
    const lead = agents.lead1!;
    assert.equal((await lead.get(`/teams/${v1.id}/members/${mLan.id}/edit`)).status, 200);
    assert.match(lead.lastHtml, /Tài khoản của thành viên/);
    assert.match(lead.lastHtml, /Lan Hà \(/);
    const res = await lead.postForm(`/teams/${v1.id}/members/${mLan.id}`, {
      full_name: "Hà Thị Lan",
      role: "member",
      phone: "",
      resident: "",
      user: String(volUserId),
    });
    assert.equal(res.status, 303, lead.lastHtml.slice(0, 400));
    const [row] = await t.db.select().from(teamMembers).where(eq(teamMembers.id, mLan.id));
    assert.equal(row!.userId, volUserId);
    await a.get(`/visits/new?household=${hOld.id}`);
    assert.match(a.lastHtml, /<option value="Hà Thị Lan" selected="">/);
    const viewer = { userId: volUserId, displayName: "Lan Hà" } as Viewer;
    assert.deepEqual(await teamMemberOfUser({ db: t.db, viewer, villageId: v1.id }), {
      id: mLan.id,
      fullName: "Hà Thị Lan",
      villageId: v1.id,
      linked: true,
    });
    assert.equal(await teamMemberOfUser({ db: t.db, viewer, villageId: v2.id }), undefined);
  });

  test("one account links to one member of a team; a stranger's account is refused, nothing changes", async () => {
    const lead = agents.lead1!;
    await lead.get(`/teams/${v1.id}/members/${mHung.id}/edit`);
    const form = { full_name: "Mai Văn Hùng", role: "leader", phone: "", resident: "" };
    let res = await lead.postForm(`/teams/${v1.id}/members/${mHung.id}`, {
      ...form,
      user: String(volUserId),
    });
    assert.equal(res.status, 422);
    assert.match(lead.lastHtml, /Tài khoản này đã gắn với thành viên Hà Thị Lan/);
    const { user: stranger } = await buildUser(t.db, {
      role: "volunteer",
      commune: t.commune,
      villages: [v2],
    });
    await lead.get(`/teams/${v1.id}/members/${mHung.id}/edit`);
    res = await lead.postForm(`/teams/${v1.id}/members/${mHung.id}`, { ...form, user: String(stranger.id) });
    assert.equal(res.status, 422);
    assert.match(lead.lastHtml, /không phải tài khoản của tổ ở thôn này/);
    const [row] = await t.db.select().from(teamMembers).where(eq(teamMembers.id, mHung.id));
    assert.equal(row!.userId, null);
  });

  test("a member added with an account's name is linked to it", async () => {
    const { user } = await buildUser(t.db, {
      role: "volunteer",
      commune: t.commune,
      villages: [v1],
      displayName: "Đoàn Văn Tú",
    });
    const lead = agents.lead1!;
    await lead.get(`/teams/${v1.id}/members/new`);
    const res = await lead.postForm(`/teams/${v1.id}/members`, {
      full_name: "Doàn Văn Tú".replace("Doàn", "Đoàn"),
      role: "youth_volunteer",
      phone: "",
      resident: "",
      user: "",
    });
    assert.equal(res.status, 303, lead.lastHtml.slice(0, 400));
    const [row] = await t.db.select().from(teamMembers).where(eq(teamMembers.fullName, "Đoàn Văn Tú"));
    assert.equal(row!.userId, user.id);
  });
});
