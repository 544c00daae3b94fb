import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { UNIT_TYPES } from "../../db/schema.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, conflictResponse, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, str } from "../../web/form.ts";
import { requirePermission } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { listRoute } from "../../web/routes-kit/list-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { mountRecordForms } from "../../web/routes-kit/record-forms.ts";
import { permitRegister } from "../../web/routes-kit/register-permissions.ts";
import { idOf, readerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import {
  createUnit,
  deleteUnit,
  getRemovableUnit,
  getUnit,
  isUnitRemovable,
  listUnits,
  updateUnit,
} from "./service.ts";
import { UnitDeletePage, UnitDetailPage, UnitFormPage, UnitListPage } from "./views/pages.tsx";

export const unitRoutes = new Hono<AppEnv>();

unitRoutes.get(
  "/units",
  requirePermission("unit.read"),
  listRoute({
    query: ["q", "type"],
    list: listUnits,
    title: "units.title",
    view: ({ viewer, ...page }) => <UnitListPage {...page} canCreate={viewerCan(viewer, "unit.create")} />,
  }),
);

unitRoutes.get("/units/:id{[0-9]+}", requirePermission("unit.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const unit = await getUnit({ db, viewer, id: idOf(c) });
  const canDelete = viewerCan(viewer, "unit.delete") && (await isUnitRemovable({ db, viewer, id: unit.id }));
  return render(c, { title: unit.name }, (ctx) => (
    <>
      <UnitDetailPage
        ctx={ctx}
        unit={unit}
        canEdit={viewerCan(viewer, "unit.update")}
        canDelete={canDelete}
        canSeeMembers={viewerCan(viewer, "resident.read")}
      />
      {viewerCan(viewer, "indicator.read") ? (
        <p>
          <a class="button button--secondary" href={`/units/${unit.id}/indicators`}>
            {ctx.t("unit_ind.link")}
          </a>
        </p>
      ) : null}
    </>
  ));
});

const inputOfForm = (form: FormValues): Record<string, Cell> => ({
  code: str(form, "code"),
  name: str(form, "name"),
  type: str(form, "type"),
});

mountRecordForms(unitRoutes, {
  base: "/units",
  can: { create: "unit.create", update: "unit.update" },
  messages: "units",
  label: (r) => ({ name: r.name }),
  input: inputOfForm,
  view: UnitFormPage,
  create: createUnit,
  update: updateUnit,
  get: getUnit,
  values: (r) => ({ code: r.code, name: r.name, type: r.type }),
  remove: {
    permission: "unit.delete",
    getRemovable: getRemovableUnit,
    delete: deleteUnit,
    label: (u) => ({ name: u.name }),
    view: (ctx, u) => <UnitDeletePage ctx={ctx} unit={u} />,
  },
});

// --- API ----------------------------------------------------------------------

export const unitApi = apiRouter();
permitRegister(unitApi, "/units", "unit");

const ZUnit = z
  .object({ id: z.number().int(), code: z.string(), name: z.string(), type: z.enum(UNIT_TYPES) })
  .openapi("Unit");
const ZUnitDetail = ZUnit.extend({
  members: z.number().int().openapi({ description: "Residents of the unit in the caller's scope" }),
});
const ZUnitIn = z.object({ code: ZCell, name: ZCell, type: ZCell }).openapi("UnitInput", {
  description: "Column keys of the data README; the type as a code or a Vietnamese label (Trường học…).",
});

mountRecordApi(unitApi, {
  path: "/units",
  noun: "unit",
  record: ZUnitDetail,
  list: {
    summary: "List the units in the caller's scope (a school sees only itself)",
    query: ZPageQuery.extend({
      type: z.enum(UNIT_TYPES).optional(),
      q: z.string().optional().openapi({ description: "Part of the code or the name" }),
    }),
    item: ZUnit,
    items: "Units",
    run: listUnits,
  },
  get: { summary: "One unit with its members count (404 outside the caller's scope)", run: getUnit },
  create: { summary: "Create a unit (code unique in the commune)", body: ZUnitIn, run: createUnit },
  update: { summary: "Change a unit's code, name or type", body: ZUnitIn, run: updateUnit },
  remove: {
    summary: "Remove a unit nothing refers to (409 while residents or user accounts do)",
    done: "Removed",
    responses: conflictResponse,
    run: deleteUnit,
  },
});
