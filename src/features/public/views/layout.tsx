import type { Child } from "hono/jsx";
import type { Lang, T } from "../../../lib/i18n/index.ts";
import { SkipLink } from "../../../web/components.tsx";
import type { Viewer } from "../../auth/viewer.ts";
import type { CommuneRow } from "../../communes/repo.ts";
import type { Content } from "../content.ts";

/** Where the public pages' static files are, with their content hash (cached for a year). */
export type PublicAssets = { css: string; js: string; image: (name: string) => string };

/** What every public page knows of its request. */
export type PublicCtx = {
  t: T;
  lang: Lang;
  viewer: Viewer | undefined;
  /** Path and query of this page. */
  path: string;
  commune: CommuneRow;
  /** Every commune of the installation (a choice is offered when there are several). */
  communes: CommuneRow[];
  /** The commune asked for by `?xa=`, kept in links. */
  xa: string | undefined;
  /** The "Chữ to" (larger text) switch is on. */
  large: boolean;
  content: Content;
  assets: PublicAssets;
};

export type NavKey = "home" | "classes" | "learn" | "quiz" | "framework" | "help";

/**
 * The content files are written in Vietnamese: with the English interface, their text is marked
 * `lang="vi"` so a screen reader reads it with a Vietnamese voice (WCAG 3.1.2).
 */
export function contentLang(ctx: Pick<PublicCtx, "lang">): "vi" | undefined {
  return ctx.lang === "vi" ? undefined : "vi";
}

/**
 * A content file's text in the page's language: its English part when the interface is English and
 * the file gives one; else the Vietnamese, marked `lang="vi"` in the English interface.
 */
export function textIn(ctx: Pick<PublicCtx, "lang">, vi: string, en: string | undefined) {
  if (ctx.lang === "en" && en) return { text: en, lang: undefined };
  return { text: vi, lang: contentLang(ctx) };
}

/**
 * The language mark of a lesson's, quiz's or outline's text, as `contentIn` gave it: none when it is
 * in the page's language, `vi` when the English interface shows a file that has no English.
 */
export function langOf(ctx: Pick<PublicCtx, "lang">, x: { textLang?: "en" } | undefined): "vi" | undefined {
  return x?.textLang === "en" ? undefined : contentLang(ctx);
}

/** A target group's name in the page's language (plain text: titles, sentences). */
export function groupName(ctx: Pick<PublicCtx, "lang">, g: { name: string; en?: { name?: string } }) {
  return textIn(ctx, g.name, g.en?.name).text;
}

/** `textIn` for a list of paragraphs: the English list when there is one. */
export function linesIn(ctx: Pick<PublicCtx, "lang">, vi: string[], en: string[] | undefined) {
  if (ctx.lang === "en" && en?.length) return { lines: en, lang: undefined };
  return { lines: vi, lang: contentLang(ctx) };
}

/** `textIn` as a span carrying its language. */
export function Tx(p: { ctx: Pick<PublicCtx, "lang">; vi: string; en: string | undefined }) {
  const x = textIn(p.ctx, p.vi, p.en);
  return <span lang={x.lang}>{x.text}</span>;
}

/** A link to a public page, keeping the commune chosen with `?xa=` and dropping empty parameters. */
export function hrefOf(
  ctx: Pick<PublicCtx, "xa">,
  path: string,
  params: Record<string, string | undefined> = {},
) {
  const q = new URLSearchParams();
  if (ctx.xa) q.set("xa", ctx.xa);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The public home: `/` for visitors; signed-in staff have their dashboard there, so `/trang-chu`. */
export function homeHref(ctx: PublicCtx) {
  return hrefOf(ctx, ctx.viewer ? "/trang-chu" : "/");
}

export function PublicLayout(props: {
  ctx: PublicCtx;
  title: string;
  nav?: NavKey;
  /** The page has a "Nghe" (listen) or "In" (print) button: load their script. */
  script?: boolean;
  children?: Child;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const links: { key: NavKey; href: string; label: string }[] = [
    { key: "home", href: homeHref(ctx), label: t("public.nav.home") },
    { key: "classes", href: hrefOf(ctx, "/lop-hoc"), label: t("public.nav.classes") },
    { key: "learn", href: hrefOf(ctx, "/hoc"), label: t("public.nav.learn") },
    { key: "quiz", href: hrefOf(ctx, "/tu-danh-gia"), label: t("public.nav.quiz") },
    { key: "help", href: hrefOf(ctx, "/ho-tro"), label: t("public.nav.help") },
    { key: "framework", href: hrefOf(ctx, "/khung-ky-nang"), label: t("public.nav.framework") },
  ];
  const next = encodeURIComponent(ctx.path);
  const otherLang = ctx.lang === "vi" ? "en" : "vi";
  return (
    <html lang={ctx.lang} class={ctx.large ? "chu-to" : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${t("app.movement")} — ${ctx.commune.name}`}</title>
        <meta
          name="description"
          content={t(`public.meta.${props.nav ?? "home"}`, {
            commune: ctx.commune.name,
            province: ctx.commune.province,
          })}
        />
        <link rel="icon" href="/favicon.ico" type="image/png" />
        <link rel="stylesheet" href={ctx.assets.css} />
        {props.script ? <script src={ctx.assets.js} defer /> : null}
      </head>
      <body>
        <SkipLink t={t} />
        <header class="ph">
          <div class="ph__inner">
            <a class="ph__brand" href={homeHref(ctx)}>
              {t("app.movement")}
              <span>
                {t("app.commune_of", { commune: ctx.commune.name, province: ctx.commune.province })}
              </span>
            </a>
            <div class="ph__tools">
              <a href={`/chu-to?next=${next}`} rel="nofollow">
                {ctx.large ? t("public.text_normal") : t("public.text_larger")}
              </a>
              <a
                href={`/lang?to=${otherLang}&next=${next}`}
                hreflang={otherLang}
                lang={otherLang}
                rel="nofollow"
              >
                {t("lang.switch_to")}
              </a>
              {ctx.viewer ? (
                <a href="/">{t("public.staff_home")}</a>
              ) : (
                <a href="/login">{t("public.staff_login")}</a>
              )}
            </div>
          </div>
          <nav class="pn" aria-label={t("public.nav.label")}>
            <ul>
              {links.map((l) => (
                <li>
                  <a href={l.href} aria-current={props.nav === l.key ? "page" : undefined}>
                    {l.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        {ctx.commune.demo ? (
          <p class="demo" role="note">
            {t("demo.banner")}
          </p>
        ) : null}
        <main id="main" class="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="pf">
          <div class="pf__inner">
            <p>{t("public.footer_private")}</p>
            <p>
              <a href={ctx.content.outlines.platform.url}>{t("public.platform_link")}</a>
            </p>
            <p>
              {ctx.viewer ? (
                <a href="/">{t("public.staff_home")}</a>
              ) : (
                <a href="/login">{t("public.staff_login")}</a>
              )}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
