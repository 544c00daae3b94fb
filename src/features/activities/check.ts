import { parseTimeOfDay } from "../../lib/dates.ts";
import { msg } from "../../lib/errors.ts";
import { formatDate } from "../../lib/i18n/index.ts";
import { type GetCell, RowChecker } from "../../lib/row-checker.ts";
import {
  type ActivityType,
  type Audience,
  type Cell,
  type CivilDate,
  parseActivityType,
  parseAudience,
  parseCivilDate,
  parseCode,
  parseOptional,
  parseOptionalCode,
  parseText,
  type Result,
} from "../../lib/values.ts";
import type { UnitRow } from "../units/repo.ts";
import type { VillageRow } from "../villages/repo.ts";

/** The columns of an activity (the data README's keys, plus `notes`) and the headers an import file may give them. */
export const ACTIVITY_COLUMNS = [
  { key: "code", aliases: ["Mã hoạt động", "Mã", "Activity code", "Code"], required: true },
  { key: "type", aliases: ["Loại", "Loại hoạt động", "Type", "Activity type"], required: true },
  { key: "title", aliases: ["Tên hoạt động", "Nội dung", "Tên", "Title"], required: true },
  { key: "date", aliases: ["Ngày", "Ngày tổ chức", "Date"], required: true },
  { key: "village", aliases: ["Thôn", "Mã thôn", "Village"] },
  { key: "unit", aliases: ["Đơn vị", "Mã đơn vị", "Unit"] },
  { key: "place", aliases: ["Địa điểm", "Place", "Venue"] },
  { key: "time", aliases: ["Giờ", "Giờ bắt đầu", "Thời gian", "Time", "Start time"] },
  { key: "trainer", aliases: ["Giảng viên", "Người hướng dẫn", "Trainer"] },
  { key: "audience", aliases: ["Đối tượng", "Audience"] },
  { key: "notes", aliases: ["Ghi chú", "Notes"] },
] as const;

/** How a row's village and unit codes resolve: the importer's preloaded maps, or a form's few lookups. */
export type ActivityRefs = {
  village(code: string): VillageRow | undefined;
  unit(code: string): UnitRow | undefined;
};

export function activityRefsOf(villages: readonly VillageRow[], units: readonly UnitRow[]): ActivityRefs {
  const v = new Map(villages.map((x) => [x.code, x]));
  const u = new Map(units.map((x) => [x.code, x]));
  return { village: (code) => v.get(code), unit: (code) => u.get(code) };
}

/** An activity's values once checked (without its commune). */
export type ActivityInput = {
  code: string;
  type: ActivityType;
  title: string;
  date: string;
  villageId: number | null;
  unitId: number | null;
  audience: Audience | null;
  place: string | null;
  startTime: string | null;
  trainer: string | null;
  notes: string | null;
};

/** The day one year after `today` (29 February → 28 February). */
export function oneYearAfter(today: string): string {
  const [y, m, d] = today.split("-") as [string, string, string];
  const next = `${Number(y) + 1}-${m}-${d}`;
  return m === "02" && d === "29" ? `${Number(y) + 1}-02-28` : next;
}

const dmy = (iso: string) => formatDate("vi", iso);

/**
 * A class day or an activity's date: any civil date up to one year after `today` — further ahead is
 * almost always a mistyped year (2062 for 2026).
 */
export function parseActivityDate(raw: Cell, today: string): Result<CivilDate> {
  const r = parseCivilDate(raw, { today });
  if (!r.ok) return r;
  const limit = oneYearAfter(today);
  if (r.value.date > limit) {
    return {
      ok: false,
      error: msg("activities.date_too_far", { value: dmy(r.value.date), limit: dmy(limit) }),
    };
  }
  return r;
}

/** A start time as people write it (`7:30`, `19h30`, `8h`, an Excel time cell) → `HH:mm`. */
export function parseActivityTime(raw: Cell): Result<string> {
  // Excel keeps a time of day as a fraction of a day (0.8125 = 19:30); a Date cell carries it too.
  if (typeof raw === "number" && raw >= 0 && raw < 1) {
    const minutes = Math.round(raw * 1440);
    raw = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
  } else if (raw instanceof Date) {
    raw = raw.toISOString().slice(11, 16);
  }
  const time = parseTimeOfDay(String(raw));
  return time
    ? { ok: true, value: time }
    : { ok: false, error: msg("activities.time_invalid", { value: String(raw) }) };
}

/**
 * Checks and normalizes one activity given by column key (code, type, title, date, village, unit,
 * place, time, trainer, audience, notes) — the same rules for an import row, a form and the API (SPEC §4,
 * §5). Village and unit resolve by code through `refs`; an unknown code is an error of its column.
 * Scope (who may write which village's activity) and the code's uniqueness are the caller's.
 */
export function checkActivityRow(
  get: GetCell,
  refs: ActivityRefs,
  today: string,
): { checker: RowChecker; code?: string | undefined; value?: ActivityInput } {
  const c = new RowChecker();
  const code = c.take("code", parseCode(get("code"), { max: 32 }));
  const type = c.take("type", parseActivityType(get("type")));
  const title = c.take("title", parseText(get("title"), { required: true, max: 300 }));
  const date = c.take("date", parseActivityDate(get("date"), today));
  const villageCode = c.take("village", parseOptionalCode(get("village")));
  const village = c.resolve("village", villageCode, "import.village_unknown", (code) => refs.village(code));
  const unitCode = c.take("unit", parseOptionalCode(get("unit")));
  const unit = c.resolve("unit", unitCode, "import.unit_unknown", (code) => refs.unit(code));
  const audience = c.take("audience", parseOptional(get("audience"), parseAudience));
  const place = c.take("place", parseText(get("place"), { max: 300 }));
  const startTime = c.take("time", parseOptional(get("time"), parseActivityTime));
  const trainer = c.take("trainer", parseText(get("trainer"), { max: 200 }));
  const notes = c.take("notes", parseText(get("notes"), { max: 2000 }));
  if (!c.ok) return { checker: c, code };
  return {
    checker: c,
    code,
    value: {
      code: code!,
      type: type!,
      title: title!,
      date: date!.date,
      villageId: village?.id ?? null,
      unitId: unit?.id ?? null,
      audience: audience ?? null,
      place: place || null,
      startTime: startTime ?? null,
      trainer: trainer || null,
      notes: notes || null,
    },
  };
}
