import type { Context } from "hono";
import type { AppEnv } from "./context.ts";

export type FormValues = Record<string, string | string[]>;

/** The submitted form's text fields (files left out); repeated names become arrays. */
export async function readForm(c: Context<AppEnv>): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "_csrf" || k === "idempotency_key") continue;
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
    else if (typeof v === "string") out[k] = v;
  }
  return out;
}

export function str(values: FormValues, key: string): string {
  const v = values[key];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

export function list(values: FormValues, key: string): string[] {
  const v = values[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
