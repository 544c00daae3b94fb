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

/** Looks a message up and fills `{name}` placeholders. Every user-facing string goes through here. */
export function t(lang: Lang, key: MsgKey, params?: MsgParams): string {
  const text = catalogs[lang][key] ?? vi[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === "object" ? t(lang, v.key, v.params) : String(v);
  });
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
 * Intl formatters by language and options, made once: making one costs far more than formatting
 * (a dashboard formats a few hundred figures; ~2% of the server's CPU under load went to it).
 */
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), options);
    formatters.set(key, f);
  }
  return f;
}

/** A number for people: `25.123` / `2,1` in Vietnamese, `25,123` / `2.1` in English. */
export function formatNumber(lang: Lang, n: number, opts: { digits?: number; sign?: boolean } = {}): string {
  return numberFormat(lang, {
    maximumFractionDigits: opts.digits ?? 0,
    minimumFractionDigits: 0,
    signDisplay: opts.sign ? "exceptZero" : "auto",
  }).format(n);
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
  const text = numberFormat(lang, {
    maximumFractionDigits: digits,
    minimumFractionDigits: opts.fixed ? digits : 0,
  }).format(pct);
  return lang === "vi" ? `${text}\u00a0%` : `${text}%`;
}

/** A civil date yyyy-mm-dd as people write it: 15/03/2027 (no time zone involved): see lib/dates.ts. */
export function formatDate(_lang: Lang, iso: string): string {
  return formatCivilDate(iso);
}
