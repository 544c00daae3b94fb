/**
 * Sessions kept in memory (auth/repo.ts `keepSession`, migration 0023): a signed-in request reads
 * one small row (its commune's versions) instead of the session with its user, and whatever ends
 * or changes the session in the database — written here straight to it, as another process or the
 * CLI would — holds at the very next request. Runs on PGlite and on PostgreSQL (TEST_DATABASE_URL).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eq, sql } from "drizzle-orm";
import { Agent, useTestApp } from "../../../test/helpers/app.ts";
import { buildUser, buildVillage, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import type { Db } from "../../db/client.ts";
import { communes, sessions, users, userVillages } from "../../db/schema.ts";
import { fixedClock, resetClock, setClock } from "../../lib/clock.ts";

const t = useTestApp();

type Signed = { agent: Agent; userId: number; villageId: number; other: number };

/** A village lead of one village, signed in, whose session has served (and is kept) twice. */
async function signedIn(path = "/"): Promise<Signed> {
  const [village, other] = [
    await buildVillage(t.db, { commune: t.commune }),
    await buildVillage(t.db, { commune: t.commune }),
  ];
  const { user } = await buildUser(t.db, {
    role: "village_lead",
    commune: t.commune,
    villages: [village],
    displayName: "Đỗ Thị Lan",
  });
  const agent = new Agent(t.app);
  await agent.login(user.username, TEST_PASSWORD);
  for (let i = 0; i < 2; i++) assert.equal((await agent.get(path)).status, 200, path);
  return { agent, userId: user.id, villageId: village.id, other: other.id };
}

const cases: {
  name: string;
  path: (s: Signed) => string;
  change: (db: Db, s: Signed) => Promise<unknown>;
  expect: (res: Response, html: string) => void;
}[] = [
  {
    name: "an account disabled: the next page asks to sign in",
    path: () => "/",
    change: (db, s) => db.update(users).set({ disabledAt: sql`now()` }).where(eq(users.id, s.userId)),
    expect: (res) => assert.equal(res.status, 303),
  },
  {
    name: "a session ended elsewhere (signed out, or the CLI): the next page asks to sign in",
    path: () => "/",
    change: (db, s) => db.delete(sessions).where(eq(sessions.userId, s.userId)),
    expect: (res) => assert.equal(res.status, 303),
  },
  {
    name: "a role changed (village lead to volunteer): the plan is refused at once",
    path: () => "/plan",
    change: (db, s) => db.update(users).set({ role: "volunteer" }).where(eq(users.id, s.userId)),
    expect: (res) => assert.equal(res.status, 403),
  },
  {
    name: "the villages changed: the village left is refused at once",
    path: (s) => `/villages/${s.villageId}/visit-next`,
    change: (db, s) =>
      db.transaction(async (tx) => {
        await tx.delete(userVillages).where(eq(userVillages.userId, s.userId));
        await tx
          .insert(userVillages)
          .values({ communeId: t.commune.id, userId: s.userId, villageId: s.other });
      }),
    expect: (res) => assert.equal(res.status, 404), // out of scope: as if it did not exist
  },
  {
    name: "the display name changed: the header greets the new one",
    path: () => "/",
    change: (db, s) => db.update(users).set({ displayName: "Đỗ Thị Lan Anh" }).where(eq(users.id, s.userId)),
    expect: (res, html) => {
      assert.equal(res.status, 200);
      assert.match(html, /Xin chào, Đỗ Thị Lan Anh/);
    },
  },
  {
    name: "the session's last sight moved 31 minutes back (idle): it ends",
    path: () => "/",
    change: (db, s) =>
      db
        .update(sessions)
        .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
        .where(eq(sessions.userId, s.userId)),
    expect: (res) => assert.match(res.headers.get("location") ?? "", /expired=1/),
  },
];

describe("a kept session follows the database at the very next request", () => {
  for (const c of cases)
    test(c.name, async () => {
      const s = await signedIn();
      const path = c.path(s);
      assert.equal((await s.agent.get(path)).status, 200, "served before the change");
      await c.change(t.db, s);
      const res = await s.agent.get(path);
      c.expect(res, s.agent.lastHtml);
    });

  test("the commune renamed: the header names the new name on the next page", async () => {
    const { agent } = await signedIn();
    assert.match(agent.lastHtml, /Xã Tân Ninh/);
    await t.db.update(communes).set({ name: "Xã Tân Ninh Mới" }).where(eq(communes.id, t.commune.id));
    try {
      await agent.get("/");
      assert.match(agent.lastHtml, /Xã Tân Ninh Mới/);
    } finally {
      await t.db.update(communes).set({ name: "Xã Tân Ninh" }).where(eq(communes.id, t.commune.id));
    }
  });

  test("last seen is still written, once a minute: a session kept stays open past its idle limit while used", async () => {
    const clock = fixedClock("2026-12-02T03:00:00Z");
    setClock(clock);
    try {
      const { agent, userId } = await signedIn();
      const lastSeen = async () =>
        (
          await t.db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.userId, userId))
        )[0]!.at.getTime();
      const first = await lastSeen();
      clock.advance(30_000);
      assert.equal((await agent.get("/")).status, 200);
      assert.equal(await lastSeen(), first, "no write within the minute");
      // Every 20 minutes for an hour: past the 30-minute idle limit of the first sight, still open.
      for (let i = 0; i < 3; i++) {
        clock.advance(20 * 60_000);
        assert.equal((await agent.get("/")).status, 200);
      }
      assert.equal(await lastSeen(), first + 30_000 + 60 * 60_000);
      clock.advance(31 * 60_000);
      assert.equal((await agent.get("/")).status, 303, "idle for 31 minutes: ended");
    } finally {
      resetClock();
    }
  });
});
