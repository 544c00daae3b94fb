import { parseArgs } from "node:util";
import type { Database as AppDatabase, Db } from "../db/client.ts";
import { type Lang, type MsgKey, t } from "../lib/i18n/index.ts";
import { communeOf } from "./commune.ts";
import { CliError } from "./io.ts";
import { type CliContext, configFor, tryParse } from "./main.ts";

/** One option of a command: parseArgs's `type` (and `multiple`), and its line in the help. */
export type CommandOption = {
  type: "string" | "boolean";
  multiple?: boolean;
  /** The option as the help shows it (`--period P`); an option without one is left out of the help. */
  flag?: string;
  /** Its help text: a catalog key, or the text in a language. */
  text?: MsgKey | ((lang: Lang) => string);
};

/** The options of a command, by name as parseArgs reads them. */
export type CommandOptions = Record<string, CommandOption>;

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
  /** The help text around `options`, its options' help lines: printed for `--help` (exit 0) and by `usage()` (exit 2). */
  help: (lang: Lang, options: string[]) => string;
  /** parseArgs options, parsed strictly: an unknown option is a clear message (exit 1). */
  options: O;
  /** Help lines: the flags' column width, and the common options listed after the command's own. */
  helpLayout?: { width?: number; common?: readonly ("data-dir" | "lang")[] };
  /** Whether the command takes positional arguments (default true). */
  positionals?: boolean;
  /** The arguments parseArgs reads (default all the command's; `user` skips its subcommand). */
  args?: (args: string[]) => string[];
  /** Does the command; its exit code (nothing = 0). */
  run: (cmd: CommandRun<O>) => Promise<number | undefined>;
};

/** The usual help: the usage line, a blank line, the options, a blank line, the closing note of `note(lang)`. */
export function usageHelp(usage: MsgKey, note: (lang: Lang) => string): CommandSpec<CommandOptions>["help"] {
  return (lang, options) => [t(lang, usage), "", ...options, "", note(lang)].join("\n");
}

/** The closing note of a command that takes a kind: the note's words, then the kinds it takes. */
export const kindsNote =
  (words: MsgKey, kinds: readonly string[]) =>
  (lang: Lang): string =>
    `${t(lang, words)} ${kinds.join(", ")}`;

/** Makes a command from its spec: `--help`, strict parsing, database opening and closing, once. */
export function defineCommand<const O extends CommandOptions>(
  spec: CommandSpec<O>,
): (ctx: CliContext) => Promise<number> {
  const helpText = (lang: Lang) => spec.help(lang, optionHelp(lang, spec.options, spec.helpLayout));
  const parseOptions = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [
      name,
      o.multiple ? { type: o.type, multiple: true } : { type: o.type },
    ]),
  );
  return async (ctx) => {
    const { lang } = ctx;
    if (ctx.help) {
      process.stdout.write(`${helpText(lang)}\n`);
      return 0;
    }
    const { values, positionals } = tryParse(ctx, () =>
      parseArgs({
        args: spec.args ? spec.args(ctx.args) : ctx.args,
        options: parseOptions,
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
        usage: () => new CliError(helpText(lang), 2),
        withDatabase,
        withCommune: (use) =>
          withDatabase(async (database) =>
            use(database.db, await communeOf(ctx, database.db, commune), database),
          ),
      })) ?? 0
    );
  };
}

/** The options' help lines `  FLAG  TEXT`, flags padded to `width` columns (default 18), then the common ones'. */
function optionHelp(
  lang: Lang,
  options: CommandOptions,
  layout: CommandSpec<CommandOptions>["helpLayout"] = {},
) {
  const rows: CommandOption[] = [
    ...Object.values(options),
    ...(layout.common ?? ["data-dir"]).map((c) => COMMON[c]),
  ];
  return rows.flatMap((o) =>
    o.flag && o.text
      ? [
          `  ${o.flag.padEnd(layout.width ?? 18)}${typeof o.text === "function" ? o.text(lang) : t(lang, o.text)}`,
        ]
      : [],
  );
}

/** An option taking a value, shown in the help as `flag` with the catalog's `text`. */
export const stringOption = (flag: string, text: CommandOption["text"]) =>
  ({ type: "string", flag, text }) as const;

/** An option without a value (a switch), shown in the help as `flag` with the catalog's `text`. */
export const booleanOption = (flag: string, text: CommandOption["text"]) =>
  ({ type: "boolean", flag, text }) as const;

/** The options every command understands (main.ts reads them), for the help's last lines. */
const COMMON = {
  "data-dir": stringOption("--data-dir DIR", "cli.opt.data_dir"),
  lang: stringOption("--lang vi|en", "cli.opt.lang"),
} as const;

/** Options several commands take, with the same help. */
const SHARED = {
  commune: stringOption("--commune CODE", "cli.opt.commune"),
  date: stringOption("--date YYYY-MM-DD", "cli.indicators_opt_date"),
  period: stringOption("--period P", "cli.indicators_opt_period"),
  plan: stringOption("--plan FILE", "cli.indicators_opt_plan"),
  json: booleanOption("--json", "cli.indicators_opt_json"),
} as const;

/** Some of the shared options, by name. */
export function sharedOptions<const K extends keyof typeof SHARED>(...names: K[]): Pick<typeof SHARED, K> {
  return Object.fromEntries(names.map((n) => [n, SHARED[n]])) as Pick<typeof SHARED, K>;
}
