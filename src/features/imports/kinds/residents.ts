import { AppError, msg } from "../../../lib/errors.ts";
import { foldVietnamese } from "../../../lib/text.ts";
import {
  parseCitizenId,
  parseCivilDate,
  parseCode,
  parseGender,
  parseOptional,
  parsePhone,
  parseResidentGroups,
  parseResidentStatus,
  parseText,
  parseVneidLevel,
  parseYesNo,
} from "../../../lib/values.ts";
import { listCommunes } from "../../communes/repo.ts";
import { type HouseholdRow, listAllHouseholdsOfCommune } from "../../households/repo.ts";
import {
  findResidentsByCitizenIds,
  findResidentsByIds,
  insertResidentRows,
  listResidentKeysOfCommune,
  type ResidentValues,
  updateResidentRow,
} from "../../residents/repo.ts";
import { listUnitsOfCommune, type UnitRow } from "../../units/repo.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../../villages/repo.ts";
import type { ImportKind } from "../types.ts";
import { emptyCounts, RowChecker, sameValues } from "./util.ts";

type Row = Omit<ResidentValues, "communeId">;
type Context = {
  villages: Map<string, VillageRow>;
  villageCodeById: Map<number, string>;
  households: Map<string, HouseholdRow>;
  units: Map<string, UnitRow>;
  seenCitizenIds: Map<string, number>;
  seenKeys: Map<string, number>;
  /** The commune's residents on record: citizen ID → id, and household|name|birth → id (and whether it has an ID). */
  idByCitizenId: Map<string, number>;
  idByKey: Map<string, { id: number; hasCitizenId: boolean }>;
  /** Whether the installation holds other communes (whose residents' citizen IDs a new one must not take). */
  otherCommunes: boolean;
};

export const residentColumns = [
  { key: "full_name", aliases: ["Họ và tên", "Họ tên", "Tên", "Full name", "Name"], required: true },
  {
    key: "birth_date",
    aliases: ["Ngày sinh", "Ngày tháng năm sinh", "Năm sinh", "Date of birth", "Birth date", "DOB"],
    required: true,
  },
  { key: "gender", aliases: ["Giới tính", "Giới", "Gender", "Sex"], required: true },
  {
    key: "citizen_id",
    aliases: [
      "Số CCCD",
      "CCCD",
      "Số định danh cá nhân",
      "Số định danh",
      "Căn cước công dân",
      "Số căn cước",
      "CCCD/CMND",
      "Citizen ID",
    ],
  },
  { key: "phone", aliases: ["Số điện thoại", "Điện thoại", "SĐT", "SĐT liên hệ", "Di động", "Phone"] },
  { key: "village", aliases: ["Thôn", "Mã thôn", "Village"], required: true },
  { key: "household", aliases: ["Mã hộ", "Hộ", "Mã hộ gia đình", "Household"], required: true },
  { key: "status", aliases: ["Tình trạng", "Trạng thái", "Tình trạng cư trú", "Status"] },
  { key: "groups", aliases: ["Đối tượng", "Nhóm đối tượng", "Nhóm", "Groups"] },
  { key: "unit", aliases: ["Đơn vị", "Mã đơn vị", "Cơ quan/đơn vị", "Unit"] },
  { key: "disabled", aliases: ["Khuyết tật", "Người khuyết tật", "Disabled"] },
  { key: "vneid_level", aliases: ["Mức VNeID", "VNeID", "Mức định danh", "Tài khoản VNeID", "VNeID level"] },
] as const;

const keyOf = (r: { householdId: number; fullName: string; birthDate: string }) =>
  `${r.householdId}|${r.fullName}|${r.birthDate}`;

export const residentsKind: ImportKind<Row, Context> = {
  name: "residents",
  permission: "resident.create",
  columns: residentColumns,
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
      villages: new Map(villages.map((v) => [v.code, v])),
      villageCodeById: new Map(villages.map((v) => [v.id, v.code])),
      households: new Map((await listAllHouseholdsOfCommune(db, communeId)).map((h) => [h.code, h])),
      units: new Map((await listUnitsOfCommune(db, communeId)).map((u) => [u.code, u])),
      seenCitizenIds: new Map(),
      seenKeys: new Map(),
    };
  },
  parse(get, ctx, rowNumber, today) {
    const c = new RowChecker();
    const fullName = c.take("full_name", parseText(get("full_name"), { required: true, max: 200 }));
    const birth = c.take(
      "birth_date",
      parseCivilDate(get("birth_date"), { today, notFuture: true, allowYearOnly: true }),
    );
    const gender = c.take("gender", parseGender(get("gender")));
    const citizenId = c.take(
      "citizen_id",
      parseOptional(get("citizen_id"), (raw) =>
        parseCitizenId(raw, { birthDate: birth ?? null, gender: gender ?? null }),
      ),
    );
    const phone = c.take("phone", parseOptional(get("phone"), parsePhone));
    const villageCode = c.take("village", parseCode(get("village")));
    const village = villageCode === undefined ? undefined : ctx.villages.get(villageCode);
    if (villageCode !== undefined && !village)
      c.fail("village", msg("import.village_unknown", { code: villageCode }));
    const householdCode = c.take("household", parseCode(get("household")));
    const household = householdCode === undefined ? undefined : ctx.households.get(householdCode);
    if (householdCode !== undefined && !household) {
      c.fail("household", msg("import.household_unknown", { code: householdCode }));
    } else if (household && village && household.villageId !== village.id) {
      c.fail(
        "household",
        msg("import.household_other_village", {
          code: household.code,
          village: ctx.villageCodeById.get(household.villageId) ?? "?",
          rowVillage: village.code,
        }),
      );
    }
    const status = c.take("status", parseResidentStatus(get("status")));
    const groups = c.take("groups", parseResidentGroups(get("groups")));
    const unitCode = c.take(
      "unit",
      parseOptional(get("unit"), (raw) => parseCode(raw)),
    );
    const unit = unitCode ? ctx.units.get(unitCode) : undefined;
    if (unitCode && !unit) c.fail("unit", msg("import.unit_unknown", { code: unitCode }));
    const disabled = c.take("disabled", parseYesNo(get("disabled")));
    const vneidLevel = c.take("vneid_level", parseVneidLevel(get("vneid_level")));

    if (citizenId) {
      const first = ctx.seenCitizenIds.get(citizenId);
      if (first !== undefined) c.fail("citizen_id", msg("import.duplicate_in_file", { row: first }));
      else ctx.seenCitizenIds.set(citizenId, rowNumber);
    } else if (fullName && birth && household) {
      const key = keyOf({ householdId: household.id, fullName, birthDate: birth.date });
      const first = ctx.seenKeys.get(key);
      if (first !== undefined) c.fail("full_name", msg("import.duplicate_in_file", { row: first }));
      else ctx.seenKeys.set(key, rowNumber);
    }
    if (!c.ok) return { errors: c.errors, warnings: c.warnings };
    return {
      value: {
        villageId: village!.id,
        householdId: household!.id,
        fullName: fullName!,
        nameSearch: foldVietnamese(fullName!),
        birthDate: birth!.date,
        birthYearOnly: birth!.yearOnly,
        gender: gender!,
        citizenId: citizenId ?? null,
        phone: phone ?? null,
        status: status!,
        groups: groups!,
        unitId: unit?.id ?? null,
        disabled: disabled!,
        vneidLevel: vneidLevel!,
      },
      errors: [],
      warnings: c.warnings,
    };
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
