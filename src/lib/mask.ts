/**
 * Masking of personal identifiers for viewers who may not see them whole (SPEC §8): the first three
 * and the last two characters stay, every other one becomes `*` — `038*******12`, `091*****78`.
 * Pure; pages, the API and exports share it.
 */

const KEEP_HEAD = 3;
const KEEP_TAIL = 2;

function mask(value: string): string {
  const chars = [...value];
  // Too short to keep both ends without showing most of it: hide it all.
  if (chars.length <= KEEP_HEAD + KEEP_TAIL) return "*".repeat(chars.length);
  return (
    chars.slice(0, KEEP_HEAD).join("") +
    "*".repeat(chars.length - KEEP_HEAD - KEEP_TAIL) +
    chars.slice(-KEEP_TAIL).join("")
  );
}

/** `038123456712` → `038*******12`; `null` stays `null`. */
export function maskCitizenId(value: string): string;
export function maskCitizenId(value: string | null): string | null;
export function maskCitizenId(value: string | null): string | null {
  return value === null ? null : mask(value);
}

/** `0912345678` → `091*****78`; `null` stays `null`. */
export function maskPhone(value: string): string;
export function maskPhone(value: string | null): string | null;
export function maskPhone(value: string | null): string | null {
  return value === null ? null : mask(value);
}
