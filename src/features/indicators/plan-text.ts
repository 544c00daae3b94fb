import { z } from "zod";
import { parseIsoDate } from "./period.ts";

/** Pieces of a plan file's schema shared by its indicators (plan.ts) and its tasks (tasks/schema.ts). */
export const ZText = z.string().trim().min(1);
export const ZDate = z.string().refine((s) => parseIsoDate(s) !== undefined, "a date yyyy-mm-dd");

/**
 * Optional English of a title and its units, shown with the English interface; the official
 * Vietnamese stays in reports. A missing part falls back to the Vietnamese.
 */
export const ZEnglish = z
  .strictObject({
    title: ZText.optional(),
    responsible: ZText.optional(),
    cooperating: z.array(ZText).optional(),
  })
  .optional();
