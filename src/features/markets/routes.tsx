import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { apiRoute, jsonContent, permitByMethod, writes } from "../../web/routes-kit/api-route.ts";
import { mountEditor } from "../../web/routes-kit/editor-routes.ts";
import { listRoute } from "../../web/routes-kit/list-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { mountRecordForms } from "../../web/routes-kit/record-forms.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { type Viewer, viewerCan } from "../auth/viewer.ts";
import { listAllVillagesOfCommune } from "../villages/repo.ts";
import {
  createMarket,
  createVendor,
  getMarket,
  getVendor,
  listMarkets,
  listVendors,
  updateMarket,
  updateVendor,
  vendorInputOf,
} from "./service.ts";
import { MARKET_KINDS, PAYMENT_METHODS, SALES_CHANNELS } from "./values.ts";
import {
  MarketDetailPage,
  MarketFormPage,
  MarketListPage,
  VendorDetailPage,
  VendorFormPage,
  VendorListPage,
} from "./views/pages.tsx";

/** "Chợ số – Nông thôn số" (issue 19.3): markets and their vendors, pages and API. */
export const marketRoutes = new Hono<AppEnv>();

/** Markets and vendors are written by the commune's staff only. */
const canEditMarkets = (viewer: Viewer) =>
  viewerCan(viewer, "market.update") && viewer.scope.kind === "commune";

marketRoutes.get(
  "/markets",
  requirePermission("market.read"),
  listRoute({
    query: ["q", "kind", "village"],
    list: listMarkets,
    data: ({ db, viewer }) => listAllVillagesOfCommune(db, viewer.communeId),
    title: "markets.title",
    view: ({ result, data, viewer, ...page }) => (
      <MarketListPage
        {...page}
        markets={result}
        villages={data}
        canEdit={canEditMarkets(viewer)}
        canImport={viewerCan(viewer, "import.run") && viewer.scope.kind === "commune"}
        canExport={viewerCan(viewer, "export.run")}
      />
    ),
  }),
);

marketRoutes.get("/markets/:id{[0-9]+}", requirePermission("market.read"), async (c) => {
  const viewer = requireViewer(c);
  const market = await getMarket({ db: c.var.deps.db, viewer, id: idOf(c) });
  return render(c, { title: market.name }, (ctx) => (
    <MarketDetailPage ctx={ctx} market={market} canEdit={canEditMarkets(viewer)} />
  ));
});

const marketInputOf = (form: FormValues): Record<string, Cell> => ({
  code: str(form, "code"),
  name: str(form, "name"),
  village: str(form, "village"),
  kind: str(form, "kind"),
});

mountRecordForms(marketRoutes, {
  base: "/markets",
  can: { create: "market.update", update: "market.update" },
  messages: "markets",
  label: (m) => ({ name: m.name }),
  input: marketInputOf,
  data: (c) => listAllVillagesOfCommune(c.var.deps.db, requireViewer(c).communeId),
  view: ({ data, ...page }) => <MarketFormPage {...page} villages={data} />,
  create: createMarket,
  update: updateMarket,
  get: getMarket,
  values: (m) => ({ code: m.code, name: m.name, village: m.village.code, kind: m.kind }),
});

marketRoutes.get(
  "/vendors",
  requirePermission("market.read"),
  listRoute({
    query: ["market", "q", "payment", "channel", "cashless"],
    list: listVendors,
    data: (reader) => listMarkets({ ...reader, query: {} }),
    title: "vendors.title",
    view: ({ data, viewer, ...page }) => (
      <VendorListPage {...page} markets={data} canEdit={canEditMarkets(viewer)} />
    ),
  }),
);

marketRoutes.get("/vendors/:id{[0-9]+}", requirePermission("market.read"), async (c) => {
  const viewer = requireViewer(c);
  const vendor = await getVendor({ db: c.var.deps.db, viewer, id: idOf(c) });
  return render(
    c,
    { title: c.var.t("vendors.detail_title", { stall: vendor.stall, market: vendor.market.name }) },
    (ctx) => (
      <VendorDetailPage
        ctx={ctx}
        vendor={vendor}
        canEdit={canEditMarkets(viewer)}
        canSeeResident={viewerCan(viewer, "resident.read")}
        canSeeHousehold={viewerCan(viewer, "household.read")}
      />
    ),
  );
});

const vendorInputOfForm = (form: FormValues): Record<string, Cell> => ({
  market: str(form, "market"),
  stall: str(form, "stall"),
  owner_name: str(form, "owner_name"),
  citizen_id: str(form, "citizen_id"),
  household: str(form, "household"),
  goods: str(form, "goods"),
  payments: list(form, "payments").join(";"),
  channels: list(form, "channels").join(";"),
});

mountEditor(marketRoutes, {
  base: "/vendors",
  data: (c) => listMarkets({ ...readerOf(c), query: {} }),
  view: ({ data, ...page }) => <VendorFormPage {...page} markets={data} />,
  create: {
    permission: "market.update",
    title: msg("vendors.new"),
    values: (c) => ({ market: c.req.query("market") ?? "" }),
    run: (c, form) => createVendor({ ...writerOf(c), input: vendorInputOfForm(form) }),
    flash: (v) => msg("vendors.created", { stall: v.stall }),
  },
  update: {
    permission: "market.update",
    title: msg("vendors.edit"),
    load: async (c, id) => {
      const v = await getVendor({ ...readerOf(c), id });
      const values = Object.fromEntries(
        Object.entries(vendorInputOf(v)).map(([k, x]) => [k, x === null || x === undefined ? "" : String(x)]),
      );
      return { title: msg("vendors.edit_title", { stall: v.stall, market: v.market.name }), values };
    },
    run: (c, id, form) => updateVendor({ ...writerOf(c), id, input: vendorInputOfForm(form) }),
    flash: (v) => msg("vendors.updated", { stall: v.stall }),
  },
});

// --- API ----------------------------------------------------------------------

export const marketApi = apiRouter();
for (const path of ["/markets", "/markets/*", "/vendors", "/vendors/*"]) {
  permitByMethod(marketApi, path, { GET: "market.read", ...writes("market.update") });
}

const ZMarket = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(MARKET_KINDS),
    village: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
    vendors: z.number().int(),
    cashless: z.number().int().openapi({ description: "Vendors accepting at least one cashless payment" }),
  })
  .openapi("Market");
const ZMarketIn = z.object({ code: ZCell, name: ZCell, village: ZCell, kind: ZCell }).openapi("MarketInput", {
  description:
    "Column keys of the markets import; village by code, kind as a code or a Vietnamese label (Chợ phiên…).",
});
const ZVendor = z
  .object({
    id: z.number().int(),
    market: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
    stall: z.string(),
    ownerName: z.string(),
    residentId: z.number().int().nullable(),
    household: z.object({ id: z.number().int(), code: z.string() }).nullable(),
    goods: z.string().nullable(),
    payments: z.array(z.enum(PAYMENT_METHODS)),
    channels: z.array(z.enum(SALES_CHANNELS)),
    cashless: z.boolean(),
  })
  .openapi("Vendor");
const set = z.union([z.string(), z.array(z.string()), z.null()]).optional();
const ZVendorIn = z
  .object({
    market: ZCell,
    stall: ZCell,
    owner_name: ZCell,
    citizen_id: ZCell,
    household: ZCell,
    goods: ZCell,
    payments: set,
    channels: set,
  })
  .openapi("VendorInput", {
    description:
      "Column keys of the vendors import. The owner is linked by citizen_id (a resident of the commune bearing owner_name), else by household code + owner_name. payments: qr, bank, ewallet; channels: zalo, facebook, shopee, tiktok, website, other (an array, or one text separated by ;).",
  });

marketApi.openapi(
  apiRoute("get", "/markets", {
    summary: "The commune's markets, each with its vendors and those accepting cashless payment",
    request: {
      query: z.object({
        q: z.string().optional().openapi({ description: "Part of the code or the name" }),
        kind: z.enum(MARKET_KINDS).optional(),
        village: z.string().optional().openapi({ description: "A village id" }),
      }),
    },
    responses: { 200: jsonContent(z.object({ items: z.array(ZMarket) }), "Markets") },
  }),
  async (c) => {
    const items = await listMarkets({ ...readerOf(c), query: c.req.valid("query") });
    return c.json({ items }, 200);
  },
);

mountRecordApi(marketApi, {
  path: "/markets",
  noun: "market",
  record: ZMarket,
  get: { summary: "One market (404 outside the caller's scope)", run: getMarket },
  create: { summary: "Add a market (code unique in the commune)", body: ZMarketIn, run: createMarket },
  update: { summary: "Change a market's code, name, village or kind", body: ZMarketIn, run: updateMarket },
});

mountRecordApi(marketApi, {
  path: "/vendors",
  noun: "vendor",
  record: ZVendor,
  list: {
    summary: "Vendors of the commune's markets, by market and stall",
    query: ZPageQuery.extend({
      market: z.string().optional().openapi({ description: "A market id" }),
      q: z.string().optional().openapi({ description: "Part of the stall, the owner's name or the goods" }),
      payment: z.enum(PAYMENT_METHODS).optional(),
      channel: z.enum(SALES_CHANNELS).optional(),
      cashless: z.enum(["yes", "no"]).optional(),
    }),
    item: ZVendor,
    items: "Vendors",
    run: listVendors,
  },
  get: { summary: "One vendor (404 outside the caller's scope)", run: getVendor },
  create: {
    summary: "Add a vendor (a stall unique in its market), the rules of an import row",
    body: ZVendorIn,
    run: createVendor,
  },
  update: {
    summary: "Change a vendor: the given keys over the stored ones, checked whole",
    body: ZVendorIn,
    run: updateVendor,
  },
});
