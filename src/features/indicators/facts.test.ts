/**
 * The indicator facts (`resident_facts`, `household_facts`) are kept by triggers in the same transaction as the rows they come from (drizzle/0006_indicator_facts.sql).
 * After every kind of write these tests compare them with the same facts computed from scratch
 * from residents, certifications, attendance and sessions — and check the values a user would see.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq, inArray, sql } from "drizzle-orm";
import pg from "pg";
import { createTestDatabase, testDatabaseUrl } from "../../../test/helpers/db.ts";
import {
  buildCertification,
  buildCommune,
  buildHousehold,
  buildResident,
  buildVillage,
  type Commune,
  type Household,
  type Resident,
  type Village,
} from "../../../test/helpers/factories.ts";
import type { Database, Db } from "../../db/client.ts";
import {
  activities,
  activitySessions,
  attendance,
  certifications,
  communes,
  householdFacts,
  households,
  residentFacts,
  residents,
} from "../../db/schema.ts";
import { cliActor } from "../audit/service.ts";
import { createDemoCommune } from "../demo/service.ts";

let database: Database;
let db: Db;
let commune: Commune;
let communeId: number;
let village: Village;

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Every resident's and household's facts that differ from the same facts computed from scratch
 * (and facts rows without a resident): empty when the triggers kept them right.
 */
async function drift(): Promise<unknown[]> {
  const people = await rows(sql`
    with truth as (
      select r.id as resident_id, r.commune_id, r.village_id, r.household_id, r.unit_id,
        to_char(r.birth_date, 'YYYY-MM-DD') as birth_date, r.status = 'active' as active,
        'public_sector' = any(r.groups) as public_sector, 'student' = any(r.groups) as student,
        'enterprise_worker' = any(r.groups) as worker, r.vneid_level >= 1 as has_vneid,
        (select to_char(min(c.date), 'YYYY-MM-DD') from certifications c where c.resident_id = r.id) as first_skill,
        (select to_char(min(c.date), 'YYYY-MM-DD') from certifications c
          where c.resident_id = r.id and c.kind = 'vneid') as first_vneid,
        (select to_char(min(s.date), 'YYYY-MM-DD') from attendance a join activity_sessions s on s.id = a.session_id
          where a.resident_id = r.id and a.present) as first_attended
      from residents r
    ), kept as (
      select resident_id, commune_id, village_id, household_id, unit_id, to_char(birth_date, 'YYYY-MM-DD') as birth_date,
        active, public_sector, student, worker, has_vneid, to_char(first_skill, 'YYYY-MM-DD') as first_skill,
        to_char(first_vneid, 'YYYY-MM-DD') as first_vneid, to_char(first_attended, 'YYYY-MM-DD') as first_attended
      from resident_facts
    )
    select 'resident' as what, t.resident_id as truth_id, k.resident_id as kept_id, row_to_json(t) as truth, row_to_json(k) as kept
    from truth t full join kept k on k.resident_id = t.resident_id
    where row_to_json(t)::text is distinct from row_to_json(k)::text`);
  const homes = await rows(sql`
    with truth as (
      select h.id as household_id, h.commune_id, h.village_id,
        (select count(*)::int from residents r where r.household_id = h.id and r.status = 'active') as active_members,
        (select to_char(min(c.date), 'YYYY-MM-DD') from certifications c join residents r on r.id = c.resident_id
          where r.household_id = h.id and r.status = 'active') as first_digital
      from households h
    ), kept as (
      select household_id, commune_id, village_id, active_members, to_char(first_digital, 'YYYY-MM-DD') as first_digital
      from household_facts
    )
    select 'household' as what, t.household_id as truth_id, k.household_id as kept_id, row_to_json(t) as truth, row_to_json(k) as kept
    from truth t full join kept k on k.household_id = t.household_id
    where row_to_json(t)::text is distinct from row_to_json(k)::text`);
  return [...people, ...homes];
}

async function factsOf(r: Resident) {
  const [f] = await db.select().from(residentFacts).where(eq(residentFacts.residentId, r.id));
  return f;
}
async function household(h: Household) {
  const [row] = await db
    .select({ activeMembers: householdFacts.activeMembers, firstDigital: householdFacts.firstDigital })
    .from(householdFacts)
    .where(eq(householdFacts.householdId, h.id));
  return row!;
}

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  commune = await buildCommune(db, { code: "FACTS" });
  communeId = commune.id;
  village = await buildVillage(db, { commune, code: "T01" });
});
after(() => database.close());

describe("resident_facts follow residents", () => {
  test("a new resident has facts with no dates; their household counts one more active member", async () => {
    const h = await buildHousehold(db, { village });
    const r = await buildResident(db, {
      household: h,
      birthDate: "1990-05-06",
      groups: ["public_sector", "enterprise_worker"],
      vneidLevel: 1,
    });
    const f = await factsOf(r);
    assert.equal(f?.active, true);
    assert.equal(f?.birthDate, "1990-05-06");
    assert.deepEqual([f?.publicSector, f?.student, f?.worker, f?.hasVneid], [true, false, true, true]);
    assert.deepEqual([f?.firstSkill, f?.firstVneid, f?.firstAttended], [null, null, null]);
    assert.deepEqual(await household(h), { activeMembers: 1, firstDigital: null });
    assert.deepEqual(await drift(), []);
  });

  test("status, groups, VNeID level, birth date and household changes reach the facts and both households", async () => {
    const h1 = await buildHousehold(db, { village });
    const h2 = await buildHousehold(db, { village });
    const r = await buildResident(db, { household: h1 });
    const other = await buildResident(db, { household: h1 });
    await buildCertification(db, { resident: r, date: "2026-02-01" });
    assert.deepEqual(await household(h1), { activeMembers: 2, firstDigital: "2026-02-01" });

    // The only trained member moves away: the household is no longer digital.
    await db.update(residents).set({ status: "moved" }).where(eq(residents.id, r.id));
    assert.equal((await factsOf(r))?.active, false);
    assert.deepEqual(await household(h1), { activeMembers: 1, firstDigital: null });
    await db.update(residents).set({ status: "active" }).where(eq(residents.id, r.id));
    assert.deepEqual(await household(h1), { activeMembers: 2, firstDigital: "2026-02-01" });

    await db
      .update(residents)
      .set({ groups: ["student"], vneidLevel: 2, birthDate: "2009-09-09" })
      .where(eq(residents.id, r.id));
    const f = await factsOf(r);
    assert.deepEqual([f?.publicSector, f?.student, f?.worker, f?.hasVneid], [false, true, false, true]);
    assert.equal(f?.birthDate, "2009-09-09");

    // Into another household: both are recounted.
    await db.update(residents).set({ householdId: h2.id }).where(eq(residents.id, r.id));
    assert.deepEqual(await household(h1), { activeMembers: 1, firstDigital: null });
    assert.deepEqual(await household(h2), { activeMembers: 1, firstDigital: "2026-02-01" });
    // A deceased member of h1: no active member left.
    await db.update(residents).set({ status: "deceased" }).where(eq(residents.id, other.id));
    assert.deepEqual(await household(h1), { activeMembers: 0, firstDigital: null });
    assert.deepEqual(await drift(), []);
  });

  test("a resident erased (certifications first) takes their facts along; the household is recounted", async () => {
    const h = await buildHousehold(db, { village });
    const r = await buildResident(db, { household: h });
    await buildResident(db, { household: h });
    await buildCertification(db, { resident: r, date: "2026-03-03" });
    await db.delete(certifications).where(eq(certifications.residentId, r.id));
    await db.delete(residents).where(eq(residents.id, r.id));
    assert.equal(await factsOf(r), undefined);
    assert.deepEqual(await household(h), { activeMembers: 1, firstDigital: null });
    assert.deepEqual(await drift(), []);
  });
});

describe("household_facts follow households", () => {
  test("a new household has no member; one moved to another village follows; an empty one deleted goes", async () => {
    const h = await buildHousehold(db, { village });
    assert.deepEqual(await household(h), { activeMembers: 0, firstDigital: null });
    const r = await buildResident(db, { household: h });
    await buildCertification(db, { resident: r, date: "2026-04-04" });
    const other = await buildVillage(db, { commune, code: "T02" });
    // As the households service does it: the household, then its members, in one transaction.
    await db.transaction(async (tx) => {
      await tx.update(households).set({ villageId: other.id }).where(eq(households.id, h.id));
      await tx.update(residents).set({ villageId: other.id }).where(eq(residents.householdId, h.id));
    });
    const [f] = await db.select().from(householdFacts).where(eq(householdFacts.householdId, h.id));
    assert.deepEqual([f?.villageId, f?.activeMembers, f?.firstDigital], [other.id, 1, "2026-04-04"]);
    assert.equal((await factsOf(r))?.villageId, other.id);
    const empty = await buildHousehold(db, { village });
    await db.delete(households).where(eq(households.id, empty.id));
    assert.equal(
      (await db.select().from(householdFacts).where(eq(householdFacts.householdId, empty.id))).length,
      0,
    );
    assert.deepEqual(await drift(), []);
  });
});

describe("first certification dates follow certifications", () => {
  test("insert: only an earlier date moves them; any kind counts as skills, vneid also as confirmed", async () => {
    const h = await buildHousehold(db, { village });
    const r = await buildResident(db, { household: h });
    await buildCertification(db, { resident: r, kind: "basic", date: "2026-05-10" });
    assert.deepEqual([(await factsOf(r))?.firstSkill, (await factsOf(r))?.firstVneid], ["2026-05-10", null]);
    await buildCertification(db, { resident: r, kind: "basic", date: "2026-07-01", source: "course" });
    assert.equal((await factsOf(r))?.firstSkill, "2026-05-10");
    await buildCertification(db, { resident: r, kind: "vneid", date: "2026-04-01", source: "vneid" });
    const f = await factsOf(r);
    assert.deepEqual([f?.firstSkill, f?.firstVneid], ["2026-04-01", "2026-04-01"]);
    assert.equal((await household(h)).firstDigital, "2026-04-01");
    assert.deepEqual(await drift(), []);
  });

  test("update of the date, the kind, or the resident (a certification moved): each resident recomputed", async () => {
    const h1 = await buildHousehold(db, { village });
    const h2 = await buildHousehold(db, { village });
    const a = await buildResident(db, { household: h1 });
    const b = await buildResident(db, { household: h2 });
    const early = await buildCertification(db, {
      resident: a,
      kind: "vneid",
      date: "2026-01-15",
      source: "vneid",
    });
    await buildCertification(db, { resident: a, kind: "basic", date: "2026-06-01" });

    // A later date: the other certification is now the first.
    await db.update(certifications).set({ date: "2026-08-01" }).where(eq(certifications.id, early.id));
    let f = await factsOf(a);
    assert.deepEqual([f?.firstSkill, f?.firstVneid], ["2026-06-01", "2026-08-01"]);
    // The kind: no vneid certification left.
    await db.update(certifications).set({ kind: "basic" }).where(eq(certifications.id, early.id));
    f = await factsOf(a);
    assert.deepEqual([f?.firstSkill, f?.firstVneid], ["2026-06-01", null]);
    // Moved to another resident (in another household): both residents and both households.
    await db
      .update(certifications)
      .set({ residentId: b.id, kind: "vneid", date: "2026-02-02" })
      .where(eq(certifications.id, early.id));
    f = await factsOf(a);
    const g = await factsOf(b);
    assert.deepEqual([f?.firstSkill, f?.firstVneid], ["2026-06-01", null]);
    assert.deepEqual([g?.firstSkill, g?.firstVneid], ["2026-02-02", "2026-02-02"]);
    assert.equal((await household(h2)).firstDigital, "2026-02-02");
    // A change of reference alone changes nothing.
    await db.update(certifications).set({ reference: "SỐ-1" }).where(eq(certifications.id, early.id));
    assert.deepEqual(await drift(), []);
  });

  test("delete: the remaining certifications decide; none left is no date", async () => {
    const h = await buildHousehold(db, { village });
    const r = await buildResident(db, { household: h });
    const c1 = await buildCertification(db, { resident: r, date: "2026-03-01" });
    const c2 = await buildCertification(db, { resident: r, date: "2026-09-01", source: "course" });
    await db.delete(certifications).where(eq(certifications.id, c1.id));
    assert.equal((await factsOf(r))?.firstSkill, "2026-09-01");
    assert.equal((await household(h)).firstDigital, "2026-09-01");
    await db.delete(certifications).where(eq(certifications.id, c2.id));
    assert.equal((await factsOf(r))?.firstSkill, null);
    assert.equal((await household(h)).firstDigital, null);
    assert.deepEqual(await drift(), []);
  });

  test("many rows in one statement, for several residents, as imports write them", async () => {
    const h = await buildHousehold(db, { village });
    const people: Resident[] = [];
    for (let i = 0; i < 5; i++) people.push(await buildResident(db, { household: h }));
    await db.insert(certifications).values(
      people.flatMap((p, i) => [
        {
          communeId,
          residentId: p.id,
          kind: "basic" as const,
          date: `2026-0${i + 1}-10`,
          source: "course" as const,
        },
        {
          communeId,
          residentId: p.id,
          kind: "vneid" as const,
          date: `2026-0${i + 2}-20`,
          source: "vneid" as const,
        },
      ]),
    );
    const facts = await db
      .select({ id: residentFacts.residentId, s: residentFacts.firstSkill, v: residentFacts.firstVneid })
      .from(residentFacts)
      .where(
        inArray(
          residentFacts.residentId,
          people.map((p) => p.id),
        ),
      );
    assert.deepEqual(
      facts.sort((x, y) => x.id - y.id).map((x) => [x.s, x.v]),
      people.map((_, i) => [`2026-0${i + 1}-10`, `2026-0${i + 2}-20`]),
    );
    assert.equal((await household(h)).firstDigital, "2026-01-10");
    await db.delete(certifications).where(
      inArray(
        certifications.residentId,
        people.slice(0, 2).map((p) => p.id),
      ),
    );
    assert.equal((await household(h)).firstDigital, "2026-03-10");
    assert.deepEqual(await drift(), []);
  });

  test("a rolled-back write leaves the facts as they were", async () => {
    const h = await buildHousehold(db, { village });
    const r = await buildResident(db, { household: h });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx
          .insert(certifications)
          .values({ communeId, residentId: r.id, kind: "basic", date: "2026-01-01", source: "course" });
        assert.equal(
          (await tx.select().from(residentFacts).where(eq(residentFacts.residentId, r.id)))[0]?.firstSkill,
          "2026-01-01",
        );
        throw new Error("rollback");
      }),
      /rollback/,
    );
    assert.equal((await factsOf(r))?.firstSkill, null);
    assert.deepEqual(await household(h), { activeMembers: 1, firstDigital: null });
  });
});

describe("first attended session follows attendance and session dates", () => {
  test("present counts, absent does not; a changed tick, session date, or a deleted session or class", async () => {
    const h = await buildHousehold(db, { village });
    const w = await buildResident(db, { household: h, groups: ["enterprise_worker"] });
    const [cls] = await db
      .insert(activities)
      .values({
        communeId,
        code: `L${w.id}`,
        type: "class",
        title: "Lớp kỹ năng số",
        date: "2026-03-01",
        villageId: village.id,
      })
      .returning();
    const [s1, s2] = await db
      .insert(activitySessions)
      .values([
        { communeId, activityId: cls!.id, date: "2026-03-01" },
        { communeId, activityId: cls!.id, date: "2026-04-01" },
      ])
      .returning();
    await db.insert(attendance).values([
      { communeId, sessionId: s1!.id, residentId: w.id, present: false },
      { communeId, sessionId: s2!.id, residentId: w.id, present: true },
    ]);
    assert.equal((await factsOf(w))?.firstAttended, "2026-04-01");
    // Ticked present at the first session after all.
    await db.update(attendance).set({ present: true }).where(eq(attendance.sessionId, s1!.id));
    assert.equal((await factsOf(w))?.firstAttended, "2026-03-01");
    // The first session's date corrected to later than the second's.
    await db.update(activitySessions).set({ date: "2026-05-01" }).where(eq(activitySessions.id, s1!.id));
    assert.equal((await factsOf(w))?.firstAttended, "2026-04-01");
    // The second session deleted (its attendance goes by cascade).
    await db.delete(activitySessions).where(eq(activitySessions.id, s2!.id));
    assert.equal((await factsOf(w))?.firstAttended, "2026-05-01");
    assert.deepEqual(await drift(), []);
    // The whole class deleted: sessions and attendance by cascade.
    await db.delete(activities).where(eq(activities.id, cls!.id));
    assert.equal((await factsOf(w))?.firstAttended, null);
    // Training attended does not make a household digital: only certifications do.
    assert.equal((await household(h)).firstDigital, null);
    assert.deepEqual(await drift(), []);
  });
});

describe("bulk writes", () => {
  test("a demo commune loaded through the import engine: facts equal the from-scratch ones; the rebuild changes nothing", async () => {
    const [c] = await db
      .insert(communes)
      .values({ code: "FACTS-DEMO", name: "Xã Thử Nhiều", province: "Tỉnh Thử" })
      .returning();
    await createDemoCommune({ db, communeId: c!.id, actor: cliActor(c!.id), residents: 600 });
    const [n] = await rows<{ facts: number; skilled: number; homes: number }>(sql`
      select (select count(*)::int from resident_facts where commune_id = ${c!.id}) as facts,
        (select count(*)::int from resident_facts where commune_id = ${c!.id} and first_skill is not null) as skilled,
        (select count(*)::int from household_facts where commune_id = ${c!.id} and active_members > 0) as homes`);
    assert.ok(n!.facts >= 600 && n!.skilled > 0 && n!.homes > 0, JSON.stringify(n));
    assert.deepEqual(await drift(), []);
    const before = await rows(sql`select * from resident_facts order by resident_id`);
    await db.execute(sql`select rebuild_indicator_facts()`);
    assert.deepEqual(await rows(sql`select * from resident_facts order by resident_id`), before);
  });
});

describe("concurrent writes (PostgreSQL)", { skip: !testDatabaseUrl && "PGlite has one connection" }, () => {
  /** Two sessions: the first holds its transaction open while the second's write waits for it. */
  async function race(first: string[], second: string[]) {
    const a = new pg.Client({ connectionString: database.location });
    const b = new pg.Client({ connectionString: database.location });
    await a.connect();
    await b.connect();
    try {
      await a.query("begin");
      for (const q of first) await a.query(q);
      const bPid = (await b.query("select pg_backend_pid() as pid")).rows[0]?.pid;
      await b.query("begin");
      const pending = (async () => {
        for (const q of second) await b.query(q);
        await b.query("commit");
      })();
      // Wait until the second session is blocked on a lock the first one holds.
      for (let i = 0; i < 500; i++) {
        const w = await a.query("select wait_event_type from pg_stat_activity where pid = $1", [bPid]);
        if (w.rows[0]?.wait_event_type === "Lock") break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await a.query("commit");
      await pending;
    } finally {
      await a.end();
      await b.end();
    }
  }

  test("two members of one household leave in two overlapping transactions: none active is counted", async () => {
    const h = await buildHousehold(db, { village });
    const r1 = await buildResident(db, { household: h });
    const r2 = await buildResident(db, { household: h });
    await buildCertification(db, { resident: r2, date: "2026-02-02" });
    await race(
      [`update residents set status = 'moved' where id = ${r1.id}`],
      [`update residents set status = 'deceased' where id = ${r2.id}`],
    );
    assert.deepEqual(await household(h), { activeMembers: 0, firstDigital: null });
    // A later first certification for one member (the household's first day stays) while the
    // member who made it digital leaves: the household's first day becomes the later one.
    const g = await buildHousehold(db, { village });
    const m1 = await buildResident(db, { household: g });
    const m2 = await buildResident(db, { household: g });
    await buildCertification(db, { resident: m2, date: "2026-01-05" });
    await race(
      [
        `insert into certifications (commune_id, resident_id, kind, date, source) values (${communeId}, ${m1.id}, 'basic', '2026-04-04', 'course')`,
      ],
      [`update residents set status = 'moved' where id = ${m2.id}`],
    );
    assert.deepEqual(await household(g), { activeMembers: 1, firstDigital: "2026-04-04" });
    assert.deepEqual(await drift(), []);
  });

  test("a certification deleted while another is added for the same resident, either order", async () => {
    const h = await buildHousehold(db, { village });
    const r = await buildResident(db, { household: h });
    const c1 = await buildCertification(db, { resident: r, date: "2026-01-10" });
    await race(
      [
        `insert into certifications (commune_id, resident_id, kind, date, source) values (${communeId}, ${r.id}, 'basic', '2026-03-03', 'course')`,
      ],
      [`delete from certifications where id = ${c1.id}`],
    );
    assert.equal((await factsOf(r))?.firstSkill, "2026-03-03");
    const c2 = await buildCertification(db, { resident: r, date: "2026-01-20", source: "school" });
    await race(
      [`delete from certifications where id = ${c2.id}`],
      [
        `insert into certifications (commune_id, resident_id, kind, date, source) values (${communeId}, ${r.id}, 'basic', '2026-02-02', 'platform')`,
      ],
    );
    assert.equal((await factsOf(r))?.firstSkill, "2026-02-02");
    assert.equal((await household(h)).firstDigital, "2026-02-02");
    assert.deepEqual(await drift(), []);
  });
});
