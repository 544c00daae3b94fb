/**
 * The province's map page in Chromium, without JavaScript, at 360 px and 1366 px: the map is drawn
 * (inline SVG, scaled to the screen), nothing scrolls sideways but the table in its own region, the
 * figures are repeated in a table and a commune's row opens its dashboard. Screenshots: test-results/province-map-360.png, province-map-1366.png.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Db } from "../../src/db/client.ts";
import { SHOTS, signIn as signInTo, useBrowserSuite } from "../helpers/browser.ts";
import {
  buildCertification,
  buildCommune,
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  type Commune,
  TEST_PASSWORD,
} from "../helpers/factories.ts";

const W = "date=2026-06-15&period=2026&indicator=adult_skills";
let username: string;

/** Real communes of Thanh Hóa (codes of the shipped map), `share` of `n` adults certified. */
async function commune(db: Db, code: string, name: string, n: number, skilled: number): Promise<Commune> {
  const c = await buildCommune(db, { code, name });
  if (n === 0) return c;
  const household = await buildHousehold(db, { village: await buildVillage(db, { commune: c }) });
  for (let i = 0; i < n; i++) {
    const r = await buildResident(db, { household, birthDate: "1980-05-05" });
    if (i < skilled) await buildCertification(db, { resident: r, date: "2026-03-03", source: "course" });
  }
  return c;
}

const suite = useBrowserSuite(async (db, home) => {
  await commune(db, "14758", "Phường Hàm Rồng", 5, 5);
  await commune(db, "14797", "Phường Hạc Thành", 5, 4);
  await commune(db, "14812", "Phường Bỉm Sơn", 4, 1);
  await commune(db, "14818", "Phường Quang Trung", 0, 0);
  const u = await buildUser(db, { role: "province", commune: home });
  username = u.user.username;
});

const signIn = (page: Page) => signInTo(page, suite.server.url, username, TEST_PASSWORD);

describe("the province's map in a real browser, without JavaScript", () => {
  for (const width of [360, 1366]) {
    test(`at ${width} px: the map fits, its figures are a table, a row opens the commune`, async () => {
      const context = await suite.browser.newContext({
        viewport: { width, height: 900 },
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      await signIn(page);
      await page.goto(`${suite.server.url}/province/map?${W}`);
      assert.match((await page.locator("h1").textContent()) ?? "", /Bản đồ toàn tỉnh/);
      const map = page.locator(".province-map__svg svg");
      const box = await map.boundingBox();
      assert.ok(box && box.width > 200 && box.width <= width, `map ${box?.width} px wide`);
      assert.ok(box && box.height > 150, "the map has its height");
      assert.equal(
        await page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
        true,
        "nothing scrolls sideways",
      );
      const rows = page.locator("table.province-table tbody tr");
      assert.equal(await rows.count(), 5);
      assert.match((await rows.first().textContent()) ?? "", /Hàm Rồng.*100,0/);
      assert.match((await page.locator('tr[data-commune="14818"]').textContent()) ?? "", /Chưa có số liệu/);
      assert.match((await page.locator(".province-map__attribution").textContent()) ?? "", /Thang Le Quoc/);
      await page.screenshot({ path: `${SHOTS}/province-map-${width}.png`, fullPage: true });
      await page.locator('tr[data-commune="14797"] a').click();
      await page.waitForURL(/\/province\/communes\/14797/);
      assert.match((await page.locator("h1").textContent()) ?? "", /Phường Hạc Thành/);
      assert.equal(await page.locator("li.ind-card").count(), 12);
      await context.close();
    });
  }
});
