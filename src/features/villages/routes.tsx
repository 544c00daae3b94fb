import { createRoute, z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { apiRouter, bearer, errorResponses, ZIdParam, ZPageQuery } from "../../web/api.ts";
import { Pagination } from "../../web/components.tsx";
import type { AppEnv } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { getVillage, listVillages } from "./service.ts";

export const villageRoutes = new Hono<AppEnv>();

function pageOf(v: string | undefined) {
  const n = Number.parseInt(v ?? "1", 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

villageRoutes.get("/villages", requirePermission("village.read"), async (c) => {
  const page = pageOf(c.req.query("page"));
  const result = await listVillages({ db: c.var.deps.db, viewer: requireViewer(c), page, pageSize: 50 });
  const t = c.var.t;
  return render(c, { title: t("villages.title") }, () => (
    <div>
      <h1>{t("villages.title")}</h1>
      {result.items.length === 0 ? (
        <p>{t("villages.empty")}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t("villages.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("villages.code")}</th>
              <th scope="col">{t("villages.name")}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((v) => (
              <tr>
                <td>{v.code}</td>
                <td>
                  <a href={`/villages/${v.id}`}>{v.name}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination t={t} page={page} pageSize={50} total={result.total} href={(p) => `/villages?page=${p}`} />
    </div>
  ));
});

villageRoutes.get("/villages/:id{[0-9]+}", requirePermission("village.read"), async (c) => {
  const village = await getVillage({
    db: c.var.deps.db,
    viewer: requireViewer(c),
    id: Number(c.req.param("id")),
  });
  const t = c.var.t;
  return render(c, { title: t("villages.detail_title", { name: village.name }) }, () => (
    <div>
      <p>
        <a href="/villages">{t("common.back")}</a>
      </p>
      <h1>{t("villages.detail_title", { name: village.name })}</h1>
      <dl class="summary-list">
        <div>
          <dt>{t("villages.code")}</dt>
          <dd>{village.code}</dd>
        </div>
        <div>
          <dt>{t("villages.name")}</dt>
          <dd>{village.name}</dd>
        </div>
      </dl>
    </div>
  ));
});

// --- API ----------------------------------------------------------------------

export const villageApi = apiRouter();

const ZVillage = z.object({ id: z.number().int(), code: z.string(), name: z.string() }).openapi("Village");

villageApi.use("/villages", requirePermission("village.read"));
villageApi.use("/villages/*", requirePermission("village.read"));

villageApi.openapi(
  createRoute({
    method: "get",
    path: "/villages",
    summary: "List the villages in the caller's scope",
    security: bearer,
    request: { query: ZPageQuery },
    responses: {
      200: {
        description: "Villages",
        content: {
          "application/json": { schema: z.object({ items: z.array(ZVillage), total: z.number().int() }) },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { page, pageSize } = c.req.valid("query");
    const r = await listVillages({ db: c.var.deps.db, viewer: requireViewer(c), page, pageSize });
    return c.json({ items: r.items, total: r.total }, 200);
  },
);

villageApi.openapi(
  createRoute({
    method: "get",
    path: "/villages/{id}",
    summary: "One village (404 outside the caller's scope)",
    security: bearer,
    request: { params: ZIdParam },
    responses: {
      200: { description: "The village", content: { "application/json": { schema: ZVillage } } },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await getVillage({ db: c.var.deps.db, viewer: requireViewer(c), id }), 200);
  },
);
