import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import { t } from "../../lib/i18n/index.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

export async function runMigrate(ctx: CliContext): Promise<number> {
  if (ctx.help) {
    process.stdout.write(`${t(ctx.lang, "cli.migrate_usage")}\n  ${t(ctx.lang, "cli.cmd.migrate")}\n`);
    return 0;
  }
  tryParse(ctx, () => parseArgs({ args: ctx.args, options: {}, strict: true, allowPositionals: false }));
  const database = await openAppDatabase(configFor(ctx));
  try {
    process.stdout.write(`${t(ctx.lang, "cli.migrated", { location: database.location })}\n`);
  } finally {
    await database.close();
  }
  return 0;
}
