import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { households } from "../../src/db/schema.ts";
import { SHOTS, signIn, useBrowserSuite } from "../helpers/browser.ts";
import { buildResident, buildUser, buildVillage, TEST_PASSWORD, type Village } from "../helpers/factories.ts";

/**
 * A village's printed "who to visit next" list fits about 40 rows to an A4 page: the priority tags
 * (elderly, disabled, poor) sit on one line, not one per line (issue 17 point 4).
 */
let village: Village;
const ROWS = 120;
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Minh"];
const GIVEN = ["Khánh", "Dũng", "Hường", "Nguyệt", "Thắng", "Phượng", "Quyết", "Trường"];

const suite = useBrowserSuite(async (db, commune) => {
  village = await buildVillage(db, { commune, code: "T01", name: "Thôn Đông Hòa" });
  // ROWS households, each with one elderly, disabled resident without basic skills in a poor
  // household — three priority tags on every row of the adults' list; all have VNeID (that list is empty).
  const hh = await db
    .insert(households)
    .values(
      Array.from({ length: ROWS }, (_, i) => ({
        communeId: commune.id,
        villageId: village.id,
        code: `T01-${String(i + 1).padStart(4, "0")}`,
        headName: `${FAMILY[i % 8]} ${MIDDLE[i % 5]} ${GIVEN[(i * 3) % 8]}`,
        address: `Xóm ${1 + (i % 6)}, thôn Đông Hòa`,
        poor: true,
      })),
    )
    .returning();
  for (const [i, h] of hh.entries()) {
    await buildResident(db, {
      household: h,
      fullName: `${FAMILY[i % 8]} ${MIDDLE[i % 5]} ${GIVEN[(i * 3) % 8]}`,
      birthDate: `19${40 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`,
      gender: i % 2 ? "female" : "male",
      phone: `09123${String(i).padStart(5, "0")}`,
      disabled: true,
      vneidLevel: 2,
    });
  }
  await buildUser(db, { role: "coordinator", commune, username: "dieuphoi" });
});

test(`the printed visit list of ${ROWS} households takes about ${ROWS / 40} A4 pages a list`, async () => {
  // A4's printable width at 96 dpi (210 mm less the 10 mm margins): the layout the PDF gets.
  const page = await suite.browser.newPage({ viewport: { width: 718, height: 1000 } });
  await signIn(page, suite.server.url, "dieuphoi", TEST_PASSWORD);
  await page.goto(`${suite.server.url}/villages/${village.id}/visit-next?print=1`);
  await page.emulateMedia({ media: "print" });
  // The three tags of a row share one line.
  const tops = await page
    .locator("section[aria-labelledby=adults-caption] tbody tr:first-child .tag--priority")
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(tops.length, 3);
  assert.equal(new Set(tops).size, 1, `tags on one line: ${tops.join(", ")}`);
  const file = `${SHOTS}/visit-next-${ROWS}.pdf`;
  await page.pdf({ path: file, format: "A4" });
  await page.close();
  const info = (await promisify(execFile)("pdfinfo", [file])).stdout;
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  // Adults (ROWS rows), the empty VNeID list, households (ROWS rows): each list starts a page.
  const expected = 1 + 2 * Math.ceil(ROWS / 40);
  assert.ok(pages <= expected, `${pages} A4 pages for ${ROWS} + ${ROWS} rows (at most ${expected})`);
});

test("at 360 px the drill-down's print and download links and its page numbers fit the screen", async () => {
  const page = await suite.browser.newPage({ viewport: { width: 360, height: 740 } });
  await signIn(page, suite.server.url, "dieuphoi", TEST_PASSWORD);
  await page.goto(`${suite.server.url}/indicators/adult_skills?village=T01&page=2`);
  assert.equal(await page.getByRole("link", { name: "Tải về Excel (.xlsx)" }).isVisible(), true);
  assert.equal(await page.getByRole("link", { name: "Trang 3" }).isVisible(), true);
  const width = Number(await page.evaluate("document.documentElement.scrollWidth"));
  assert.ok(width <= 360, `page is ${width}px wide`);
  await page.locator(".list-actions").screenshot({ path: `${SHOTS}/drill-actions-360.png` });
  await page.locator("nav.pagination").screenshot({ path: `${SHOTS}/drill-pagination-360.png` });
  await page.screenshot({ path: `${SHOTS}/drill-360.png` });
  await page.getByRole("link", { name: "In danh sách" }).click();
  assert.equal(await page.locator("table tbody tr").count(), ROWS);
  await page.close();
});
