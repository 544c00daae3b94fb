/**
 * `npm run bench -- field`: the field app's sync for a 1,500-household village (issue 13 targets):
 * the work set's bytes over the wire (gzip) and as JSON (what IndexedDB keeps, roughly), the first
 * sync's server time and its time on a slow 3G link (400 kbps down, 400 ms RTT), both computed from
 * the bytes and measured in Debian's Chromium under CDP network emulation (the field app signs in
 * against this app served on 127.0.0.1, and the clock runs from the work-set request to the app's
 * "synced" notice, drawn once the IndexedDB transaction is done), changes-only syncs with nothing
 * changed and with 20 changes, 200 queued
 * visits sent one after another as the outbox does, and 50 phones × 40 items at once (items/s, p95,
 * errors, duplicates). In-process (`app.request`) on PGlite, or TEST_DATABASE_URL.
 */
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { count, eq } from "drizzle-orm";
import { households, residents, teamMembers, visits } from "../src/db/schema.ts";
import { foldVietnamese } from "../src/lib/text.ts";
import { apiToken, createTestApp, type TestApp } from "../test/helpers/app.ts";
import { chromiumPath, launchBrowser } from "../test/helpers/browser.ts";
import { buildTeamMember, buildUser, buildVillage, TEST_PASSWORD } from "../test/helpers/factories.ts";

const HOUSEHOLDS = 1_500;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/**
 * The first sync measured in Chromium: the field app served on 127.0.0.1, the page's network
 * emulated through CDP as slow 3G (50,000 bytes/s down and up, 400 ms latency) from the first page
 * load; a volunteer signs in; the clock runs from the work-set request leaving the page to the app
 * showing "Đã đồng bộ" (drawn after the IndexedDB transaction that stores the work set is done).
 */
async function measuredFirstSync(t: TestApp, username: string, expected: number): Promise<string> {
  if (!chromiumPath()) return "first sync in Chromium: skipped (Chromium not found)";
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { browser, close } = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 400,
      downloadThroughput: 50_000,
      uploadThroughput: 50_000,
    });
    await page.goto(`${url}/field/`);
    await page.waitForSelector("form#signin");
    await page.fill("#u", username);
    await page.fill("#p", TEST_PASSWORD);
    // The page notes when the notice appears (in its own clock, like the request's timing).
    await page.evaluate(`(() => {
      const main = document.getElementById("main");
      new MutationObserver(() => {
        const n = main.querySelector(".notice");
        if (!window.syncedAt && n && n.textContent.startsWith("Đã đồng bộ")) window.syncedAt = performance.now();
      }).observe(main, { childList: true, subtree: true, characterData: true });
    })()`);
    const signInAt = performance.now();
    await page.click("#signin button[type=submit]");
    await page.waitForSelector('.notice:text-matches("^Đã đồng bộ")', { timeout: 180_000 });
    const stored = performance.now();
    const inDb = (await page.evaluate(`(async () => {
      const u = await (await fetch("/api/v1/me", { headers: { authorization: "Bearer " + (await new Promise((res) => {
        const r = indexedDB.open("bdhvs-field");
        r.onsuccess = () => { const tx = r.result.transaction("accounts"); const g = tx.objectStore("accounts").getAll(); g.onsuccess = () => res(g.result[0].token); };
      })) } })).json();
      return await new Promise((res) => {
        const r = indexedDB.open("bdhvs-field-u" + u.id);
        r.onsuccess = () => { const c = r.result.transaction("households").objectStore("households").count(); c.onsuccess = () => res(c.result); };
      });
    })()`)) as number;
    // The request's own timing in the page (the emulated latency and throughput show here).
    const timing = (await page.evaluate(`(() => {
      const e = performance.getEntriesByType("resource").find((x) => x.name.includes("/api/v1/field/work-set"));
      return e ? [e.responseStart - e.startTime, e.responseEnd - e.responseStart, e.transferSize, window.syncedAt - e.startTime] : [0, 0, 0, 0];
    })()`)) as [number, number, number, number];
    const ms = timing[3];
    return `first sync in Chromium, CDP slow 3G (50,000 B/s down and up, 400 ms latency): ${(ms / 1000).toFixed(1)} s measured from the work-set request to "synced" (target ≤ 15 s); ${((stored - signInAt) / 1000).toFixed(1)} s from pressing "Đăng nhập"; the request: first byte after ${(timing[0] / 1000).toFixed(1)} s, body in ${(timing[1] / 1000).toFixed(1)} s (${(timing[2] / 1024).toFixed(0)} KB); ${inDb} of ${expected} households in IndexedDB`;
  } finally {
    await close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function run() {
  const t = await createTestApp();
  const village = await buildVillage(t.db, { commune: t.commune, code: "T01", name: "Thôn Bench" });
  const first = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
  const middle = ["Văn", "Thị", "Đức", "Minh", "Thu"];
  const last = ["An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Yến"];
  for (let b = 0; b < HOUSEHOLDS; b += 500) {
    const rows = await t.db
      .insert(households)
      .values(
        Array.from({ length: 500 }, (_, i) => ({
          communeId: t.commune.id,
          villageId: village.id,
          code: `T01-${String(b + i + 1).padStart(5, "0")}`,
          headName: `${first[(b + i) % 8]} ${middle[(b + i) % 5]} ${last[(b + i) % 10]}`,
          address: `Xóm ${((b + i) % 12) + 1}, thôn Bench`,
          poor: (b + i) % 9 === 0,
        })),
      )
      .returning({ id: households.id });
    const people = rows.flatMap((h, i) =>
      Array.from({ length: 3 + ((b + i) % 3) }, (_, k) => {
        const name = `${first[(i + k) % 8]} ${middle[k % 5]} ${last[(i * 3 + k) % 10]}`;
        return {
          communeId: t.commune.id,
          villageId: village.id,
          householdId: h.id,
          fullName: name,
          nameSearch: foldVietnamese(name),
          birthDate: `${1940 + ((i * 7 + k * 13) % 70)}-0${1 + (k % 9)}-1${k % 9}`,
          gender: (k % 2 === 0 ? "male" : "female") as "male" | "female",
          vneidLevel: (i + k) % 3,
        };
      }),
    );
    await t.db.insert(residents).values(people);
  }
  const memberCount = 50;
  const phones: { token: string; member: string; username: string }[] = [];
  for (let i = 0; i < memberCount; i++) {
    const name = `Thành Viên Số ${i + 1}`;
    await buildTeamMember(t.db, { village, fullName: name });
    const { user } = await buildUser(t.db, {
      role: "volunteer",
      commune: t.commune,
      villages: [village],
      displayName: name,
    });
    phones.push({
      token: await apiToken(t.app, user.username, TEST_PASSWORD),
      member: name,
      username: user.username,
    });
  }
  const [{ n: people }] = (await t.db.select({ n: count() }).from(residents)) as [{ n: number }];
  console.log(
    `village: ${HOUSEHOLDS} households, ${people} residents, ${memberCount} team members (${t.database.kind})`,
  );

  const get = (token: string, cursor?: string) =>
    t.app.request(`/api/v1/field/work-set${cursor ? `?cursor=${cursor}` : ""}`, {
      headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip" },
    });
  let started = performance.now();
  const res = await get(phones[0]!.token);
  const gz = Buffer.from(await res.arrayBuffer());
  const serverMs = performance.now() - started;
  const json = gunzipSync(gz);
  const body = JSON.parse(json.toString("utf8")) as { cursor: string };
  const downMs = (gz.length * 8) / 400; // 400 kbps = 400 bits per ms
  const slow3g = serverMs + downMs + 2 * 400; // TCP + request round trips at 400 ms
  console.log(
    `work set: ${(gz.length / 1024).toFixed(0)} KB gzip over the wire (target ≤ 500 KB); ${(json.length / 1024).toFixed(0)} KB as JSON (≈ what IndexedDB keeps, plus a folded search text per household)`,
  );
  console.log(
    `first sync: server ${serverMs.toFixed(0)} ms; on slow 3G (400 kbps, 400 ms RTT) ≈ ${(slow3g / 1000).toFixed(1)} s computed from the bytes (target ≤ 15 s)`,
  );
  console.log(await measuredFirstSync(t, phones[1]!.username, HOUSEHOLDS));
  started = performance.now();
  const again = await get(phones[0]!.token, body.cursor);
  const againGz = Buffer.from(await again.arrayBuffer());
  const againMs = performance.now() - started;
  const againCursor = (JSON.parse(gunzipSync(againGz).toString("utf8")) as { cursor: string }).cursor;
  console.log(
    `changes-only sync, nothing changed: ${againGz.length} bytes gzip, ${againMs.toFixed(0)} ms (first sync: ${(gz.length / 1024).toFixed(0)} KB, ${serverMs.toFixed(0)} ms)`,
  );
  // 20 changes: 10 heads renamed, 5 residents died, 5 households moved to another village.
  const other = await buildVillage(t.db, { commune: t.commune, code: "T02", name: "Thôn Khác" });
  const some = await t.db
    .select({ id: households.id })
    .from(households)
    .where(eq(households.villageId, village.id))
    .limit(20);
  for (const [i, h] of some.entries()) {
    if (i < 10)
      await t.db
        .update(households)
        .set({ headName: `Chủ Hộ Mới ${i}` })
        .where(eq(households.id, h.id));
    else if (i < 15) {
      const [r] = await t.db
        .select({ id: residents.id })
        .from(residents)
        .where(eq(residents.householdId, h.id))
        .limit(1);
      await t.db.update(residents).set({ status: "deceased" }).where(eq(residents.id, r!.id));
    } else {
      await t.db.update(households).set({ villageId: other.id }).where(eq(households.id, h.id));
      await t.db.update(residents).set({ villageId: other.id }).where(eq(residents.householdId, h.id));
    }
  }
  started = performance.now();
  const twenty = await get(phones[0]!.token, againCursor);
  const twentyGz = Buffer.from(await twenty.arrayBuffer());
  const twentyMs = performance.now() - started;
  const twentyBody = JSON.parse(gunzipSync(twentyGz).toString("utf8")) as {
    households: unknown[];
    removed: { households: number[] };
    lists: unknown;
  };
  console.log(
    `changes-only sync, 20 changes (10 renamed, 5 deaths, 5 moved away): ${(twentyGz.length / 1024).toFixed(1)} KB gzip, ${twentyMs.toFixed(0)} ms — ${twentyBody.households.length} households sent, ${twentyBody.removed.households.length} removed, visit lists ${twentyBody.lists ? "sent again (whole)" : "unchanged"}`,
  );

  const hh = await t.db
    .select({ code: households.code })
    .from(households)
    .where(eq(households.villageId, village.id));
  const visit = (phone: { token: string; member: string }, code: string, date: string, key: string) =>
    t.app.request("/api/v1/visits", {
      method: "POST",
      headers: {
        authorization: `Bearer ${phone.token}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify({ household: code, date, member: phone.member, support: ["security_advice"] }),
    });
  // 200 queued items from one phone, one after another (the outbox sends in order).
  started = performance.now();
  let errors = 0;
  for (let i = 0; i < 200; i++) {
    const r = await visit(phones[0]!, hh[i]!.code, "2026-06-01", `q-${i}`);
    if (r.status !== 201) errors++;
  }
  console.log(
    `200 queued items, one phone: ${((performance.now() - started) / 1000).toFixed(1)} s (target ≤ 10 s), ${errors} errors`,
  );

  // 50 phones × 40 items at once; each phone resends its first 5 (lost answers): no duplicate.
  const times: number[] = [];
  errors = 0;
  started = performance.now();
  await Promise.all(
    phones.map(async (phone, p) => {
      for (let i = 0; i < 45; i++) {
        const k = i < 40 ? i : i - 40;
        const t0 = performance.now();
        const r = await visit(phone, hh[(p * 40 + k) % hh.length]!.code, "2026-06-02", `c-${p}-${k}`);
        times.push(performance.now() - t0);
        if (r.status !== 201) errors++;
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  const [{ n: recorded }] = (await t.db
    .select({ n: count() })
    .from(visits)
    .where(eq(visits.date, "2026-06-02"))) as [{ n: number }];
  void teamMembers;
  console.log(
    `50 phones × 40 items (+5 resent each): ${(times.length / secs).toFixed(0)} requests/s, p95 ${pct(times, 95).toFixed(0)} ms (target ≤ 2 s), ${errors} errors, ${recorded - 2000} duplicates (${recorded} visits recorded for 2,000 items)`,
  );
  await t.close();
}
