import fs from "node:fs";
import { after, before } from "node:test";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import type { Db } from "../../src/db/client.ts";
import { cliActor } from "../../src/features/audit/service.ts";
import type { Role } from "../../src/features/auth/policy.ts";
import { createUser } from "../../src/features/users/service.ts";
import type { Commune } from "./factories.ts";
import { startTestServer } from "./server.ts";

/** Debian's Chromium, or CHROMIUM_PATH. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => !!p && fs.existsSync(p));
}

/** Chromium's switches for a test: no sandbox (root in a container), no GPU, no background network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

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
    args: ["--headless", ...CHROMIUM_ARGS],
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
  await submitSignIn(page, baseUrl, username, password);
}

/** Fills in and sends the login form the page shows, and waits for the home page. */
export async function submitSignIn(page: Page, baseUrl: string, username: string, password: string) {
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

/** Where browser tests put their screenshots and files. */
export const SHOTS = "test-results";

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
/** A test file's running server and Chromium; read them inside tests and hooks (set in `before`). */
export type BrowserSuite = { server: TestServer; browser: Browser };

/**
 * Starts the file's server before its tests (`seed` then fills the database, given the commune the
 * server made), then Chromium, and makes the screenshots' folder; closes both after the tests.
 */
export function useBrowserSuite(
  seed: (db: Db, commune: Commune) => Promise<void> = async () => {},
): BrowserSuite {
  const suite = {} as BrowserSuite;
  let closeBrowser: (() => Promise<void>) | undefined;
  before(async () => {
    suite.server = await startTestServer();
    const db = suite.server.database.db;
    const [commune] = await db.query.communes.findMany();
    await seed(db, commune!);
    ({ browser: suite.browser, close: closeBrowser } = await launchBrowser());
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await closeBrowser?.();
    await suite.server?.stop();
  });
  return suite;
}

/** A page of a fresh context (its own cookies) signed in as `username`; close it with its context. */
export async function signedInPage(
  suite: BrowserSuite,
  username: string,
  password: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await suite.browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, suite.server.url, username, password);
  return page;
}

/** A 360-px phone without JavaScript: the pages must work there. */
export const PHONE_WITHOUT_JS: BrowserContextOptions = { viewport: PHONE, javaScriptEnabled: false };

/**
 * Commune-wide staff accounts made as the CLI makes them (through the users service, audited), all
 * with one password; `unit` is a unit's code.
 */
export async function createStaff(
  db: Db,
  commune: Commune,
  password: string,
  accounts: readonly (readonly [username: string, displayName: string, role: Role, unit?: string])[],
) {
  for (const [username, displayName, role, unit] of accounts)
    await createUser({
      db,
      actor: cliActor(commune.id),
      scope: { kind: "commune", communeId: commune.id },
      communeId: commune.id,
      input: { username, displayName, role, password, ...(unit ? { unit } : {}) },
    });
}
