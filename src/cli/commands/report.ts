import fs from "node:fs";
import path from "node:path";
import { resolveWindow } from "../../features/indicators/service.ts";
import { buildReportModel } from "../../features/reports/build.ts";
import { REPORT_FORMATS, renderReport } from "../../features/reports/render.ts";
import { EMPTY_NARRATIVE } from "../../features/reports/service.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { defineCommand, optionLines } from "../command.ts";
import { CliError } from "../io.ts";
import { commandPlan } from "./plan.ts";

function help(lang: Lang) {
  return [
    t(lang, "cli.report.usage"),
    "",
    ...optionLines(20, [
      ["--period P", t(lang, "cli.indicators_opt_period")],
      ["--date YYYY-MM-DD", t(lang, "cli.indicators_opt_date")],
      ["--format F", t(lang, "cli.report.opt_format")],
      ["--out FILE", t(lang, "cli.report.opt_out")],
      ["--number N", t(lang, "reports.number_hint")],
      ["--signer NAME", t(lang, "reports.signer_hint")],
      ["--plan FILE", t(lang, "cli.indicators_opt_plan")],
      ["--commune CODE", t(lang, "cli.opt.commune")],
      ["--data-dir DIR", t(lang, "cli.opt.data_dir")],
    ]),
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
export const runReportCommand = defineCommand({
  help,
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
