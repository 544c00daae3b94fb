import type { MiddlewareHandler } from "hono";
import { AppError, msg } from "../lib/errors.ts";
import type { AppEnv } from "./context.ts";

/**
 * Text the database cannot store, or would store changed, is refused at the edge, naming the field,
 * before any route sees it: a NUL character (PostgreSQL refuses it in text: it was a 500), bytes
 * that are not UTF-8 in a JSON or form body (they were stored as “�”), and lone UTF-16 surrogates
 * written as `\ud800` escapes in JSON. Query parameters, JSON bodies and urlencoded forms are
 * checked; file uploads are the import engine's to read.
 */
export function textGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.search) {
      // Percent-escapes that are not UTF-8 would become “�” in the parameter.
      for (const raw of url.search.slice(1).split("&")) {
        const eq = raw.indexOf("=");
        const name = decodeLoose(eq < 0 ? raw : raw.slice(0, eq));
        const value = eq < 0 ? "" : raw.slice(eq + 1);
        if (!strictlyDecodable(value) || !strictlyDecodable(raw.slice(0, Math.max(eq, 0))))
          throw bad("error.text_not_utf8", name);
        const bad0 = badText(decodeLoose(value)) ?? badText(name);
        if (bad0) throw bad(bad0, name);
      }
    }
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (type.startsWith("application/json")) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      let text: string;
      let utf8 = true;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        // Decoded again with “�” for the bad bytes, to name the field that holds them.
        utf8 = false;
        text = new TextDecoder("utf-8").decode(bytes);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        if (!utf8) throw bad("error.text_not_utf8", undefined);
        return next(); // malformed JSON: the route's parser says so (error.bad_json)
      }
      if (!utf8) throw bad("error.text_not_utf8", findReplaced(body, "") || undefined);
      const found = findBadText(body, "");
      if (found) throw bad(found.key, found.path || undefined);
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const text = Buffer.from(bytes).toString("latin1");
      for (const raw of text.split("&")) {
        const eq = raw.indexOf("=");
        const name = decodeLoose((eq < 0 ? raw : raw.slice(0, eq)).replace(/\+/g, " "));
        const value = eq < 0 ? "" : raw.slice(eq + 1).replace(/\+/g, " ");
        if (!strictlyDecodable(value)) throw bad("error.text_not_utf8", name);
        const key = badText(decodeLoose(value)) ?? badText(name);
        if (key) throw bad(key, name);
      }
    }
    return next();
  };
}

type BadKey = "error.text_nul" | "error.text_surrogate" | "error.text_not_utf8";

function bad(key: BadKey, field: string | undefined): AppError {
  const message = field ? msg(key, { field }) : msg("error.body_not_utf8");
  return new AppError("bad_request", { message, ...(field ? { fields: { [field]: message } } : {}) });
}

/** Decoded as a URL component would be; malformed escapes are left as they are. */
function decodeLoose(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether percent-escapes decode to valid UTF-8 (decodeURIComponent throws on anything else). */
function strictlyDecodable(s: string): boolean {
  if (!s.includes("%")) return true;
  try {
    decodeURIComponent(s.replace(/%(?![0-9A-Fa-f]{2})/g, "%25"));
    return true;
  } catch {
    return false;
  }
}

/** The problem with a string, if any: a NUL, or a UTF-16 surrogate without its pair. */
function badText(s: string): BadKey | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return "error.text_nul";
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return "error.text_surrogate";
    } else if (c >= 0xdc00 && c <= 0xdfff) return "error.text_surrogate";
  }
  return undefined;
}

/** The path of the first string (or key) holding “�” in a JSON value, `undefined` if none does. */
function findReplaced(v: unknown, path: string): string | undefined {
  if (typeof v === "string") return v.includes("\uFFFD") ? path : undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = findReplaced(v[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (k.includes("\uFFFD")) return p;
      const found = findReplaced(x, p);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The first bad string in a JSON value (keys included), with its path (`a.b[2]`). */
function findBadText(v: unknown, path: string): { key: BadKey; path: string } | undefined {
  if (typeof v === "string") {
    const key = badText(v);
    return key ? { key, path } : undefined;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = findBadText(v[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      const inKey = badText(k);
      if (inKey) return { key: inKey, path: p };
      const found = findBadText(x, p);
      if (found) return found;
    }
  }
  return undefined;
}
