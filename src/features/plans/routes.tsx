import { createRoute, z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { apiRouter, bearer, conflictResponse, errorResponses } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { apiRoute, jsonBody, jsonContent, permitByMethod, writes } from "../../web/routes-kit/api-route.ts";
import { orInvalid, submitForm } from "../../web/routes-kit/form-route.ts";
import { idOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import {
  copyPlanOf,
  getPlanInForce,
  loadPlanFile,
  planFor,
  planOfYear,
  resetPlan,
  updatePlanTargets,
} from "./service.ts";
import { PlanPage } from "./views/page.tsx";

export const planRoutes = new Hono<AppEnv>();

/** A plan file is a few kilobytes; anything much larger is not one. */
const MAX_PLAN_BYTES = 512 * 1024;

async function page(
  c: Context<AppEnv>,
  error?: string,
  status: 200 | 409 | 413 | 422 = 200,
  next?: { values: Record<string, string | undefined>; errors: FieldErrors | undefined },
) {
  const viewer = requireViewer(c);
  const data = await getPlanInForce({ db: c.var.deps.db, viewer });
  return render(c, { title: c.var.t("plans.title"), status }, (ctx) => (
    <PlanPage
      ctx={ctx}
      data={data}
      error={error}
      canUpdate={viewerCan(viewer, "plan.update") && viewer.scope.kind === "commune"}
      nextValues={next?.values}
      nextErrors={next?.errors}
    />
  ));
}

const yearParam = (c: Context<AppEnv>) => idOf(c, "year");

/** The JSON of one year's plan (next year's copy, to edit and load again). */
planRoutes.get("/plan/:year{[0-9]{4}}.json", requirePermission("plan.read"), async (c) => {
  const found = await planOfYear(c.var.deps.db, requireViewer(c).communeId, yearParam(c));
  if (!found)
    throw new AppError("not_found", { message: msg("plans.copy_no_source", { year: yearParam(c) }) });
  c.header("Content-Disposition", `attachment; filename="ke-hoach-${found.plan.year}.json"`);
  return c.body(`${JSON.stringify(found.plan, null, 2)}\n`, 200, {
    "Content-Type": "application/json; charset=utf-8",
  });
});

planRoutes.post("/plan/copy", requirePermission("plan.update"), (c) =>
  submitForm(c, {
    run: async (form) => {
      const [from, to] = [Number(str(form, "from")), Number(str(form, "to"))];
      await copyPlanOf({ ...writerOf(c), from, to });
      return { from, to };
    },
    flash: (years) => msg("plans.copied", years),
    to: () => "/plan#plan-next-h",
    catches: ["validation", "conflict", "not_found"],
    invalid: (_form, errors, err) => {
      const m = Object.values(errors)[0] ?? err.msg;
      return page(c, c.var.t(m.key, m.params), err.code === "conflict" ? 409 : 422);
    },
  }),
);

planRoutes.post("/plan/:year{[0-9]{4}}/targets", requirePermission("plan.update"), (c) => {
  const year = yearParam(c);
  return submitForm(c, {
    run: (form) => {
      const targets = Object.fromEntries(
        Object.keys(form)
          .filter((k) => k.startsWith("target_"))
          .map((k) => [k.slice("target_".length), str(form, k)]),
      );
      return updatePlanTargets({ ...writerOf(c), year, targets });
    },
    flash: () => msg("plans.targets_saved", { year }),
    to: () => "/plan#plan-next-h",
    catches: ["validation", "conflict"],
    invalid: (form, errors, err) =>
      err.code === "validation"
        ? page(c, undefined, 422, { values: form as Record<string, string>, errors })
        : page(c, c.var.t(err.msg.key, err.msg.params), 409),
  });
});

planRoutes.get("/plan", requirePermission("plan.read"), (c) => page(c));

planRoutes.get("/plan.json", requirePermission("plan.read"), async (c) => {
  const plan = await planFor(c.var.deps.db, requireViewer(c).communeId);
  c.header("Content-Disposition", `attachment; filename="ke-hoach-${plan.year}.json"`);
  return c.body(`${JSON.stringify(plan, null, 2)}\n`, 200, {
    "Content-Type": "application/json; charset=utf-8",
  });
});

planRoutes.post("/plan", requirePermission("plan.update"), async (c) => {
  const body = await c.req.parseBody();
  const file = body.file;
  if (!(file instanceof File) || file.size === 0) return page(c, c.var.t("plans.no_file"), 422);
  if (file.size > MAX_PLAN_BYTES)
    return page(c, c.var.t("plans.too_big", { kb: MAX_PLAN_BYTES / 1024 }), 413);
  const text = await file.text();
  const plan = await orInvalid(
    () => loadPlanFile({ ...writerOf(c), fileName: file.name, text }),
    (_errors, err) => page(c, c.var.t(err.msg.key, err.msg.params), 422),
  );
  if (plan instanceof Response) return plan;
  setFlash(c, msg("plans.loaded", { file: file.name, year: plan.year }));
  return c.redirect("/plan", 303);
});

planRoutes.post("/plan/reset", requirePermission("plan.update"), async (c) => {
  await c.req.parseBody();
  await resetPlan({ ...writerOf(c) });
  setFlash(c, msg("plans.reset_done"));
  return c.redirect("/plan", 303);
});

// --- API ----------------------------------------------------------------------

export const planApi = apiRouter();
for (const path of ["/plan", "/plan/*"])
  permitByMethod(planApi, path, { GET: "plan.read", ...writes("plan.update") });

planApi.openapi(
  apiRoute("get", "/plan", {
    summary:
      "The plan in force for the caller's commune (SPEC §3.3) today, or the plan of ?year= (404 when there is none)",
    request: {
      query: z.object({
        year: z.string().optional().openapi({ description: "A year, e.g. 2027 (next year's copy)" }),
      }),
    },
    responses: { 200: jsonContent(z.any(), "The plan") },
  }),
  async (c) => {
    const communeId = requireViewer(c).communeId;
    const year = c.req.valid("query").year;
    if (year === undefined) return c.json(await planFor(c.var.deps.db, communeId), 200);
    const found = /^\d{4}$/.test(year) ? await planOfYear(c.var.deps.db, communeId, Number(year)) : undefined;
    if (!found) throw new AppError("not_found", { message: msg("plans.copy_no_source", { year }) });
    return c.json(found.plan, 200);
  },
);

planApi.openapi(
  apiRoute("post", "/plan/copy", {
    summary:
      "Copy a year's plan to a later year (targets, tasks, schedule; dates moved): in force from 1 January of `to`",
    request: {
      body: jsonBody(
        z
          .object({ from: z.number().int(), to: z.number().int() })
          .openapi("PlanCopy", { example: { from: 2026, to: 2027 } }),
      ),
    },
    responses: {
      201: jsonContent(z.any(), "The new plan"),
      ...conflictResponse,
    },
  }),
  async (c) => {
    const { from, to } = c.req.valid("json");
    const plan = await copyPlanOf({ ...writerOf(c), from, to });
    return c.json(plan, 201);
  },
);

planApi.openapi(
  apiRoute("patch", "/plan/{year}", {
    summary: "Change the targets of a plan not yet in force (409 from 1 January of its year)",
    request: {
      params: z.object({
        year: z.coerce
          .number()
          .int()
          .openapi({ param: { name: "year", in: "path" } }),
      }),
      body: jsonBody(
        z
          .object({
            targets: z.record(z.string(), z.number()).openapi({
              description: "By indicator code: a fraction 0–1 for ratios, a count for counts",
            }),
          })
          .openapi("PlanTargets"),
      ),
    },
    responses: {
      200: jsonContent(z.any(), "The plan after the change"),
      ...conflictResponse,
    },
  }),
  async (c) =>
    c.json(await updatePlanTargets({ ...writerOf(c), ...c.req.valid("param"), ...c.req.valid("json") }), 200),
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
      200: jsonContent(z.any(), "The plan now in force"),
      ...errorResponses,
    },
  }),
  async (c) => {
    // The raw text, so that a problem is reported with its line.
    const text = await c.req.text();
    const plan = await loadPlanFile({ ...writerOf(c), fileName: c.req.query("file") ?? "plan.json", text });
    return c.json(plan, 200);
  },
);
