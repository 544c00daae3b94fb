import type { Child } from "hono/jsx";
import { viewerCan } from "../features/auth/viewer.ts";
import { FIELD_ROLES } from "../features/field/shell.tsx";
import { SkipLink } from "./components.tsx";
import type { PageCtx } from "./render.tsx";

function langSwitchHref(ctx: PageCtx) {
  const to = ctx.lang === "vi" ? "en" : "vi";
  return `/lang?to=${to}&next=${encodeURIComponent(ctx.path)}`;
}

function NavLinks(props: { links: { href: string; label: string }[]; current: string | undefined }) {
  return (
    <ul>
      {props.links.map((l) => (
        <li>
          <a href={l.href} aria-current={props.current === l.href ? "page" : undefined}>
            {l.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function Layout(props: { ctx: PageCtx; title: string; head?: Child; children?: Child }) {
  const { ctx } = props;
  const { t, viewer } = ctx;
  const links: { href: string; label: string; show: boolean }[] = [
    { href: "/", label: t("nav.home"), show: !!viewer },
    { href: "/province", label: t("nav.province"), show: viewer?.scope.kind === "installation" },
    {
      href: "/province/reports",
      label: t("preport.nav"),
      show: viewer?.scope.kind === "installation" && viewerCan(viewer, "province_report.read"),
    },
    { href: "/indicators", label: t("nav.indicators"), show: viewerCan(viewer, "indicator.read") },
    { href: "/reports", label: t("nav.reports"), show: viewerCan(viewer, "report.read") },
    { href: "/emulation", label: t("nav.emulation"), show: viewerCan(viewer, "emulation.read") },
    { href: "/plan", label: t("nav.plan"), show: viewerCan(viewer, "plan.update") },
    { href: "/tasks", label: t("nav.tasks"), show: viewerCan(viewer, "task.read") },
    { href: "/villages", label: t("nav.villages"), show: viewerCan(viewer, "village.read") },
    { href: "/households", label: t("nav.households"), show: viewerCan(viewer, "household.read") },
    { href: "/units", label: t("nav.units"), show: viewerCan(viewer, "unit.read") },
    { href: "/markets", label: t("nav.markets"), show: viewerCan(viewer, "market.read") },
    { href: "/residents", label: t("nav.residents"), show: viewerCan(viewer, "resident.read") },
    { href: "/teams", label: t("nav.teams"), show: viewerCan(viewer, "team.read") },
    { href: "/visits", label: t("nav.visits"), show: viewerCan(viewer, "visit.read") },
    { href: "/field/", label: t("nav.field"), show: !!viewer && FIELD_ROLES.includes(viewer.role) },
    { href: "/incidents", label: t("nav.incidents"), show: viewerCan(viewer, "incident.read") },
    {
      href: "/certifications",
      label: t("nav.certifications"),
      show: viewerCan(viewer, "certification.read"),
    },
    { href: "/activities", label: t("nav.activities"), show: viewerCan(viewer, "activity.read") },
    {
      href: "/imports",
      label: t("nav.imports"),
      show: viewerCan(viewer, "import.run") && viewer?.scope.kind === "commune",
    },
    { href: "/admin/users", label: t("nav.users"), show: viewerCan(viewer, "user.manage") },
    { href: "/admin/communes", label: t("communes.title"), show: viewerCan(viewer, "commune.manage") },
    { href: "/admin/audit", label: t("nav.audit"), show: viewerCan(viewer, "audit.read") },
    { href: "/privacy", label: t("nav.privacy"), show: viewerCan(viewer, "privacy.manage") },
    { href: "/account", label: t("nav.account"), show: !!viewer },
    { href: "/trang-chu", label: t("nav.public"), show: !!viewer },
  ];
  const current = ctx.path.split("?")[0];
  // The field app installs from any page its users see (and from the sign-in page before them).
  const fieldUser = !viewer || FIELD_ROLES.includes(viewer.role);
  const shown = links.filter((l) => l.show);
  const currentLabel = shown.find((l) => l.href === current)?.label;
  const who = viewer
    ? t("nav.signed_in_as", { name: viewer.displayName, role: t(`role.${viewer.role}`) })
    : "";
  // The province's users see every commune: the header names the province, not the commune their account sits in.
  const wholeProvince = viewer?.scope.kind === "installation";
  const place = wholeProvince
    ? t("app.province_of", { province: ctx.province })
    : t("app.commune_of", { commune: ctx.communeName, province: ctx.province });
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${t("app.movement")} — ${wholeProvince ? place : ctx.communeName}`}</title>
        <link rel="icon" href="/favicon.ico" type="image/png" />
        <link rel="stylesheet" href="/static/app.css" />
        {fieldUser ? <link rel="manifest" href="/field/manifest.webmanifest" /> : null}
        {props.head}
      </head>
      <body>
        <SkipLink t={t} />
        <header class="site-header">
          <div class="site-header__inner">
            <a class="brand" href="/">
              <span class="brand__product">{t("app.product")}</span>
              <span class="brand__movement">{t("app.movement")}</span>
            </a>
            <p class="site-header__commune">{place}</p>
            <div class="site-header__tools">
              <a
                class="lang-switch"
                href={langSwitchHref(ctx)}
                hreflang={ctx.lang === "vi" ? "en" : "vi"}
                lang={ctx.lang === "vi" ? "en" : "vi"}
                title={t("lang.switch_hint")}
              >
                {t("lang.switch_to")}
              </a>
              {viewer ? (
                <form method="post" action="/logout" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <button type="submit" class="button button--link">
                    {t("nav.logout")}
                  </button>
                </form>
              ) : (
                <a href="/login">{t("nav.login")}</a>
              )}
            </div>
          </div>
          {viewer ? (
            <nav class="site-nav" aria-label={t("nav.label")}>
              {/* On a phone the links fold into a menu that opens without JavaScript (details/summary). */}
              <details class="site-menu">
                <summary class="site-menu__toggle" title={t("nav.menu_hint")}>
                  <span class="site-menu__icon" aria-hidden="true">
                    ☰
                  </span>{" "}
                  {t("nav.menu")}
                  {currentLabel ? <span class="site-menu__current">{currentLabel}</span> : null}
                </summary>
                <NavLinks links={shown} current={current} />
                <p class="site-nav__who">{who}</p>
              </details>
              <div class="site-nav__wide">
                <NavLinks links={shown} current={current} />
                <p class="site-nav__who">{who}</p>
              </div>
            </nav>
          ) : null}
        </header>
        {ctx.demo ? (
          <p class="demo-banner" role="note">
            {t("demo.banner")}
          </p>
        ) : null}
        <main id="main" class="main" tabindex={-1}>
          {ctx.flash ? (
            <div class="notice notice--success" role="status">
              {t(ctx.flash.key, ctx.flash.params)}
            </div>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            {t("app.product")} — {t("app.tagline")}
          </p>
        </footer>
      </body>
    </html>
  );
}
