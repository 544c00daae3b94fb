/**
 * The field app's refusals that are not a visit's (issue 13 point 5), in Debian's Chromium at 360 px:
 * ticks queued offline for a session cancelled meanwhile are refused with "đã bị hủy", kept across a
 * reload, edited to another session and resent (written once); an account disabled while the phone was
 * offline gets its own reason on every queued item, which stay until discarded.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { activitySessions, attendance, users } from "../../src/db/schema.ts";
import { addDays } from "../../src/features/indicators/period.ts";
import { now, todayInVietnam } from "../../src/lib/clock.ts";
import { chromiumPath, launchBrowser, waitFor } from "../helpers/browser.ts";
import {
  buildActivity,
  buildHousehold,
  buildResident,
  buildSession,
  buildTeamMember,
  buildUser,
  buildVillage,
  type Commune,
  type Resident,
  TEST_PASSWORD,
} from "../helpers/factories.ts";
import { startTestServer } from "../helpers/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
const shots = "test-results";
const today = todayInVietnam();
let learner: Resident;
let kept = 0;
let cancelled = 0;
let userId = 0;

const db = () => server.database.db;
const marksAt = async (sessionId: number) =>
  (
    await db()
      .select({ n: count() })
      .from(attendance)
      .where(and(eq(attendance.sessionId, sessionId), eq(attendance.present, true)))
  )[0]!.n;

const go = (page: Page, hash: string) => page.evaluate(`location.hash = ${JSON.stringify(hash)}`);

/** Back online: the queued item is refused with this reason, and still there after a reload. */
async function refusedAndKept(page: Page, reason: RegExp) {
  await page.evaluate("window.dispatchEvent(new Event('online'))");
  await go(page, "#/cho-gui");
  await page.waitForSelector(".item--refused");
  assert.match((await page.textContent(".item--refused")) ?? "", reason);
  await page.reload();
  await go(page, "#/cho-gui");
  await page.waitForSelector(".item--refused");
}

before(async () => {
  server = await startTestServer();
  const [commune] = (await db().query.communes.findMany()) as Commune[];
  const v1 = await buildVillage(db(), { commune: commune!, code: "T01", name: "Thôn Đông" });
  const h = await buildHousehold(db(), { village: v1, code: "T01-0001" });
  learner = await buildResident(db(), { household: h, fullName: "Học Viên Một", birthDate: "1970-01-01" });
  await buildTeamMember(db(), { village: v1, fullName: "Mai Văn Hùng" });
  const cls = await buildActivity(db(), { village: v1, code: "LH01", date: today });
  kept = (await buildSession(db(), { activity: cls, date: today, absent: [learner] })).id;
  cancelled = (await buildSession(db(), { activity: cls, date: addDays(today, 1), absent: [learner] })).id;
  const u = await buildUser(db(), {
    role: "volunteer",
    commune: commune!,
    villages: [v1],
    username: "tnv1",
    displayName: "Mai Văn Hùng",
  });
  userId = u.user.id;
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe("refusals in the field app", { skip: !chromiumPath() && "Chromium not found" }, () => {
  test("a cancelled session's tick: refused with its reason, kept, edited to another session and sent once", async () => {
    browser = await launchBrowser();
    const context = await browser.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    page.on("dialog", (d) => void d.accept());
    await page.goto(`${server.url}/field/`);
    await page.fill("#u", "tnv1");
    await page.fill("#p", TEST_PASSWORD);
    await page.click("#signin button[type=submit]");
    await page.waitForSelector(".tabs");
    await context.setOffline(true);
    await go(page, `#/diem-danh/${cancelled}`);
    await page.waitForSelector(`form#walkin[data-session="${cancelled}"]`);
    await page.check("[data-learner]");
    // The session is cancelled while the phone is offline.
    await db().delete(activitySessions).where(eq(activitySessions.id, cancelled));
    await context.setOffline(false);
    await refusedAndKept(page, /đã bị hủy hoặc không còn/);
    await page.screenshot({ path: `${shots}/field-refused-attendance-360.png` });
    // Edit: the tick belongs to today's session.
    await page.click(".item--refused a.button");
    await page.waitForSelector("form#attendance-edit");
    await page.selectOption("#session", String(kept));
    await page.click("form#attendance-edit button[type=submit]");
    await waitFor(async () => (await marksAt(kept)) === 1, "the edited tick to land");
    await go(page, "#/cho-gui");
    await waitFor(async () => (await page.$$(".item--refused")).length === 0, "no refused item left");
    assert.equal(await marksAt(kept), 1);

    // The account is disabled while the phone is offline: the queued tick is refused with that reason.
    await context.setOffline(true);
    await go(page, `#/diem-danh/${kept}`);
    await page.waitForSelector(`form#walkin[data-session="${kept}"]`);
    await page.uncheck("[data-learner]");
    await db().update(users).set({ disabledAt: now() }).where(eq(users.id, userId));
    await context.setOffline(false);
    await refusedAndKept(page, /Tài khoản này đã bị khóa/);
    assert.equal(await marksAt(kept), 1, "nothing written for a disabled account");
    await page.click(".item--refused button[data-discard]");
    await waitFor(async () => (await page.$$(".item--refused")).length === 0, "the discarded item gone");
  });
});
