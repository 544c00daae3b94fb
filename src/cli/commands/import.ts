import { cliActor } from "../../features/audit/service.ts";
import { describeIssue, runImport } from "../../features/imports/engine.ts";
import {
  IMPORT_KINDS,
  type ImportKindName,
  type ImportResult,
  type RowIssue,
} from "../../features/imports/types.ts";
import { AppError } from "../../lib/errors.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { collectGarbage } from "../../lib/memory.ts";
import {
  booleanOption,
  defineCommand,
  kindsNote,
  sharedOptions,
  stringOption,
  usageHelp,
} from "../command.ts";
import { CliError } from "../io.ts";
import { configFor } from "../main.ts";

const issueJson = (lang: Lang) => (e: RowIssue) => ({
  row: e.row,
  column: e.column,
  message: t(lang, e.message.key, e.message.params),
});

/** Rows between two full garbage collections (see `collectGarbage`). */
const GC_EVERY_ROWS = 25_000;

/**
 * A progress line on a terminal (standard error), nothing when piped; and a full garbage
 * collection every GC_EVERY_ROWS rows, which keeps a large import's peak memory down (a
 * 200,000-row import on PGlite: 400–470 MB without, 370–390 MB with, for ~1 s more CPU).
 */
function progress(lang: Lang) {
  let collected = 0;
  return (rows: number) => {
    if (rows - collected >= GC_EVERY_ROWS) {
      collected = rows;
      collectGarbage();
    }
    if (process.stderr.isTTY)
      process.stderr.write(`\r${t(lang, "cli.import_progress", { rows: rows.toLocaleString("vi-VN") })}`);
  };
}

export const runImportCommand = defineCommand({
  help: usageHelp("cli.import_usage", kindsNote("cli.import_kinds", IMPORT_KINDS)),
  options: {
    sheet: stringOption("--sheet NAME", "cli.opt.sheet"),
    "dry-run": booleanOption("--dry-run", "cli.opt.dry_run"),
    "skip-invalid": booleanOption("--skip-invalid", "cli.opt.skip_invalid"),
    rejects: stringOption("--rejects FILE", "cli.opt.rejects"),
    errors: stringOption("--errors FILE", "cli.opt.errors"),
    json: booleanOption("--json", "cli.opt.json"),
    ...sharedOptions("commune"),
  },
  helpLayout: { common: ["data-dir", "lang"] },

  run: async ({ ctx, lang, values, positionals, usage, withCommune }) => {
    const [kind, file, ...extra] = positionals;
    if (!kind || !file || extra.length > 0) throw usage();
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
      throw new CliError(t(lang, "cli.import_unknown_kind", { kind, kinds: IMPORT_KINDS.join(", ") }), 2);
    }
    if (values.rejects && !values["skip-invalid"]) throw new CliError(t(lang, "cli.rejects_needs_skip"), 2);
    const config = configFor(ctx);
    // PGlite in this thread, as for every command but serve: a thread of its own costs 40–70 MB
    // against the import's memory target (docs/architecture.md, "PGlite in its own thread").
    const result = await withCommune(async (db, communeId): Promise<ImportResult | number> => {
      try {
        const result = await runImport({
          db,
          communeId,
          kind: kind as ImportKindName,
          file,
          sheet: values.sheet,
          dryRun: values["dry-run"],
          skipInvalid: values["skip-invalid"],
          rejectsFile: values.rejects,
          errorsFile: values.errors,
          maxRows: config.importMaxRows,
          actor: cliActor(communeId),
          onProgress: progress(lang),
          lang,
        });
        if (process.stderr.isTTY) process.stderr.write("\n");
        return result;
      } catch (err) {
        if (!(err instanceof AppError) || !values.json) throw err;
        // A file-level problem (unreadable file, no header) in the JSON shape too.
        const message = t(lang, err.msg.key, err.msg.params);
        process.stdout.write(
          `${JSON.stringify({ ok: false, kind, rows: 0, inserted: 0, updated: 0, unchanged: 0, errors: [{ row: null, column: null, message }], warnings: [] })}\n`,
        );
        return 1;
      }
    });
    if (typeof result === "number") return result;
    printResult(lang, kind as ImportKindName, values, result);
    return result.ok ? 0 : 1;
  },
});

/** What an import prints: JSON with `--json`, else its warnings, errors and summary in words. */
function printResult(
  lang: Lang,
  kind: ImportKindName,
  values: { json?: boolean | undefined; errors?: string | undefined; rejects?: string | undefined },
  result: ImportResult,
): void {
  if (values.json) {
    const { ok, rows, inserted, updated, unchanged } = result;
    process.stdout.write(
      `${JSON.stringify({
        ok,
        kind,
        rows,
        inserted,
        updated,
        unchanged,
        errors: result.errors.map(issueJson(lang)),
        error_count: result.errorCount,
        invalid_rows: result.invalidRows,
        warnings: result.warnings.map(issueJson(lang)),
        warning_count: result.warningCount,
      })}\n`,
    );
  } else {
    const lines: string[] = [];
    for (const w of result.warnings)
      lines.push(`  ${t(lang, "cli.import_row", { row: w.row })} ${describeIssue(lang, w, kind)}`);
    if (result.warningCount > result.warnings.length)
      lines.push(`  ${t(lang, "cli.import_more", { n: result.warningCount - result.warnings.length })}`);
    if (lines.length) lines.unshift(t(lang, "cli.import_warnings", { n: result.warningCount }));
    if (result.errorCount) {
      lines.push(t(lang, "cli.import_errors", { n: result.errorCount }));
      for (const e of result.errors)
        lines.push(`  ${t(lang, "cli.import_row", { row: e.row })} ${describeIssue(lang, e, kind)}`);
      if (result.errorCount > result.errors.length)
        lines.push(`  ${t(lang, "cli.import_more", { n: result.errorCount - result.errors.length })}`);
      if (values.errors)
        lines.push(t(lang, "cli.import_errors_written", { n: result.errorCount, file: values.errors }));
    }
    const summary = t(
      lang,
      result.ok ? (result.dryRun ? "cli.import_dry_ok" : "cli.import_ok") : "cli.import_failed",
      {
        kind,
        rows: result.rows,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
      },
    );
    lines.push(summary);
    if (result.ok && result.rejected > 0 && values.rejects) {
      lines.push(t(lang, "cli.import_rejects_written", { n: result.rejected, file: values.rejects }));
    }
    (result.ok ? process.stdout : process.stderr).write(`${lines.join("\n")}\n`);
  }
}
