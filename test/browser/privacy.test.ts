import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserContextOptions } from "playwright-core";
import { PHONE, pageWidth, SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import {
  buildCertification,
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  TEST_PASSWORD,
} from "../helpers/factories.ts";

/**
 * Privacy requests on a 360 × 740 phone without JavaScript: the register and its form, a person's
 * page, the printable letter (print media: no menu, no buttons) and the erasure's confirmation, then
 * the erasure. Screenshots go to test-results/privacy-*.png.
 */
let residentId = 0;

const suite = useBrowserSuite(async (db, commune) => {
  const village = await buildVillage(db, { commune, name: "Thôn Đông Hòa" });
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
    commune,
    username: "dieuphoi",
    displayName: "Điều Phối",
  });
});

const signIn = (options: BrowserContextOptions) => signedInPage(suite, "dieuphoi", TEST_PASSWORD, options);

describe("privacy requests on a phone without JavaScript", () => {
  test("record a request, find the person, print the letter, erase after confirmation", async () => {
    const page = await signIn({ viewport: PHONE, javaScriptEnabled: false });

    await page.goto(`${suite.server.url}/privacy/requests/new`);
    await page.getByLabel("Loại yêu cầu").selectOption("deletion");
    await page.getByLabel("Người dân (mã)").fill(String(residentId));
    await page.getByRole("button", { name: "Lưu" }).click();
    await page.waitForURL(/\/privacy\/requests\/\d+$/);
    assert.match((await page.locator("main").textContent()) ?? "", /Đã ghi nhận yêu cầu số \d+, hạn trả lời/);
    await page.screenshot({ path: `${SHOTS}/privacy-request.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width);

    await page.goto(`${suite.server.url}/privacy`);
    await page.screenshot({ path: `${SHOTS}/privacy-list.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width, "the register does not scroll sideways");
    await page.getByLabel("Số CCCD hoặc mã người dân").fill("038190004567");
    await page.getByRole("button", { name: "Tìm" }).click();
    await page.waitForURL(`${suite.server.url}/privacy/residents/${residentId}`);
    await page.screenshot({ path: `${SHOTS}/privacy-person.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width);

    await page.getByRole("link", { name: "Thư trả lời (bản in)" }).click();
    await page.waitForURL(/\/letter$/);
    assert.ok((await pageWidth(page)) <= PHONE.width);
    await page.screenshot({ path: `${SHOTS}/privacy-letter.png`, fullPage: true });
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("nav.site-nav").isVisible(), false, "no menu on paper");
    assert.equal(await page.locator(".no-print").first().isVisible(), false);
    assert.equal(
      await page.getByRole("heading", { name: "THÔNG BÁO VỀ DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ" }).isVisible(),
      true,
    );
    await page.screenshot({ path: `${SHOTS}/privacy-letter-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });

    await page.goto(`${suite.server.url}/privacy/residents/${residentId}`);
    await page.getByRole("link", { name: "Xóa dữ liệu…" }).click();
    await page.waitForURL(/\/erase$/);
    await page.screenshot({ path: `${SHOTS}/privacy-erase-confirm.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= PHONE.width);
    const button = page.getByRole("button", { name: "Xóa vĩnh viễn" });
    const box = await button.boundingBox();
    assert.ok(box && box.height >= 44, "a large target");
    await button.click();
    assert.match((await page.locator(".error-summary").textContent()) ?? "", /lý do/i);
    await page.getByLabel("Lý do xóa").fill("Yêu cầu xóa nhận ngày 15/6/2026");
    await page.getByRole("button", { name: "Xóa vĩnh viễn" }).click();
    await page.waitForURL(`${suite.server.url}/privacy`);
    const text = (await page.locator("main").textContent()) ?? "";
    assert.match(text, /Đã xóa dữ liệu của người dân số/);
    assert.doesNotMatch(text, /Trịnh Thị Bảo Mật/);
    await page.screenshot({ path: `${SHOTS}/privacy-after-erase.png`, fullPage: true });
    await page.context().close();
  });
});
