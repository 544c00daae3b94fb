import type { Db } from "../../db/client.ts";
import { type Family, knownByVersion } from "../../db/data-version.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, conflict, type FieldErrors, forbidden, msg, validationError } from "../../lib/errors.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { findCommuneById } from "../communes/repo.ts";
import { bareCommuneName, planFromTemplate } from "../communes/service.ts";
import { parseIsoDate, parsePeriod } from "../indicators/period.ts";
import { COUNT_INDICATORS, currentPlan, type Plan, PlanError, parsePlan, ZPlan } from "../indicators/plan.ts";
import * as kit from "../service-kit.ts";
import { deactivatePlans, findActivePlanRows, insertPlanRow, listPlanRows, type PlanRow } from "./repo.ts";

const yearOfDate = (date: string) => Number(date.slice(0, 4));

function parsedRow(row: PlanRow): Plan {
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

/** Of the commune's plans (one a year), the one for `year`: that year's, else the latest earlier one, else the earliest. */
function pick<T extends { year: number }>(list: T[], year: number): T | undefined {
  const sorted = [...list].sort((a, b) => a.year - b.year);
  return sorted.find((p) => p.year === year) ?? sorted.filter((p) => p.year < year).at(-1) ?? sorted[0];
}

/** The active rows, with the plan that ships standing for its year when no row has that year. */
async function plansOf(db: Db, communeId: number) {
  const rows = await findActivePlanRows(db, communeId);
  const shipped = currentPlan();
  const list: { year: number; row: PlanRow | undefined }[] = rows.map((row) => ({ year: row.year, row }));
  if (!rows.some((r) => r.year === shipped.year)) list.push({ year: shipped.year, row: undefined });
  return list;
}

/**
 * What the plan in force reads: the commune's plans, and its name for the plan that ships made its
 * own (`defaultPlanOf`; a commune renamed raises the sessions version, migration 0023).
 */
const PLAN_FAMILIES: readonly Family[] = ["plans", "sessions"];

/**
 * The plan in force for a commune on a day (SPEC §3.3; by default today in Vietnam, so a plan copied
 * to 2027 takes force at 00:00 on 1 January): the plan of that year — a file an admin loaded, a copy
 * of the year before, or the plan that ships — else the latest earlier one. Kept per year by the
 * plans' data version (one small row read instead of the plan rows and the commune), so every app
 * process sees a new plan at once.
 */
export async function planFor(db: Db, communeId: number, date: string = todayInVietnam()): Promise<Plan> {
  const year = yearOfDate(date);
  const { value } = await knownByVersion({
    db,
    communeId,
    key: `plan-in-force|${year}`,
    families: PLAN_FAMILIES,
    compute: async () => {
      const chosen = pick(await plansOf(db, communeId), year)!;
      return chosen.row ? parsedRow(chosen.row) : defaultPlanOf(db, communeId);
    },
  });
  return value;
}

/**
 * The plan for a view's window (a dashboard, a drill-down, the API): the plan in force on its
 * reference date — the date asked, else the end of a past period asked, else today — so the figures
 * of 2026 keep the 2026 plan after 1 January 2027.
 */
export function planForWindow(
  db: Db,
  communeId: number,
  q: { date?: string | undefined; period?: string | undefined },
): Promise<Plan> {
  const today = todayInVietnam();
  const end = q.period ? parsePeriod(q.period)?.end : undefined;
  const date = (q.date && parseIsoDate(q.date)) || (end && end < today ? end : today);
  return planFor(db, communeId, date);
}

/** The commune's own plan of exactly that year (undefined when it has none). */
export async function planOfYear(
  db: Db,
  communeId: number,
  year: number,
): Promise<{ plan: Plan; row: PlanRow | undefined } | undefined> {
  const found = (await plansOf(db, communeId)).find((p) => p.year === year);
  if (!found) return undefined;
  return { plan: found.row ? parsedRow(found.row) : await defaultPlanOf(db, communeId), row: found.row };
}

export type PlanInForce = {
  plan: Plan;
  source:
    | { kind: "default" }
    | { kind: "loaded"; fileName: string; loadedBy: string | null; loadedAt: string };
  history: {
    id: number;
    fileName: string;
    year: number;
    active: boolean;
    loadedBy: string | null;
    loadedAt: string;
  }[];
  /** Next year's plan (from today in Vietnam), editable until it takes force on 1 January. */
  next: { year: number; plan: Plan | undefined };
};

export async function getPlanInForce(opts: { db: Db; viewer: Viewer }): Promise<PlanInForce> {
  const { db, viewer } = opts;
  const today = todayInVietnam();
  const [list, history] = await Promise.all([
    plansOf(db, viewer.communeId),
    listPlanRows(db, viewer.communeId),
  ]);
  const chosen = pick(list, yearOfDate(today))!;
  const row = chosen.row;
  const nextYear = yearOfDate(today) + 1;
  const next = list.find((p) => p.year === nextYear);
  return {
    plan: row ? parsedRow(row) : await defaultPlanOf(db, viewer.communeId),
    next: {
      year: nextYear,
      plan: next ? (next.row ? parsedRow(next.row) : await defaultPlanOf(db, viewer.communeId)) : undefined,
    },
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
      year: h.year,
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
    // A file replaces the plan of its own year; the other years' plans stay.
    await deactivatePlans(tx, opts.communeId, plan.year);
    const id = await insertPlanRow(tx, {
      communeId: opts.communeId,
      fileName,
      year: plan.year,
      content: plan,
      loadedBy: opts.userId,
    });
    await kit.auditChange(tx, opts.actor, {
      action: "plan.load",
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
export async function resetPlan(opts: kit.WriteOpts): Promise<void> {
  if (opts.viewer.scope.kind !== "commune") throw forbidden();
  await resetPlanOf({ db: opts.db, communeId: opts.viewer.communeId, actor: opts.actor });
}

export async function resetPlanOf(opts: { db: Db; communeId: number; actor: Actor }): Promise<void> {
  await opts.db.transaction(async (tx) => {
    await deactivatePlans(tx, opts.communeId);
    await recordAudit(tx, opts.actor, { action: "plan.reset", entity: "plan", after: { plan: "default" } });
  });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})((?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?)$/;

function shiftDate(iso: string, years: number): string {
  const [, y, m, d] = ISO_DATE.exec(iso)!;
  const year = Number(y) + years;
  // 29 February of a leap year becomes 28 February of a common one.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${m}-${m === "02" && d === "29" && !leap ? "28" : d}`;
}

/**
 * A plan moved `years` later: its year, every date (start, end, due dates — a task's too) and every
 * period code ("2026-Q3" → "2027-Q3"); the targets, units and texts as they were. The document's
 * number is dropped: next year's plan is its own decision.
 */
export function shiftPlan(plan: Plan, years: number): Plan {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") {
      if (ISO_DATE.test(v)) return shiftDate(v, years);
      const m = PERIOD.exec(v);
      if (m && key !== "code" && key !== "id") return `${Number(m[1]) + years}${m[2]}`;
      return v;
    }
    if (typeof v === "number") return key === "year" ? v + years : v;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k]) => k !== "document")
          .map(([k, x]) => [k, walk(x, k)]),
      );
    return v;
  };
  return ZPlan.parse(walk(plan));
}

/**
 * Copies the commune's plan of `from` to the year `to` (issue 19.5): targets, units, tasks and the
 * reporting schedule, dates moved to the new year. It takes force on 1 January of `to` and can be
 * edited until then; the figures and reports of `from` keep their own plan.
 */
export async function copyPlan(opts: {
  db: Db;
  communeId: number;
  userId: number | null;
  actor: Actor;
  from: number;
  to: number;
}): Promise<Plan> {
  const { db, communeId, from, to } = opts;
  if (!Number.isInteger(from) || !Number.isInteger(to) || to <= from || to > from + 5)
    throw validationError({ to: msg("plans.copy_bad_years", { from, to }) });
  const source = await planOfYear(db, communeId, from);
  if (!source) throw new AppError("not_found", { message: msg("plans.copy_no_source", { year: from }) });
  const plan = shiftPlan(source.plan, to - from);
  const fileName = `ke-hoach-${to}-sao-tu-${from}.json`;
  await db.transaction(async (tx) => {
    if (await planOfYear(tx, communeId, to)) throw conflict(msg("plans.copy_exists", { year: to }));
    const id = await insertPlanRow(tx, {
      communeId,
      fileName,
      year: to,
      content: plan,
      loadedBy: opts.userId,
    });
    await kit.auditChange(tx, opts.actor, {
      action: "plan.copy",
      entityId: id,
      after: { from, to, fileName, indicators: plan.indicators.length, reports: plan.reports.length },
    });
  });
  return plan;
}

/** copyPlan for the viewer's commune (admin, coordinator). */
export async function copyPlanOf(opts: { db: Db; viewer: Viewer; actor: Actor; from: number; to: number }) {
  if (opts.viewer.scope.kind !== "commune") throw forbidden();
  return copyPlan({ ...opts, communeId: opts.viewer.communeId, userId: opts.viewer.userId });
}

/** "95", "95,5", "95 %" → 0.95 for a ratio; "12" → 12 for a count; undefined when it is not one. */
function parseTarget(text: string, count: boolean): number | undefined {
  const t = text.trim().replace(/\s*%$/, "").replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  if (count) return Number.isInteger(n) ? n : undefined;
  return n <= 100 ? Math.round(n * 10) / 1000 : undefined;
}

/**
 * Changes the targets of a plan that has not taken force yet (next year's copy): refused from 1
 * January of its year on (the figures of a year in force keep their plan; a new file can still be
 * loaded). Every target is checked; a bad one is named and nothing changes.
 */
export async function updatePlanTargets(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  year: number;
  targets: Record<string, string | number | undefined>;
}): Promise<Plan> {
  if (opts.viewer.scope.kind !== "commune") throw forbidden();
  const communeId = opts.viewer.communeId;
  if (yearOfDate(todayInVietnam()) >= opts.year)
    throw conflict(msg("plans.in_force_locked", { year: opts.year }));
  const found = await planOfYear(opts.db, communeId, opts.year);
  if (!found?.row)
    throw new AppError("not_found", { message: msg("plans.copy_no_source", { year: opts.year }) });
  const errors: FieldErrors = {};
  const indicators = found.plan.indicators.map((ind) => {
    const given = opts.targets[ind.code];
    if (given === undefined || given === "") return ind;
    const count = COUNT_INDICATORS.includes(ind.code);
    const value = typeof given === "number" ? given : parseTarget(given, count);
    const ok = value !== undefined && value >= 0 && (count ? Number.isInteger(value) : value <= 1);
    if (!ok) {
      errors[`target_${ind.code}`] = msg(count ? "plans.bad_target_count" : "plans.bad_target_ratio", {
        value: String(given),
      });
      return ind;
    }
    if (ind.minimum !== undefined && ind.minimum > value && !count)
      errors[`target_${ind.code}`] = msg("plans.target_below_minimum", { value: String(given) });
    return { ...ind, target: value };
  });
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const plan = ZPlan.parse({ ...found.plan, indicators });
  const before = Object.fromEntries(found.plan.indicators.map((i) => [i.code, i.target]));
  const after = Object.fromEntries(plan.indicators.map((i) => [i.code, i.target]));
  await opts.db.transaction(async (tx) => {
    await deactivatePlans(tx, communeId, opts.year);
    const id = await insertPlanRow(tx, {
      communeId,
      fileName: found.row!.fileName,
      year: opts.year,
      content: plan,
      loadedBy: opts.viewer.userId,
    });
    await kit.auditChange(tx, opts.actor, {
      action: "plan.update",
      entityId: id,
      before: { year: opts.year, targets: before },
      after: { year: opts.year, targets: after },
    });
  });
  return plan;
}
