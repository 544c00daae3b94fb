/**
 * Sort keys for Vietnamese text, in `Intl.Collator('vi')` order, that a database compares byte by
 * byte (`collate "C"`). PGlite has no ICU collation, and PostgreSQL's depends on the server, so the
 * order of names cannot be left to the database: the key is a plain ASCII string whose byte order is
 * the collator's order (SPEC §4).
 *
 * A key has three levels, as the collator compares them, separated by a space (below every code):
 * - primary: one code per character, by letter of the Vietnamese alphabet — a < ă < â < b < c < d <
 *   đ < e < ê < … < o < ô < ơ < … < u < ư < … (the letters with breve, circumflex, horn and stroke are
 *   letters of their own), after spaces, punctuation and digits;
 * - secondary: one code per character, its tone — none < huyền (`à`) < hỏi (`ả`) < ngã (`ã`) < sắc
 *   (`á`) < nặng (`ạ`);
 * - tertiary: one code per character, its case — lower before upper.
 *
 * The tables cover printable ASCII and every Vietnamese letter (NFC, as names are stored); any other
 * character stands for itself at each level (so it still sorts, after the known ones). The database
 * computes the same key with `vi_sort_key()` / `vi_name_sort_key()` (drizzle/0013_name_sort.sql:
 * `translate()` with the strings of `sortKeyTables()`); collation.test.ts checks both against
 * `Intl.Collator('vi')` and against each other.
 */

const ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
/** Tone marks in the collator's secondary order (huyền, hỏi, ngã, sắc, nặng). */
const TONES = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"];
/** Marks that make a letter of its own: breve, circumflex, horn. */
const LETTER_MARKS = /[\u0306\u0302\u031b]/u;

type Tables = { from: string; primary: string; secondary: string; tertiary: string };

function buildTables(): Tables {
  const collator = new Intl.Collator("vi");
  // Spaces, punctuation and digits first, in the collator's order (ties share a code).
  const symbols: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    if (!/[A-Za-z]/.test(ch)) symbols.push(ch);
  }
  symbols.sort(collator.compare);
  const codeOf = new Map<string, string>();
  let next = 0x21;
  symbols.forEach((ch, i) => {
    if (i > 0 && collator.compare(symbols[i - 1] as string, ch) !== 0) next++;
    codeOf.set(ch, String.fromCharCode(next));
  });
  next++;
  for (const letter of ALPHABET) codeOf.set(letter, String.fromCharCode(next++));

  let from = "";
  let primary = "";
  let secondary = "";
  let tertiary = "";
  const add = (ch: string, p: string, s: string, t: string) => {
    from += ch;
    primary += p;
    secondary += s;
    tertiary += t;
  };
  for (const ch of symbols) add(ch, codeOf.get(ch) as string, "0", "0");
  // Every precomposed Latin letter whose base is in the alphabet, with at most one tone.
  const candidates: string[] = [];
  for (let c = 0x41; c < 0x7b; c++)
    if (/[A-Za-z]/.test(String.fromCharCode(c))) candidates.push(String.fromCharCode(c));
  for (let c = 0xc0; c < 0x250; c++) candidates.push(String.fromCharCode(c));
  for (let c = 0x1ea0; c < 0x1f00; c++) candidates.push(String.fromCharCode(c));
  for (const ch of candidates) {
    if (ch.normalize("NFC") !== ch) continue;
    const lower = ch.toLowerCase();
    const upper = lower !== ch;
    if (lower.length !== 1 || (upper && lower.toUpperCase() !== ch)) continue;
    const nfd = lower.normalize("NFD");
    const marks = [...nfd.slice(1)];
    const letterMarks = marks.filter((m) => LETTER_MARKS.test(m)).join("");
    const tones = marks.filter((m) => !LETTER_MARKS.test(m));
    const base = lower === "đ" ? "đ" : ((nfd[0] as string) + letterMarks).normalize("NFC");
    const code = codeOf.get(base);
    if (code === undefined || tones.length > 1) continue;
    const tone = tones.length ? TONES.indexOf(tones[0] as string) : -1;
    if (tones.length && tone < 0) continue;
    add(ch, code, String(tone + 1), upper ? "1" : "0");
  }
  return { from, primary, secondary, tertiary };
}

/**
 * The tables with their most frequent characters first: the database's `translate()` looks each
 * character up by scanning `from`, so names (mostly lower-case letters and spaces) cost a few steps
 * a character instead of a hundred.
 */
function byFrequency(t: Tables): Tables {
  const FREQUENT = "nhtgaiouc mlđvyerdkbpsqxfjwz";
  const rank = (ch: string): number => {
    const i = FREQUENT.indexOf(ch);
    if (i >= 0) return i;
    const lower = FREQUENT.indexOf(ch.toLowerCase());
    if (lower >= 0) return 100 + lower;
    if (/\p{Ll}/u.test(ch)) return 200;
    if (/\p{L}/u.test(ch)) return 300;
    return 400;
  };
  const order = [...t.from].map((ch, i) => ({ ch, i, r: rank(ch) })).sort((a, b) => a.r - b.r || a.i - b.i);
  const pick = (s: string) => order.map((o) => s[o.i]).join("");
  return {
    from: pick(t.from),
    primary: pick(t.primary),
    secondary: pick(t.secondary),
    tertiary: pick(t.tertiary),
  };
}

const TABLES = byFrequency(buildTables());
const INDEX = new Map<string, number>([...TABLES.from].map((ch, i) => [ch, i]));

/** The translation strings the database function uses (one character of each per character of `from`). */
export function sortKeyTables(): Tables {
  return TABLES;
}

function level(text: string, to: string): string {
  let out = "";
  for (const ch of text) {
    const i = INDEX.get(ch);
    out += i === undefined ? ch : to[i];
  }
  return out;
}

/** The sort key of a text: byte order of keys is `Intl.Collator('vi')` order of the texts. */
export function sortKey(text: string): string {
  return `${level(text, TABLES.primary)} ${level(text, TABLES.secondary)} ${level(text, TABLES.tertiary)}`;
}

/**
 * The sort key of a person's name the Vietnamese way (SPEC §4): the given name (last word) first,
 * then the whole name. Stored as `name_sort` (residents, team members) and `head_sort` (households).
 */
export function nameSortKey(fullName: string): string {
  return `${sortKey(fullName.slice(fullName.lastIndexOf(" ") + 1))} ${sortKey(fullName)}`;
}

const collator = new Intl.Collator("vi");

/** Compare two names the Vietnamese way (given name first, then the whole name), for sorting in memory. */
export function compareNames(a: string, b: string): number {
  const given = (s: string) => s.slice(s.lastIndexOf(" ") + 1);
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
}

/** Compare two texts (village, unit names) in Vietnamese order: the order of `sortKey`, for sorting in memory. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * The SQL of the database's copy of the keys, for migration 0012 (see docs/architecture.md): the key
 * functions, and triggers that fill a key column when a write gives none (or changes the text and
 * not its key). The app writes the keys itself where it writes many rows (`translate()` costs about
 * 100–200 µs a name on PGlite; the app's `nameSortKey` about 1 µs).
 */
export function sortKeySql(): string {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const t = TABLES;
  const keeper = (fn: string, text: string, key: string, keyFn: string) =>
    [
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$`,
      "BEGIN",
      `  IF TG_OP = 'INSERT' THEN`,
      `    IF NEW.${key} IS NULL THEN NEW.${key} := public.${keyFn}(NEW.${text}); END IF;`,
      `  ELSIF NEW.${text} IS DISTINCT FROM OLD.${text} AND NEW.${key} IS NOT DISTINCT FROM OLD.${key} THEN`,
      `    NEW.${key} := public.${keyFn}(NEW.${text});`,
      "  END IF;",
      "  RETURN NEW;",
      "END",
      "$fn$;",
    ].join("\n");
  return [
    [
      `CREATE FUNCTION vi_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$`,
      `  SELECT translate(t, ${q(t.from)}, ${q(t.primary)}) || ' ' || translate(t, ${q(t.from)}, ${q(t.secondary)}) || ' ' || translate(t, ${q(t.from)}, ${q(t.tertiary)})`,
      `$fn$;`,
    ].join("\n"),
    [
      `CREATE FUNCTION vi_name_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$`,
      `  SELECT public.vi_sort_key(regexp_replace(t, '^.* ', '')) || ' ' || public.vi_sort_key(t)`,
      `$fn$;`,
    ].join("\n"),
    keeper("keep_full_name_sort", "full_name", "name_sort", "vi_name_sort_key"),
    keeper("keep_head_sort", "head_name", "head_sort", "vi_name_sort_key"),
    keeper("keep_display_name_sort", "display_name", "display_name_sort", "vi_name_sort_key"),
    keeper("keep_name_sort", "name", "name_sort", "vi_sort_key"),
  ].join("--> statement-breakpoint\n");
}
