import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createStaff,
  PHONE_WITHOUT_JS,
  SHOTS,
  signedInPage,
  submitSignIn,
  useBrowserSuite,
} from "../helpers/browser.ts";

const password = "mat-khau-dai-123";

const suite = useBrowserSuite(async (db, commune) => {
  await createStaff(db, commune, password, [["quantri", "Nguyễn Văn Quản", "admin"]]);
});

describe("in a real browser", () => {
  test("an admin signs in, sees the Vietnamese home page, and signs out", async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Without a sign-in, / is the residents' public home, with a link for staff.
    await page.goto(`${suite.server.url}/`);
    assert.equal(await page.locator("h1").textContent(), "Bình dân học vụ số — Xã Tân Ninh");
    await page.getByRole("banner").getByRole("link", { name: "Đăng nhập cho cán bộ" }).click();
    await page.waitForURL(`${suite.server.url}/login`);
    assert.equal(await page.locator("h1").textContent(), "Đăng nhập");
    await submitSignIn(page, suite.server.url, "quantri", password);
    assert.equal(await page.locator("h1").textContent(), "Xin chào, Nguyễn Văn Quản.");
    const header = await page.locator("header").textContent();
    assert.match(header ?? "", /Bình dân học vụ số/);
    assert.match(header ?? "", /Xã Tân Ninh, tỉnh Thanh Hóa/);
    assert.equal(await page.getAttribute("html", "lang"), "vi");
    await page.screenshot({ path: `${SHOTS}/home-desktop.png`, fullPage: true });

    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(`${suite.server.url}/login`);
    assert.match((await page.locator("[role=status]").textContent()) ?? "", /Bạn đã đăng xuất/);
    await page.goto(`${suite.server.url}/`);
    assert.equal(await page.locator("h1").textContent(), "Bình dân học vụ số — Xã Tân Ninh");
    await page.close();
  });

  test("on a 360-px phone the pages fit the width, and the language switch works without JavaScript", async () => {
    const page = await signedInPage(suite, "quantri", password, PHONE_WITHOUT_JS);
    for (const path of ["/", "/admin/users", "/admin/users/new", "/admin/audit", "/account", "/khong-co"]) {
      await page.goto(`${suite.server.url}${path}`);
      const width = await page.evaluate("document.documentElement.scrollWidth");
      assert.ok(Number(width) <= 360, `${path} is ${width}px wide`);
    }
    await page.goto(`${suite.server.url}/admin/users/new`);
    await page.screenshot({ path: `${SHOTS}/user-form-phone.png`, fullPage: true });
    await page.getByRole("link", { name: "English" }).click();
    assert.equal(await page.locator("h1").textContent(), "Add an account");
    await page.screenshot({ path: `${SHOTS}/user-form-phone-en.png`, fullPage: true });
    await page.context().close();
  });

  test("the keyboard reaches the skip link first, and focus is visible", async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/login`);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate("document.activeElement && document.activeElement.textContent");
    assert.equal(focused, "Bỏ qua, đến nội dung chính");
    const outline = await page.evaluate("getComputedStyle(document.activeElement).backgroundColor");
    assert.equal(outline, "rgb(255, 221, 0)");
    await page.close();
  });
});
