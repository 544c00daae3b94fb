import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { cliActor } from "../../src/features/audit/service.ts";
import { createUser } from "../../src/features/users/service.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { startTestServer } from "../helpers/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const shots = "test-results";

before(async () => {
  server = await startTestServer();
  const [commune] = await server.database.db.query.communes.findMany();
  await createUser({
    db: server.database.db,
    actor: cliActor(commune!.id),
    scope: { kind: "commune", communeId: commune!.id },
    communeId: commune!.id,
    input: {
      username: "quantri",
      displayName: "Nguyễn Văn Quản",
      role: "admin",
      password: "mat-khau-dai-123",
    },
  });
  ({ browser, close: closeBrowser } = await launchBrowser());
  fs.mkdirSync(shots, { recursive: true });
});
after(async () => {
  await closeBrowser?.();
  await server?.stop();
});

describe("in a real browser", () => {
  test("an admin signs in, sees the Vietnamese home page, and signs out", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Without a sign-in, / is the residents' public home, with a link for staff.
    await page.goto(`${server.url}/`);
    assert.equal(await page.locator("h1").textContent(), "Bình dân học vụ số — Xã Tân Ninh");
    await page.getByRole("banner").getByRole("link", { name: "Đăng nhập cho cán bộ" }).click();
    await page.waitForURL(`${server.url}/login`);
    assert.equal(await page.locator("h1").textContent(), "Đăng nhập");
    await page.getByLabel("Tên đăng nhập").fill("quantri");
    await page.getByLabel("Mật khẩu").fill("mat-khau-dai-123");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${server.url}/`);
    assert.equal(await page.locator("h1").textContent(), "Xin chào, Nguyễn Văn Quản.");
    const header = await page.locator("header").textContent();
    assert.match(header ?? "", /Bình dân học vụ số/);
    assert.match(header ?? "", /Xã Tân Ninh, tỉnh Thanh Hóa/);
    assert.equal(await page.getAttribute("html", "lang"), "vi");
    await page.screenshot({ path: `${shots}/home-desktop.png`, fullPage: true });

    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(`${server.url}/login`);
    assert.match((await page.locator("[role=status]").textContent()) ?? "", /Bạn đã đăng xuất/);
    await page.goto(`${server.url}/`);
    assert.equal(await page.locator("h1").textContent(), "Bình dân học vụ số — Xã Tân Ninh");
    await page.close();
  });

  test("on a 360-px phone the pages fit the width, and the language switch works without JavaScript", async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Tên đăng nhập").fill("quantri");
    await page.getByLabel("Mật khẩu").fill("mat-khau-dai-123");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${server.url}/`);
    for (const path of ["/", "/admin/users", "/admin/users/new", "/admin/audit", "/account", "/khong-co"]) {
      await page.goto(`${server.url}${path}`);
      const width = await page.evaluate("document.documentElement.scrollWidth");
      assert.ok(Number(width) <= 360, `${path} is ${width}px wide`);
    }
    await page.goto(`${server.url}/admin/users/new`);
    await page.screenshot({ path: `${shots}/user-form-phone.png`, fullPage: true });
    await page.getByRole("link", { name: "English" }).click();
    assert.equal(await page.locator("h1").textContent(), "Add an account");
    await page.screenshot({ path: `${shots}/user-form-phone-en.png`, fullPage: true });
    await context.close();
  });

  test("the keyboard reaches the skip link first, and focus is visible", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/login`);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate("document.activeElement && document.activeElement.textContent");
    assert.equal(focused, "Bỏ qua, đến nội dung chính");
    const outline = await page.evaluate("getComputedStyle(document.activeElement).backgroundColor");
    assert.equal(outline, "rgb(255, 221, 0)");
    await page.close();
  });
});
