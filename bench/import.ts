/**
 * Import benchmark (SPEC §5: "Large files stream: 200,000 rows import without loading the file
 * whole into memory"). Generates a commune whose residents file is an .xlsx of 200,000 rows
 * (`BENCH_RESIDENTS` overrides the size), then imports villages, units, households and residents
 * through the real CLI (`node bin/bdhvs.js import … --json`) as a child process, into a fresh PGlite
 * data folder and, when `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set, into a fresh database on
 * that PostgreSQL server (dropped afterwards). For the residents import, a second, idempotent
 * re-import of the same file, and a third after every resident on record was changed (so every
 * row updates one), it prints the wall time of the whole command, rows/s and the child's peak RSS
 * beside the targets; then the residents' certifications (~100,000 rows, CSV),
 * imported twice too, for what the triggers that keep the indicator facts cost on a bulk write.
 * The targets are printed, never asserted.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { generateCommune } from "./lib/generate.ts";
import { admin } from "./lib/postgres.ts";

const BIN = path.resolve(import.meta.dirname, "../bin/bdhvs.js");
const TIME = "/usr/bin/time";

const TARGET = { pgliteRowsPerSecond: 5_000, postgresRowsPerSecond: 10_000, peakRssMb: 400 };

type Measured = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  peakRssMb: number | undefined;
  /** User + system CPU seconds of the command (GNU time only): steadier than wall time on a busy machine. */
  cpuSeconds: number | undefined;
};

type ImportJson = {
  ok: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: unknown[];
};

/** The environment of a child: no database of the outer shell leaks in. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !["DATABASE_URL", "TEST_DATABASE_URL", "BENCH_DATABASE_URL", "DATA_DIR", "BDHVS_LANG"].includes(k)
    )
      e[k] = v;
  }
  return { ...e, LOG_LEVEL: "silent", ...extra };
}

/** Peak RSS from the /proc status of a running process (the fallback without GNU time). */
function readVmHwmKb(pid: number): number | undefined {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node bin/bdhvs.js ARGS` and measures its wall time (spawn to exit, as a user waits for it)
 * and peak RSS: GNU time's "Maximum resident set size" when /usr/bin/time is there, else VmHWM
 * polled from /proc every 50 ms (which may miss a peak in the last 50 ms).
 */
function measure(args: string[], env: Record<string, string>): Promise<Measured> {
  const useTime = fs.existsSync(TIME);
  const [cmd, argv] = useTime
    ? [TIME, ["-v", process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let hwmKb: number | undefined;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          const kb = child.pid === undefined ? undefined : readVmHwmKb(child.pid);
          if (kb !== undefined) hwmKb = Math.max(hwmKb ?? 0, kb);
        }, 50);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (poll) clearInterval(poll);
      let peakKb = hwmKb;
      let cpuSeconds: number | undefined;
      if (useTime) {
        const at = stderr.lastIndexOf("\tCommand being timed:");
        const report = at >= 0 ? stderr.slice(at) : "";
        const m = report.match(/Maximum resident set size \(kbytes\): (\d+)/);
        peakKb = m ? Number(m[1]) : undefined;
        const user = report.match(/User time \(seconds\): ([\d.]+)/);
        const system = report.match(/System time \(seconds\): ([\d.]+)/);
        if (user && system) cpuSeconds = Number(user[1]) + Number(system[1]);
        if (at >= 0) stderr = stderr.slice(0, at).replace(/Command exited with non-zero status \d+\n?$/, "");
      }
      resolve({
        code,
        signal,
        stdout,
        stderr,
        seconds,
        peakRssMb: peakKb === undefined ? undefined : peakKb / 1024,
        cpuSeconds,
      });
    });
  });
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const mb = (n: number | undefined) => (n === undefined ? "?" : `${int(n)} MB`);
const pad = (s: string, w: number) => s.padStart(w);

function header() {
  console.log(
    `  ${"step".padEnd(30)}${pad("rows", 9)}${pad("time", 10)}${pad("cpu", 9)}${pad("rows/s", 10)}${pad("peak RSS", 11)}  targets`,
  );
}

function line(step: string, rows: number | undefined, m: Measured, targets?: { rowsPerSecond: number }) {
  const rate = rows === undefined ? undefined : rows / m.seconds;
  let note = "";
  if (targets) {
    const rateOk = rate !== undefined && rate >= targets.rowsPerSecond;
    const rssOk = m.peakRssMb !== undefined && m.peakRssMb < TARGET.peakRssMb;
    note = `  ≥ ${int(targets.rowsPerSecond)} rows/s ${rateOk ? "met" : "MISSED"}; < ${TARGET.peakRssMb} MB ${rssOk ? "met" : "MISSED"}`;
  }
  console.log(
    `  ${step.padEnd(30)}${pad(rows === undefined ? "-" : int(rows), 9)}${pad(`${m.seconds.toFixed(1)} s`, 10)}${pad(m.cpuSeconds === undefined ? "?" : `${m.cpuSeconds.toFixed(1)} s`, 9)}${pad(rate === undefined ? "-" : int(rate), 10)}${pad(mb(m.peakRssMb), 11)}${note}`,
  );
}

/** Runs a command that must succeed; an import must also say ok. */
async function must(
  args: string[],
  env: Record<string, string>,
): Promise<{ m: Measured; json?: ImportJson }> {
  const m = await measure(args, env);
  if (m.code !== 0) {
    throw new Error(
      `bdhvs ${args.join(" ")} failed (exit ${m.code ?? m.signal}):\n${m.stderr.slice(-4000)}\n${m.stdout.slice(-2000)}`,
    );
  }
  if (!args.includes("--json")) return { m };
  const json = JSON.parse(m.stdout.trim().split("\n").at(-1) ?? "") as ImportJson;
  if (!json.ok) throw new Error(`bdhvs ${args.join(" ")} refused the file: ${m.stdout.slice(0, 2000)}`);
  return { m, json };
}

type Files = {
  villages: string;
  units: string;
  households: string;
  residents: string;
  certifications: string;
};

/** villages, units, households, then residents twice and their certifications twice; prints a table. */
async function importAll(opts: {
  files: Files;
  args: string[];
  env: Record<string, string>;
  rowsPerSecond: number;
  /** Runs SQL on the database between two commands. */
  exec: (query: string) => Promise<void>;
}) {
  const { files, args, env } = opts;
  const villages = await must(["import", "villages", files.villages, "--json", ...args], env);
  line("import villages", villages.json!.rows, villages.m);
  const units = await must(["import", "units", files.units, "--json", ...args], env);
  line("import units", units.json!.rows, units.m);
  const households = await must(["import", "households", files.households, "--json", ...args], env);
  line("import households", households.json!.rows, households.m);

  const first = await must(["import", "residents", files.residents, "--json", ...args], env);
  line("import residents (xlsx)", first.json!.rows, first.m, { rowsPerSecond: opts.rowsPerSecond });
  if (first.json!.inserted !== first.json!.rows) {
    console.log(`  ! expected every row inserted, got ${JSON.stringify(first.json)}`);
  }
  const again = await must(["import", "residents", files.residents, "--json", ...args], env);
  line("re-import residents (same)", again.json!.rows, again.m, { rowsPerSecond: opts.rowsPerSecond });
  if (again.json!.unchanged !== again.json!.rows) {
    console.log(
      `  ! the re-import was not idempotent: inserted ${again.json!.inserted}, updated ${again.json!.updated}, unchanged ${again.json!.unchanged}`,
    );
  }
  // A corrected file: every resident on record differs from its row (the file's VNeID levels win back).
  await opts.exec("update residents set vneid_level = (vneid_level + 1) % 3");
  const changed = await must(["import", "residents", files.residents, "--json", ...args], env);
  line("re-import residents (all changed)", changed.json!.rows, changed.m, {
    rowsPerSecond: opts.rowsPerSecond,
  });
  if (changed.json!.updated !== changed.json!.rows) {
    console.log(`  ! expected every row updated, got ${JSON.stringify(changed.json)}`);
  }
  // Certifications: what the indicator facts' triggers cost on a bulk write (no target of its own).
  const certs = await must(["import", "certifications", files.certifications, "--json", ...args], env);
  line("import certifications (csv)", certs.json!.rows, certs.m);
  const certsAgain = await must(["import", "certifications", files.certifications, "--json", ...args], env);
  line("re-import certifications", certsAgain.json!.rows, certsAgain.m);
  if (certsAgain.json!.unchanged !== certsAgain.json!.rows) {
    console.log(`  ! the certifications re-import was not idempotent: ${JSON.stringify(certsAgain.json)}`);
  }
}

async function benchPglite(dir: string, files: Files) {
  const dataDir = path.join(dir, "pglite");
  const args = ["--data-dir", dataDir];
  console.log(`\nPGlite (data folder ${dataDir})`);
  header();
  const create = await must(["migrate", ...args], {});
  line("migrate (new folder)", undefined, create.m);
  const exec = async (query: string) => {
    const database = await openDatabase({ dataDir });
    try {
      await database.db.execute(sql.raw(query));
    } finally {
      await database.close();
    }
  };
  await importAll({ files, args, env: {}, rowsPerSecond: TARGET.pgliteRowsPerSecond, exec });
  const baseline = await must(["migrate", ...args], {});
  line("migrate (baseline, no-op)", undefined, baseline.m);
  console.log(
    `  note: the no-op migrate is the floor of any command on PGlite (node + tsx + the PGlite wasm):\n` +
      `  ${mb(baseline.m.peakRssMb)}. An import's own footprint is its peak RSS minus that.`,
  );
}

async function benchPostgres(serverUrl: string, files: Files) {
  const name = `bdhvs_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const shown = new URL(url);
  if (shown.password) shown.password = "***";
  await admin(serverUrl, `create database ${name}`);
  try {
    console.log(`\nPostgreSQL (fresh database ${shown.toString()})`);
    header();
    const env = { DATABASE_URL: url.toString() };
    const create = await must(["migrate"], env);
    line("migrate (new database)", undefined, create.m);
    const exec = (query: string) => admin(url.toString(), query);
    await importAll({ files, args: [], env, rowsPerSecond: TARGET.postgresRowsPerSecond, exec });
  } finally {
    await admin(serverUrl, `drop database if exists ${name} with (force)`);
  }
}

export async function run(): Promise<void> {
  const residents = Number(process.env.BENCH_RESIDENTS || 200_000);
  if (!Number.isInteger(residents) || residents < 1)
    throw new Error("BENCH_RESIDENTS must be a positive integer");
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-import-"));
  try {
    console.log(
      `Targets: ≥ ${int(TARGET.postgresRowsPerSecond)} rows/s on PostgreSQL, ≥ ${int(TARGET.pgliteRowsPerSecond)} rows/s on PGlite, peak RSS < ${TARGET.peakRssMb} MB.`,
    );
    console.log(
      "Each time is the whole command as a user waits for it (start, open, migrate check, read, write, commit);\n" +
        "cpu is the command's own user + system time (not PostgreSQL's), a steadier figure on a busy machine.",
    );
    const started = performance.now();
    const generated = await generateCommune({ dir, residents, residentsFormat: "xlsx", extras: true });
    const files = {
      ...generated,
      units: generated.units!,
      certifications: generated.certifications!,
    };
    const seconds = (performance.now() - started) / 1000;
    const size = fs.statSync(files.residents).size / 1024 / 1024;
    console.log(
      `Generated ${int(residents)} residents as xlsx (${size.toFixed(1)} MB) plus villages, units, households and certifications CSVs in ${seconds.toFixed(1)} s.`,
    );

    await benchPglite(dir, files);
    if (serverUrl) await benchPostgres(serverUrl, files);
    else console.log("\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL).");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
