/**
 * An IndexedDB schema upgrade keeps the queue and the work set (issue 13 point 6). The phone holds
 * the per-user database at version 1, as `src/client/field/store.ts` first defined it (households,
 * sessions, meta, and the outbox without its `byCreated` index), with a queued visit and a stored
 * household. The app, opened offline, upgrades it to version 2: the visit is still waiting and the
 * household still found by a member's name without diacritics; back online, the visit lands once.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { visits } from "../../src/db/schema.ts";
import { todayInVietnam } from "../../src/lib/clock.ts";
import { chromiumPath, launchBrowser, waitFor } from "../helpers/browser.ts";
import {
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildUser,
  buildVillage,
  type Commune,
  type Household,
  type Resident,
  TEST_PASSWORD,
  type TeamMember,
} from "../helpers/factories.ts";
import { startTestServer } from "../helpers/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
let household: Household;
let resident: Resident;
let member: TeamMember;
let userId = 0;
const today = todayInVietnam();

const db = () => server.database.db;
const visitsOf = async (memberId: number) =>
  (await db().select({ n: count() }).from(visits).where(eq(visits.memberId, memberId)))[0]!.n;

before(async () => {
  server = await startTestServer();
  const [commune] = (await db().query.communes.findMany()) as Commune[];
  const village = await buildVillage(db(), { commune: commune!, code: "T01", name: "Thôn Đông" });
  household = await buildHousehold(db(), { village, code: "T01-0042" });
  resident = await buildResident(db(), { household, fullName: "Trần Thị Ngọc Ánh", birthDate: "1958-03-03" });
  member = await buildTeamMember(db(), { village, fullName: "Mai Văn Hùng" });
  const u = await buildUser(db(), {
    role: "volunteer",
    commune: commune!,
    villages: [village],
    username: "tnvup",
    displayName: "Mai Văn Hùng",
  });
  userId = u.user.id;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Writes the phone's state as an app of schema version 1 left it: signed in, one visit queued. */
async function seedVersion1(page: Page, token: string) {
  const account = { userId, username: "tnvup", displayName: "Mai Văn Hùng", token };
  const stored = {
    id: household.id,
    code: household.code,
    head: null,
    address: "Xóm 3",
    poor: false,
    village_id: household.villageId,
    last_visit: null,
    members: [
      {
        id: resident.id,
        name: "Trần Thị Ngọc Ánh",
        age: 68,
        gender: "female",
        groups: [],
        disabled: false,
        vneid_level: 0,
        skilled: false,
        vneid_confirmed: false,
      },
    ],
    search: `${household.code.toLowerCase()} tran thi ngoc anh xom 3`,
  };
  const item = {
    id: "00000000-0000-4000-8000-000000000001",
    key: "00000000-0000-4000-8000-000000000001",
    kind: "visit",
    method: "POST",
    path: "/api/v1/visits",
    body: {
      household: household.code,
      date: today,
      member: member.fullName,
      support: ["security_advice"],
      residents_met: [resident.id],
      vneid_update: [],
      note: null,
    },
    label: `Thăm hộ ${household.code}`,
    state: "waiting",
    reason: null,
    attempts: 0,
    createdAt: 1_780_000_000_000,
    sentAt: null,
  };
  await page.evaluate(`(async () => {
    const req = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
    const done = (tx) => new Promise((ok, ko) => { tx.oncomplete = ok; tx.onerror = () => ko(tx.error); });
    const meta = await req(indexedDB.open("bdhvs-field", 1));
    let tx = meta.transaction(["accounts", "state"], "readwrite");
    tx.objectStore("accounts").put(${JSON.stringify(account)});
    tx.objectStore("state").put(${userId}, "current");
    await done(tx);
    meta.close();
    // Version 1 of the per-user database, exactly as store.ts's first upgrade step creates it.
    const open = indexedDB.open("bdhvs-field-u${userId}", 1);
    open.onupgradeneeded = () => {
      const d = open.result;
      d.createObjectStore("households", { keyPath: "id" });
      d.createObjectStore("sessions", { keyPath: "id" });
      d.createObjectStore("meta");
      d.createObjectStore("outbox", { keyPath: "id" });
    };
    const user = await req(open);
    tx = user.transaction(["households", "outbox", "meta"], "readwrite");
    tx.objectStore("households").put(${JSON.stringify(stored)});
    tx.objectStore("outbox").put(${JSON.stringify(item)});
    tx.objectStore("meta").put("${today}", "today");
    await done(tx);
    user.close();
  })()`);
}

describe("the field app's IndexedDB upgrade", { skip: !chromiumPath() && "Chromium not found" }, () => {
  test("from version 1, the queued visit and the stored household survive; the visit is sent once", async () => {
    browser = await launchBrowser();
    const context: BrowserContext = await browser.browser.newContext({
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    // The app's shell is kept by its worker; then the phone's state is that of version 1.
    await page.goto(`${server.url}/field/`);
    await page.waitForSelector("form#signin");
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    const res = await fetch(`${server.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "tnvup", password: TEST_PASSWORD }),
    });
    const { token } = (await res.json()) as { token: string };
    await seedVersion1(page, token);

    // Offline, the app opens and upgrades the database to version 2.
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector("html[data-ready='1']");
    const schema = (await page.evaluate(`new Promise((ok) => {
      const r = indexedDB.open("bdhvs-field-u${userId}");
      r.onsuccess = () => {
        const d = r.result;
        ok({ version: d.version, indexes: [...d.transaction("outbox").objectStore("outbox").indexNames] });
        d.close();
      };
    })`)) as { version: number; indexes: string[] };
    assert.deepEqual(schema, { version: 2, indexes: ["byCreated"] });
    await waitFor(async () => (await page.textContent("#badge")) === "1", "the queued visit counted");
    await page.evaluate(`location.hash = "#/cho-gui"`);
    await page.waitForSelector(".outbox .item--waiting");
    assert.match((await page.textContent(".outbox")) ?? "", new RegExp(`Thăm hộ ${household.code}`));
    await page.evaluate(`location.hash = "#/tham-ho?q=ngoc anh"`);
    await page.waitForSelector(`a[href="#/tham-ho/${household.id}"]`);
    assert.equal(await visitsOf(member.id), 0);

    // Back online: the visit is sent, once, even when sending is asked again.
    await context.setOffline(false);
    await page.evaluate("window.dispatchEvent(new Event('online'))");
    await waitFor(async () => (await visitsOf(member.id)) === 1, "the visit to land");
    await waitFor(async () => (await page.textContent("#badge")) === "", "the badge to clear");
    await page.evaluate(`location.hash = "#/cho-gui"`);
    await page.waitForSelector(".outbox .item--sent");
    await page.click('button[data-action="send"]');
    await page.waitForSelector(".outbox .item--sent");
    assert.equal(await visitsOf(member.id), 1, "sent exactly once");
    await context.close();
  });
});
