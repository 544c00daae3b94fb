import { z } from "zod";
import type { TASK_STATUSES } from "../../db/schema.ts";
import { parseIsoDate } from "../indicators/period.ts";
import { ZDate, ZEnglish, ZText } from "../indicators/plan-text.ts";

/**
 * A task of the plan's section V ("Tổ chức thực hiện", issue 19.1) as the plan file writes it: who
 * answers for it (unit codes of the commune's registry, or every village), who cooperates, when it is
 * due (`schedule`) and the indicators it serves (codes of the plan's own indicators; checked by ZPlan).
 */
/** `dd/mm` as the plan's text writes a yearly day ("10/10"); 29/02 is refused (not every year has it). */
const ZDayMonth = z.string().refine((s) => {
  const m = /^(\d{1,2})\/(\d{1,2})$/.exec(s.trim());
  return !!m && parseIsoDate(`2025-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`) !== undefined;
}, "a day of the year dd/mm, e.g. 10/10");

const ZDayOfMonth = z.number().int().min(1).max(31);

/**
 * When a task is due: once on a date; yearly on a day (`on`: dd/mm); every quarter on a day of the
 * quarter's last month; every month on a day (a day past the month's end is its last day); or
 * `continuous` ("thường xuyên"): progress is recorded but nothing falls due.
 */
export const ZTaskSchedule = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("once"), due: ZDate }),
  z.strictObject({ kind: z.literal("yearly"), on: ZDayMonth }),
  z.strictObject({ kind: z.literal("quarterly"), day: ZDayOfMonth }),
  z.strictObject({ kind: z.literal("monthly"), day: ZDayOfMonth }),
  z.strictObject({ kind: z.literal("continuous") }),
]);
export type TaskSchedule = z.infer<typeof ZTaskSchedule>;

export const ZPlanTask = z
  .strictObject({
    /** The task's number in section V, e.g. "V.3"; unique in the plan, used in links and records. */
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$/, "letters, digits, '.' or '-', at most 20"),
    title: ZText,
    /** The responsible unit's name as the plan writes it ("Công an xã"). */
    responsible: ZText,
    /** Codes of the units (registry, SPEC §4) whose officers carry the task, each on its own. */
    units: z.array(ZText).default([]),
    /** True when every village carries the task (its village lead records progress). */
    villages: z.boolean().default(false),
    cooperating: z.array(ZText).default([]),
    schedule: ZTaskSchedule,
    /** Codes of the plan's indicators the task serves. */
    indicators: z.array(ZText).default([]),
    en: ZEnglish,
  })
  .refine((t) => t.units.length > 0 || t.villages, {
    message: "a task names its units (unit codes) or villages: true",
    path: ["units"],
  });
export type PlanTask = z.infer<typeof ZPlanTask>;

export { TASK_STATUSES } from "../../db/schema.ts";
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const MAX_RESULT_CHARS = 1000;
