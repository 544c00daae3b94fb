import { setFlagsFromString } from "node:v8";
import type { loadConfig } from "../config.ts";
import { isLang, type Lang, t } from "../lib/i18n/index.ts";
import { CliError } from "./io.ts";

/** What every command receives: its own arguments and the common options. */
export type CliContext = { args: string[]; lang: Lang; dataDir: string | undefined; help: boolean };

/**
 * Each command's module is loaded when it runs: `serve` brings the whole web app (pages, charts,
 * document writers), which an import or a migration does not need — loading it cost every command
 * ~2 s and ~100 MB. This module itself loads only the catalog: the configuration (zod) once a
 * command is to run, the error types when one is to be reported, so `bdhvs --help` loads almost
 * nothing (docs/architecture.md, "Compiled CLI").
 */
const COMMANDS: Record<string, (ctx: CliContext) => Promise<number | undefined>> = {
  serve: async (ctx) => (await import("./commands/serve.ts")).runServe(ctx),
  migrate: async (ctx) => (await import("./commands/migrate.ts")).runMigrate(ctx),
  user: async (ctx) => (await import("./commands/user.ts")).runUser(ctx),
  import: async (ctx) => (await import("./commands/import.ts")).runImportCommand(ctx),
  demo: async (ctx) => (await import("./commands/demo.ts")).runDemo(ctx),
  export: async (ctx) => (await import("./commands/export.ts")).runExportCommand(ctx),
  indicators: async (ctx) => (await import("./commands/indicators.ts")).runIndicatorsCommand(ctx),
  report: async (ctx) => (await import("./commands/report.ts")).runReportCommand(ctx),
  emulation: async (ctx) => (await import("./commands/emulation.ts")).runEmulationCommand(ctx),
  plan: async (ctx) => (await import("./commands/plan.ts")).runPlanCommand(ctx),
  backup: async (ctx) => (await import("./commands/backup.ts")).runBackupCommand(ctx),
  restore: async (ctx) => (await import("./commands/backup.ts")).runRestoreCommand(ctx),
  privacy: async (ctx) => (await import("./commands/privacy.ts")).runPrivacyCommand(ctx),
  commune: async (ctx) => (await import("./commands/commune.ts")).runCommuneCommand(ctx),
  province: async (ctx) => (await import("./commands/province.ts")).runProvinceCommand(ctx),
};

/**
 * Commands that run for a second or a few: V8 compiles the embedded database's 9 MB of WebAssembly
 * with its baseline compiler only (Liftoff), without optimising hot functions in the background.
 * The optimising tier cost those commands more CPU than it saved — `indicators --json` on 30,000
 * residents 1.3 s → 0.6 s of CPU, `export residents` 2.8 s → 1.8 s — and the process waited for
 * it at exit (0.7 s). The server and the bulk writers (import, demo, restore, backup) keep it.
 */
const SHORT_COMMANDS = new Set([
  "migrate",
  "user",
  "commune",
  "export",
  "indicators",
  "report",
  "emulation",
  "plan",
  "province",
]);

export function mainHelp(lang: Lang): string {
  const l = (k: Parameters<typeof t>[1], p?: Parameters<typeof t>[2]) => t(lang, k, p);
  return [
    `${l("app.product")} — ${l("app.tagline")}`,
    "",
    l("cli.usage"),
    "",
    l("cli.commands"),
    `  serve     ${l("cli.cmd.serve")}`,
    `  migrate   ${l("cli.cmd.migrate")}`,
    `  user      ${l("cli.cmd.user")}`,
    `  import    ${l("cli.cmd.import")}`,
    `  demo      ${l("cli.cmd.demo")}`,
    `  export    ${l("cli.cmd.export")}`,
    `  indicators ${l("cli.cmd.indicators")}`,
    `  report    ${l("cli.cmd.report")}`,
    `  emulation ${l("cli.cmd.emulation")}`,
    `  plan      ${l("cli.cmd.plan")}`,
    `  backup    ${l("cli.cmd.backup")}`,
    `  restore   ${l("cli.cmd.restore")}`,
    `  privacy   ${l("cli.cmd.privacy")}`,
    `  commune   ${l("cli.cmd.commune")}`,
    `  province  ${l("cli.cmd.province")}`,
    "",
    l("cli.global_options"),
    `  --data-dir DIR   ${l("cli.opt.data_dir")}`,
    `  --lang vi|en     ${l("cli.opt.lang")}`,
    `  --help, -h       ${l("cli.opt.help")}`,
    "",
    `  bdhvs <command> --help`,
  ].join("\n");
}

/** Splits the common options off, wherever they stand. */
function splitCommon(argv: string[]): CliContext & { command: string | undefined } {
  let lang: Lang = isLang(process.env.BDHVS_LANG) ? process.env.BDHVS_LANG : "vi";
  let dataDir: string | undefined;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") help = true;
    else if (a === "--lang" || a.startsWith("--lang=")) {
      const v = a.includes("=") ? a.slice(7) : argv[++i];
      if (isLang(v)) lang = v;
      else throw new CliError(t(lang, "cli.unknown_option", { detail: `--lang ${v ?? ""}` }));
    } else if (a === "--data-dir" || a.startsWith("--data-dir=")) {
      dataDir = a.includes("=") ? a.slice(11) : argv[++i];
      if (!dataDir) throw new CliError(t(lang, "cli.unknown_option", { detail: "--data-dir" }));
    } else rest.push(a);
  }
  const [command, ...args] = rest;
  return { command, args, lang, dataDir, help };
}

/** Runs node:util's parseArgs for a command, turning its errors into a clear message. */
export function tryParse<T>(ctx: CliContext, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new CliError(t(ctx.lang, "cli.unknown_option", { detail: (err as Error).message }));
  }
}

/** config.ts's loadConfig, loaded by main() before it runs a command. */
let loadConfigOnce: typeof loadConfig | undefined;

/** The configuration for a command: environment, with `--data-dir` over DATA_DIR. */
export function configFor(ctx: CliContext) {
  if (!loadConfigOnce) throw new Error("configFor() is for commands that main() runs");
  return loadConfigOnce(ctx.dataDir ? { ...process.env, DATA_DIR: ctx.dataDir } : process.env);
}

export async function main(argv: string[]): Promise<number> {
  let lang: Lang = "vi";
  try {
    const ctx = splitCommon(argv);
    lang = ctx.lang;
    if (!ctx.command) {
      process.stdout.write(`${mainHelp(lang)}\n`);
      return ctx.help ? 0 : 2;
    }
    const run = COMMANDS[ctx.command];
    if (!run) {
      process.stderr.write(
        `${t(lang, "cli.unknown_command", { command: ctx.command })}\n\n${mainHelp(lang)}\n`,
      );
      return 2;
    }
    if (SHORT_COMMANDS.has(ctx.command)) setFlagsFromString("--liftoff-only");
    loadConfigOnce ??= (await import("../config.ts")).loadConfig;
    return (await run(ctx)) ?? 0;
  } catch (err) {
    return report(lang, err);
  }
}

/** Writes a command's error as its user should read it; the exit code. */
async function report(lang: Lang, err: unknown): Promise<number> {
  if (err instanceof CliError) {
    process.stderr.write(`${err.message}\n`);
    return err.exitCode;
  }
  const [{ ConfigError }, { DataDirInUseError }, { AppError }, { DataFileError }] = await Promise.all([
    import("../config.ts"),
    import("../db/lock.ts"),
    import("../lib/errors.ts"),
    import("../lib/json-file.ts"),
  ]);
  if (err instanceof DataDirInUseError) {
    process.stderr.write(`${t(lang, "cli.db_in_use", { dir: err.dataDir, pid: err.pid })}\n`);
    return 1;
  }
  if (err instanceof ConfigError || err instanceof DataFileError) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (err instanceof AppError) {
    const fields = Object.entries(err.fields).map(([k, m]) => `  ${k}: ${t(lang, m.key, m.params)}`);
    process.stderr.write(
      `${t(lang, "cli.error", { message: t(lang, err.msg.key, err.msg.params) })}\n${fields.join("\n")}${fields.length ? "\n" : ""}`,
    );
    return 1;
  }
  process.stderr.write(`${t(lang, "cli.error", { message: (err as Error)?.stack ?? String(err) })}\n`);
  return 1;
}
