import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Db } from "../../db/client.ts";
import type { Actor } from "../../features/audit/service.ts";
import type { Viewer } from "../../features/auth/viewer.ts";
import type { Cell } from "../../lib/values.ts";
import { ZIdParam } from "../api.ts";
import { type AppEnv, auditOf } from "../context.ts";
import { apiRoute, jsonBody, jsonContent, listContent } from "./api-route.ts";
import { itemsPage, pagedQuery, readerOf, writerOf } from "./request.ts";

/** One value of an input key as an import file holds it (a label or a code, a number, yes/no, or empty). */
export const ZCell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

/** A JSON body as the column-key input services check: a missing value is empty, a list one text joined by `;`. */
export function cellsOf(body: Record<string, unknown>): Record<string, Cell> {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.join(";") : ((v as Cell) ?? null)]),
  );
}

type Writer = { db: Db; viewer: Viewer; actor: Actor };
type ListArgs = {
  db: Db;
  readDb?: Db;
  viewer: Viewer;
  page: number;
  pageSize: number;
  query: Record<string, unknown>;
  audit?: { actor: Actor; source: string };
};
type Responses = NonNullable<Parameters<typeof apiRoute>[2]["responses"]>;

/**
 * The JSON API of a collection of records (`GET /x`, `GET /x/{id}`, `POST /x`, `PATCH /x/{id}`,
 * `DELETE /x/{id}`), each operation calling its service with the request's reader or writer. The
 * operations left out are not mounted; permissions are the router's (`permitByMethod`).
 */
/** What create and update hand their service besides the writer by default: the body as column-key input. */
export type CellsInput = { input: Record<string, Cell> };

export type RecordApi<C extends object = CellsInput> = {
  /** The collection's path, e.g. `/households`; one record is at `${path}/{id}`. */
  path: string;
  /** The record in the answers' descriptions: "The household", "The new household", "The household after the change". */
  noun: string;
  /** A record as get, create and update answer it. */
  record: z.ZodType;
  /** What the service takes from a create or update body; default `{ input: cellsOf(body) }`. */
  change?(body: Record<string, unknown>): C;
  list?: {
    summary: string;
    query: z.ZodObject;
    item: z.ZodType;
    /** The list's description, e.g. "Households". */
    items: string;
    /** The audit source of a list whose answer may show unmasked data (e.g. `api.residents`). */
    audit?: string;
    /** Reads on the replica (web/read-db.ts). */
    replica?: true;
    run(args: ListArgs): Promise<{ items: unknown[]; total: number | null }>;
  };
  /** Called with the writer, so that a read the service audits has its actor. */
  get?: { summary: string; run(args: Writer & { id: number }): Promise<unknown> };
  create?: { summary: string; body: z.ZodType; run(args: Writer & C): Promise<unknown> };
  update?: { summary: string; body: z.ZodType; run(args: Writer & { id: number } & C): Promise<unknown> };
  remove?: {
    summary: string;
    /** The 204's description ("Deleted", "Removed"). */
    done: string;
    /** More responses, e.g. a 409 while other records refer to it. */
    responses?: Responses;
    run(args: Writer & { id: number }): Promise<unknown>;
  };
};

type Ctx = Context<AppEnv>;
/** The parsed parts of a request the routes below declare (the route types are too general to infer them). */
const valid = {
  id: (c: Ctx) => (c.req.valid as (t: "param") => { id: number })("param").id,
  json: (c: Ctx) => (c.req.valid as (t: "json") => Record<string, unknown>)("json"),
  query: (c: Ctx) =>
    (c.req.valid as (t: "query") => { page: number; pageSize: number } & Record<string, unknown>)("query"),
};

/** Mounts the operations of `spec` on an API router, in the order list, get, create, update, remove. */
export function mountRecordApi<C extends object = CellsInput>(
  api: OpenAPIHono<AppEnv>,
  spec: RecordApi<C>,
): void {
  const { path, noun, record, list, get, create, update, remove } = spec;
  const one = `${path}/{id}`;
  // Without `change`, C is its default, CellsInput.
  const change = spec.change ?? ((body) => ({ input: cellsOf(body) }) as CellsInput as C);
  const params = { params: ZIdParam };
  if (list) {
    const responses = { 200: listContent(list.item, list.items) };
    api.openapi(
      apiRoute("get", path, { summary: list.summary, request: { query: list.query }, responses }),
      async (c) => {
        const reader = list.replica ? readerOf(c, { replica: true }) : readerOf(c);
        const audit = list.audit ? { audit: auditOf(c, list.audit) } : {};
        const page = pagedQuery(valid.query(c));
        return c.json(itemsPage(await list.run({ ...reader, ...page, ...audit })), 200);
      },
    );
  }
  if (get) {
    const responses = { 200: jsonContent(record, `The ${noun}`) };
    api.openapi(apiRoute("get", one, { summary: get.summary, request: params, responses }), async (c) =>
      c.json(await get.run({ ...writerOf(c), id: valid.id(c) }), 200),
    );
  }
  if (create) {
    const request = { body: jsonBody(create.body) };
    const responses = { 201: jsonContent(record, `The new ${noun}`) };
    api.openapi(apiRoute("post", path, { summary: create.summary, request, responses }), async (c) =>
      c.json(await create.run({ ...writerOf(c), ...change(valid.json(c)) }), 201),
    );
  }
  if (update) {
    const request = { ...params, body: jsonBody(update.body) };
    const responses = { 200: jsonContent(record, `The ${noun} after the change`) };
    api.openapi(apiRoute("patch", one, { summary: update.summary, request, responses }), async (c) =>
      c.json(await update.run({ ...writerOf(c), id: valid.id(c), ...change(valid.json(c)) }), 200),
    );
  }
  if (remove) {
    const responses = { 204: { description: remove.done }, ...remove.responses };
    api.openapi(
      apiRoute("delete", one, { summary: remove.summary, request: params, responses }),
      async (c) => {
        await remove.run({ ...writerOf(c), id: valid.id(c) });
        return c.body(null, 204);
      },
    );
  }
}
