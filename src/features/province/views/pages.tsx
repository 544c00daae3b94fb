/** The province's pages (issue 18.2): the ranking of the communes and the map, with the same figures as a table. */

import { raw } from "hono/html";
import { formatDate, formatNumber, type Lang, type T } from "../../../lib/i18n/index.ts";
import { Button } from "../../../web/components.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { IndicatorCode, Plan } from "../../indicators/plan.ts";
import type { IndicatorResult } from "../../indicators/service.ts";
import {
  asOfText,
  fractionText,
  isCountCode,
  PeriodPicker,
  qs,
  targetText,
  valueText,
  type Window,
  WindowError,
} from "../../indicators/views/parts.tsx";
import { MAP_ATTRIBUTION, type MapClass } from "../map.ts";
import type { CommuneFigure, ProvinceTotals, RankingSort } from "../service.ts";

export type RankingQuery = { indicator: IndicatorCode; sort: RankingSort; desc: boolean; offTarget: boolean };

const SORTS: readonly RankingSort[] = ["rank", "name", "value", "change"];

/** The query string of a province page: window, indicator, sort, filter. */
export function provinceQs(w: Window, q: RankingQuery, more: Record<string, string | undefined> = {}) {
  return qs(w, {
    indicator: q.indicator,
    ...(q.sort === "rank" ? {} : { sort: q.sort }),
    ...(q.desc ? { desc: "1" } : {}),
    ...(q.offTarget ? { off: "1" } : {}),
    ...more,
  });
}

/** A change over the month: "+2,5 điểm %" for a ratio, "+1" for a count; "—" without both values. */
export function changeText(lang: Lang, code: IndicatorCode, change: number | null): string {
  if (change === null) return "—";
  if (isCountCode(code)) return formatNumber(lang, change, { sign: true });
  const points = formatNumber(lang, Math.round(change * 1000) / 10, { digits: 1, sign: true });
  return lang === "vi" ? `${points} điểm %` : `${points} pts`;
}

function IndicatorPicker(p: {
  ctx: PageCtx;
  plan: Plan;
  window: Window;
  query: RankingQuery;
  action: string;
}) {
  const { t } = p.ctx;
  const { query: q } = p;
  return (
    <form method="get" action={p.action} class="filters no-print">
      <input type="hidden" name="date" value={p.window.date} />
      <input type="hidden" name="period" value={p.window.period} />
      <div class="field">
        <label class="field__label" for="f-indicator">
          {t("province.pick_indicator")}
        </label>
        <select class="select" id="f-indicator" name="indicator">
          {p.plan.indicators.map((i) => (
            <option value={i.code} selected={i.code === q.indicator}>
              {i.id}. {t(`dashboard.short.${i.code}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label class="field__label" for="f-sort">
          {t("province.sort")}
        </label>
        <select class="select" id="f-sort" name="sort">
          {SORTS.map((s) => (
            <option value={s} selected={s === q.sort}>
              {t(`province.sort_${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field checkboxes">
        <div class="checkbox">
          <input class="checkbox__input" type="checkbox" id="f-desc" name="desc" value="1" checked={q.desc} />
          <label class="checkbox__label" for="f-desc">
            {t("province.desc")}
          </label>
        </div>
        <div class="checkbox">
          <input
            class="checkbox__input"
            type="checkbox"
            id="f-off"
            name="off"
            value="1"
            checked={q.offTarget}
          />
          <label class="checkbox__label" for="f-off">
            {t("province.off_target")}
          </label>
        </div>
      </div>
      <Button variant="secondary">{t("province.show")}</Button>
    </form>
  );
}

function Summary(p: {
  t: T;
  lang: Lang;
  ind: IndicatorResult;
  total: ProvinceTotals;
  rows: CommuneFigure[];
}) {
  const { t, lang, ind, total } = p;
  const value = valueText(t, lang, ind.code, total.value);
  const text =
    total.denominator !== undefined && total.denominator > 0
      ? t("province.total_fraction", {
          value,
          fraction: fractionText(t, lang, ind.code, {
            numerator: total.numerator ?? 0,
            denominator: total.denominator,
          }),
        })
      : t("province.total", { value });
  return (
    <div class="province-summary">
      <p class="province-summary__total">
        <strong>{text}</strong> {targetText(t, lang, ind)}.
      </p>
    </div>
  );
}

/** The ranking on one indicator: rank, commune (its dashboard), value, fraction, met, change. */
export function RankingTable(p: {
  ctx: PageCtx;
  /** The communes' figures for one indicator, in the window they were read for. */
  v: Pick<ProvinceView, "ind" | "rows" | "window">;
  /** The caption, naming the indicator by its number and title. */
  caption: "province.caption" | "province.map_caption";
  /** The commune's name links to its read-only dashboard. */
  links: boolean;
  classes?: Map<number, MapClass>;
}) {
  const { t, lang } = p.ctx;
  return (
    <ListTable
      caption={t(p.caption, { no: p.v.ind.id, title: p.v.ind.title })}
      captionHidden={false}
      captionId="ranking-caption"
      region="ranking-caption"
      class="province-table"
      rows={p.v.rows}
      rowClass={(r) => `province-row province-row--${stateOf(r.indicator)}`}
      rowAttrs={(r) => ({ "data-commune": r.commune.code })}
      columns={[
        {
          head: t("province.col_rank"),
          headClass: "table__num",
          class: "table__num",
          cell: (r) => r.rank ?? "—",
        },
        {
          head: t("province.col_commune"),
          rowHeader: true,
          cell: (r) => (
            <>
              {p.classes ? (
                <span
                  class={`map-swatch map-swatch--${p.classes.get(r.commune.id) ?? "absent"}`}
                  aria-hidden="true"
                />
              ) : null}
              {p.links ? (
                <a href={`/province/communes/${encodeURIComponent(r.commune.code)}?${qs(p.v.window)}`}>
                  {r.commune.name}
                </a>
              ) : (
                r.commune.name
              )}
            </>
          ),
        },
        {
          head: t("province.col_value"),
          headClass: "table__num",
          class: "table__num",
          cell: (r) =>
            r.noData ? t("province.no_data") : valueText(t, lang, r.indicator.code, r.indicator.value),
        },
        {
          head: t("province.col_fraction"),
          headClass: "table__num",
          class: "table__num",
          cell: ({ indicator: i, noData }) =>
            i.numerator !== undefined && !noData
              ? `${formatNumber(lang, i.numerator)}/${formatNumber(lang, i.denominator ?? 0)}`
              : "—",
        },
        {
          head: t("province.col_met"),
          cell: ({ indicator: i }) =>
            i.value === null ? (
              <span class="ind-status--none">○ {t("province.no_data")}</span>
            ) : i.met ? (
              <span class="ind-status--met">✓ {t("province.yes")}</span>
            ) : (
              <span class="ind-status--not-met">✗ {t("province.no")}</span>
            ),
        },
        {
          head: t("province.col_change"),
          headClass: "table__num",
          class: "table__num",
          cell: (r) => changeText(lang, r.indicator.code, r.change),
        },
      ]}
    />
  );
}

/** A commune's row state: no figure yet, met, or not met. */
const stateOf = (i: CommuneFigure["indicator"]) => (i.value === null ? "none" : i.met ? "met" : "not-met");

export type ProvinceView = {
  plan: Plan;
  window: Window;
  query: RankingQuery;
  ind: IndicatorResult;
  rows: CommuneFigure[];
  total: ProvinceTotals;
  communes: number;
  met: number;
  previousDate: string;
  error?: string | undefined;
};

function Downloads(p: { t: T; window: Window }) {
  const q = qs(p.window);
  return (
    <p class="dashboard__downloads no-print">
      <a class="button button--secondary" href={`/province/export.xlsx?${q}`} download>
        {p.t("province.download_xlsx")}
      </a>{" "}
      <a class="button button--secondary" href={`/province/export.csv?${q}`} download>
        {p.t("province.download_csv")}
      </a>
    </p>
  );
}

function Head(p: {
  ctx: PageCtx;
  v: ProvinceView;
  action: string;
  heading: string;
  other: "map" | "ranking";
}) {
  const { t, lang } = p.ctx;
  const { v } = p;
  return (
    <>
      <h1>{p.heading}</h1>
      <WindowError t={t} error={v.error} />
      <p class="lead">{asOfText(t, lang, v.window)}</p>
      <p>{t("province.intro", { count: v.communes })}</p>
      <PeriodPicker
        ctx={p.ctx}
        plan={v.plan}
        window={v.window}
        action={p.action}
        hidden={{
          indicator: v.query.indicator,
          sort: v.query.sort === "rank" ? undefined : v.query.sort,
          desc: v.query.desc ? "1" : undefined,
          off: v.query.offTarget ? "1" : undefined,
        }}
      />
      <IndicatorPicker ctx={p.ctx} plan={v.plan} window={v.window} query={v.query} action={p.action} />
      <p class="no-print">
        {p.other === "map" ? (
          <a href={`/province/map?${provinceQs(v.window, v.query)}`}>{t("province.to_map")}</a>
        ) : (
          <a href={`/province?${provinceQs(v.window, v.query)}`}>{t("province.to_ranking")}</a>
        )}
      </p>
      <Downloads t={t} window={v.window} />
      <h2>
        {v.ind.id}. {v.ind.title}
      </h2>
      <Summary t={t} lang={lang} ind={v.ind} total={v.total} rows={v.rows} />
      <p>
        {t("province.met_count", { met: v.met, count: v.communes })}{" "}
        {t("province.change_since", { date: formatDate(lang, v.previousDate) })}
      </p>
    </>
  );
}

export function RankingPage(p: { ctx: PageCtx; v: ProvinceView }) {
  const { t } = p.ctx;
  const { v } = p;
  return (
    <section class="province" aria-labelledby="province-heading">
      <Head ctx={p.ctx} v={v} action="/province" heading={t("province.heading")} other="map" />
      {v.communes === 0 ? (
        <p>{t("province.no_communes")}</p>
      ) : v.rows.length === 0 ? (
        <p>{t("province.none_off_target")}</p>
      ) : (
        <RankingTable ctx={p.ctx} v={v} caption="province.caption" links />
      )}
    </section>
  );
}

const LEGEND: readonly MapClass[] = ["4", "3", "2", "1", "0", "none", "absent"];

export function MapPage(p: {
  ctx: PageCtx;
  v: ProvinceView;
  svg: string;
  classes: Map<number, MapClass>;
  notOnMap: string[];
}) {
  const { t } = p.ctx;
  const { v } = p;
  const label = t("province.map_label", { no: v.ind.id, title: v.ind.title });
  return (
    <section class="province" aria-labelledby="province-heading">
      <Head ctx={p.ctx} v={v} action="/province/map" heading={t("province.map_heading")} other="ranking" />
      <figure class="province-map">
        <div class="province-map__svg" role="img" aria-label={label}>
          {/* Our own drawing (map.ts): shapes and colours, no text from the data. */}
          {raw(p.svg)}
        </div>
        <figcaption>
          <div class="heat-legend">
            <p class="heat-legend__title">{t("dashboard.legend")}</p>
            <ul>
              {LEGEND.map((k) => (
                <li>
                  <span class={`heat-legend__swatch map-swatch--${k}`} aria-hidden="true" />
                  {k === "absent"
                    ? t("province.map_absent")
                    : k === "none"
                      ? t("province.map_none")
                      : t(`dashboard.heat_${k}`)}
                </li>
              ))}
            </ul>
          </div>
          <p class="province-map__attribution">
            {t("province.attribution", { source: MAP_ATTRIBUTION.text, license: MAP_ATTRIBUTION.license })}{" "}
            <a href={MAP_ATTRIBUTION.href}>{MAP_ATTRIBUTION.href}</a>
          </p>
        </figcaption>
      </figure>
      {p.notOnMap.length > 0 ? <p>{t("province.not_on_map", { names: p.notOnMap.join(", ") })}</p> : null}
      <h2 id="map-table">{t("province.map_table")}</h2>
      <RankingTable ctx={p.ctx} v={v} caption="province.map_caption" links classes={p.classes} />
    </section>
  );
}
