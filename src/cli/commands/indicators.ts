import { computeIndicators, type IndicatorResult, resolveWindow } from "../../features/indicators/service.ts";
import { type Lang, t, translator } from "../../lib/i18n/index.ts";
import { defineCommand, sharedOptions, stringOption } from "../command.ts";
import { commandPlan } from "./plan.ts";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function line(lang: Lang, i: IndicatorResult): string {
  const count = i.numerator === undefined;
  const value = i.value === null ? t(lang, "cli.indicators_no_data") : count ? String(i.value) : pct(i.value);
  const figures = count ? "" : ` (${i.numerator}/${i.denominator})`;
  const target = count ? String(i.target) : pct(i.target);
  const met = i.met ? t(lang, "cli.indicators_met") : t(lang, "cli.indicators_not_met");
  return `${String(i.id).padStart(2)}. ${i.title}\n    ${value}${figures} · ${t(lang, "cli.indicators_target")} ${target} · ${met}`;
}

/** `bdhvs indicators [--date D] [--period P] [--json]`: the plan's indicators at D (SPEC §3, §7). */
export const runIndicatorsCommand = defineCommand({
  help: (lang, options) => [t(lang, "cli.indicators_usage"), "", ...options].join("\n"),
  options: {
    ...sharedOptions("date", "period", "plan", "json"),
    out: stringOption("--out FILE", "cli.indicators_opt_out"),
    ...sharedOptions("commune"),
  },

  run: async ({ lang, values, positionals, usage, withCommune }) => {
    if (positionals.length > 0) throw usage();
    return withCommune(async (db, communeId) => {
      const plan = await commandPlan(db, communeId, values.plan);
      const { date, period } = resolveWindow({ date: values.date, period: values.period, plan });
      const table = await computeIndicators({ db, communeId, plan, date, period });
      if (values.out) {
        // Loaded for --out only: the table writers bring ExcelJS (~0.2 s of the command's start).
        const [{ indicatorRows }, { writeRows }] = await Promise.all([
          import("../../features/indicators/dashboard.ts"),
          import("../../lib/tabular/write.ts"),
        ]);
        const { header, rows } = indicatorRows(translator(lang), table);
        await writeRows(values.out, { header, sheetName: t(lang, "dashboard.title") }, rows);
        process.stderr.write(
          `${t(lang, "cli.indicators_written", { rows: rows.length, file: values.out })}\n`,
        );
      }
      if (values.json) process.stdout.write(`${JSON.stringify(table, null, 2)}\n`);
      else if (!values.out) {
        process.stdout.write(`${t(lang, "cli.indicators_heading", { date, period: period.code })}\n\n`);
        for (const i of table.indicators) process.stdout.write(`${line(lang, i)}\n`);
      }
      return 0;
    });
  },
});
