/**
 * Refusals a phone's queued writes get, each with its own Vietnamese reason (issue 13 point 5): a
 * cancelled session (the class's session, or the whole class, gone since the phone downloaded it) and
 * an account disabled since.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { bearer, createTestAppAt, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildActivity,
  buildClass,
  buildHousehold,
  buildResident,
  buildSession,
  buildVillage,
  type Resident,
} from "../../../test/helpers/factories.ts";
import { buildFieldWorker } from "../../../test/helpers/field-worker.ts";
import { activities, activitySessions, attendance, users, visits } from "../../db/schema.ts";
import { now } from "../../lib/clock.ts";

let t: TestApp;
let an: Resident;
let token: string;
let userId: number;

before(async () => {
  t = await createTestAppAt("2026-06-15T09:00:00+07:00");
  const v1 = await buildVillage(t.db, { commune: t.commune, code: "T01" });
  const h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  an = await buildResident(t.db, { household: h1, fullName: "Nguyễn Văn An", birthDate: "1970-01-01" });
  const worker = await buildFieldWorker(t, { village: v1, fullName: "Mai Văn Hùng" });
  userId = worker.user.id;
  token = worker.token;
  const cls = await buildActivity(t.db, { village: v1, code: "LH01", date: "2026-06-10" });
  await buildSession(t.db, { activity: cls, date: "2026-06-10", present: [an] });
  await buildSession(t.db, { activity: cls, date: "2026-06-17" });
  await buildClass(t.db, { village: v1, code: "LH02", date: "2026-06-20" });
  // The phone downloads its work set (the sessions of 17/06 and 20/06 among them).
  assert.equal((await t.app.request("/api/v1/field/work-set", { headers: bearer(token) })).status, 200);
});

after(() => t.close());

const mark = (body: Record<string, unknown>, key?: string) =>
  t.app.request("/api/v1/attendance", {
    method: "PUT",
    headers: bearer(token, {
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    }),
    body: JSON.stringify({ resident_id: an.id, present: true, ...body }),
  });
const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe("refusals of queued writes", () => {
  test("a session cancelled while the phone was offline: 409 saying so, nothing written", async () => {
    await t.db.delete(activitySessions).where(eq(activitySessions.date, "2026-06-17"));
    const res = await mark({ activity: "LH01", date: "2026-06-17" }, "k-cancelled");
    assert.equal(res.status, 409);
    assert.equal(
      await errorOf(res),
      "Buổi học ngày 17/06/2026 của lớp LH01 đã bị hủy hoặc không còn. Điểm danh chưa được ghi.",
    );
    // A date the phone never had stays the plain "no session that day" (422).
    const never = await mark({ activity: "LH01", date: "2026-06-18" });
    assert.equal(never.status, 422);
    const fields = ((await never.json()) as { error: { fields: { date: string } } }).error.fields;
    assert.match(fields.date, /không có buổi học ngày 18\/06\/2026/);
  });

  test("the whole class deleted: 409 saying the session was cancelled", async () => {
    await t.db.delete(activities).where(eq(activities.code, "LH02"));
    const res = await mark({ activity: "LH02", date: "2026-06-20" });
    assert.equal(res.status, 409);
    assert.match(await errorOf(res), /lớp LH02 đã bị hủy/);
  });

  test("the refused attendance, edited to the session that exists, is written once", async () => {
    const res = await mark({ activity: "LH01", date: "2026-06-10", present: false }, "k-edited");
    assert.equal(res.status, 200);
    const again = await mark({ activity: "LH01", date: "2026-06-10", present: false }, "k-edited");
    assert.equal(again.status, 200);
    const rows = await t.db.select().from(attendance).where(eq(attendance.residentId, an.id));
    assert.deepEqual(
      rows.map((r) => r.present),
      [false],
    );
  });

  test("an account disabled since: every write is refused (403) with the reason, nothing written", async () => {
    await t.db.update(users).set({ disabledAt: now() }).where(eq(users.id, userId));
    const res = await mark({ activity: "LH01", date: "2026-06-10" }, "k-disabled");
    assert.equal(res.status, 403);
    assert.equal(await errorOf(res), "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên của xã.");
    const visit = await t.app.request("/api/v1/visits", {
      method: "POST",
      headers: bearer(token, { "content-type": "application/json", "idempotency-key": "k-visit" }),
      body: JSON.stringify({ household: "T01-0001", date: "2026-06-14", member: "Mai Văn Hùng" }),
    });
    assert.equal(visit.status, 403);
    assert.match(await errorOf(visit), /đã bị khóa/);
    assert.equal((await t.db.select().from(visits)).length, 0);
    const rows = await t.db.select().from(attendance).where(eq(attendance.residentId, an.id));
    assert.deepEqual(
      rows.map((r) => r.present),
      [false],
    );
  });
});
