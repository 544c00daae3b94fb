import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import { INSERT_CHUNK } from "../../db/chunks.ts";
import { cliActor } from "../../features/audit/service.ts";
import { createProvinceDemo, PROVINCE_DEMO_RESIDENTS, PROVINCE_NAME } from "../../features/demo/province.ts";
import { createDemoCommune, DEMO_RESIDENTS } from "../../features/demo/service.ts";
import { t } from "../../lib/i18n/index.ts";
import { communeOf } from "../commune.ts";
import { CliError } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

export async function runDemo(ctx: CliContext): Promise<number> {
  const { lang } = ctx;
  if (ctx.help) {
    process.stdout.write(
      `${t(lang, "cli.demo_usage")}\n  ${t(lang, "cli.cmd.demo")}\n\n  --residents N    ${t(lang, "cli.opt.residents")}\n  --commune CODE   ${t(lang, "cli.opt.commune")}\n  --province       ${t(lang, "communes.cli_opt_demo_province")}\n  --size N         ${t(lang, "communes.cli_opt_demo_size")}\n  --data-dir DIR   ${t(lang, "cli.opt.data_dir")}\n`,
    );
    return 0;
  }
  const { values } = tryParse(ctx, () =>
    parseArgs({
      args: ctx.args,
      strict: true,
      allowPositionals: false,
      options: {
        residents: { type: "string" },
        commune: { type: "string" },
        province: { type: "boolean" },
        size: { type: "string" },
      },
    }),
  );
  if (values.province) return runProvinceDemo(ctx, values);
  if (values.size !== undefined) throw new CliError(t(lang, "cli.unknown_option", { detail: "--size" }), 2);
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

/** `bdhvs demo --province [--size N]`: the province's real communes with synthetic residents (issue 18.6). */
async function runProvinceDemo(
  ctx: CliContext,
  values: { residents?: string | undefined; commune?: string | undefined; size?: string | undefined },
): Promise<number> {
  const { lang } = ctx;
  if (values.residents !== undefined || values.commune !== undefined)
    throw new CliError(t(lang, "cli.unknown_option", { detail: "--province --residents/--commune" }), 2);
  const size = values.size === undefined ? PROVINCE_DEMO_RESIDENTS : Number(values.size);
  if (!Number.isInteger(size) || size < 10 || size > 100_000)
    throw new CliError(t(lang, "cli.unknown_option", { detail: `--size ${values.size}` }), 2);
  const database = await openAppDatabase(configFor(ctx));
  try {
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
  } finally {
    await database.close();
  }
}
