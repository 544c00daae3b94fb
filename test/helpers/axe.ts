import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG 2.2 A and AA rules of axe-core. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export type Violation = { id: string; impact: string; help: string; nodes: string[] };

/**
 * axe-core on the page with the rules of `tags`: each violation with the first three elements it
 * names. The source goes in through the DevTools protocol, which the CSP does not bind.
 */
export async function axeViolations(page: Page, tags: string[] = WCAG_TAGS): Promise<Violation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (values) => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's globals (axe is the script just evaluated)
    const w = globalThis as any;
    const r = await w.axe.run(w.document, { runOnly: { type: "tag", values } });
    return r.violations.map(
      (v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      }),
    );
  }, tags);
}

/** The serious and critical ones of `axeViolations`. */
export async function seriousAxeViolations(page: Page, tags: string[] = WCAG_TAGS): Promise<Violation[]> {
  return (await axeViolations(page, tags)).filter((v) => v.impact === "serious" || v.impact === "critical");
}
