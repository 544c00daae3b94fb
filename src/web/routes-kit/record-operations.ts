import type { OpenAPIHono, RouteConfig, z } from "@hono/zod-openapi";
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
  responses?: RouteConfig["responses"];
};

/** An operation's answer: the record under `schema`, described as `description`. */
type RecordAnswer<S extends z.ZodType> = { schema: S; description: string };

/** What the validators of an operation parsed: its path parameters and its JSON body (undefined without one). */
type Parsed = { params: unknown; body: unknown };

/**
 * One JSON operation answering a record with `status`: its path parameters and body are checked by
 * `params` and `body` before `run` sees them (a refusal is the app's validation error). The exported
 * functions below give `run` those values typed by the same schemas.
 */
function mountRecordOperation(
  router: OpenAPIHono<AppEnv>,
  method: "get" | "post" | "patch",
  status: 200 | 201,
  op: RecordOperation &
    RecordAnswer<z.ZodType> & {
      params?: z.ZodObject;
      body?: z.ZodType;
      run: (c: Context<AppEnv>, parsed: Parsed) => Promise<unknown>;
    },
): void {
  const request = {
    ...(op.params ? { params: op.params } : {}),
    ...(op.body ? { body: jsonBody(op.body) } : {}),
  };
  router.openapi(
    apiRoute(method, op.path, {
      summary: op.summary,
      request,
      responses: { [status]: jsonContent(op.schema, op.description), ...op.responses },
    }),
    async (c) => {
      const parsed = { params: c.req.valid("param" as never), body: c.req.valid("json" as never) };
      // The responses are keyed by `status` at run time, so their type cannot check the answer: the
      // exported functions type `run`'s answer by the record's schema instead.
      return c.json(await op.run(c, parsed), status) as never;
    },
  );
}

/** `GET path`: the record its path parameters (checked by `params`) name, as the service gives it. */
export function apiGetOne<S extends z.ZodType, P extends z.ZodObject>(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation &
    RecordAnswer<S> & {
      params: P;
      load: (c: Context<AppEnv>, params: z.output<P>) => Promise<z.input<S>>;
    },
): void {
  const { load, ...rest } = op;
  mountRecordOperation(router, "get", 200, { ...rest, run: (c, p) => load(c, p.params as z.output<P>) });
}

/** `GET path`: the record with that id as the service gives it (404, outside the caller's scope, is the service's). */
export function apiGetById<S extends z.ZodType>(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation & RecordAnswer<S> & { load: (c: Context<AppEnv>, id: number) => Promise<z.input<S>> },
): void {
  const { load, ...rest } = op;
  apiGetOne(router, { ...rest, params: ZIdParam, load: (c, { id }) => load(c, id) });
}

/** `POST path` (the collection) with a JSON body checked by `body`: 201 with the new record. */
export function apiCreate<S extends z.ZodType, B extends z.ZodType>(
  router: OpenAPIHono<AppEnv>,
  op: RecordOperation &
    RecordAnswer<S> & { body: B; run: (c: Context<AppEnv>, body: z.output<B>) => Promise<z.input<S>> },
): void {
  const { run, ...rest } = op;
  mountRecordOperation(router, "post", 201, { ...rest, run: (c, p) => run(c, p.body as z.output<B>) });
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
  const { run, ...rest } = op;
  mountRecordOperation(router, "patch", 200, {
    ...rest,
    params: ZIdParam,
    run: (c, p) => run(c, (p.params as z.output<typeof ZIdParam>).id, p.body as z.output<B>),
  });
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
