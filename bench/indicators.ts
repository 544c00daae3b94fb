/**
 * Indicator benchmark (issue: "the time to compute all 12 with breakdowns for a 30,000-resident
 * commune on PGlite and for a 170-commune, 3.5-million-resident province on PostgreSQL … ≤ 150 ms
 * for the commune, ≤ 3 s for the province, live").
 *
 * 1. PGlite, a fresh data folder: a 30,000-resident commune (`BENCH_COMMUNE_RESIDENTS`) made by the
 *    demo (through the import engine) plus the movement's records (bench/lib/movement.ts); times
 *    computeIndicators (all 12 with their village/unit breakdowns) before and after ANALYZE, the
 *    trends and one drill-down page (one call without statistics: `BENCH_NO_ANALYZE=0` skips it).
 * 2. PostgreSQL, only with `BENCH_DATABASE_URL` (or `DATABASE_URL`): a fresh database holding a
 *    generated province of 170 communes and 3.5 million residents (`BENCH_PROVINCE_COMMUNES`,
 *    `BENCH_PROVINCE_RESIDENTS`; bench/lib/province.ts), vacuumed and analyzed, dropped at the end
 *    (`BENCH_KEEP_DB=1` keeps it); times one commune, the 170 communes one after another and four
 *    at a time, and the province in one pass (computeProvinceIndicators).
 * Each line: wall time min/median/max and this process's median CPU time per call (PGlite's work;
 * for PostgreSQL, the client's share only). Figures are printed beside the targets, never asserted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "../src/db/client.ts";
import { users } from "../src/db/schema.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { findAuthUserById } from "../src/features/auth/repo.ts";
import { viewerOf } from "../src/features/auth/viewer.ts";
import { createDemoCommune } from "../src/features/demo/service.ts";
import { drillIndicator } from "../src/features/indicators/drill.ts";
import { addDays, minusYears } from "../src/features/indicators/period.ts";
import { currentPlan } from "../src/features/indicators/plan.ts";
import { codesOf, periodCounts, residentFigures, villageFigures } from "../src/features/indicators/repo.ts";
import {
  computeIndicators,
  computeProvinceIndicators,
  type IndicatorTable,
  resolveWindow,
} from "../src/features/indicators/service.ts";
import { computeTrends } from "../src/features/indicators/trend.ts";
import { todayInVietnam } from "../src/lib/clock.ts";
import { migrateWithBenchCommune } from "./lib/commune.ts";
import { addMovement } from "./lib/movement.ts";
import { admin, freshDatabase } from "./lib/postgres.ts";
import { generateProvince } from "./lib/province.ts";

const TARGET = { communeMs: 150, provinceMs: 3000 };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n >= 100 ? `${int(n)} ms` : `${n.toFixed(1)} ms`);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

type Stats = { min: number; median: number; max: number; runs: number; cpu: number };

const medianOf = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

/**
 * `warmups` untimed calls, then `runs` timed ones, one after another. `cpu`: the median CPU time of
 * this process per call — with PGlite (in this process) the work itself, less sensitive than the wall
 * time to other processes on the machine; with PostgreSQL only the client's share.
 */
async function timeIt(fn: () => Promise<unknown>, runs = 10, warmups = 2): Promise<Stats> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpus.push((used.user + used.system) / 1000);
  }
  return {
    min: Math.min(...times),
    median: medianOf(times),
    max: Math.max(...times),
    runs,
    cpu: medianOf(cpus),
  };
}

function line(label: string, s: Stats, target?: number) {
  const note =
    target === undefined
      ? ""
      : `   target ≤ ${int(target)} ms: ${s.median <= target ? "met" : "MISSED"} (median)`;
  console.log(
    `  ${label.padEnd(46)} min ${ms(s.min).padStart(9)}  median ${ms(s.median).padStart(9)}  max ${ms(s.max).padStart(9)}  cpu ${ms(s.cpu).padStart(9)}  (${s.runs} runs)${note}`,
  );
}

/** The four statements of computeIndicators, each timed alone (they run concurrently in it). */
async function parts(db: Database["db"], communeId: number, w: ReturnType<typeof resolveWindow>) {
  const { date, period } = w;
  const cuts = { date, adult: minusYears(date, 18), age16: minusYears(date, 16) };
  line("  residentFigures (indicators 1–5, 9, 10)", await timeIt(() => residentFigures(db, communeId, cuts)));
  line(
    "  villageFigures (indicators 6, 8)",
    await timeIt(() =>
      villageFigures(db, communeId, { periodStart: period.start, date, since: addDays(date, -90) }),
    ),
  );
  line(
    "  periodCounts (indicators 7, 11)",
    await timeIt(() => periodCounts(db, communeId, { periodStart: period.start, date })),
  );
  line("  codesOf", await timeIt(() => codesOf(db, communeId)));
}

function summary(table: IndicatorTable) {
  for (const i of table.indicators) {
    const fig =
      i.denominator === undefined
        ? `${i.value}`
        : `${int(i.numerator!)}/${int(i.denominator)} = ${i.value === null ? "–" : `${(i.value * 100).toFixed(1)}%`}`;
    const parts = [
      i.byVillage ? `${Object.keys(i.byVillage).length} villages` : "",
      i.byUnit ? `${Object.keys(i.byUnit).length} units` : "",
    ].filter(Boolean);
    console.log(`    ${String(i.id).padStart(2)} ${i.code.padEnd(24)} ${fig.padEnd(28)} ${parts.join(", ")}`);
  }
}

async function communePart(today: string) {
  const residents = Number(process.env.BENCH_COMMUNE_RESIDENTS || 30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-indicators-"));
  const database = await openDatabase({ dataDir: dir });
  try {
    const { db } = database;
    console.log(`\n1. PGlite, one commune of ${int(residents)} residents (data folder ${dir})`);
    const communeId = await migrateWithBenchCommune(database);
    let t = performance.now();
    // The benchmark adds its own movement (addMovement), set-based and larger.
    const counts = await createDemoCommune({
      db,
      communeId,
      actor: cliActor(communeId),
      residents,
      movement: false,
    });
    const demoSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const movement = await addMovement(db, { communeIds: [communeId], today });
    const movementSeconds = (performance.now() - t) / 1000;
    console.log(
      `  data: ${Object.entries({ ...counts, ...movement })
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(", ")}`,
    );
    console.log(
      `  generated in ${demoSeconds.toFixed(1)} s (demo, through the import engine) + ${movementSeconds.toFixed(1)} s (movement, SQL)`,
    );

    const plan = currentPlan();
    const w = resolveWindow({ date: today, period: today.slice(0, 4), plan });
    const compute = () => computeIndicators({ db, communeId, plan, ...w });
    console.log(`  D = ${w.date}, period ${w.period.code}; load average ${load()}`);
    // Without statistics the planner takes the certifications for a handful of rows and joins them
    // to the residents in a nested loop: minutes, not milliseconds (`BENCH_NO_ANALYZE=0` skips it).
    if (process.env.BENCH_NO_ANALYZE !== "0") {
      line("computeIndicators, no statistics (no ANALYZE)", await timeIt(compute, 1, 0));
    }
    t = performance.now();
    await db.execute(sql`analyze`);
    console.log(`  ANALYZE: ${ms(performance.now() - t)}`);
    line("computeIndicators (all 12 with breakdowns)", await timeIt(compute), TARGET.communeMs);
    await parts(db, communeId, w);
    line("computeTrends", await timeIt(() => computeTrends({ db, communeId, plan, ...w })));

    const [user] = await db
      .insert(users)
      .values({
        communeId,
        username: "bench-coordinator",
        displayName: "Điều phối",
        role: "coordinator",
        passwordHash: "-",
      })
      .returning();
    const viewer = viewerOf((await findAuthUserById(db, user!.id))!);
    let total = 0;
    const drill = async () => {
      const r = await drillIndicator({
        db,
        viewer,
        code: "adult_skills",
        counted: false,
        page: 1,
        pageSize: 50,
        ...w,
      });
      total = r.total;
    };
    line("drillIndicator adult_skills missing, page 1 of 50", await timeIt(drill));
    console.log(`  (the drill-down lists ${int(total)} adults without basic skills)`);
    console.log(`  load average after: ${load()}`);
    console.log("  the figures at D:");
    summary(await compute());
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function provincePart(serverUrl: string, today: string) {
  const communeCount = Number(process.env.BENCH_PROVINCE_COMMUNES || 170);
  const residentCount = Number(process.env.BENCH_PROVINCE_RESIDENTS || 3_500_000);
  const name = "bdhvs_bench_province";
  const url = await freshDatabase(serverUrl, name);
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  try {
    const { db } = database;
    console.log(
      `\n2. PostgreSQL, a province of ${communeCount} communes and ~${int(residentCount)} residents (database ${name})`,
    );
    await database.migrate();
    const started = performance.now();
    const generated = generateProvince(db, {
      communes: communeCount,
      residents: residentCount,
      today,
      onStep: (step, s) => console.log(`  generated ${step}${s > 0 ? ` in ${s.toFixed(1)} s` : ""}`),
    }).catch((err: Error) => {
      // drizzle wraps the server's error: show the server's words.
      console.log(`  generation failed: ${String((err as { cause?: unknown }).cause ?? err.message)}`);
      throw err;
    });
    const { communeIds, counts } = await generated;
    const t = performance.now();
    // VACUUM too, not only ANALYZE: right after a bulk load autovacuum would otherwise visit every
    // new table during the timings (and the first reads set hint bits), slowing them several-fold —
    // not the steady state of a province's database.
    await db.execute(sql`vacuum (analyze)`);
    const analyzeSeconds = (performance.now() - t) / 1000;
    console.log(
      `  generation: ${((performance.now() - started) / 1000).toFixed(1)} s in all (VACUUM ANALYZE ${analyzeSeconds.toFixed(1)} s)`,
    );
    console.log(
      `  data: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(", ")}`,
    );
    const size = (await db.execute(
      sql`select pg_database_size(current_database())::float8 as b`,
    )) as unknown as {
      rows: { b: number }[];
    };
    console.log(`  database size: ${int(size.rows[0]!.b / 1024 / 1024)} MB`);

    const plan = currentPlan();
    const w = resolveWindow({ date: today, period: today.slice(0, 4), plan });
    console.log(`  D = ${w.date}, period ${w.period.code}; load average ${load()}`);
    const bySize = (await db.execute(
      sql`select commune_id as id, count(*)::int as n from residents group by commune_id order by n, commune_id`,
    )) as unknown as { rows: { id: number; n: number }[] };
    const mid = bySize.rows[Math.floor(bySize.rows.length / 2)]!;
    const big = bySize.rows.at(-1)!;
    for (const [label, c] of [
      ["median", mid],
      ["largest", big],
    ] as const) {
      line(
        `(a) computeIndicators, ${label} commune (${int(c.n)} res.)`,
        await timeIt(() => computeIndicators({ db, communeId: c.id, plan, ...w })),
        TARGET.communeMs,
      );
    }
    await parts(db, mid.id, w);

    const one = (communeId: number) => computeIndicators({ db, communeId, plan, ...w });
    const sequential = async () => {
      for (const id of communeIds) await one(id);
    };
    const fourAtATime = async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < communeIds.length) await one(communeIds[next++]!);
        }),
      );
    };
    line(
      `(b) all ${communeIds.length} communes one after another`,
      await timeIt(sequential, 1, 0),
      TARGET.provinceMs,
    );
    line(
      `(b) all ${communeIds.length} communes, four at a time`,
      await timeIt(fourAtATime, 1, 0),
      TARGET.provinceMs,
    );

    const province = () => computeProvinceIndicators({ db, communeIds, plan, ...w });
    line(`(c) computeProvinceIndicators (one pass)`, await timeIt(province, 3, 1), TARGET.provinceMs);
    // The one-pass figures are the per-commune figures: checked on every tenth commune.
    const all = await province();
    const sample = communeIds.filter((_, i) => i % 10 === 0);
    let same = 0;
    for (const id of sample) {
      if (JSON.stringify(all.get(id)) === JSON.stringify(await one(id))) same++;
    }
    console.log(
      `  (c) equals computeIndicators for ${same} of ${sample.length} communes checked (every tenth)`,
    );
    console.log(`  load average after: ${load()}`);
  } finally {
    await database.close();
    // BENCH_KEEP_DB=1 keeps it for a closer look (drop it by hand afterwards).
    if (process.env.BENCH_KEEP_DB === "1") console.log(`  kept the database ${name}`);
    else await admin(serverUrl, `drop database if exists ${name} with (force)`);
  }
}

export async function run(): Promise<void> {
  const today = process.env.BENCH_DATE || todayInVietnam();
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;
  console.log(
    `Targets: all 12 indicators with breakdowns ≤ ${TARGET.communeMs} ms for a commune, ≤ ${TARGET.provinceMs / 1000} s for a province, computed live.`,
  );
  console.log(`Machine: ${os.cpus().length} cores; load average ${load()} (1, 5, 15 min).`);
  if (process.env.BENCH_SKIP_COMMUNE !== "1") await communePart(today);
  if (serverUrl) await provincePart(serverUrl, today);
  else console.log("\n2. PostgreSQL: skipped (set BENCH_DATABASE_URL or DATABASE_URL).");
}
