import type { z } from "zod";
import { type FieldErrors, msg, validationError } from "./errors.ts";
import { isMsgKey, type MsgKey } from "./i18n/index.ts";

/**
 * Parses input with a zod schema; on failure throws a `validation` AppError whose field
 * messages come from the i18n catalog. A schema's own message may be a catalog key.
 * `labels` names each field for messages like "Enter {field}".
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  labels: Record<string, MsgKey> = {},
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(fieldErrorsOf(result.error.issues, labels, input));
}

/** zod issues as field messages of the catalog. */
export function fieldErrorsOf(
  issues: readonly z.core.$ZodIssue[],
  labels: Record<string, MsgKey> = {},
  input?: unknown,
): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".") || "_";
    const top = String(issue.path[0] ?? "_");
    if (fields[path]) continue;
    const label = labels[top];
    const field = label ? { key: label } : top;
    const value = valueAt(input, issue.path);
    const empty = value === undefined || value === null || (typeof value === "string" && value.trim() === "");
    if (empty) {
      fields[path] = msg("v.required", { field });
    } else if (isMsgKey(issue.message)) {
      const bounds = issue as { minimum?: unknown; maximum?: unknown };
      fields[path] = msg(issue.message, {
        field,
        ...(bounds.minimum !== undefined ? { min: Number(bounds.minimum) } : {}),
        ...(bounds.maximum !== undefined ? { max: Number(bounds.maximum) } : {}),
      });
    } else if (issue.code === "too_small" && issue.origin === "string") {
      fields[path] = msg("v.too_short", { field, min: Number(issue.minimum) });
    } else if (issue.code === "too_big" && issue.origin === "string") {
      fields[path] = msg("v.too_long", { field, max: Number(issue.maximum) });
    } else {
      fields[path] = msg("error.field_invalid");
    }
  }
  return fields;
}

/** The submitted value an issue is about (zod 4 issues do not carry it). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
