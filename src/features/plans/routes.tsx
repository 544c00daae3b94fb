import { createRoute, z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { AppError, msg } from "../../lib/errors.ts";
import { apiRouter, bearer, errorResponses } from "../../web/api.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { viewerCan } from "../auth/viewer.ts";
import { getPlanInForce, loadPlanFile, planFor, resetPlan } from "./service.ts";
import { PlanPage } from "./views/page.tsx";

export const planRoutes = new Hono<AppEnv>();

/** A plan file is a few kilobytes; anything much larger is not one. */
const MAX_PLAN_BYTES = 512 * 1024;

async function page(c: Context<AppEnv>, error?: string, status: 200 | 413 | 422 = 200) {
  const viewer = requireViewer(c);
  const data = await getPlanInForce({ db: c.var.deps.db, viewer });
  return render(c, { title: c.var.t("plans.title"), status }, (ctx) => (
    <PlanPage
      ctx={ctx}
      data={data}
      error={error}
      canUpdate={viewerCan(viewer, "plan.update") && viewer.scope.kind === "commune"}
    />
  ));
}

planRoutes.get("/plan", requirePermission("plan.read"), (c) => page(c));

planRoutes.get("/plan.json", requirePermission("plan.read"), async (c) => {
  const plan = await planFor(c.var.deps.db, requireViewer(c).communeId);
  c.header("Content-Disposition", `attachment; filename="ke-hoach-${plan.year}.json"`);
  return c.body(`${JSON.stringify(plan, null, 2)}\n`, 200, {
    "Content-Type": "application/json; charset=utf-8",
  });
});

planRoutes.post("/plan", requirePermission("plan.update"), async (c) => {
  const viewer = requireViewer(c);
  const body = await c.req.parseBody();
  const file = body.file;
  if (!(file instanceof File) || file.size === 0) return page(c, c.var.t("plans.no_file"), 422);
  if (file.size > MAX_PLAN_BYTES)
    return page(c, c.var.t("plans.too_big", { kb: MAX_PLAN_BYTES / 1024 }), 413);
  try {
    const plan = await loadPlanFile({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      fileName: file.name,
      text: await file.text(),
    });
    setFlash(c, msg("plans.loaded", { file: file.name, year: plan.year }));
    return c.redirect("/plan", 303);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return page(c, c.var.t(err.msg.key, err.msg.params), 422);
  }
});

planRoutes.post("/plan/reset", requirePermission("plan.update"), async (c) => {
  const viewer = requireViewer(c);
  await c.req.parseBody();
  await resetPlan({ db: c.var.deps.db, viewer, actor: actorOf(viewer, c.var) });
  setFlash(c, msg("plans.reset_done"));
  return c.redirect("/plan", 303);
});

// --- API ----------------------------------------------------------------------

export const planApi = apiRouter();
planApi.use("/plan", async (c, next) =>
  requirePermission(c.req.method === "GET" ? "plan.read" : "plan.update")(c, next),
);

planApi.openapi(
  createRoute({
    method: "get",
    path: "/plan",
    summary:
      "The plan in force for the caller's commune (SPEC §3.3): the loaded plan file, or the one that ships",
    security: bearer,
    responses: {
      200: { description: "The plan", content: { "application/json": { schema: z.any() } } },
      ...errorResponses,
    },
  }),
  async (c) => c.json(await planFor(c.var.deps.db, requireViewer(c).communeId), 200),
);

planApi.openapi(
  createRoute({
    method: "put",
    path: "/plan",
    summary:
      "Load a plan: the body is the plan file's JSON text; refused with the line of each problem, nothing changed",
    description:
      "The body is read as text (not validated before), so that a malformed file is reported with its line.",
    security: bearer,
    request: {
      query: z.object({ file: z.string().optional().openapi({ description: "A name for the plan file" }) }),
    },
    responses: {
      200: { description: "The plan now in force", content: { "application/json": { schema: z.any() } } },
      ...errorResponses,
    },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    // The raw text, so that a problem is reported with its line.
    const text = await c.req.text();
    const plan = await loadPlanFile({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      fileName: c.req.query("file") ?? "plan.json",
      text,
    });
    return c.json(plan, 200);
  },
);
