import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Permission } from "../../features/auth/policy.ts";
import type { AppEnv } from "../context.ts";
import { permitByMethod } from "./api-route.ts";

type NounOf<P> = P extends `${infer N}.${string}` ? N : never;
type Action = "read" | "create" | "update" | "delete";

/** The records with all four permissions of a register: read, create, update and delete. */
export type RegisterNoun = {
  [N in NounOf<Permission>]: `${N}.${Action}` extends Permission ? N : never;
}[NounOf<Permission>];

/**
 * The API permissions of a register (`unit`, `village`, `household`): `noun.read` for the list and
 * a record, `noun.create` to add one at `path`, `noun.update` and `noun.delete` below it.
 */
export function permitRegister(api: OpenAPIHono<AppEnv>, path: string, noun: RegisterNoun): void {
  const read = `${noun}.read` as const;
  permitByMethod(api, path, { GET: read, POST: `${noun}.create` });
  permitByMethod(api, `${path}/*`, { GET: read, PATCH: `${noun}.update`, DELETE: `${noun}.delete` });
}
