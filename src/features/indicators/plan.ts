import { z } from "zod";
import { DataFileError, parseJsonText, readJsonFile } from "../../lib/json-file.ts";
import { ZPlanTask } from "../tasks/schema.ts";
import { parsePeriod } from "./period.ts";
import { ZDate, ZEnglish, ZText } from "./plan-text.ts";

/** The indicator codes whose formulas the code knows (SPEC §3); a plan picks its targets for them. */
export const INDICATOR_CODES = [
  "public_sector_skills",
  "student_skills",
  "adult_skills",
  "adult_vneid_confirmed",
  "worker_access",
  "village_propaganda",
  "digital_learning_day",
  "active_village_teams",
  "vneid_16plus",
  "digital_households",
  "security_incidents",
  "reports_on_time",
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

/** Indicators that are counts (value = the count); the others are ratios 0–1. */
export const COUNT_INDICATORS: readonly IndicatorCode[] = ["digital_learning_day", "security_incidents"];
/** Counts whose target is a ceiling (met when the count is at most the target). */
export const CEILING_INDICATORS: readonly IndicatorCode[] = ["security_incidents"];

const ZIndicator = z.strictObject({
  id: z.number().int().min(1),
  code: z.enum(INDICATOR_CODES),
  title: ZText,
  target: z.number().min(0),
  minimum: z.number().min(0).optional(),
  responsible: ZText,
  cooperating: z.array(ZText).default([]),
  en: ZEnglish,
});

export const ZPlan = z
  .strictObject({
    commune: ZText,
    province: ZText.optional(),
    document: ZText.optional(),
    year: z.number().int().min(2000).max(2100),
    startDate: ZDate,
    endDate: ZDate,
    indicators: z.array(ZIndicator).min(1),
    reports: z
      .array(
        z.strictObject({
          period: z
            .string()
            .refine((s) => parsePeriod(s) !== undefined, "a period: 2026, 2026-Q3 or 2026-09"),
          due: ZDate,
        }),
      )
      .default([]),
    /** Section V's tasks, each with its units, schedule and indicators (issue 19.1). */
    tasks: z.array(ZPlanTask).default([]),
  })
  .superRefine((plan, ctx) => {
    if (plan.endDate < plan.startDate)
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "endDate is before startDate" });
    const seen = new Map<string, number>();
    plan.indicators.forEach((ind, i) => {
      for (const key of [`id ${ind.id}`, `code ${ind.code}`]) {
        if (seen.has(key))
          ctx.addIssue({
            code: "custom",
            path: ["indicators", i],
            message: `${key} repeats indicator ${seen.get(key)! + 1}`,
          });
        else seen.set(key, i);
      }
      const ratio = !COUNT_INDICATORS.includes(ind.code);
      if (ratio && ind.target > 1)
        ctx.addIssue({
          code: "custom",
          path: ["indicators", i, "target"],
          message: "a ratio target is a fraction 0–1",
        });
      if (ind.minimum !== undefined && ind.minimum > ind.target && !CEILING_INDICATORS.includes(ind.code))
        ctx.addIssue({
          code: "custom",
          path: ["indicators", i, "minimum"],
          message: "minimum is above the target",
        });
    });
    const codes = new Set(plan.indicators.map((i) => i.code as string));
    const taskCodes = new Map<string, number>();
    plan.tasks.forEach((task, i) => {
      if (taskCodes.has(task.code))
        ctx.addIssue({
          code: "custom",
          path: ["tasks", i, "code"],
          message: `task code ${task.code} repeats task ${taskCodes.get(task.code)! + 1}`,
        });
      else taskCodes.set(task.code, i);
      task.indicators.forEach((code, j) => {
        if (!codes.has(code))
          ctx.addIssue({
            code: "custom",
            path: ["tasks", i, "indicators", j],
            message: `${code} is not an indicator of this plan`,
          });
      });
      if (
        task.schedule.kind === "once" &&
        (task.schedule.due < plan.startDate || task.schedule.due > plan.endDate)
      )
        ctx.addIssue({
          code: "custom",
          path: ["tasks", i, "schedule", "due"],
          message: "the due date is outside the plan's span",
        });
    });
  });
export type Plan = z.infer<typeof ZPlan>;
export type PlanIndicator = Plan["indicators"][number];

/** The plan that ships: Tân Ninh commune's 2026 plan (SPEC §1, §3). */
export const DEFAULT_PLAN_FILE = new URL("../../../plans/tan-ninh-2026.json", import.meta.url).pathname;

/** A plan file that cannot be used; the message names the file, and the line or the field. */
export class PlanError extends DataFileError {}

const PLAN_FILE = { label: "Tệp kế hoạch", make: (m: string) => new PlanError(m) };

/** Parses and checks a plan's JSON text; `file` names it in messages. */
export function parsePlan(text: string, file: string): Plan {
  return parseJsonText(text, file, ZPlan, PLAN_FILE);
}

/** Reads a plan file (JSON). */
export function loadPlan(file = DEFAULT_PLAN_FILE): Plan {
  return readJsonFile(file, ZPlan, PLAN_FILE).data;
}

let cached: Plan | undefined;
/** The plan in force: the default plan file, read and checked once (the server checks it at start). */
export function currentPlan(): Plan {
  cached ??= loadPlan();
  return cached;
}

/**
 * An indicator's title and units in the interface's language: the plan's English when it has one
 * (pages in English), else the official Vietnamese. Reports never call this: they stay Vietnamese.
 */
export function localizeIndicator<
  I extends { code: IndicatorCode; title: string; responsible: string; cooperating: string[] },
>(plan: Plan, ind: I, lang: "vi" | "en"): I {
  if (lang !== "en") return ind;
  const en = plan.indicators.find((p) => p.code === ind.code)?.en;
  if (!en) return ind;
  return {
    ...ind,
    title: en.title ?? ind.title,
    responsible: en.responsible ?? ind.responsible,
    cooperating: en.cooperating?.length === ind.cooperating.length ? en.cooperating : ind.cooperating,
  };
}
