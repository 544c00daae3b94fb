import { z } from "zod";
import { PRIVACY_REQUEST_KINDS, PRIVACY_REQUEST_STATUSES } from "../../db/schema.ts";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A new privacy request, from the form or the API. Who asked: a resident id and/or a requester's name. */
export const ZCreatePrivacyRequest = z
  .object({
    resident_id: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ message: "privacy.err_resident_id" })
        .int({ message: "privacy.err_resident_id" })
        .positive({ message: "privacy.err_resident_id" })
        .optional(),
    ),
    requester: z.preprocess(
      blankToUndefined,
      z.string().trim().max(200, { message: "privacy.err_requester_long" }).optional(),
    ),
    received_on: z.preprocess(
      blankToUndefined,
      z
        .string({ message: "privacy.err_received_on" })
        .regex(DATE, { message: "privacy.err_received_on" })
        .refine(
          (d) =>
            !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
            new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
          {
            message: "privacy.err_received_on",
          },
        ),
    ),
    kind: z.enum(PRIVACY_REQUEST_KINDS, { message: "privacy.err_kind" }),
  })
  .refine((v) => v.resident_id !== undefined || v.requester !== undefined, {
    message: "privacy.err_who",
    path: ["requester"],
  });
export type TCreatePrivacyRequest = z.infer<typeof ZCreatePrivacyRequest>;

/** A change of status: a refusal needs its reason. */
export const ZUpdatePrivacyRequest = z
  .object({
    status: z.enum(PRIVACY_REQUEST_STATUSES, { message: "privacy.err_status" }),
    refusal_reason: z.preprocess(blankToUndefined, z.string().trim().max(2000).optional()),
  })
  .refine((v) => v.status !== "refused" || v.refusal_reason !== undefined, {
    message: "privacy.err_reason_needed",
    path: ["refusal_reason"],
  });
export type TUpdatePrivacyRequest = z.infer<typeof ZUpdatePrivacyRequest>;
