import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { type FieldErrors, msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, ZIdParam, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import {
  apiRoute,
  jsonBody,
  jsonContent,
  listContent,
  permitByMethod,
  writes,
} from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { idOf, itemsPage, pagedQuery, pageOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listAllVillagesOfCommune } from "../villages/repo.ts";
import {
  createMarket,
  createVendor,
  getMarket,
  getVendor,
  listMarkets,
  listVendors,
  type MarketQuery,
  updateMarket,
  updateVendor,
  type VendorQuery,
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

const q = (c: Context<AppEnv>, k: string) => c.req.query(k)?.trim() || undefined;

marketRoutes.get("/markets", requirePermission("market.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const query: MarketQuery = { q: q(c, "q"), kind: q(c, "kind"), village: q(c, "village") };
  const markets = await listMarkets({ db, viewer, query });
  const villages = await listAllVillagesOfCommune(db, viewer.communeId);
  return render(c, { title: c.var.t("markets.title") }, (ctx) => (
    <MarketListPage
      ctx={ctx}
      query={query}
      markets={markets}
      villages={villages}
      canEdit={viewerCan(viewer, "market.update") && viewer.scope.kind === "commune"}
      canImport={viewerCan(viewer, "import.run") && viewer.scope.kind === "commune"}
      canExport={viewerCan(viewer, "export.run")}
    />
  ));
});

marketRoutes.get("/markets/:id{[0-9]+}", requirePermission("market.read"), async (c) => {
  const viewer = requireViewer(c);
  const market = await getMarket({ db: c.var.deps.db, viewer, id: idOf(c) });
  return render(c, { title: market.name }, (ctx) => (
    <MarketDetailPage
      ctx={ctx}
      market={market}
      canEdit={viewerCan(viewer, "market.update") && viewer.scope.kind === "commune"}
    />
  ));
});

const marketInputOf = (form: FormValues): Record<string, Cell> => ({
  code: str(form, "code"),
  name: str(form, "name"),
  village: str(form, "village"),
  kind: str(form, "kind"),
});

async function marketForm(
  c: Context<AppEnv>,
  opts: { id?: number; title: string; values: FormValues; errors?: FieldErrors },
) {
  const villages = await listAllVillagesOfCommune(c.var.deps.db, requireViewer(c).communeId);
  return render(c, { title: opts.title, status: opts.errors ? 422 : 200 }, (ctx) => (
    <MarketFormPage
      ctx={ctx}
      id={opts.id}
      title={opts.title}
      values={opts.values}
      villages={villages}
      errors={opts.errors}
    />
  ));
}

marketRoutes.get("/markets/new", requirePermission("market.update"), (c) =>
  marketForm(c, { title: c.var.t("markets.new"), values: {} }),
);

marketRoutes.post("/markets", requirePermission("market.update"), (c) => {
  return submitForm(c, {
    run: (form) => createMarket({ ...writerOf(c), input: marketInputOf(form) }),
    flash: (m) => msg("markets.created", { name: m.name }),
    to: (m) => `/markets/${m.id}`,
    invalid: (form, errors) => marketForm(c, { title: c.var.t("markets.new"), values: form, errors }),
  });
});

marketRoutes.get("/markets/:id{[0-9]+}/edit", requirePermission("market.update"), async (c) => {
  const id = idOf(c);
  const m = await getMarket({ ...readerOf(c), id });
  return marketForm(c, {
    id,
    title: c.var.t("markets.edit_title", { name: m.name }),
    values: { code: m.code, name: m.name, village: m.village.code, kind: m.kind },
  });
});

marketRoutes.post("/markets/:id{[0-9]+}", requirePermission("market.update"), (c) => {
  const id = idOf(c);
  return submitForm(c, {
    run: (form) => updateMarket({ ...writerOf(c), id, input: marketInputOf(form) }),
    flash: (m) => msg("markets.updated", { name: m.name }),
    to: (m) => `/markets/${m.id}`,
    invalid: (form, errors) => marketForm(c, { id, title: c.var.t("markets.edit"), values: form, errors }),
  });
});

marketRoutes.get("/vendors", requirePermission("market.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const query: VendorQuery = {
    market: q(c, "market"),
    q: q(c, "q"),
    payment: q(c, "payment"),
    channel: q(c, "channel"),
    cashless: q(c, "cashless"),
  };
  const result = await listVendors({ db, viewer, query, page: pageOf(c), pageSize: 50 });
  const markets = await listMarkets({ db, viewer, query: {} });
  return render(c, { title: c.var.t("vendors.title") }, (ctx) => (
    <VendorListPage
      ctx={ctx}
      query={query}
      result={result}
      markets={markets}
      canEdit={viewerCan(viewer, "market.update") && viewer.scope.kind === "commune"}
    />
  ));
});

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
        canEdit={viewerCan(viewer, "market.update") && viewer.scope.kind === "commune"}
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

async function vendorForm(
  c: Context<AppEnv>,
  opts: { id?: number; title: string; values: FormValues; errors?: FieldErrors },
) {
  const markets = await listMarkets({ ...readerOf(c), query: {} });
  return render(c, { title: opts.title, status: opts.errors ? 422 : 200 }, (ctx) => (
    <VendorFormPage
      ctx={ctx}
      id={opts.id}
      title={opts.title}
      values={opts.values}
      markets={markets}
      errors={opts.errors}
    />
  ));
}

marketRoutes.get("/vendors/new", requirePermission("market.update"), (c) =>
  vendorForm(c, { title: c.var.t("vendors.new"), values: { market: c.req.query("market") ?? "" } }),
);

marketRoutes.post("/vendors", requirePermission("market.update"), (c) => {
  return submitForm(c, {
    run: (form) => createVendor({ ...writerOf(c), input: vendorInputOfForm(form) }),
    flash: (v) => msg("vendors.created", { stall: v.stall }),
    to: (v) => `/vendors/${v.id}`,
    invalid: (form, errors) => vendorForm(c, { title: c.var.t("vendors.new"), values: form, errors }),
  });
});

marketRoutes.get("/vendors/:id{[0-9]+}/edit", requirePermission("market.update"), async (c) => {
  const id = idOf(c);
  const v = await getVendor({ ...readerOf(c), id });
  const input = vendorInputOf(v);
  const values = Object.fromEntries(
    Object.entries(input).map(([k, x]) => [k, x === null || x === undefined ? "" : String(x)]),
  );
  return vendorForm(c, {
    id,
    title: c.var.t("vendors.edit_title", { stall: v.stall, market: v.market.name }),
    values,
  });
});

marketRoutes.post("/vendors/:id{[0-9]+}", requirePermission("market.update"), (c) => {
  const id = idOf(c);
  return submitForm(c, {
    run: (form) => updateVendor({ ...writerOf(c), id, input: vendorInputOfForm(form) }),
    flash: (v) => msg("vendors.updated", { stall: v.stall }),
    to: (v) => `/vendors/${v.id}`,
    invalid: (form, errors) => vendorForm(c, { id, title: c.var.t("vendors.edit"), values: form, errors }),
  });
});

// --- API ----------------------------------------------------------------------

export const marketApi = apiRouter();
for (const path of ["/markets", "/markets/*", "/vendors", "/vendors/*"]) {
  permitByMethod(marketApi, path, { GET: "market.read", ...writes("market.update") });
}

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();
const inputOfJson = (body: Record<string, unknown>): Record<string, Cell> =>
  Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.join(";") : ((v as Cell) ?? null)]),
  );

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
const ZMarketIn = z.object({ code: cell, name: cell, village: cell, kind: cell }).openapi("MarketInput", {
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
    market: cell,
    stall: cell,
    owner_name: cell,
    citizen_id: cell,
    household: cell,
    goods: cell,
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

marketApi.openapi(
  apiRoute("get", "/markets/{id}", {
    summary: "One market (404 outside the caller's scope)",
    request: { params: ZIdParam },
    responses: { 200: jsonContent(ZMarket, "The market") },
  }),
  async (c) => c.json(await getMarket({ ...readerOf(c), id: c.req.valid("param").id }), 200),
);

marketApi.openapi(
  apiRoute("post", "/markets", {
    summary: "Add a market (code unique in the commune)",
    request: { body: jsonBody(ZMarketIn) },
    responses: { 201: jsonContent(ZMarket, "The new market") },
  }),
  async (c) => c.json(await createMarket({ ...writerOf(c), input: inputOfJson(c.req.valid("json")) }), 201),
);

marketApi.openapi(
  apiRoute("patch", "/markets/{id}", {
    summary: "Change a market's code, name, village or kind",
    request: {
      params: ZIdParam,
      body: jsonBody(ZMarketIn),
    },
    responses: { 200: jsonContent(ZMarket, "The market after the change") },
  }),
  async (c) =>
    c.json(
      await updateMarket({
        ...writerOf(c),
        id: c.req.valid("param").id,
        input: inputOfJson(c.req.valid("json")),
      }),
      200,
    ),
);

marketApi.openapi(
  apiRoute("get", "/vendors", {
    summary: "Vendors of the commune's markets, by market and stall",
    request: {
      query: ZPageQuery.extend({
        market: z.string().optional().openapi({ description: "A market id" }),
        q: z.string().optional().openapi({ description: "Part of the stall, the owner's name or the goods" }),
        payment: z.enum(PAYMENT_METHODS).optional(),
        channel: z.enum(SALES_CHANNELS).optional(),
        cashless: z.enum(["yes", "no"]).optional(),
      }),
    },
    responses: { 200: listContent(ZVendor, "Vendors") },
  }),
  async (c) =>
    c.json(itemsPage(await listVendors({ ...readerOf(c), ...pagedQuery(c.req.valid("query")) })), 200),
);

marketApi.openapi(
  apiRoute("get", "/vendors/{id}", {
    summary: "One vendor (404 outside the caller's scope)",
    request: { params: ZIdParam },
    responses: { 200: jsonContent(ZVendor, "The vendor") },
  }),
  async (c) => c.json(await getVendor({ ...readerOf(c), id: c.req.valid("param").id }), 200),
);

marketApi.openapi(
  apiRoute("post", "/vendors", {
    summary: "Add a vendor (a stall unique in its market), the rules of an import row",
    request: { body: jsonBody(ZVendorIn) },
    responses: { 201: jsonContent(ZVendor, "The new vendor") },
  }),
  async (c) => c.json(await createVendor({ ...writerOf(c), input: inputOfJson(c.req.valid("json")) }), 201),
);

marketApi.openapi(
  apiRoute("patch", "/vendors/{id}", {
    summary: "Change a vendor: the given keys over the stored ones, checked whole",
    request: {
      params: ZIdParam,
      body: jsonBody(ZVendorIn),
    },
    responses: { 200: jsonContent(ZVendor, "The vendor after the change") },
  }),
  async (c) =>
    c.json(
      await updateVendor({
        ...writerOf(c),
        id: c.req.valid("param").id,
        input: inputOfJson(c.req.valid("json")),
      }),
      200,
    ),
);
