/**
 * Report benchmark (issue: "Generating the commune report (30,000 residents) takes ≤ 3 s in
 * bench/report.ts").
 *
 * PGlite, a fresh data folder: a 30,000-resident commune (`BENCH_COMMUNE_RESIDENTS`) made by the demo
 * (through the import engine) plus the movement's records (bench/lib/movement.ts), ANALYZEd as after
 * an import. Times, for the year's report at today's date: building the model (the indicators, the
 * village table, the period's activities and visits, the charts), each of the three files, and the
 * whole report — model and DOCX, XLSX and PDF — as a submission makes it. Figures are printed beside
 * the target, never asserted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { createDemoCommune } from "../src/features/demo/service.ts";
import { currentPlan } from "../src/features/indicators/plan.ts";
import { resolveWindow } from "../src/features/indicators/service.ts";
import { buildReportModel } from "../src/features/reports/build.ts";
import { REPORT_FORMATS, renderReport } from "../src/features/reports/render.ts";
import { EMPTY_NARRATIVE } from "../src/features/reports/service.ts";
import { todayInVietnam } from "../src/lib/clock.ts";
import { migrateWithBenchCommune } from "./lib/commune.ts";
import { addMovement } from "./lib/movement.ts";

const TARGET_MS = 3000;
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${int(n)} ms`;

async function time<T>(
  fn: () => Promise<T>,
  runs = 5,
): Promise<{ median: number; min: number; max: number; last: T }> {
  let last: T | undefined;
  const times: number[] = [];
  last = await fn(); // warm-up: module loading, font parsing, query plans
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)]!,
    min: times[0]!,
    max: times[times.length - 1]!,
    last: last!,
  };
}

function line(label: string, s: { median: number; min: number; max: number }, target?: number) {
  const note =
    target === undefined ? "" : `   target ≤ ${int(target)} ms: ${s.median <= target ? "met" : "MISSED"}`;
  console.log(
    `  ${label.padEnd(40)} min ${ms(s.min).padStart(9)}  median ${ms(s.median).padStart(9)}  max ${ms(s.max).padStart(9)}${note}`,
  );
}

export async function run() {
  const residents = Number(process.env.BENCH_COMMUNE_RESIDENTS || 30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-report-"));
  const database = await openDatabase({ dataDir: dir });
  try {
    const { db } = database;
    const communeId = await migrateWithBenchCommune(database);
    const today = todayInVietnam();
    let t = performance.now();
    await createDemoCommune({ db, communeId, actor: cliActor(communeId), residents, movement: false });
    await addMovement(db, { communeIds: [communeId], today });
    await db.execute(sql`analyze`);
    console.log(
      `PGlite, one commune of ${int(residents)} residents: generated in ${((performance.now() - t) / 1000).toFixed(1)} s; load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );

    const plan = currentPlan();
    const { date, period } = resolveWindow({ date: today, period: today.slice(0, 4), plan });
    const build = () =>
      buildReportModel({
        db,
        communeId,
        plan,
        period,
        date,
        narrative: { ...EMPTY_NARRATIVE, difficulties: "Khó khăn.", nextSteps: "Nhiệm vụ." },
        number: "15",
        signedOn: date,
        signerName: "Nguyễn Văn Thử",
        lang: "vi",
      });
    console.log(`  report of period ${period.code} at ${date}`);
    const model = await time(build);
    line("model (indicators, villages, activities, charts)", model);
    for (const format of REPORT_FORMATS) {
      const r = await time(() => renderReport(model.last.model, format));
      line(`${format.toUpperCase()} (${int(r.last.length / 1024)} KB)`, r);
    }
    t = performance.now();
    const whole = await time(async () => {
      const { model: m } = await build();
      for (const format of REPORT_FORMATS) await renderReport(m, format);
    });
    line("whole report: model + DOCX + XLSX + PDF", whole, TARGET_MS);
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
