import { INSERT_CHUNK } from "../../db/chunks.ts";
import { cliActor } from "../../features/audit/service.ts";
import { createProvinceDemo, PROVINCE_DEMO_RESIDENTS, PROVINCE_NAME } from "../../features/demo/province.ts";
import { createDemoCommune, DEMO_RESIDENTS } from "../../features/demo/service.ts";
import { t } from "../../lib/i18n/index.ts";
import { booleanOption, type CommandRun, defineCommand, sharedOptions, stringOption } from "../command.ts";
import { CliError } from "../io.ts";

const OPTIONS = {
  residents: stringOption("--residents N", "cli.opt.residents"),
  ...sharedOptions("commune"),
  province: booleanOption("--province", "communes.cli_opt_demo_province"),
  size: stringOption("--size N", "communes.cli_opt_demo_size"),
};

/** `bdhvs demo [--residents N]`: a synthetic commune to try the app with. */
export const runDemo = defineCommand({
  help: (lang, options) =>
    [t(lang, "cli.demo_usage"), `  ${t(lang, "cli.cmd.demo")}`, "", ...options].join("\n"),
  options: OPTIONS,
  helpLayout: { width: 17 },
  positionals: false,
  run: async (cmd) => {
    const { lang, values } = cmd;
    if (values.province) return runProvinceDemo(cmd);
    if (values.size !== undefined) throw new CliError(t(lang, "cli.unknown_option", { detail: "--size" }), 2);
    const residents = values.residents === undefined ? DEMO_RESIDENTS : Number(values.residents);
    if (!Number.isInteger(residents) || residents < 10 || residents > 1_000_000) {
      throw new CliError(t(lang, "cli.unknown_option", { detail: `--residents ${values.residents}` }), 2);
    }
    return cmd.withCommune(async (db, communeId) => {
      const counts = await createDemoCommune({
        db,
        communeId,
        actor: cliActor(communeId),
        residents,
        onStep: (kind) =>
          process.stderr.write(`${t(lang, "cli.demo_step", { kind: t(lang, `kind.${kind}`) })}\n`),
      });
      process.stdout.write(`${t(lang, "cli.demo_done", counts)}\n`);
      return 0;
    });
  },
});

/** `bdhvs demo --province [--size N]`: the province's real communes with synthetic residents (issue 18.6). */
async function runProvinceDemo({ lang, values, withDatabase }: CommandRun<typeof OPTIONS>): Promise<number> {
  if (values.residents !== undefined || values.commune !== undefined)
    throw new CliError(t(lang, "cli.unknown_option", { detail: "--province --residents/--commune" }), 2);
  const size = values.size === undefined ? PROVINCE_DEMO_RESIDENTS : Number(values.size);
  if (!Number.isInteger(size) || size < 10 || size > 100_000)
    throw new CliError(t(lang, "cli.unknown_option", { detail: `--size ${values.size}` }), 2);
  return withDatabase(async (database) => {
    let last = 0;
    const counts = await createProvinceDemo({
      db: database.db,
      actor: cliActor(null),
      size,
      // PGlite aborts on long multi-row inserts (db/chunks.ts); PostgreSQL takes bigger ones.
      chunk: database.kind === "pglite" ? INSERT_CHUNK : 2000,
      onCommune: (done, total) => {
        if (done === total || done - last >= 20) {
          last = done;
          process.stderr.write(`${t(lang, "communes.province_demo_step", { done, total })}\n`);
        }
      },
    });
    process.stdout.write(
      `${t(lang, "communes.province_demo_done", { communes: counts.communes, province: PROVINCE_NAME, residents: counts.residents })}\n`,
    );
    return 0;
  });
}
