/**
 * Changes-only sync, kept exact: after each kind of change a phone that applied only the changes since
 * its cursor holds exactly what a fresh full download gives (the same `applyWorkSet` as the app).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { bearer, createTestAppAt, type TestApp, testToken } from "../../../test/helpers/app.ts";
import {
  buildActivity,
  buildCertification,
  buildClass,
  buildHousehold,
  buildResident,
  buildSession,
  buildTeamMember,
  buildVisit,
  type Household,
  type Resident,
  type TeamMember,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildFieldWorker } from "../../../test/helpers/field-worker.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { applyWorkSet, type WorkSetBody } from "../../client/field/apply.ts";
import {
  activitySessions,
  attendance,
  households,
  residents,
  teamMembers,
  villages,
} from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import type { WorkSet } from "./service.ts";

type Phone = {
  households: Map<number, unknown>;
  sessions: Map<number, unknown>;
  meta: Map<string, unknown>;
};
const newPhone = (): Phone => ({ households: new Map(), sessions: new Map(), meta: new Map() });

async function apply(phone: Phone, body: WorkSet) {
  await applyWorkSet(
    {
      clear: async (s) => phone[s].clear(),
      put: async (s, v) => phone[s].set(v.id, v),
      delete: async (s, id) => phone[s].delete(id),
      meta: async (k, v) => phone.meta.set(k, v),
    },
    body as unknown as WorkSetBody,
  );
}

/** What the phone shows: everything but the cursor, in a stable order. */
const view = (p: Phone) => ({
  households: [...p.households.entries()].sort(([a], [b]) => a - b),
  sessions: [...p.sessions.entries()].sort(([a], [b]) => a - b),
  meta: [...p.meta.entries()].filter(([k]) => k !== "cursor").sort(([a], [b]) => a.localeCompare(b)),
});

let t: TestApp;
let v1: Village;
let v2: Village;
let h1: Household;
let h2: Household;
let h3: Household;
let an: Resident;
let binh: Resident;
let helper: TeamMember;
let token: string;
let username: string;
const phone = newPhone();

async function sync(cursor?: string): Promise<WorkSet> {
  const res = await t.app.request(`/api/v1/field/work-set${cursor ? `?cursor=${cursor}` : ""}`, {
    headers: bearer(token),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as WorkSet;
}

/** Syncs the phone from its cursor and checks it now equals a fresh full download; returns the changes. */
async function syncAndCompare(): Promise<WorkSet> {
  const changes = await sync(phone.meta.get("cursor") as string);
  assert.equal(changes.full, false);
  await apply(phone, changes);
  const fresh = newPhone();
  await apply(fresh, await sync());
  assert.deepEqual(view(phone), view(fresh));
  return changes;
}

before(async () => {
  t = await createTestAppAt("2026-06-15T09:00:00+07:00");
  [v1, v2] = await buildTwoVillages(t);
  h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  h2 = await buildHousehold(t.db, { village: v1, code: "T01-0002", poor: true });
  h3 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  an = await buildResident(t.db, { household: h1, fullName: "Nguyễn Văn An", birthDate: "1950-03-04" });
  binh = await buildResident(t.db, { household: h2, fullName: "Trần Thị Bình", birthDate: "1980-06-16" });
  await buildResident(t.db, { household: h3, fullName: "Lê Văn Tây", birthDate: "1970-01-01" });
  const worker = await buildFieldWorker(t, { village: v1, fullName: "Mai Văn Hùng" });
  username = worker.user.username;
  token = worker.token;
  helper = await buildTeamMember(t.db, { village: v1, fullName: "Đỗ Thị Giúp" });
  const cls = await buildActivity(t.db, { village: v1, code: "LH01", date: "2026-06-10" });
  await buildSession(t.db, { activity: cls, date: "2026-06-10", present: [an] });
  await buildSession(t.db, { activity: cls, date: "2026-06-17", absent: [binh] });
  await apply(phone, await sync());
});

after(() => t.close());

describe("changes-only sync", () => {
  test("nothing changed: nothing sent", async () => {
    const same = await syncAndCompare();
    assert.deepEqual(same.households, []);
    assert.deepEqual(same.sessions, []);
    assert.deepEqual(same.removed, { households: [], sessions: [] });
    assert.equal(same.lists, null);
    assert.equal(same.members, null);
    assert.equal(same.villages, null);
    assert.ok(phone.households.size === 2 && phone.sessions.size === 2);
  });

  test("a household edited, a visit, a certification: only those households", async () => {
    await t.db.update(households).set({ headName: "Nguyễn Văn An" }).where(eq(households.id, h1.id));
    await buildVisit(t.db, { household: h2, date: "2026-06-14" });
    const changes = await syncAndCompare();
    assert.deepEqual(changes.households.map((h) => h.code).sort(), ["T01-0001", "T01-0002"]);
    await buildCertification(t.db, { resident: binh, kind: "basic", date: "2026-06-12" });
    const skilled = await syncAndCompare();
    assert.deepEqual(
      skilled.households.map((h) => h.code),
      ["T01-0002"],
    );
    assert.ok(skilled.lists, "Bình left the adults-without-skills list");
  });

  test("a resident dies, one moves away, one is born: the household's members follow", async () => {
    const baby = await buildResident(t.db, {
      household: h1,
      fullName: "Nguyễn Văn Bé",
      birthDate: "2026-06-01",
    });
    await t.db.update(residents).set({ status: "deceased" }).where(eq(residents.id, an.id));
    await t.db.update(residents).set({ status: "moved" }).where(eq(residents.id, binh.id));
    const changes = await syncAndCompare();
    const h1Now = changes.households.find((h) => h.id === h1.id)!;
    assert.deepEqual(
      h1Now.members.map((m) => m.id),
      [baby.id],
    );
    // Bình no longer on the roster of the class she was marked absent at.
    assert.ok(changes.sessions.length > 0);
  });

  test("a household moves to another village (removed) and one moves in", async () => {
    await t.db.update(households).set({ villageId: v2.id }).where(eq(households.id, h2.id));
    await t.db.update(residents).set({ villageId: v2.id }).where(eq(residents.householdId, h2.id));
    await t.db.update(households).set({ villageId: v1.id }).where(eq(households.id, h3.id));
    await t.db.update(residents).set({ villageId: v1.id }).where(eq(residents.householdId, h3.id));
    const changes = await syncAndCompare();
    assert.deepEqual(changes.removed.households, [h2.id]);
    assert.deepEqual(
      changes.households.map((h) => h.id),
      [h3.id],
    );
    assert.ok(!phone.households.has(h2.id) && phone.households.has(h3.id));
  });

  test("a session cancelled, one added, a mark changed: sessions put and removed", async () => {
    const [s17] = await t.db
      .select({ id: activitySessions.id })
      .from(activitySessions)
      .where(eq(activitySessions.date, "2026-06-17"));
    await t.db.delete(activitySessions).where(eq(activitySessions.id, s17!.id));
    await buildClass(t.db, { village: v1, code: "LH02", date: "2026-06-20" });
    // Tây (whose household moved in) walks in to the first session.
    const [tay] = await t.db
      .select({ id: residents.id })
      .from(residents)
      .where(eq(residents.householdId, h3.id));
    const [s10] = await t.db
      .select({ id: activitySessions.id })
      .from(activitySessions)
      .where(eq(activitySessions.date, "2026-06-10"));
    await t.db
      .insert(attendance)
      .values({ communeId: t.commune.id, sessionId: s10!.id, residentId: tay!.id, present: true });
    const changes = await syncAndCompare();
    assert.deepEqual(changes.removed.sessions, [s17!.id]);
    assert.deepEqual(changes.sessions.map((s) => s.activity).sort(), ["LH01", "LH02"]);
  });

  test("a team member removed, one added, the village renamed", async () => {
    await t.db.delete(teamMembers).where(eq(teamMembers.id, helper.id));
    await buildTeamMember(t.db, { village: v1, fullName: "Phan Văn Mới" });
    await t.db.update(villages).set({ name: "Thôn Đông Mới" }).where(eq(villages.id, v1.id));
    const changes = await syncAndCompare();
    const names = changes.members!.map((m) => m.name);
    assert.ok(names.includes("Phan Văn Mới") && !names.includes("Đỗ Thị Giúp"));
    assert.equal((changes.villages as { name: string }[])[0]!.name, "Thôn Đông Mới");
    assert.deepEqual(changes.households, []);
  });

  test("another village's changes are not sent", async () => {
    const far = await buildHousehold(t.db, { village: v2, code: "T02-0009" });
    await buildResident(t.db, { household: far, fullName: "Người Thôn Tây" });
    const changes = await syncAndCompare();
    assert.deepEqual(changes.households, []);
    assert.equal(changes.lists, null);
  });

  test("the next day (ages move, the sessions' window too): still exact", async () => {
    setClock(startingAt("2026-06-16T08:00:00+07:00"));
    token = await testToken(t.app, username);
    const changes = await syncAndCompare();
    assert.equal(changes.today, "2026-06-16");
    setClock(startingAt("2026-06-15T09:00:00+07:00"));
  });
});
