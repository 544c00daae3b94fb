import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import { resolveWindow } from "../../features/indicators/service.ts";
import { buildReportModel } from "../../features/reports/build.ts";
import { REPORT_FORMATS, renderReport } from "../../features/reports/render.ts";
import { EMPTY_NARRATIVE } from "../../features/reports/service.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { communeOf } from "../commune.ts";
import { CliError } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";
import { commandPlan } from "./plan.ts";

function help(lang: Lang) {
  return [
    t(lang, "cli.report.usage"),
    "",
    `  --period P          ${t(lang, "cli.indicators_opt_period")}`,
    `  --date YYYY-MM-DD   ${t(lang, "cli.indicators_opt_date")}`,
    `  --format F          ${t(lang, "cli.report.opt_format")}`,
    `  --out FILE          ${t(lang, "cli.report.opt_out")}`,
    `  --number N          ${t(lang, "reports.number_hint")}`,
    `  --signer NAME       ${t(lang, "reports.signer_hint")}`,
    `  --plan FILE         ${t(lang, "cli.indicators_opt_plan")}`,
    `  --commune CODE      ${t(lang, "cli.opt.commune")}`,
    `  --data-dir DIR      ${t(lang, "cli.opt.data_dir")}`,
    "",
    t(lang, "cli.report.note"),
  ].join("\n");
}

type Format = (typeof REPORT_FORMATS)[number];
const isFormat = (f: string): f is Format => (REPORT_FORMATS as readonly string[]).includes(f);

/**
 * `bdhvs report --period P [--date D] --format docx|xlsx|pdf --out FILE` (SPEC §6): the report computed
 * now from the data, as a draft would be; submitting (freezing) is done in the web app or the API.
 */
export async function runReportCommand(ctx: CliContext): Promise<number> {
  const { lang } = ctx;
  if (ctx.help) {
    process.stdout.write(`${help(lang)}\n`);
    return 0;
  }
  const { values, positionals } = tryParse(ctx, () =>
    parseArgs({
      args: ctx.args,
      allowPositionals: true,
      strict: true,
      options: {
        period: { type: "string" },
        date: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        number: { type: "string" },
        signer: { type: "string" },
        plan: { type: "string" },
        commune: { type: "string" },
      },
    }),
  );
  if (positionals.length > 0) throw new CliError(help(lang), 2);
  if (!values.period) throw new CliError(t(lang, "cli.report.period_required"), 2);
  if (!values.out) throw new CliError(t(lang, "cli.report.out_required"), 2);
  const format = (values.format ?? path.extname(values.out).slice(1)).toLowerCase();
  if (!isFormat(format))
    throw new CliError(t(lang, "reports.bad_format", { value: values.format ?? format }), 2);
  const database = await openAppDatabase(configFor(ctx));
  try {
    const communeId = await communeOf(ctx, database.db, values.commune);
    const plan = await commandPlan(database.db, communeId, values.plan);
    const { date, period } = resolveWindow({ date: values.date, period: values.period, plan });
    const { model } = await buildReportModel({
      db: database.db,
      communeId,
      plan,
      period,
      date,
      narrative: EMPTY_NARRATIVE,
      number: values.number ?? null,
      signedOn: todayInVietnam(),
      signerName: values.signer ?? null,
      lang,
    });
    const bytes = await renderReport(model, format);
    fs.writeFileSync(values.out, bytes);
    process.stderr.write(
      `${t(lang, "cli.report.written", { period: period.code, date, file: values.out })}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
