import { t } from "../../lib/i18n/index.ts";
import { defineCommand } from "../command.ts";

/** `bdhvs migrate`: applies the database's migrations (opening it does). */
export const runMigrate = defineCommand({
  help: (lang) => `${t(lang, "cli.migrate_usage")}\n  ${t(lang, "cli.cmd.migrate")}`,
  options: {},
  positionals: false,
  run: async ({ lang, withDatabase }) => {
    await withDatabase(async (database) => {
      process.stdout.write(`${t(lang, "cli.migrated", { location: database.location })}\n`);
    });
    return 0;
  },
});
