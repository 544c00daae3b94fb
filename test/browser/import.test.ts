import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { cliActor } from "../../src/features/audit/service.ts";
import { runImport } from "../../src/features/imports/engine.ts";
import { createUser } from "../../src/features/users/service.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { startTestServer } from "../helpers/server.ts";

const SAMPLE = path.resolve("../shared/data/sample");
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let closeBrowser: () => Promise<void>;

before(async () => {
  server = await startTestServer();
  const [commune] = await server.database.db.query.communes.findMany();
  const communeId = commune!.id;
  await createUser({
    db: server.database.db,
    actor: cliActor(communeId),
    scope: { kind: "commune", communeId },
    communeId,
    input: {
      username: "canbo",
      displayName: "Lê Thị Hoa",
      role: "coordinator",
      password: "mat-khau-dai-123",
    },
  });
  for (const kind of ["villages", "units", "households"] as const) {
    await runImport({
      db: server.database.db,
      communeId,
      kind,
      file: path.join(SAMPLE, `${kind}.csv`),
      actor: cliActor(communeId),
    });
  }
  ({ browser, close: closeBrowser } = await launchBrowser());
  fs.mkdirSync("test-results", { recursive: true });
});
after(async () => {
  await closeBrowser?.();
  await server?.stop();
});

describe("importing in a real browser", () => {
  test("a dirty file shows its errors; committed with “skip invalid”, the valid rows land", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Tên đăng nhập").fill("canbo");
    await page.getByLabel("Mật khẩu").fill("mat-khau-dai-123");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${server.url}/`);

    await page.getByRole("link", { name: "Nhập dữ liệu" }).first().click();
    await page.getByLabel("Loại dữ liệu").selectOption("residents");
    await page.getByLabel("Tệp dữ liệu").setInputFiles(path.join(SAMPLE, "residents_dirty.csv"));
    await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
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
    assert.match(
      (await page.locator("[role=status]").textContent()) ?? "",
      /42 thêm mới.*14 dòng lỗi bị bỏ qua/,
    );
    await page.screenshot({ path: "test-results/import-done.png", fullPage: true });

    await page.goto(`${server.url}/residents?q=tran van muoi`);
    assert.match((await page.locator("table tbody").textContent()) ?? "", /Trần Văn Mười/);
    await page.close();
  });
});
