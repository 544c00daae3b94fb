import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, conflictResponse, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { permitByMethod } from "../../web/routes-kit/api-route.ts";
import { mountEditor, mountRemover } from "../../web/routes-kit/editor-routes.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { idOf, pageOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import {
  createVillage,
  deleteVillage,
  getRemovableVillage,
  getVillage,
  isVillageRemovable,
  listVillages,
  updateVillage,
} from "./service.ts";
import { VillageDeletePage, VillageDetailPage, VillageFormPage, VillageListPage } from "./views/pages.tsx";

export const villageRoutes = new Hono<AppEnv>();

function _pageNumber(v: string | undefined) {
  const n = Number.parseInt(v ?? "1", 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

villageRoutes.get("/villages", requirePermission("village.read"), async (c) => {
  const viewer = requireViewer(c);
  const page = pageOf(c);
  const result = await listVillages({ db: c.var.deps.db, viewer, page, pageSize: 50 });
  return render(c, { title: c.var.t("villages.title") }, (ctx) => (
    <VillageListPage ctx={ctx} result={result} canCreate={viewerCan(viewer, "village.create")} />
  ));
});

villageRoutes.get("/villages/:id{[0-9]+}", requirePermission("village.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const village = await getVillage({ db, viewer, id: idOf(c) });
  const canDelete =
    viewerCan(viewer, "village.delete") && (await isVillageRemovable({ db, viewer, id: village.id }));
  return render(c, { title: c.var.t("villages.detail_title", { name: village.name }) }, (ctx) => (
    <>
      <VillageDetailPage
        ctx={ctx}
        village={village}
        canEdit={viewerCan(viewer, "village.update")}
        canDelete={canDelete}
        canSeeHouseholds={viewerCan(viewer, "household.read")}
        canSeeResidents={viewerCan(viewer, "resident.read")}
      />
      {viewerCan(viewer, "resident.read") ? (
        <p>
          <a class="button" href={`/villages/${village.id}/visit-next`}>
            {ctx.t("visit.link")}
          </a>
        </p>
      ) : null}
    </>
  ));
});

const inputOfForm = (form: Record<string, string | string[]>): Record<string, Cell> => ({
  code: str(form, "code"),
  name: str(form, "name"),
});

mountEditor(villageRoutes, {
  base: "/villages",
  view: VillageFormPage,
  create: {
    permission: "village.create",
    title: msg("villages.new"),
    run: (c, form) => createVillage({ ...writerOf(c), input: inputOfForm(form) }),
    flash: (r) => msg("villages.created", { name: r.name }),
  },
  update: {
    permission: "village.update",
    title: msg("villages.edit"),
    load: async (c, id) => {
      const r = await getVillage({ ...readerOf(c), id });
      return { title: msg("villages.edit_title", { name: r.name }), values: { code: r.code, name: r.name } };
    },
    run: (c, id, form) => updateVillage({ ...writerOf(c), id, input: inputOfForm(form) }),
    flash: (r) => msg("villages.updated", { name: r.name }),
  },
});

mountRemover(villageRoutes, {
  base: "/villages",
  permission: "village.delete",
  load: (c, id) => getRemovableVillage({ ...readerOf(c), id }),
  title: (v) => msg("villages.delete_title", { name: v.name }),
  view: (ctx, v) => <VillageDeletePage ctx={ctx} village={v} />,
  run: (c, id) => deleteVillage({ ...writerOf(c), id }),
  flash: (v) => msg("villages.deleted", { name: v.name }),
});

// --- API ----------------------------------------------------------------------

export const villageApi = apiRouter();

const ZVillage = z.object({ id: z.number().int(), code: z.string(), name: z.string() }).openapi("Village");
const ZVillageDetail = ZVillage.extend({
  households: z.number().int().openapi({ description: "Households of the village in the caller's scope" }),
  residents: z.number().int().openapi({ description: "Residents of the village in the caller's scope" }),
});
const ZVillageIn = z.object({ code: ZCell, name: ZCell }).openapi("VillageInput", {
  description: "Column keys of the data README (code, name).",
});
permitByMethod(villageApi, "/villages", { GET: "village.read", POST: "village.create" });
permitByMethod(villageApi, "/villages/*", {
  GET: "village.read",
  PATCH: "village.update",
  DELETE: "village.delete",
});

mountRecordApi(villageApi, {
  path: "/villages",
  noun: "village",
  record: ZVillageDetail,
  list: {
    summary: "List the villages in the caller's scope",
    query: ZPageQuery,
    item: ZVillage,
    items: "Villages",
    run: listVillages,
  },
  get: {
    summary: "One village with its households and residents counts (404 outside the caller's scope)",
    run: getVillage,
  },
  create: { summary: "Create a village (code unique in the commune)", body: ZVillageIn, run: createVillage },
  update: { summary: "Change a village's code or name", body: ZVillageIn, run: updateVillage },
  remove: {
    summary: "Remove a village nothing refers to (409 while households, residents or user accounts do)",
    done: "Removed",
    responses: conflictResponse,
    run: deleteVillage,
  },
});
