import { isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { readingOnce, rememberVersions } from "../db/data-version.ts";
import type { Permission } from "../features/auth/policy.ts";
import { resolveApiToken, resolveSession } from "../features/auth/service.ts";
import { viewerCan } from "../features/auth/viewer.ts";
import { randomToken, safeEqual } from "../lib/crypto.ts";
import { AppError, forbidden, msg } from "../lib/errors.ts";
import { isLang, type Lang, translator } from "../lib/i18n/index.ts";
import type { AppEnv, Deps } from "./context.ts";

export const SESSION_COOKIE = "bdhvs_session";
export const CSRF_COOKIE = "bdhvs_csrf";
export const LANG_COOKIE = "bdhvs_lang";

export function isApi(c: Context) {
  return c.req.path.startsWith("/api/");
}

export function isSecure(c: Context<AppEnv>) {
  if (new URL(c.req.url).protocol === "https:") return true;
  return c.var.deps.config.trustProxy && c.req.header("x-forwarded-proto") === "https";
}

/** Request id, logger, language, client address. */
export function requestContext(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("deps", deps);
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    c.header("X-Request-Id", requestId);
    const log = deps.logger.child({ requestId });
    c.set("log", log);
    c.set("clientIp", clientIp(c, deps.config.trustProxy ? deps.config.trustProxyHops : 0));
    c.set("viewer", undefined);
    c.set("session", undefined);
    c.set("versions", undefined);
    c.set("sessionState", "none");
    c.set("csrfToken", "");
    const lang = detectLang(c);
    c.set("lang", lang);
    c.set("t", translator(lang));
    const started = performance.now();
    // A reading request reads the commune's versions once, for the session and every kept part.
    if (c.req.method === "GET" || c.req.method === "HEAD") await readingOnce(next);
    else await next();
    // Pages and answers for a signed-in user may hold personal data: never kept by a shared phone's
    // browser cache or a proxy.
    // Set on the answer's own headers: `c.header()` now would make the answer anew around its body
    // as a stream (a page would no longer be one string when written: web/whole-answer.ts).
    if (c.var.viewer && !c.res.headers.has("cache-control")) c.res.headers.set("Cache-Control", "no-store");
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        user: c.var.viewer?.username,
      },
      "request",
    );
  };
}

function detectLang(c: Context<AppEnv>): Lang {
  const q = c.req.query("lang");
  if (isLang(q)) return q;
  if (isApi(c)) {
    return (c.req.header("accept-language") ?? "").trim().toLowerCase().startsWith("en") ? "en" : "vi";
  }
  const cookie = getCookie(c, LANG_COOKIE);
  return isLang(cookie) ? cookie : "vi";
}

/**
 * The client's address. Behind `hops` trusted proxies (TRUST_PROXY_HOPS), each appends the address
 * it saw to X-Forwarded-For, so the client is `hops` entries from the right: the entries left of it
 * are whatever the client sent and are never believed. (The leftmost entry was taken before, so a
 * client could pick any address for the rate limits and the audit trail.)
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (!header || hops < 1) return undefined;
  const entries = header
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const entry = entries.length >= hops ? entries[entries.length - hops] : undefined;
  if (!entry) return undefined;
  // An address, with an IPv4 port or IPv6 brackets stripped; anything else is not believed.
  const bare =
    /^\[([^\]]+)\](?::\d+)?$/.exec(entry)?.[1] ?? entry.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  return isIP(bare) ? bare : undefined;
}

function clientIp(c: Context<AppEnv>, hops: number): string | null {
  if (hops > 0) {
    const forwarded = forwardedClient(c.req.header("x-forwarded-for"), hops);
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // app.request() in tests has no socket
  }
}

/** Finds the viewer: a bearer token on the API, the session cookie on pages. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, auth } = c.var.deps;
    if (isApi(c)) {
      const header = c.req.header("authorization");
      if (header) {
        const m = header.match(/^Bearer\s+(\S+)$/i);
        const viewer = m?.[1] ? await resolveApiToken({ db, token: m[1] }) : null;
        if (!viewer) throw new AppError("unauthenticated", { message: msg("error.token_invalid") });
        c.set("viewer", viewer);
        c.set("sessionState", "ok");
      }
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    const found = await resolveSession({ db, token, settings: auth });
    c.set("sessionState", found.status);
    if (found.status === "ok") {
      c.set("viewer", found.viewer);
      c.set("session", found.session);
      c.set("versions", found.versions);
      rememberVersions(db, found.session.communeId, found.versions);
      c.set("csrfToken", found.session.csrfToken);
    } else if (found.status === "mfa_pending") {
      c.set("session", found.session);
      c.set("csrfToken", found.session.csrfToken);
    } else {
      if (found.status === "expired") deleteCookie(c, SESSION_COOKIE, { path: "/" });
      // Before sign-in, forms carry a token tied to a cookie of their own (double submit).
      let csrf = getCookie(c, CSRF_COOKIE);
      if (!csrf || !/^[\w-]{20,100}$/.test(csrf)) {
        csrf = randomToken();
        setCookie(c, CSRF_COOKIE, csrf, { path: "/", httpOnly: true, sameSite: "Lax", secure: isSecure(c) });
      }
      c.set("csrfToken", csrf);
    }
    return next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Every state-changing page request carries the CSRF token (form field `_csrf` or header `X-CSRF-Token`). */
export function csrfProtect(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || isApi(c)) return next();
    const expected = c.var.csrfToken;
    let provided = c.req.header("x-csrf-token");
    if (!provided) {
      const type = c.req.header("content-type") ?? "";
      if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
        const body = await c.req.parseBody();
        const v = body._csrf;
        provided = typeof v === "string" ? v : undefined;
      }
    }
    if (!expected || !provided || !safeEqual(expected, provided)) {
      throw new AppError("csrf", { message: msg("error.csrf") });
    }
    return next();
  };
}

/** The route needs a signed-in viewer with this permission (403 without it; 401 / login page without a viewer). */
export function requirePermission(permission: Permission | null): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.var.viewer) {
      if (isApi(c)) throw new AppError("unauthenticated", { message: msg("error.unauthenticated") });
      const next_ = encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""));
      const expired = c.var.sessionState === "expired" ? "&expired=1" : "";
      return c.redirect(`/login?next=${next_}${expired}`, 303);
    }
    if (permission && !viewerCan(c.var.viewer, permission)) throw forbidden();
    return next();
  };
}

export function requireViewer(c: Context<AppEnv>) {
  const viewer = c.var.viewer;
  if (!viewer) throw new AppError("unauthenticated", { message: msg("error.unauthenticated") });
  return viewer;
}

/** Only same-site relative paths, so `next=` cannot send a user elsewhere. */
export function safeNext(next: string | undefined, fallback = "/"): string {
  // Parsed as a browser would (the URL parser drops tabs and line breaks and reads `\` as `/`),
  // against an origin of our own: anything that lands elsewhere, or that a browser could read as
  // another host once written back (`//host`), goes home. What is returned is the parser's own
  // serialisation, so no character that breaks a header (CR, LF) can reach `Location`.
  if (typeof next !== "string" || !next.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(next, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  const out = `${url.pathname}${url.search}${url.hash}`;
  if (!out.startsWith("/") || out.startsWith("//") || out.includes("\\") || hasControl(out)) return fallback;
  return out;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** A stand-in origin that no real request has: `next` must stay on it to be ours. */
const OWN_ORIGIN = "http://own.invalid";
