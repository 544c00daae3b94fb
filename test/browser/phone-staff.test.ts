import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserContextOptions, Locator } from "playwright-core";
import { villages } from "../../src/db/schema.ts";
import { cliActor } from "../../src/features/audit/service.ts";
import { createDemoCommune } from "../../src/features/demo/service.ts";
import { seriousAxeViolations } from "../helpers/axe.ts";
import { PHONE, pageWidth, SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import { buildUser, TEST_PASSWORD } from "../helpers/factories.ts";

/**
 * The staff pages on a 360 × 740 phone, without JavaScript: the main navigation folded into a menu
 * (details/summary) so the page's own heading is on the first screen, list tables as stacked rows
 * (no sideways scrolling), the dashboard's chart drawn for the phone's width; axe-core on each.
 * Screenshots go to test-results/ (SHOT_LABEL names them, "after" by default).
 */
let villageId: number;
const label = process.env.SHOT_LABEL ?? "after";

/** Every list page of a coordinator, with a table. */
const LIST_PAGES = [
  "/villages",
  "/households",
  "/residents",
  "/units",
  "/teams",
  "/visits",
  "/activities",
  "/certifications",
  "/incidents",
  "/admin/users",
  "/admin/audit",
];

const suite = useBrowserSuite(async (db, commune) => {
  await createDemoCommune({
    db,
    communeId: commune.id,
    actor: cliActor(commune.id),
    residents: 300,
    today: "2026-06-15",
  });
  const [v] = await db.select({ id: villages.id }).from(villages).limit(1);
  villageId = v!.id;
  await buildUser(db, { role: "admin", commune, username: "quantri", displayName: "Quản Trị" });
});

const signIn = (options: BrowserContextOptions) => signedInPage(suite, "quantri", TEST_PASSWORD, options);

const shotName = (path: string) => path.replace(/[/?=&]+/g, "-").replace(/^-|-$/g, "") || "home";

/** A computed style of the element (or of its pseudo-element). */
const styleOf = (loc: Locator, prop: string, pseudo?: string) =>
  loc.evaluate(
    // biome-ignore lint/suspicious/noExplicitAny: the page's window (no DOM types in this project)
    (el, [p, ps]) => (globalThis as any).getComputedStyle(el, ps ?? null)[p as string] as string,
    [prop, pseudo] as const,
  );

describe("staff pages on a 360 × 740 phone without JavaScript", () => {
  test("the navigation is one menu button: the heading is on the first screen, the menu opens and leads on", async () => {
    const page = await signIn({ viewport: PHONE, javaScriptEnabled: false });
    await page.goto(`${suite.server.url}/households`);
    await page.screenshot({ path: `${SHOTS}/phone-menu-closed-${label}.png` });
    const h1 = await page.locator("main h1").boundingBox();
    assert.ok(h1 && h1.y + h1.height <= PHONE.height / 2, `the heading is at ${h1?.y}px`);
    const toggle = page.locator("nav.site-nav summary");
    assert.equal(await toggle.isVisible(), true);
    const box = await toggle.boundingBox();
    assert.ok(box && box.height >= 44 && box.width >= 44, "the menu button is a large target");
    const residents = page.locator("nav.site-nav").getByRole("link", { name: "Cư dân", exact: true });
    assert.equal(await residents.isVisible(), false, "the links are folded away");
    await toggle.click();
    await page.screenshot({ path: `${SHOTS}/phone-menu-open-${label}.png` });
    assert.equal(await residents.isVisible(), true);
    await residents.click();
    await page.waitForURL(`${suite.server.url}/residents`);
    assert.equal(await page.locator("main h1").textContent(), "Cư dân");
    // The keyboard: Tab reaches the menu button, Enter opens it, the focus is visible.
    await page.goto(`${suite.server.url}/households`);
    await page.locator("nav.site-nav summary").focus();
    const outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle");
    assert.equal(outline, "solid");
    await page.keyboard.press("Enter");
    assert.equal(await residents.isVisible(), true);
    await page.context().close();
  });

  test("list pages do not scroll sideways: their tables are stacked rows with each cell's heading", async () => {
    const page = await signIn({ viewport: PHONE, javaScriptEnabled: false });
    for (const path of LIST_PAGES) {
      await page.goto(`${suite.server.url}${path}`);
      await page.screenshot({ path: `${SHOTS}/phone-${shotName(path)}-${label}.png`, fullPage: true });
      assert.ok((await pageWidth(page)) <= PHONE.width, `${path} is ${await pageWidth(page)}px wide`);
      const table = page.locator("main table.table").first();
      if ((await table.count()) === 0) continue;
      const rows = table.locator("tbody tr");
      if ((await rows.count()) === 0) continue;
      assert.equal(await styleOf(rows.first(), "display"), "block", path);
      const cell = rows.first().locator("td[data-label]").first();
      assert.equal(await cell.count(), 1, `${path}: cells carry their column's heading`);
      const before = await styleOf(cell, "content", "::before");
      assert.ok(before && before !== "none" && before !== "normal", `${path}: the heading shows (${before})`);
      assert.ok((await cell.getAttribute("data-label"))?.length, path);
      const head = await table.locator("thead").boundingBox();
      assert.ok(!head || head.height <= 1, `${path}: the head row is folded away (read by screen readers)`);
    }
    await page.context().close();
  });

  test("the dashboard and who-to-visit-next: no sideways scroll, the chart drawn for the phone", async () => {
    const page = await signIn({ viewport: PHONE, javaScriptEnabled: false });
    for (const path of [
      "/indicators?date=2026-06-15&period=2026",
      `/villages/${villageId}/visit-next`,
      "/",
    ]) {
      await page.goto(`${suite.server.url}${path}`);
      await page.screenshot({ path: `${SHOTS}/phone-${shotName(path)}-${label}.png`, fullPage: true });
      assert.ok((await pageWidth(page)) <= PHONE.width, `${path} is ${await pageWidth(page)}px wide`);
    }
    await page.goto(`${suite.server.url}/indicators?date=2026-06-15&period=2026`);
    await page.locator(".village-chart").screenshot({ path: `${SHOTS}/phone-chart-${label}.png` });
    const chart = page.locator(".village-chart__svg svg:visible");
    assert.equal(await chart.count(), 1, "one chart shows");
    const { drawn, shown } = await chart.evaluate((el) => ({
      drawn: Number(el.getAttribute("width")),
      shown: el.getBoundingClientRect().width,
    }));
    // Drawn for the phone: its 12-px labels are shown at (nearly) 12 px, not shrunk to half.
    assert.ok(shown / drawn >= 0.9, `the chart is drawn ${drawn}px wide, shown ${shown}px`);
    await page.context().close();
  });

  test("no serious or critical accessibility violation (axe-core) on these pages at 360 px", async () => {
    // axe-core needs the page's timers, so this context runs scripts; the pages are the same HTML.
    const page = await signIn({ viewport: PHONE });
    const paths = [
      ...LIST_PAGES,
      "/indicators?date=2026-06-15&period=2026",
      `/villages/${villageId}/visit-next`,
    ];
    for (const path of [...paths, "/visits/new?q=nguyen"]) {
      await page.goto(`${suite.server.url}${path}`);
      for (const v of await seriousAxeViolations(page)) assert.fail(`${path}: ${v.id} ${v.help} ${v.nodes}`);
    }
    // With the menu open too.
    await page.goto(`${suite.server.url}/households`);
    await page.locator("nav.site-nav summary").click();
    for (const v of await seriousAxeViolations(page)) assert.fail(`menu open: ${v.id} ${v.help} ${v.nodes}`);
    await page.context().close();
  });
});
