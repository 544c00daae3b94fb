import fs from "node:fs";
import path from "node:path";
import { cliActor } from "../../features/audit/service.ts";
import { deleteFinishedJobsOfCommune } from "../../features/imports/repo.ts";
import { removeUploadsOfCommune } from "../../features/imports/uploads.ts";
import { erasePerson, exportPerson, type PersonKey } from "../../features/privacy/person.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { defineCommand, sharedOptions, stringOption } from "../command.ts";
import { CliError } from "../io.ts";

function keyOf(lang: Lang, citizenId: string | undefined, resident: string | undefined): PersonKey {
  if ((citizenId === undefined) === (resident === undefined))
    throw new CliError(t(lang, "cli.privacy_one_key"), 2);
  if (citizenId !== undefined) return { citizenId };
  const raw = resident!.trim();
  if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) === 0)
    throw new CliError(t(lang, "privacy.bad_resident_id", { value: raw }));
  return { residentId: Number(raw) };
}

/**
 * `bdhvs privacy export|erase`: a data subject's request from the shell (the server's own rights,
 * one commune). Both are audited; the erasure names no erased value in its event.
 */
export const runPrivacyCommand = defineCommand({
  help: (lang, options) => [t(lang, "cli.privacy_usage"), "", ...options].join("\n"),
  options: {
    "citizen-id": stringOption("--citizen-id SỐ", "cli.privacy_opt_citizen"),
    resident: stringOption("--resident MÃ", "cli.privacy_opt_resident"),
    out: stringOption("--out FILE.json", "cli.privacy_opt_out"),
    reason: stringOption("--reason TEXT", "cli.privacy_opt_reason"),
    request: stringOption("--request ID", "cli.privacy_opt_request"),
    ...sharedOptions("commune"),
  },
  helpLayout: { common: [] },

  run: async ({ lang, values, positionals, usage, withCommune }) => {
    const [action, ...extra] = positionals;
    if ((action !== "export" && action !== "erase") || extra.length) throw usage();
    const key = keyOf(lang, values["citizen-id"], values.resident);
    if (action === "export") {
      if (!values.out) throw new CliError(t(lang, "cli.privacy_needs_out"), 2);
      const dir = path.dirname(path.resolve(values.out));
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
        throw new CliError(t(lang, "cli.export_no_dir", { dir }));
    } else if (!values.reason?.trim()) throw new CliError(t(lang, "cli.privacy_needs_reason"), 2);
    const requestId = values.request === undefined ? undefined : Number(values.request);
    await withCommune(async (db, communeId) => {
      const actor = cliActor(communeId);
      if (action === "export") {
        const data = await exportPerson({ db, communeId, key, actor, source: "cli" });
        fs.writeFileSync(values.out!, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
        process.stdout.write(
          `${t(lang, "cli.privacy_exported", {
            id: data.resident.id,
            file: values.out!,
            certifications: data.certifications.length,
            attendance: data.attendance.length,
            visits: data.visits.length,
            assessments: data.assessments.length,
            audit: data.audit.length,
          })}\n`,
        );
      } else {
        const r = await erasePerson({
          db,
          communeId,
          key,
          reason: values.reason!,
          actor,
          requestId: Number.isInteger(requestId) ? requestId : undefined,
        });
        // Import leftovers (uploads waiting for a commit, their rejects and errors, finished jobs'
        // previews), in the database: a running import's upload stays.
        await removeUploadsOfCommune(db, communeId);
        await deleteFinishedJobsOfCommune(db, communeId);
        process.stdout.write(`${t(lang, "cli.privacy_erased", { id: r.residentId, ...r.removed })}\n`);
      }
    });
    return 0;
  },
});
