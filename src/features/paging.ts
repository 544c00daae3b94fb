import type { Page, Paged } from "../db/rows.ts";

// A list's page as the services hand it out; apart from service-kit.ts so the audit service, which
// service-kit.ts calls, can use it too without an import cycle.

/** A page of presented items, as the API and the pages show it. */
export type ListPage<T> = { items: T[]; total: number; page: number; pageSize: number };

/** The rows page `page` (from 1) of `pageSize` rows holds, as a repo's list takes them. */
export function pageWindow(opts: { page: number; pageSize: number }): Page {
  return { limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize };
}

/** A repo's page of rows presented for the viewer, with its numbers. */
export function listPage<R, T>(
  rows: Paged<R>,
  present: (row: R) => T,
  opts: { page: number; pageSize: number },
): ListPage<T> {
  return { items: rows.items.map(present), total: rows.total, page: opts.page, pageSize: opts.pageSize };
}
