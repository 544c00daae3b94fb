import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, PHONE, pageWidth, signIn as signInTo } from "../helpers/browser.ts";
import {
  buildCertification,
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  type Commune,
  TEST_PASSWORD,
} from "../helpers/factories.ts";
import { startTestServer } from "../helpers/server.ts";

/**
 * Privacy requests on a 360 × 740 phone without JavaScript: the register and its form, a person's
 * page, the printable letter (print media: no menu, no buttons) and the erasure's confirmation, then
 * the erasure. Screenshots go to test-results/privacy-*.png.
 */
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let residentId = 0;
const shots = "test-results";

before(async () => {
  server = await startTestServer();
  const db = server.database.db;
  const [commune] = (await db.query.communes.findMany()) as Commune[];
  const village = await buildVillage(db, { commune: commune!, name: "Thôn Đông Hòa" });
  const resident = await buildResident(db, {
    household: await buildHousehold(db, { village }),
    fullName: "Trịnh Thị Bảo Mật",
    citizenId: "038190004567",
    phone: "0987654321",
  });
  residentId = resident.id;
  await buildCertification(db, { resident, date: "2026-05-20" });
  await buildUser(db, {
    role: "coordinator",
    commune: commune!,
    username: "dieuphoi",
    displayName: "Điều Phối",
  });
  ({ browser, close: closeBrowser } = await launchBrowser());
  fs.mkdirSync(shots, { recursive: true });
});
after(async () => {
  await closeBrowser?.();
  await server?.stop();
});

const signIn = (page: Page) => signInTo(page, server.url, "dieuphoi", TEST_PASSWORD);

describe("privacy requests on a phone without JavaScript", () => {
  test("record a request, find the person, print the letter, erase after confirmation", async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);

    await page.goto(`${server.url}/privacy/requests/new`);
    await page.getByLabel("Loại yêu cầu").selectOption("deletion");
    await page.getByLabel("Người dân (mã)").fill(String(residentId));
    await page.getByRole("button", { name: "Lưu" }).click();
    await page.waitForURL(/\/privacy\/requests\/\d+$/);
    assert.match((await page.locator("main").textContent()) ?? "", /Đã ghi nhận yêu cầu số \d+, hạn trả lời/);
    await page.screenshot({ path: `${shots}/privacy-request.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width);

    await page.goto(`${server.url}/privacy`);
    await page.screenshot({ path: `${shots}/privacy-list.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width, "the register does not scroll sideways");
    await page.getByLabel("Số CCCD hoặc mã người dân").fill("038190004567");
    await page.getByRole("button", { name: "Tìm" }).click();
    await page.waitForURL(`${server.url}/privacy/residents/${residentId}`);
    await page.screenshot({ path: `${shots}/privacy-person.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width);

    await page.getByRole("link", { name: "Thư trả lời (bản in)" }).click();
    await page.waitForURL(/\/letter$/);
    assert.ok((await pageWidth(page)) <= PHONE.width);
    await page.screenshot({ path: `${shots}/privacy-letter.png`, fullPage: true });
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("nav.site-nav").isVisible(), false, "no menu on paper");
    assert.equal(await page.locator(".no-print").first().isVisible(), false);
    assert.equal(
      await page.getByRole("heading", { name: "THÔNG BÁO VỀ DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ" }).isVisible(),
      true,
    );
    await page.screenshot({ path: `${shots}/privacy-letter-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });

    await page.goto(`${server.url}/privacy/residents/${residentId}`);
    await page.getByRole("link", { name: "Xóa dữ liệu…" }).click();
    await page.waitForURL(/\/erase$/);
    await page.screenshot({ path: `${shots}/privacy-erase-confirm.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width);
    const button = page.getByRole("button", { name: "Xóa vĩnh viễn" });
    const box = await button.boundingBox();
    assert.ok(box && box.height >= 44, "a large target");
    await button.click();
    assert.match((await page.locator(".error-summary").textContent()) ?? "", /lý do/i);
    await page.getByLabel("Lý do xóa").fill("Yêu cầu xóa nhận ngày 15/6/2026");
    await page.getByRole("button", { name: "Xóa vĩnh viễn" }).click();
    await page.waitForURL(`${server.url}/privacy`);
    const text = (await page.locator("main").textContent()) ?? "";
    assert.match(text, /Đã xóa dữ liệu của người dân số/);
    assert.doesNotMatch(text, /Trịnh Thị Bảo Mật/);
    await page.screenshot({ path: `${shots}/privacy-after-erase.png`, fullPage: true });
    await context.close();
  });
});
