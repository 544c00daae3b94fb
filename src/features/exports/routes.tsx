import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Hono } from "hono";
import { todayInVietnam } from "../../lib/clock.ts";
import { forbidden, notFound } from "../../lib/errors.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { requirePermission } from "../../web/middleware.ts";
import { readerOf } from "../../web/routes-kit/request.ts";
import { recordAudit } from "../audit/service.ts";
import { seesUnmasked, viewerCan } from "../auth/viewer.ts";
import { EXPORT_READ_PERMISSION, exportRecords, isExportKind } from "./service.ts";

/**
 * Downloads of a kind's records, in the viewer's scope and masked as the viewer sees them
 * (SPEC §8): `/exports/residents.csv`, `/exports/households.xlsx`… Same paths under /api/v1.
 */
export const exportRoutes = new Hono<AppEnv>();

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const download = new Hono<AppEnv>().get(
  "/:file{[a-z_]+\\.(csv|xlsx)}",
  requirePermission("export.run"),
  async (c) => {
    const { viewer, readDb } = readerOf(c, { replica: true });
    const [kind, ext] = c.req.param("file").split(".") as [string, "csv" | "xlsx"];
    if (!isExportKind(kind)) throw notFound();
    if (!viewerCan(viewer, EXPORT_READ_PERMISSION[kind])) throw forbidden();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-export-"));
    const file = path.join(dir, `${kind}.${ext}`);
    try {
      const mask = !seesUnmasked(viewer);
      const { rows } = await exportRecords({ db: readDb, kind, scope: viewer.scope, mask, file });
      await recordAudit(c.var.deps.db, actorOf(viewer, c.var), {
        action: `export.${kind}`,
        entity: kind,
        after: { file: `${kind}.${ext}`, rows, masked: mask },
      });
      const body = fs.readFileSync(file);
      const day = todayInVietnam();
      c.header("Content-Disposition", `attachment; filename="bdhvs-${kind}-${day}.${ext}"`);
      return c.body(body, 200, { "Content-Type": TYPES[ext] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

exportRoutes.route("/exports", download);
exportRoutes.route("/api/v1/exports", download);
