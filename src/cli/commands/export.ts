import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import { cliActor, recordAudit } from "../../features/audit/service.ts";
import { EXPORT_KINDS, exportRecords, isExportKind } from "../../features/exports/service.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import type { FileFormat } from "../../lib/tabular/read.ts";
import { communeOf } from "../commune.ts";
import { CliError } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

function help(lang: Lang) {
  return [
    t(lang, "cli.export_usage"),
    "",
    `  --out FILE        ${t(lang, "cli.export_opt_out")}`,
    `  --commune CODE    ${t(lang, "cli.opt.commune")}`,
    `  --data-dir DIR    ${t(lang, "cli.opt.data_dir")}`,
    `  --lang vi|en      ${t(lang, "cli.opt.lang")}`,
    "",
    `${t(lang, "cli.export_kinds")} ${EXPORT_KINDS.join(", ")}`,
  ].join("\n");
}

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
export async function runExportCommand(ctx: CliContext): Promise<number> {
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
        out: { type: "string" },
        commune: { type: "string" },
      },
    }),
  );
  const [kind, ...extra] = positionals;
  const out = values.out;
  if (!kind || !out || extra.length > 0) throw new CliError(help(lang), 2);
  if (!isExportKind(kind)) {
    throw new CliError(t(lang, "cli.export_unknown_kind", { kind, kinds: EXPORT_KINDS.join(", ") }), 2);
  }
  const format = formatOf(lang, out);
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CliError(t(lang, "cli.export_no_dir", { dir }));
  }

  const database = await openAppDatabase(configFor(ctx));
  let rows: number;
  try {
    const communeId = await communeOf(ctx, database.db, values.commune);
    ({ rows } = await exportRecords({
      db: database.db,
      kind,
      scope: { kind: "commune", communeId },
      mask: false,
      file: out,
      format,
    }));
    await recordAudit(database.db, cliActor(communeId), {
      action: `export.${kind}`,
      entity: kind,
      after: { file: path.basename(out), rows },
    });
  } finally {
    await database.close();
  }
  process.stdout.write(`${t(lang, "cli.export_done", { rows, kind, file: out })}\n`);
  return 0;
}
