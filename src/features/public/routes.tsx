import { createHash } from "node:crypto";
import fs from "node:fs";
import type { Context } from "hono";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { html, raw } from "hono/html";
import type { Child } from "hono/jsx";
import { notFound } from "../../lib/errors.ts";
import type { AppEnv } from "../../web/context.ts";
import { CSRF_COOKIE, isSecure, safeNext } from "../../web/middleware.ts";
import { viewerCan } from "../auth/viewer.ts";
import { findCommuneById } from "../communes/repo.ts";
import type { VillageRow } from "../villages/repo.ts";
import { contentIn, currentContent } from "./content.ts";
import { handbookPdf } from "./handbook-pdf.ts";
import {
  communeProgress,
  listPublicVillages,
  outlineOf,
  parseAnswers,
  pickPublicCommune,
  scoreQuiz,
  teamContacts,
  upcomingClasses,
} from "./service.ts";
import { HomePage } from "./views/home.tsx";
import {
  groupName,
  hrefOf,
  type NavKey,
  type PublicAssets,
  type PublicCtx,
  PublicLayout,
  textIn,
} from "./views/layout.tsx";
import {
  ClassesPage,
  FrameworkGroupPage,
  FrameworkPage,
  HandbookPage,
  HelpPage,
  LearnIndexPage,
  LessonPage,
  OutlinePage,
} from "./views/pages.tsx";
import { QuestionPage, QuizIndexPage, QuizIntroPage, ResultPage } from "./views/quiz.tsx";

/**
 * The residents' pages (SPEC §4.1, §7): no sign-in, nothing personal, light enough for a cheap
 * phone on a weak signal. Anonymous answers are the same for everyone, so they are cacheable
 * (`Cache-Control: public`, an ETag, `Vary: Cookie` for the language and text-size choices); a
 * signed-in viewer gets `no-store` like every staff page.
 */

const TEXT_SIZE_COOKIE = "bdhvs_chu";
const LARGE_TEXT = /(?:^|;\s*)bdhvs_chu=to(?:;|$)/;
const YEAR = 365 * 86400;
/** Pages whose figures or classes change: a minute. Content pages: ten minutes. */
const LIVE_MAX_AGE = 60;
const CONTENT_MAX_AGE = 600;

// --- static files ----------------------------------------------------------------------------

function staticFile(name: string) {
  const body = fs.readFileSync(new URL(`../../web/static/${name}`, import.meta.url), "utf8");
  return { body, hash: createHash("sha256").update(body).digest("hex").slice(0, 10) };
}
const css = staticFile("public.css");
const publicJs = staticFile("public.js");

/** Long-lived when the link names the file's current hash, an hour otherwise. */
function cacheStatic(c: Context<AppEnv>, hash: string) {
  c.header(
    "Cache-Control",
    c.req.query("v") === hash ? `public, max-age=${YEAR}, immutable` : "public, max-age=3600",
  );
}

/** Mounted before authentication: static files need no session. */
export const publicStatic = new Hono<AppEnv>();

publicStatic.get("/static/public.css", (c) => {
  cacheStatic(c, css.hash);
  return c.body(css.body, 200, { "Content-Type": "text/css; charset=utf-8" });
});
publicStatic.get("/static/public.js", (c) => {
  cacheStatic(c, publicJs.hash);
  return c.body(publicJs.body, 200, { "Content-Type": "text/javascript; charset=utf-8" });
});
publicStatic.get("/static/hinh/:name{[a-z0-9-]+\\.svg}", (c) => {
  const image = currentContent(c.var.deps.config.contentDir).images.get(c.req.param("name"));
  if (!image) throw notFound();
  cacheStatic(c, image.hash);
  return c.body(image.svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8" });
});

function assetsFor(contentDir: string): PublicAssets {
  const content = currentContent(contentDir);
  return {
    css: `/static/public.css?v=${css.hash}`,
    js: `/static/public.js?v=${publicJs.hash}`,
    image: (name) => `/static/hinh/${name}?v=${content.images.get(name)?.hash ?? ""}`,
  };
}

// --- page plumbing ----------------------------------------------------------------------------

async function publicCtx(c: Context<AppEnv>): Promise<PublicCtx> {
  const { db, config } = c.var.deps;
  const content = contentIn(currentContent(config.contentDir), c.var.lang);
  const xa = c.req.query("xa")?.trim() || undefined;
  const picked = await pickPublicCommune({ db, code: xa });
  // Signed-in staff see their own commune unless they chose another.
  const own = !xa && c.var.viewer ? await findCommuneById(db, c.var.viewer.communeId) : undefined;
  const commune = own ?? picked.commune;
  if (!commune) throw notFound();
  const url = new URL(c.req.url);
  return {
    t: c.var.t,
    lang: c.var.lang,
    viewer: c.var.viewer,
    path: url.pathname + url.search,
    commune,
    communes: picked.all,
    xa,
    large: LARGE_TEXT.test(c.req.header("cookie") ?? ""),
    content,
    assets: assetsFor(config.contentDir),
  };
}

/**
 * Sends a public page. For an anonymous visitor: cacheable by the browser and shared caches for
 * `maxAge` seconds, with an ETag (a 304 when unchanged). The CSRF cookie that authentication hands
 * every anonymous request is left out: these pages have no form that posts.
 */
async function send(
  c: Context<AppEnv>,
  ctx: PublicCtx,
  opts: { title: string; nav?: NavKey; script?: boolean; maxAge: number; status?: 200 },
  body: Child,
) {
  const text = String(
    await html`<!DOCTYPE html>${(
      <PublicLayout ctx={ctx} title={opts.title} nav={opts.nav} script={opts.script}>
        {body}
      </PublicLayout>
    )}`,
  );
  const res = c.html(text, opts.status ?? 200);
  if (c.var.viewer) return res; // no-store, added by the request context
  const cookies = res.headers.getSetCookie();
  const kept = cookies.filter((s) => !s.startsWith(`${CSRF_COOKIE}=`));
  if (kept.length !== cookies.length) {
    res.headers.delete("Set-Cookie");
    for (const k of kept) res.headers.append("Set-Cookie", k);
  }
  // A cookie still to set (an expired session's removal) is personal: not for shared caches.
  if (kept.length > 0) {
    res.headers.set("Cache-Control", "private, no-cache");
    return res;
  }
  const etag = `"${createHash("sha1").update(text).digest("base64url")}"`;
  res.headers.set("Cache-Control", `public, max-age=${opts.maxAge}`);
  res.headers.set("Vary", "Cookie");
  res.headers.set("ETag", etag);
  const asked = c.req.header("if-none-match");
  if (asked?.match(/"[^"]*"/g)?.includes(etag)) {
    return new Response(null, {
      status: 304,
      headers: { "Cache-Control": `public, max-age=${opts.maxAge}`, Vary: "Cookie", ETag: etag },
    });
  }
  return res;
}

async function villagesAndChoice(c: Context<AppEnv>, ctx: PublicCtx) {
  const villages = await listPublicVillages(c.var.deps.db, ctx.commune.id);
  const code = c.req.query("thon")?.trim();
  const village: VillageRow | undefined = code ? villages.find((v) => v.code === code) : undefined;
  return { villages, village };
}

/** The village chosen on a public page, the next `limit` classes there (else in the commune) and its team. */
async function classesNear(c: Context<AppEnv>, ctx: PublicCtx, limit: number) {
  const { db } = c.var.deps;
  const { villages, village } = await villagesAndChoice(c, ctx);
  const classes = await upcomingClasses({ db, communeId: ctx.commune.id, villageId: village?.id, limit });
  const team = village
    ? (await teamContacts({ db, communeId: ctx.commune.id })).find((x) => x.villageCode === village.code)
    : undefined;
  return { villages, village, classes, team };
}

function groupOf(ctx: PublicCtx, slug: string) {
  const group = ctx.content.groupBySlug.get(slug);
  if (!group) throw notFound();
  return group;
}

// --- pages ------------------------------------------------------------------------------------

export const publicRoutes = new Hono<AppEnv>();

async function home(c: Context<AppEnv>) {
  const ctx = await publicCtx(c);
  const near = await classesNear(c, ctx, 5);
  const progress = await communeProgress({ db: c.var.deps.db, communeId: ctx.commune.id }).catch((err) => {
    c.var.log.error({ err }, "public progress");
    return undefined;
  });
  return send(
    c,
    ctx,
    { title: ctx.t("public.nav.home"), nav: "home", maxAge: LIVE_MAX_AGE },
    <HomePage ctx={ctx} progress={progress} {...near} action={c.req.path} />,
  );
}

/**
 * `/`: the public home for visitors. Signed-in staff go on to their own home page (features/home),
 * and so does a browser holding a staff session that ended or waits for its second step: it is sent
 * to sign in again, as before. `/trang-chu` is the public home for everyone.
 */
publicRoutes.get("/", async (c, next) => {
  if (c.var.viewer || c.var.sessionState !== "none") return next();
  return home(c);
});
publicRoutes.get("/trang-chu", home);

/** "Chữ to": the larger-text switch, kept a year in a cookie; works without JavaScript. */
publicRoutes.get("/chu-to", (c) => {
  const on = LARGE_TEXT.test(c.req.header("cookie") ?? "");
  setCookie(c, TEXT_SIZE_COOKIE, on ? "" : "to", {
    path: "/",
    sameSite: "Lax",
    maxAge: on ? 0 : YEAR,
    secure: isSecure(c),
  });
  c.header("Cache-Control", "no-store");
  return c.redirect(safeNext(c.req.query("next")), 303);
});

publicRoutes.get("/lop-hoc", async (c) => {
  const ctx = await publicCtx(c);
  const near = await classesNear(c, ctx, 100);
  return send(
    c,
    ctx,
    { title: ctx.t("public.classes_title"), nav: "classes", maxAge: LIVE_MAX_AGE },
    <ClassesPage ctx={ctx} {...near} />,
  );
});

publicRoutes.get("/ho-tro", async (c) => {
  const ctx = await publicCtx(c);
  const teams = await teamContacts({ db: c.var.deps.db, communeId: ctx.commune.id });
  const { villages, village } = await villagesAndChoice(c, ctx);
  return send(
    c,
    ctx,
    { title: ctx.t("public.help_title"), nav: "help", maxAge: LIVE_MAX_AGE },
    <HelpPage ctx={ctx} teams={teams} villages={villages} village={village} />,
  );
});

/** A page drawn from the content alone (nothing from the query or the database), cached as content is. */
function contentPage(nav: NavKey, title: (ctx: PublicCtx) => string, Page: (p: { ctx: PublicCtx }) => Child) {
  return async (c: Context<AppEnv>) => {
    const ctx = await publicCtx(c);
    return send(c, ctx, { title: title(ctx), nav, maxAge: CONTENT_MAX_AGE }, <Page ctx={ctx} />);
  };
}

publicRoutes.get(
  "/khung-ky-nang",
  contentPage(
    "framework",
    (ctx) => textIn(ctx, ctx.content.framework.title, ctx.content.framework.en?.title).text,
    FrameworkPage,
  ),
);

publicRoutes.get("/khung-ky-nang/:slug", async (c) => {
  const ctx = await publicCtx(c);
  const group = groupOf(ctx, c.req.param("slug"));
  return send(
    c,
    ctx,
    {
      title: ctx.t("public.framework_group_title", { group: groupName(ctx, group) }),
      nav: "framework",
      maxAge: CONTENT_MAX_AGE,
    },
    <FrameworkGroupPage ctx={ctx} group={group} />,
  );
});

publicRoutes.get(
  "/hoc",
  contentPage("learn", (ctx) => ctx.t("public.learn_title"), LearnIndexPage),
);

/** The learning group `:slug` names (404 for none) and its outline, with the page's public context. */
async function learningGroupOf(c: Context<AppEnv>) {
  const ctx = await publicCtx(c);
  const group = groupOf(ctx, c.req.param("slug") ?? "");
  return { ctx, group, outline: outlineOf(ctx.content, group.code)! };
}

publicRoutes.get("/hoc/:slug", async (c) => {
  const { ctx, group, outline } = await learningGroupOf(c);
  return send(
    c,
    ctx,
    { title: outline.title, nav: "learn", maxAge: CONTENT_MAX_AGE },
    <OutlinePage ctx={ctx} group={group} outline={outline} />,
  );
});

publicRoutes.get("/hoc/:slug/so-tay", async (c) => {
  const { ctx, group, outline } = await learningGroupOf(c);
  return send(
    c,
    ctx,
    { title: outline.handbook.title, nav: "learn", script: true, maxAge: CONTENT_MAX_AGE },
    <HandbookPage ctx={ctx} group={group} outline={outline} />,
  );
});

/**
 * The handbook as one file to keep, print or pass on: the same page with its stylesheet and
 * drawings inside, so it opens offline.
 */
publicRoutes.get("/hoc/:slug/so-tay.html", async (c) => {
  const base = await publicCtx(c);
  const group = groupOf(base, c.req.param("slug").replace(/\.html$/, ""));
  const outline = outlineOf(base.content, group.code)!;
  const ctx: PublicCtx = {
    ...base,
    large: false,
    assets: {
      ...base.assets,
      image: (name) =>
        `data:image/svg+xml;base64,${Buffer.from(base.content.images.get(name)?.svg ?? "").toString("base64")}`,
    },
  };
  const page = html`<!DOCTYPE html>
<html lang="${ctx.lang}"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${outline.handbook.title} — ${ctx.commune.name}</title><style>${raw(css.body)}</style></head>
<body><main class="main">${<HandbookPage ctx={ctx} group={group} outline={outline} standalone />}</main></body></html>`;
  c.header("Content-Disposition", `attachment; filename="so-tay-${group.slug}.html"`);
  if (!c.var.viewer) c.header("Cache-Control", `public, max-age=${CONTENT_MAX_AGE}`);
  return c.html(page);
});

const pdfCache = new Map<string, Promise<Buffer>>();

/** The handbook as an A4 PDF (Tinos, the drawings as images). */
publicRoutes.get("/hoc/:slug/so-tay.pdf", async (c) => {
  const ctx = await publicCtx(c);
  const group = groupOf(ctx, c.req.param("slug"));
  const outline = outlineOf(ctx.content, group.code)!;
  const { t } = ctx;
  // The same file for every visitor of a commune in a language: made once (about a second).
  const key = [
    ctx.content.dir,
    group.code,
    ctx.commune.id,
    ctx.commune.name,
    ctx.commune.province,
    ctx.lang,
  ].join("\n");
  let pdf = pdfCache.get(key);
  if (!pdf) {
    pdf = handbookPdf({
      content: ctx.content,
      group,
      outline,
      commune: ctx.commune,
      lang: ctx.lang,
      labels: {
        contents: t("public.handbook_contents"),
        basic: t("public.handbook_basic", { group: groupName(ctx, group) }),
        warning: t("public.lesson_warning"),
        remember: t("public.lesson_remember"),
        more: t("public.lesson_more"),
        help: t("public.handbook_help"),
        helpText: [t("public.help_intro"), t("public.platform_p")],
        page: (n, total) => t("public.pdf_page", { n, total }),
      },
    });
    pdfCache.set(key, pdf);
    pdf.catch(() => pdfCache.delete(key));
  }
  const bytes = await pdf;
  c.header("Content-Disposition", `attachment; filename="so-tay-${group.slug}.pdf"`);
  if (!c.var.viewer) c.header("Cache-Control", `public, max-age=${CONTENT_MAX_AGE}`);
  return c.body(new Uint8Array(bytes), 200, { "Content-Type": "application/pdf" });
});

publicRoutes.get("/bai-hoc/:slug", async (c) => {
  const ctx = await publicCtx(c);
  const lesson = ctx.content.lessons.get(c.req.param("slug"));
  if (!lesson) throw notFound();
  const groups = ctx.content.framework.groups.filter((g) =>
    outlineOf(ctx.content, g.code)?.modules.some((m) => m.lessons.includes(lesson.slug)),
  );
  return send(
    c,
    ctx,
    { title: lesson.title, nav: "learn", script: true, maxAge: CONTENT_MAX_AGE },
    <LessonPage ctx={ctx} lesson={lesson} groups={groups} />,
  );
});

// --- self-assessment ------------------------------------------------------------------------------

publicRoutes.get(
  "/tu-danh-gia",
  contentPage("quiz", (ctx) => ctx.t("public.quiz_title"), QuizIndexPage),
);

function quizOf(ctx: PublicCtx, slug: string) {
  const group = groupOf(ctx, slug);
  const quiz = ctx.content.quizzes.get(group.code);
  if (!quiz) throw notFound();
  return { group, quiz };
}

publicRoutes.get("/tu-danh-gia/:slug", async (c) => {
  const ctx = await publicCtx(c);
  const { group, quiz } = quizOf(ctx, c.req.param("slug"));
  const { villages, village } = await villagesAndChoice(c, ctx);
  return send(
    c,
    ctx,
    { title: quiz.title, nav: "quiz", maxAge: CONTENT_MAX_AGE },
    <QuizIntroPage ctx={ctx} group={group} quiz={quiz} villages={villages} village={village?.code} />,
  );
});

/** The answers so far: `d` (one digit a question) and the one just given (`a`). */
function answersOf(c: Context<AppEnv>) {
  return `${c.req.query("d") ?? ""}${c.req.query("a") ?? ""}`;
}

publicRoutes.get("/tu-danh-gia/:slug/cau-hoi", async (c) => {
  const ctx = await publicCtx(c);
  const { group, quiz } = quizOf(ctx, c.req.param("slug"));
  const thon = c.req.query("thon")?.trim() || undefined;
  const answers = parseAnswers(quiz, answersOf(c));
  if (!answers) return c.redirect(hrefOf(ctx, `/tu-danh-gia/${group.slug}`, { thon }), 303);
  if (answers.length === quiz.questions.length)
    return c.redirect(hrefOf(ctx, `/tu-danh-gia/${group.slug}/ket-qua`, { d: answers.join(""), thon }), 303);
  return send(
    c,
    ctx,
    {
      title: ctx.t("public.question_title", { n: answers.length + 1, total: quiz.questions.length }),
      nav: "quiz",
      script: true,
      maxAge: CONTENT_MAX_AGE,
    },
    <QuestionPage ctx={ctx} group={group} quiz={quiz} answers={answers} village={thon} />,
  );
});

publicRoutes.get("/tu-danh-gia/:slug/ket-qua", async (c) => {
  const ctx = await publicCtx(c);
  const { group, quiz } = quizOf(ctx, c.req.param("slug"));
  const choice = await villagesAndChoice(c, ctx);
  const thon = c.req.query("thon")?.trim() || undefined;
  const answers = parseAnswers(quiz, answersOf(c));
  if (!answers) return c.redirect(hrefOf(ctx, `/tu-danh-gia/${group.slug}`, { thon }), 303);
  if (answers.length < quiz.questions.length)
    return c.redirect(hrefOf(ctx, `/tu-danh-gia/${group.slug}/cau-hoi`, { d: answers.join(""), thon }), 303);
  const result = scoreQuiz({ quiz, group, content: ctx.content, answers });
  const classes = await upcomingClasses({
    db: c.var.deps.db,
    communeId: ctx.commune.id,
    villageId: choice.village?.id,
    limit: 5,
  });
  return send(
    c,
    ctx,
    {
      title: ctx.t("public.result_title", { group: groupName(ctx, group) }),
      nav: "quiz",
      maxAge: LIVE_MAX_AGE,
    },
    <ResultPage
      ctx={ctx}
      group={group}
      quiz={quiz}
      answers={answers}
      result={result}
      {...choice}
      classes={classes}
      canRecord={viewerCan(c.var.viewer, "assessment.create")}
    />,
  );
});
