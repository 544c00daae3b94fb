/**
 * `npm test`: every *.test.ts under src/ and test/, on the embedded database (PGlite), or on the
 * PostgreSQL server of TEST_DATABASE_URL when set. Browser tests (test/browser) run when Chromium
 * is there; under CI=true a missing Chromium is an error, not a skip.
 *
 *   --no-browser     leave the browser tests out
 *   --only-browser   only the browser tests
 *   --date-sensitive every test but those that cannot depend on the date (below): what CI runs
 *                    again under libfaketime at the year's awkward instants (see .ci/run)
 *   --runtime        the tests that put the code on another Node.js (CI's Node 24 run): every test
 *                    under src/ (the modules and features, in-process, the PGlite worker, the
 *                    importers' caps) and the compiled CLI (RUNTIME_EXTRA, below)
 *   FILE...          only these files
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { now } from "../src/lib/clock.ts";
import { chromiumPath } from "../test/helpers/browser.ts";
import { pgliteTemplatePath } from "../test/helpers/db.ts";

const args = process.argv.slice(2);
const noBrowser = args.includes("--no-browser");
const onlyBrowser = args.includes("--only-browser");
const dateSensitive = args.includes("--date-sensitive");
const runtime = args.includes("--runtime");
const explicit = args.filter((a) => !a.startsWith("--"));

/**
 * Of test/, in the `--runtime` run: the shipped JavaScript started as `bdhvs` (its build, its lazy
 * loading, the commands end to end). The rest of test/ drives the same code through more roles,
 * processes and commands; it runs on Node.js 20 on both databases.
 */
const RUNTIME_EXTRA = new Set(["test/cli-build.test.ts", "test/cli.test.ts"]);

/**
 * Left out of the runs under libfaketime: slow tests that read no date (process kills, the data
 * folder lock, help texts, a 200,000-row stream, the source scan, the importers' caps and fuzzing,
 * backup and restore of whole installations), and tests that set their own day on the clock (the
 * fake time changes nothing for them). A new test file is in the runs.
 */
const NOT_DATE_SENSITIVE = new Set([
  "src/lib/tabular/tabular.test.ts",
  "src/lib/tabular/damaged-part.test.ts",
  "src/features/imports/fuzz.test.ts",
  "src/features/imports/limits.test.ts",
  "src/features/backup/backup.test.ts",
  "src/features/privacy/erase.test.ts",
  "src/features/assessments/assessments.test.ts",
  "src/features/incidents/incidents.test.ts",
  "src/features/reports/reports.test.ts",
  "test/authorization.test.ts",
  "test/openapi-client.test.ts",
  "test/scope-roles.test.ts",
  "test/clock-rule.test.ts",
  "test/cli.test.ts",
  "test/cli-build.test.ts",
  "test/cli-backup.test.ts",
  "test/cli-export.test.ts",
  "test/cli-privacy.test.ts",
  "test/cli-import-limits.test.ts",
  "test/import-kill.test.ts",
  // Wave 2, second half: tests that set their own day, content only, PostgreSQL processes and replicas.
  "src/features/emulation/emulation.test.ts",
  "src/features/plans/next-year.test.ts",
  "src/features/province/province.test.ts",
  "src/features/public/english.test.ts",
  "src/features/reports/return.test.ts",
  "src/features/tasks/tasks.test.ts",
  "test/browser/emulation.test.ts",
  "test/browser/tasks.test.ts",
  "test/cli-communes.test.ts",
  "test/communes-scope.test.ts",
  "test/processes.test.ts",
  "test/replica.test.ts",
  // Layout, hostile files and bulk demo data: no date in what they check (the dates of imports and
  // of the demo are checked by their own tests, which stay in the runs).
  "src/features/demo/province.test.ts",
  "src/features/markets/import.test.ts",
  "test/browser/import.test.ts",
  "test/browser/market.test.ts",
  "test/browser/phone-staff.test.ts",
  "test/browser/province.test.ts",
  "test/browser/visit-print.test.ts",
  // Every public page's accessibility and layout (88 s a run); the schedule's dates are checked by
  // src/features/public/public.test.ts, which stays. The CLI's default period: emulation.test.ts.
  "test/browser/public.test.ts",
  "test/cli-emulation.test.ts",
  // Explicit dates, years and periods, or their own clock; the data folder's lock; accounts while
  // the server runs (sign-in's dates are checked by the auth tests, which stay).
  "src/db/pglite-proxy.test.ts",
  "src/features/province/report.test.ts",
  "test/cli-plan.test.ts",
  "test/cli-province-report.test.ts",
  "test/cli-user-server.test.ts",
]);

function find(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".test.ts") && !f.includes("node_modules"))
    .map((f) => path.join(dir, f))
    .sort();
}

const all = explicit.length > 0 ? explicit : [...find("src"), ...find("test")];
const isBrowser = (f: string) => f.split(path.sep).includes("browser");
/** A file's path as the lists above spell it, on any system. */
const listed = (f: string) => f.split(path.sep).join("/");
let files = all
  .filter((f) => (onlyBrowser ? isBrowser(f) : !noBrowser || !isBrowser(f)))
  .filter((f) => !dateSensitive || !NOT_DATE_SENSITIVE.has(listed(f)))
  .filter((f) => !runtime || listed(f).startsWith("src/") || RUNTIME_EXTRA.has(listed(f)));

if (files.some(isBrowser) && !chromiumPath()) {
  if (process.env.CI === "true") {
    console.error("Chromium was not found (CHROMIUM_PATH or /usr/bin/chromium): browser tests cannot run.");
    process.exit(1);
  }
  console.warn("Chromium not found: browser tests skipped (apt-get install chromium fonts-liberation2).");
  files = files.filter((f) => !isBrowser(f));
}

const dbLabel = process.env.TEST_DATABASE_URL ? "PostgreSQL (TEST_DATABASE_URL)" : "PGlite (in memory)";
const tz = process.env.TZ || "UTC";
const at = process.env.FAKETIME ? `, under libfaketime at ${now().toISOString()}` : "";
console.log(`Running ${files.length} test files on ${dbLabel}, Node.js ${process.version}, TZ=${tz}${at}`);

// Built once here, so the test processes do not race to build it.
if (!process.env.TEST_DATABASE_URL) await pgliteTemplatePath();

// --expose-gc: the memory tests (test/helpers/hostile.ts peakRssGrowthMb) collect before they
// measure, so a bound reads what the work itself grew, not the garbage of the test before it.
// TEST_FILE_TIMES=FILE: also writes each file's time there, slowest first (scripts/file-times.mjs).
const timesTo = process.env.TEST_FILE_TIMES;
const reporters = timesTo
  ? [
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=./scripts/file-times.mjs",
      `--test-reporter-destination=${timesTo}`,
    ]
  : ["--test-reporter=spec"];
const child = spawn(
  process.execPath,
  ["--expose-gc", "--import", "tsx", "--test", ...reporters, "--test-concurrency=2", ...files],
  { stdio: "inherit", env: { ...process.env, TZ: tz } },
);
child.on("exit", (code, signal) => {
  process.exit(signal ? 1 : (code ?? 1));
});
