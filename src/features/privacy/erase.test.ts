import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  DRILL_DATE,
  factsAndRecomputation,
  PASSWORD,
  seedDrill,
} from "../../../test/helpers/restore-drill.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { AppError } from "../../lib/errors.ts";
import { t } from "../../lib/i18n/index.ts";
import { cliActor } from "../audit/service.ts";
import { openBackup } from "../backup/format.ts";
import { checkBackup, restoreBackup, takeSnapshot, writeBackup } from "../backup/service.ts";
import { EXPORT_KINDS, exportRecords } from "../exports/service.ts";
import { currentPlan } from "../indicators/plan.ts";
import { computeIndicators, resolveWindow } from "../indicators/service.ts";
import { erasePerson, exportPerson } from "./person.ts";

type Person = { id: number; name: string; cid: string; phone: string | null; birth: string };

async function rows<T>(t: TestApp, q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** The sample's adult with a citizen ID, a basic certification and attendance, whose name no one else's contains. */
async function pickPerson(t: TestApp): Promise<Person> {
  const [p] = await rows<Person>(
    t,
    sql`select r.id, r.full_name as name, r.citizen_id as cid, r.phone, r.birth_date::text as birth
        from residents r
        where r.citizen_id is not null and r.status = 'active' and r.birth_date < '2000-01-01'
          and exists (select 1 from certifications c where c.resident_id = r.id and c.kind = 'basic' and c.date < ${DRILL_DATE})
          and exists (select 1 from attendance a where a.resident_id = r.id)
          and not exists (select 1 from residents o where o.id <> r.id and position(r.full_name in o.full_name) > 0)
          and not exists (select 1 from team_members m where position(r.full_name in m.full_name) > 0)
        order by r.id limit 1`,
  );
  assert.ok(p, "the sample has such a resident");
  return p;
}

async function adultSkills(t: TestApp, communeId: number) {
  const plan = currentPlan();
  const { date, period } = resolveWindow({ date: DRILL_DATE, plan });
  const table = await computeIndicators({ db: t.db, communeId, plan, date, period });
  return table.indicators.find((i) => i.code === "adult_skills")!;
}

describe("privacy: a person's export and erasure", () => {
  let t: TestApp;
  let communeId: number;
  let person: Person;
  let token = "";
  /** A backup taken before the erasure. */
  const early = () => path.join(dir, "early.bdhvs");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-privacy-"));
  const admin = () => new Agent(t.app);
  /** Erases the person found by `key` from the commune, from the command line, for `reason`. */
  const erase = (key: Parameters<typeof erasePerson>[0]["key"], reason: string) =>
    erasePerson({ db: t.db, communeId, key, reason, actor: cliActor(communeId) });

  before(async () => {
    setClock(startingAt("2026-11-25T09:00:00+07:00"));
    t = await createTestApp();
    ({ communeId } = await seedDrill(t.database));
    person = await pickPerson(t);
    token = await apiToken(t.app, "quantri", PASSWORD);
    // Audit copies naming the person: an unmasked view, a change (before/after), a note naming them.
    const a = admin();
    await a.login("quantri", PASSWORD);
    assert.equal((await a.get(`/residents/${person.id}`)).status, 200);
    const res = await t.app.request(`/api/v1/residents/${person.id}`, {
      method: "PATCH",
      headers: bearer(token, { "content-type": "application/json", "x-forwarded-for": "10.1.1.1" }),
      body: JSON.stringify({ phone: "0912345678" }),
    });
    assert.equal(res.status, 200, await res.text());
    person.phone = "0912345678";
    // The sample's visits name no one met: the person was met on the first one, whose note names them.
    await t.db.execute(
      sql`insert into visit_residents (commune_id, visit_id, resident_id) select commune_id, min(id), ${person.id} from visits group by commune_id`,
    );
    await t.db.execute(
      sql`update visits set note = ${`Gặp ${person.name}, SĐT 0912345678`} where id = (select min(id) from visits)`,
    );
    await writeBackup({
      snapshot: await takeSnapshot({ database: t.database }),
      file: early(),
      key: undefined,
    });
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the export holds each section, unmasked, and is audited", async () => {
    const data = await exportPerson({
      db: t.db,
      communeId,
      key: { citizenId: person.cid },
      actor: cliActor(communeId),
      source: "test",
    });
    assert.equal(data.resident.full_name, person.name);
    assert.equal(data.resident.citizen_id, person.cid);
    assert.ok(data.household?.code);
    assert.ok(data.certifications.length >= 1);
    assert.ok(data.attendance.length >= 1);
    assert.ok(data.visits.length >= 1);
    assert.ok(Array.isArray(data.assessments));
    const actions = data.audit.map((e) => e.action);
    assert.ok(actions.includes("resident.view_identity"), actions.join());
    assert.ok(actions.includes("resident.update"), actions.join());
    const [ev] = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where action = 'resident.privacy_export' and entity_id = ${String(person.id)}`,
    );
    assert.equal(ev!.n, 1);
  });

  test("wrong or unknown ids: a clear Vietnamese message, nothing changed", async () => {
    const count = async () =>
      (
        await rows<{ n: number }>(
          t,
          sql`select (select count(*) from residents) + (select count(*) from audit_events) as n`,
        )
      )[0]!.n;
    const n0 = await count();
    const cases: [Parameters<typeof erasePerson>[0]["key"], RegExp][] = [
      [{ citizenId: "12345" }, /không phải số căn cước/],
      [{ citizenId: "999999999999" }, /Không có người dân nào của xã mang số căn cước 999999999999/],
      [{ residentId: 987654 }, /Không có người dân số 987654/],
      [{ residentId: Number.NaN }, /không phải mã người dân/],
    ];
    for (const [key, re] of cases) {
      await assert.rejects(
        erase(key, "Yêu cầu số 1"),
        (e: unknown) => e instanceof AppError && re.test(t_(e)),
      );
    }
    await assert.rejects(
      erase({ residentId: person.id }, "  "),
      (e: unknown) => e instanceof AppError && /lý do/.test(t_(e)),
    );
    assert.equal(await count(), n0);
  });

  test("after the erasure the person is in no export, API answer, page or new backup; the indicators drop", async () => {
    const before = await adultSkills(t, communeId);
    const api = (p: string) =>
      t.app.request(p, { headers: bearer(token, { "x-forwarded-for": "10.1.1.1" }) });
    const cached = await (await api(`/api/v1/indicators?date=${DRILL_DATE}`)).text();
    const r = await erase({ citizenId: person.cid }, "Yêu cầu xóa nhận ngày 20/11/2026");
    assert.equal(r.residentId, person.id);
    assert.ok(r.removed.certifications! >= 1 && r.removed.attendance! >= 1 && r.removed.visits! >= 1);
    assert.ok(r.removed.auditEvents! >= 2);

    const secrets = [person.name, person.cid, "0912345678"];
    const clean = (where: string, text: string) => {
      for (const s of secrets) assert.ok(!text.includes(s), `${where} still holds ${s}`);
    };
    // Every export kind.
    for (const kind of EXPORT_KINDS) {
      const file = path.join(dir, `${kind}.csv`);
      await exportRecords({ db: t.db, kind, scope: { kind: "commune", communeId }, mask: false, file });
      clean(`export ${kind}`, fs.readFileSync(file, "utf8"));
    }
    // The API, the audit API included.
    for (const p of [
      `/api/v1/residents?q=${encodeURIComponent(person.name)}`,
      `/api/v1/residents?pageSize=500`,
      "/api/v1/audit?pageSize=500",
      "/api/v1/visits?pageSize=500",
      "/api/v1/certifications?pageSize=500",
      "/api/v1/team_members?pageSize=500",
      "/api/v1/households?pageSize=500",
    ]) {
      const res = await api(p);
      assert.equal(res.status, 200, p);
      clean(p, await res.text());
    }
    assert.equal((await api(`/api/v1/residents/${person.id}`)).status, 404);
    // Pages.
    const a = admin();
    await a.login("quantri", PASSWORD);
    // (A search page echoes its query: the residents list is read whole instead.)
    for (const p of ["/residents", "/residents?page=2", "/audit", "/certifications", "/visits", "/teams"]) {
      await a.get(p);
      clean(p, a.lastHtml);
    }
    assert.equal((await a.get(`/residents/${person.id}`)).status, 404);
    // A new backup, decrypted and read.
    const file = path.join(dir, "after.bdhvs");
    await writeBackup({
      snapshot: await takeSnapshot({ database: t.database }),
      file,
      key: "khóa thử nghiệm",
    });
    const { body } = await openBackup(file, fs.readFileSync(file), "khóa thử nghiệm");
    assert.ok(body.toString("utf8").includes("resident.erase"));
    clean("backup", body.toString("utf8"));
    // The birth date is gone from the audit copies about the person.
    const own = await rows<{ j: string }>(
      t,
      sql`select coalesce(before::text, '') || coalesce(after::text, '') as j from audit_events
          where entity = 'resident' and entity_id = ${String(person.id)}`,
    );
    for (const o of own) assert.ok(!o.j.includes(person.birth), o.j);
    // Indicators: the numerator drops at once, the facts agree with a recomputation, the cache moved.
    const afterIt = await adultSkills(t, communeId);
    assert.equal(afterIt.numerator, before.numerator! - 1);
    assert.equal(afterIt.denominator, before.denominator! - 1);
    assert.notEqual(await (await api(`/api/v1/indicators?date=${DRILL_DATE}`)).text(), cached);
    const { kept, fresh } = await factsAndRecomputation(t.db);
    assert.equal(kept, fresh);
    // The redaction is audited without the values.
    const [ev] = await rows<{ after: unknown }>(
      t,
      sql`select after from audit_events where action = 'resident.erase' and entity_id = ${String(person.id)}`,
    );
    assert.ok(ev);
    clean("erase event", JSON.stringify(ev.after));
    assert.match(JSON.stringify(ev.after), /Yêu cầu xóa nhận ngày 20\/11\/2026/);
  });

  test("a second erasure is a clear message; the audit trail is otherwise still append-only", async () => {
    await assert.rejects(
      erase({ residentId: person.id }, "lần hai"),
      (e: unknown) =>
        e instanceof AppError && e.code === "conflict" && /đã được xóa theo yêu cầu/.test(t_(e)),
    );
    await assert.rejects(
      erase({ citizenId: person.cid }, "lần hai"),
      (e: unknown) => e instanceof AppError && /có thể người đó đã được xóa/.test(t_(e)),
    );
    await assert.rejects(t.db.execute(sql`update audit_events set after = null where id = 1`), appendOnly);
    await assert.rejects(t.db.execute(sql`delete from audit_events where id = 1`), appendOnly);
    await assert.rejects(
      t.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('bdhvs.audit_redaction', 'on', true)`);
        await tx.execute(sql`update audit_events set action = 'x' where id = 1`);
      }),
      appendOnly,
    );
  });

  test("restoring a backup taken before the erasure erases the person again", async () => {
    const backup = await checkBackup({ file: early(), bytes: fs.readFileSync(early()), key: undefined });
    assert.ok(backup.body.toString("utf8").includes(person.cid), "the old backup still holds them");
    const r = await restoreBackup({ database: t.database, backup, replace: true, actor: cliActor(null) });
    assert.equal(r.reErased, 1);
    const [left] = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where before::text like ${`%${person.cid}%`} or after::text like ${`%${person.cid}%`}`,
    );
    assert.equal(left!.n, 0);
    const [gone] = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from residents where id = ${person.id}`,
    );
    assert.equal(gone!.n, 0);
    const [ev] = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where action = 'resident.erase_reapplied' and entity_id = ${String(person.id)}`,
    );
    assert.equal(ev!.n, 1);
    const { kept, fresh } = await factsAndRecomputation(t.db);
    assert.equal(kept, fresh);
  });
});

const appendOnly = (e: unknown) => /append-only/.test(String((e as { cause?: unknown }).cause ?? e));

function t_(e: AppError) {
  return t("vi", e.msg.key, e.msg.params);
}
