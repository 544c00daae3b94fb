import { parseArgs } from "node:util";
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
import { CliError } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * `bdhvs backup FILE`: on PostgreSQL a snapshot through DATABASE_URL; on the embedded database the
 * folder itself, or — when a server holds it — a snapshot the server takes on request over its
 * local channel (`DATA_DIR/bdhvs.sock`).
 */
export async function runBackupCommand(ctx: CliContext): Promise<number> {
  const { lang } = ctx;
  if (ctx.help) {
    process.stdout.write(`${t(lang, "cli.backup_usage")}\n  ${t(lang, "cli.cmd.backup")}\n`);
    return 0;
  }
  const { positionals } = tryParse(ctx, () =>
    parseArgs({ args: ctx.args, options: {}, strict: true, allowPositionals: true }),
  );
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
    try {
      snapshot = await requestSnapshot(config.dataDir);
    } catch (e) {
      throw new CliError(
        t(lang, "backup.server_unreachable", {
          dir: config.dataDir,
          pid: err.pid,
          socket: socketPath(config.dataDir),
          detail: (e as Error).message,
        }),
      );
    }
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
export async function runRestoreCommand(ctx: CliContext): Promise<number> {
  const { lang } = ctx;
  if (ctx.help) {
    process.stdout.write(
      `${t(lang, "cli.restore_usage")}\n  ${t(lang, "cli.cmd.restore")}\n\n  --replace        ${t(lang, "cli.opt.replace")}\n`,
    );
    return 0;
  }
  const { values, positionals } = tryParse(ctx, () =>
    parseArgs({
      args: ctx.args,
      options: { replace: { type: "boolean" } },
      strict: true,
      allowPositionals: true,
    }),
  );
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(t(lang, "cli.restore_needs_file"), 2);
  const config = configFor(ctx);
  const backup = await checkBackup({ file, bytes: readBackupFile(file), key: config.backup.key });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const r = await restoreBackup({
      database,
      backup,
      replace: values.replace === true,
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
