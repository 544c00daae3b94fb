/**
 * Procedures (`procedures.ts`, `db/procedures.ts`): on PGlite in its own thread a visit and a tick
 * run whole there. What the app relies on: they run there (not here), on the app's clock, an
 * `AppError` comes back as one with its fields, a database error as a database error, and the
 * write moves the versions a kept answer is checked against.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, testDatabaseUrl } from "../../test/helpers/db.ts";
import {
  type Activity,
  type ActivitySession,
  buildActivity,
  buildHousehold,
  buildResident,
  buildSession,
  buildTeamMember,
  buildUser,
  buildVillage,
  type Household,
  type Resident,
  type TeamMember,
} from "../../test/helpers/factories.ts";
import type { Database } from "../db/client.ts";
import { versionsOf } from "../db/data-version.ts";
import { procedureThreadOf } from "../db/procedures.ts";
import { fixedClock, setClock, startingAt } from "../lib/clock.ts";
import { AppError } from "../lib/errors.ts";
import { markAttendance } from "./activities/service.ts";
import { cliActor } from "./audit/service.ts";
import { findAuthUserById } from "./auth/repo.ts";
import { type Viewer, viewerOf } from "./auth/viewer.ts";
import { ensureDefaultCommune } from "./communes/service.ts";
import { inDatabaseThread } from "./procedures.ts";
import { recordVisit, updateVisit } from "./visits/service.ts";

let database: Database;
let viewer: Viewer;
let actor: ReturnType<typeof cliActor>;
let household: Household;
let member: TeamMember;
let resident: Resident;
let activity: Activity;
let session: ActivitySession;

before(async () => {
  setClock(startingAt("2026-03-10T09:00:00+07:00"));
  database = await createTestDatabase();
  const db = database.db;
  const commune = await ensureDefaultCommune({
    db,
    commune: { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" },
  });
  const village = await buildVillage(db, { commune, code: "T01", name: "Thôn Một" });
  household = await buildHousehold(db, { village, code: "T01-0001" });
  member = await buildTeamMember(db, { village, fullName: "Đỗ Thị Hoa" });
  resident = await buildResident(db, { household });
  activity = await buildActivity(db, { village, type: "class", date: "2026-03-09" });
  session = await buildSession(db, { activity, date: "2026-03-09", absent: [resident] });
  const { user } = await buildUser(db, { role: "coordinator", commune });
  viewer = viewerOf((await findAuthUserById(db, user.id))!);
  actor = cliActor(commune.id);
});

after(async () => {
  await database?.close();
});

const visitOn = (date: string) =>
  recordVisit({
    db: database.db,
    viewer,
    actor,
    change: {
      input: { household: household.code, date, member: member.fullName, support: "vneid_install", note: "" },
    },
  });

describe("procedures", () => {
  test("on PGlite they run in the database's thread; on PostgreSQL, where they are called", () => {
    assert.equal(procedureThreadOf(database.db) !== undefined, !testDatabaseUrl);
  });

  test("a visit is checked on the app's clock: the day after the app's today is refused, with its field", async () => {
    setClock(fixedClock("2026-03-10T23:30:00+07:00"));
    try {
      await assert.rejects(visitOn("2026-03-11"), (err: unknown) => {
        assert.ok(err instanceof AppError, `an AppError, not ${String(err)}`);
        assert.equal(err.code, "validation");
        assert.ok(err.fields.date, `the date named: ${JSON.stringify(err.fields)}`);
        return true;
      });
      const visit = await visitOn("2026-03-10");
      assert.equal(visit.date, "2026-03-10");
    } finally {
      setClock(startingAt("2026-03-10T09:00:00+07:00"));
    }
  });

  test("the same visit twice is refused as a duplicate, and the change of a visit comes back", async () => {
    const first = await visitOn("2026-03-08");
    await assert.rejects(
      visitOn("2026-03-08"),
      (err: unknown) => err instanceof AppError && !!err.fields.date,
    );
    const changed = await updateVisit({
      db: database.db,
      viewer,
      actor,
      id: first.id,
      change: { input: { note: "quay lại sau" } },
    });
    assert.equal(changed.note, "quay lại sau");
  });

  test("a tick is written, its counts read after, and the versions move", async () => {
    const before = await versionsOf(database.db, viewer.communeId);
    const r = await markAttendance({
      db: database.db,
      viewer,
      actor,
      activityId: activity.id,
      sessionId: session.id,
      residentId: resident.id,
      present: true,
    });
    assert.deepEqual(r.counts, { present: 1, total: 1 });
    assert.equal(r.changed, true);
    const afterTick = await versionsOf(database.db, viewer.communeId);
    assert.ok(afterTick.attendance > before.attendance, "the attendance version moved");
  });

  test("a refusal inside the thread is the service's own (a session of another activity: 404)", async () => {
    await assert.rejects(
      inDatabaseThread(database.db, "attendance.mark", {
        viewer,
        actor,
        activityId: activity.id + 1000,
        sessionId: session.id,
        residentId: resident.id,
        present: true,
      }),
      (err: unknown) => err instanceof AppError && err.code === "not_found",
    );
  });
});
