/** The dashboard (SPEC §7): the 12 indicator cards, the village × indicator table and a bar chart. */

import { raw } from "hono/html";
import { formatPercent } from "../../../lib/i18n/index.ts";
import { Button } from "../../../web/components.tsx";
import { HintedField } from "../../../web/kit/hinted-field.tsx";
import { labelTableCells } from "../../../web/kit/stacked-table.ts";
import { type Column, ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { Viewer } from "../../auth/viewer.ts";
import type { MarketFigures } from "../../markets/service.ts";
import { MarketFiguresCard } from "../../markets/views/figures.tsx";
import type { VillageRow } from "../../villages/repo.ts";
import { villageBarsSvg } from "../charts.ts";
import { type DashboardData, seesVillage, VILLAGE_CODES } from "../dashboard.ts";
import type { IndicatorCode, Plan } from "../plan.ts";
import type { IndicatorResult, Ratio } from "../service.ts";
import {
  asOfText,
  drillHref,
  IndicatorCard,
  PeriodPicker,
  qs,
  type Window,
  WindowError,
  WindowHidden,
} from "./parts.tsx";

export type VillageCode = (typeof VILLAGE_CODES)[number];
const YES_NO: readonly IndicatorCode[] = ["village_propaganda", "active_village_teams"];

/** Heat class 0–4 of a village's figure against the target ("none" without data). */
export function heatOf(value: number | null, target: number): string {
  if (value === null) return "none";
  const r = target > 0 ? value / target : 1;
  return r >= 1 ? "4" : r >= 0.8 ? "3" : r >= 0.5 ? "2" : r >= 0.25 ? "1" : "0";
}

function cellText(ctx: PageCtx, code: IndicatorCode, r: Ratio | undefined, target: number) {
  const { t, lang } = ctx;
  if (!r || r.value === null) return t("dashboard.no_data");
  if (YES_NO.includes(code)) return r.value >= 1 ? `✓ ${t("common.yes")}` : t("common.no");
  return `${r.value >= target ? "✓ " : ""}${formatPercent(lang, r.value, 1, { fixed: true })}`;
}

export function DashboardSection(p: {
  ctx: PageCtx;
  viewer: Viewer;
  plan: Plan;
  data: DashboardData;
  window: Window;
  bar: VillageCode;
  action: string;
  canVisitList: boolean;
  error?: string | undefined;
  headingLevel: 1 | 2;
  /** "Chợ số" figures, shown beside indicator 10 (issue 19.3), for viewers who read markets. */
  markets?: MarketFigures | undefined;
  /**
   * Another commune's dashboard seen by the province: no downloads and no links into the
   * drill-downs (those pages are the viewer's own commune's), the figures and trends only.
   */
  readOnly?: boolean;
}) {
  const { ctx, data, window: w, plan } = p;
  const { t, lang } = ctx;
  const Heading = p.headingLevel === 1 ? "h1" : "h2";
  const byCode = new Map(data.table.indicators.map((i) => [i.code, i]));
  const villageInds = VILLAGE_CODES.map((c) => byCode.get(c)).filter((i): i is IndicatorResult => !!i);
  const barInd = byCode.get(p.bar) ?? villageInds[0];
  return (
    <section class="dashboard" aria-labelledby="dashboard-heading">
      <Heading id="dashboard-heading">{t("dashboard.heading")}</Heading>
      <WindowError t={t} error={p.error} />
      <p class="lead">{asOfText(t, lang, w)}</p>
      <PeriodPicker ctx={ctx} plan={plan} window={w} action={p.action} hidden={{ bar: p.bar }} />
      {p.readOnly ? null : (
        <p class="dashboard__downloads no-print">
          <a class="button button--secondary" href={`/indicators/export.xlsx?${qs(w)}`} download>
            {t("dashboard.download_xlsx")}
          </a>{" "}
          <a class="button button--secondary" href={`/indicators/export.csv?${qs(w)}`} download>
            {t("dashboard.download_csv")}
          </a>
        </p>
      )}
      <ul class="ind-cards" aria-label={t("dashboard.cards_label")}>
        {data.table.indicators
          .map((ind) => (
            <IndicatorCard
              ctx={ctx}
              plan={plan}
              ind={ind}
              trend={data.trends.get(ind.code)}
              href={p.readOnly ? `#ind-${ind.code}` : drillHref(ind.code, w)}
              date={w.date}
            />
          ))
          .flatMap((card, i) =>
            data.table.indicators[i]!.code === "digital_households" && p.markets
              ? [card, <MarketFiguresCard ctx={ctx} figures={p.markets} linkMarkets />]
              : [card],
          )}
      </ul>

      <h2 id="villages-heading">{t("dashboard.villages_heading")}</h2>
      {data.villages.length === 0 ? (
        <p>{t("dashboard.no_villages")}</p>
      ) : (
        <>
          <p>{t("dashboard.villages_intro")}</p>
          <VillageTable
            ctx={ctx}
            viewer={p.viewer}
            villages={data.villages}
            inds={villageInds}
            window={w}
            canVisitList={p.canVisitList}
            links={!p.readOnly}
          />
          <HeatLegend ctx={ctx} />
          {barInd ? (
            <VillageChart ctx={ctx} ind={barInd} villages={data.villages} window={w} action={p.action} />
          ) : null}
        </>
      )}
    </section>
  );
}

/** Sections drawn, by the kept figures they draw and the market figures beside them. */
const drawnSections = new WeakMap<object, WeakMap<object, Map<string, string>>>();
const NO_MARKETS = {};
/** Sections kept per figures: one per role, scope, language and choice of the page, the oldest dropped. */
const MAX_DRAWN_SECTIONS = 64;

/**
 * `DashboardSection` drawn once per kept figures (`kept`: the table of `cache.ts knownFigures`, the
 * same object until a write its families read computes another; the trends and villages are kept
 * with it, the plan is in its key) and market figures (kept by their own version), and per what
 * the drawing adds: the language, the role, the scope (which villages link to their lists), the
 * window, the chosen bar chart, the window's error, the links. The HTML is dropped with the figures.
 */
export function KeptDashboardSection(p: Parameters<typeof DashboardSection>[0] & { kept: object }) {
  const { kept, ...props } = p;
  let byMarkets = drawnSections.get(kept);
  if (!byMarkets) {
    byMarkets = new WeakMap();
    drawnSections.set(kept, byMarkets);
  }
  const markets = props.markets ?? NO_MARKETS;
  let drawn = byMarkets.get(markets);
  if (!drawn) {
    drawn = new Map();
    byMarkets.set(markets, drawn);
  }
  const key = JSON.stringify({
    lang: props.ctx.lang,
    role: props.viewer.role,
    scope: props.viewer.scope,
    window: props.window,
    bar: props.bar,
    error: props.error ?? null,
    action: props.action,
    canVisitList: props.canVisitList,
    headingLevel: props.headingLevel,
    readOnly: props.readOnly ?? false,
  });
  const hit = drawn.get(key);
  if (hit !== undefined) return raw(hit);
  const html: unknown = (<DashboardSection {...props} />).toString();
  if (html instanceof Promise) return <DashboardSection {...props} />;
  const labelled = labelTableCells(String(html));
  drawn.set(key, labelled);
  while (drawn.size > MAX_DRAWN_SECTIONS) drawn.delete(drawn.keys().next().value!);
  return raw(labelled);
}

function VillageTable(p: {
  ctx: PageCtx;
  viewer: Viewer;
  villages: VillageRow[];
  inds: IndicatorResult[];
  window: Window;
  canVisitList: boolean;
  links: boolean;
}) {
  const { t } = p.ctx;
  return (
    <ListTable
      caption={t("dashboard.villages_caption")}
      captionId="villages-caption"
      region="villages-caption"
      class="heat-table"
      rows={p.villages}
      firstCellIsHeader
      columns={[
        {
          head: t("dashboard.col_village"),
          cell: (v) => (
            <>
              {v.name}
              {seesVillage(p.viewer, v.id) && p.canVisitList ? (
                <>
                  <br />
                  <a class="heat-table__visit" href={`/villages/${v.id}/visit-next`}>
                    {t("dashboard.visit_next")}
                  </a>
                </>
              ) : null}
            </>
          ),
        },
        ...p.inds.map((ind): Column<VillageRow> => {
          const short = (
            <>
              <span class="heat-table__no">{ind.id}.</span> {t(`dashboard.short.${ind.code}`)}
            </>
          );
          return {
            head: p.links ? <a href={drillHref(ind.code, p.window)}>{short}</a> : short,
            class: (v) => `heat heat--${heatOf(ind.byVillage?.[v.code]?.value ?? null, ind.target)}`,
            cell: (v) => {
              const text = cellText(p.ctx, ind.code, ind.byVillage?.[v.code], ind.target);
              const href = YES_NO.includes(ind.code)
                ? `${drillHref(ind.code, p.window)}#v-${encodeURIComponent(v.code)}`
                : drillHref(ind.code, p.window, { village: v.code });
              return seesVillage(p.viewer, v.id) && p.links ? <a href={href}>{text}</a> : text;
            },
          };
        }),
      ]}
    />
  );
}

function HeatLegend(p: { ctx: PageCtx }) {
  const { t } = p.ctx;
  const keys = ["4", "3", "2", "1", "0", "none"] as const;
  return (
    <div class="heat-legend">
      <p class="heat-legend__title">{t("dashboard.legend")}</p>
      <ul>
        {keys.map((k) => (
          <li>
            <span class={`heat-legend__swatch heat heat--${k}`} aria-hidden="true" />
            {t(`dashboard.heat_${k}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function VillageChart(p: {
  ctx: PageCtx;
  ind: IndicatorResult;
  villages: VillageRow[];
  window: Window;
  action: string;
}) {
  const { t, lang } = p.ctx;
  const { ind } = p;
  const rows = p.villages.map((v) => {
    const r = ind.byVillage?.[v.code];
    return {
      label: v.name,
      value: r?.value ?? null,
      text: cellText(p.ctx, ind.code, r, ind.target).replace(/^✓ /, ""),
    };
  });
  const label = t("dashboard.chart_label", { title: ind.title, target: formatPercent(lang, ind.target) });
  return (
    <section class="village-chart" id="chart" aria-labelledby="chart-heading">
      <h2 id="chart-heading">{t("dashboard.chart_heading")}</h2>
      <form method="get" action={`${p.action}#chart`} class="filters no-print">
        <WindowHidden window={p.window} />
        <HintedField name="bar" label={t("dashboard.chart_pick")}>
          <select class="select" id="f-bar" name="bar">
            {VILLAGE_CODES.map((c) => (
              <option value={c} selected={c === ind.code}>
                {t(`dashboard.short.${c}`)}
              </option>
            ))}
          </select>
        </HintedField>
        <Button variant="secondary">{t("dashboard.show")}</Button>
      </form>
      <h3 class="village-chart__title">
        {ind.id}. {ind.title}
      </h3>
      <div class="village-chart__svg" role="img" aria-label={label}>
        {/* ECharts escapes the village names it draws (charts.ts); the rest are our numbers. */}
        {/* Drawn twice: for a wide screen, and at a phone's width so its labels stay 12 px (CSS shows one). */}
        <div class="village-chart__svg--wide">{raw(villageBarsSvg(rows, ind.target))}</div>
        <div class="village-chart__svg--phone">{raw(villageBarsSvg(rows, ind.target, 328, 96))}</div>
      </div>
      <details class="village-chart__table">
        <summary>{t("dashboard.chart_table")}</summary>
        <ListTable
          caption={label}
          class="table--compact"
          wrap={false}
          rows={rows}
          firstCellIsHeader
          columns={[
            { head: t("dashboard.col_village"), cell: (r) => r.label },
            { head: t("dashboard.col_value"), cell: (r) => r.text },
          ]}
        />
      </details>
    </section>
  );
}
