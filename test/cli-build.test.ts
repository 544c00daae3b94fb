/**
 * The compiled `bdhvs` (issue 14 point 4): bin/bdhvs.js runs dist/server when it was built from the
 * sources as they are, and says how to build (running the sources through tsx) when it is missing
 * or stale; `--help` and `indicators --json` load only what they use.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { runBdhvs } from "./helpers/cli.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const dirs: string[] = [];
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-build-"));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const STALE_VI = "Bản biên dịch trong dist/server chưa có hoặc cũ hơn mã nguồn — hãy chạy `npm run build`.";
const STALE_EN =
  "The compiled output in dist/server is missing or older than the sources — run `npm run build`.";

/**
 * Another installation sharing this one's sources and packages (symlinks), with a copy of
 * bin/bdhvs.js and the given dist/server: the real one, one whose record no longer matches, or none.
 */
function installation(dist: "built" | "stale" | "missing"): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, "bin"));
  fs.copyFileSync(path.join(ROOT, "bin/bdhvs.js"), path.join(root, "bin/bdhvs.js"));
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(root, "package.json"));
  for (const d of ["src", "node_modules", "drizzle", "plans", "content"])
    fs.symlinkSync(path.join(ROOT, d), path.join(root, d));
  if (dist === "missing") return root;
  fs.mkdirSync(path.join(root, "dist"));
  if (dist === "built") {
    fs.symlinkSync(path.join(ROOT, "dist/server"), path.join(root, "dist/server"));
    return root;
  }
  fs.mkdirSync(path.join(root, "dist/server"));
  const record = JSON.parse(fs.readFileSync(path.join(ROOT, "dist/server/build.json"), "utf8"));
  record.sources[0].mtimeMs -= 1000; // as if the source was edited after the build
  fs.writeFileSync(path.join(root, "dist/server/build.json"), JSON.stringify(record));
  return root;
}

/** node options that write every module the process resolves into `log`, one URL a line. */
function logImports(log: string): string[] {
  const hooks = `import fs from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(${JSON.stringify(log)}, r.url + "\\n");
  return r;
}`;
  const register = `import { register } from "node:module";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return ["--import", `data:text/javascript,${encodeURIComponent(register)}`];
}

const packagesIn = (log: string) =>
  new Set(
    [...fs.readFileSync(log, "utf8").matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]),
  );

describe("the compiled bdhvs", () => {
  test("runs dist/server when it matches the sources: no warning, the same help", async () => {
    assert.ok(fs.existsSync(path.join(ROOT, "dist/server/build.json")), "npm test builds dist/server first");
    const log = path.join(tempDir(), "imports.log");
    const r = await runBdhvs(
      ["--help"],
      {},
      { bin: path.join(installation("built"), "bin/bdhvs.js"), nodeArgs: logImports(log) },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /bdhvs <command> --help/);
    const urls = fs.readFileSync(log, "utf8");
    assert.match(urls, /dist\/server\/bin\.js/);
    assert.doesNotMatch(urls, /\/src\/cli\/main\.ts/, "the sources are not run");
    assert.doesNotMatch(urls, /tsx/);
  });

  for (const dist of ["stale", "missing"] as const) {
    test(`with the build ${dist}: says how to build, in the user's language, then runs the sources`, async () => {
      const bin = path.join(installation(dist), "bin/bdhvs.js");
      const vi = await runBdhvs(["--help"], {}, { bin });
      assert.equal(vi.code, 0, vi.stderr);
      assert.ok(vi.stderr.includes(STALE_VI), vi.stderr);
      assert.match(vi.stdout, /bdhvs <command> --help/);
      const en = await runBdhvs(["migrate", "--help", "--lang", "en"], {}, { bin });
      assert.equal(en.code, 0, en.stderr);
      assert.ok(en.stderr.includes(STALE_EN), en.stderr);
    });
  }

  test("--help loads no database, web or validation package", async () => {
    const log = path.join(tempDir(), "imports.log");
    const r = await runBdhvs(["--help", "--lang", "en"], {}, { nodeArgs: logImports(log) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...packagesIn(log)], []);
  });

  test("indicators --json opens the database and answers without the web app or the spreadsheet writer", async () => {
    const log = path.join(tempDir(), "imports.log");
    const dataDir = tempDir();
    const r = await runBdhvs(
      ["indicators", "--json", "--date", "2026-06-15", "--data-dir", dataDir],
      {},
      {
        nodeArgs: logImports(log),
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const table = JSON.parse(r.stdout);
    assert.equal(table.date, "2026-06-15");
    assert.equal(table.indicators.length, 12);
    const loaded = packagesIn(log);
    assert.ok(loaded.has("@electric-sql/pglite"));
    for (const heavy of ["exceljs", "hono", "echarts", "pdfmake", "docx", "@resvg/resvg-js"])
      assert.ok(!loaded.has(heavy), `${heavy} is not loaded`);
  });
});
