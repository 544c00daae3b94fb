/**
 * Issue 19.3 in Chromium at 360 px: the economy office uploads the dirty vendor list, sees its
 * row-exact errors, writes the valid rows with “skip invalid”, then the dashboard's card beside
 * indicator 10 shows the vendors with cashless payment; the vendor form works on the phone.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { cliActor } from "../../src/features/audit/service.ts";
import { runImport } from "../../src/features/imports/engine.ts";
import { createStaff, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import { buildVendorCommune, VENDORS_DIRTY, writeVendorSample } from "../helpers/vendors.ts";

let files: ReturnType<typeof writeVendorSample>;

const suite = useBrowserSuite(async (db, commune) => {
  const communeId = commune.id;
  await buildVendorCommune(db, commune);
  await createStaff(db, commune, "mat-khau-dai-123", [["kinhte", "Đỗ Văn Kinh", "economy"]]);
  files = writeVendorSample(fs.mkdtempSync(path.join("test-results", "cho-")));
  await runImport({
    db,
    communeId,
    kind: "markets",
    file: files.markets,
    actor: cliActor(communeId),
  });
});

/** The economy office, signed in on a phone. */
const signIn = () =>
  signedInPage(suite, "kinhte", "mat-khau-dai-123", {
    viewport: { width: 360, height: 800 },
    isMobile: true,
    hasTouch: true,
  });

const noSideScroll = (page: Page) =>
  page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1");

describe("Chợ số in a real browser, on a phone", () => {
  test("the dirty vendor list: its errors, then the valid rows with “skip invalid”; the figure beside indicator 10", async () => {
    const page = await signIn();
    await page.goto(`${suite.server.url}/imports?kind=vendors`);
    // The chosen kind's columns are listed, open.
    assert.match((await page.locator("#columns-vendors").textContent()) ?? "", /Số quầy \(bắt buộc\)/);
    await page.getByLabel("Loại dữ liệu").selectOption("vendors");
    await page.getByLabel("Tệp dữ liệu").setInputFiles(files.dirty);
    await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
    await page.waitForURL(/\/imports\/jobs\/[0-9a-f]{32}$/);
    await page.waitForSelector("#import-errors");
    assert.equal(await page.locator("#import-errors tbody tr").count(), VENDORS_DIRTY.invalid.length);
    assert.match(
      (await page.locator("#import-errors tbody tr").first().textContent()) ?? "",
      /5.*Không có chợ mã “CHO09”/,
    );
    await page.screenshot({ path: "test-results/market-import-errors-360.png", fullPage: true });
    await page.getByLabel(new RegExp(`Bỏ qua ${VENDORS_DIRTY.invalid.length} dòng lỗi`)).check();
    await page.getByRole("button", { name: "Ghi vào cơ sở dữ liệu" }).click();
    await page.getByRole("heading", { name: "Đã nhập dữ liệu", exact: true }).waitFor();
    assert.match(
      (await page.locator("[role=status]").textContent()) ?? "",
      new RegExp(`${VENDORS_DIRTY.valid} thêm mới`),
    );

    await page.goto(`${suite.server.url}/`);
    const card = page.locator("#ind-markets");
    await card.waitFor();
    // C01 (QR, bank), C12 (QR), C13 (e-wallet): 3 of 3 stalls, 2 at Chợ Tân Ninh, 1 at the periodic market.
    assert.match((await card.textContent()) ?? "", /3\/3 quầy \(100\s%\)/);
    assert.match((await card.textContent()) ?? "", /Chợ Tân Ninh.*2\/2 quầy/);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: "test-results/market-dashboard-card-360.png" });
    assert.equal(await noSideScroll(page), true, "the dashboard fits 360 px");
    await page.context().close();
  });

  test("the vendor form and lists fit 360 px; a mistake is shown at the top and beside the field", async () => {
    const page = await signIn();
    await page.goto(`${suite.server.url}/vendors/new?market=CHO02`);
    await page.getByLabel("Số quầy").fill("");
    await page.getByLabel("Chủ quầy").fill("Vi Văn Sáu");
    await page.getByLabel("Ví điện tử").check();
    await page.getByRole("button", { name: "Lưu" }).click();
    assert.match((await page.locator(".error-summary").textContent()) ?? "", /Số quầy/);
    await page.screenshot({ path: "test-results/market-vendor-form-error-360.png", fullPage: true });
    await page.getByLabel("Số quầy").fill("B09");
    await page.getByLabel("Shopee").check();
    await page.getByRole("button", { name: "Lưu" }).click();
    await page.waitForURL(/\/vendors\/\d+$/);
    assert.match((await page.locator("main").textContent()) ?? "", /Ví điện tử.*Shopee/s);
    await page.goto(`${suite.server.url}/vendors`);
    assert.equal(await noSideScroll(page), true, "the vendor list fits 360 px");
    await page.screenshot({ path: "test-results/market-vendors-360.png", fullPage: true });
    await page.goto(`${suite.server.url}/markets`);
    assert.equal(await noSideScroll(page), true, "the market list fits 360 px");
    await page.screenshot({ path: "test-results/market-markets-360.png", fullPage: true });
    await page.context().close();
  });
});
