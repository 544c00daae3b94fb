/**
 * The indicator pages (SPEC §3, §3.2, §7): the dashboard (`/indicators`, also the home page of
 * roles that read indicators), an indicator's drill-down, the table as CSV/XLSX, a village's
 * "who to visit next" lists and a unit's indicators.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Context, Hono } from "hono";
import { raw } from "hono/html";
import { AppError, notFound } from "../../lib/errors.ts";
import type { T } from "../../lib/i18n/index.ts";
import { writeRows } from "../../lib/tabular/write.ts";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { labelTableCells } from "../../web/kit/stacked-table.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { readDbOf } from "../../web/read-db.ts";
import { type PageCtx, render } from "../../web/render.tsx";
import { recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { seesUnmasked, viewerCan } from "../auth/viewer.ts";
import { knownMarketFigures } from "../markets/service.ts";
import { planFor, planForWindow } from "../plans/service.ts";
import {
  type DashboardData,
  drillRows,
  indicatorRows,
  keptPage,
  loadDashboard,
  loadDrillPage,
  loadUnitIndicators,
  loadVisitList,
  localizeDrillPage,
  localizeTable,
  localizeUnitIndicators,
  VILLAGE_CODES,
} from "./dashboard.ts";
import { INDICATOR_CODES, type IndicatorCode } from "./plan.ts";
import { computeIndicators, resolveWindow } from "./service.ts";
import { KeptDashboardSection, type VillageCode } from "./views/dashboard.tsx";
import { DrillPageView } from "./views/drill.tsx";
import { WindowError } from "./views/parts.tsx";
import { UnitIndicatorsPage, VisitListPage } from "./views/visit.tsx";

export const indicatorPages = new Hono<AppEnv>();

const DRILL_PAGE_SIZE = 50;
/** Rows of a drill-down's print version, and of its download (a whole commune's residents fit). */
const DRILL_PRINT_ROWS = 5000;
const DRILL_EXPORT_ROWS = 200_000;
/** Rows of each visit list on screen; the print version has them all (up to this cap). */
const VISIT_SCREEN_ROWS = 100;
const VISIT_PRINT_ROWS = 5000;

const pageOf = (v: string | undefined) => Math.max(1, Number.parseInt(v ?? "1", 10) || 1);

/**
 * The window a page asks for; a bad date or period falls back to the defaults with the message
 * to show (the pages stay usable), while the API and downloads answer 422.
 */
async function windowOf(c: Context<AppEnv>, opts: { lenient: boolean }) {
  const date = c.req.query("date");
  const period = c.req.query("period");
  const plan = await planForWindow(readDbOf(c), requireViewer(c).communeId, { date, period });
  try {
    return { plan, ...resolveWindow({ date, period, plan }), error: undefined };
  } catch (err) {
    if (!opts.lenient || !(err instanceof AppError) || err.code !== "validation") throw err;
    return { plan, ...resolveWindow({ plan }), error: c.var.t(err.msg.key, err.msg.params) };
  }
}

/** The dashboard's content for a request: computed once, with the server time logged. */
export async function dashboardFor(c: Context<AppEnv>, viewer: Viewer) {
  const started = performance.now();
  const { plan, date, period, error } = await windowOf(c, { lenient: true });
  const loaded: DashboardData = await loadDashboard({ db: readDbOf(c), viewer, plan, date, period });
  const data = { ...loaded, table: localizeTable(loaded.table, plan, c.var.lang) };
  const bar = (VILLAGE_CODES as readonly string[]).includes(c.req.query("bar") ?? "")
    ? (c.req.query("bar") as VillageCode)
    : "adult_skills";
  return {
    /** The kept figures the section draws (`KeptDashboardSection`): the same object while nothing they read changed. */
    kept: loaded.table,
    /** What DashboardSection draws, besides who views it and where it is. */
    section: {
      plan,
      data,
      window: { date, period: period.code },
      bar,
      error,
      markets: viewerCan(viewer, "market.read")
        ? await knownMarketFigures({
            db: c.var.deps.db,
            communeId: viewer.communeId,
            versions: c.var.versions,
          })
        : undefined,
    },
    logTime: (rendered: number) =>
      c.var.log.info(
        {
          indicatorsMs: Math.round(data.timings.indicators),
          trendsMs: Math.round(data.timings.trends),
          cached: data.cached,
          totalMs: Math.round(rendered - started),
        },
        "dashboard computed",
      ),
  };
}

indicatorPages.get("/indicators", requirePermission("indicator.read"), async (c) => {
  const viewer = requireViewer(c);
  const { section, kept, logTime } = await dashboardFor(c, viewer);
  const res = await render(c, { title: c.var.t("dashboard.title") }, (ctx) => (
    <KeptDashboardSection
      kept={kept}
      ctx={ctx}
      viewer={viewer}
      {...section}
      action="/indicators"
      canVisitList={viewerCan(viewer, "village.read") && viewerCan(viewer, "resident.read")}
      headingLevel={1}
    />
  ));
  logTime(performance.now());
  return res;
});

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** Writes the table of indicators to a temporary file and answers it as a download. */
async function tableDownload(c: Context<AppEnv>, ext: "csv" | "xlsx", t: T) {
  const viewer = requireViewer(c);
  const { plan, date, period } = await windowOf(c, { lenient: false });
  const table = await computeIndicators({
    db: readDbOf(c),
    communeId: viewer.communeId,
    plan,
    date,
    period,
  });
  const { header, rows } = indicatorRows(t, localizeTable(table, plan, c.var.lang));
  return rowsDownload(c, {
    ext,
    name: `bdhvs-chi-tieu-${period.code}-${date}.${ext}`,
    sheet: { header, sheetName: t("dashboard.title") },
    rows,
  });
}

/**
 * Writes rows to a temporary CSV/XLSX file and answers it as a download named `name`; `written`
 * runs once the file is whole, before the answer (an export's audit entry).
 */
async function rowsDownload(
  c: Context<AppEnv>,
  o: {
    ext: keyof typeof TYPES;
    name: string;
    sheet: Parameters<typeof writeRows>[1];
    rows: Parameters<typeof writeRows>[2];
    written?: () => Promise<unknown>;
  },
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-rows-"));
  const file = path.join(dir, o.name);
  try {
    await writeRows(file, o.sheet, o.rows);
    await o.written?.();
    c.header("Content-Disposition", `attachment; filename="${o.name}"`);
    return c.body(fs.readFileSync(file), 200, { "Content-Type": TYPES[o.ext] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The indicator an address names (`/indicators/:code`); none: not found. */
function indicatorCodeOf(c: Context<AppEnv>): IndicatorCode {
  const code = c.req.param("code") ?? "";
  if (!(INDICATOR_CODES as readonly string[]).includes(code)) throw notFound();
  return code as IndicatorCode;
}

/** An indicator's drill-down in the viewer's scope, with the address's village/unit filter and list. */
function drillFor(
  c: Context<AppEnv>,
  viewer: Viewer,
  w: {
    plan: Parameters<typeof loadDrillPage>[0]["plan"];
    date: string;
    period: Parameters<typeof loadDrillPage>[0]["period"];
  },
  list: { code: IndicatorCode; counted: boolean; page: number; pageSize: number; whole?: boolean },
) {
  return loadDrillPage({
    db: c.var.deps.db,
    viewer,
    actor: actorOf(viewer, c.var),
    plan: w.plan,
    date: w.date,
    period: w.period,
    village: c.req.query("village") || undefined,
    unit: c.req.query("unit") || undefined,
    ...list,
  });
}

indicatorPages.get("/indicators/export.csv", requirePermission("indicator.read"), (c) =>
  tableDownload(c, "csv", c.var.t),
);
indicatorPages.get("/indicators/export.xlsx", requirePermission("indicator.read"), (c) =>
  tableDownload(c, "xlsx", c.var.t),
);

/**
 * A drill-down list as a download (`/indicators/adult_skills/export.xlsx?village=T01&show=missing`):
 * the whole list the page pages through, in the viewer's scope, masked as the page masks it, and
 * audited as every export is.
 */
indicatorPages.get(
  "/indicators/:code{[a-z0-9_]+}/:file{export\\.(csv|xlsx)}",
  requirePermission("indicator.read"),
  requirePermission("export.run"),
  async (c) => {
    const viewer = requireViewer(c);
    const code = indicatorCodeOf(c);
    const ext = c.req.param("file").endsWith(".csv") ? "csv" : "xlsx";
    const w = await windowOf(c, { lenient: false });
    const { date, period } = w;
    const counted = c.req.query("show") === "counted";
    const data = await drillFor(c, viewer, w, {
      code,
      counted,
      page: 1,
      pageSize: DRILL_EXPORT_ROWS,
      whole: true,
    });
    if (!data.drill) throw notFound();
    const t = c.var.t;
    const { header, rows } = drillRows(t, data);
    const where = data.village?.code ?? data.unit?.code ?? "all";
    const name = `bdhvs-${code}-${counted ? "counted" : "missing"}-${where}-${date}.${ext}`;
    return rowsDownload(c, {
      ext,
      name,
      sheet: { header, sheetName: t("drill.sheet_name", { id: data.indicator.id }) },
      rows,
      written: () =>
        recordAudit(c.var.deps.db, actorOf(viewer, c.var), {
          action: "export.drill",
          entity: "indicator",
          after: {
            file: name,
            indicator: code,
            counted,
            village: data.village?.code ?? null,
            unit: data.unit?.code ?? null,
            date,
            period: period.code,
            rows: rows.length,
            masked: !seesUnmasked(viewer),
          },
        }),
    });
  },
);

indicatorPages.get("/indicators/:code{[a-z0-9_]+}", requirePermission("indicator.read"), async (c) => {
  const viewer = requireViewer(c);
  const code = indicatorCodeOf(c);
  const w = await windowOf(c, { lenient: true });
  const { plan, date, period, error } = w;
  const counted = c.req.query("show") === "counted";
  // The print version: the whole list on one page (up to a cap), no filters or paging.
  const print = c.req.query("print") === "1";
  const page = print ? 1 : pageOf(c.req.query("page"));
  const pageSize = print ? DRILL_PRINT_ROWS : DRILL_PAGE_SIZE;
  const loaded = await drillFor(c, viewer, w, { code, counted, page, pageSize });
  const data = localizeDrillPage(loaded, plan, c.var.lang);
  return render(c, { title: data.indicator.title }, (ctx) => (
    <>
      <WindowError t={ctx.t} error={error} />
      <DrillPageView
        ctx={ctx}
        plan={plan}
        data={data}
        window={{ date, period: period.code }}
        counted={counted}
        page={page}
        pageSize={pageSize}
        print={print}
        canExport={viewerCan(viewer, "export.run")}
        periodStart={period.start}
      />
    </>
  ));
});

/** A part of a page drawn before: HTML escaped when it was drawn (`keptPage`). */
async function KeptHtml(p: { html: Promise<string> }) {
  return raw(await p.html);
}

indicatorPages.get(
  "/villages/:id{[0-9]+}/visit-next",
  requirePermission("village.read"),
  requirePermission("resident.read"),
  async (c) => {
    const viewer = requireViewer(c);
    const print = c.req.query("print") === "1";
    const plan = await planFor(c.var.deps.db, viewer.communeId);
    const { date, period } = resolveWindow({ plan });
    const data = await loadVisitList({
      db: c.var.deps.db,
      viewer,
      actor: actorOf(viewer, c.var),
      villageId: Number(c.req.param("id")),
      date,
      period,
      limit: print ? VISIT_PRINT_ROWS : VISIT_SCREEN_ROWS,
    });
    const canVisit = viewerCan(viewer, "visit.create") && viewer.scope.kind !== "installation";
    const page = (ctx: PageCtx) => (
      <VisitListPage
        ctx={ctx}
        data={data}
        print={print}
        limit={print ? VISIT_PRINT_ROWS : VISIT_SCREEN_ROWS}
        canVisit={canVisit}
      />
    );
    // A print of every row is drawn each time (rare, and large); the screen's page is kept beside
    // its lists, per role (the masks), language and links (a page of 300 rows: ~160 kB).
    if (print) return render(c, { title: c.var.t("visit.title", { village: data.village.name }) }, page);
    return render(c, { title: c.var.t("visit.title", { village: data.village.name }) }, (ctx) => (
      <KeptHtml
        html={keptPage(
          c.var.deps.db,
          data,
          JSON.stringify({ role: viewer.role, lang: ctx.lang, canVisit }),
          async () => labelTableCells(String(await page(ctx).toString())),
        )}
      />
    ));
  },
);

indicatorPages.get(
  "/units/:id{[0-9]+}/indicators",
  requirePermission("unit.read"),
  requirePermission("indicator.read"),
  async (c) => {
    const viewer = requireViewer(c);
    const { plan, date, period, error } = await windowOf(c, { lenient: true });
    const loaded = await loadUnitIndicators({
      db: c.var.deps.db,
      viewer,
      plan,
      unitId: Number(c.req.param("id")),
      date,
      period,
    });
    const data = localizeUnitIndicators(loaded, plan, c.var.lang);
    return render(c, { title: c.var.t("unit_ind.title", { unit: data.unit.name }) }, (ctx) => (
      <>
        <WindowError t={ctx.t} error={error} />
        <UnitIndicatorsPage ctx={ctx} plan={plan} data={data} window={{ date, period: period.code }} />
      </>
    ));
  },
);
