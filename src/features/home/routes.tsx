import { type Context, Hono } from "hono";
import { knownByVersion } from "../../db/data-version.ts";
import { formatDateTime } from "../../lib/i18n/index.ts";
import type { AppEnv } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { viewerCan } from "../auth/viewer.ts";
import { backupStatus } from "../backup/routes.tsx";
import { dashboardFor } from "../indicators/pages.tsx";
import { KeptDashboardSection } from "../indicators/views/dashboard.tsx";
import { knownMarketFigures } from "../markets/service.ts";
import { MarketFiguresCard } from "../markets/views/figures.tsx";
import { listReports, reportsToAct } from "../reports/service.ts";
import { ReportsToAct } from "../reports/views/home.tsx";
import { findUnitById } from "../units/repo.ts";
import { findVillagesByIds } from "../villages/repo.ts";

export const homeRoutes = new Hono<AppEnv>();

/** The villages a village-scoped viewer works in, kept by the registry's version (a page asks no statement). */
async function scopeVillages(c: Context<AppEnv>, ids: readonly number[]) {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const { value } = await knownByVersion({
    db,
    communeId: viewer.communeId,
    key: `scope-villages|${ids.join(",")}`,
    families: ["registry"],
    versions: c.var.versions,
    compute: () => findVillagesByIds(db, ids),
  });
  return value;
}

/**
 * The commune's reports, for a commune-scoped viewer's "to act on" list: kept by the reports' and
 * the accounts' versions (the rows name their writers), so the home page asks no statement for them.
 */
async function communeReports(c: Context<AppEnv>) {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const { value } = await knownByVersion({
    db,
    communeId: viewer.communeId,
    key: "home-reports|commune",
    families: ["reports", "sessions"],
    versions: c.var.versions,
    compute: () => listReports({ db, viewer }),
  });
  return value;
}

/**
 * The home page after sign-in: for roles that read indicators, the dashboard (SPEC §7); for the
 * others (volunteers), their work — the visit lists of their villages and the registry.
 */
homeRoutes.get("/", requirePermission(null), async (c) => {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const t = c.var.t;
  let scope: string;
  const villages = viewer.scope.kind === "villages" ? await scopeVillages(c, viewer.scope.villageIds) : [];
  const unit =
    viewer.scope.kind === "unit" && viewer.scope.unitId
      ? await findUnitById(db, viewer.scope.unitId)
      : undefined;
  switch (viewer.scope.kind) {
    case "installation":
      scope = t("home.scope_installation");
      break;
    case "villages":
      scope = t("home.scope_villages", { villages: villages.map((v) => v.name).join(", ") });
      break;
    case "unit":
      scope = t("home.scope_unit", { unit: unit?.name ?? "—" });
      break;
    default:
      scope = t("home.scope_commune", { commune: viewer.communeName });
  }
  const visitLists = viewerCan(viewer, "village.read") && viewerCan(viewer, "resident.read");
  const priority = [
    ...(visitLists
      ? villages.map((v) => ({
          href: `/villages/${v.id}/visit-next`,
          label: t("dashboard.visit_next_link", { village: v.name }),
          show: true,
        }))
      : []),
    ...(unit
      ? [
          {
            href: `/units/${unit.id}/indicators`,
            label: t("dashboard.unit_page_link", { unit: unit.name }),
            show: viewerCan(viewer, "indicator.read"),
          },
        ]
      : []),
  ].filter((l) => l.show);
  const links = [
    { href: "/villages", label: t("home.link_villages"), show: viewerCan(viewer, "village.read") },
    { href: "/households", label: t("nav.households"), show: viewerCan(viewer, "household.read") },
    { href: "/residents", label: t("nav.residents"), show: viewerCan(viewer, "resident.read") },
    { href: "/markets", label: t("markets.title"), show: viewerCan(viewer, "market.read") },
    { href: "/admin/users", label: t("home.link_users"), show: viewerCan(viewer, "user.manage") },
    { href: "/admin/communes", label: t("communes.title"), show: viewerCan(viewer, "commune.manage") },
    { href: "/admin/audit", label: t("home.link_audit"), show: viewerCan(viewer, "audit.read") },
    { href: "/admin/backups", label: t("nav.backups"), show: viewerCan(viewer, "backup.manage") },
    { href: "/account", label: t("home.link_account"), show: true },
  ].filter((l) => l.show);
  const dashboard = viewerCan(viewer, "indicator.read") ? await dashboardFor(c, viewer) : undefined;
  const backup = viewerCan(viewer, "backup.manage") ? await backupStatus(c.var.deps.db) : undefined;
  // Reports waiting for the leader's approval; reports the leader sent back, for their writers.
  const toAct =
    viewer.scope.kind === "commune" &&
    (viewerCan(viewer, "report.approve") || viewerCan(viewer, "report.create"))
      ? reportsToAct(await communeReports(c))
      : undefined;
  // The market board reads no indicators: its home shows the "Chợ số" figures alone.
  const markets =
    !dashboard && viewerCan(viewer, "market.read")
      ? await knownMarketFigures({ db, communeId: viewer.communeId, versions: c.var.versions })
      : undefined;
  const res = await render(c, { title: t("home.title") }, (ctx) => (
    <div>
      {backup && !backup.ok ? (
        <div class="error-summary" role="alert">
          <p>
            <a href="/admin/backups">
              {t("backups.dashboard_failed", {
                at: formatDateTime(ctx.lang, backup.at),
                error: backup.error ?? "—",
              })}
            </a>
          </p>
        </div>
      ) : null}
      <h1>{t("home.welcome", { name: viewer.displayName })}</h1>
      <p class="lead">{t("home.role_scope", { role: t(`role.${viewer.role}`), scope })}</p>
      {dashboard ? null : (
        <>
          <p>{t("home.intro")}</p>
          <p class="motto">{t("home.motto")}</p>
        </>
      )}
      {toAct ? (
        <ReportsToAct
          ctx={ctx}
          awaiting={viewerCan(viewer, "report.approve") ? toAct.awaiting : []}
          returned={viewerCan(viewer, "report.create") ? toAct.returned : []}
        />
      ) : null}
      {dashboard && priority.length > 0 ? (
        <>
          <h2>{t("dashboard.your_work")}</h2>
          <LinkList links={priority} />
        </>
      ) : null}
      {dashboard ? (
        <KeptDashboardSection
          kept={dashboard.kept}
          ctx={ctx}
          viewer={viewer}
          {...dashboard.section}
          action="/"
          canVisitList={visitLists}
          headingLevel={2}
        />
      ) : null}
      {markets ? (
        <ul class="ind-cards">
          <MarketFiguresCard ctx={ctx} figures={markets} linkMarkets />
        </ul>
      ) : null}
      <h2>{t("home.what_you_can")}</h2>
      <LinkList links={dashboard ? links : [...priority, ...links]} />
    </div>
  ));
  dashboard?.logTime(performance.now());
  return res;
});

function LinkList(p: { links: { href: string; label: string }[] }) {
  return (
    <ul class="link-list">
      {p.links.map((l) => (
        <li>
          <a href={l.href}>{l.label}</a>
        </li>
      ))}
    </ul>
  );
}
