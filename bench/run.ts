/**
 * `npm run bench`: every benchmark; `npm run bench -- NAME...`: only those.
 * A benchmark is a module `bench/NAME.ts` exporting `async function run(): Promise<void>` that
 * prints its own figures. Benchmarks are not tests: they report, they never assert a target.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const benchDir = import.meta.dirname;

/** The benchmark names: the .ts files directly in bench/ (not bench/lib), but this runner. */
function listBenchmarks(): string[] {
  return fs
    .readdirSync(benchDir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && e.name !== "run.ts")
    .map((e) => e.name.slice(0, -".ts".length))
    .sort();
}

const available = listBenchmarks();
const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = asked.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(", ")}. Available: ${available.join(", ")}.`);
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : available;

let failed = 0;
for (const name of chosen) {
  const title = `bench: ${name}`;
  console.log(`\n${"=".repeat(78)}\n${title}\n${"=".repeat(78)}`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as {
      run?: () => Promise<void>;
    };
    if (typeof mod.run !== "function") throw new Error(`bench/${name}.ts exports no run() function`);
    await mod.run();
    console.log(`\n${title} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed++;
    console.error(`\n${title} FAILED: ${(err as Error)?.stack ?? String(err)}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
