import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import type { BrowserContextOptions } from "playwright-core";
import { setClock, startingAt } from "../../src/lib/clock.ts";
import { buildVisitsOn, firstDays } from "../../src/test-support/visits.ts";
import { createStaff, SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import { buildActivity, buildSession, buildUnit, buildVillage } from "../helpers/factories.ts";

const run = promisify(execFile);
setClock(startingAt("2026-06-15T09:00:00+07:00"));

const password = "mat-khau-dai-123";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-emulation-"));

const suite = useBrowserSuite(async (db, commune) => {
  await createStaff(db, commune, password, [
    ["dieuphoi", "Lê Thị Điều Phối", "coordinator"],
    ["chutich", "Trần Văn Chủ Tịch", "leader"],
  ]);
  const c = { id: commune.id, code: commune.code, name: commune.name, province: commune.province };
  const [east, west] = [
    await buildVillage(db, { commune: c, code: "T01", name: "Thôn Đông Hòa" }),
    await buildVillage(db, { commune: c, code: "T02", name: "Thôn Tây Sơn" }),
  ];
  // Q2 to 15 June (3 months): Đông Hòa 2 classes, 7 sessions, 12 visits; Tây Sơn 1 class, 2 sessions, 4 visits.
  for (const [village, classes, sessions, visits] of [
    [east, 2, 7, 12],
    [west, 1, 2, 4],
  ] as const) {
    const made = [];
    for (let i = 0; i < classes; i++)
      made.push(await buildActivity(db, { village, date: `2026-04-0${i + 1}` }));
    for (const date of firstDays("2026-05", sessions)) await buildSession(db, { activity: made[0]!, date });
    await buildVisitsOn(db, village, firstDays("2026-06", visits));
  }
  const school = await buildUnit(db, {
    commune: c,
    code: "TH",
    name: "Trường Tiểu học Tân Ninh",
    type: "school",
  });
  const cls = await buildActivity(db, { unit: school, date: "2026-05-04" });
  await buildSession(db, { activity: cls, date: "2026-05-04" });
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

const signIn = (username: string, options: BrowserContextOptions) =>
  signedInPage(suite, username, password, options);

/** Text without its white space: a table cell's lines wrap differently in a PDF. */
const squash = (s: string) => s.replace(/\s+/g, "");

describe("emulation in a real browser, at 360 px", () => {
  test("the ranking, the proposal and its DOCX (opened with LibreOffice) show the same figures", async () => {
    const page = await signIn("dieuphoi", { viewport: { width: 360, height: 780 }, acceptDownloads: true });
    await page.goto(`${suite.server.url}/emulation?period=2026-Q2&date=2026-06-15`);
    await page.getByRole("heading", { name: "Thi đua, khen thưởng" }).waitFor();
    // Nothing wider than the phone.
    assert.ok(
      Number(await page.evaluate("document.documentElement.scrollWidth")) <= 360,
      "the ranking page fits 360 px",
    );
    await page.screenshot({ path: `${SHOTS}/emulation-ranking-360.png`, fullPage: true });
    const rows = await page.locator("tr[data-entry]").evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector("th")?.textContent?.trim() ?? "",
        score: tr.querySelector("[data-score]")?.textContent?.trim() ?? "",
        lines: [...tr.querySelectorAll("li")].map((li) => li.textContent?.trim() ?? ""),
      })),
    );
    assert.deepEqual(
      rows.map((r) => r.name),
      ["Thôn Đông Hòa", "Thôn Tây Sơn", "Trường Tiểu học Tân Ninh"],
    );
    assert.ok(rows[0]!.lines.some((l) => l.includes("lượt đến hộ 12/30")));
    assert.ok(rows.every((r) => r.lines.some((l) => l.includes("chưa có dữ liệu"))));

    // The top villages and units are ticked by default; the draft keeps their figures.
    await page.getByRole("button", { name: "Lập dự thảo tờ trình" }).click();
    await page.waitForURL(/\/commendations\/\d+$/);
    const url = page.url();
    await page.getByLabel("Số tờ trình").fill("7");
    await page.getByLabel("Người ký").fill("Trần Văn Chủ Tịch");
    await page.getByRole("button", { name: "Lưu dự thảo" }).click();
    await page.getByText("Đã lưu dự thảo").waitFor();
    assert.ok(
      Number(await page.evaluate("document.documentElement.scrollWidth")) <= 360,
      "the proposal page fits 360 px",
    );
    await page.screenshot({ path: `${SHOTS}/emulation-proposal-360.png`, fullPage: true });
    await page.context().close();

    const lp = await signIn("chutich", { viewport: { width: 360, height: 780 }, acceptDownloads: true });
    await lp.goto(url);
    await lp.getByRole("button", { name: "Duyệt đề nghị" }).click();
    await lp.getByText("Đã duyệt đề nghị khen thưởng.").waitFor();
    const [download] = await Promise.all([
      lp.waitForEvent("download"),
      lp.getByRole("link", { name: "Tải tờ trình (DOCX)" }).click(),
    ]);
    const docx = path.join(work, "to-trinh.docx");
    await download.saveAs(docx);
    await lp.context().close();

    // LibreOffice opens it and writes a PDF; its text carries every figure of the ranking.
    await run(
      "soffice",
      [
        `-env:UserInstallation=file://${work}/profile`,
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        work,
        docx,
      ],
      { timeout: 240_000 },
    );
    const pdf = path.join(work, "to-trinh.pdf");
    assert.ok(fs.existsSync(pdf), "LibreOffice wrote the PDF");
    const { stdout } = await run("pdftotext", ["-enc", "UTF-8", pdf, "-"]);
    const text = squash(stdout);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "TỜ TRÌNH",
      "Số: 7/TTr-UBND",
      "Nơi nhận:",
      "Trần Văn Chủ Tịch",
    ])
      assert.ok(text.includes(squash(s)), s);
    for (const r of rows) {
      assert.ok(text.includes(squash(r.name)), r.name);
      assert.ok(text.includes(squash(r.score)), `${r.name}: ${r.score}`);
      for (const line of r.lines) assert.ok(text.includes(squash(line)), line);
    }
    await run("pdftoppm", [
      "-png",
      "-r",
      "60",
      "-f",
      "1",
      "-l",
      "1",
      pdf,
      path.join(SHOTS, "emulation-docx-page"),
    ]);
    assert.ok(fs.readdirSync(SHOTS).some((f) => f.startsWith("emulation-docx-page")));
  });
});
