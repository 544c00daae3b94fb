import type { Db } from "../db/client.ts";
import { findCommuneByCode, listCommunes } from "../features/communes/repo.ts";
import { t } from "../lib/i18n/index.ts";
import { CliError } from "./io.ts";
import type { CliContext } from "./main.ts";

/** The commune a command acts on: `--commune CODE`, or the installation's only one. */
export async function communeOf(ctx: CliContext, db: Db, code: string | undefined): Promise<number> {
  if (code) {
    const c = (await findCommuneByCode(db, code)) ?? (await findCommuneByCode(db, code.trim().toUpperCase()));
    if (!c) throw new CliError(t(ctx.lang, "cli.commune_unknown", { code }));
    return c.id;
  }
  const all = await listCommunes(db);
  if (all.length !== 1)
    throw new CliError(t(ctx.lang, "cli.commune_ambiguous", { codes: all.map((c) => c.code).join(", ") }));
  return all[0]!.id;
}
