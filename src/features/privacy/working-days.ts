import { PRIVACY_REQUEST_KINDS } from "../../db/schema.ts";

export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];

/**
 * Vietnam's public holidays as days off work (Labor Code 45/2019/QH14, art. 112: 1 January; five days
 * of the Lunar New Year; Hùng Kings' day, 10th of the 3rd lunar month; 30 April; 1 May; 2 September
 * and a day next to it), as the weekdays actually given off each year — the lunar dates, the Tết days
 * and the compensatory days when a holiday falls on a weekend are set each year by the Prime
 * Minister's notice (Ministry of Home Affairs). Only weekdays are listed: weekends are never working
 * days anyway. A year missing here counts only its solar-calendar holidays (see `holidaysOf`); add
 * the next year's notice when it is published (docs/operations.md, "Privacy requests").
 */
export const PUBLIC_HOLIDAYS: Record<number, readonly string[]> = {
  2025: [
    "2025-01-01",
    "2025-01-27",
    "2025-01-28",
    "2025-01-29",
    "2025-01-30",
    "2025-01-31",
    "2025-04-07",
    "2025-04-30",
    "2025-05-01",
    "2025-05-02",
    "2025-09-01",
    "2025-09-02",
  ],
  2026: [
    "2026-01-01",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-04-27",
    "2026-04-30",
    "2026-05-01",
    "2026-09-01",
    "2026-09-02",
  ],
};

/** The solar-calendar holidays of a year not in the table (lunar ones unknown): 1/1, 30/4, 1/5, 2/9. */
function solarHolidays(year: number): string[] {
  return ["01-01", "04-30", "05-01", "09-02"].map((md) => `${year}-${md}`);
}

export function holidaysOf(year: number): ReadonlySet<string> {
  return new Set(PUBLIC_HOLIDAYS[year] ?? solarHolidays(year));
}

/**
 * Working days allowed to answer each kind of request, from the day after it is received. Decree
 * 356/2025/NĐ-CP (guiding Law 91/2025/QH15) asks the controller to respond within 2 working days of a
 * request and to carry it out within the time it sets; we use 10 working days for every kind, the
 * commune's own (shorter-than-the-law) service standard. Overridable with PRIVACY_DUE_DAYS.
 */
export const DEFAULT_DUE_DAYS: Record<PrivacyRequestKind, number> = {
  access: 10,
  correction: 10,
  deletion: 10,
  objection: 10,
};

/** Parses `access=10,deletion=5`: the kinds named replace the defaults. */
export function parseDueDays(text: string | undefined): Record<PrivacyRequestKind, number> {
  const out = { ...DEFAULT_DUE_DAYS };
  if (!text?.trim()) return out;
  for (const part of text.split(",")) {
    const [k, v] = part.split("=").map((s) => s.trim());
    const n = Number(v);
    if (!PRIVACY_REQUEST_KINDS.includes(k as PrivacyRequestKind) || !Number.isInteger(n) || n < 1 || n > 60)
      throw new Error(
        `PRIVACY_DUE_DAYS: "${part}" is not KIND=DAYS (kinds: ${PRIVACY_REQUEST_KINDS.join(", ")}; 1–60 days)`,
      );
    out[k as PrivacyRequestKind] = n;
  }
  return out;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  const wd = d.getUTCDay();
  if (wd === 0 || wd === 6) return false;
  return !holidaysOf(d.getUTCFullYear()).has(day);
}

/** The civil date `n` working days after `from` (a yyyy-mm-dd date; `from` itself is not counted). */
export function addWorkingDays(from: string, n: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(iso(d))) left--;
  }
  return iso(d);
}
