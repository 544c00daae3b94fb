import type { TaskSchedule } from "./schema.ts";

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const dayIn = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(Math.min(d, lastDay(y, m)))}`;

/**
 * The due dates of a task within a plan's span (both ends included), in order: a once task its date,
 * a yearly one its day of each year, a quarterly one its day of each quarter's last month, a monthly
 * one its day of each month (clamped to the month's last day); a continuous task none. Pure.
 */
export function dueDates(schedule: TaskSchedule, span: { startDate: string; endDate: string }): string[] {
  const { startDate, endDate } = span;
  const inSpan = (d: string) => d >= startDate && d <= endDate;
  const first = Number(startDate.slice(0, 4));
  const last = Number(endDate.slice(0, 4));
  const out: string[] = [];
  switch (schedule.kind) {
    case "continuous":
      return [];
    case "once":
      return inSpan(schedule.due) ? [schedule.due] : [];
    case "yearly": {
      const [d, m] = schedule.on.split("/").map(Number) as [number, number];
      for (let y = first; y <= last; y++) out.push(dayIn(y, m, d));
      break;
    }
    case "quarterly":
    case "monthly": {
      const step = schedule.kind === "quarterly" ? 3 : 1;
      for (let y = first; y <= last; y++)
        for (let m = step; m <= 12; m += step) out.push(dayIn(y, m, schedule.day));
      break;
    }
  }
  return out.filter(inSpan);
}

/** Whole days from `due` to `today` (positive when late). */
export function daysLate(due: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}
