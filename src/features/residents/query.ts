import type { Db } from "../../db/client.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { seesUnmasked, type Viewer } from "../auth/viewer.ts";
import { findUnitByCode } from "../units/repo.ts";
import { findVillagesByCodes } from "../villages/repo.ts";

// The parts of a list query about residents that several lists share (residents, certifications).

/** A query's village and unit codes as ids in the viewer's commune; null when one names nothing there. */
export async function placeIdsOf(
  db: Db,
  viewer: Viewer,
  q: { village?: string | undefined; unit?: string | undefined },
): Promise<{ villageId?: number; unitId?: number } | null> {
  const ids: { villageId?: number; unitId?: number } = {};
  if (q.village) {
    const [v] = await findVillagesByCodes(db, viewer.communeId, [q.village]);
    if (!v) return null;
    ids.villageId = v.id;
  }
  if (q.unit) {
    const u = await findUnitByCode(db, viewer.communeId, q.unit);
    if (!u) return null;
    ids.unitId = u.id;
  }
  return ids;
}

/** A search text as the repos take it: digits as typed, words folded; by citizen ID only for a viewer who sees them. */
export function residentSearchOf(
  viewer: Viewer,
  raw: string | undefined,
): { q?: string; qCitizenId?: boolean } {
  const text = raw?.trim();
  if (!text) return {};
  // Searching by citizen ID would tell a masked viewer whose number it is.
  return { q: /^\d+$/.test(text) ? text : foldVietnamese(text), qCitizenId: seesUnmasked(viewer) };
}
