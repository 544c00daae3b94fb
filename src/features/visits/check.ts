import { msg } from "../../lib/errors.ts";
import { type GetCell, type RowCheck, RowChecker } from "../../lib/row-checker.ts";
import { foldVietnamese } from "../../lib/text.ts";
import {
  parseCivilDate,
  parseCode,
  parseSupportKinds,
  parseText,
  type SupportKind,
} from "../../lib/values.ts";

/** The columns of a visit (the data README's keys) and the headers an import file may give them. */
export const VISIT_COLUMNS = [
  { key: "household", aliases: ["Mã hộ", "Hộ", "Household"], required: true },
  { key: "date", aliases: ["Ngày", "Ngày thăm", "Ngày hỗ trợ", "Date"], required: true },
  { key: "member", aliases: ["Người hỗ trợ", "Thành viên tổ", "Người thăm", "Member"], required: true },
  { key: "support", aliases: ["Nội dung hỗ trợ", "Hỗ trợ", "Support"], required: true },
  { key: "note", aliases: ["Ghi chú", "Note", "Notes"] },
] as const;

/** A household as a visit row needs it. */
export type VisitHouseholdRef = { id: number; code: string; villageId: number };

/** How a visit row's references resolve: the importer's preloaded maps, or a form's lookups. */
export type VisitRefs = {
  household(code: string): VisitHouseholdRef | undefined;
  /** The members of this village's team whose folded name is `nameSearch` (normally one). */
  membersNamed(villageId: number, nameSearch: string): { id: number }[];
  /** The village's code, for messages. */
  villageCode(villageId: number): string | undefined;
};

export type VisitInput = {
  householdId: number;
  villageId: number;
  date: string;
  memberId: number;
  support: SupportKind[];
  note: string | null;
};

/**
 * Checks and normalizes one visit given by column key (household, date, member, support, note) —
 * the same rules for an import row, a form and the API (SPEC §4, §5). The date may not be after
 * `today`; the member is a member, by name (case and diacritics ignored), of the team of the
 * household's village.
 */
export function checkVisitRow(get: GetCell, refs: VisitRefs, today: string): RowCheck<VisitInput> {
  const c = new RowChecker();
  const householdCode = c.take("household", parseCode(get("household")));
  const household = c.resolve("household", householdCode, "import.household_unknown", (code) =>
    refs.household(code),
  );
  const date = c.take("date", parseCivilDate(get("date"), { today, notFuture: true }));
  const memberName = c.take("member", parseText(get("member"), { required: true, max: 200 }));
  let memberId: number | undefined;
  if (memberName !== undefined && household) {
    const found = refs.membersNamed(household.villageId, foldVietnamese(memberName));
    const village = refs.villageCode(household.villageId) ?? "?";
    if (found.length === 0) c.fail("member", msg("visits.member_unknown", { name: memberName, village }));
    else if (found.length > 1)
      c.fail("member", msg("visits.member_ambiguous", { name: memberName, count: found.length }));
    else memberId = found[0]!.id;
  }
  const support = c.take("support", parseSupportKinds(get("support")));
  const note = c.take("note", parseText(get("note"), { max: 2000 }));
  if (!c.ok) return { checker: c };
  return {
    checker: c,
    value: {
      householdId: household!.id,
      villageId: household!.villageId,
      date: date!.date,
      memberId: memberId!,
      support: support!,
      note: note || null,
    },
  };
}
