import { z } from "zod";

const trimmed = z.string().trim();

/**
 * A commune's code: the national administrative code (5 digits, e.g. 15715 for Tân Ninh) or any
 * short code of letters, digits, `-` and `_` (the first commune's default is `TANNINH`).
 */
export const ZCommuneCode = trimmed.toUpperCase().regex(/^[A-Z0-9][A-Z0-9_-]{0,19}$/, {
  error: "communes.v_code",
});

export const ZCreateCommune = z.object({
  code: ZCommuneCode,
  name: trimmed.min(1).max(120),
  province: trimmed.max(120).optional(),
});
export type TCreateCommune = z.infer<typeof ZCreateCommune>;

export const COMMUNE_FIELD_LABELS = {
  code: "communes.field_code",
  name: "communes.field_name",
  province: "communes.field_province",
} as const;
