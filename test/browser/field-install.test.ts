/**
 * The field app is installable and readable with larger text (issue 13 point 1 and "Done when"), in
 * Debian's Chromium with a persistent profile at 360 × 740: after one online visit of the manifest's
 * `start_url`, CDP `Page.getInstallabilityErrors` (what Lighthouse's installable-manifest audit reads)
 * reports none, and the app then opens offline; with the browser's text at 200% (CDP
 * `Page.setFontSizes`, what the browser's font-size setting changes) the bottom navigation's four
 * labels neither wrap nor overflow, and every tab stays at least 48 px; the outbox screen says how
 * much the app keeps.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { chromiumPath, waitFor } from "../helpers/browser.ts";
import {
  buildHousehold,
  buildUser,
  buildVillage,
  type Commune,
  TEST_PASSWORD,
} from "../helpers/factories.ts";
import { startTestServer } from "../helpers/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let context: BrowserContext | undefined;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-field-install-"));
const shots = "test-results";

before(async () => {
  server = await startTestServer();
  const [commune] = (await server.database.db.query.communes.findMany()) as Commune[];
  const v1 = await buildVillage(server.database.db, { commune: commune!, code: "T01", name: "Thôn Đông" });
  await buildHousehold(server.database.db, { village: v1, code: "T01-0001" });
  await buildUser(server.database.db, {
    role: "volunteer",
    commune: commune!,
    villages: [v1],
    username: "tnv1",
    displayName: "Mai Văn Hùng",
  });
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  await context?.close().catch(() => {});
  await server?.stop();
  fs.rmSync(profile, { recursive: true, force: true });
});

type Tab = { text: string; width: number; height: number; lines: number; overflow: boolean; fontPx: number };
/** Each bottom tab: its size, and whether its label wraps (more than one line) or overflows. */
const tabsOf = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll("nav.bottom a")].map((a) => {
    const label = a.querySelector("span");
    const r = a.getBoundingClientRect();
    const l = label.getBoundingClientRect();
    const style = getComputedStyle(label);
    return {
      text: label.textContent,
      width: r.width,
      height: r.height,
      lines: Math.round(l.height / parseFloat(style.lineHeight)),
      overflow: label.scrollWidth > label.clientWidth + 1 || l.right > r.right + 1 || l.left < r.left - 1,
      fontPx: parseFloat(style.fontSize),
    };
  })`) as Promise<Tab[]>;

describe("installing the field app", { skip: !chromiumPath() && "Chromium not found" }, () => {
  test("no installability errors for start_url; then it opens offline", async () => {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath()!,
      headless: true,
      viewport: { width: 360, height: 740 },
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const manifest = (await (await page.request.get(`${server.url}/field/manifest.webmanifest`)).json()) as {
      start_url: string;
    };
    await page.goto(new URL(manifest.start_url, server.url).href);
    await page.waitForSelector("html[data-ready='1']");
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    const cdp = await context.newCDPSession(page);
    // The worker must control the page for the offline check Chromium makes: reload once.
    await page.reload();
    await page.waitForSelector("html[data-ready='1']");
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: { errorId: string }[];
    };
    assert.deepEqual(installabilityErrors, []);
    const { url, errors } = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[] };
    assert.match(url, /\/field\/manifest\.webmanifest$/);
    assert.deepEqual(errors, []);
    await context.setOffline(true);
    await page.goto(new URL(manifest.start_url, server.url).href);
    await page.waitForSelector("form#signin");
    assert.match((await page.textContent("main")) ?? "", /Đăng nhập/);
    await context.setOffline(false);
  });

  test("with text at 200%, the bottom navigation's labels fit on one line at 360 px", async () => {
    const page = context!.pages()[0]!;
    await page.fill("#u", "tnv1");
    await page.fill("#p", TEST_PASSWORD);
    await page.click("#signin button[type=submit]");
    await page.waitForSelector(".tabs");
    const cdp = await context!.newCDPSession(page);
    for (const percent of [100, 125, 150, 200]) {
      await cdp.send("Page.setFontSizes", { fontSizes: { standard: (16 * percent) / 100 } });
      await page.reload();
      await page.waitForSelector(".tabs");
      const tabs = await tabsOf(page);
      await page.screenshot({ path: `${shots}/field-nav-${percent}-percent-360.png` });
      assert.ok(
        tabs[0]!.fontPx >= 12.8 * (percent / 100) - 0.5,
        `the labels grow with the text (${percent}%)`,
      );
      const bar = (await page.evaluate(
        `document.querySelector("nav.bottom").getBoundingClientRect().height`,
      )) as number;
      assert.ok(
        bar <= 2.5 * Math.max(48, 1.45 * tabs[0]!.fontPx + 8),
        `the bar takes two rows at most (${percent}%)`,
      );
      for (const tab of tabs) {
        assert.equal(tab.lines, 1, `"${tab.text}" on one line at ${percent}%`);
        assert.equal(tab.overflow, false, `"${tab.text}" inside its tab at ${percent}%`);
        assert.ok(tab.height >= 48 && tab.width >= 48, `"${tab.text}" at least 48 px at ${percent}%`);
      }
    }
    await cdp.send("Page.setFontSizes", { fontSizes: { standard: 16 } });
  });

  test("the outbox screen shows how much the app keeps and whether storage is persistent", async () => {
    const page = context!.pages()[0]!;
    await page.reload();
    await page.evaluate(`location.hash = "#/cho-gui"`);
    await page.waitForSelector("#storage-counts");
    // The screen is drawn from the phone's store at once, and again when the start-up sync lands.
    await waitFor(
      async () => /Dữ liệu làm việc: 1 hộ/.test((await page.textContent("main")) ?? ""),
      "the work set's counts",
    );
    const text = (await page.textContent("main")) ?? "";
    assert.match(text, /Ứng dụng đang giữ khoảng \d+ KB trên máy; lưu trữ bền vững: (có|chưa)\./);
    assert.match(text, /Dữ liệu làm việc: 1 hộ, 0 buổi học; 0 mục trong hộp chờ gửi\./);
    await page.screenshot({ path: `${shots}/field-device-storage-360.png`, fullPage: true });
  });
});
