import fs from "node:fs";
import path from "node:path";
import { resolveWindow } from "../../features/indicators/service.ts";
import { buildReportModel } from "../../features/reports/build.ts";
import { REPORT_FORMATS, renderReport } from "../../features/reports/render.ts";
import { EMPTY_NARRATIVE } from "../../features/reports/service.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { t } from "../../lib/i18n/index.ts";
import { defineCommand, sharedOptions, stringOption, usageHelp } from "../command.ts";
import { CliError } from "../io.ts";
import { commandPlan } from "./plan.ts";

type Format = (typeof REPORT_FORMATS)[number];
const isFormat = (f: string): f is Format => (REPORT_FORMATS as readonly string[]).includes(f);

/**
 * `bdhvs report --period P [--date D] --format docx|xlsx|pdf --out FILE` (SPEC §6): the report computed
 * now from the data, as a draft would be; submitting (freezing) is done in the web app or the API.
 */
export const runReportCommand = defineCommand({
  help: usageHelp("cli.report.usage", (lang) => t(lang, "cli.report.note")),
  options: {
    ...sharedOptions("period", "date"),
    format: stringOption("--format F", "cli.report.opt_format"),
    out: stringOption("--out FILE", "cli.report.opt_out"),
    number: stringOption("--number N", "reports.number_hint"),
    signer: stringOption("--signer NAME", "reports.signer_hint"),
    ...sharedOptions("plan", "commune"),
  },
  helpLayout: { width: 20 },

  run: async ({ lang, values, positionals, usage, withCommune }) => {
    if (positionals.length > 0) throw usage();
    const out = values.out;
    if (!values.period) throw new CliError(t(lang, "cli.report.period_required"), 2);
    if (!out) throw new CliError(t(lang, "cli.report.out_required"), 2);
    const format = (values.format ?? path.extname(out).slice(1)).toLowerCase();
    if (!isFormat(format))
      throw new CliError(t(lang, "reports.bad_format", { value: values.format ?? format }), 2);
    return withCommune(async (db, communeId) => {
      const plan = await commandPlan(db, communeId, values.plan);
      const { date, period } = resolveWindow({ date: values.date, period: values.period, plan });
      const { model } = await buildReportModel({
        db,
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
      fs.writeFileSync(out, await renderReport(model, format));
      process.stderr.write(`${t(lang, "cli.report.written", { period: period.code, date, file: out })}\n`);
      return 0;
    });
  },
});
