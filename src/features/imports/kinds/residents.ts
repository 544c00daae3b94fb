import { AppError, msg } from "../../../lib/errors.ts";
import { emptyCounts, sameValues } from "../../../lib/row-checker.ts";
import { listCommunes } from "../../communes/repo.ts";
import { listAllHouseholdsOfCommune } from "../../households/repo.ts";
import { checkResidentRow, RESIDENT_COLUMNS, type ResidentRefs, refsOf } from "../../residents/check.ts";
import {
  findResidentsByCitizenIds,
  findResidentsByCitizenIdsUpTo,
  findResidentsByHouseholdKeys,
  insertResidentRows,
  type ResidentRow,
  type ResidentValues,
  residentsOnRecord,
  updateResidentRows,
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
  /**
   * The residents on record when the import began (ids up to `upTo`; none in the commune when
   * `any` is false): each batch looks up its own rows among them, in the database, rather than the
   * import holding the whole commune in memory; the rows an import writes never match its later
   * rows (those are caught as duplicates in the file instead).
   */
  onRecord: { upTo: number; any: boolean };
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
    return {
      otherCommunes: (await listCommunes(db)).length > 1,
      onRecord: await residentsOnRecord(db, communeId),
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
    // This batch's residents on record: by citizen ID, then by household + name + birth date for
    // the rows that found none that way.
    const { upTo, any } = ctx.onRecord;
    const byCitizenId = new Map<string, ResidentRow>();
    const byKey = new Map<string, ResidentRow>();
    if (any) {
      const citizenIds = rows.flatMap((r) => (r.citizenId ? [r.citizenId] : []));
      for (const c of await findResidentsByCitizenIdsUpTo(db, { communeId, upTo, citizenIds }))
        byCitizenId.set(c.citizenId!, c);
      const keys = rows.filter((r) => !r.citizenId || !byCitizenId.has(r.citizenId));
      for (const c of await findResidentsByHouseholdKeys(db, { communeId, upTo, keys })) {
        // Several residents may share a key (at most one without a citizen ID): that one first.
        const other = byKey.get(keyOf(c));
        if (!other || (other.citizenId && (!c.citizenId || c.id < other.id))) byKey.set(keyOf(c), c);
      }
    }
    // Match by citizen ID first; a row without one (or whose ID is new) by household + name + birth
    // date — a row with a citizen ID only takes over a resident who has none yet.
    const matchOf = (r: Row): ResidentRow | undefined => {
      const byId = r.citizenId ? byCitizenId.get(r.citizenId) : undefined;
      if (byId) return byId;
      const found = byKey.get(keyOf(r));
      return found && (!r.citizenId || !found.citizenId) ? found : undefined;
    };
    const matched = rows.map(matchOf);
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
    const updates: { id: number; values: Row }[] = [];
    rows.forEach((r, i) => {
      const found = matched[i];
      if (!found) {
        fresh.push({ communeId, ...r });
        return;
      }
      // A row without a citizen ID never erases the one on record.
      const next = r.citizenId ? r : { ...r, citizenId: found.citizenId };
      if (sameValues(found, next)) counts.unchanged++;
      else updates.push({ id: found.id, values: next });
    });
    // Two rows of a batch may match one resident (by citizen ID, and by name + birth date): the
    // later row wins, as it would row by row.
    await updateResidentRows(db, [...new Map(updates.map((u) => [u.id, u])).values()]);
    counts.updated += updates.length;
    await insertResidentRows(db, fresh);
    counts.inserted += fresh.length;
    return counts;
  },
};
