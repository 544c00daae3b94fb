/**
 * Issue 18.4: several app processes behind nginx against one PostgreSQL. A job started on one
 * process is followed and committed from another; a process killed (-9) in the middle of a commit
 * leaves the database as it was and its job failed with a message, answered by the others and by
 * the process restarted; and under load, a process killed costs no user a failed request (nginx
 * sends the idempotent requests it could not finish to the other process).
 * Runs on the PostgreSQL pass (TEST_DATABASE_URL); the embedded database is one process's alone.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { ensureDefaultCommune } from "../src/features/communes/service.ts";
import {
  type AppProcess,
  freePort,
  HttpAgent,
  nginxBinary,
  startAppProcess,
  startNginx,
} from "./helpers/cluster.ts";
import { createTestDatabase, testDatabaseUrl } from "./helpers/db.ts";
import { buildUser, TEST_PASSWORD } from "./helpers/factories.ts";

/** Villages in the file whose commit is killed: long enough to be caught writing (a few seconds). */
const BIG_ROWS = 25_000;
const LEASE_SECONDS = 2;

type Status = { state: string; phase: string; rows: number; text: string };

const skip = testDatabaseUrl ? false : "PostgreSQL only (TEST_DATABASE_URL): one process holds PGlite";

describe("several app processes behind nginx (issue 18.4)", { skip }, () => {
  let dir: string;
  let database: Database;
  const apps: AppProcess[] = [];
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  let username: string;
  let ports: number[];
  let commune: Awaited<ReturnType<typeof ensureDefaultCommune>>;

  const villageCount = async () =>
    Number(
      (
        (await database.db.execute(sql`select count(*)::int as n from villages`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]!.n,
    );

  async function startApp(port: number) {
    const app = await startAppProcess({
      port,
      databaseUrl: database.location,
      dataDir: path.join(dir, `data-${port}`),
      env: { IMPORT_JOB_LEASE_SECONDS: String(LEASE_SECONDS), TRUST_PROXY: "true" },
    });
    apps.push(app);
    return app;
  }

  /** Polls a job's status on `agent`'s process until `done(status)`. */
  async function poll(agent: HttpAgent, job: string, done: (s: Status) => boolean, ms = 60_000) {
    const until = performance.now() + ms;
    for (;;) {
      const res = await agent.request(`${job}/status`);
      assert.equal(res.status, 200, `${agent.base}${job}/status`);
      const s = (await res.json()) as Status;
      if (done(s)) return s;
      if (performance.now() > until) throw new Error(`job ${job}: still ${JSON.stringify(s)}`);
      await sleep(50);
    }
  }

  async function upload(agent: HttpAgent, name: string, content: string): Promise<string> {
    await agent.get("/imports");
    const form = new FormData();
    form.append("kind", "villages");
    form.append("file", new File([content], name));
    const res = await agent.postMultipart("/imports", form);
    assert.equal(res.status, 303, agent.lastHtml.slice(0, 2000));
    return res.headers.get("location")!;
  }

  before(async () => {
    assert.ok(nginxBinary(), "nginx is needed (Debian: apt-get install nginx-light; .ci/run installs it)");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-procs-"));
    database = await createTestDatabase();
    commune = await ensureDefaultCommune({
      db: database.db,
      commune: { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" },
    });
    ({
      user: { username },
    } = await buildUser(database.db, { role: "coordinator", commune }));
    ports = [await freePort(), await freePort()];
    for (const p of ports) await startApp(p);
    nginx = await startNginx(dir, ports);
  });

  after(async () => {
    await nginx?.stop();
    for (const app of apps) await app.stop();
    await database?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a session kept by both processes: signed out on A, refused by B at the next request; an account disabled or made a volunteer in the database, at once on both", async () => {
    const signIn = async (role: "coordinator" | "leader") => {
      const { user } = await buildUser(database.db, { role, commune });
      const a = new HttpAgent(apps[0]!.url);
      await a.login(user.username, TEST_PASSWORD);
      const b = a.at(apps[1]!.url);
      b.cookies = new Map(a.cookies); // A's sign-out clears A's cookie only: B still sends it
      // Twice on each: the second is answered from the session each process keeps.
      for (const agent of [a, b, a, b]) assert.equal((await agent.get("/plan")).status, 200, agent.base);
      return { a, b, id: user.id };
    };
    const first = await signIn("coordinator");
    assert.equal((await first.a.postForm("/logout", {})).status, 303);
    assert.equal((await first.b.get("/plan")).status, 303, "signed out on A: B asks to sign in");

    const second = await signIn("coordinator");
    await database.db.execute(sql`update users set role = 'volunteer' where id = ${second.id}`);
    for (const agent of [second.a, second.b])
      assert.equal((await agent.get("/plan")).status, 403, agent.base);
    await database.db.execute(sql`update users set disabled_at = now() where id = ${second.id}`);
    for (const agent of [second.b, second.a])
      assert.equal((await agent.get("/plan")).status, 303, agent.base);
  });

  test("a job started on process A is followed and committed from process B; its files download from either", async () => {
    const a = new HttpAgent(apps[0]!.url);
    await a.login(username, TEST_PASSWORD);
    const b = a.at(apps[1]!.url);
    const before_ = await villageCount();
    const csv = "Mã thôn,Tên thôn\nT01,Thôn Một\nT02,Thôn Hai\nT03,\n";
    const check = await upload(a, "thon.csv", csv);
    await poll(b, check, (s) => s.state !== "running");
    const page = await b.get(check);
    assert.equal(page.status, 200);
    assert.match(b.lastHtml, /Kiểm tra tệp “thon.csv”/);
    const errors = b.lastHtml.match(/href="(\/imports\/[0-9a-f]{32}\/errors)"/)![1]!;
    assert.equal((await a.request(errors)).status, 200, "the check's errors from A");
    const action = b.lastHtml.match(/action="(\/imports\/[0-9a-f]{32}\/commit)"/)![1]!;
    const started = await b.postForm(action, { skip_invalid: "1" });
    assert.equal(started.status, 303, b.lastHtml.slice(0, 1000));
    const commit = started.headers.get("location")!;
    await poll(a, commit, (s) => s.state !== "running");
    await a.get(commit);
    assert.match(a.lastHtml, /2 thêm mới/);
    const rejects = a.lastHtml.match(/href="(\/imports\/[0-9a-f]{32}\/rejects)"/)![1]!;
    const rej = await b.request(rejects);
    assert.equal(rej.status, 200, "the rejects from B");
    assert.match(await rej.text(), /T03/);
    assert.equal(await villageCount(), before_ + 2);
  });

  test("under load through nginx, a process killed: no failed request reaches the user", async () => {
    const user = new HttpAgent(nginx!.url);
    await user.login(username, TEST_PASSWORD);
    const pages = ["/", "/villages", "/imports", "/healthz", "/indicators"];
    const failures: string[] = [];
    let served = 0;
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const p = pages[(i + w) % pages.length]!;
        try {
          const res = await user.request(p);
          const body = await res.text();
          if (res.status !== 200) failures.push(`${p}: ${res.status} ${body.slice(0, 200)}`);
          else served++;
        } catch (err) {
          failures.push(`${p}: ${(err as Error).message}`);
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    const waitServed = async (n: number) => {
      const until = performance.now() + 60_000;
      while (served < n && performance.now() < until && failures.length === 0) await sleep(20);
    };
    await waitServed(60);
    const atKill = served;
    try {
      await apps[1]!.kill();
      await waitServed(atKill + 150);
      stop = true;
      await Promise.all(workers);
      assert.deepEqual(failures, []);
      assert.ok(served >= atKill + 150, `served ${served} (${atKill} before the kill)`);
    } finally {
      stop = true;
      apps[1] = await startApp(apps[1]!.port);
    }
  });

  test("kill -9 of the process writing a commit: nothing is written, the job fails with a message on the other process and after a restart; the next import runs", async () => {
    const [appA, appB] = [apps[0]!, apps[1]!];
    const a = new HttpAgent(appA.url);
    await a.login(username, TEST_PASSWORD);
    const b = a.at(appB.url);
    const lines = ["Mã thôn,Tên thôn"];
    for (let i = 1; i <= BIG_ROWS; i++) lines.push(`K${i},Thôn số ${i}`);
    const csv = `${lines.join("\n")}\n`;
    const check = await upload(a, "lon.csv", csv);
    await poll(a, check, (s) => s.state !== "running", 120_000);
    await a.get(check);
    const action = a.lastHtml.match(/action="(\/imports\/[0-9a-f]{32}\/commit)"/)![1]!;
    const before_ = await villageCount();
    const started = await a.postForm(action, {});
    assert.equal(started.status, 303);
    const commit = started.headers.get("location")!;
    // B sees A's progress (A's lease renewals carry it); A is killed while it writes.
    const seen = await poll(b, commit, (s) => s.state !== "running" || s.rows > 0, 120_000);
    assert.equal(seen.state, "running", "the commit was caught while it ran");
    await appA.kill();
    const failed = await poll(b, commit, (s) => s.state !== "running", 30_000);
    assert.equal(failed.state, "failed");
    await b.get(commit);
    assert.match(b.lastHtml, /Máy chủ xử lý lượt nhập này đã dừng giữa chừng; chưa có dòng nào được ghi/);
    assert.equal(await villageCount(), before_, "the killed commit wrote nothing");
    // A restarted knows the job too.
    apps[0] = await startApp(appA.port);
    const a2 = a.at(apps[0].url);
    await a2.get(commit);
    assert.match(a2.lastHtml, /đã dừng giữa chừng/);
    await a2.get("/imports");
    assert.doesNotMatch(a2.lastHtml, /lượt nhập chưa xong/, "the user is not held up by the dead job");
    // The killed commit's file is still there: committed again (from B), it lands once, in full.
    await b.get(check);
    const commit2 = (await b.postForm(action, {})).headers.get("location")!;
    assert.notEqual(commit2, commit);
    await poll(a2, commit2, (s) => s.state !== "running", 120_000);
    assert.equal(await villageCount(), before_ + BIG_ROWS);
  });
});
