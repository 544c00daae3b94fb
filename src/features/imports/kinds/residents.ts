import { AppError, msg } from "../../../lib/errors.ts";
import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import { listCommunes } from "../../communes/repo.ts";
import { listAllHouseholdsOfCommune } from "../../households/repo.ts";
import { checkResidentRow, RESIDENT_COLUMNS, type ResidentRefs, refsOf } from "../../residents/check.ts";
import {
  findResidentsByCitizenIds,
  findResidentsByIds,
  insertResidentRows,
  listResidentKeysOfCommune,
  type ResidentValues,
  updateResidentRow,
} from "../../residents/repo.ts";
import { listUnitsOfCommune } from "../../units/repo.ts";
import { listAllVillagesOfCommune } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { noteFirstRow } from "./by-code.ts";

type Row = Omit<ResidentValues, "communeId">;
type Context = {
  refs: ResidentRefs;
  seenCitizenIds: Map<string, number>;
  seenKeys: Map<string, number>;
  /** The commune's residents on record: citizen ID → id, and household|name|birth → id (and whether it has an ID). */
  idByCitizenId: Map<string, number>;
  idByKey: Map<string, { id: number; hasCitizenId: boolean }>;
  /** Whether the installation holds other communes (whose residents' citizen IDs a new one must not take). */
  otherCommunes: boolean;
};

const keyOf = (r: { householdId: number; fullName: string; birthDate: string }) =>
  `${r.householdId}|${r.fullName}|${r.birthDate}`;

export const residentsKind: ImportKind<Row, Context> = {
  name: "residents",
  permission: "resident.create",
  columns: RESIDENT_COLUMNS,
  // Its writes pass one array per column (unnest), so a batch can be large.
  batchSize: 500,
  async load(db, communeId) {
    const villages = await listAllVillagesOfCommune(db, communeId);
    const idByCitizenId = new Map<string, number>();
    const idByKey = new Map<string, { id: number; hasCitizenId: boolean }>();
    // One read of the commune's residents (a few tens of thousands) beats a lookup per batch.
    for (const r of await listResidentKeysOfCommune(db, communeId)) {
      if (r.citizenId) idByCitizenId.set(r.citizenId, r.id);
      idByKey.set(keyOf(r), { id: r.id, hasCitizenId: !!r.citizenId });
    }
    return {
      otherCommunes: (await listCommunes(db)).length > 1,
      idByCitizenId,
      idByKey,
      refs: refsOf(
        villages,
        await listAllHouseholdsOfCommune(db, communeId),
        await listUnitsOfCommune(db, communeId),
      ),
      seenCitizenIds: new Map(),
      seenKeys: new Map(),
    };
  },
  parse(get, ctx, rowNumber, today) {
    const { checker: c, value } = checkResidentRow(get, ctx.refs, today);
    if (value?.citizenId) noteFirstRow(ctx.seenCitizenIds, value.citizenId, rowNumber, c, "citizen_id");
    else if (value) noteFirstRow(ctx.seenKeys, keyOf(value), rowNumber, c, "full_name");
    return { value: c.ok ? value : undefined, errors: c.errors, warnings: c.warnings };
  },
  async write(db, communeId, rows, ctx) {
    const counts = emptyCounts();
    // Match by citizen ID first; a row without one (or whose ID is new) by household + name + birth
    // date — a row with a citizen ID only takes over a resident who has none yet.
    const matchOf = (r: Row): number | undefined => {
      const byId = r.citizenId ? ctx.idByCitizenId.get(r.citizenId) : undefined;
      if (byId !== undefined) return byId;
      const byKey = ctx.idByKey.get(keyOf(r));
      return byKey && (!r.citizenId || !byKey.hasCitizenId) ? byKey.id : undefined;
    };
    const matched = rows.map(matchOf);
    const existing = new Map(
      (
        await findResidentsByIds(
          db,
          matched.filter((id): id is number => id !== undefined),
        )
      ).map((r) => [r.id, r]),
    );
    // A new citizen ID must not belong to another commune's resident (IDs are unique in the installation).
    const newIds = ctx.otherCommunes
      ? rows.flatMap((r, i) => (matched[i] === undefined && r.citizenId ? [r.citizenId] : []))
      : [];
    const elsewhere = await findResidentsByCitizenIds(db, newIds);
    if (elsewhere[0]) {
      throw new AppError("conflict", {
        message: msg("import.citizen_id_other_commune", { value: elsewhere[0].citizenId! }),
      });
    }
    const fresh: ResidentValues[] = [];
    const updates: [number, Row][] = [];
    rows.forEach((r, i) => {
      const found = existing.get(matched[i] ?? -1);
      if (!found) {
        fresh.push({ communeId, ...r });
        return;
      }
      // A row without a citizen ID never erases the one on record.
      const next = r.citizenId ? r : { ...r, citizenId: found.citizenId };
      if (sameValues(found, next)) counts.unchanged++;
      else updates.push([found.id, next]);
    });
    for (const [id, next] of updates) await updateResidentRow(db, id, next);
    counts.updated += updates.length;
    await insertResidentRows(db, fresh);
    counts.inserted += fresh.length;
    return counts;
  },
};
