import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import type { Viewer } from "../../features/auth/viewer.ts";
import { renderProvinceReportNow } from "../../features/province/report-service.ts";
import { isReportFormat } from "../../features/reports/render.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { CliError } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

function help(lang: Lang) {
  return [
    t(lang, "cli.province.usage"),
    "",
    `  --period P          ${t(lang, "cli.indicators_opt_period")}`,
    `  --date YYYY-MM-DD   ${t(lang, "cli.indicators_opt_date")}`,
    `  --format F          ${t(lang, "cli.report.opt_format")}`,
    `  --out FILE          ${t(lang, "cli.report.opt_out")}`,
    `  --number N          ${t(lang, "reports.number_hint")}`,
    `  --signer NAME       ${t(lang, "reports.signer_hint")}`,
    `  --data-dir DIR      ${t(lang, "cli.opt.data_dir")}`,
  ].join("\n");
}

/** The CLI has the server's rights: the province's scope, every commune. */
const INSTALLATION: Viewer = {
  userId: 0,
  username: "cli",
  displayName: "cli",
  role: "province",
  communeId: 0,
  communeName: "",
  villageIds: [],
  unitId: null,
  totpEnabled: false,
  scope: { kind: "installation" },
};

/**
 * `bdhvs province report --period P [--date D] --format docx|xlsx|pdf --out FILE` (issue 18.3): the
 * province report computed now from every commune's data, as a draft would be; submitting is done on
 * the web (`/province/reports`) or through the API.
 */
export async function runProvinceCommand(ctx: CliContext): Promise<number> {
  const { lang } = ctx;
  const [sub, ...rest] = ctx.args;
  if (ctx.help || sub !== "report") {
    process.stdout.write(`${help(lang)}\n`);
    return ctx.help ? 0 : 2;
  }
  const { values, positionals } = tryParse(ctx, () =>
    parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        period: { type: "string" },
        date: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        number: { type: "string" },
        signer: { type: "string" },
      },
    }),
  );
  if (positionals.length > 0) throw new CliError(help(lang), 2);
  if (!values.period) throw new CliError(t(lang, "cli.report.period_required"), 2);
  if (!values.out) throw new CliError(t(lang, "cli.report.out_required"), 2);
  const format = (values.format ?? path.extname(values.out).slice(1)).toLowerCase();
  if (!isReportFormat(format))
    throw new CliError(t(lang, "reports.bad_format", { value: values.format ?? format }), 2);
  const database = await openAppDatabase(configFor(ctx));
  try {
    const bytes = await renderProvinceReportNow({
      db: database.db,
      viewer: INSTALLATION,
      input: { period: values.period, date: values.date, number: values.number, signerName: values.signer },
      lang,
      format,
    });
    fs.writeFileSync(values.out, bytes);
    process.stderr.write(
      `${t(lang, "preport.cli_written", { period: values.period.toUpperCase(), format, file: values.out })}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
