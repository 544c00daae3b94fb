import type { Db } from "../../db/client.ts";
import { cleanText } from "../../lib/text.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { type CommuneRow, findCommuneById, insertCommune, listCommunes, updateCommuneRow } from "./repo.ts";

/**
 * The installation's first commune, created from the configuration when the database is new.
 * One installation holds one commune by default (SPEC §4).
 */
export async function ensureDefaultCommune(opts: {
  db: Db;
  commune: { code: string; name: string; province: string };
}): Promise<CommuneRow> {
  return opts.db.transaction(async (tx) => {
    const existing = await listCommunes(tx);
    if (existing[0]) return existing[0];
    return insertCommune(tx, {
      code: opts.commune.code,
      name: cleanText(opts.commune.name),
      province: cleanText(opts.commune.province),
    });
  });
}

export async function getDefaultCommune(db: Db): Promise<CommuneRow | undefined> {
  const [first] = await listCommunes(db);
  return first;
}

export async function renameCommune(opts: {
  db: Db;
  actor: Actor;
  communeId: number;
  name: string;
  province: string;
}): Promise<CommuneRow> {
  return opts.db.transaction(async (tx) => {
    const before = await findCommuneById(tx, opts.communeId);
    const after = await updateCommuneRow(tx, opts.communeId, {
      name: cleanText(opts.name),
      province: cleanText(opts.province),
    });
    if (!before || !after) throw new Error(`commune ${opts.communeId} not found`);
    await recordAudit(tx, opts.actor, {
      action: "commune.update",
      entity: "commune",
      entityId: after.id,
      before,
      after,
      communeId: after.id,
    });
    return after;
  });
}
