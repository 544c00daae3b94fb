/** A reporting period (SPEC §3.1): a year `2026`, a quarter `2026-Q3` or a month `2026-09`. */
export type Period = { code: string; kind: "year" | "quarter" | "month"; start: string; end: string };

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The period a code names, or undefined when it names none ("2026-Q5", "2026-13", "26"). */
export function parsePeriod(code: string): Period | undefined {
  const s = code.trim().toUpperCase();
  let m = /^(\d{4})$/.exec(s);
  if (m) return { code: s, kind: "year", start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  m = /^(\d{4})-Q([1-4])$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const first = (q - 1) * 3 + 1;
    return {
      code: s,
      kind: "quarter",
      start: `${y}-${pad(first)}-01`,
      end: `${y}-${pad(first + 2)}-${pad(lastDay(y, first + 2))}`,
    };
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return undefined;
    return {
      code: s,
      kind: "month",
      start: `${y}-${pad(mo)}-01`,
      end: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}`,
    };
  }
  return undefined;
}

/** yyyy-mm-dd of a real calendar day, or undefined. */
export function parseIsoDate(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** A civil date moved by whole days (no time zone involved). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** A civil date moved back by whole years, 29 February landing on 28 February. */
export function minusYears(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const yy = y - years;
  return `${yy}-${pad(m)}-${pad(Math.min(d, lastDay(yy, m)))}`;
}

/** The periods whose months run up to a day, month by month: the month-ends of a trend (SPEC §3.2). */
export function monthEnds(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  for (;;) {
    const end = `${y}-${pad(m)}-${pad(lastDay(y, m))}`;
    if (end >= to) break;
    out.push(end);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
