/**
 * The one-clock rule (CONVENTIONS 13): nothing but the clock module reads the real time. Every
 * TypeScript file of src/, test/, bench/ and scripts/ is parsed (the TypeScript compiler, not a
 * regular expression, so comments and strings do not count) and these are refused:
 *   - `new Date()` or `new Date` without arguments;
 *   - `Date.now` (called or passed as a function), and `Date()` called without `new` (a string of now);
 *   - `performance.timeOrigin` and `process.hrtime` give durations only and are allowed.
 * Allowed: src/lib/clock.ts, and a browser bundle's own clock module (src/client/<app>/clock.ts),
 * where the device's clock is the user's.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIRS = ["src", "test", "bench", "scripts"];
const ALLOWED = [/^src\/lib\/clock\.ts$/, /^src\/client\/[^/]+\/clock\.ts$/];

export type ClockViolation = { file: string; line: number; text: string };

/** Where a source text reads the real time outside the clock. */
export function clockViolations(file: string, source: string): ClockViolation[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: ClockViolation[] = [];
  const report = (node: ts.Node) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ file, line: line + 1, text: node.getText(sf) });
  };
  const isDate = (e: ts.Expression) =>
    ts.isIdentifier(e) ? e.text === "Date" : ts.isPropertyAccessExpression(e) && e.name.text === "Date";
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && isDate(node.expression) && (node.arguments?.length ?? 0) === 0) {
      report(node);
    } else if (ts.isCallExpression(node) && isDate(node.expression)) {
      report(node);
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === "now" && isDate(node.expression)) {
      report(node);
    } else if (
      ts.isElementAccessExpression(node) &&
      isDate(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === "now"
    ) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  for (const dir of DIRS) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs, { recursive: true }).map(String)) {
      if (f.split(path.sep).includes("node_modules")) continue;
      if (/\.(ts|tsx|mts)$/.test(f) && !f.endsWith(".d.ts"))
        out.push(path.join(dir, f).split(path.sep).join("/"));
    }
  }
  return out.sort();
}

describe("one clock", () => {
  test("the rule catches every way of reading the real time", () => {
    const caught = clockViolations(
      "example.ts",
      [
        "const a = new Date();",
        "const b = new Date;",
        "const c = Date.now();",
        "const d = [1].map(Date.now);",
        "const e = globalThis.Date.now();",
        'const f = Date["now"]();',
        "const g = new globalThis.Date();",
        "const h = Date();",
      ].join("\n"),
    );
    assert.deepEqual(
      caught.map((v) => v.line),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  test("the rule lets dates built from a value, comments and strings through", () => {
    const source = [
      'const a = new Date("2026-12-01T00:30:00+07:00");',
      "const b = new Date(a.getTime() + 1000);",
      "const c = Date.UTC(2026, 11, 1);",
      'const d = Date.parse("2026-12-01");',
      "// new Date() in a comment",
      'const e = "Date.now()";',
      "const f = { now: () => 1 }.now();",
    ].join("\n");
    assert.deepEqual(clockViolations("example.ts", source), []);
  });

  test("no file outside the clock module reads the real time", () => {
    const files = sourceFiles();
    assert.ok(files.includes("src/lib/clock.ts"), "the scan finds the source tree");
    assert.ok(files.length > 100, `only ${files.length} files scanned`);
    const violations = files
      .filter((f) => !ALLOWED.some((re) => re.test(f)))
      .flatMap((f) => clockViolations(f, fs.readFileSync(path.join(ROOT, f), "utf8")));
    assert.deepEqual(
      violations.map((v) => `${v.file}:${v.line}: ${v.text}`),
      [],
      "read the time from src/lib/clock.ts (now, nowMs, todayInVietnam) instead",
    );
  });
});
