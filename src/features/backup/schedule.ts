import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { nowMs } from "../../lib/clock.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { takeSnapshot, writeBackup } from "./service.ts";

const NAME = /^bdhvs-(\d{8})-(\d{6})\.bdhvs$/;

/** `bdhvs-20261201-104500.bdhvs` (UTC), so names sort as times. */
export function scheduledName(atMs: number): string {
  const iso = new Date(atMs).toISOString();
  return `bdhvs-${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}.bdhvs`;
}

/** The scheduled backups in `dir`, newest first. */
export function listScheduled(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => NAME.test(f))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

function takenAt(name: string): number {
  const m = NAME.exec(name)!;
  const d = m[1]!;
  const t = m[2]!;
  return Date.parse(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}Z`,
  );
}

/**
 * One scheduled backup: written to BACKUP_DIR through a temporary name, then all but the
 * BACKUP_KEEP newest deleted. Success and failure both go to the log and the audit trail
 * (`backup.scheduled` / `backup.failed`), which the admin reads; a failure leaves no file.
 */
export async function runScheduledBackup(opts: {
  database: Database;
  config: Config;
  logger: Logger;
  /** Who asked (an admin on the web); the scheduler otherwise. */
  actor?: Actor;
}) {
  const { database, config, logger } = opts;
  const dir = config.backup.dir;
  const file = path.join(dir, scheduledName(nowMs()));
  const actor = opts.actor ?? {
    communeId: null,
    userId: null,
    username: "scheduler",
    requestId: null,
    ip: null,
  };
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const snapshot = await takeSnapshot({ database });
    const { bytes } = await writeBackup({ snapshot, file, key: config.backup.key });
    const removed = listScheduled(dir).slice(config.backup.keep);
    for (const old of removed) fs.rmSync(path.join(dir, old), { force: true });
    logger.info({ file, bytes, removed }, "scheduled backup written");
    await recordAudit(database.db, actor, {
      action: "backup.scheduled",
      entity: "installation",
      after: { file: path.basename(file), bytes, rows: snapshot.rows, encrypted: Boolean(config.backup.key) },
    });
    return { ok: true as const, file, bytes };
  } catch (err) {
    const detail = (err as Error).message;
    logger.error({ err, file }, "scheduled backup failed");
    await recordAudit(database.db, actor, {
      action: "backup.failed",
      entity: "installation",
      after: { file: path.basename(file), error: detail },
    }).catch((e) => logger.error({ err: e }, "could not record the failed backup"));
    return { ok: false as const, file, error: detail };
  }
}

/**
 * Takes a backup when the newest one in BACKUP_DIR is older than BACKUP_INTERVAL_HOURS (or there is
 * none), checking every 10 minutes — a server restarted daily still backs up daily. Off with 0.
 */
export function startBackupSchedule(opts: { database: Database; config: Config; logger: Logger }): {
  stop(): void;
} {
  const hours = opts.config.backup.intervalHours;
  if (!hours) return { stop() {} };
  let running = false;
  const check = async () => {
    if (running) return;
    const newest = listScheduled(opts.config.backup.dir)[0];
    if (newest && nowMs() - takenAt(newest) < hours * 3_600_000) return;
    running = true;
    try {
      await runScheduledBackup(opts);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(check, 60_000);
  const timer = setInterval(check, 10 * 60_000);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
