import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import type { BrowserContextOptions, Page } from "playwright-core";
import { certifications } from "../../src/db/schema.ts";
import { createStaff, PHONE, SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import { buildHousehold, buildResident, buildVillage } from "../helpers/factories.ts";
import { zipEntry } from "../helpers/zip.ts";

const password = "mat-khau-dai-123";

const suite = useBrowserSuite(async (db, commune) => {
  await createStaff(db, commune, password, [
    ["dieuphoi", "Lê Thị Điều Phối", "coordinator"],
    ["chutich", "Trần Văn Chủ Tịch", "leader"],
  ]);
  const c = { id: commune.id, code: commune.code, name: commune.name, province: commune.province };
  for (const [code, name] of [
    ["T01", "Thôn Đông Hòa"],
    ["T02", "Thôn Tây Sơn"],
  ] as const) {
    const village = await buildVillage(db, { commune: c, code, name });
    for (let h = 1; h <= 4; h++) {
      const household = await buildHousehold(db, { village, code: `${code}-${h}` });
      const r = await buildResident(db, {
        household,
        fullName: `Người ${code} ${h}`,
        birthDate: "1980-05-05",
      });
      if (h % 2 === 0)
        await db
          .insert(certifications)
          .values({ communeId: c.id, residentId: r.id, kind: "basic", date: "2026-08-15", source: "course" });
    }
  }
});

const signIn = (username: string, options: BrowserContextOptions) =>
  signedInPage(suite, username, password, options);

/** Fills the new report's form for `period` (then label → value) and creates the draft, waiting for its page. */
async function createDraft(page: Page, period: string, fields: Record<string, string>) {
  await page.getByLabel("Kỳ báo cáo").fill(period);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Tạo bản nháp" }).click();
  await page.getByRole("heading", { name: new RegExp(`Báo cáo kỳ ${period}`) }).waitFor();
}

describe("reports in a real browser", () => {
  test("a coordinator drafts, previews, submits and downloads; the leader approves", async () => {
    const page = await signIn("dieuphoi", { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await page.getByRole("link", { name: "Báo cáo", exact: true }).first().click();
    await page.getByRole("link", { name: "Tạo báo cáo", exact: true }).click();
    await createDraft(page, "2026-Q3", {
      "Ngày tính số liệu": "2026-09-30",
      "Số văn bản": "21",
      "Người ký": "Trần Văn Chủ Tịch",
    });
    // The preview: the motto block, the appendix of 12 indicators, the village table.
    assert.ok(await page.getByText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").first().isVisible());
    assert.equal(await page.locator(".report-preview table").first().locator("tbody tr").count(), 12);
    assert.ok(await page.getByRole("rowheader", { name: "Thôn Đông Hòa" }).isVisible());
    await page.screenshot({ path: `${SHOTS}/report-draft-desktop.png`, fullPage: true });

    // Submitting without the required parts: the dialog asks, then an error summary that links to the fields.
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Gửi", exact: true }).click();
    await page.locator(".error-summary").waitFor();
    await page.getByLabel("VI. KHÓ KHĂN, VƯỚNG MẮC").fill("Sóng điện thoại yếu ở thôn Tây Sơn.");
    await page.getByLabel("VII. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI").fill("Mở lớp buổi tối.");
    await page.getByRole("button", { name: "Lưu" }).click();
    await page.getByText("Đã lưu bản nháp.").waitFor();
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Gửi", exact: true }).click();
    await page.getByText(/Đã gửi báo cáo kỳ 2026-Q3/).waitFor();
    assert.ok(
      await page
        .getByText(/đã được chốt/)
        .first()
        .isVisible(),
    );
    assert.equal(
      await page.getByRole("button", { name: "Lưu" }).count(),
      0,
      "a submitted report has no edit form",
    );

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Văn bản Word (DOCX)" }).click(),
    ]);
    const file = `${SHOTS}/report.docx`;
    await download.saveAs(file);
    const xml = zipEntry(fs.readFileSync(file), "word/document.xml")!.toString("utf8");
    assert.ok(xml.includes("Sóng điện thoại yếu ở thôn Tây Sơn."));
    assert.ok(xml.includes("Số: 21/BC-UBND"));
    await page.context().close();

    const leaderPage = await signIn("chutich", { viewport: { width: 360, height: 740 } });
    const phone = leaderPage.context();
    await leaderPage.goto(`${suite.server.url}/reports`);
    await leaderPage.getByRole("link", { name: "2026-Q3" }).first().click();
    await leaderPage.getByRole("button", { name: "Duyệt báo cáo" }).click();
    await leaderPage.getByText(/Đã duyệt báo cáo kỳ 2026-Q3/).waitFor();
    const width = Number(await leaderPage.evaluate("document.documentElement.scrollWidth"));
    assert.ok(width <= 360, `the page fits a 360-px phone (scroll width ${width})`);
    await leaderPage.screenshot({ path: `${SHOTS}/report-approved-360.png`, fullPage: true });
    await phone.close();
  });

  test("the leader returns a report with a comment; the coordinator submits v2 without JavaScript; the leader approves it", async () => {
    const page = await signIn("dieuphoi", { viewport: { width: 1280, height: 900 } });
    await page.goto(`${suite.server.url}/reports/new`);
    await createDraft(page, "2026-Q2", {
      "Ngày tính số liệu": "2026-06-30",
      "VI. KHÓ KHĂN, VƯỚNG MẮC": "Thiếu máy tính ở nhà văn hóa.",
      "VII. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI": "Mượn máy của trường.",
    });
    // With JavaScript the dialog asks; "Quay lại" closes it and nothing is sent.
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(/không hoàn tác được/).waitFor();
    await page.screenshot({ path: `${SHOTS}/report-submit-dialog.png` });
    await dialog.getByRole("button", { name: "Quay lại" }).click();
    await dialog.waitFor({ state: "hidden" });
    assert.ok(await page.getByRole("button", { name: "Gửi báo cáo" }).isVisible(), "still a draft");
    await page.getByRole("button", { name: "Gửi báo cáo" }).click();
    await dialog.getByRole("button", { name: "Gửi", exact: true }).click();
    await page.getByText(/Đã gửi báo cáo kỳ 2026-Q2/).waitFor();
    const v1Url = page.url();
    await page.context().close();

    // The leader, on a phone: the home lists the report waiting; return it with a comment.
    const leader = await signIn("chutich", { viewport: PHONE });
    await leader.getByRole("heading", { name: "Báo cáo chờ duyệt" }).waitFor();
    await leader.getByRole("link", { name: /Báo cáo kỳ 2026-Q2, phiên bản 1/ }).click();
    await leader.getByRole("button", { name: "Trả lại báo cáo" }).click();
    await leader
      .locator(".error-summary")
      .getByText(/Nhập ý kiến khi trả lại/)
      .waitFor();
    await leader.getByLabel("Ý kiến khi trả lại").fill("Bổ sung số người đã được hỗ trợ ở thôn Tây Sơn.");
    await leader
      .locator('section[aria-labelledby="return-h"]')
      .screenshot({ path: `${SHOTS}/report-return-360.png` });
    await leader.getByRole("button", { name: "Trả lại báo cáo" }).click();
    await leader.getByText(/Đã trả lại báo cáo kỳ 2026-Q2, phiên bản 1/).waitFor();

    // The coordinator, on a phone without JavaScript: the comment on the home and the report page.
    const coord = await signIn("dieuphoi", { viewport: PHONE, javaScriptEnabled: false });
    await coord.getByRole("heading", { name: "Báo cáo bị trả lại, cần sửa" }).waitFor();
    assert.ok(
      await coord
        .getByText(/Bổ sung số người đã được hỗ trợ ở thôn Tây Sơn/)
        .first()
        .isVisible(),
    );
    await coord.screenshot({ path: `${SHOTS}/report-returned-home-360.png` });
    await coord.goto(v1Url);
    await coord.getByRole("heading", { name: "Ý kiến của lãnh đạo khi trả lại" }).waitFor();
    await coord.locator(".notice--warning").screenshot({ path: `${SHOTS}/report-returned-comment-360.png` });
    await coord.getByRole("button", { name: "Tạo phiên bản mới" }).click();
    await coord.getByRole("heading", { name: /Báo cáo kỳ 2026-Q2 — phiên bản 2/ }).waitFor();
    await coord.getByRole("heading", { name: /Phiên bản 1 đã bị trả lại/ }).waitFor();
    await coord.getByLabel("VIII. ĐỀ XUẤT, KIẾN NGHỊ").fill("Đã bổ sung: 14 người ở thôn Tây Sơn.");
    await coord.getByRole("button", { name: "Lưu" }).click();
    await coord.getByText("Đã lưu bản nháp.").waitFor();
    // No dialog without JavaScript: the button opens the confirmation page.
    await coord.getByRole("button", { name: "Gửi báo cáo" }).click();
    await coord.waitForURL(/\/reports\/\d+\/submit\??$/);
    await coord.getByText(/không hoàn tác được/).waitFor();
    assert.ok(await coord.getByRole("link", { name: "Quay lại" }).isVisible());
    const width = Number(await coord.evaluate("document.documentElement.scrollWidth").catch(() => 360));
    assert.ok(width <= 360, `the confirmation page fits a 360-px phone (${width})`);
    await coord.screenshot({ path: `${SHOTS}/report-submit-confirm-360.png`, fullPage: true });
    await coord.getByRole("button", { name: "Gửi", exact: true }).click();
    await coord.getByText(/Đã gửi báo cáo kỳ 2026-Q2, phiên bản 2/).waitFor();
    await coord.context().close();

    // The leader approves v2; v1 stays returned with its comment.
    await leader.goto(`${suite.server.url}/`);
    await leader.getByRole("link", { name: /Báo cáo kỳ 2026-Q2, phiên bản 2/ }).click();
    await leader.getByRole("button", { name: "Duyệt báo cáo" }).click();
    await leader.getByText(/Đã duyệt báo cáo kỳ 2026-Q2, phiên bản 2/).waitFor();
    await leader.goto(v1Url);
    await leader.getByText("Bị trả lại", { exact: true }).first().waitFor();
    assert.ok(await leader.getByText(/Bổ sung số người đã được hỗ trợ ở thôn Tây Sơn/).isVisible());
    await leader.context().close();
  });
});
