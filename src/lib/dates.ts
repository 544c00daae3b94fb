/**
 * The one way dates and times are written for people, in every language, page, export and print:
 * a civil date `dd/mm/yyyy`, an instant `HH:mm dd/mm/yyyy` in Vietnam time (UTC+7 all year), a
 * time of day `HH:mm`. Pure (no clock, no Intl): the server and the field app's bundle share it.
 */

/** Vietnam's offset from UTC: +07:00 all year (no daylight saving since 1975). */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** A civil date yyyy-mm-dd as 15/03/2027 (no time zone involved); anything else is returned as it came. */
export function formatCivilDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.slice(0, 10));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An instant as people in Vietnam read it: `14:05 25/11/2026` (Vietnam time, whatever the server's zone). */
export function formatInstant(at: Date | number | string): string {
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  if (Number.isNaN(ms)) return String(at);
  const local = new Date(ms + VIETNAM_OFFSET_MS).toISOString(); // yyyy-mm-ddTHH:mm…, shifted to +07
  return `${local.slice(11, 16)} ${formatCivilDate(local.slice(0, 10))}`;
}

/** A time of day `H:mm`, `HH:mm` or `HH:mm:ss` as `HH:mm`; null when it is not one. */
export function parseTimeOfDay(text: string): string | null {
  const m =
    /^\s*(\d{1,2})\s*[:hg.]\s*(\d{2})(?::\d{2})?\s*$/i.exec(text) ?? /^\s*(\d{1,2})\s*[hg]\s*$/i.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}
