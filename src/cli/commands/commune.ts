import { cliActor } from "../../features/audit/service.ts";
import { listCommuneSummaries } from "../../features/communes/repo.ts";
import { addCommune } from "../../features/communes/service.ts";
import { loadPlan, type Plan, PlanError } from "../../features/indicators/plan.ts";
import { t } from "../../lib/i18n/index.ts";
import { booleanOption, defineCommand, stringOption } from "../command.ts";
import { CliError } from "../io.ts";

/** The province's template plan of `--plan FILE`, checked like any plan file. */
function templateFile(file: string): Plan {
  try {
    return loadPlan(file);
  } catch (err) {
    if (err instanceof PlanError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** `bdhvs commune add CODE --name NAME [--province NAME] [--plan FILE]` and `bdhvs commune list [--json]`. */
export const runCommuneCommand = defineCommand({
  help: (lang, options) => [t(lang, "communes.cli_usage"), "", ...options].join("\n"),
  options: {
    name: stringOption("add CODE --name NAME", "communes.cli_add"),
    province: stringOption("--province NAME", "communes.cli_opt_province"),
    plan: stringOption("--plan FILE", "communes.cli_opt_plan"),
    json: booleanOption("list [--json]", "communes.cli_list"),
  },
  helpLayout: { width: 23 },

  run: async ({ lang, values, positionals, usage, withDatabase }) => {
    const [action, code, ...rest] = positionals;
    const usable =
      rest.length === 0 &&
      ((action === "add" && !!code && values.name !== undefined && !values.json) ||
        (action === "list" &&
          !code &&
          values.name === undefined &&
          values.province === undefined &&
          !values.plan));
    if (!usable) throw usage();
    return withDatabase(async ({ db }) => {
      if (action === "add") {
        const template = values.plan ? templateFile(values.plan) : undefined;
        const commune = await addCommune({
          db,
          actor: cliActor(null),
          input: { code, name: values.name, province: values.province },
          ...(template ? { template } : {}),
        });
        process.stdout.write(
          `${t(lang, "communes.added", { code: commune.code, name: commune.name, province: commune.province })}\n`,
        );
        return 0;
      }
      const all = await listCommuneSummaries(db);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return 0;
      }
      const lines = [t(lang, "communes.cli_list_header")];
      for (const c of all)
        lines.push(
          `${c.code}\t${c.name}\t${c.province}\t${c.residents}\t${c.admins}${c.demo ? "\tdemo" : ""}`,
        );
      process.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    });
  },
});
