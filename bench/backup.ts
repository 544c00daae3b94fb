/**
 * Backup benchmark (issue 16: "`npm run bench -- backup` prints backup and restore time and file
 * size for a 30,000-resident commune (targets: backup ≤ 10 s, restore ≤ 30 s on PGlite)").
 *
 * PGlite, a fresh data folder: a 30,000-resident commune (`BENCH_COMMUNE_RESIDENTS`) made by the demo
 * with the movement's records, as in bench/report.ts. Times: the snapshot (one REPEATABLE READ
 * transaction), sealing it (gzip; and with BACKUP_KEY's encryption, scrypt included), the atomic
 * write; then a restore into a new, empty PGlite folder (migrations, load, facts by their triggers,
 * sequences). Figures are printed beside the targets, never asserted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { sealBackup } from "../src/features/backup/format.ts";
import { checkBackup, restoreBackup, takeSnapshot, writeBackup } from "../src/features/backup/service.ts";
import { createDemoCommune } from "../src/features/demo/service.ts";
import { todayInVietnam } from "../src/lib/clock.ts";
import { migrateWithBenchCommune } from "./lib/commune.ts";
import { addMovement } from "./lib/movement.ts";

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ms: number, target: number) =>
  `target ≤ ${target / 1000} s: ${ms <= target ? "met" : "MISSED"}`;

export async function run() {
  const residents = Number(process.env.BENCH_COMMUNE_RESIDENTS || 30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-backup-"));
  const database = await openDatabase({ dataDir: path.join(dir, "source") });
  let target: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    const { db } = database;
    const communeId = await migrateWithBenchCommune(database);
    let t = performance.now();
    await createDemoCommune({ db, communeId, actor: cliActor(communeId), residents, movement: false });
    await addMovement(db, { communeIds: [communeId], today: todayInVietnam() });
    await db.execute(sql`analyze`);
    console.log(
      `PGlite, one commune of ${residents.toLocaleString("en-US")} residents: generated in ${s(performance.now() - t)}`,
    );

    t = performance.now();
    const snapshot = await takeSnapshot({ database });
    const snapMs = performance.now() - t;
    const file = path.join(dir, "bench.bdhvs");
    t = performance.now();
    const { bytes } = await writeBackup({ snapshot, file, key: undefined });
    const writeMs = performance.now() - t;
    console.log(
      `  backup: ${snapshot.tables} tables, ${snapshot.rows.toLocaleString("en-US")} rows, body ${mb(snapshot.body.length)}, file ${mb(bytes)}`,
    );
    console.log(
      `  snapshot ${s(snapMs)} + gzip and write ${s(writeMs)} = ${s(snapMs + writeMs)}   ${verdict(snapMs + writeMs, 10_000)}`,
    );
    t = performance.now();
    const sealed = await sealBackup(snapshot, "bench passphrase");
    console.log(
      `  encrypted (scrypt + AES-256-GCM + gzip): ${s(performance.now() - t)}, ${mb(sealed.length)}`,
    );

    t = performance.now();
    const backup = await checkBackup({ file, bytes: fs.readFileSync(file), key: undefined });
    const checkMs = performance.now() - t;
    target = await openDatabase({ dataDir: path.join(dir, "restored") });
    const openMs = performance.now() - t - checkMs;
    t = performance.now();
    const r = await restoreBackup({ database: target, backup, replace: false });
    const restoreMs = performance.now() - t;
    console.log(
      `  restore: ${r.rows.toLocaleString("en-US")} rows; check ${s(checkMs)}, new PGlite folder ${s(openMs)}, load ${s(restoreMs)}`,
    );
    const total = checkMs + openMs + restoreMs;
    console.log(`  restore total ${s(total)}   ${verdict(total, 30_000)}`);
  } finally {
    await target?.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
