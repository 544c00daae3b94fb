import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { bearer, createTestAppAt, type TestApp, testToken } from "../../../test/helpers/app.ts";
import {
  buildActivity,
  buildClass,
  buildHousehold,
  buildResident,
  buildSession,
  buildUser,
  type Household,
  type Resident,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildFieldWorker } from "../../../test/helpers/field-worker.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { households, residents } from "../../db/schema.ts";
import type { WorkSet } from "./service.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
let h1: Household;
let h2: Household;
let h3: Household;
let an: Resident;
let old: Resident;
const tokens: Record<string, string> = {};

before(async () => {
  t = await createTestAppAt("2026-06-15T09:00:00+07:00");
  [v1, v2] = await buildTwoVillages(t);
  h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  await t.db
    .update(households)
    .set({ headName: "Nguyễn Văn Ấn", poor: true })
    .where(eq(households.id, h1.id));
  h2 = await buildHousehold(t.db, { village: v1, code: "T01-0002" });
  h3 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  an = await buildResident(t.db, {
    household: h1,
    fullName: "Nguyễn Văn Ấn",
    citizenId: "038080000001",
    phone: "0912345678",
    birthDate: "1950-03-04",
  });
  old = await buildResident(t.db, { household: h2, fullName: "Trần Thị Cũ", birthDate: "1940-01-01" });
  await buildResident(t.db, { household: h3, fullName: "Lê Văn Tây" });
  tokens.vol1 = (await buildFieldWorker(t, { village: v1, fullName: "Mai Văn Hùng" })).token;
  tokens.vol2 = (await buildFieldWorker(t, { village: v2, fullName: "Đặng Kim Bích" })).token;
  const cls = await buildActivity(t.db, { village: v1, code: "LH01", date: "2026-06-10" });
  await buildSession(t.db, { activity: cls, date: "2026-06-10", present: [an] });
  await buildSession(t.db, { activity: cls, date: "2026-06-17" });
  await buildClass(t.db, { village: v2, code: "LH02", date: "2026-06-16" });
  const { user } = await buildUser(t.db, {
    role: "coordinator",
    commune: t.commune,
    displayName: "Cán Bộ Xã",
  });
  tokens.coordinator = await testToken(t.app, user.username);
});

after(() => t.close());

async function sync(who: string, cursor?: string) {
  const res = await t.app.request(`/api/v1/field/work-set${cursor ? `?cursor=${cursor}` : ""}`, {
    headers: bearer(tokens[who]!),
  });
  return { res, body: res.status === 200 ? ((await res.json()) as WorkSet) : undefined };
}

describe("GET /api/v1/field/work-set", () => {
  test("a volunteer downloads their village only, masked: no birth date, citizen ID or phone", async () => {
    const { res, body } = await sync("vol1");
    assert.equal(res.status, 200);
    assert.equal(body!.full, true);
    assert.deepEqual(
      body!.households.map((h) => h.code),
      ["T01-0001", "T01-0002"],
    );
    const text = JSON.stringify(body);
    assert.doesNotMatch(text, /038080000001|0912345678|1950-03-04|birth|citizen|phone/);
    const ấn = body!.households[0]!.members[0]!;
    assert.equal(ấn.name, "Nguyễn Văn Ấn");
    assert.equal(ấn.age, 76);
    assert.equal(body!.households[0]!.poor, true);
    // The visit lists: both residents lack basic skills; the poor elderly first reasons shown.
    assert.deepEqual(body!.lists!.adults.map((e) => e.id).sort(), [an.id, old.id].sort());
    assert.deepEqual(body!.lists!.adults.find((e) => e.id === an.id)!.why, ["elderly", "poor"]);
    // Sessions of its villages' classes only, with the class's learners.
    assert.deepEqual(
      body!.sessions!.map((s) => `${s.activity} ${s.date}`),
      ["LH01 2026-06-10", "LH01 2026-06-17"],
    );
    assert.deepEqual(body!.sessions![0]!.learners, [
      { id: an.id, name: "Nguyễn Văn Ấn", household_id: h1.id, present: true },
    ]);
    assert.equal(body!.sessions![1]!.learners[0]!.present, null);
    assert.deepEqual(
      body!.members!.map((m) => m.name),
      ["Mai Văn Hùng"],
    );
    assert.equal(body!.me, body!.members![0]!.id);
  });

  test("with the cursor: nothing when nothing changed, then only the changes and the removals", async () => {
    const first = (await sync("vol1")).body!;
    const same = (await sync("vol1", first.cursor)).body!;
    assert.equal(same.full, false);
    assert.deepEqual(same.households, []);
    assert.deepEqual(same.removed.households, []);
    assert.equal(same.lists, null);
    assert.deepEqual(same.sessions, []);
    assert.deepEqual(same.removed.sessions, []);
    // A resident dies; a household moves to the other village.
    await t.db.update(residents).set({ status: "deceased" }).where(eq(residents.id, old.id));
    await t.db.update(households).set({ villageId: v2.id }).where(eq(households.id, h1.id));
    await t.db.update(residents).set({ villageId: v2.id }).where(eq(residents.householdId, h1.id));
    const changes = (await sync("vol1", same.cursor)).body!;
    assert.equal(changes.full, false);
    assert.deepEqual(
      changes.households.map((h) => [h.code, h.members.length]),
      [["T01-0002", 0]],
    );
    assert.deepEqual(changes.removed.households, [h1.id]);
    assert.deepEqual(changes.lists!.adults, []);
    // The other village's volunteer now gets the household.
    const other = (await sync("vol2")).body!;
    assert.ok(other.households.some((h) => h.id === h1.id));
  });

  test("a visit to the household that moved away is refused with the reason (409); elsewhere 404 stays", async () => {
    const visit = (who: string, household: string) =>
      t.app.request("/api/v1/visits", {
        method: "POST",
        headers: bearer(tokens[who]!, { "content-type": "application/json" }),
        body: JSON.stringify({ household, date: "2026-06-14", member: "Mai Văn Hùng", support: ["other"] }),
      });
    const moved = await visit("vol1", "T01-0001");
    assert.equal(moved.status, 409);
    const body = (await moved.json()) as { error: { message: string } };
    assert.match(body.error.message, /không còn thuộc thôn bạn phụ trách/);
    // A household vol1 never had on its phone: simply not found.
    assert.equal((await visit("vol1", "T02-0001")).status, 404);
  });

  test("an unknown or another user's cursor gives a full download", async () => {
    const mine = (await sync("vol2")).body!;
    const r = (await sync("vol1", mine.cursor)).body!;
    assert.equal(r.full, true);
    assert.equal((await sync("vol1", "not-a-number")).body!.full, true);
  });

  test("a commune officer is refused (403): the field app is for village teams and schools", async () => {
    const { res } = await sync("coordinator");
    assert.equal(res.status, 403);
  });
});
