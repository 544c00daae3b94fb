import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, conflictResponse, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, auditOf } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { requirePermission } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { listRoute } from "../../web/routes-kit/list-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { mountRecordForms } from "../../web/routes-kit/record-forms.ts";
import { permitRegister } from "../../web/routes-kit/register-permissions.ts";
import { idOf, readerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listResidents } from "../residents/service.ts";
import { listPickableVillages } from "../villages/service.ts";
import {
  createHousehold,
  deleteHousehold,
  getHousehold,
  getRemovableHousehold,
  isHouseholdRemovable,
  listHouseholds,
  updateHousehold,
} from "./service.ts";
import {
  HouseholdDeletePage,
  HouseholdDetailPage,
  HouseholdFormPage,
  type HouseholdFormValues,
  HouseholdListPage,
} from "./views/pages.tsx";

export const householdRoutes = new Hono<AppEnv>();

/** Members shown on a household's page; a larger household links to the residents list. */
const MEMBERS_SHOWN = 100;

householdRoutes.get(
  "/households",
  requirePermission("household.read"),
  listRoute({
    query: ["q", "village"],
    list: listHouseholds,
    data: listPickableVillages,
    title: "households.title",
    view: ({ data, viewer, ...page }) => (
      <HouseholdListPage {...page} villages={data} canCreate={viewerCan(viewer, "household.create")} />
    ),
  }),
);

householdRoutes.get("/households/:id{[0-9]+}", requirePermission("household.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const h = await getHousehold({ db, viewer, id: idOf(c) });
  const members = await listResidents({
    db,
    viewer,
    query: { household: h.code },
    page: 1,
    pageSize: MEMBERS_SHOWN,
    audit: auditOf(c, "page.household"),
  });
  const canDelete =
    viewerCan(viewer, "household.delete") && (await isHouseholdRemovable({ db, viewer, id: h.id }));
  return render(c, { title: c.var.t("households.detail_title", { code: h.code }) }, (ctx) => (
    <HouseholdDetailPage
      ctx={ctx}
      h={h}
      members={members.items}
      canEdit={viewerCan(viewer, "household.update")}
      canDelete={canDelete}
    />
  ));
});

/** A form's fields as the column-key input the service checks. */
function inputOfForm(form: FormValues): Record<string, Cell> {
  const input: Record<string, Cell> = Object.fromEntries(
    ["code", "village", "head_name", "address"].map((k) => [k, str(form, k)]),
  );
  input.poor = list(form, "poor").includes("true") ? "true" : "false";
  return input;
}

mountRecordForms(householdRoutes, {
  base: "/households",
  can: { create: "household.create", update: "household.update" },
  messages: "households",
  label: (h) => ({ code: h.code }),
  input: inputOfForm,
  data: (c) => listPickableVillages({ ...readerOf(c) }),
  view: ({ data, ...page }) => <HouseholdFormPage {...page} villages={data} />,
  create: createHousehold,
  update: updateHousehold,
  get: getHousehold,
  values: (h): HouseholdFormValues => ({
    code: h.code,
    village: h.village,
    head_name: h.head_name ?? "",
    address: h.address ?? "",
    poor: h.poor ? "true" : "false",
  }),
  remove: {
    permission: "household.delete",
    getRemovable: getRemovableHousehold,
    delete: deleteHousehold,
    label: (h) => ({ code: h.code }),
    view: (ctx, h) => <HouseholdDeletePage ctx={ctx} h={h} />,
  },
});

// --- API ----------------------------------------------------------------------

export const householdApi = apiRouter();
permitRegister(householdApi, "/households", "household");

const ZHousehold = z
  .object({
    id: z.number().int(),
    code: z.string(),
    village: z.string().openapi({ description: "Village code" }),
    head_name: z.string().nullable(),
    address: z.string().nullable(),
    poor: z.boolean().openapi({ description: "Poor or near-poor household" }),
    village_name: z.string(),
  })
  .openapi("Household");

const ZHouseholdDetail = ZHousehold.extend({
  members: z.number().int().openapi({ description: "Residents of the household (any status)" }),
});

const ZHouseholdIn = z
  .object({ code: ZCell, village: ZCell, head_name: ZCell, address: ZCell, poor: ZCell })
  .openapi("HouseholdInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

mountRecordApi(householdApi, {
  path: "/households",
  noun: "household",
  record: ZHouseholdDetail,
  list: {
    summary: "List households in the caller's scope (by code)",
    query: ZPageQuery.extend({
      village: z.string().optional().openapi({ description: "Village code" }),
      q: z.string().optional().openapi({
        description: "Start of a household code, or part of the head's name ignoring case and diacritics",
      }),
    }),
    item: ZHousehold,
    items: "Households",
    run: listHouseholds,
  },
  get: {
    summary: "One household with its members count (404 outside the caller's scope)",
    run: getHousehold,
  },
  create: {
    summary: "Create a household (the rules of an import row; a village team only in its villages)",
    body: ZHouseholdIn,
    run: createHousehold,
  },
  update: {
    summary: "Change a household (its residents follow it to a new village)",
    body: ZHouseholdIn,
    run: updateHousehold,
  },
  remove: {
    summary: "Remove a household no resident belongs to (409 while residents of any status do)",
    done: "Removed",
    responses: conflictResponse,
    run: deleteHousehold,
  },
});
