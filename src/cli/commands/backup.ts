import { openDatabase } from "../../db/client.ts";
import { DataDirInUseError } from "../../db/lock.ts";
import { cliActor } from "../../features/audit/service.ts";
import { requestSnapshot, socketPath } from "../../features/backup/channel.ts";
import type { Snapshot } from "../../features/backup/format.ts";
import {
  checkBackup,
  readBackupFile,
  restoreBackup,
  takeSnapshot,
  writeBackup,
} from "../../features/backup/service.ts";
import { t } from "../../lib/i18n/index.ts";
import { booleanOption, defineCommand } from "../command.ts";
import { CliError, viaServer } from "../io.ts";
import { type CliContext, configFor } from "../main.ts";

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * `bdhvs backup FILE`: on PostgreSQL a snapshot through DATABASE_URL; on the embedded database the
 * folder itself, or — when a server holds it — a snapshot the server takes on request over its
 * local channel (`DATA_DIR/bdhvs.sock`).
 */
export const runBackupCommand = defineCommand({
  help: (lang) => `${t(lang, "cli.backup_usage")}\n  ${t(lang, "cli.cmd.backup")}`,
  options: {},
  run: ({ ctx, positionals }) => backup(ctx, positionals),
});

async function backup(ctx: CliContext, positionals: string[]): Promise<number> {
  const { lang } = ctx;
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(t(lang, "cli.backup_needs_file"), 2);
  const config = configFor(ctx);
  let snapshot: Snapshot;
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      snapshot = await takeSnapshot({ database });
    } finally {
      await database.close();
    }
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    process.stderr.write(`${t(lang, "cli.backup_via_server", { pid: err.pid })}\n`);
    const held = { dataDir: config.dataDir, pid: err.pid, socket: socketPath(config.dataDir) };
    snapshot = await viaServer(lang, held, () => requestSnapshot(config.dataDir));
  }
  const { bytes } = await writeBackup({ snapshot, file, key: config.backup.key });
  process.stdout.write(
    `${t(lang, "cli.backup_written", {
      tables: snapshot.tables,
      rows: snapshot.rows,
      size: size(bytes),
      file,
      encrypted: config.backup.key ? t(lang, "cli.backup_encrypted") : "",
      schema: snapshot.schema.tag,
    })}\n`,
  );
  return 0;
}

/** `bdhvs restore FILE [--replace]`: the file is checked whole before the database is opened. */
export const runRestoreCommand = defineCommand({
  help: (lang, options) =>
    [t(lang, "cli.restore_usage"), `  ${t(lang, "cli.cmd.restore")}`, "", ...options].join("\n"),
  options: { replace: booleanOption("--replace", "cli.opt.replace") },
  helpLayout: { width: 17, common: [] },
  run: ({ ctx, values, positionals }) => restore(ctx, values.replace === true, positionals),
});

async function restore(ctx: CliContext, replace: boolean, positionals: string[]): Promise<number> {
  const { lang } = ctx;
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(t(lang, "cli.restore_needs_file"), 2);
  const config = configFor(ctx);
  const backup = await checkBackup({ file, bytes: readBackupFile(file), key: config.backup.key });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const r = await restoreBackup({
      database,
      backup,
      replace,
      actor: cliActor(null),
    });
    process.stdout.write(
      `${t(lang, "cli.restored", { rows: r.rows, file, from: r.from, to: r.to, location: database.location })}\n`,
    );
    if (r.reErased) process.stdout.write(`${t(lang, "privacy.erased_restore", { n: r.reErased })}\n`);
  } finally {
    await database.close();
  }
  return 0;
}
