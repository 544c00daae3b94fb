import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import { cliActor } from "../../features/audit/service.ts";
import { createDemoCommune, DEMO_RESIDENTS } from "../../features/demo/service.ts";
import { t } from "../../lib/i18n/index.ts";
import { communeOf } from "../commune.ts";
import { CliError } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

export async function runDemo(ctx: CliContext): Promise<number> {
  const { lang } = ctx;
  if (ctx.help) {
    process.stdout.write(
      `${t(lang, "cli.demo_usage")}\n  ${t(lang, "cli.cmd.demo")}\n\n  --residents N    ${t(lang, "cli.opt.residents")}\n  --data-dir DIR   ${t(lang, "cli.opt.data_dir")}\n`,
    );
    return 0;
  }
  const { values } = tryParse(ctx, () =>
    parseArgs({
      args: ctx.args,
      strict: true,
      allowPositionals: false,
      options: { residents: { type: "string" }, commune: { type: "string" } },
    }),
  );
  const residents = values.residents === undefined ? DEMO_RESIDENTS : Number(values.residents);
  if (!Number.isInteger(residents) || residents < 10 || residents > 1_000_000) {
    throw new CliError(t(lang, "cli.unknown_option", { detail: `--residents ${values.residents}` }), 2);
  }
  const database = await openAppDatabase(configFor(ctx));
  try {
    const communeId = await communeOf(ctx, database.db, values.commune);
    const counts = await createDemoCommune({
      db: database.db,
      communeId,
      actor: cliActor(communeId),
      residents,
      onStep: (kind) =>
        process.stderr.write(`${t(lang, "cli.demo_step", { kind: t(lang, `kind.${kind}`) })}\n`),
    });
    process.stdout.write(`${t(lang, "cli.demo_done", counts)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
