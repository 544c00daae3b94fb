/** What the HTTP benchmarks share: the server as its own process, its figures, percentiles, admin SQL. */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { addDays } from "../../src/features/indicators/period.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...rest } = env;
  return rest;
}

/**
 * The server as its own process (on a free port unless `port` is given); resolves with its base URL
 * once it listens. Its standard error is read until then, and only drained after (a long run's
 * request log kept whole, and searched again at each chunk, cost the bench seconds of CPU).
 */
export async function startServerProcess(env: Record<string, string>, port = 0) {
  // The server as `npm start` runs it: the compiled build (`npm run bench` builds it first), which
  // runs the sources through tsx itself when they changed since. BENCH_SOURCES=1: the sources.
  const fromSources = process.env.BENCH_SOURCES === "1";
  const args = fromSources ? ["--import", "tsx"] : [];
  const profDir = process.env.BENCH_CPU_PROF;
  if (profDir) args.push("--cpu-prof", "--cpu-prof-dir", path.resolve(profDir));
  args.push(
    path.join(ROOT, fromSources ? "src/cli/bin.ts" : "bin/bdhvs.js"),
    "serve",
    "--port",
    String(port),
  );
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...withoutDatabaseUrl(process.env), HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const read = (b: Buffer) => {
      stderr += b.toString();
      const m = /(http:\/\/[\w.:[\]-]+)/.exec(stderr);
      if (!m) return;
      child.stderr!.off("data", read);
      child.stderr!.resume();
      resolve(m[1]!.replace("localhost", "127.0.0.1"));
    };
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

/** Peak RSS (VmHWM) and CPU seconds of a process, from /proc (Linux). */
export function processFigures(pid: number): { peakRssMb: number; cpuSeconds: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { peakRssMb: hwm, cpuSeconds: ticks / 100 };
}

export async function stopServerProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * A mix's "save a visit": the visit form posted by a signed-in member, dated `daysAgo` days before
 * today (by default a day at random in the last 20).
 */
export function visitPost(
  s: { csrf: string; cookie: string },
  visit: { household: string; member: string; today: string; daysAgo?: number },
) {
  const body = new URLSearchParams({
    _csrf: s.csrf,
    household: visit.household,
    date: addDays(visit.today, -(visit.daysAgo ?? Math.floor(Math.random() * 20))),
    member: visit.member,
    support: "vneid_install",
    note: "bench",
  }).toString();
  return {
    method: "POST" as const,
    path: "/visits",
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
  };
}
