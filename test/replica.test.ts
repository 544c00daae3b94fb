/**
 * Issue 18.5: a read replica. The test makes its own primary and streaming replica
 * (`pg_basebackup -R`) in temporary folders on free loopback ports, under the postgres user, then
 * proves that list pages read on the replica (its replay paused, a row written on the primary is
 * not listed), that a user's reads right after their own write go to the primary (they see it),
 * and that with the replica stopped every page still answers, from the primary.
 * Runs on the PostgreSQL pass (TEST_DATABASE_URL), which has PostgreSQL's binaries; PGlite has no
 * replication.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { pino } from "pino";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/config.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import { openReplica, type Replica } from "../src/db/replica.ts";
import { ensureDefaultCommune } from "../src/features/communes/service.ts";
import { nowMs } from "../src/lib/clock.ts";
import { depsOf } from "../src/server.ts";
import { HOA_FORM } from "../src/test-support/resident-form.ts";
import { Agent, apiToken, bearer } from "./helpers/app.ts";
import { freePort } from "./helpers/cluster.ts";
import { testDatabaseUrl } from "./helpers/db.ts";
import {
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  TEST_PASSWORD,
} from "./helpers/factories.ts";
import { type PgCluster, startPrimary } from "./helpers/pg-cluster.ts";

const skip = testDatabaseUrl ? false : "PostgreSQL only (TEST_DATABASE_URL): PGlite has no replication";

describe("a read replica (issue 18.5)", { skip }, () => {
  let cluster: PgCluster;
  let database: Database;
  let replica: Replica;
  let app: ReturnType<typeof createApp>;
  let username: string;
  let provinceUser: string;
  let primaryAdmin: pg.Client;

  async function onReplica<T>(q: string): Promise<T> {
    const c = new pg.Client({ connectionString: cluster.replicaUrl("bdhvs") });
    await c.connect();
    try {
      return (await c.query(q)).rows[0] as T;
    } finally {
      await c.end();
    }
  }

  /** Waits until the replica has replayed everything the primary wrote so far. */
  async function caughtUp() {
    const { lsn } = (await primaryAdmin.query("select pg_current_wal_lsn()::text as lsn")).rows[0] as {
      lsn: string;
    };
    for (let i = 0; i < 200; i++) {
      const r = await onReplica<{ ok: boolean }>(`select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as ok`);
      if (r.ok) return;
      await sleep(50);
    }
    throw new Error("the replica did not catch up");
  }

  before(async () => {
    cluster = startPrimary(
      { primary: await freePort(), replica: await freePort() },
      { settings: ["listen_addresses=127.0.0.1", "fsync=off"] },
    );
    primaryAdmin = new pg.Client({ connectionString: cluster.primaryUrl() });
    await primaryAdmin.connect();
    await primaryAdmin.query("create database bdhvs");
    await cluster.startReplica();
    await primaryAdmin.end();
    primaryAdmin = new pg.Client({ connectionString: cluster.primaryUrl("bdhvs") });
    await primaryAdmin.connect();

    database = await openDatabase({ databaseUrl: cluster.primaryUrl("bdhvs"), poolSize: 5 });
    await database.migrate();
    const config = loadConfig(
      { LOG_LEVEL: "silent", TRUST_PROXY: "true" },
      { dataDir: path.join(cluster.dir, "data"), databaseUrl: cluster.primaryUrl("bdhvs") },
    );
    const commune = await ensureDefaultCommune({ db: database.db, commune: config.commune });
    const village = await buildVillage(database.db, { commune, code: "T01" });
    await buildHousehold(database.db, { village, code: "T01-0001" });
    ({
      user: { username },
    } = await buildUser(database.db, { role: "coordinator", commune }));
    ({
      user: { username: provinceUser },
    } = await buildUser(database.db, { role: "province", commune }));
    replica = openReplica(cluster.replicaUrl("bdhvs"), database.pool!, { poolSize: 3, now: nowMs });
    app = createApp(depsOf(database, config, pino({ level: "silent" }), replica));
    await caughtUp();
  });

  after(async () => {
    await replica?.close();
    await database?.close();
    await primaryAdmin?.end().catch(() => {});
    cluster?.stop();
  });

  test("lists read on the replica; the user who just wrote reads on the primary; the replica stopped, reads fall back without errors", async () => {
    const reader = new Agent(app);
    await reader.login(username, TEST_PASSWORD);
    const writer = new Agent(app);
    await writer.login(username, TEST_PASSWORD);
    // Signing in wrote (a session): that mark ends; the reader's next reads are the replica's.
    reader.cookies.delete("bdhvs_wrote");
    // The province's pages and API read the replica too (issue 18.3): its adults before the write.
    const provinceToken = await apiToken(app, provinceUser, TEST_PASSWORD);
    const adultsOnRanking = async () => {
      const res = await app.request("/api/v1/province/ranking?indicator=adult_skills", {
        headers: bearer(provinceToken),
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { province: { denominator: number } }).province.denominator;
    };
    const adultsBefore = await adultsOnRanking();
    await onReplica("select pg_wal_replay_pause()");
    // A resident written on the primary while the replica's replay is paused.
    const village = (await database.db.query.villages.findFirst())!;
    const household = (await database.db.query.households.findFirst())!;
    await buildResident(database.db, { household, fullName: "Trần Văn Chính" });
    assert.equal(village.code, "T01");
    assert.equal((await reader.get("/residents")).status, 200);
    assert.doesNotMatch(reader.lastHtml, /Trần Văn Chính/, "the list was read on the (paused) replica");
    const token = await apiToken(app, username, TEST_PASSWORD);
    const api = await app.request("/api/v1/indicators", { headers: bearer(token) });
    assert.equal(api.status, 200, "an API read on the replica");
    assert.equal(
      await adultsOnRanking(),
      adultsBefore,
      "the province's ranking was read on the (paused) replica",
    );

    // The writer adds a resident through the form: their next list comes from the primary.
    await writer.get("/residents/new");
    const created = await writer.postForm("/residents", HOA_FORM);
    assert.equal(created.status, 303, writer.lastHtml.slice(0, 1000));
    assert.ok(writer.cookies.has("bdhvs_wrote"), "the write marks the browser");
    await writer.get("/residents");
    assert.match(writer.lastHtml, /Hoàng Thị Hoa/, "the writer sees their own write at once");
    assert.match(writer.lastHtml, /Trần Văn Chính/);
    await reader.get("/residents");
    assert.doesNotMatch(reader.lastHtml, /Hoàng Thị Hoa/, "others still read the replica");

    await onReplica("select pg_wal_replay_resume()");
    await caughtUp();
    await reader.get("/residents");
    assert.match(reader.lastHtml, /Hoàng Thị Hoa/, "replayed: the replica has it");
    assert.equal(await adultsOnRanking(), adultsBefore + 2, "replayed: the province's ranking counts both");
    assert.ok(replica.up());

    // The replica stops: every read answers, from the primary.
    cluster.stopReplica();
    for (const p of ["/residents", "/indicators", "/exports/residents.csv", "/residents?q=hoa"]) {
      const res = await reader.get(p);
      assert.equal(res.status, 200, `${p} with the replica stopped`);
    }
    assert.match(reader.lastHtml, /Hoàng Thị Hoa/);
    assert.equal((await app.request("/api/v1/indicators", { headers: bearer(token) })).status, 200);
    assert.equal(await adultsOnRanking(), adultsBefore + 2, "the province's ranking from the primary");
    const province = new Agent(app);
    await province.login(provinceUser, TEST_PASSWORD);
    for (const p of ["/province", "/province/map", "/province/reports"]) {
      assert.equal((await province.get(p)).status, 200, `${p} with the replica stopped`);
    }
    assert.equal(replica.up(), false, "the replica is left alone for a while");
  });
});
