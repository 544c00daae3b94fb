import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { BrowserContextOptions, Page } from "playwright-core";
import { resetClock, setClock, startingAt } from "../../src/lib/clock.ts";
import { createStaff, SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import { buildUnit, buildVillage } from "../helpers/factories.ts";

const password = "mat-khau-dai-123";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-tasks-"));
/** A real 1×1 PNG: the photo the officer uploads. */
const photo = path.join(tmp, "anh-buoi-cap-tai-khoan.png");

before(async () => {
  // 15 June 2026: Công an xã's monthly task V.7 (due the 25th) has January–May behind it.
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  fs.writeFileSync(
    photo,
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    ),
  );
});
const suite = useBrowserSuite(async (db, commune) => {
  await buildUnit(db, { commune, code: "CAX", name: "Công an xã Tân Ninh" });
  await buildVillage(db, { commune, code: "T01", name: "Thôn Đông Hòa" });
  await createStaff(db, commune, password, [
    ["congan", "Phạm Văn Công An", "police", "CAX"],
    ["dieuphoi", "Lê Thị Điều Phối", "coordinator"],
  ]);
});
after(() => {
  resetClock();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const signIn = (username: string, options: BrowserContextOptions) =>
  signedInPage(suite, username, password, options);

async function fits360(page: Page) {
  const width = Number(await page.evaluate("document.documentElement.scrollWidth"));
  assert.ok(width <= 360, `the page fits a 360-px phone (scroll width ${width})`);
}

describe("the units' tasks in a real browser, on a 360-px phone", () => {
  test("the police officer records a task's progress with a photo; the coordinator sees an overdue task", async () => {
    const page = await signIn("congan", { viewport: { width: 360, height: 740 } });
    await page.goto(`${suite.server.url}/tasks`);
    await page.getByRole("link", { name: /Đẩy mạnh cấp tài khoản định danh điện tử/ }).click();
    await page.getByRole("heading", { name: "Ghi nhận tiến độ" }).waitFor();
    await page.getByLabel("Lượt (hạn)").selectOption("2026-05-25");
    await page.getByLabel("Hoàn thành").check();
    await page.getByLabel("Kết quả thực hiện").fill("Cấp 312 tài khoản định danh mức 2 tại 6 thôn.");
    await page.getByLabel("Minh chứng (không bắt buộc)").setInputFiles(photo);
    await fits360(page);
    await page.screenshot({ path: `${SHOTS}/task-progress-form-360.png`, fullPage: true });
    await page.getByRole("button", { name: "Lưu tiến độ" }).click();
    await page.getByText(/Đã ghi nhận tiến độ nhiệm vụ V\.7 cho Công an xã Tân Ninh/).waitFor();
    const link = page.getByRole("link", { name: "anh-buoi-cap-tai-khoan.png" });
    assert.ok(await link.isVisible());
    assert.ok(
      await page.getByRole("cell", { name: "Cấp 312 tài khoản định danh mức 2 tại 6 thôn." }).isVisible(),
    );
    await fits360(page);
    await page.screenshot({ path: `${SHOTS}/task-progress-saved-360.png`, fullPage: true });
    const href = await link.getAttribute("href");
    const res = await page.request.get(`${suite.server.url}${href}`);
    assert.equal(res.headers()["content-type"], "image/png");
    assert.deepEqual(Buffer.from(await res.body()), fs.readFileSync(photo));

    // A text file named .png is refused with a Vietnamese message; nothing is added.
    const fake = path.join(tmp, "khong-phai-anh.png");
    fs.writeFileSync(fake, "đây là chữ, không phải ảnh");
    await page.getByLabel("Kết quả thực hiện").fill("Báo cáo tháng 4.");
    await page.getByLabel("Lượt (hạn)").selectOption("2026-04-25");
    await page.getByLabel("Minh chứng (không bắt buộc)").setInputFiles(fake);
    await page.getByRole("button", { name: "Lưu tiến độ" }).click();
    await page.locator(".error-summary").waitFor();
    assert.ok(
      await page
        .getByText(/khong-phai-anh\.png không phải ảnh JPEG, PNG hay tệp PDF/)
        .first()
        .isVisible(),
    );
    await page.context().close();

    const coord = await signIn("dieuphoi", { viewport: { width: 360, height: 740 } });
    await coord.goto(`${suite.server.url}/tasks`);
    await coord.getByRole("link", { name: /Nhiệm vụ quá hạn/ }).click();
    await coord.getByRole("heading", { name: "Nhiệm vụ quá hạn" }).waitFor();
    const april = coord
      .getByRole("row")
      .filter({ hasText: "25/04/2026" })
      .filter({ hasText: "Công an xã Tân Ninh" });
    assert.equal(await april.count(), 1, "April's V.7 is overdue for the police");
    assert.equal(
      await coord
        .getByRole("row")
        .filter({ hasText: "25/05/2026" })
        .filter({ hasText: "Công an xã Tân Ninh" })
        .count(),
      0,
      "May's V.7 was reported done",
    );
    await fits360(coord);
    await coord.screenshot({ path: `${SHOTS}/tasks-overdue-360.png`, fullPage: true });
    await coord.context().close();
  });
});
