import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { count, eq, sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { createTestDatabase, testDatabaseUrl } from "../../../test/helpers/db.ts";
import {
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildVillage,
} from "../../../test/helpers/factories.ts";
import {
  emptyDatabase,
  factsAndRecomputation,
  migratedPglite,
  observe,
  PASSWORD,
  seedDrill,
} from "../../../test/helpers/restore-drill.ts";
import { type Database, migrationsFolder } from "../../db/client.ts";
import { auditEvents, villages, visitResidents, visits } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { AppError } from "../../lib/errors.ts";
import { cliActor, recordAudit } from "../audit/service.ts";
import { verifyCredentials } from "../auth/service.ts";
import { sealBackup } from "./format.ts";
import { appliedMigrations, applyMigration, publicTableCount } from "./repo.ts";
import { checkBackup, restoreBackup, takeSnapshot } from "./service.ts";

setClock(startingAt("2026-11-25T09:00:00+07:00"));

type Kind = "pglite" | "postgres";
const FILE = "sao-luu.bdhvs";

async function backupBytes(database: Database, key?: string) {
  return sealBackup(await takeSnapshot({ database }), key);
}

async function refusal(p: Promise<unknown>, key: string) {
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.msg.key, key);
    return true;
  });
}

/** A database error, read through drizzle's wrapper (the server's message is its cause). */
async function dbRejects(p: Promise<unknown>, re: RegExp) {
  await assert.rejects(p, (err: Error & { cause?: Error }) => {
    assert.match(`${err.message} ${err.cause?.message ?? ""}`, re);
    return true;
  });
}

describe("backup and restore", () => {
  const sources = new Map<Kind, { database: Database; communeId: number; usernames: string[] }>();
  const opened: Database[] = [];

  async function source(kind: Kind) {
    let s = sources.get(kind);
    if (!s) {
      const database = kind === "pglite" ? await migratedPglite() : await createTestDatabase();
      opened.push(database);
      s = { database, ...(await seedDrill(database)) };
      sources.set(kind, s);
    }
    return s;
  }
  async function target(kind: Kind) {
    const d = await emptyDatabase(kind);
    opened.push(d);
    return d;
  }

  after(async () => {
    for (const d of opened) await d.close();
  });

  const pairs: [Kind, Kind][] = testDatabaseUrl
    ? [
        ["postgres", "postgres"],
        ["pglite", "postgres"],
        ["postgres", "pglite"],
      ]
    : [["pglite", "pglite"]];

  for (const [from, to] of pairs) {
    test(`restore drill: ${from} → ${to}, into an empty database`, async () => {
      const src = await source(from);
      const before = await observe(src.database, src.communeId);
      const key = from === to ? undefined : "khóa bí mật của xã";
      const bytes = await backupBytes(src.database, key);
      const dst = await target(to);
      const backup = await checkBackup({ file: FILE, bytes, key });
      const r = await restoreBackup({ database: dst, backup, replace: false, actor: cliActor(null) });
      assert.ok(r.rows > 2000, `rows ${r.rows}`);
      const afterRestore = await observe(dst, src.communeId);

      for (const kind of Object.keys(before.exports))
        assert.equal(afterRestore.exports[kind], before.exports[kind], `export ${kind}`);
      assert.equal(afterRestore.indicators, before.indicators);
      assert.ok(before.files.length >= 3, "a submitted report keeps its files");
      assert.equal(afterRestore.files.length, before.files.length);
      for (const [i, f] of before.files.entries())
        assert.ok(afterRestore.files[i]!.content.equals(f.content));
      // The audit trail is complete, then says the restore happened.
      assert.deepEqual(afterRestore.audit.slice(0, before.audit.length), before.audit);
      assert.equal(afterRestore.audit.length, before.audit.length + 1);
      assert.match(afterRestore.audit.at(-1)!, /"action":"backup.restore"/);
      // Users sign in with their passwords.
      for (const username of src.usernames) {
        const u = await verifyCredentials({
          db: dst.db,
          username,
          password: PASSWORD,
          client: { ip: "127.0.0.1", requestId: null },
        });
        assert.equal(u.username, username);
      }
      // The kept facts equal a fresh recomputation (and the source's).
      const facts = await factsAndRecomputation(dst.db);
      assert.equal(facts.kept, facts.fresh);
      assert.equal(facts.kept, (await factsAndRecomputation(src.database.db)).kept);
      // Protections stay: the audit is append-only, submitted report files are frozen.
      await dbRejects(dst.db.execute(sql`update audit_events set action = 'x'`), /append-only/);
      await dbRejects(dst.db.execute(sql`delete from report_files`), /kept as generated/);
      // Sequences continue past the restored ids.
      const [maxId] = await dst.db.select({ n: sql<number>`max(id)::int` }).from(villages);
      const v = await buildVillage(dst.db, { commune: { id: src.communeId } as never });
      assert.ok(v.id > maxId!.n);
      assert.equal((await appliedMigrations(dst.db)).length, readMigrationFiles({ migrationsFolder }).length);
    });
  }

  test("a database that holds data is refused unless replace, and then replaced whole", async () => {
    const src = await source(testDatabaseUrl ? "postgres" : "pglite");
    const bytes = await backupBytes(src.database);
    const dst = await createTestDatabase();
    opened.push(dst);
    const village = await buildVillage(dst.db);
    const backup = await checkBackup({ file: FILE, bytes, key: undefined });
    await refusal(restoreBackup({ database: dst, backup, replace: false }), "backup.not_empty");
    assert.equal((await dst.db.select().from(villages).where(eq(villages.id, village.id))).length, 1);
    await restoreBackup({ database: dst, backup, replace: true });
    const before = await observe(src.database, src.communeId);
    const afterRestore = await observe(dst, src.communeId);
    assert.deepEqual(afterRestore.exports, before.exports);
    assert.equal(afterRestore.indicators, before.indicators);
    assert.equal(
      (await dst.db.select().from(villages).where(eq(villages.code, village.code))).length,
      0,
      "the village that was there is gone",
    );
  });

  test("refusals: truncated or altered file, missing or wrong key, newer schema — nothing changes", async () => {
    const src = await source(testDatabaseUrl ? "postgres" : "pglite");
    const plain = await backupBytes(src.database);
    const sealed = await backupBytes(src.database, "đúng khóa");
    const altered = Buffer.from(plain);
    altered[altered.length - 10]! ^= 0xff;
    await refusal(
      checkBackup({ file: FILE, bytes: plain.subarray(0, plain.length - 100), key: undefined }),
      "backup.checksum",
    );
    await refusal(checkBackup({ file: FILE, bytes: altered, key: undefined }), "backup.checksum");
    await refusal(
      checkBackup({ file: FILE, bytes: Buffer.from("PK\u0003\u0004"), key: undefined }),
      "backup.not_a_backup",
    );
    await refusal(checkBackup({ file: FILE, bytes: sealed, key: undefined }), "backup.key_missing");
    await refusal(checkBackup({ file: FILE, bytes: sealed, key: "sai khóa" }), "backup.key_wrong");
    assert.ok(
      !sealed.includes(Buffer.from("Tân Ninh")) || sealed.indexOf(Buffer.from("Tân Ninh")) < 2000,
      "only the header is readable",
    );
    const snap = await takeSnapshot({ database: src.database });
    const newer = await sealBackup(
      { ...snap, schema: { migrations: [...snap.schema.migrations, 9_999_999_999_999], tag: "0099_future" } },
      undefined,
    );
    await refusal(checkBackup({ file: FILE, bytes: newer, key: undefined }), "backup.newer_schema");
    // The right key opens it.
    const ok = await checkBackup({ file: FILE, bytes: sealed, key: "đúng khóa" });
    assert.equal(ok.header.rows, snap.rows);
  });

  test("a backup from an older schema is restored, then migrated", async () => {
    const code = readMigrationFiles({ migrationsFolder });
    const old = await emptyDatabase("pglite");
    opened.push(old);
    await old.db.transaction(async (tx) => {
      for (const m of code.slice(0, code.length - 1)) await applyMigration(tx, m);
    });
    await old.db.execute(
      sql`insert into communes (code, name, province) values ('CU', 'Xã Cũ', 'Thanh Hóa')`,
    );
    await old.db.execute(
      sql`insert into villages (commune_id, code, name) select id, 'T01', 'Thôn Một' from communes where code = 'CU'`,
    );
    const bytes = await backupBytes(old);
    const backup = await checkBackup({ file: FILE, bytes, key: undefined });
    assert.equal(backup.header.schema.migrations.length, code.length - 1);
    const dst = await target(testDatabaseUrl ? "postgres" : "pglite");
    const r = await restoreBackup({ database: dst, backup, replace: false });
    assert.notEqual(r.from, r.to);
    assert.equal((await appliedMigrations(dst.db)).length, code.length);
    const [v] = await dst.db.select({ name: villages.name }).from(villages);
    assert.equal(v!.name, "Thôn Một");
    assert.ok((await publicTableCount(dst.db)) >= 27);
  });

  test("a backup taken while 20 users write restores to one instant (no half transaction)", async () => {
    const database = await createTestDatabase();
    opened.push(database);
    const writers = [];
    for (let i = 0; i < 20; i++) {
      const household = await buildHousehold(database.db);
      const resident = await buildResident(database.db, { household } as never);
      const [village] = await database.db.select().from(villages).where(eq(villages.id, household.villageId));
      const member = await buildTeamMember(database.db, { village: village! });
      writers.push({ household, resident, member });
    }
    let stop = false;
    let written = 0;
    const failures: unknown[] = [];
    const loops = writers.map(async (w, i) => {
      for (let n = 0; !stop; n++) {
        try {
          await database.db.transaction(async (tx) => {
            const date = new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
            const [visit] = await tx
              .insert(visits)
              .values({
                communeId: w.household.communeId,
                householdId: w.household.id,
                date,
                memberId: w.member.id,
              })
              .returning({ id: visits.id });
            await tx
              .insert(visitResidents)
              .values({ communeId: w.household.communeId, visitId: visit!.id, residentId: w.resident.id });
            await recordAudit(tx, cliActor(w.household.communeId), {
              action: "visit.create",
              entity: "visit",
              entityId: visit!.id,
              after: { writer: i },
            });
          });
        } catch (err) {
          failures.push(err);
          stop = true;
        }
        written++;
        // A user pauses between writes (and PGlite, in this process, lets timers run).
        await new Promise((r) => setTimeout(r, 1));
      }
    });
    while (written < 40 && !failures.length) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(failures, []);
    const bytes = await backupBytes(database);
    stop = true;
    await Promise.all(loops);
    const dst = await target(testDatabaseUrl ? "postgres" : "pglite");
    await restoreBackup({
      database: dst,
      backup: await checkBackup({ file: FILE, bytes, key: undefined }),
      replace: false,
    });
    const [v] = await dst.db.select({ n: count() }).from(visits);
    const [vr] = await dst.db.select({ n: count() }).from(visitResidents);
    const [a] = await dst.db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.action, "visit.create"));
    assert.ok(v!.n >= 40, `visits ${v!.n}`);
    assert.equal(vr!.n, v!.n);
    assert.equal(a!.n, v!.n);
    const [all] = await database.db.select({ n: count() }).from(visits);
    assert.ok(all!.n >= v!.n);
  });
});
