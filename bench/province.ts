/**
 * Province benchmark (issue 18, "Done when": the ranking page and the map page p50/p95 at 20
 * concurrent province users, target ≤ 500 ms p95, on 170 communes / 3.5 M residents):
 * `npm run bench -- province`.
 *
 * On PostgreSQL only (`BENCH_DATABASE_URL`, or `DATABASE_URL`): a fresh database (dropped at the end;
 * `BENCH_KEEP_DB=1` keeps it) holding a generated province (bench/lib/province.ts: set-based SQL,
 * nothing row by row) of `BENCH_PROVINCE_COMMUNES` communes and `BENCH_PROVINCE_RESIDENTS`
 * residents — small by default (20 × 100,000) for a quick run; the full size is
 * `BENCH_PROVINCE_COMMUNES=170 BENCH_PROVINCE_RESIDENTS=3500000`. The first 166 communes take the
 * real codes and names of Thanh Hóa's communes (maps/), so the map colours real shapes.
 * `BENCH_PROVINCE_USERS` (20) province accounts, signed in; the server runs as its own process
 * (`bdhvs serve`, 127.0.0.1). Then, for the ranking page and the map page in turn: the first
 * request (computed: the cache is empty), one alone (from memory), then autocannon with one
 * connection per user for `BENCH_PROVINCE_SECONDS` (15) — each request a random indicator, so
 * the drawing varies; and again right after a write (every commune's figures computed anew while
 * the users keep asking). Prints p50/p95/p99 and errors; figures are never asserted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { type Db, openDatabase } from "../src/db/client.ts";
import { users } from "../src/db/schema.ts";
import { hashPassword } from "../src/features/auth/password.ts";
import { login } from "../src/features/auth/service.ts";
import { currentPlan } from "../src/features/indicators/plan.ts";
import { todayInVietnam } from "../src/lib/clock.ts";
import { admin, freshDatabase } from "./lib/postgres.ts";
import { generateProvince } from "./lib/province.ts";
import { percentile, processFigures, startServerProcess, stopServerProcess } from "./lib/server.ts";

const TARGET_P95 = 500;
const PASSWORD = "bench-province-password-1";
const ROOT = path.resolve(import.meta.dirname, "..");

export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** The real communes of the map (code, full name), in the file's order. */
function realCommunes(): { code: string; name: string }[] {
  const lines = fs.readFileSync(path.join(ROOT, "maps/thanh-hoa-communes.csv"), "utf8").trim().split("\n");
  return lines.slice(1).map((l) => {
    const [code, , fullName] = l.split(",");
    return { code: code!, name: fullName! };
  });
}

/**
 * The generated province (bench/lib/province.ts), its first 166 communes given the real codes and
 * names of Thanh Hóa (the map colours real shapes), then VACUUM ANALYZE; prints what it made.
 */
export async function seedProvince(db: Db, opts: { communes: number; residents: number; today: string }) {
  const started = performance.now();
  const { communeIds, counts } = await generateProvince(db, opts);
  const real = realCommunes().slice(0, communeIds.length);
  await db.execute(sql`
    update communes c set code = r.code, name = r.name, province = 'Thanh Hóa'
    from unnest(${sql.param(communeIds.slice(0, real.length))}::integer[],
      ${sql.param(real.map((r) => r.code))}::text[], ${sql.param(real.map((r) => r.name))}::text[])
      as r(id, code, name)
    where c.id = r.id`);
  await db.execute(sql`vacuum (analyze)`);
  console.log(
    `  generated in ${((performance.now() - started) / 1000).toFixed(1)} s (with VACUUM ANALYZE): ${Object.entries(
      counts,
    )
      .map(([k, v]) => `${k} ${int(v)}`)
      .join(", ")}`,
  );
  return { communeIds, counts };
}

/** A session for an account made by the bench (as the sign-in form would), valid a day. */
export function signIn(db: Db, username: string, password: string) {
  return login({
    db,
    username,
    password,
    client: { ip: "127.0.0.1", requestId: null },
    settings: { sessionIdleMinutes: 24 * 60, sessionAbsoluteHours: 24, apiTokenHours: 24 },
  });
}

type Run = { latencies: number[]; errors: Map<string, number>; requests: number };

/** `connections` connections for `seconds`, each request a path from `paths()` with a cookie of `cookies`. */
async function hammer(url: string, paths: () => string, cookies: string[], seconds: number): Promise<Run> {
  const run: Run = { latencies: [], errors: new Map(), requests: 0 };
  const count = (k: string) => run.errors.set(k, (run.errors.get(k) ?? 0) + 1);
  await new Promise<void>((resolve) => {
    const instance = autocannon(
      {
        url,
        connections: cookies.length,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              method: "GET",
              path: paths(),
              headers: { cookie: pick(cookies) },
            }),
          },
        ],
      },
      () => resolve(),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      run.requests++;
      run.latencies.push(responseTime);
      if (statusCode !== 200) count(`HTTP ${statusCode}`);
    });
    instance.on("reqError", (err: Error & { code?: string }) => count(err.code ?? "timeout"));
  });
  return run;
}

function line(label: string, r: Run, seconds: number) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const errs = [...r.errors].map(([k, v]) => `${k} ${v}`).join(", ") || "0";
  const p95 = percentile(sorted, 95);
  return `  ${label.padEnd(28)} ${(r.requests / seconds).toFixed(1).padStart(6)} req/s  p50 ${int(percentile(sorted, 50)).padStart(5)}  p95 ${int(p95).padStart(5)}  p99 ${int(percentile(sorted, 99)).padStart(5)} ms  errors: ${errs}  (target p95 ≤ ${TARGET_P95} ms: ${p95 <= TARGET_P95 && r.errors.size === 0 ? "met" : "MISSED"})`;
}

async function timeOne(url: string, p: string, cookie: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url + p, { headers: { cookie }, redirect: "manual" });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status}`);
  return performance.now() - t;
}

export async function run(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (!serverUrl) {
    console.log("PostgreSQL only: skipped (set BENCH_DATABASE_URL or DATABASE_URL)");
    return;
  }
  const communeCount = Number(process.env.BENCH_PROVINCE_COMMUNES || 20);
  const residentCount = Number(process.env.BENCH_PROVINCE_RESIDENTS || 100_000);
  const userCount = Number(process.env.BENCH_PROVINCE_USERS || 20);
  const seconds = Number(process.env.BENCH_PROVINCE_SECONDS || 15);
  const name = `bdhvs_bench_prov_${process.pid}`;
  const url = await freshDatabase(serverUrl, name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-province-"));
  try {
    const today = todayInVietnam();
    console.log(
      `PostgreSQL: a province of ${communeCount} communes and ~${int(residentCount)} residents (database ${name}); D = ${today}`,
    );
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    const cookies: string[] = [];
    try {
      const { db } = database;
      await database.migrate();
      const { communeIds } = await seedProvince(db, {
        communes: communeCount,
        residents: residentCount,
        today,
      });
      const passwordHash = await hashPassword(PASSWORD);
      for (let i = 0; i < userCount; i++) {
        const username = `bench-province-${i + 1}`;
        await db.insert(users).values({
          communeId: communeIds[0]!,
          username,
          displayName: username,
          role: "province",
          passwordHash,
        });
        const s = await signIn(db, username, PASSWORD);
        cookies.push(`bdhvs_session=${s.token}`);
      }
    } finally {
      await database.close();
    }

    const { child, url: base } = await startServerProcess({
      DATABASE_URL: url.toString(),
      DATA_DIR: dataDir,
    });
    try {
      const codes = currentPlan().indicators.map((i) => i.code);
      const w = `date=${today}&period=${today.slice(0, 4)}`;
      const pages = [
        { label: "ranking page", path: () => `/province?${w}&indicator=${pick(codes)}` },
        { label: "map page", path: () => `/province/map?${w}&indicator=${pick(codes)}` },
      ];
      const first = await timeOne(base, `/province?${w}`, cookies[0]!);
      const mapFirst = await timeOne(base, `/province/map?${w}`, cookies[0]!);
      const warm = await timeOne(base, `/province?${w}`, cookies[0]!);
      const mapWarm = await timeOne(base, `/province/map?${w}`, cookies[0]!);
      console.log(
        `  alone: ranking ${int(first)} ms computed (empty cache), ${int(warm)} ms from memory; map ${int(mapFirst)} ms first drawing, ${int(mapWarm)} ms again`,
      );
      const before = processFigures(child.pid!);
      console.log(`  ${cookies.length} province users at once, ${seconds} s a page; load average ${load()}`);
      /** One run, with the server's CPU time per request (what the page costs, whatever the machine's load). */
      const measured = async (label: string, p: () => string) => {
        const cpu0 = processFigures(child.pid!).cpuSeconds;
        const r = await hammer(base, p, cookies, seconds);
        const cpu = processFigures(child.pid!).cpuSeconds - cpu0;
        console.log(
          `${line(label, r, seconds)}; server CPU ${int((cpu * 1000) / Math.max(1, r.requests))} ms a request`,
        );
      };
      for (const p of pages) await measured(p.label, p.path);
      // A write somewhere: every commune's figures are computed again while the users keep asking.
      const bump = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
      try {
        await bump.db.execute(
          sql`update data_versions set version = version + 1 where commune_id = (select min(id) from communes)`,
        );
      } finally {
        await bump.close();
      }
      await measured("ranking page, after a write", pages[0]!.path);
      const after = processFigures(child.pid!);
      console.log(
        `  server: peak RSS ${int(after.peakRssMb)} MB, CPU ${(after.cpuSeconds - before.cpuSeconds).toFixed(1)} s during the runs; load average ${load()} (other processes share the machine: the latencies include their load)`,
      );
    } finally {
      await stopServerProcess(child);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB === "1") console.log(`  kept the database ${name}`);
    else await admin(serverUrl, `drop database if exists ${name} with (force)`);
  }
}
