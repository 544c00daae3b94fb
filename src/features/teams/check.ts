import { msg } from "../../lib/errors.ts";
import { type GetCell, type RowCheck, RowChecker } from "../../lib/row-checker.ts";
import { foldVietnamese } from "../../lib/text.ts";
import {
  parseCitizenId,
  parseCode,
  parseOptional,
  parsePhone,
  parseTeamRole,
  parseText,
  type TeamRole,
} from "../../lib/values.ts";
import type { VillageRow } from "../villages/repo.ts";

/** The columns of a team member (the data README's keys) and the headers an import file may give them. */
export const TEAM_MEMBER_COLUMNS = [
  { key: "village", aliases: ["Thôn", "Mã thôn", "Village"], required: true },
  { key: "full_name", aliases: ["Họ và tên", "Họ tên", "Tên", "Full name", "Name"], required: true },
  { key: "role", aliases: ["Vai trò", "Chức vụ", "Role"], required: true },
  { key: "phone", aliases: ["Số điện thoại", "Điện thoại", "SĐT", "Phone"] },
  { key: "citizen_id", aliases: ["Số CCCD", "CCCD", "Số định danh cá nhân", "Số định danh", "Citizen ID"] },
] as const;

/** How a team member row's references resolve: the importer's preloaded maps, or a form's lookups. */
export type TeamMemberRefs = {
  village(code: string): VillageRow | undefined;
  /** The resident with this citizen ID in the commune. */
  residentByCitizenId(citizenId: string): { id: number } | undefined;
};

export type TeamMemberInput = {
  villageId: number;
  fullName: string;
  nameSearch: string;
  role: TeamRole;
  phone: string | null;
  /** The linked resident, when the row gives a citizen ID; null when it gives none. */
  residentId: number | null;
};

/**
 * Checks and normalizes one team member given by column key (village, full_name, role, phone,
 * citizen_id) — the same rules for an import row, a form and the API (SPEC §4, §5). A citizen ID
 * links the member to that resident of the commune; an unknown one is an error.
 */
export function checkTeamMemberRow(get: GetCell, refs: TeamMemberRefs): RowCheck<TeamMemberInput> {
  const c = new RowChecker();
  const villageCode = c.take("village", parseCode(get("village")));
  const village = c.resolve("village", villageCode, "import.village_unknown", (code) => refs.village(code));
  const fullName = c.take("full_name", parseText(get("full_name"), { required: true, max: 200 }));
  const role = c.take("role", parseTeamRole(get("role")));
  const phone = c.take("phone", parseOptional(get("phone"), parsePhone));
  const citizenId = c.take(
    "citizen_id",
    parseOptional(get("citizen_id"), (raw) => parseCitizenId(raw)),
  );
  const resident = citizenId ? refs.residentByCitizenId(citizenId) : undefined;
  if (citizenId && !resident) c.fail("citizen_id", msg("teams.citizen_id_unknown", { value: citizenId }));
  if (!c.ok) return { checker: c };
  return {
    checker: c,
    value: {
      villageId: village!.id,
      fullName: fullName!,
      nameSearch: foldVietnamese(fullName!),
      role: role!,
      phone: phone ?? null,
      residentId: resident?.id ?? null,
    },
  };
}
