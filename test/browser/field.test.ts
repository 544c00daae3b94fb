/**
 * The field app in Debian's Chromium with a persistent profile (issue 13 "Done when"): sign in, sync,
 * go offline, close and reopen the browser offline, record 20 visits and two sessions' attendance,
 * come back online with one acknowledgement lost — each lands exactly once; a refused visit is kept
 * with its reason; a session ended while offline asks to sign in and then sends; a new service worker
 * mid-queue loses nothing; a second user on the same profile sees nothing of the first.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import { type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import { apiTokens, attendance, households, visits } from "../../src/db/schema.ts";
import { addDays } from "../../src/features/indicators/period.ts";
import { todayInVietnam } from "../../src/lib/clock.ts";
import { CHROMIUM_ARGS, chromiumPath, waitFor } from "../helpers/browser.ts";
import {
  buildActivity,
  buildHousehold,
  buildResident,
  buildSession,
  buildTeamMember,
  buildUser,
  buildVillage,
  buildVisit,
  type Commune,
  type Household,
  type Resident,
  TEST_PASSWORD,
  type TeamMember,
} from "../helpers/factories.ts";
import { startTestServer } from "../helpers/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-field-profile-"));
const shots = "test-results";
const PHONE = { width: 360, height: 740 };
const today = todayInVietnam();
const hs: Household[] = [];
let learners: Resident[] = [];
let me: TeamMember;
const sessions: number[] = [];
let user1 = 0;
let context: BrowserContext | undefined;

async function open(): Promise<{ context: BrowserContext; page: Page }> {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath()!,
    headless: true,
    viewport: PHONE,
    args: CHROMIUM_ARGS,
  });
  context.on("page", (p) => p.on("dialog", (d) => void d.accept()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("dialog", (d) => void d.accept());
  page.on("pageerror", (e) => console.error("page error:", e.message));
  if (process.env.FIELD_DEBUG) page.on("console", (m) => console.log("console:", m.text()));
  // Chromium 150 keeps the network of an offline context cut, but a page the service worker opens
  // anew reads `navigator.onLine` true again, as a phone without signal never would: each new
  // document is told once more (the app then hears "offline", as on the phone).
  cdp = await context.newCDPSession(page);
  page.on("framenavigated", (frame) => {
    if (offline && frame === page.mainFrame()) void tellOffline(true).catch(() => {});
  });
  return { context, page };
}

/** Whether the test has cut the phone's network (`setOffline`), and the page's own DevTools session. */
let offline = false;
let cdp: CDPSession | undefined;

const tellOffline = async (value: boolean) =>
  cdp?.send("Network.emulateNetworkConditions", {
    offline: value,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

/** Cuts or restores the network of `ctx`, and keeps it so for the pages opened after (see `open`). */
async function setOffline(ctx: BrowserContext, value: boolean) {
  offline = value;
  await ctx.setOffline(value);
  await tellOffline(value).catch(() => {});
}

const db = () => server.database.db;
const visitsBy = async (memberId: number) =>
  (await db().select({ n: count() }).from(visits).where(eq(visits.memberId, memberId)))[0]!.n;
const presentAt = async (sessionId: number) =>
  (
    await db()
      .select({ n: count() })
      .from(attendance)
      .where(and(eq(attendance.sessionId, sessionId), eq(attendance.present, true)))
  )[0]!.n;

async function signIn(page: Page, username: string) {
  await page.fill("#u", username);
  await page.fill("#p", TEST_PASSWORD);
  await page.click("#signin button[type=submit]");
}

async function go(page: Page, hash: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

async function recordVisit(page: Page, h: Household) {
  await go(page, `#/tham-ho/${h.id}`);
  await page.waitForSelector(`form#visit[data-household="${h.id}"]`);
  await page.check('input[name="met"] >> nth=0');
  await page.check('input[name="support"][value="security_advice"]');
  await page.click("form#visit button[type=submit]");
  await page.waitForSelector("form#search");
}

before(async () => {
  server = await startTestServer();
  const [commune] = (await db().query.communes.findMany()) as Commune[];
  const v1 = await buildVillage(db(), { commune: commune!, code: "T01", name: "Thôn Đông" });
  const v2 = await buildVillage(db(), { commune: commune!, code: "T02", name: "Thôn Tây" });
  for (let i = 1; i <= 22; i++) {
    const h = await buildHousehold(db(), { village: v1, code: `T01-${String(i).padStart(4, "0")}` });
    await db()
      .update(households)
      .set({ headName: `Chủ Hộ Số ${i}`, address: `Xóm ${i}` })
      .where(eq(households.id, h.id));
    await buildResident(db(), { household: h, fullName: `Nguyễn Văn Số ${i}`, birthDate: "1960-05-05" });
    hs.push(h);
  }
  const other = await buildHousehold(db(), { village: v2, code: "T02-0001" });
  await buildResident(db(), { household: other, fullName: "Người Thôn Tây" });
  learners = [
    await buildResident(db(), { household: hs[0]!, fullName: "Học Viên Một" }),
    await buildResident(db(), { household: hs[1]!, fullName: "Học Viên Hai" }),
  ];
  me = await buildTeamMember(db(), { village: v1, fullName: "Mai Văn Hùng" });
  await buildTeamMember(db(), { village: v2, fullName: "Đặng Kim Bích" });
  // Household 22 was already visited today by the same member: a visit from the phone is a duplicate.
  await buildVisit(db(), { household: hs[21]!, member: me, date: today });
  const cls = await buildActivity(db(), { village: v1, code: "LH01", date: addDays(today, -1) });
  for (const d of [addDays(today, -1), today]) {
    const s = await buildSession(db(), { activity: cls, date: d, absent: learners });
    sessions.push(s.id);
  }
  const u = await buildUser(db(), {
    role: "volunteer",
    commune: commune!,
    villages: [v1],
    username: "tnv1",
    displayName: "Mai Văn Hùng",
  });
  user1 = u.user.id;
  await buildUser(db(), {
    role: "volunteer",
    commune: commune!,
    villages: [v2],
    username: "tnv2",
    displayName: "Đặng Kim Bích",
  });
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.stop();
  fs.rmSync(profile, { recursive: true, force: true });
});

describe("the field app offline", { skip: !chromiumPath() && "Chromium not found" }, () => {
  test("sign in and sync; reopened offline, 20 visits and 2 sessions land exactly once, one answer lost", async () => {
    let { context: ctx, page } = await open();
    await page.goto(`${server.url}/field/`);
    await signIn(page, "tnv1");
    await page.waitForSelector(".tabs");
    // Offline only once the first sync has landed (the tabs show before it; on a loaded machine the
    // work set can take seconds): the app says so, as a volunteer would see before leaving signal.
    await page.waitForSelector("text=Đã đồng bộ");
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    await page.screenshot({ path: `${shots}/field-visit-next-360.png`, fullPage: false });
    await setOffline(ctx, true);
    await ctx.close();

    ({ context: ctx, page } = await open());
    await setOffline(ctx, true);
    await page.goto(`${server.url}/field/`);
    await page.waitForSelector(".tabs");
    // The status line is written once the outbox's counts are read from IndexedDB, after the tabs.
    await waitFor(
      async () => /Ngoại tuyến/.test((await page.textContent("#status")) ?? ""),
      "the status line says offline",
    );
    for (const h of hs.slice(0, 20)) await recordVisit(page, h);
    for (const sid of sessions) {
      await go(page, `#/diem-danh/${sid}`);
      // The previous session's roster has learners too: wait for this session's, or the ticks land
      // on the old page while the new one renders (a loaded machine renders slowly).
      await page.waitForSelector(`form#walkin[data-session="${sid}"]`);
      for (const box of await page.$$("[data-learner]")) await box.check();
    }
    let badge: string | null = "";
    await waitFor(
      async () => {
        badge = await page.textContent("#badge");
        return badge === "24";
      },
      "24 items waiting",
      30_000,
      () => `the badge reads "${badge}"`,
    );
    await go(page, "#/cho-gui");
    await page.waitForSelector(".outbox");
    await page.screenshot({ path: `${shots}/field-outbox-360.png`, fullPage: false });
    assert.equal(await visitsBy(me.id), 1);

    // The first visit reaches the server, which writes it, but its answer never comes back.
    let dropped = 0;
    await ctx.route("**/api/v1/visits", async (route) => {
      if (dropped === 0) {
        dropped++;
        await route.fetch();
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    await setOffline(ctx, false);
    await page.evaluate("window.dispatchEvent(new Event('online'))");
    await waitFor(
      async () => (await visitsBy(me.id)) >= 21 && (await presentAt(sessions[1]!)) === 2,
      "the queue to land",
      60_000,
    );
    await waitFor(async () => (await page.textContent("#badge")) === "", "the badge to clear");
    assert.equal(dropped, 1);
    assert.equal(await visitsBy(me.id), 21, "20 visits from the phone, plus the one seeded: no duplicate");
    assert.equal(await presentAt(sessions[0]!), 2);
    assert.equal(await presentAt(sessions[1]!), 2);
    await ctx.unroute("**/api/v1/visits");
  });

  test("a refused visit (already recorded that day) is kept with the server's reason", async () => {
    const page = context!.pages()[0]!;
    await recordVisit(page, hs[21]!);
    await go(page, "#/cho-gui");
    await page.waitForSelector(".item--refused");
    assert.match((await page.textContent(".item--refused")) ?? "", /đã được ghi nhận/);
    await page.reload();
    await go(page, "#/cho-gui");
    await page.waitForSelector(".item--refused");
    await page.screenshot({ path: `${shots}/field-refused-360.png`, fullPage: false });
    assert.equal(await visitsBy(me.id), 21);
  });

  test("the session ends while offline: the app asks to sign in again, then sends", async () => {
    const page = context!.pages()[0]!;
    await setOffline(context!, true);
    await db().delete(apiTokens).where(eq(apiTokens.userId, user1));
    await recordVisit(page, hs[20]!);
    await setOffline(context!, false);
    await page.evaluate("window.dispatchEvent(new Event('online'))");
    await page.waitForSelector("form#signin");
    assert.match((await page.textContent("main")) ?? "", /Đăng nhập lại/);
    await signIn(page, "tnv1");
    await waitFor(async () => (await visitsBy(me.id)) === 22, "the visit after sign-in");
  });

  test("a new service worker installed mid-queue loses nothing", async () => {
    const page = context!.pages()[0]!;
    await context!.route("**/api/v1/visits", (route) => route.abort("connectionrefused"));
    await go(page, "#/tham-ho");
    // A visit of a second member of household 21 (another day): the member, not the day, differs.
    await go(page, `#/tham-ho/${hs[19]!.id}`);
    await page.waitForSelector(`form#visit[data-household="${hs[19]!.id}"]`);
    await page.fill("#date", addDays(today, -2));
    await page.check('input[name="met"] >> nth=0');
    await page.check('input[name="support"][value="health_app"]');
    await page.click("form#visit button[type=submit]");
    await page.waitForSelector("form#search");
    // A new version of the app is deployed: its worker installs and takes over mid-queue.
    const swFile = "dist/client/sw.js";
    const original = fs.readFileSync(swFile, "utf8");
    fs.writeFileSync(swFile, original.replace(/bdhvs-field-/g, "bdhvs-field-new-"));
    try {
      const changed = await page.evaluate(`(async () => {
        const reg = await navigator.serviceWorker.getRegistration("/field/");
        const before = reg && reg.active;
        await reg.update();
        for (let i = 0; i < 300; i++) {
          const now = (await navigator.serviceWorker.getRegistration("/field/")).active;
          if (now && now !== before && now.state === "activated") return true;
          await new Promise((r) => setTimeout(r, 100));
        }
        return false;
      })()`);
      assert.ok(changed, "a new worker took over");
    } finally {
      fs.writeFileSync(swFile, original);
    }
    await page.reload();
    await page.waitForSelector("html[data-ready='1']");
    await waitFor(async () => (await page.textContent("#badge")) === "2", "the two items kept"); // the waiting visit and the refused one
    // The status line tells the waiting item from the refused one (the badge counts both).
    assert.equal((await page.textContent("#status"))?.trim(), "1 chờ gửi · 1 bị từ chối");
    await context!.unroute("**/api/v1/visits");
    await go(page, "#/cho-gui");
    await page.click('button[data-action="send"]');
    await waitFor(async () => (await visitsBy(me.id)) === 23, "the visit queued across the update");
  });

  test("a second user on the same phone sees nothing of the first; the first's items stay", async () => {
    const page = context!.pages()[0]!;
    await go(page, "#/cho-gui");
    await page.click('button[data-action="signout"]');
    await page.waitForSelector("form#signin");
    await signIn(page, "tnv2");
    await page.waitForSelector(".tabs");
    await go(page, "#/tham-ho");
    await page.waitForSelector("form#search");
    // The first sync of this account may still be on its way: the screen fills in when it lands.
    await waitFor(
      async () => /T02-0001/.test((await page.textContent("main")) ?? ""),
      "the second user's work set",
    );
    const text = (await page.textContent("main")) ?? "";
    assert.match(text, /T02-0001/);
    assert.doesNotMatch(text, /T01-/);
    await go(page, "#/cho-gui");
    await page.waitForSelector(".summary");
    assert.equal(await page.$$eval(".outbox li", (xs) => xs.length), 0);
    assert.equal(await page.textContent("#badge"), "");
    // Larger text (a phone's font setting) at 360 px.
    await page.evaluate("document.documentElement.style.fontSize = '150%'; location.hash = '#/tham-ho'");
    await page.waitForSelector("form#search");
    await page.screenshot({ path: `${shots}/field-search-large-text-360.png`, fullPage: false });
  });
});
