import fs from "node:fs";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { isLang, type Lang, type MsgKey, t as translate } from "../../lib/i18n/index.ts";
import { vi as fieldStrings } from "../../lib/i18n/parts/field.ts";
import { SUPPORT_KINDS } from "../../lib/values.ts";
import type { AppEnv } from "../../web/context.ts";
import { LANG_COOKIE } from "../../web/middleware.ts";
import type { Role } from "../auth/policy.ts";

/** The roles the field app is for (their pages link its manifest). */
export const FIELD_ROLES: readonly Role[] = ["volunteer", "village_lead", "school"];

const dist = new URL("../../../dist/client/", import.meta.url);
const files = new Map<string, { body: Buffer; type: string }>();
/** A built file of dist/client (built by scripts/build-client.ts before start and tests), kept once read. */
function built(name: string, type: string) {
  let f = files.get(name);
  if (!f) {
    f = { body: fs.readFileSync(new URL(name, dist)), type };
    // The worker is read each time: a new build (a new version) is seen without a restart.
    if (name !== "sw.js") files.set(name, f);
  }
  return f;
}

/** What the page script reads: the app's strings and the support kinds, in the page's language. */
function stringsOf(lang: Lang) {
  const keys = Object.keys(fieldStrings).filter((k) => k.startsWith("fieldapp.")) as MsgKey[];
  return Object.fromEntries(keys.map((k) => [k, translate(lang, k)]));
}
const json = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

function Shell(props: { lang: Lang }) {
  const s = (k: MsgKey) => translate(props.lang, k);
  const support = SUPPORT_KINDS.map((k) => [k, translate(props.lang, `visits.support.${k}` as MsgKey)]);
  const tabs = [
    ["can-tham", "fieldapp.tab_visit_next", "M4 6h16M4 12h16M4 18h10"],
    ["tham-ho", "fieldapp.tab_visit", "M3 11l9-7 9 7v9H3z"],
    ["diem-danh", "fieldapp.tab_attendance", "M5 12l4 4 10-10"],
    ["cho-gui", "fieldapp.tab_outbox", "M4 4h16v12H4zM8 20h8"],
  ] as const;
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#b3261e" />
        <title>{s("fieldapp.name")}</title>
        <link rel="manifest" href="/field/manifest.webmanifest" />
        <link rel="icon" href="/field/icons/icon-192.png" />
        <link rel="apple-touch-icon" href="/field/icons/icon-192.png" />
        <link rel="stylesheet" href="/field/field.css" />
        <script
          type="application/json"
          id="strings"
          dangerouslySetInnerHTML={{ __html: json(stringsOf(props.lang)) }}
        />
        <script type="application/json" id="support" dangerouslySetInnerHTML={{ __html: json(support) }} />
        <script src="/field/field.js" defer />
      </head>
      <body>
        <header class="top">
          <span class="brand">{s("fieldapp.name")}</span>
          <span id="status" role="status" aria-live="polite" />
        </header>
        <main id="main">
          <noscript>
            <p>
              {s("fieldapp.noscript")} <a href="/visits/new">/visits/new</a>
            </p>
          </noscript>
        </main>
        <nav class="bottom" aria-label={s("fieldapp.name")}>
          {tabs.map(([id, key, d]) => (
            <a href={`#/${id}`} data-tab={id}>
              <svg viewBox="0 0 24 24" aria-hidden="true" width="24" height="24">
                <path d={d} fill="none" stroke="currentColor" stroke-width="2" />
              </svg>
              <span>{s(key)}</span>
              {id === "cho-gui" ? <span id="badge" class="badge" hidden /> : null}
            </a>
          ))}
        </nav>
      </body>
    </html>
  );
}

/**
 * The field app's files: the page (one static shell; everything personal comes from the API into
 * IndexedDB), its script, stylesheet, service worker, manifest and icons. Mounted before
 * authentication: nothing here reads the database or sets a cookie. `no-cache`: the service worker
 * keeps its own copy, the browser always asks whether a new one is there.
 */
export const fieldStatic = new Hono<AppEnv>();
const langOf = (c: { req: { query(k: string): string | undefined } }, cookie: string | undefined): Lang => {
  const q = c.req.query("lang");
  return isLang(q) ? q : isLang(cookie) ? cookie : "vi";
};
fieldStatic.get("/field", (c) => c.redirect("/field/", 301));
fieldStatic.get("/field/", (c) => {
  const lang = langOf(c, getCookie(c, LANG_COOKIE));
  c.header("Cache-Control", "no-cache");
  return c.html(`<!doctype html>${(<Shell lang={lang} />).toString()}`);
});
fieldStatic.get("/field/manifest.webmanifest", (c) => {
  const lang = langOf(c, getCookie(c, LANG_COOKIE));
  c.header("Cache-Control", "no-cache");
  const icon = (src: string, size: number, purpose: string) => ({
    src,
    sizes: `${size}x${size}`,
    type: "image/png",
    purpose,
  });
  return c.body(
    JSON.stringify({
      name: translate(lang, "fieldapp.name"),
      short_name: translate(lang, "fieldapp.short_name"),
      description: translate(lang, "fieldapp.description"),
      lang: "vi",
      dir: "ltr",
      id: "/field/",
      start_url: "/field/",
      scope: "/field/",
      display: "standalone",
      orientation: "portrait",
      background_color: "#ffffff",
      theme_color: "#b3261e",
      icons: [
        icon("/field/icons/icon-192.png", 192, "any"),
        icon("/field/icons/icon-512.png", 512, "any"),
        icon("/field/icons/maskable-512.png", 512, "maskable"),
      ],
    }),
    200,
    { "Content-Type": "application/manifest+json; charset=utf-8" },
  );
});
for (const [path, name, type] of [
  ["/field/field.js", "field.js", "text/javascript; charset=utf-8"],
  ["/field/sw.js", "sw.js", "text/javascript; charset=utf-8"],
  ["/field/field.css", "field.css", "text/css; charset=utf-8"],
  ["/field/icons/icon-192.png", "icons/icon-192.png", "image/png"],
  ["/field/icons/icon-512.png", "icons/icon-512.png", "image/png"],
  ["/field/icons/maskable-512.png", "icons/maskable-512.png", "image/png"],
] as const) {
  fieldStatic.get(path, (c) => {
    const f = built(name, type);
    c.header("Cache-Control", "no-cache");
    return c.body(new Uint8Array(f.body), 200, { "Content-Type": f.type });
  });
}

/** Every page's icon in the browser's tab: the field app's icon (browsers read a PNG served as /favicon.ico). */
fieldStatic.get("/favicon.ico", (c) => {
  const f = built("icons/icon-192.png", "image/png");
  c.header("Cache-Control", "public, max-age=86400");
  return c.body(new Uint8Array(f.body), 200, { "Content-Type": f.type });
});
