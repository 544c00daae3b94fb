/**
 * The one clock of the app. Everything that asks "what time is it" or "what day is it in Vietnam"
 * asks this module: session expiry, rate limits, upload expiry, the default reference date of the
 * indicators, "upcoming" classes, report due states, the demo's dates. Nothing else calls
 * `new Date()` without arguments or `Date.now()` (a test, `test/clock-rule.test.ts`, enforces it).
 *
 * The process has one clock (the system's); a test installs another with `setClock`, usually
 * `startingAt(instant)`, which then ticks forward like a real clock, so durations still work.
 */

export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  nowMs(): number;
}

/** The system's clock (under libfaketime, the faked one). */
export const systemClock: Clock = { nowMs: () => Date.now() };

let current: Clock = systemClock;

/** Installs a clock for the whole process (tests, the demo, a benchmark at a date). */
export function setClock(clock: Clock): void {
  current = clock;
}

/** The system's clock again. */
export function resetClock(): void {
  current = systemClock;
}

/** The clock in force. */
export function clock(): Clock {
  return current;
}

/** A clock that reads `instant` now and ticks forward from it at the real pace. */
export function startingAt(instant: Date | string | number): Clock {
  const start = typeof instant === "number" ? instant : new Date(instant).getTime();
  if (!Number.isFinite(start)) throw new Error(`startingAt: not an instant: ${String(instant)}`);
  const origin = performance.now();
  return { nowMs: () => start + Math.round(performance.now() - origin) };
}

/** A clock that always reads `instant` (advance it with `advance`). */
export function fixedClock(instant: Date | string | number): Clock & { advance(ms: number): void } {
  let at = typeof instant === "number" ? instant : new Date(instant).getTime();
  if (!Number.isFinite(at)) throw new Error(`fixedClock: not an instant: ${String(instant)}`);
  return {
    nowMs: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

/** Now, as an instant. */
export function now(): Date {
  return new Date(current.nowMs());
}

/** Now, in milliseconds since the epoch. */
export function nowMs(): number {
  return current.nowMs();
}

/** Vietnam's offset from UTC: +07:00 all year (no daylight saving since 1975). */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/**
 * The civil date in Vietnam (Asia/Ho_Chi_Minh) at an instant, yyyy-mm-dd: 23:30 on 31 December in
 * Hà Nội is still 31 December; 00:30 on 1 January is the new year though UTC still says 31 December.
 */
export function civilDateInVietnam(at: Date | number): string {
  const ms = typeof at === "number" ? at : at.getTime();
  return new Date(ms + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today's date in Vietnam by the clock, yyyy-mm-dd. */
export function todayInVietnam(at?: Date): string {
  return civilDateInVietnam(at ?? current.nowMs());
}
