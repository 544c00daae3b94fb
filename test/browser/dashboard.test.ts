import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserContextOptions } from "playwright-core";
import { certifications } from "../../src/db/schema.ts";
import { createStaff, pageWidth, SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import { buildHousehold, buildResident, buildVillage, type Village } from "../helpers/factories.ts";

let v1: Village;
const password = "mat-khau-dai-123";

const suite = useBrowserSuite(async (db, commune) => {
  await createStaff(db, commune, password, [["dieuphoi", "Lê Thị Điều Phối", "coordinator"]]);
  const c = { id: commune.id, code: commune.code, name: commune.name, province: commune.province };
  v1 = await buildVillage(db, { commune: c, code: "T01", name: "Thôn Đông Hòa" });
  const v2 = await buildVillage(db, { commune: c, code: "T02", name: "Thôn Tây Sơn" });
  // Each village: households with adults, some trained (certified), some not; phones to mask or show.
  for (const [v, n] of [
    [v1, 14],
    [v2, 9],
  ] as const) {
    for (let h = 1; h <= n; h++) {
      const household = await buildHousehold(db, { village: v, code: `${v.code}-${h}`, poor: h % 5 === 0 });
      for (let k = 0; k < 3; k++) {
        const r = await buildResident(db, {
          household,
          fullName: `Người ${v.code} Hộ ${h} Số ${k + 1}`,
          birthDate: k === 0 ? "1955-03-03" : k === 1 ? "1985-07-07" : "2009-01-01",
          phone: `09123${String(h).padStart(3, "0")}${k}${k}`,
          vneidLevel: k === 1 ? 2 : 0,
          disabled: h === 3 && k === 1,
        });
        if ((h + k) % 3 === 0)
          await db.insert(certifications).values({
            communeId: c.id,
            residentId: r.id,
            kind: k === 1 ? "vneid" : "basic",
            date: `2026-0${1 + (h % 5)}-15`,
            source: "course",
          });
      }
    }
  }
});

const signIn = (options: BrowserContextOptions) => signedInPage(suite, "dieuphoi", password, options);

describe("the dashboard in a real browser", () => {
  test("a coordinator sees 12 cards, opens indicator 3, picks a village and sees who is missing", async () => {
    const page = await signIn({ viewport: { width: 1280, height: 900 } });
    assert.equal(await page.locator("li.ind-card:not(.ind-card--beside)").count(), 12);
    // The period picker: a GET form that works without JavaScript.
    await page.getByLabel("Kỳ báo cáo").selectOption("2026");
    await page.getByLabel("Ngày tham chiếu").fill("2026-06-15");
    await page.getByRole("button", { name: "Xem", exact: true }).first().click();
    await page.waitForURL(/date=2026-06-15/);
    assert.match(
      (await page.locator(".lead").nth(1).textContent()) ?? "",
      /Cả năm 2026, tính đến ngày 15\/06\/2026/,
    );
    assert.equal(await page.locator("li.ind-card:not(.ind-card--beside)").count(), 12);
    const card3 = page.locator("#ind-adult_skills");
    assert.match((await card3.locator(".ind-card__big").textContent()) ?? "", /^\d+,\d\u00a0%$/);
    assert.match((await card3.textContent()) ?? "", /Mục tiêu: 100\u00a0%/);
    assert.equal(await card3.locator("[role=img]").count(), 1);
    assert.match((await page.locator("#ind-public_sector_skills").textContent()) ?? "", /Chưa có số liệu/);
    await page.screenshot({ path: `${SHOTS}/dashboard-1280.png`, fullPage: true });
    assert.ok((await pageWidth(page)) <= 1280);

    await card3.getByRole("link").first().click();
    await page.waitForURL(/\/indicators\/adult_skills\?/);
    assert.match((await page.locator("h1").textContent()) ?? "", /^Chỉ tiêu 3:/);
    await page.getByLabel("Thôn", { exact: true }).selectOption({ label: "Thôn Đông Hòa" });
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.waitForURL(/village=T01/);
    assert.equal(await page.locator(".tabs a[aria-current=page]").textContent(), "Còn thiếu");
    const rows = page.locator("table.table tbody tr");
    assert.ok((await rows.count()) > 0);
    const names = await rows.locator("td:nth-child(2)").allTextContents();
    assert.ok(
      names.every((n) => n.includes("T01")),
      "only the village's people",
    );
    // The elderly come first.
    assert.match((await rows.first().textContent()) ?? "", /Cao tuổi/);
    // A coordinator sees phones whole (SPEC §8).
    assert.match((await rows.first().textContent()) ?? "", /09123\d{5}/);
    await page.screenshot({ path: `${SHOTS}/drill-1280.png`, fullPage: true });

    await page.goto(`${suite.server.url}/villages/${v1.id}/visit-next`);
    assert.match((await page.locator("h1").textContent()) ?? "", /Danh sách cần đến thăm — Thôn Đông Hòa/);
    assert.equal(await page.locator("section.visit-list").count(), 3);
    await page.screenshot({ path: `${SHOTS}/visit-next-1280.png`, fullPage: true });
    await page.close();
  });

  test("on a 360-px phone nothing scrolls sideways but the wide tables, inside their own focusable region", async () => {
    const page = await signIn({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
    });
    const pages: [string, string][] = [
      ["dashboard", "/indicators?date=2026-06-15&period=2026"],
      ["drill", "/indicators/adult_skills?date=2026-06-15&period=2026&village=T01"],
      ["visit-next", `/villages/${v1.id}/visit-next`],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${suite.server.url}${path}`);
      assert.ok((await pageWidth(page)) <= 360, `${name} is ${await pageWidth(page)}px wide`);
      await page.screenshot({ path: `${SHOTS}/${name}-360.png`, fullPage: true });
    }
    await page.goto(`${suite.server.url}/indicators?date=2026-06-15&period=2026`);
    const region = page.locator("section.table-wrap[aria-labelledby=villages-caption]");
    assert.equal(await region.getAttribute("tabindex"), "0");
    const { scroll, client } = await region.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    assert.ok(scroll > client, "the village table scrolls inside its region");
    // Touch targets: the period form's controls are at least 44 px high.
    for (const label of ["Kỳ báo cáo", "Ngày tham chiếu"]) {
      const box = await page.getByLabel(label).boundingBox();
      assert.ok(box && box.height >= 44, label);
    }
    await page.context().close();
  });

  test("the visit list prints on A4 without the navigation, headers repeated, one list per page", async () => {
    const css = await (await fetch(`${suite.server.url}/static/app.css`)).text();
    assert.match(css, /@media print/);
    assert.match(css, /size: A4/);
    assert.match(css, /display: table-header-group/);
    assert.match(css, /\.visit-list \+ \.visit-list \{\s*break-before: page;/);

    const page = await signIn({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${suite.server.url}/villages/${v1.id}/visit-next?print=1`);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("nav.site-nav").isVisible(), false);
    assert.equal(await page.locator("header.site-header").isVisible(), false);
    assert.equal(await page.locator(".print-header h1").isVisible(), true);
    assert.match((await page.locator(".print-header").textContent()) ?? "", /Ngày \d\d\/\d\d\/\d{4}/);
    const pdf = await page.pdf({ path: `${SHOTS}/visit-next.pdf`, format: "A4" });
    assert.equal(pdf.subarray(0, 4).toString(), "%PDF");
    await page.close();
  });
});
