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
import {
  admissionState,
  BUSY_RETRY_AFTER_SECONDS,
  MAX_KINDS,
  nextWaiter,
  requestKind,
  ServiceTimes,
} from "./admission.ts";

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

describe("the queue's order", () => {
  test("a request's kind: method and path, ids, dates and tokens taken out", () => {
    assert.equal(requestKind("GET", "/"), "GET /");
    assert.equal(requestKind("GET", "/residents/123"), requestKind("GET", "/residents/456"));
    assert.equal(requestKind("GET", "/residents/123"), "GET /residents/:");
    assert.notEqual(requestKind("GET", "/residents"), requestKind("GET", "/residents/1"));
    assert.notEqual(requestKind("GET", "/residents/1"), requestKind("POST", "/residents/1"));
    assert.equal(requestKind("GET", "/villages/7/visit-next"), "GET /villages/:/visit-next");
    assert.equal(requestKind("GET", "/indicators/vneid_16plus"), "GET /indicators/vneid_16plus");
    assert.equal(requestKind("GET", "/reports/2026-12-01/x"), "GET /reports/:/x");
    assert.equal(requestKind("GET", `/invite/${"a".repeat(40)}`), "GET /invite/:");
    // Only the first four segments.
    assert.equal(requestKind("GET", "/a/b/c/d/e/f"), "GET /a/b/c/d");
  });

  test("expected times are learnt per kind, and the kinds kept are bounded", () => {
    const times = new ServiceTimes(3, 0.5);
    assert.equal(times.expected("GET /"), 1, "nothing learnt: 1 ms");
    times.learn("GET /", 10);
    assert.equal(times.expected("GET /"), 10);
    times.learn("GET /", 20);
    assert.equal(times.expected("GET /"), 15);
    assert.equal(times.expected("GET /new"), 15, "a kind not seen: the average over all");
    times.learn("GET /b", 100);
    times.learn("GET /c", 100);
    times.learn("GET /d", 100);
    times.learn("GET /e", 50);
    assert.equal(times.kinds, 3, "the kinds past the bound share one");
    assert.equal(times.expected("GET /d"), times.expected("GET /e"));
    const many = new ServiceTimes();
    for (let i = 0; i < 10_000; i++) many.learn(`GET /x${"y".repeat(i % 30)}/${i}`, 1);
    assert.ok(many.kinds <= MAX_KINDS);
  });

  test("a freed place goes to the highest response ratio: short first, and nothing starves", () => {
    const times = new ServiceTimes();
    for (let i = 0; i < 5; i++) {
      times.learn("GET /", 10);
      times.learn("GET /villages/:/visit-next", 100);
    }
    const long = { kind: "GET /villages/:/visit-next", since: 0 };
    const short = { kind: "GET /", since: 50 };
    // At 60 ms the long one waited 60 of its 100 (ratio 1.6), the short one 10 of its 10 (ratio 2).
    assert.equal(nextWaiter([long, short], times, 60), 1);
    // At 200 ms: the long one 3.0, the short one 16: the short still first...
    assert.equal(nextWaiter([long, short], times, 200), 1);
    // ...but a short one that just came does not pass a long one that waited long.
    assert.equal(nextWaiter([long, { kind: "GET /", since: 195 }], times, 200), 0);
    // Of one kind, the earliest.
    assert.equal(
      nextWaiter(
        [
          { kind: "GET /", since: 5 },
          { kind: "GET /", since: 1 },
        ],
        times,
        10,
      ),
      1,
    );
    assert.equal(nextWaiter([], times, 10), -1);
  });
});

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
