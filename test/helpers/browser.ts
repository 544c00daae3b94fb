import fs from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, or CHROMIUM_PATH. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => !!p && fs.existsSync(p));
}

/**
 * Headless Chromium with no background network (this machine has none). Playwright gives each
 * launch a fresh temporary profile (user-data-dir) of its own and removes it on close.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found");
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * Polls `cond` every 200 ms until it holds (a server count, a badge), failing after `ms`; `seen`
 * says what was last seen, for the failure's message.
 */
export async function waitFor(cond: () => Promise<boolean>, what: string, ms = 30_000, seen?: () => string) {
  const started = performance.now();
  while (!(await cond())) {
    if (performance.now() - started > ms)
      throw new Error(`timed out waiting for ${what}${seen ? ` (${seen()})` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Signs in through the login page and waits for the home page. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** A phone's viewport (the narrowest the pages are built for). */
export const PHONE = { width: 360, height: 740 };

/** The page's full width in CSS pixels: more than the viewport means it scrolls sideways. */
export async function pageWidth(page: Page): Promise<number> {
  return Number(await page.evaluate("document.documentElement.scrollWidth"));
}
