import { z } from "@hono/zod-openapi";

/** An optional text parameter of a query string, described for the OpenAPI document. */
export function optionalText(description: string) {
  return z.string().optional().openapi({ description });
}
