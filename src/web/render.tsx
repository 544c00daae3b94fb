import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { knownByVersion } from "../db/data-version.ts";
import type { Viewer } from "../features/auth/viewer.ts";
import { findCommuneById } from "../features/communes/repo.ts";
import { getDefaultCommune } from "../features/communes/service.ts";
import type { FieldErrors, Msg } from "../lib/errors.ts";
import type { Lang, T } from "../lib/i18n/index.ts";
import type { AppEnv } from "./context.ts";
import { labelTableCells } from "./kit/stacked-table.ts";
import { Layout } from "./layout.tsx";
import { wholeAnswer } from "./whole-answer.ts";

/** What every page knows of its request. */
export type PageCtx = {
  t: T;
  lang: Lang;
  viewer: Viewer | undefined;
  csrfToken: string;
  path: string;
  communeName: string;
  province: string;
  /** The commune holds the synthetic demo data (`bdhvs demo`). */
  demo: boolean;
  flash: Msg | undefined;
};

export function pageCtx(
  c: Context<AppEnv>,
  commune: { name: string; province: string; demo?: boolean },
): PageCtx {
  return {
    t: c.var.t,
    lang: c.var.lang,
    viewer: c.var.viewer,
    csrfToken: c.var.csrfToken,
    path: new URL(c.req.url).pathname + new URL(c.req.url).search,
    communeName: commune.name,
    province: commune.province,
    demo: commune.demo ?? false,
    flash: readFlash(c),
  };
}

const FLASH_COOKIE = "bdhvs_flash";

/** A message shown once on the next page (after a redirect). */
export function setFlash(c: Context<AppEnv>, message: Msg) {
  c.header(
    "Set-Cookie",
    `${FLASH_COOKIE}=${encodeURIComponent(JSON.stringify(message))}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60`,
    {
      append: true,
    },
  );
}

function readFlash(c: Context<AppEnv>): Msg | undefined {
  const cookie = c.req.header("cookie") ?? "";
  const m = cookie.match(/(?:^|;\s*)bdhvs_flash=([^;]+)/);
  if (!m?.[1]) return undefined;
  c.header("Set-Cookie", `${FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`, { append: true });
  try {
    const parsed = JSON.parse(decodeURIComponent(m[1])) as Msg;
    return typeof parsed?.key === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export type RenderOpts = {
  title: string;
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;
  /** More of the page's head (a page's script, a refresh). */
  head?: Child;
};

/** Renders a whole page with the layout. `<!DOCTYPE html>` first, as hono/jsx does not add it. */
export async function renderPage(c: Context<AppEnv>, ctx: PageCtx, opts: RenderOpts, body: Child) {
  const page = (
    <Layout ctx={ctx} title={opts.title} head={opts.head}>
      {body}
    </Layout>
  );
  // Every list table gets its phone layout's cell labels here, once (see kit/stacked-table.ts).
  const text = String(await html`<!DOCTYPE html>${page}`);
  return wholeAnswer(c.html(labelTableCells(text), opts.status ?? 200));
}

export function fieldMessage(t: T, errors: FieldErrors | undefined, name: string): string | undefined {
  const m = errors?.[name];
  return m ? t(m.key, m.params) : undefined;
}

/**
 * The viewer's commune, for the header: kept by the sessions version read with the session (a
 * commune's name or province edited raises it, migration 0023), so a page asks no statement for it.
 */
async function viewerCommune(c: Context<AppEnv>, viewer: Viewer) {
  const { db } = c.var.deps;
  const load = () => findCommuneById(db, viewer.communeId);
  const versions = c.var.versions;
  if (!versions) return load(); // an API token's viewer: no versions were read
  const { value } = await knownByVersion({
    db,
    communeId: viewer.communeId,
    key: "header-commune",
    families: ["sessions"],
    versions,
    compute: load,
  });
  return value;
}

/** Renders a page for this request: loads the commune the header names, then the layout around `body`. */
export async function render(c: Context<AppEnv>, opts: RenderOpts, body: (ctx: PageCtx) => Child) {
  const { db } = c.var.deps;
  const commune = (c.var.viewer ? await viewerCommune(c, c.var.viewer) : undefined) ??
    (await getDefaultCommune(db)) ?? { name: "", province: "" };
  const ctx = pageCtx(c, commune);
  return renderPage(c, ctx, opts, body(ctx));
}
