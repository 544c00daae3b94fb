import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { BrowserContextOptions, Page } from "playwright-core";
import { cliActor } from "../../src/features/audit/service.ts";
import { runImport } from "../../src/features/imports/engine.ts";
import { createStaff, signedInPage, useBrowserSuite } from "../helpers/browser.ts";

const SAMPLE = path.resolve("../shared/data/sample");

const suite = useBrowserSuite(async (db, commune) => {
  const communeId = commune.id;
  await createStaff(db, commune, "mat-khau-dai-123", [["canbo", "Lê Thị Hoa", "coordinator"]]);
  for (const kind of ["villages", "units", "households"] as const) {
    await runImport({
      db,
      communeId,
      kind,
      file: path.join(SAMPLE, `${kind}.csv`),
      actor: cliActor(communeId),
    });
  }
});
/** Signs in as the coordinator in a fresh context (its own session). */
const signIn = (options: BrowserContextOptions = {}) =>
  signedInPage(suite, "canbo", "mat-khau-dai-123", { viewport: { width: 1280, height: 900 }, ...options });

/** A villages file long enough for its check to take a few seconds (it is never committed). */
/** Long enough that its check outlasts a few of the page's one-second status polls (~2 MB). */
const LONG_ROWS = 80_000;
function longFile(): string {
  const file = path.join("test-results", "thon-dai.csv");
  const rows = Array.from({ length: LONG_ROWS }, (_, i) => `V${String(i).padStart(5, "0")},Thôn số ${i}`);
  fs.writeFileSync(file, `Mã thôn,Tên thôn\n${rows.join("\n")}\n`);
  return file;
}

async function uploadFile(page: Page, kind: string, file: string) {
  await page.goto(`${suite.server.url}/imports`);
  await page.getByLabel("Loại dữ liệu").selectOption(kind);
  await page.getByLabel("Tệp dữ liệu").setInputFiles(file);
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await page.waitForURL(/\/imports\/jobs\/[0-9a-f]{32}$/);
}

describe("importing in a real browser", () => {
  test("a dirty file shows its errors; committed with “skip invalid”, the valid rows land", async () => {
    const page = await signIn();
    await page.getByRole("link", { name: "Nhập dữ liệu" }).first().click();
    await page.getByLabel("Loại dữ liệu").selectOption("residents");
    await page.getByLabel("Tệp dữ liệu").setInputFiles(path.join(SAMPLE, "residents_dirty.csv"));
    await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
    // The check runs as a job: its page, then (reloaded by its script) what the check found.
    await page.waitForURL(/\/imports\/jobs\/[0-9a-f]{32}$/);
    await page.waitForSelector("#import-errors");
    assert.equal(await page.locator("#import-errors tbody tr").count(), 14);
    assert.match(
      (await page.locator("#import-errors tbody tr").first().textContent()) ?? "",
      /39.*Số CCCD.*11 chữ số/,
    );
    await page.screenshot({ path: "test-results/import-errors.png", fullPage: true });

    // Without “skip”, nothing is written and the page says why.
    await page.getByRole("button", { name: "Ghi vào cơ sở dữ liệu" }).click();
    assert.match((await page.locator(".error-summary").textContent()) ?? "", /hãy sửa tệp rồi tải lên lại/);

    await page.getByLabel(/Bỏ qua 14 dòng lỗi/).check();
    await page.getByRole("button", { name: "Ghi vào cơ sở dữ liệu" }).click();
    await page.waitForURL(/\/imports\/jobs\/[0-9a-f]{32}$/);
    await page.getByRole("heading", { name: "Đã nhập dữ liệu", exact: true }).waitFor();
    assert.match(
      (await page.locator("[role=status]").textContent()) ?? "",
      /42 thêm mới.*14 dòng lỗi bị bỏ qua/,
    );
    await page.screenshot({ path: "test-results/import-done.png", fullPage: true });

    await page.goto(`${suite.server.url}/residents?q=tran van muoi`);
    assert.match((await page.locator("table tbody").textContent()) ?? "", /Trần Văn Mười/);
    await page.context().close();
  });

  test("with JavaScript the bar moves in place while a long file is checked, then the page shows the result", async () => {
    const page = await signIn();
    await uploadFile(page, "villages", longFile());
    const bar = page.locator("progress#job-bar");
    await bar.waitFor();
    assert.match(
      (await page.locator("#job-text").textContent()) ?? "",
      /Đang mở tệp|Đã đọc [\d.]+ dòng \(\d+%\)/,
    );
    // A mark on this very document: it survives the updates, as the page is not reloaded for them.
    await page.evaluate("window.mark = true");
    // Polled from here: waitForFunction would evaluate a string in the page, which its CSP forbids.
    const read = String.raw`/Đã đọc [1-9][\d.]* dòng/.test(document.querySelector("#job-text")?.textContent ?? "")`;
    for (let i = 0; i < 600 && !(await page.evaluate(read)); i++) await page.waitForTimeout(100);
    assert.equal(await page.evaluate(read), true);
    const value = Number(await bar.getAttribute("value"));
    assert.ok(value >= 0 && value < 100, String(value));
    assert.equal(await page.evaluate("window.mark"), true);
    await page.screenshot({ path: "test-results/import-progress.png" });
    // Finished: reloaded, with the check's result.
    await page
      .getByRole("heading", { name: "Kiểm tra tệp “thon-dai.csv”", exact: true })
      .waitFor({ timeout: 120_000 });
    assert.match((await page.locator(".lead").textContent()) ?? "", new RegExp(`${LONG_ROWS} dòng dữ liệu`));
    assert.equal(await page.locator("progress").count(), 0);
    await page.context().close();
  });

  test("without JavaScript the job page shows the progress element and refreshes itself until the result", async () => {
    const page = await signIn({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    await uploadFile(page, "villages", longFile());
    await page.locator("progress#job-bar").waitFor();
    await page.screenshot({ path: "test-results/import-progress-nojs-360.png", fullPage: true });
    // The job's page as served (the live document reloads itself every second, so reading it races):
    // while the check runs, a progress element and a meta refresh; the check may already be over.
    const html = await (await page.request.get(page.url())).text();
    if (!html.includes("Kiểm tra tệp “thon-dai.csv”")) {
      assert.match(html, /<progress\b[^>]*\bmax="100"/);
      assert.match(html, /<meta http-equiv="refresh"/);
    }
    await page
      .getByRole("heading", { name: "Kiểm tra tệp “thon-dai.csv”", exact: true })
      .waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    await page.context().close();
  });
});
