import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, conflictResponse, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { mountRecordForms } from "../../web/routes-kit/record-forms.ts";
import { permitRegister } from "../../web/routes-kit/register-permissions.ts";
import { idOf, pageOf, readerOf } from "../../web/routes-kit/request.ts";
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

mountRecordForms(villageRoutes, {
  base: "/villages",
  can: { create: "village.create", update: "village.update" },
  messages: "villages",
  label: (r) => ({ name: r.name }),
  input: inputOfForm,
  view: VillageFormPage,
  create: createVillage,
  update: updateVillage,
  get: getVillage,
  values: (r) => ({ code: r.code, name: r.name }),
  remove: {
    permission: "village.delete",
    getRemovable: getRemovableVillage,
    delete: deleteVillage,
    label: (v) => ({ name: v.name }),
    view: (ctx, v) => <VillageDeletePage ctx={ctx} village={v} />,
  },
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
permitRegister(villageApi, "/villages", "village");

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
