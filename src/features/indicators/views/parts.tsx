/** Pieces the indicator pages share: the period picker, figures in words, the status and the cards. */

import { raw } from "hono/html";
import { formatDate, formatNumber, formatPercent, type Lang, type T } from "../../../lib/i18n/index.ts";
import { Button } from "../../../web/components.tsx";
import { HintedField, HintedInput } from "../../../web/kit/hinted-field.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { sparklineSvg } from "../charts.ts";
import { CEILING_INDICATORS, COUNT_INDICATORS, type IndicatorCode, type Plan } from "../plan.ts";
import type { IndicatorResult, Ratio } from "../service.ts";
import type { Trend } from "../trend.ts";

export type Window = { date: string; period: string };

/** Text a query string carries as it is (`URLSearchParams` leaves these characters unescaped). */
const FORM_SAFE = /^[A-Za-z0-9*\-._]*$/;

/** A value as `URLSearchParams` writes it; only text with other characters goes through one. */
const formValue = (v: string) => (FORM_SAFE.test(v) ? v : new URLSearchParams([["", v]]).toString().slice(1));

/**
 * The query string of a window plus more parameters (empty values left out), as `URLSearchParams`
 * writes it: a dashboard links each village's figure of each indicator, and making a
 * `URLSearchParams` for each link was ~4% of the server's CPU under load.
 */
export function qs(w: Window, more: Record<string, string | number | undefined> = {}): string {
  let date = String(w.date);
  let period = String(w.period);
  let rest = "";
  for (const k of Object.keys(more)) {
    const v = more[k];
    if (v === undefined || v === "") continue;
    if (k === "date") date = String(v);
    else if (k === "period") period = String(v);
    else if (FORM_SAFE.test(k)) rest += `&${k}=${formValue(String(v))}`;
    else return searchParams(w, more); // a name to escape: not met in our links
  }
  return `date=${formValue(date)}&period=${formValue(period)}${rest}`;
}

function searchParams(w: Window, more: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams({ date: w.date, period: w.period });
  for (const [k, v] of Object.entries(more)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p.toString();
}

export const drillHref = (code: IndicatorCode, w: Window, more: Record<string, string | undefined> = {}) =>
  `/indicators/${code}?${qs(w, more)}`;

type Noun = "people" | "households" | "villages" | "reports" | "activities" | "incidents";
/** What an indicator counts. */
export function nounOf(code: IndicatorCode): Noun {
  switch (code) {
    case "digital_households":
      return "households";
    case "village_propaganda":
    case "active_village_teams":
      return "villages";
    case "reports_on_time":
      return "reports";
    case "digital_learning_day":
      return "activities";
    case "security_incidents":
      return "incidents";
    default:
      return "people";
  }
}
export const noun = (t: T, code: IndicatorCode) => t(`dashboard.unit.${nounOf(code)}`);

export const isCountCode = (code: IndicatorCode) => COUNT_INDICATORS.includes(code);

/** "92,9 %", a count, or "Chưa có số liệu". */
export function valueText(t: T, lang: Lang, code: IndicatorCode, value: number | null): string {
  if (value === null) return t("dashboard.no_data");
  return isCountCode(code) ? formatNumber(lang, value) : formatPercent(lang, value, 1, { fixed: true });
}

export function fractionText(
  t: T,
  lang: Lang,
  code: IndicatorCode,
  f: { numerator: number; denominator: number },
) {
  return t("dashboard.fraction", {
    numerator: formatNumber(lang, f.numerator),
    denominator: formatNumber(lang, f.denominator),
    unit: noun(t, code),
  });
}

/** A figure in large print and its fraction ("13 / 14 người"); a bare count, with `countNoun`, its noun. */
export function FigureValue(p: {
  t: T;
  lang: Lang;
  code: IndicatorCode;
  value: number | null;
  fig: { numerator: number; denominator: number } | null | undefined;
  countNoun?: boolean;
}) {
  const { t, lang, code, value, fig } = p;
  return (
    <p class="ind-card__value">
      <span class={value === null ? "ind-card__big ind-card__big--none" : "ind-card__big"}>
        {valueText(t, lang, code, value)}
      </span>
      {fig && fig.denominator > 0 ? (
        <span class="ind-card__fraction">{fractionText(t, lang, code, fig)}</span>
      ) : p.countNoun && isCountCode(code) && value !== null ? (
        <span class="ind-card__fraction">{noun(t, code)}</span>
      ) : null}
    </p>
  );
}

export function targetText(t: T, lang: Lang, ind: Pick<IndicatorResult, "code" | "target" | "minimum">) {
  if (CEILING_INDICATORS.includes(ind.code))
    return t("dashboard.target_ceiling", { target: formatNumber(lang, ind.target) });
  if (isCountCode(ind.code))
    return t("dashboard.target_at_least", { target: formatNumber(lang, ind.target) });
  const target = formatPercent(lang, ind.target);
  return ind.minimum === undefined
    ? t("dashboard.target", { target })
    : t("dashboard.target_min", { target, minimum: formatPercent(lang, ind.minimum) });
}

/** Met / not met / no data: words and an icon, the colour only repeats them. */
export function Status(p: { t: T; value: number | null; met: boolean }) {
  if (p.value === null)
    return (
      <p class="ind-status ind-status--none">
        <span aria-hidden="true">○ </span>
        {p.t("dashboard.no_data")}
      </p>
    );
  return p.met ? (
    <p class="ind-status ind-status--met">
      <span aria-hidden="true">✓ </span>
      {p.t("dashboard.met")}
    </p>
  ) : (
    <p class="ind-status ind-status--not-met">
      <span aria-hidden="true">✗ </span>
      {p.t("dashboard.not_met")}
    </p>
  );
}

/** The figure against its target as a real <progress>, named, with the value written beside it. */
export function Progress(p: { t: T; lang: Lang; code: IndicatorCode; value: number | null; target: number }) {
  if (p.value === null || isCountCode(p.code)) return null;
  const share = p.target > 0 ? Math.min(1, p.value / p.target) : 1;
  return (
    <progress
      class="ind-progress"
      max={1000}
      value={Math.round(share * 1000)}
      aria-label={`${p.t("dashboard.progress_label")}: ${formatPercent(p.lang, share)}`}
    >
      {formatPercent(p.lang, share)}
    </progress>
  );
}

/** SPEC §3.2 in words: met, the forecast at the current pace, or no increase; and people per week. */
export function paceLines(
  t: T,
  lang: Lang,
  plan: Plan,
  date: string,
  ind: IndicatorResult,
  trend: Trend | undefined,
): string[] {
  // Without a figure at D there is no pace to speak of: the card already says "no data".
  if (!trend || trend.points.at(-1)?.value == null) return [];
  if (trend.met) return [t("dashboard.pace_met")];
  const lines: string[] = [];
  if (trend.pacePerMonth === null) lines.push(t("dashboard.pace_unknown"));
  else if (trend.pacePerMonth <= 0 || !trend.reachDate) lines.push(t("dashboard.pace_flat"));
  else {
    const digits = Math.abs(trend.pacePerMonth) < 0.1 ? 2 : 1;
    const pace = formatNumber(lang, trend.pacePerMonth, { digits, sign: true });
    // A date decades away says less than "not within the plan's horizon".
    const far = Number(trend.reachDate.slice(0, 4)) > Number(plan.endDate.slice(0, 4)) + 10;
    lines.push(
      far
        ? t("dashboard.pace_too_slow", { pace })
        : t("dashboard.pace_forecast", { pace, date: formatDate(lang, trend.reachDate) }),
    );
  }
  if (trend.perWeek !== null && trend.perWeek > 0) {
    const ended = date >= plan.endDate;
    lines.push(
      ended
        ? t("dashboard.still_missing", {
            count: formatNumber(lang, trend.missing ?? trend.perWeek),
            unit: noun(t, ind.code),
            date: formatDate(lang, plan.endDate),
          })
        : t("dashboard.per_week", {
            count: formatNumber(lang, trend.perWeek),
            unit: noun(t, ind.code),
            date: formatDate(lang, plan.endDate),
          }),
    );
  }
  return lines;
}

/** A trend's month-end line as an inline SVG (role img, summarised) and the same points as a hidden table. */
export function Sparkline(p: { t: T; lang: Lang; ind: IndicatorResult; trend: Trend }) {
  const { t, lang, ind, trend } = p;
  const pts = trend.points;
  if (pts.length < 2 || pts.every((pt) => pt.value === null)) return null;
  const v = (x: number | null) =>
    x === null ? t("dashboard.no_data") : formatPercent(lang, x, 1, { fixed: true });
  const label = t("dashboard.spark_label", {
    from: formatDate(lang, pts[0]!.date),
    to: formatDate(lang, pts.at(-1)!.date),
    first: v(pts[0]!.value),
    last: v(pts.at(-1)!.value),
    target: formatPercent(lang, ind.target),
  });
  return (
    <div class="ind-spark">
      <div class="ind-spark__svg" role="img" aria-label={label}>
        {/* The SVG ECharts drew from our numbers alone (no user text): see charts.ts. */}
        {raw(sparklineSvg(pts, ind.target))}
      </div>
      <div class="visually-hidden">
        <table>
          <caption>{t("dashboard.spark_caption", { title: ind.title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.spark_col_date")}</th>
              <th scope="col">{t("dashboard.spark_col_value")}</th>
            </tr>
          </thead>
          <tbody>
            {pts.map((pt) => (
              <tr>
                <td>{formatDate(lang, pt.date)}</td>
                <td>{v(pt.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** One indicator as a card: figure, target, progress, status, trend, pace; its title links to the drill-down. */
export function IndicatorCard(p: {
  ctx: PageCtx;
  plan: Plan;
  ind: IndicatorResult;
  figure?: Ratio | null;
  trend?: Trend | undefined;
  href: string;
  /** The reference date D. */
  date: string;
  headingLevel?: 2 | 3;
}) {
  const { t, lang } = p.ctx;
  const { ind } = p;
  const fig =
    p.figure === undefined
      ? ind.numerator === undefined
        ? null
        : { numerator: ind.numerator, denominator: ind.denominator ?? 0, value: ind.value }
      : p.figure;
  const value = p.figure === undefined ? ind.value : (p.figure?.value ?? null);
  const met =
    p.figure === undefined
      ? ind.met
      : value !== null && (CEILING_INDICATORS.includes(ind.code) ? value <= ind.target : value >= ind.target);
  const state = value === null ? "none" : met ? "met" : "not-met";
  const Heading = p.headingLevel === 2 ? "h2" : "h3";
  const pace = paceLines(t, lang, p.plan, p.date, ind, p.trend);
  return (
    <li class={`ind-card ind-card--${state}`} id={`ind-${ind.code}`}>
      <Heading class="ind-card__title">
        <a href={p.href}>
          <span class="ind-card__no">{ind.id}.</span> {ind.title}
        </a>
      </Heading>
      <FigureValue t={t} lang={lang} code={ind.code} value={value} fig={fig} countNoun />
      <Progress t={t} lang={lang} code={ind.code} value={value} target={ind.target} />
      <p class="ind-card__target">{targetText(t, lang, ind)}</p>
      <Status t={t} value={value} met={met} />
      {p.trend ? <Sparkline t={t} lang={lang} ind={ind} trend={p.trend} /> : null}
      {pace.length > 0 ? (
        <ul class="ind-card__pace">
          {pace.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      ) : null}
      <p class="ind-card__responsible">{t("dashboard.responsible", { unit: ind.responsible })}</p>
    </li>
  );
}

/** The period options of a year: the year, its quarters, its months. */
function periodOptions(t: T, year: number) {
  const quarters = [1, 2, 3, 4].map((q) => ({
    value: `${year}-Q${q}`,
    label: t("dashboard.period_quarter", { q, year }),
  }));
  const months = Array.from({ length: 12 }, (_, i) => {
    const m = String(i + 1).padStart(2, "0");
    return { value: `${year}-${m}`, label: t("dashboard.period_month", { m, year }) };
  });
  return { year: { value: String(year), label: t("dashboard.period_year", { year }) }, quarters, months };
}

/** A GET form: the period (year, quarter or month) and the reference date; works without JavaScript. */
export function PeriodPicker(p: {
  ctx: PageCtx;
  plan: Plan;
  window: Window;
  action: string;
  hidden?: Record<string, string | undefined>;
}) {
  const { t } = p.ctx;
  const years = [...new Set([p.plan.year, Number(p.window.period.slice(0, 4))])].sort();
  return (
    <form method="get" action={p.action} class="filters period-picker no-print">
      {Object.entries(p.hidden ?? {}).map(([k, v]) =>
        v ? <input type="hidden" name={k} value={v} /> : null,
      )}
      <HintedField name="period" label={t("dashboard.period_label")}>
        <select class="select" id="f-period" name="period">
          {years.map((y) => {
            const o = periodOptions(t, y);
            return (
              <>
                <option value={o.year.value} selected={p.window.period === o.year.value}>
                  {o.year.label}
                </option>
                {(["quarters", "months"] as const).map((g) => (
                  <optgroup label={`${t(`dashboard.period_group_${g}`)} ${y}`}>
                    {o[g].map((x) => (
                      <option value={x.value} selected={p.window.period === x.value}>
                        {x.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </>
            );
          })}
        </select>
      </HintedField>
      <HintedInput
        name="date"
        label={t("dashboard.date_label")}
        hint={t("dashboard.date_hint")}
        class="input input--date"
        type="date"
        value={p.window.date}
      />
      <Button variant="secondary">{t("dashboard.show")}</Button>
    </form>
  );
}

/** "Kỳ 2026-Q2, tính đến ngày 15/06/2026." */
export function asOfText(t: T, lang: Lang, w: Window) {
  return t("dashboard.as_of", { period: periodLabel(t, w.period), date: formatDate(lang, w.date) });
}

export function periodLabel(t: T, code: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(code);
  if (q) return t("dashboard.period_quarter", { q: q[2]!, year: q[1]! });
  const m = /^(\d{4})-(\d{2})$/.exec(code);
  if (m) return t("dashboard.period_month", { m: m[2]!, year: m[1]! });
  return t("dashboard.period_year", { year: code });
}

/** The window (date, period) a GET form keeps while it changes something else. */
export function WindowHidden(p: { window: Window }) {
  return (
    <>
      <input type="hidden" name="date" value={p.window.date} />
      <input type="hidden" name="period" value={p.window.period} />
    </>
  );
}

/** A date or period that could not be used: said first, the page showing the defaults instead. */
export function WindowError(p: { t: T; error: string | undefined }) {
  if (!p.error) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2 class="error-summary__title">{p.t("common.error_summary")}</h2>
      <p>
        <a href="#f-date">{p.error}</a>
      </p>
    </div>
  );
}
