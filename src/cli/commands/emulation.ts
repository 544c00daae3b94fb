import { explainEntry, scoreText } from "../../features/emulation/explain.ts";
import { defaultPeriod, presentEntry, rankCommune } from "../../features/emulation/service.ts";
import { resolveWindow } from "../../features/indicators/service.ts";
import { t } from "../../lib/i18n/index.ts";
import { defineCommand, sharedOptions, stringOption } from "../command.ts";
import { commandPlan } from "./plan.ts";

/** `bdhvs emulation [--period P] [--date D] [--json]`: the emulation ranking, each score explained (issue 19.2). */
export const runEmulationCommand = defineCommand({
  help: (lang, options) => [t(lang, "cli.emulation_usage"), "", ...options].join("\n"),
  options: {
    period: stringOption("--period P", "cli.emulation_opt_period"),
    ...sharedOptions("date", "plan", "json", "commune"),
  },

  run: async ({ lang, values, positionals, usage, withCommune }) => {
    if (positionals.length > 0) throw usage();
    return withCommune(async (db, communeId) => {
      const plan = await commandPlan(db, communeId, values.plan);
      const { date, period } = resolveWindow({
        date: values.date,
        period: values.period ?? defaultPeriod(),
        plan,
      });
      const r = await rankCommune({ db, communeId, plan, date, period });
      const villages = r.villages.map((e) => presentEntry(lang, e));
      const units = r.units.map((e) => presentEntry(lang, e));
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ ...r, villages, units }, null, 2)}\n`);
        return 0;
      }
      process.stdout.write(`${t(lang, "cli.emulation_heading", { date, period: period.code })}\n`);
      for (const [heading, list] of [
        [t(lang, "emulation.villages"), villages],
        [t(lang, "emulation.units"), units],
      ] as const) {
        process.stdout.write(`\n${heading}\n`);
        for (const e of list) {
          process.stdout.write(`${String(e.rank ?? "—").padStart(3)}. ${e.name} · ${scoreText(lang, e)}\n`);
          for (const line of explainEntry(lang, e)) process.stdout.write(`     ${line}\n`);
        }
      }
      return 0;
    });
  },
});
