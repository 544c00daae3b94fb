import { msg } from "../../lib/errors.ts";
import { formatDate } from "../../lib/i18n/index.ts";
import type { RowChecker } from "../../lib/row-checker.ts";
import {
  type Cell,
  parseCitizenId,
  parseCivilDate,
  parseOptional,
  parseOptionalCode,
  parseText,
} from "../../lib/values.ts";

/**
 * Finding the resident a certification row names (data README: by citizen ID, else full name + birth
 * date, narrowed by village when given). Shared by the certifications import and
 * POST /api/v1/certifications: both read the keys with the same parsers, then match them against an
 * index — of the whole commune for an import, of the few candidates in the caller's scope for the API.
 */

/** What a row says about its resident. */
export type ResidentKeys =
  | { by: "citizen_id"; citizenId: string }
  | { by: "name_birth"; name: string; birthDate: string; villageCode: string | null };

export type Person = { id: number; villageId: number };

export type ResidentIndex = {
  byCitizenId: Map<string, Person>;
  byNameBirth: Map<string, Person[]>;
  /** Village code → id, for the optional `village` column. */
  villages: Map<string, number>;
};

const nameBirth = (name: string, birth: string) => `${name}|${birth}`;
const dmy = (iso: string) => formatDate("vi", iso);

export function indexResidents(
  rows: { id: number; citizenId: string | null; fullName: string; birthDate: string; villageId: number }[],
  villages: { id: number; code: string }[],
): ResidentIndex {
  const byCitizenId = new Map<string, Person>();
  const byNameBirth = new Map<string, Person[]>();
  for (const r of rows) {
    const person = { id: r.id, villageId: r.villageId };
    if (r.citizenId) byCitizenId.set(r.citizenId, person);
    const k = nameBirth(r.fullName, r.birthDate);
    byNameBirth.set(k, [...(byNameBirth.get(k) ?? []), person]);
  }
  return { byCitizenId, byNameBirth, villages: new Map(villages.map((v) => [v.code, v.id])) };
}

/**
 * Reads the resident columns (`citizen_id`, else `full_name` + `birth_date`, and `village`) with the
 * importer's parsers; errors go to the checker. Undefined when they do not name a resident.
 */
export function readResidentKeys(
  get: (key: string) => Cell,
  c: RowChecker,
  today: string,
): ResidentKeys | undefined {
  const citizenId = c.take(
    "citizen_id",
    parseOptional(get("citizen_id"), (raw) => parseCitizenId(raw)),
  );
  if (citizenId) return { by: "citizen_id", citizenId };
  if (citizenId === undefined) return undefined;
  const name = c.take("full_name", parseText(get("full_name"), { max: 200 }));
  const birth = c.take(
    "birth_date",
    parseOptional(get("birth_date"), (raw) => parseCivilDate(raw, { today, allowYearOnly: true })),
  );
  const villageCode = c.take("village", parseOptionalCode(get("village")));
  if (!name || !birth) {
    if (name !== undefined && birth !== undefined)
      c.fail("citizen_id", msg("import.resident_needs_identity"));
    return undefined;
  }
  return { by: "name_birth", name, birthDate: birth.date, villageCode: villageCode ?? null };
}

/** The one resident the keys name in the index; not found, an unknown village or several matches fail the row. */
export function matchResident(keys: ResidentKeys, index: ResidentIndex, c: RowChecker): number | undefined {
  if (keys.by === "citizen_id") {
    const id = index.byCitizenId.get(keys.citizenId)?.id;
    if (id === undefined)
      c.fail("citizen_id", msg("import.resident_not_found_cccd", { value: keys.citizenId }));
    return id;
  }
  const villageId = keys.villageCode ? index.villages.get(keys.villageCode) : undefined;
  if (keys.villageCode && villageId === undefined) {
    c.fail("village", msg("import.village_unknown", { code: keys.villageCode }));
    return undefined;
  }
  const all = index.byNameBirth.get(nameBirth(keys.name, keys.birthDate)) ?? [];
  const found = villageId === undefined ? all : all.filter((p) => p.villageId === villageId);
  const params = { name: keys.name, date: dmy(keys.birthDate) };
  if (found.length === 0) return c.fail("full_name", msg("import.resident_not_found_name", params));
  if (found.length > 1)
    return c.fail("full_name", msg("import.resident_ambiguous", { ...params, count: found.length }));
  return found[0]!.id;
}
