import { Hono } from "hono";
import type { AppEnv } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { viewerCan } from "../auth/viewer.ts";
import { findUnitById } from "../units/repo.ts";
import { findVillagesByIds } from "../villages/repo.ts";

export const homeRoutes = new Hono<AppEnv>();

homeRoutes.get("/", requirePermission(null), async (c) => {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const t = c.var.t;
  let scope: string;
  switch (viewer.scope.kind) {
    case "installation":
      scope = t("home.scope_installation");
      break;
    case "villages": {
      const villages = await findVillagesByIds(db, viewer.scope.villageIds);
      scope = t("home.scope_villages", { villages: villages.map((v) => v.name).join(", ") });
      break;
    }
    case "unit": {
      const unit = viewer.scope.unitId ? await findUnitById(db, viewer.scope.unitId) : undefined;
      scope = t("home.scope_unit", { unit: unit?.name ?? "—" });
      break;
    }
    default:
      scope = t("home.scope_commune", { commune: viewer.communeName });
  }
  const links = [
    { href: "/villages", label: t("home.link_villages"), show: viewerCan(viewer, "village.read") },
    { href: "/admin/users", label: t("home.link_users"), show: viewerCan(viewer, "user.manage") },
    { href: "/admin/audit", label: t("home.link_audit"), show: viewerCan(viewer, "audit.read") },
    { href: "/account", label: t("home.link_account"), show: true },
  ].filter((l) => l.show);
  return render(c, { title: t("home.title") }, () => (
    <div>
      <h1>{t("home.welcome", { name: viewer.displayName })}</h1>
      <p class="lead">{t("home.role_scope", { role: t(`role.${viewer.role}`), scope })}</p>
      <p>{t("home.intro")}</p>
      <p class="motto">{t("home.motto")}</p>
      <h2>{t("home.what_you_can")}</h2>
      <ul class="link-list">
        {links.map((l) => (
          <li>
            <a href={l.href}>{l.label}</a>
          </li>
        ))}
      </ul>
    </div>
  ));
});
