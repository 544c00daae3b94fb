/**
 * Admission control (src/web/admission.ts): with MAX_IN_FLIGHT=2 and a queue of 1, two requests
 * run, the third waits for a place, the fourth is answered 503 at once with Retry-After and the
 * Vietnamese busy page (or JSON error); /healthz-like paths and static files are never held.
 * The requests are held in the database: a transaction keeps the sessions table (PostgreSQL) or
 * the only connection (PGlite) until the test lets go.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { Agent, createTestApp, type TestApp } from "../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../test/helpers/factories.ts";
import { admissionState, BUSY_RETRY_AFTER_SECONDS } from "./admission.ts";

/** Waits until `ok()` holds (a condition, never a fixed delay), or fails after `ms`. */
async function until(what: string, ok: () => boolean, ms = 30_000) {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`still waiting for ${what}`);
    await sleep(5);
  }
}

/** Holds the database so that every signed-in request waits in it; `release()` lets go. */
async function holdDatabase(t: TestApp) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const isHeld = new Promise<void>((r) => (held = r));
  const done = t.db.transaction(async (tx) => {
    if (t.database.kind === "postgres") await tx.execute(sql`lock table sessions in access exclusive mode`);
    else await tx.execute(sql`select 1`);
    held();
    await gate;
  });
  await isHeld;
  return {
    async release() {
      release();
      await done;
    },
  };
}

describe("admission control", { timeout: 60_000 }, () => {
  let t: TestApp;
  let agent: Agent;

  before(async () => {
    t = await createTestApp({ admission: { maxInFlight: 2, queue: 1, waitMs: 60_000 } });
    const user = await buildUser(t.db, { role: "admin", commune: t.commune });
    agent = new Agent(t.app);
    await agent.login(user.user.username, TEST_PASSWORD);
  });
  after(() => t.close());

  test("cap 2, queue 1: the third waits, the fourth is refused with 503 and Retry-After", async () => {
    const state = () => admissionState(t.config)!;
    const hold = await holdDatabase(t);
    let released = false;
    try {
      const first = agent.request("/");
      const second = agent.request("/");
      await until("two requests in flight", () => state().inFlight === 2);
      const third = agent.request("/");
      await until("the third request queued", () => state().queued === 1);

      const fourth = await agent.request("/");
      assert.equal(fourth.status, 503);
      assert.equal(fourth.headers.get("retry-after"), String(BUSY_RETRY_AFTER_SECONDS));
      const page = await fourth.text();
      assert.match(page, /Máy chủ đang bận phục vụ nhiều người/);

      const api = await agent.request("/api/v1/villages", { headers: { accept: "application/json" } });
      assert.equal(api.status, 503);
      assert.equal(api.headers.get("retry-after"), String(BUSY_RETRY_AFTER_SECONDS));
      const body = (await api.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "unavailable");
      assert.match(body.error.message, /Máy chủ đang bận/);

      // Static files are served while the gate is full.
      const css = await agent.request("/static/app.css");
      assert.equal(css.status, 200);
      assert.equal(state().refused, 2);

      await hold.release();
      released = true;
      const answers = await Promise.all([first, second, third]);
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200, 200],
      );
      await until("the gate empty again", () => state().inFlight === 0 && state().queued === 0);
    } finally {
      if (!released) await hold.release();
    }
  });

  test("a request that waited longer than ADMISSION_WAIT_MS is answered 503", async () => {
    const short = await createTestApp({ admission: { maxInFlight: 1, queue: 5, waitMs: 100 } });
    try {
      const user = await buildUser(short.db, { role: "admin", commune: short.commune });
      const a = new Agent(short.app);
      await a.login(user.user.username, TEST_PASSWORD);
      const state = () => admissionState(short.config)!;
      const hold = await holdDatabase(short);
      let released = false;
      try {
        const first = a.request("/");
        await until("one request in flight", () => state().inFlight === 1);
        const waited = await a.request("/");
        assert.equal(waited.status, 503);
        assert.equal(waited.headers.get("retry-after"), String(BUSY_RETRY_AFTER_SECONDS));
        assert.equal(state().queued, 0, "the refused request left the queue");
        await hold.release();
        released = true;
        assert.equal((await first).status, 200);
      } finally {
        if (!released) await hold.release();
      }
    } finally {
      await short.close();
    }
  });
});
