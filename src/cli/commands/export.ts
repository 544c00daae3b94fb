import fs from "node:fs";
import path from "node:path";
import { cliActor, recordAudit } from "../../features/audit/service.ts";
import { EXPORT_KINDS, exportRecords, isExportKind } from "../../features/exports/service.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import type { FileFormat } from "../../lib/tabular/read.ts";
import { defineCommand, kindsNote, sharedOptions, stringOption, usageHelp } from "../command.ts";
import { CliError } from "../io.ts";

/** The format of the output file by its extension; anything else is refused before the database opens. */
function formatOf(lang: Lang, file: string): FileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".xlsx") return "xlsx";
  throw new CliError(t(lang, "cli.export_bad_format", { file }), 2);
}

/**
 * `bdhvs export <kind> --out FILE.csv|FILE.xlsx`: every record of the kind in the commune, unmasked —
 * the CLI runs with the server's own rights (SPEC §7) — with one audit event per export.
 */
export const runExportCommand = defineCommand({
  help: usageHelp("cli.export_usage", kindsNote("cli.export_kinds", EXPORT_KINDS)),
  options: { out: stringOption("--out FILE", "cli.export_opt_out"), ...sharedOptions("commune") },
  helpLayout: { common: ["data-dir", "lang"] },
  run: async ({ lang, values, positionals, usage, withCommune }) => {
    const [kind, ...extra] = positionals;
    const out = values.out;
    if (!kind || !out || extra.length > 0) throw usage();
    if (!isExportKind(kind)) {
      throw new CliError(t(lang, "cli.export_unknown_kind", { kind, kinds: EXPORT_KINDS.join(", ") }), 2);
    }
    const format = formatOf(lang, out);
    const dir = path.dirname(path.resolve(out));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new CliError(t(lang, "cli.export_no_dir", { dir }));
    }
    const rows = await withCommune(async (db, communeId) => {
      const { rows } = await exportRecords({
        db,
        kind,
        scope: { kind: "commune", communeId },
        mask: false,
        file: out,
        format,
      });
      await recordAudit(db, cliActor(communeId), {
        action: `export.${kind}`,
        entity: kind,
        after: { file: path.basename(out), rows },
      });
      return rows;
    });
    process.stdout.write(`${t(lang, "cli.export_done", { rows, kind, file: out })}\n`);
    return 0;
  },
});
