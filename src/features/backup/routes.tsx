import fs from "node:fs";
import path from "node:path";
import { Hono } from "hono";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { latestBackupEvent } from "./repo.ts";
import { listScheduled, runScheduledBackup } from "./schedule.ts";
import { type BackupEvent, BackupsPage } from "./views/page.tsx";

export const backupRoutes = new Hono<AppEnv>();

/** The latest backup's outcome, for this page and the admin's dashboard. */
export async function backupStatus(db: Db): Promise<BackupEvent> {
  const e = await latestBackupEvent(db);
  if (!e) return undefined;
  const after = (e.after ?? {}) as { error?: string };
  return { ok: e.action === "backup.scheduled", at: e.at, error: after.error };
}

/** What the page says of the schedule: how often, into which folder, how many kept, encrypted or not. */
function scheduleOf(backup: Config["backup"]) {
  return { hours: backup.intervalHours, dir: backup.dir, keep: backup.keep, encrypted: Boolean(backup.key) };
}

backupRoutes.get("/admin/backups", requirePermission("backup.manage"), async (c) => {
  const { config, db } = c.var.deps;
  const dir = config.backup.dir;
  const files = listScheduled(dir).flatMap((name) => {
    try {
      const st = fs.statSync(path.join(dir, name));
      return [{ name, bytes: st.size, at: st.mtime }];
    } catch {
      return [];
    }
  });
  const last = await backupStatus(db);
  return render(c, { title: c.var.t("backups.title") }, (ctx) => (
    <BackupsPage ctx={ctx} files={files} last={last} schedule={scheduleOf(config.backup)} />
  ));
});

/** Takes a backup now, into BACKUP_DIR like the scheduled ones (and counted among BACKUP_KEEP). */
backupRoutes.post("/admin/backups", requirePermission("backup.manage"), async (c) => {
  const { database, config, logger } = c.var.deps;
  const r = await runScheduledBackup({ database, config, logger, actor: actorOf(requireViewer(c), c.var) });
  if (!r.ok) throw new AppError("internal", { message: msg("backup.failed", { detail: r.error }) });
  setFlash(c, msg("backups.taken", { file: path.basename(r.file) }));
  return c.redirect("/admin/backups", 303);
});

backupRoutes.get("/admin/backups/:name", requirePermission("backup.manage"), async (c) => {
  const name = c.req.param("name");
  const dir = c.var.deps.config.backup.dir;
  if (!listScheduled(dir).includes(name))
    throw new AppError("not_found", { message: msg("error.not_found") });
  const bytes = fs.readFileSync(path.join(dir, name));
  c.header("Content-Disposition", `attachment; filename="${name}"`);
  return c.body(bytes, 200, { "Content-Type": "application/octet-stream", "Cache-Control": "no-store" });
});
