import { z } from "zod";
import { ROLES } from "../../db/schema.ts";
import { MIN_PASSWORD_LENGTH } from "../auth/password.ts";

const trimmed = z.string().trim();

export const ZUsername = trimmed
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, { error: "v.username_format" });

export const ZPassword = z.string().min(MIN_PASSWORD_LENGTH, { error: "v.password_weak" }).max(200);

const codes = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean),
  );

const optionalCode = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null));

export const ZCreateUser = z.object({
  username: ZUsername,
  displayName: trimmed.min(1).max(120),
  role: z.enum(ROLES, { error: "v.role_invalid" }),
  password: ZPassword,
  villages: codes,
  unit: optionalCode,
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z.object({
  displayName: trimmed.min(1).max(120).optional(),
  role: z.enum(ROLES, { error: "v.role_invalid" }).optional(),
  villages: codes.optional(),
  unit: optionalCode,
});
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

export const USER_FIELD_LABELS = {
  username: "field.username",
  displayName: "field.display_name",
  role: "field.role",
  password: "field.password",
  villages: "field.villages",
  unit: "field.unit",
} as const;
