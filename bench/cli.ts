/**
 * CLI start-up benchmark (issue 14 point 4, "a CLI that starts at once"): `npm run bench -- cli`.
 *
 * 1. A fresh data folder with a generated commune of 30,000 residents (`BENCH_CLI_RESIDENTS`), made
 *    by the demo through the import engine, analyzed, closed.
 * 2. Each command `BENCH_CLI_RUNS` (5) times as its own process, as a user types it: `node -e 0`
 *    (node's own start), `bdhvs --help`, `bdhvs indicators --json` on that commune (open the embedded
 *    database, check the migrations, compute the 12 indicators), `bdhvs plan show`; each through
 *    bin/bdhvs.js (the compiled dist/server, built by `npm run bench`'s prebench) and through tsx
 *    on the sources (what bin/bdhvs.js did before it ran a build).
 * Prints wall time min/median/max per command beside the targets (--help ≤ 0.3 s, indicators ≤ 1 s)
 * and the machine's load average: the figures are never asserted.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { ensureDefaultCommune } from "../src/features/communes/service.ts";
import { createDemoCommune } from "../src/features/demo/service.ts";
import { todayInVietnam } from "../src/lib/clock.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const TARGET = { helpMs: 300, indicatorsMs: 1000 };
const COMMUNE = { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" };

const ms = (n: number) => `${Math.round(n).toLocaleString("en-US")} ms`;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const medianOf = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

/** The environment of the commands: nothing of the outer shell picks another database. */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
  for (const k of ["DATABASE_URL", "DATA_DIR", "PORT", "BDHVS_LANG"]) delete e[k];
  return e;
}

/**
 * CPU time (user + system, ms) of this process's children that have been waited for, from
 * /proc/self/stat (Linux; `undefined` elsewhere). Unlike wall time, a busy machine barely changes it.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 a second on Linux).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Runs `node ARGS` `runs` times; wall and CPU times in ms. Refuses a failing run. */
function time(args: string[], runs: number): { wall: number[]; cpu: number[] } {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuBefore = childrenCpuMs();
    const t = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd: ROOT,
      env: env(),
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    times.push(performance.now() - t);
    const cpuAfter = childrenCpuMs();
    if (cpuBefore !== undefined && cpuAfter !== undefined) cpu.push(cpuAfter - cpuBefore);
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (r.stderr.includes("dist/server")) throw new Error(`bin/bdhvs.js did not run the build: ${r.stderr}`);
  }
  return { wall: times, cpu };
}

export async function run(): Promise<void> {
  const residents = Number(process.env.BENCH_CLI_RESIDENTS ?? 30_000);
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 5);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-cli-"));
  try {
    console.log(`\nA commune of ${residents.toLocaleString("en-US")} residents in ${dataDir} (PGlite)`);
    const t = performance.now();
    const database = await openDatabase({ dataDir });
    try {
      await database.migrate();
      const commune = await ensureDefaultCommune({ db: database.db, commune: COMMUNE });
      await createDemoCommune({
        db: database.db,
        communeId: commune.id,
        actor: cliActor(commune.id),
        residents,
        today: todayInVietnam(),
      });
      await database.db.execute(sql`analyze`);
    } finally {
      await database.close();
    }
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const bin = path.join(ROOT, "bin/bdhvs.js");
    const sources = ["--import", "tsx", path.join(ROOT, "src/cli/bin.ts")];
    const data = ["--data-dir", dataDir];
    const cases: { label: string; args: string[]; target?: number }[] = [
      { label: "node -e 0 (node's own start)", args: ["-e", "0"] },
      { label: "bdhvs --help", args: [bin, "--help"], target: TARGET.helpMs },
      { label: "bdhvs --help, sources through tsx", args: [...sources, "--help"] },
      {
        label: "bdhvs indicators --json",
        args: [bin, "indicators", "--json", ...data],
        target: TARGET.indicatorsMs,
      },
      {
        label: "bdhvs indicators --json, sources through tsx",
        args: [...sources, "indicators", "--json", ...data],
      },
      { label: "bdhvs plan show", args: [bin, "plan", "show", ...data] },
    ];
    console.log(`\n${runs} runs each (wall time of the whole process; load average ${load()})`);
    console.log(
      `  ${"command".padEnd(48)} ${"min".padStart(8)} ${"median".padStart(8)} ${"max".padStart(8)} ${"− node".padStart(8)} ${"CPU".padStart(8)}`,
    );
    // "− node": the median less node's own start; CPU: the median CPU time (user + system) of the
    // process — both what a loaded machine inflates least.
    let nodeMedian = 0;
    for (const c of cases) {
      const { wall: times, cpu } = time(c.args, runs);
      if (c.args[0] === "-e") nodeMedian = medianOf(times);
      const verdict = (v: number, goal: number) => (v <= goal ? "met" : "NOT met");
      const target = c.target
        ? `  target ≤ ${ms(c.target)}: wall ${verdict(medianOf(times), c.target)}${cpu.length ? `, CPU ${verdict(medianOf(cpu), c.target)}` : ""}`
        : "";
      console.log(
        `  ${c.label.padEnd(48)} ${ms(Math.min(...times)).padStart(8)} ${ms(medianOf(times)).padStart(8)} ${ms(Math.max(...times)).padStart(8)} ${ms(medianOf(times) - nodeMedian).padStart(8)} ${(cpu.length ? ms(medianOf(cpu)) : "—").padStart(8)}${target}`,
      );
    }
    console.log(`  (load average after: ${load()})`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
