/**
 * What a big import does to the rest of the app (issue 14, point 3): `npm run bench -- import-freeze`.
 *
 * PGlite in a fresh data folder, the app built in this process (as `bdhvs serve` runs it); a
 * commune's villages, units and households imported, then a residents CSV of `BENCH_RESIDENTS`
 * (50,000) rows imported through the engine while two probes ask the app, one after another, the
 * whole time: `/static/app.css` (answered from memory: it measures the app's own thread, which
 * every page needs for its HTML) and `select 1` on the database (it waits for the import's
 * transaction on PGlite's one connection).
 * Prints the import's time and each probe's p50/p95/max. Figures are never asserted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { createApp } from "../src/app.tsx";
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/client.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { ensureDefaultCommune } from "../src/features/communes/service.ts";
import { runImport } from "../src/features/imports/engine.ts";
import { depsOf } from "../src/server.ts";
import { generateCommune } from "./lib/generate.ts";

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function summary(label: string, times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const f = (x: number) => Math.round(x).toLocaleString("en-US");
  return `  ${label.padEnd(26)} ${String(s.length).padStart(6)} answers  p50 ${f(percentile(s, 50)).padStart(6)}  p95 ${f(percentile(s, 95)).padStart(6)}  max ${f(s.at(-1) ?? Number.NaN).padStart(6)} ms`;
}

export async function run(): Promise<void> {
  const residents = Number(process.env.BENCH_RESIDENTS || 50_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-freeze-"));
  try {
    const files = await generateCommune({ dir, residents, residentsFormat: "csv", extras: true });
    const database = await openDatabase({ dataDir: path.join(dir, "data") });
    try {
      await database.migrate();
      const config = loadConfig({ DATA_DIR: path.join(dir, "data") });
      const commune = await ensureDefaultCommune({ db: database.db, commune: config.commune });
      const actor = cliActor(commune.id);
      const base = { db: database.db, communeId: commune.id, actor };
      await runImport({ ...base, kind: "villages", file: files.villages });
      await runImport({ ...base, kind: "units", file: files.units! });
      await runImport({ ...base, kind: "households", file: files.households });
      const app = createApp(depsOf(database, config, pino({ level: "silent" })));

      let importing = true;
      const health: number[] = [];
      const dbPing: number[] = [];
      const probe = async (times: number[], ask: () => Promise<unknown>) => {
        // From the moment it is due (20 ms after the last answer) to its answer: a busy thread
        // delays the timer as much as the request.
        let due = performance.now();
        while (importing) {
          await ask();
          const t = performance.now();
          times.push(t - due);
          due = t + 20;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const t0 = performance.now();
      const probes = Promise.all([
        probe(health, async () => (await app.request("/static/app.css")).arrayBuffer()),
        probe(dbPing, () => database.ping()),
      ]);
      const result = await runImport({ ...base, kind: "residents", file: files.residents });
      const seconds = (performance.now() - t0) / 1000;
      importing = false;
      await probes;
      console.log(
        `PGlite, ${database.location}: residents import of ${result.rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s (${result.inserted.toLocaleString("en-US")} inserted); load average ${os.loadavg()[0]!.toFixed(1)}`,
      );
      console.log(summary("a page from memory", health));
      console.log(summary("select 1 (the database)", dbPing));
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
