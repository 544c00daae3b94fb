import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { households } from "../../src/db/schema.ts";
import { SHOTS, signIn, useBrowserSuite } from "../helpers/browser.ts";
import {
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildUser,
  buildVillage,
  type Household,
  TEST_PASSWORD,
  type Village,
} from "../helpers/factories.ts";

let v1: Village;
let h1: Household;
const PHONE = { width: 360, height: 740 };

const suite = useBrowserSuite(async (db, commune) => {
  v1 = await buildVillage(db, { commune, code: "T01", name: "Thôn Đông Hòa" });
  const v2 = await buildVillage(db, { commune, code: "T02", name: "Thôn Tây Sơn" });
  h1 = await buildHousehold(db, { village: v1, code: "T01-0001" });
  await db.update(households).set({ headName: "Nguyễn Văn Ấn" }).where(eq(households.id, h1.id));
  await buildHousehold(db, { village: v1, code: "T01-0002" });
  await buildResident(db, { household: h1, fullName: "Nguyễn Văn Ấn", birthDate: "1950-03-04" });
  await buildResident(db, {
    household: h1,
    fullName: "Trần Thị Bình",
    gender: "female",
    birthDate: "1956-07-08",
  });
  await buildTeamMember(db, { village: v1, fullName: "Lò Xuân Bình", role: "leader", phone: "0834864926" });
  await buildTeamMember(db, { village: v1, fullName: "Mai Văn Hùng", role: "youth_volunteer" });
  await buildTeamMember(db, { village: v1, fullName: "Hà Thị Lan" });
  await buildUser(db, {
    role: "village_lead",
    commune,
    villages: [v1],
    username: "totruong",
    displayName: "Lò Xuân Bình",
  });
  await buildUser(db, { role: "volunteer", commune, villages: [v2], username: "tnv-tay" });
});

const login = (page: Page, username: string) => signIn(page, suite.server.url, username, TEST_PASSWORD);

/** The page fits the viewport: no horizontal scroll. */
async function assertNoHorizontalScroll(page: Page, width: number) {
  const scrollWidth = Number(await page.evaluate("document.documentElement.scrollWidth"));
  assert.ok(scrollWidth <= width, `page is ${scrollWidth}px wide at ${width}px`);
}

describe("recording a visit on a phone", () => {
  test("without JavaScript, a village lead records a visit with two kinds of support; it shows in the list", async () => {
    const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await login(page, "totruong");
    // On a phone the navigation is one menu button that opens without JavaScript.
    await page.locator("nav.site-nav summary").click();
    await page.getByRole("link", { name: "Thăm hộ" }).click();
    await page.getByRole("link", { name: "Ghi nhận thăm hộ" }).click();
    await page.getByLabel("Tìm hộ").fill("nguyen van an");
    await page.getByRole("button", { name: "Tìm hộ" }).click();
    await page.getByRole("link", { name: /T01-0001/ }).click();
    assert.equal(await page.locator("h1").textContent(), "Ghi nhận thăm hộ");
    // The member is the signed-in lead (same name), the date today.
    assert.equal(await page.getByLabel("Người thăm (thành viên tổ)").inputValue(), "Lò Xuân Bình");
    await page.locator("#f-residents_met").getByLabel("Nguyễn Văn Ấn").check();
    await page.getByLabel("Mở tài khoản ngân hàng số").check();
    await page.getByLabel("Dịch vụ công trực tuyến").check();
    await page.getByLabel("Ghi chú").fill("Đã hướng dẫn cả hai ông bà");
    await page.getByRole("button", { name: "Lưu lần thăm" }).click();
    await page.waitForURL(/\/visits\/\d+$/);
    assert.match(
      (await page.locator("[role=status]").textContent()) ?? "",
      /Đã ghi nhận lần thăm hộ T01-0001/,
    );
    const detail = (await page.locator("main").textContent()) ?? "";
    assert.match(detail, /Mở tài khoản ngân hàng số/);
    assert.match(detail, /Dịch vụ công trực tuyến/);
    assert.match(detail, /Nguyễn Văn Ấn/);

    await page.goto(`${suite.server.url}/visits`);
    const row = (await page.locator("#visits tbody tr").first().textContent()) ?? "";
    assert.match(row, /T01-0001/);
    assert.match(row, /Lò Xuân Bình/);
    assert.match(row, /Mở tài khoản ngân hàng số, Dịch vụ công trực tuyến/);
    await context.close();
  });

  test("a form error without JavaScript: a future date is refused with the summary linking the field", async () => {
    const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await login(page, "totruong");
    await page.goto(`${suite.server.url}/visits/new?household=${h1.id}`);
    await page.getByLabel("Ngày thăm").fill("2999-01-01");
    await page.getByLabel("Thanh toán không dùng tiền mặt").check();
    await page.getByRole("button", { name: "Lưu lần thăm" }).click();
    assert.match(
      (await page.locator(".error-summary").textContent()) ?? "",
      /sau ngày hôm nay|sau hôm nay|tương lai/i,
    );
    assert.equal(
      await page.getByLabel("Thanh toán không dùng tiền mặt").isChecked(),
      true,
      "choices are kept",
    );
    await context.close();
  });

  test("the form at 360 px: no horizontal scroll, touch targets of 44 px at least; screenshots", async () => {
    const page = await suite.browser.newPage({ viewport: PHONE });
    await login(page, "totruong");
    await page.goto(`${suite.server.url}/visits/new?household=${h1.id}`);
    await assertNoHorizontalScroll(page, PHONE.width);
    for (const label of ["Mở tài khoản ngân hàng số", "Hướng dẫn an toàn thông tin", "Nguyễn Văn Ấn"]) {
      const box = await page.locator("label", { hasText: label }).first().boundingBox();
      assert.ok(box && box.height >= 44, `${label}: ${box?.height}px high`);
    }
    const button = await page.getByRole("button", { name: "Lưu lần thăm" }).boundingBox();
    assert.ok(button && button.height >= 44);
    await page.screenshot({ path: `${SHOTS}/visit-form-360.png`, fullPage: true });
    await page.goto(`${suite.server.url}/visits/new`);
    await assertNoHorizontalScroll(page, PHONE.width);
    await page.screenshot({ path: `${SHOTS}/visit-pick-360.png`, fullPage: true });
    await page.goto(`${suite.server.url}/teams/${v1.id}`);
    await assertNoHorizontalScroll(page, PHONE.width);
    await page.screenshot({ path: `${SHOTS}/team-360.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${suite.server.url}/visits/new?household=${h1.id}`);
    await page.screenshot({ path: `${SHOTS}/visit-form-desktop.png`, fullPage: true });
    await page.goto(`${suite.server.url}/teams/${v1.id}`);
    assert.match((await page.locator("main").textContent()) ?? "", /Tổ đang hoạt động/);
    await page.screenshot({ path: `${SHOTS}/team-desktop.png`, fullPage: true });
    await page.goto(`${suite.server.url}/teams`);
    await page.screenshot({ path: `${SHOTS}/teams-desktop.png`, fullPage: true });
    await page.close();
  });

  test("a volunteer of another village gets 404 on that household's visit form", async () => {
    const page = await suite.browser.newPage({ viewport: PHONE });
    await login(page, "tnv-tay");
    const res = await page.goto(`${suite.server.url}/visits/new?household=${h1.id}`);
    assert.equal(res?.status(), 404);
    assert.match((await page.locator("h1").textContent()) ?? "", /Không tìm thấy/);
    await page.close();
  });
});
