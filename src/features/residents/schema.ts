import { z } from "@hono/zod-openapi";
import { RESIDENT_STATUSES } from "../../db/schema.ts";

const personal = (what: string) =>
  `${what}. Absent for the volunteer role, which reads names, age, household and status only (SPEC §2).`;

/** A resident as the API answers it (`presentResident`), in every list, page and drill-down. */
export const ZResident = z
  .object({
    id: z.number().int(),
    full_name: z.string(),
    birth_date: z
      .string()
      .optional()
      .openapi({ description: personal("yyyy-mm-dd, or yyyy when only the year is known") }),
    gender: z
      .enum(["male", "female", "other"])
      .optional()
      .openapi({ description: personal("Gender") }),
    citizen_id: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: personal("Masked (038*******12) unless the role sees it whole") }),
    phone: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: personal("Masked (091*****78) unless the role sees it whole") }),
    village: z.string(),
    household: z.string(),
    status: z.enum(RESIDENT_STATUSES),
    groups: z.array(z.string()),
    unit: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: personal("Unit code") }),
    disabled: z.boolean(),
    vneid_level: z.number().int(),
    age: z.number().int().openapi({ description: "Completed years on the day shown" }),
    elderly: z.boolean().openapi({ description: "Aged 60 or more" }),
    poor: z.boolean().openapi({ description: "The household is poor or near-poor" }),
    basic_skills: z
      .boolean()
      .openapi({ description: "Holds a basic or vneid certification dated on or before the day shown" }),
    vneid_confirmed: z
      .boolean()
      .openapi({ description: "Holds a vneid certification dated on or before the day shown" }),
    village_name: z.string(),
    unit_name: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: personal("Unit name") }),
  })
  .openapi("Resident");
