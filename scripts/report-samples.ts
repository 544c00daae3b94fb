/**
 * Writes the fixture report (`src/features/reports/fixture.ts`) in the three formats, to look at
 * them, and prints each file's size and render time:
 *   npx tsx scripts/report-samples.ts [OUT_DIR=/tmp/reportdocs] [--lang en] [--repeat N]
 */
import fs from "node:fs";
import path from "node:path";
import { reportFixture } from "../src/features/reports/fixture.ts";
import { REPORT_EXTENSIONS, REPORT_FORMATS, renderReport } from "../src/features/reports/render.ts";

const args = process.argv.slice(2);
const lang = args.includes("--lang") && args[args.indexOf("--lang") + 1] === "en" ? "en" : "vi";
const repeat = args.includes("--repeat") ? Number(args[args.indexOf("--repeat") + 1]) : 1;
const out = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? "/tmp/reportdocs";
fs.mkdirSync(out, { recursive: true });

const model = reportFixture(lang);
for (const format of REPORT_FORMATS) {
  const times: number[] = [];
  let bytes: Buffer = Buffer.alloc(0);
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    bytes = await renderReport(model, format);
    times.push(performance.now() - t0);
  }
  const file = path.join(out, `report-${lang}${REPORT_EXTENSIONS[format]}`);
  fs.writeFileSync(file, bytes);
  const ms = times.map((t) => t.toFixed(0)).join(", ");
  console.log(`${format}: ${(bytes.length / 1024).toFixed(1)} KiB, ${ms} ms → ${file}`);
}
