import type { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ZIdParam } from "../api.ts";
import type { AppEnv } from "../context.ts";
import { apiRoute, jsonBody, jsonContent } from "./api-route.ts";

/** What the JSON API says of one operation on a record: a collection (`/things`) or one found by its id (`/things/{id}`). */
type RecordOperation = {
  /** The path: `/reports` to create, else with `{id}`: `/reports/{id}`. */
  path: string;
  summary: string;
  /** Responses besides the shared error responses and the operation's own (a 409). */
  responses?: Readonly<Record<number, unknown>>;
};

/** An operation's answer: the record under `schema`, described as `description`. */
type RecordAnswer<S extends z.ZodType> = { schema: S; description: string };

/** `GET path`: the record with that id as the service gives it (404, outside the caller's scope, is the service's). */
export function apiGetById<S extends z.ZodType>(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation & RecordAnswer<S> & { load: (c: Context<AppEnv>, id: number) => Promise<z.input<S>> },
): void {
  router.openapi(
    apiRoute("get", op.path, {
      summary: op.summary,
      request: { params: ZIdParam },
      responses: { 200: jsonContent(op.schema, op.description), ...op.responses },
    }),
    async (c) => c.json(await op.load(c, c.req.valid("param").id), 200),
  );
}

/** `POST path` (the collection) with a JSON body checked by `body`: 201 with the new record. */
export function apiCreate<S extends z.ZodType, B extends z.ZodType>(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation &
    RecordAnswer<S> & {
      body: B;
      run: (c: Context<AppEnv>, body: z.output<B>) => Promise<z.input<S>>;
    },
): void {
  const body: z.ZodType = op.body;
  router.openapi(
    apiRoute("post", op.path, {
      summary: op.summary,
      request: { body: jsonBody(body) },
      responses: { 201: jsonContent(op.schema, op.description), ...op.responses },
    }),
    // The validator parsed the body with `op.body`, so it is that schema's output.
    async (c) => c.json(await op.run(c, c.req.valid("json") as z.output<B>), 201),
  );
}

/** `PATCH path` with a JSON body checked by `body`: the record after the change. */
export function apiPatchById<S extends z.ZodType, B extends z.ZodType>(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation &
    RecordAnswer<S> & {
      body: B;
      run: (c: Context<AppEnv>, id: number, body: z.output<B>) => Promise<z.input<S>>;
    },
): void {
  const body: z.ZodType = op.body;
  router.openapi(
    apiRoute("patch", op.path, {
      summary: op.summary,
      request: { params: ZIdParam, body: jsonBody(body) },
      responses: { 200: jsonContent(op.schema, op.description), ...op.responses },
    }),
    // The validator parsed the body with `op.body`, so it is that schema's output.
    async (c) => c.json(await op.run(c, c.req.valid("param").id, c.req.valid("json") as z.output<B>), 200),
  );
}

/** `DELETE path`: 204 once `run` has removed the record. */
export function apiDeleteById(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation & { run: (c: Context<AppEnv>, id: number) => Promise<unknown> },
): void {
  router.openapi(
    apiRoute("delete", op.path, {
      summary: op.summary,
      request: { params: ZIdParam },
      responses: { 204: { description: "Deleted" }, ...op.responses },
    }),
    async (c) => {
      await op.run(c, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
}
