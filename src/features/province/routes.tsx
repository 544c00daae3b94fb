/**
 * The province's pages (issue 18.2), for the installation's scope only (the `province` role; any
 * other viewer gets 404): `/province` (the ranking), `/province/map` (the choropleth and its table),
 * `/province/export.csv|xlsx` (every commune × indicator) and `/province/communes/CODE` (a commune's
 * dashboard, read-only). All read; none writes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Context, Hono } from "hono";
import { AppError } from "../../lib/errors.ts";
import type { T } from "../../lib/i18n/index.ts";
import type { Cell } from "../../lib/tabular/read.ts";
import { writeRows } from "../../lib/tabular/write.ts";
import type { AppEnv } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { readDbOf } from "../../web/read-db.ts";
import { render } from "../../web/render.tsx";
import { guardPaths } from "../../web/routes-kit/guard-paths.ts";
import type { Viewer } from "../auth/viewer.ts";
import { loadDashboard, localizeTable, VILLAGE_CODES } from "../indicators/dashboard.ts";
import { INDICATOR_CODES, type IndicatorCode, localizeIndicator, type Plan } from "../indicators/plan.ts";
import { type IndicatorResult, resolveWindow } from "../indicators/service.ts";
import { DashboardSection, type VillageCode } from "../indicators/views/dashboard.tsx";
import { planFor } from "../plans/service.ts";
import { type MapClass, mapClassOf, placeOnMap, provinceMapSvg } from "./map.ts";
import {
  communeOf,
  loadProvinceFigures,
  type ProvinceFigures,
  provinceTotal,
  type RankingSort,
  rankCommunes,
  requireProvinceViewer,
} from "./service.ts";
import { MapPage, type ProvinceView, RankingPage, type RankingQuery } from "./views/pages.tsx";

export const provinceRoutes = new Hono<AppEnv>();

/** Signed in, reads indicators, and at the installation's scope — else 404, as for a commune's records — at `base` and below. */
export function guardProvincePaths(router: Hono<AppEnv>, base: string): void {
  guardPaths(router, base, requirePermission("indicator.read"), guard);
}

guardProvincePaths(provinceRoutes, "/province");
export async function guard(c: Context<AppEnv>, next: () => Promise<void>) {
  requireProvinceViewer(requireViewer(c));
  await next();
}

/** The window asked for; a bad date or period falls back to the defaults with its message (pages), or 422 (downloads). */
export async function windowOf(c: Context<AppEnv>, opts: { lenient: boolean }) {
  const plan = await planFor(readDbOf(c), requireViewer(c).communeId);
  try {
    return {
      plan,
      ...resolveWindow({ date: c.req.query("date"), period: c.req.query("period"), plan }),
      error: undefined,
    };
  } catch (err) {
    if (!opts.lenient || !(err instanceof AppError) || err.code !== "validation") throw err;
    return { plan, ...resolveWindow({ plan }), error: c.var.t(err.msg.key, err.msg.params) };
  }
}

export function queryOf(c: Context<AppEnv>, plan: Plan): RankingQuery {
  const asked = c.req.query("indicator") ?? "";
  const indicator = (
    (INDICATOR_CODES as readonly string[]).includes(asked) && plan.indicators.some((i) => i.code === asked)
      ? asked
      : (plan.indicators[0]?.code ?? "adult_skills")
  ) as IndicatorCode;
  const sort =
    (["rank", "name", "value", "change"] as const).find((s) => s === c.req.query("sort")) ?? "rank";
  return {
    indicator,
    sort: sort as RankingSort,
    desc: c.req.query("desc") === "1",
    offTarget: c.req.query("off") === "1",
  };
}

/** The heading indicator of the province: the plan's, localized, with the province's own figure. */
function provinceIndicator(
  figures: ProvinceFigures,
  code: IndicatorCode,
  lang: "vi" | "en",
): IndicatorResult {
  const p = figures.plan.indicators.find((i) => i.code === code)!;
  const total = provinceTotal(figures, code);
  return localizeIndicator(
    figures.plan,
    {
      id: p.id,
      code: p.code,
      title: p.title,
      ...total,
      target: p.target,
      ...(p.minimum === undefined ? {} : { minimum: p.minimum }),
      responsible: p.responsible,
      cooperating: p.cooperating,
    },
    lang,
  );
}

async function provinceView(c: Context<AppEnv>, viewer: Viewer) {
  const started = performance.now();
  const { date, period, error } = await windowOf(c, { lenient: true });
  const figures = await loadProvinceFigures({ db: readDbOf(c), viewer, date, period });
  const query = queryOf(c, figures.plan);
  const lang = c.var.lang;
  const all = rankCommunes(figures, query.indicator);
  const rows = rankCommunes(figures, query.indicator, {
    sort: query.sort,
    desc: query.desc,
    offTarget: query.offTarget,
  }).map((r) => ({ ...r, indicator: localizeIndicator(figures.plan, r.indicator, lang) }));
  const v: ProvinceView = {
    plan: figures.plan,
    window: { date, period: period.code },
    query,
    ind: provinceIndicator(figures, query.indicator, lang),
    rows,
    total: provinceTotal(figures, query.indicator),
    communes: figures.communes.length,
    met: all.filter((r) => r.indicator.met).length,
    previousDate: figures.previousDate,
    error,
  };
  const log = () =>
    c.var.log.info(
      {
        provinceMs: Math.round(figures.timings.ms),
        cached: figures.cached,
        totalMs: Math.round(performance.now() - started),
      },
      "province computed",
    );
  return { v, all, log };
}

provinceRoutes.get("/province", async (c) => {
  const viewer = requireViewer(c);
  const { v, log } = await provinceView(c, viewer);
  const res = await render(c, { title: c.var.t("province.title") }, (ctx) => <RankingPage ctx={ctx} v={v} />);
  log();
  return res;
});

provinceRoutes.get("/province/map", async (c) => {
  const viewer = requireViewer(c);
  const { v, all, log } = await provinceView(c, viewer);
  const classes = new Map<number, MapClass>();
  const areas: { code: string; cls: MapClass }[] = [];
  const notOnMap: string[] = [];
  const placed = placeOnMap(all.map((r) => r.commune));
  for (const r of all) {
    const cls = mapClassOf(r.indicator.code, r.indicator.value, r.indicator.target, r.indicator.met);
    classes.set(r.commune.id, cls);
    const shape = placed.get(r.commune.id);
    if (shape) areas.push({ code: shape, cls });
    else notOnMap.push(r.commune.name);
  }
  const svg = provinceMapSvg(areas);
  const res = await render(c, { title: c.var.t("province.map_title") }, (ctx) => (
    <MapPage ctx={ctx} v={v} svg={svg} classes={classes} notOnMap={notOnMap} />
  ));
  log();
  return res;
});

/** Every commune × indicator as rows: numbers as numbers, fractions 0–1, "no data" said as such. */
export function provinceRows(
  t: T,
  figures: ProvinceFigures,
  lang: "vi" | "en",
): { header: string[]; rows: Cell[][] } {
  const header = [
    t("province.col_code"),
    t("province.col_commune"),
    t("province.col_indicator_no"),
    t("province.col_indicator_code"),
    t("province.col_indicator"),
    t("province.col_rank"),
    t("province.col_numerator"),
    t("province.col_denominator"),
    t("province.col_value"),
    t("province.col_target"),
    t("province.col_met"),
    t("province.col_previous"),
    t("province.col_change"),
    t("province.col_no_data"),
    t("province.col_date"),
    t("province.col_period"),
  ];
  const rows: Cell[][] = [];
  for (const p of figures.plan.indicators) {
    const ind = localizeIndicator(figures.plan, { ...p }, lang);
    for (const r of rankCommunes(figures, p.code)) {
      const i = r.indicator;
      const before = r.change === null || i.value === null ? null : i.value - r.change;
      rows.push([
        r.commune.code,
        r.commune.name,
        p.id,
        p.code,
        ind.title,
        r.rank,
        r.noData ? null : (i.numerator ?? null),
        r.noData ? null : (i.denominator ?? null),
        i.value,
        i.target,
        i.met,
        before,
        r.change,
        i.value === null,
        figures.date,
        figures.period,
      ]);
    }
  }
  return { header, rows };
}

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

async function download(c: Context<AppEnv>, ext: "csv" | "xlsx") {
  const viewer = requireViewer(c);
  const { date, period } = await windowOf(c, { lenient: false });
  const figures = await loadProvinceFigures({ db: readDbOf(c), viewer, date, period });
  const t = c.var.t;
  const { header, rows } = provinceRows(t, figures, c.var.lang);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-province-"));
  const file = path.join(dir, `province.${ext}`);
  try {
    await writeRows(file, { header, sheetName: t("province.sheet_name") }, rows);
    c.header("Content-Disposition", `attachment; filename="bdhvs-toan-tinh-${period.code}-${date}.${ext}"`);
    return c.body(fs.readFileSync(file), 200, { "Content-Type": TYPES[ext] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

provinceRoutes.get("/province/export.csv", (c) => download(c, "csv"));
provinceRoutes.get("/province/export.xlsx", (c) => download(c, "xlsx"));

/** A commune's dashboard as the province sees it: its figures and trends, read-only. */
provinceRoutes.get("/province/communes/:code", async (c) => {
  const viewer = requireViewer(c);
  const db = readDbOf(c);
  const { date, period, error } = await windowOf(c, { lenient: true });
  const figures = await loadProvinceFigures({ db, viewer, date, period });
  const commune = communeOf(figures, c.req.param("code"));
  const plan = await planFor(db, commune.id);
  // The province's viewer, looking at this commune: the dashboard's figures are that commune's.
  const asCommune: Viewer = { ...viewer, communeId: commune.id, communeName: commune.name };
  const loaded = await loadDashboard({ db, viewer: asCommune, plan, date, period });
  const data = { ...loaded, table: localizeTable(loaded.table, plan, c.var.lang) };
  const t = c.var.t;
  return render(c, { title: t("province.commune_title", { commune: commune.name }) }, (ctx) => (
    <>
      <p class="no-print">
        <a href={`/province?date=${date}&period=${period.code}`}>{t("province.back")}</a>
      </p>
      <h1>{t("province.commune_title", { commune: commune.name })}</h1>
      <p class="notice">{t("province.commune_read_only", { commune: commune.name })}</p>
      <DashboardSection
        ctx={ctx}
        viewer={asCommune}
        plan={plan}
        data={data}
        window={{ date, period: period.code }}
        bar={
          (VILLAGE_CODES as readonly string[]).includes(c.req.query("bar") ?? "")
            ? (c.req.query("bar") as VillageCode)
            : "adult_skills"
        }
        action={`/province/communes/${encodeURIComponent(commune.code)}`}
        canVisitList={false}
        error={error}
        headingLevel={2}
        readOnly
      />
    </>
  ));
});
