import { formatCivilDate, formatInstant } from "../dates.ts";
import { en } from "./en.ts";
import { vi } from "./vi.ts";

export type Lang = "vi" | "en";
export const LANGS: readonly Lang[] = ["vi", "en"];
export type MsgKey = keyof typeof vi;
/** Parameter values; `{ key }` is itself translated (a field label inside a message). */
/** A parameter is text, a number, or another message of the catalog (with its own parameters). */
export type MsgParams = { [name: string]: string | number | { key: MsgKey; params?: MsgParams } };
export type Catalog = Record<MsgKey, string>;

const catalogs: Record<Lang, Catalog> = { vi, en };

export function isMsgKey(x: string): x is MsgKey {
  return Object.hasOwn(vi, x);
}

export function isLang(x: unknown): x is Lang {
  return x === "vi" || x === "en";
}

/**
 * Each message's text split once at its `{name}` placeholders: literal, name, literal, … (what
 * `text.split(/\{(\w+)\}/)` gives), so filling one is a few concatenations, not a regular
 * expression's replace with a callback per call (pages fill a few hundred). The catalogs' texts
 * bound it; a text beyond MAX_TEMPLATES is split each time, not kept.
 */
const templates = new Map<string, readonly string[]>();
const MAX_TEMPLATES = 5000;
function templateOf(text: string): readonly string[] {
  let parts = templates.get(text);
  if (!parts) {
    parts = text.split(/\{(\w+)\}/);
    if (templates.size < MAX_TEMPLATES) templates.set(text, parts);
  }
  return parts;
}

/** Looks a message up and fills `{name}` placeholders. Every user-facing string goes through here. */
export function t(lang: Lang, key: MsgKey, params?: MsgParams): string {
  const text = catalogs[lang][key] ?? vi[key] ?? key;
  if (!params) return text;
  const parts = templateOf(text);
  if (parts.length === 1) return text;
  let out = parts[0] ?? "";
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? "";
    const v = params[name];
    out += v === undefined ? `{${name}}` : typeof v === "object" ? t(lang, v.key, v.params) : String(v);
    out += parts[i + 1] ?? "";
  }
  return out;
}

/** A translator bound to one language. */
export type T = (key: MsgKey, params?: MsgParams) => string;

export function translator(lang: Lang): T {
  return (key, params) => t(lang, key, params);
}

/** An instant for people in Vietnam (the commune's clock), `14:05 25/11/2026`: see lib/dates.ts. */
export function formatDateTime(_lang: Lang, at: Date): string {
  return formatInstant(at);
}

const locale = (lang: Lang) => (lang === "vi" ? "vi-VN" : "en-GB");

/**
 * Number formatting, made cheap: a dashboard formats a few hundred figures a request, mostly the
 * same ones. An Intl formatter is made once per language and options (making one costs far more than
 * formatting; ~2% of the server's CPU under load went to it), found by a key of the options'
 * values (not a JSON of an options object built per call), and it keeps what it wrote for each
 * number (formatting is a pure function of it), up to MAX_FORMATTED numbers, then starts afresh.
 * `-0` is not kept: a Map takes it for 0, and it is written `-0`.
 */
type Formatter = { format: Intl.NumberFormat; written: Map<number, string> };
const formatters = new Map<string, Formatter>();
const MAX_FORMATTED = 2000;

function formatterOf(key: string, lang: Lang, options: () => Intl.NumberFormatOptions): Formatter {
  let f = formatters.get(key);
  if (!f) {
    f = { format: new Intl.NumberFormat(locale(lang), options()), written: new Map() };
    formatters.set(key, f);
  }
  return f;
}

function write(f: Formatter, n: number): string {
  if (n === 0 && 1 / n < 0) return f.format.format(n);
  let text = f.written.get(n);
  if (text === undefined) {
    text = f.format.format(n);
    if (f.written.size >= MAX_FORMATTED) f.written.clear();
    f.written.set(n, text);
  }
  return text;
}

/** A number for people: `25.123` / `2,1` in Vietnamese, `25,123` / `2.1` in English. */
export function formatNumber(lang: Lang, n: number, opts: { digits?: number; sign?: boolean } = {}): string {
  const digits = opts.digits ?? 0;
  const sign = opts.sign ? "exceptZero" : "auto";
  const f = formatterOf(`n|${lang}|${digits}|${sign}`, lang, () => ({
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
    signDisplay: sign,
  }));
  return write(f, n);
}

/**
 * A fraction 0–1 as a percentage with one decimal, e.g. 0.929 → `92,9 %` (Vietnamese: comma
 * decimal, a no-break space before %) or `92.9%` (English). Whole values drop the decimal (`100 %`)
 * unless `fixed` (`78,0 %`, for columns of figures).
 */
export function formatPercent(
  lang: Lang,
  fraction: number,
  digits = 1,
  opts: { fixed?: boolean } = {},
): string {
  const pct = Math.round(fraction * 100 * 10 ** digits) / 10 ** digits;
  const minimum = opts.fixed ? digits : 0;
  const f = formatterOf(`p|${lang}|${digits}|${minimum}`, lang, () => ({
    maximumFractionDigits: digits,
    minimumFractionDigits: minimum,
  }));
  const text = write(f, pct);
  return lang === "vi" ? `${text}\u00a0%` : `${text}%`;
}

/** A civil date yyyy-mm-dd as people write it: 15/03/2027 (no time zone involved): see lib/dates.ts. */
export function formatDate(_lang: Lang, iso: string): string {
  return formatCivilDate(iso);
}
