import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { formatDateTime, type MsgKey } from "../../lib/i18n/index.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import { Pagination } from "../../web/components.tsx";
import type { AppEnv } from "../../web/context.ts";
import { ColumnHeads } from "../../web/kit/column-heads.tsx";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { apiRoute } from "../../web/routes-kit/api-route.ts";
import type { AuditRow } from "./repo.ts";
import { listAudit } from "./service.ts";
import { auditActionText } from "./words.ts";

export const auditRoutes = new Hono<AppEnv>();

/** A civil date typed in a filter, as the instant its day starts in Vietnam (UTC+7, no DST). */
function dayStart(s: string | undefined, plusDays = 0): Date | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00+07:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  return new Date(d.getTime() + plusDays * 86_400_000);
}

/** The headings of the audit table's columns, in their order. */
const HEADS: readonly MsgKey[] = [
  "audit.at",
  "audit.actor",
  "audit.action",
  "audit.entity",
  "audit.changes",
  "audit.request",
];

type AuditFilter = "username" | "action" | "entity" | "from" | "to";

/** The filter boxes of the audit page, in their order: a query parameter and its label. */
const FILTERS: readonly { name: AuditFilter; label: MsgKey; type?: "date" }[] = [
  { name: "username", label: "audit.actor" },
  { name: "action", label: "audit.action" },
  { name: "entity", label: "audit.entity" },
  { name: "from", label: "audit.from", type: "date" },
  { name: "to", label: "audit.to", type: "date" },
];

function presentAudit(e: AuditRow) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    communeId: e.communeId,
    actor: e.actorUsername,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: e.requestId,
    ip: e.ip,
  };
}

function Changes(props: { before: unknown; after: unknown; labels: [string, string] }) {
  if (props.before == null && props.after == null) return null;
  return (
    <details>
      <summary>{props.labels[1]}</summary>
      {props.before != null ? (
        <>
          <p class="small">{props.labels[0]}</p>
          <pre class="json">{JSON.stringify(props.before, null, 1)}</pre>
        </>
      ) : null}
      {props.after != null ? <pre class="json">{JSON.stringify(props.after, null, 1)}</pre> : null}
    </details>
  );
}

auditRoutes.get("/admin/audit", requirePermission("audit.read"), async (c) => {
  const viewer = requireViewer(c);
  const t = c.var.t;
  const q = {
    action: c.req.query("action")?.trim() || undefined,
    entity: c.req.query("entity")?.trim() || undefined,
    username: c.req.query("username")?.trim() || undefined,
    from: c.req.query("from") || undefined,
    to: c.req.query("to") || undefined,
  };
  const page = Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1);
  const result = await listAudit({
    db: c.var.deps.db,
    scope: viewer.scope,
    filter: { ...q, from: dayStart(q.from), to: dayStart(q.to, 1) },
    page,
    pageSize: 50,
  });
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (p: number) => `/admin/audit?${new URLSearchParams({ ...params, page: String(p) })}`;
  return render(c, { title: t("audit.title") }, (ctx) => (
    <div>
      <h1>{t("audit.title")}</h1>
      <p class="small">{t("audit.append_only_note")}</p>
      <form method="get" action="/admin/audit" class="filters">
        {FILTERS.map((f) => (
          <div class="field">
            <label class="field__label" for={`f-${f.name}`}>
              {t(f.label)}
            </label>
            <input class="input" type={f.type} id={`f-${f.name}`} name={f.name} value={q[f.name]} />
          </div>
        ))}
        <button type="submit" class="button button--secondary">
          {t("common.filter")}
        </button>
      </form>
      {result.items.length === 0 ? (
        <p>{t("audit.empty")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("audit.title")}</caption>
            <ColumnHeads heads={HEADS.map((key) => t(key))} />
            <tbody>
              {result.items.map((e) => (
                <tr>
                  <td>{formatDateTime(ctx.lang, e.at)}</td>
                  <td>{e.actorUsername ?? t("common.none")}</td>
                  <td title={e.action}>{auditActionText(t, e.action)}</td>
                  <td>
                    {e.entity}
                    {e.entityId ? ` #${e.entityId}` : ""}
                  </td>
                  <td>
                    <Changes
                      before={e.before}
                      after={e.after}
                      labels={[t("audit.before"), t("audit.after")]}
                    />
                  </td>
                  <td class="small">
                    <code>{e.requestId ?? ""}</code>
                    {e.ip ? <div>{e.ip}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination t={t} page={page} pageSize={50} total={result.total} href={href} />
    </div>
  ));
});

// --- API ----------------------------------------------------------------------

export const auditApi = apiRouter();
auditApi.use("/audit", requirePermission("audit.read"));

const ZAuditEvent = z
  .object({
    id: z.number().int(),
    at: z.string(),
    communeId: z.number().int().nullable(),
    actor: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi("AuditEvent");

auditApi.openapi(
  apiRoute("get", "/audit", {
    summary: "The audit trail, newest first (admin)",
    request: {
      query: ZPageQuery.extend({
        action: z.string().optional().openapi({ description: "Action prefix, e.g. login." }),
        entity: z.string().optional(),
        username: z.string().optional(),
        from: z.iso.date().optional().openapi({ description: "First day (yyyy-mm-dd, Vietnam time)" }),
        to: z.iso.date().optional().openapi({ description: "Last day (yyyy-mm-dd, Vietnam time)" }),
      }),
    },
    responses: {
      200: {
        description: "Events",
        content: {
          "application/json": { schema: z.object({ items: z.array(ZAuditEvent), total: z.number().int() }) },
        },
      },
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const r = await listAudit({
      db: c.var.deps.db,
      scope: requireViewer(c).scope,
      filter: {
        action: q.action,
        entity: q.entity,
        username: q.username,
        from: dayStart(q.from),
        to: dayStart(q.to, 1),
      },
      page: q.page,
      pageSize: q.pageSize,
    });
    return c.json({ items: r.items.map(presentAudit), total: r.total }, 200);
  },
);
