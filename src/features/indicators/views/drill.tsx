/** An indicator's drill-down page: the figure, then who (or what) stands behind it. */
import { formatDate, formatNumber, type Lang, type T } from "../../../lib/i18n/index.ts";
import { Button, FilterSelect, Pagination } from "../../../web/components.tsx";
import { type Column, ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { ResidentItem } from "../../residents/service.ts";
import type { Detail, DrillPage } from "../dashboard.ts";
import type { Plan } from "../plan.ts";
import type { HouseholdDrillRow } from "../repo.ts";
import {
  asOfText,
  drillHref,
  FigureValue,
  noun,
  PeriodPicker,
  qs,
  Status,
  targetText,
  type Window,
  WindowHidden,
} from "./parts.tsx";

export function DrillPageView(p: {
  ctx: PageCtx;
  plan: Plan;
  data: DrillPage;
  window: Window;
  counted: boolean;
  page: number;
  pageSize: number;
  /** The print version: the whole list, without filters, tabs or paging. */
  print?: boolean;
  /** The viewer may download the list (export.run). */
  canExport?: boolean;
  /** The period's first day (the start of the windows of 6, 7, 11 and 12). */
  periodStart: string;
}) {
  const { ctx, data, window: w } = p;
  const { t, lang } = ctx;
  const ind = data.indicator;
  const scope =
    data.figureOf === "village" && data.village
      ? t("drill.scope_village", { name: data.village.name })
      : data.figureOf === "unit" && data.unit
        ? t("drill.scope_unit", { name: data.unit.name })
        : t("drill.scope_all");
  const fig = data.figure;
  const value = data.figureOf === "all" ? ind.value : (fig?.value ?? null);
  const met = data.figureOf === "all" ? ind.met : value !== null && value >= ind.target;
  const filters = { village: data.village?.code, unit: data.unit?.code };
  const show = p.counted ? "counted" : "missing";
  const here = `/indicators/${ind.code}`;
  return (
    <div class="drill">
      <p class="no-print">
        <a href={`/indicators?${qs(w)}#ind-${ind.code}`}>{t("drill.back")}</a>
      </p>
      <h1>{t("drill.title", { id: ind.id, title: ind.title })}</h1>
      <p class="lead">{asOfText(t, lang, w)}</p>
      {p.print ? null : (
        <PeriodPicker ctx={ctx} plan={p.plan} window={w} action={here} hidden={{ ...filters, show }} />
      )}
      <section class="drill__figure" aria-labelledby="figure-heading">
        <h2 id="figure-heading">{t("drill.figure_of", { scope })}</h2>
        <FigureValue t={t} lang={lang} code={ind.code} value={value} fig={fig} />
        <p class="ind-card__target">{targetText(t, lang, ind)}</p>
        <Status t={t} value={value} met={met} />
      </section>
      {data.drill ? (
        <>
          {p.print ? null : <Filters ctx={ctx} data={data} window={w} show={show} action={here} />}
          <ListActions
            ctx={ctx}
            print={!!p.print}
            canExport={!!p.canExport && data.drill.total > 0}
            href={(more) => drillHref(ind.code, w, { ...filters, show, ...more })}
            exportHref={(ext) => `/indicators/${ind.code}/export.${ext}?${qs(w, { ...filters, show })}`}
          />
          <nav class={`tabs${p.print ? " no-print" : ""}`} aria-label={t("drill.tabs_label")}>
            <ul>
              <li>
                <a
                  class="tabs__link"
                  href={drillHref(ind.code, w, { ...filters, show: "missing" })}
                  aria-current={p.counted ? undefined : "page"}
                >
                  {t("drill.tab_missing")}
                </a>
              </li>
              <li>
                <a
                  class="tabs__link"
                  href={drillHref(ind.code, w, { ...filters, show: "counted" })}
                  aria-current={p.counted ? "page" : undefined}
                >
                  {t("drill.tab_counted")}
                </a>
              </li>
            </ul>
          </nav>
          <p class="drill__total">
            <strong>
              {t("drill.list_total", {
                total: formatNumber(lang, data.drill.total),
                unit: noun(t, ind.code),
              })}
            </strong>
          </p>
          {data.drill.total === 0 ? (
            <p>{p.counted ? t("drill.none_counted") : t("drill.none_missing")}</p>
          ) : data.drill.kind === "residents" ? (
            <ResidentTable
              t={t}
              caption={t(p.counted ? "drill.list_caption_counted" : "drill.list_caption_missing", {
                title: ind.title,
              })}
              items={data.drill.items}
              poor={data.poor ?? new Set()}
              startAt={(p.page - 1) * p.pageSize}
            />
          ) : (
            <HouseholdTable
              t={t}
              caption={t(p.counted ? "drill.list_caption_counted" : "drill.list_caption_missing", {
                title: ind.title,
              })}
              items={data.drill.items}
              startAt={(p.page - 1) * p.pageSize}
            />
          )}
          {p.print ? (
            data.drill.total > data.drill.items.length ? (
              <p>
                {t("drill.print_capped", {
                  shown: formatNumber(lang, data.drill.items.length),
                  total: formatNumber(lang, data.drill.total),
                })}
              </p>
            ) : null
          ) : (
            <Pagination
              t={t}
              page={p.page}
              pageSize={p.pageSize}
              total={data.drill.total}
              href={(n) => drillHref(ind.code, w, { ...filters, show, page: String(n) })}
            />
          )}
        </>
      ) : data.detail ? (
        <DetailView ctx={ctx} detail={data.detail} title={ind.title} window={w} periodStart={p.periodStart} />
      ) : null}
    </div>
  );
}

/** Print and download links of a drill-down list; on the print version, the way back. */
function ListActions(p: {
  ctx: PageCtx;
  print: boolean;
  canExport: boolean;
  href: (more: Record<string, string>) => string;
  exportHref: (ext: "xlsx" | "csv") => string;
}) {
  const { t } = p.ctx;
  if (p.print) {
    return (
      <p class="no-print">
        <span class="print-hint">{t("visit.print_hint")}</span> <a href={p.href({})}>{t("drill.screen")}</a>
      </p>
    );
  }
  return (
    <ul class="button-group list-actions no-print">
      <li>
        <a class="button button--secondary" href={p.href({ print: "1" })}>
          {t("drill.print")}
        </a>
      </li>
      {p.canExport ? (
        <>
          <li>
            <a class="button button--secondary" href={p.exportHref("xlsx")} download>
              {t("drill.download_xlsx")}
            </a>
          </li>
          <li>
            <a class="button button--secondary" href={p.exportHref("csv")} download>
              {t("drill.download_csv")}
            </a>
          </li>
        </>
      ) : null}
    </ul>
  );
}

/** A village or a unit as a filter's choice, by name. */
const byName = (x: { code: string; name: string }) => ({ value: x.code, label: x.name });

function Filters(p: { ctx: PageCtx; data: DrillPage; window: Window; show: string; action: string }) {
  const { t } = p.ctx;
  const { data } = p;
  const withUnits = data.units.length > 0;
  const choose = (
    name: "village" | "unit",
    [label, allLabel]: [string, string],
    among: { code: string; name: string }[],
    chosen: { code: string } | undefined,
  ) => (
    <FilterSelect
      name={name}
      label={label}
      allLabel={allLabel}
      options={among.map(byName)}
      value={chosen?.code}
    />
  );
  return (
    <form method="get" action={p.action} class="filters no-print">
      <WindowHidden window={p.window} />
      <input type="hidden" name="show" value={p.show} />
      {choose("village", [t("drill.filter_village"), t("drill.all_villages")], data.villages, data.village)}
      {withUnits
        ? choose("unit", [t("drill.filter_unit"), t("drill.all_units")], data.units, data.unit)
        : null}
      <Button variant="secondary">{t("common.filter")}</Button>
    </form>
  );
}

/** Priority tags: elderly, disabled, poor household — in words. */
export function PriorityTags(p: { t: T; r: ResidentItem; poor: boolean }) {
  const tags = [
    p.r.elderly ? p.t("drill.tag_elderly") : null,
    p.r.disabled ? p.t("drill.tag_disabled") : null,
    p.poor ? p.t("drill.tag_poor") : null,
  ].filter((x): x is string => !!x);
  return (
    <>
      {tags.map((x) => (
        <span class="tag tag--priority">{x}</span>
      ))}
    </>
  );
}

/**
 * Residents of a drill-down: name, age, village, household, groups, VNeID level, phone (masked per
 * role; no column when the viewer's items have no phone — a volunteer's, residents/fields.ts).
 */
export function ResidentTable(p: {
  t: T;
  caption: string;
  items: ResidentItem[];
  poor: Set<string>;
  startAt: number;
  id?: string;
  /** The visit list: one village, no groups, and a blank notes column to write in. */
  note?: boolean;
  link?: boolean;
  /** A last column linking each row to the visit form (the "who to visit next" screen of a team). */
  visitHref?: ((r: ResidentItem) => string) | undefined;
}) {
  const { t } = p;
  const phone = p.items.some((r) => r.phone !== undefined);
  return (
    <NumberedList
      list={p}
      rows={p.items}
      columns={[
        {
          head: t("col.full_name"),
          class: "cell-name",
          cell: (r) => (p.link === false ? r.full_name : <a href={`/residents/${r.id}`}>{r.full_name}</a>),
        },
        { head: t("drill.col_age"), cell: (r) => r.age },
        !p.note && { head: t("col.village"), cell: (r) => r.village_name },
        { head: t("col.household"), class: "nowrap", cell: (r) => r.household },
        {
          head: t("drill.col_priority"),
          headClass: "col-grow",
          class: "cell-wrap",
          cell: (r) => <PriorityTags t={t} r={r} poor={p.poor.has(r.household)} />,
        },
        !p.note && {
          head: t("col.groups"),
          cell: (r) => r.groups.map((g) => t(`group.${g as "student"}`)).join("; "),
        },
        {
          head: t("col.vneid_level"),
          class: "nowrap",
          cell: (r) => t(`vneid.${r.vneid_level as 0 | 1 | 2}`),
        },
        phone && { head: t("col.phone"), class: "nowrap", cell: (r) => r.phone ?? t("common.none") },
        p.note && noteColumn(t),
        p.visitHref && visitColumn(t, p.visitHref, (r) => r.household),
      ]}
    />
  );
}

/**
 * A drill list (residents or households): a numbered table (from the page's first row) in a
 * focusable scrolling region named by its hidden caption, `${id}-caption`.
 */
function NumberedList<R>(p: {
  /** The list's own options: its words, caption, id and the number of its first row less one. */
  list: { t: T; caption: string; id?: string | undefined; startAt: number };
  rows: readonly R[];
  columns: readonly (Column<R> | false | null | undefined)[];
}) {
  const { t, caption, id, startAt } = p.list;
  const captionId = id ? `${id}-caption` : "list-caption";
  return (
    <ListTable
      caption={caption}
      captionId={captionId}
      region={captionId}
      class="table--list"
      rows={p.rows}
      columns={[{ head: t("visit.col_no"), cell: (_, i) => startAt + i + 1 }, ...p.columns]}
    />
  );
}

/** A blank column to write notes in on the printed visit list. */
function noteColumn<R>(t: T): Column<R> {
  return { head: t("visit.col_note"), headClass: "col-grow", class: "note-cell", cell: () => null };
}

/** A last column linking each row to the visit form of its household. */
function visitColumn<R>(t: T, href: (row: R) => string, household: (row: R) => string): Column<R> {
  return {
    head: t("visit.col_visit"),
    cell: (row) => (
      <a
        class="button button--secondary button--small"
        href={href(row)}
        aria-label={t("visit.record_visit_label", { household: household(row) })}
      >
        {t("visit.record_visit")}
      </a>
    ),
  };
}

/** Households of indicator 10: code, head, village, poor, members, elderly and disabled counts. */
export function HouseholdTable(p: {
  t: T;
  caption: string;
  items: HouseholdDrillRow[];
  startAt: number;
  id?: string;
  note?: boolean;
  visitHref?: ((h: HouseholdDrillRow) => string) | undefined;
}) {
  const { t } = p;
  return (
    <NumberedList
      list={p}
      rows={p.items}
      columns={[
        { head: t("col.household"), class: "nowrap", cell: (h) => h.code },
        { head: t("col.head_name"), class: "cell-name", cell: (h) => h.headName ?? t("common.none") },
        !p.note && { head: t("col.village"), cell: (h) => h.villageName },
        {
          head: t("col.address"),
          headClass: "col-grow",
          class: "cell-wrap",
          cell: (h) => h.address ?? t("common.none"),
        },
        {
          head: t("col.poor"),
          cell: (h) => (h.poor ? <span class="tag tag--priority">{t("common.yes")}</span> : t("common.no")),
        },
        { head: t("drill.col_members"), cell: (h) => h.members },
        { head: t("drill.col_elderly"), cell: (h) => h.elderly },
        { head: t("drill.col_disabled"), cell: (h) => h.disabled },
        p.note && noteColumn(t),
        p.visitHref && visitColumn(t, p.visitHref, (h) => h.code),
      ]}
    />
  );
}

function lastWork(r: { lastVisit: string | null; lastClass: string | null; lastPropaganda: string | null }) {
  return (
    [r.lastVisit, r.lastClass, r.lastPropaganda]
      .filter((x): x is string => !!x)
      .sort()
      .at(-1) ?? null
  );
}

function DetailView(p: { ctx: PageCtx; detail: Detail; title: string; window: Window; periodStart: string }) {
  const { t, lang } = p.ctx;
  const d = p.detail;
  const from = formatDate(lang, p.periodStart);
  const to = formatDate(lang, p.window.date);
  switch (d.kind) {
    case "villages":
      return <VillageReasons ctx={p.ctx} detail={d} title={p.title} from={from} to={to} />;
    case "activities":
      return <ActivityList t={t} lang={lang} rows={d.rows} from={from} to={to} />;
    case "incidents":
      return (
        <section aria-labelledby="incidents-heading">
          <h2 id="incidents-heading">{t("drill.incidents_heading")}</h2>
          {d.rows === null ? (
            <p>{t("drill.incidents_hidden")}</p>
          ) : d.rows.length === 0 ? (
            <p>{t("drill.no_incidents", { from, to })}</p>
          ) : (
            <ListTable
              caption={t("drill.incidents_heading")}
              region="incidents-heading"
              rows={d.rows}
              columns={[
                { head: t("col.code"), class: "nowrap", cell: (r) => r.code },
                { head: t("drill.col_date"), class: "nowrap", cell: (r) => formatDate(lang, r.date) },
                { head: t("drill.col_kind"), cell: (r) => r.kind ?? t("common.none") },
                { head: t("drill.col_description"), cell: (r) => r.description },
                { head: t("drill.col_unit"), cell: (r) => r.unitName ?? t("common.none") },
                {
                  head: t("drill.col_resolved"),
                  class: "nowrap",
                  cell: (r) => (r.resolvedDate ? formatDate(lang, r.resolvedDate) : t("common.none")),
                },
              ]}
            />
          )}
        </section>
      );
    case "reports":
      return (
        <section aria-labelledby="reports-heading">
          <h2 id="reports-heading">{t("drill.reports_heading")}</h2>
          {d.due.length === 0 ? (
            <p>{t("drill.no_reports_due", { from, to })}</p>
          ) : (
            <ReportTable
              t={t}
              lang={lang}
              caption={t("drill.reports_heading")}
              rows={d.due.map((r) => ({
                ...r,
                status: r.onTime ? t("drill.report_on_time") : t("drill.report_not_submitted"),
              }))}
            />
          )}
          {d.later.length > 0 ? (
            <>
              <h3>{t("drill.reports_later")}</h3>
              <ReportTable
                t={t}
                lang={lang}
                caption={t("drill.reports_later")}
                rows={d.later.map((r) => ({ ...r, status: t("drill.report_not_due") }))}
              />
            </>
          ) : null}
        </section>
      );
  }
}

function ReportTable(p: {
  t: T;
  lang: Lang;
  caption: string;
  rows: { period: string; due: string; status: string }[];
}) {
  const { t, lang } = p;
  return (
    <ListTable
      caption={p.caption}
      wrap={false}
      rows={p.rows}
      columns={[
        { head: t("drill.col_report_period"), cell: (r) => r.period },
        { head: t("drill.col_due"), cell: (r) => formatDate(lang, r.due) },
        { head: t("drill.col_status"), cell: (r) => r.status },
      ]}
    />
  );
}

function VillageReasons(p: {
  ctx: PageCtx;
  detail: Extract<Detail, { kind: "villages" }>;
  title: string;
  from: string;
  to: string;
}) {
  const { t, lang } = p.ctx;
  const d = p.detail;
  const since = formatDate(lang, d.since);
  return (
    <section aria-labelledby="villages-list-heading">
      <h2 id="villages-list-heading">{t("drill.villages_caption", { title: p.title })}</h2>
      <section class="table-wrap" aria-labelledby="villages-list-heading" tabindex={0}>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.col_village")}</th>
              <th scope="col">{t("drill.col_counted")}</th>
              {d.mode === "teams" ? <th scope="col">{t("drill.col_team_members")}</th> : null}
              <th scope="col">{t("drill.col_reason")}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => {
              const last = lastWork(r);
              const reason =
                d.mode === "propaganda"
                  ? r.propaganda > 0
                    ? t("drill.reason_propaganda_yes", { count: r.propaganda, from: p.from, to: p.to })
                    : t("drill.reason_propaganda_no", { from: p.from, to: p.to })
                  : r.members < 3
                    ? t("drill.reason_team_small", { members: r.members })
                    : !last
                      ? t("drill.reason_team_idle", { from: since, to: p.to })
                      : t("drill.reason_team_ok", { members: r.members, date: formatDate(lang, last) });
              return (
                <tr id={`v-${r.code}`}>
                  <th scope="row">{r.name}</th>
                  <td class={r.yes ? "ind-status--met" : "ind-status--not-met"}>
                    <span aria-hidden="true">{r.yes ? "✓ " : "✗ "}</span>
                    {r.yes ? t("common.yes") : t("common.no")}
                  </td>
                  {d.mode === "teams" ? <td>{r.members}</td> : null}
                  <td>{reason}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {d.mode === "propaganda" ? (
        <ActivityList t={t} lang={lang} rows={d.activities} from={p.from} to={p.to} />
      ) : null}
    </section>
  );
}

function ActivityList(p: {
  t: T;
  lang: Lang;
  rows: Extract<Detail, { kind: "activities" }>["rows"];
  from: string;
  to: string;
}) {
  const { t, lang } = p;
  return (
    <section aria-labelledby="activities-heading">
      <h2 id="activities-heading">{t("drill.activities_heading")}</h2>
      {p.rows.length === 0 ? (
        <p>{t("drill.no_activities", { from: p.from, to: p.to })}</p>
      ) : (
        <ListTable
          caption={t("drill.activities_caption", { from: p.from, to: p.to })}
          region="activities-heading"
          rows={p.rows}
          columns={[
            { head: t("drill.col_date"), class: "nowrap", cell: (r) => formatDate(lang, r.date) },
            { head: t("drill.col_activity"), cell: (r) => r.title },
            { head: t("dashboard.col_village"), cell: (r) => r.villageName ?? t("common.none") },
            { head: t("drill.col_unit"), cell: (r) => r.unitName ?? t("common.none") },
            { head: t("drill.col_place"), cell: (r) => r.place ?? t("common.none") },
          ]}
        />
      )}
    </section>
  );
}
