import { msg } from "../../lib/errors.ts";
import { type GetCell, type RowCheck, RowChecker } from "../../lib/row-checker.ts";
import { foldVietnamese } from "../../lib/text.ts";
import {
  parseCitizenId,
  parseCivilDate,
  parseCode,
  parseGender,
  parseOptional,
  parseOptionalCode,
  parsePhone,
  parseResidentGroups,
  parseResidentStatus,
  parseText,
  parseVneidLevel,
  parseYesNo,
} from "../../lib/values.ts";
import type { HouseholdRow } from "../households/repo.ts";
import type { UnitRow } from "../units/repo.ts";
import type { VillageRow } from "../villages/repo.ts";
import type { ResidentValues } from "./repo.ts";

/** The columns of a resident (the data README's keys) and the headers an import file may give them. */
export const RESIDENT_COLUMNS = [
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

/** How a row's codes resolve: by the importer's preloaded maps, or by a form's few lookups. */
export type ResidentRefs = {
  village(code: string): VillageRow | undefined;
  household(code: string): HouseholdRow | undefined;
  unit(code: string): UnitRow | undefined;
  villageCode(id: number): string | undefined;
};

export function refsOf(villages: VillageRow[], households: HouseholdRow[], units: UnitRow[]): ResidentRefs {
  const v = new Map(villages.map((x) => [x.code, x]));
  const vById = new Map(villages.map((x) => [x.id, x.code]));
  const h = new Map(households.map((x) => [x.code, x]));
  const u = new Map(units.map((x) => [x.code, x]));
  return {
    village: (code) => v.get(code),
    household: (code) => h.get(code),
    unit: (code) => u.get(code),
    villageCode: (id) => vById.get(id),
  };
}

export type ResidentInput = Omit<ResidentValues, "communeId">;

/**
 * Checks and normalizes one resident given by column key — the same rules for an import row, a
 * form and the API (SPEC §4, §5). The checker holds the errors and warnings, by column.
 */
export function checkResidentRow(get: GetCell, refs: ResidentRefs, today: string): RowCheck<ResidentInput> {
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
  const village = c.resolve("village", villageCode, "import.village_unknown", (code) => refs.village(code));
  const householdCode = c.take("household", parseCode(get("household")));
  const household = c.resolve("household", householdCode, "import.household_unknown", (code) =>
    refs.household(code),
  );
  if (household && village && household.villageId !== village.id) {
    c.fail(
      "household",
      msg("import.household_other_village", {
        code: household.code,
        village: refs.villageCode(household.villageId) ?? "?",
        rowVillage: village.code,
      }),
    );
  }
  const status = c.take("status", parseResidentStatus(get("status")));
  const groups = c.take("groups", parseResidentGroups(get("groups")));
  const unitCode = c.take("unit", parseOptionalCode(get("unit")));
  const unit = c.resolve("unit", unitCode, "import.unit_unknown", (code) => refs.unit(code));
  const disabled = c.take("disabled", parseYesNo(get("disabled")));
  const vneidLevel = c.take("vneid_level", parseVneidLevel(get("vneid_level")));

  if (!c.ok) return { checker: c };
  return {
    checker: c,
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
  };
}
