import type { Db } from "../../db/client.ts";
import { AppError, forbidden, msg } from "../../lib/errors.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { findCommuneById } from "../communes/repo.ts";
import { bareCommuneName, planFromTemplate } from "../communes/service.ts";
import { currentPlan, type Plan, PlanError, parsePlan, ZPlan } from "../indicators/plan.ts";
import { deactivatePlans, findActivePlanRow, insertPlanRow, listPlanRows } from "./repo.ts";

/**
 * The plan in force for a commune (SPEC §3.3): the plan file an admin loaded last, or the plan that
 * ships. Read from the database on each call, so every app process sees a new plan at once.
 */
export async function planFor(db: Db, communeId: number): Promise<Plan> {
  const row = await findActivePlanRow(db, communeId);
  if (!row) return defaultPlanOf(db, communeId);
  const parsed = ZPlan.safeParse(row.content);
  if (!parsed.success)
    throw new PlanError(`Kế hoạch đã nạp (${row.fileName}) không còn hợp lệ: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The plan that ships, for a commune without a loaded plan: as it is for the commune it was written
 * for (Tân Ninh), else made the commune's own from it as the province's template (communes/service.ts).
 */
const bare = (name: string) => foldVietnamese(bareCommuneName(name));

async function defaultPlanOf(db: Db, communeId: number): Promise<Plan> {
  const template = currentPlan();
  const commune = await findCommuneById(db, communeId);
  if (!commune || bare(commune.name) === bare(template.commune)) return template;
  return planFromTemplate(template, commune);
}

export type PlanInForce = {
  plan: Plan;
  source:
    | { kind: "default" }
    | { kind: "loaded"; fileName: string; loadedBy: string | null; loadedAt: string };
  history: { id: number; fileName: string; active: boolean; loadedBy: string | null; loadedAt: string }[];
};

export async function getPlanInForce(opts: { db: Db; viewer: Viewer }): Promise<PlanInForce> {
  const { db, viewer } = opts;
  const [row, history] = await Promise.all([
    findActivePlanRow(db, viewer.communeId),
    listPlanRows(db, viewer.communeId),
  ]);
  return {
    plan: await planFor(db, viewer.communeId),
    source: row
      ? {
          kind: "loaded",
          fileName: row.fileName,
          loadedBy: row.loadedByName,
          loadedAt: row.createdAt.toISOString(),
        }
      : { kind: "default" },
    history: history.map((h) => ({
      id: h.id,
      fileName: h.fileName,
      active: h.active,
      loadedBy: h.loadedByName,
      loadedAt: h.createdAt.toISOString(),
    })),
  };
}

/**
 * Loads a plan file for the viewer's commune: checked like the shipped plan (a bad file is refused
 * with its file name and line, nothing changes), and refused when it names another commune.
 */
export async function loadPlanFile(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  fileName: string;
  text: string;
}): Promise<Plan> {
  if (opts.viewer.scope.kind !== "commune") throw forbidden();
  return applyPlanFile({ ...opts, communeId: opts.viewer.communeId, userId: opts.viewer.userId });
}

/** loadPlanFile for a commune, by a user or (userId null) the command line. */
export async function applyPlanFile(opts: {
  db: Db;
  communeId: number;
  userId: number | null;
  actor: Actor;
  fileName: string;
  text: string;
}): Promise<Plan> {
  const fileName = opts.fileName.trim() || "plan.json";
  let plan: Plan;
  try {
    plan = parsePlan(opts.text, fileName);
  } catch (err) {
    if (err instanceof PlanError)
      throw new AppError("validation", { message: msg("plans.invalid", { details: err.message }) });
    throw err;
  }
  const commune = await findCommuneById(opts.db, opts.communeId);
  if (commune && bare(commune.name) !== bare(plan.commune))
    throw new AppError("validation", {
      message: msg("plans.other_commune", { file: fileName, plan: plan.commune, commune: commune.name }),
    });
  await opts.db.transaction(async (tx) => {
    await deactivatePlans(tx, opts.communeId);
    const id = await insertPlanRow(tx, {
      communeId: opts.communeId,
      fileName,
      content: plan,
      loadedBy: opts.userId,
    });
    await recordAudit(tx, opts.actor, {
      action: "plan.load",
      entity: "plan",
      entityId: id,
      after: {
        fileName,
        year: plan.year,
        document: plan.document ?? null,
        indicators: plan.indicators.length,
      },
    });
  });
  return plan;
}

/** Back to the plan that ships: the loaded plans stay in the history. */
export async function resetPlan(opts: { db: Db; viewer: Viewer; actor: Actor }): Promise<void> {
  if (opts.viewer.scope.kind !== "commune") throw forbidden();
  await resetPlanOf({ db: opts.db, communeId: opts.viewer.communeId, actor: opts.actor });
}

export async function resetPlanOf(opts: { db: Db; communeId: number; actor: Actor }): Promise<void> {
  await opts.db.transaction(async (tx) => {
    await deactivatePlans(tx, opts.communeId);
    await recordAudit(tx, opts.actor, { action: "plan.reset", entity: "plan", after: { plan: "default" } });
  });
}
