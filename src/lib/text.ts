/**
 * Vietnamese text folding, in one place: case and diacritics off, `đ` → `d`.
 * Serves search, header matching and value matching alike.
 *
 * The importer folds and cleans several cells of every row, so each function has a fast path for
 * text made only of Latin letters (Vietnamese included), digits, punctuation and spaces, driven by
 * per-character tables computed at start-up by the general definitions (`…Slow` below); anything
 * else goes through those definitions. The tables hold only characters that fold alone, to
 * characters below U+0300 that compose with nothing, so folding character by character gives what
 * folding the whole string gives.
 */

function foldVietnameseSlow(input: string): string {
  return input
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .normalize("NFC");
}

const KEY_DROP = /[^\p{L}\p{N}]+/gu;

function foldKeySlow(input: string): string {
  return foldVietnameseSlow(input).replace(KEY_DROP, "");
}

/** Basic Latin, Latin-1, Latin Extended-A and -B; Latin Extended Additional (Vietnamese letters). */
const inTableRange = (c: number) => c < 0x250 || (c >= 0x1e00 && c < 0x1f00);

/** Per UTF-16 code unit: its folded form and its folded key, or `undefined` to take the slow path. */
const FOLD: (string | undefined)[] = [];
const KEY: (string | undefined)[] = [];
for (let c = 0; c < 0x1f00; c++) {
  if (!inTableRange(c)) continue;
  const ch = String.fromCharCode(c);
  const folded = foldVietnameseSlow(ch);
  let simple = true;
  for (let i = 0; i < folded.length; i++) if (folded.charCodeAt(i) >= 0x300) simple = false;
  if (!simple) continue;
  FOLD[c] = folded;
  KEY[c] = folded.replace(KEY_DROP, "");
}

/** 1 for a character that is NFC on its own, not white space, not a control, not a combining mark. */
const CLEAN = new Uint8Array(0x1f00);
for (let c = 0; c < 0x1f00; c++) {
  const ch = String.fromCharCode(c);
  if (inTableRange(c) && ch.normalize("NFC") === ch && !/[\s\p{M}\p{Cc}\p{Cf}]/u.test(ch)) CLEAN[c] = 1;
}

function foldByTable(input: string, table: (string | undefined)[], slow: (s: string) => string): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    const f = table[input.charCodeAt(i)];
    if (f === undefined) return slow(input);
    out += f;
  }
  return out;
}

export function foldVietnamese(input: string): string {
  return foldByTable(input, FOLD, foldVietnameseSlow);
}

/** Folded, with spaces and punctuation removed: for matching column headers and codes. */
export function foldKey(input: string): string {
  return foldByTable(input, KEY, foldKeySlow);
}

/**
 * True when `cleanText` would return the text unchanged, for text of the table's characters: no
 * white space but single spaces between words, no control characters. (Such text is NFC: it holds
 * no combining mark, and no two of its characters compose.)
 */
export function isCleanText(input: string): boolean {
  const last = input.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === last || input.charCodeAt(i - 1) === 0x20) return false;
    } else if (CLEAN[c] !== 1) return false;
  }
  return true;
}

/** Unicode NFC with outer white space trimmed and inner runs of white space collapsed. */
export function cleanText(input: string): string {
  if (isCleanText(input)) return input;
  return input.normalize("NFC").replace(/\s+/gu, " ").trim();
}
