import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../db/client.ts";
import { cliActor } from "../../features/audit/service.ts";
import { loadPlan, type Plan, PlanError } from "../../features/indicators/plan.ts";
import { applyPlanFile, copyPlan, planFor, planOfYear, resetPlanOf } from "../../features/plans/service.ts";
import { AppError } from "../../lib/errors.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { defineCommand } from "../command.ts";
import { CliError } from "../io.ts";

/** The plan a command computes with: the file of `--plan`, else the plan in force for the commune. */
export async function commandPlan(db: Db, communeId: number, file: string | undefined): Promise<Plan> {
  if (!file) return planFor(db, communeId);
  try {
    return loadPlan(file);
  } catch (err) {
    if (err instanceof PlanError) throw new CliError(err.message, 2);
    throw err;
  }
}

function help(lang: Lang) {
  return [
    t(lang, "cli.plan.usage"),
    "",
    `  show [--year YEAR]            ${t(lang, "plans.download")}; --year: ${t(lang, "cli.plan.opt_year")}`,
    `  load FILE                     ${t(lang, "plans.load_intro")}`,
    `  copy --from YEAR --to YEAR    ${t(lang, "plans.next_none", { year: "YEAR" })}`,
    `  reset                         ${t(lang, "plans.reset")}`,
    `  --commune CODE    ${t(lang, "cli.opt.commune")}`,
    `  --data-dir DIR    ${t(lang, "cli.opt.data_dir")}`,
  ].join("\n");
}

/** `bdhvs plan show|load FILE|copy --from Y --to Y|reset`: the commune's plans (SPEC §3.3, issue 19.5). */
export const runPlanCommand = defineCommand({
  help,
  options: {
    commune: { type: "string" },
    year: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
  },
  run: async ({ lang, values, positionals, usage, withCommune }) => {
    const [action, file, ...rest] = positionals;
    if (
      rest.length > 0 ||
      !["show", "load", "copy", "reset"].includes(action ?? "") ||
      (action === "load") !== !!file ||
      (action === "copy" && (!!file || !values.from || !values.to))
    )
      throw action === "copy" ? new CliError(t(lang, "cli.plan.copy_usage"), 2) : usage();
    const yearArg = (v: string | undefined) => {
      if (v === undefined) return undefined;
      if (!/^\d{4}$/.test(v)) throw new CliError(t(lang, "cli.plan.copy_usage"), 2);
      return Number(v);
    };
    const [year, from, to] = [yearArg(values.year), yearArg(values.from), yearArg(values.to)];
    let text = "";
    if (action === "load") {
      try {
        text = fs.readFileSync(file!, "utf8");
      } catch (err) {
        throw new CliError(`${file}: ${(err as Error).message}`, 2);
      }
    }
    return withCommune(async (db, communeId) => {
      const actor = cliActor(communeId);
      if (action === "show") {
        const plan =
          year === undefined ? await planFor(db, communeId) : (await planOfYear(db, communeId, year))?.plan;
        if (!plan) throw new CliError(t(lang, "plans.copy_no_source", { year: year! }), 1);
        process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
        return 0;
      }
      if (action === "copy") {
        try {
          await copyPlan({ db, communeId, userId: null, actor, from: from!, to: to! });
        } catch (err) {
          if (err instanceof AppError && ["validation", "conflict", "not_found"].includes(err.code)) {
            const m = Object.values(err.fields)[0] ?? err.msg;
            throw new CliError(t(lang, m.key, m.params), 1);
          }
          throw err;
        }
        process.stderr.write(`${t(lang, "cli.plan.copied", { from: from!, to: to! })}\n`);
        return 0;
      }
      if (action === "reset") {
        await resetPlanOf({ db, communeId, actor });
        process.stderr.write(`${t(lang, "plans.reset_done")}\n`);
        return 0;
      }
      try {
        const fileName = path.basename(file!);
        const plan = await applyPlanFile({ db, communeId, userId: null, actor, fileName, text });
        process.stderr.write(`${t(lang, "plans.loaded", { file: fileName, year: plan.year })}\n`);
        return 0;
      } catch (err) {
        if (err instanceof AppError && err.code === "validation")
          throw new CliError(t(lang, err.msg.key, err.msg.params), 1);
        throw err;
      }
    });
  },
});
