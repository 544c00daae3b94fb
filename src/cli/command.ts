import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Database as AppDatabase, Db } from "../db/client.ts";
import type { Lang } from "../lib/i18n/index.ts";
import { communeOf } from "./commune.ts";
import { CliError } from "./io.ts";
import { type CliContext, configFor, tryParse } from "./main.ts";

/** The options of a command, as node:util's parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

/** What parseArgs (strict) gives for those options. */
type Parsed<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

/** What a command's `run` receives: its parsed arguments and the ways to reach its database. */
export type CommandRun<O extends CommandOptions> = {
  ctx: CliContext;
  lang: Lang;
  values: Parsed<O>["values"];
  positionals: string[];
  /** The command's help as a usage error (exit code 2), to throw. */
  usage: () => CliError;
  /** The configuration's database, opened (migrations applied) for `use` and closed after it. */
  withDatabase: <R>(use: (database: AppDatabase) => Promise<R>) => Promise<R>;
  /** As withDatabase, with the commune of `--commune CODE` (or the installation's only one). */
  withCommune: <R>(use: (db: Db, communeId: number, database: AppDatabase) => Promise<R>) => Promise<R>;
};

/** One `bdhvs` command: its help, its options, what it does. */
export type CommandSpec<O extends CommandOptions> = {
  /** The help text: printed for `--help` (exit 0) and by `usage()` (exit 2). */
  help: (lang: Lang) => string;
  /** parseArgs options, parsed strictly: an unknown option is a clear message (exit 1). */
  options: O;
  /** Whether the command takes positional arguments (default true). */
  positionals?: boolean;
  /** The arguments parseArgs reads (default all the command's; `user` skips its subcommand). */
  args?: (args: string[]) => string[];
  /** Does the command; its exit code (nothing = 0). */
  run: (cmd: CommandRun<O>) => Promise<number | undefined>;
};

/** Makes a command from its spec: `--help`, strict parsing, database opening and closing, once. */
export function defineCommand<const O extends CommandOptions>(
  spec: CommandSpec<O>,
): (ctx: CliContext) => Promise<number> {
  return async (ctx) => {
    const { lang } = ctx;
    if (ctx.help) {
      process.stdout.write(`${spec.help(lang)}\n`);
      return 0;
    }
    const { values, positionals } = tryParse(ctx, () =>
      parseArgs({
        args: spec.args ? spec.args(ctx.args) : ctx.args,
        options: spec.options,
        strict: true,
        allowPositionals: spec.positionals ?? true,
      }),
    ) as Parsed<O>;
    const withDatabase = async <R>(use: (database: AppDatabase) => Promise<R>): Promise<R> => {
      // Loaded here, not by this module: `bdhvs --help` loads no database package.
      const { openAppDatabase } = await import("../app-database.ts");
      const database = await openAppDatabase(configFor(ctx));
      try {
        return await use(database);
      } finally {
        await database.close();
      }
    };
    const commune = (values as { commune?: string | undefined }).commune;
    return (
      (await spec.run({
        ctx,
        lang,
        values,
        positionals,
        usage: () => new CliError(spec.help(lang), 2),
        withDatabase,
        withCommune: (use) =>
          withDatabase(async (database) =>
            use(database.db, await communeOf(ctx, database.db, commune), database),
          ),
      })) ?? 0
    );
  };
}

/** Help lines `  FLAG  TEXT`, each flag padded to `width` columns. */
export function optionLines(
  width: number,
  rows: readonly (readonly [flag: string, text: string])[],
): string[] {
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}
