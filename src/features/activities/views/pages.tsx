import { ACTIVITY_TYPES, AUDIENCES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import type { Lang, T } from "../../../lib/i18n/index.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, TextField } from "../../../web/components.tsx";
import { choiceFilter } from "../../../web/kit/choice-filter.ts";
import { firstValue } from "../../../web/kit/fields.tsx";
import { FilterBar, listHref } from "../../../web/kit/filter-bar.tsx";
import { Paging } from "../../../web/kit/list-page.tsx";
import { blank, codedOption, recordActions, villageFilter } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import {
  RecordFormPage,
  type RecordFormProps,
  type RecordListProps,
} from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { UnitRow } from "../../units/repo.ts";
import type { VillageRow } from "../../villages/repo.ts";
import type { ActivityDetail, ActivityItem, ActivityQuery, Calendar } from "../service.ts";

export const dmy = (iso: string) => formatDate("vi", iso);

/** "Thứ Năm, 11/06/2026" — a civil date's weekday, never shifted by a time zone. */
export function dayLabel(lang: Lang, iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const weekday = new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    weekday: "long",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
  return `${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}, ${dmy(iso)}`;
}

const typeLabel = (t: T, type: string) => t(`activity_type.${type as (typeof ACTIVITY_TYPES)[number]}`);
const audienceLabel = (t: T, a: string | null) =>
  a ? t(`audience.${a as (typeof AUDIENCES)[number]}`) : t("common.none");
const villageText = (t: T, a: ActivityItem) => a.village_name ?? t("activities.commune_wide");

function ActivitiesTabs(p: { t: T; current: "list" | "calendar"; canCreate: boolean }) {
  return (
    <p class="button-row">
      {p.canCreate ? (
        <a class="button" href="/activities/new">
          {p.t("activities.new")}
        </a>
      ) : null}
      {p.current === "list" ? (
        <a class="button button--secondary" href="/activities/calendar">
          {p.t("activities.calendar_link")}
        </a>
      ) : (
        <a class="button button--secondary" href="/activities">
          {p.t("activities.list_link")}
        </a>
      )}
    </p>
  );
}

export function ActivityListPage(
  p: RecordListProps<ActivityQuery, ActivityItem> & { villages: VillageRow[] },
) {
  const { t } = p.ctx;
  const q = p.query;
  return (
    <div>
      <PageHeader t={t} title={t("activities.title")} intro={t("activities.intro")} />
      <ActivitiesTabs t={t} current="list" canCreate={p.canCreate} />
      <FilterBar
        action="/activities"
        submit={t("common.filter")}
        search={{ label: t("activities.search"), value: q.q }}
        filters={[
          choiceFilter(
            "type",
            [t("col.activity_type"), t("activities.all_types")],
            ACTIVITY_TYPES,
            (x) => typeLabel(t, x),
            q.type,
          ),
          villageFilter(t, p.villages, q.village, t("activities.all_villages")),
          {
            kind: "input",
            name: "month",
            label: t("activities.month"),
            hint: t("activities.month_hint"),
            inputmode: "numeric",
            placeholder: "2026-06",
            value: q.month,
          },
        ]}
      />
      {p.result.items.length === 0 ? (
        <p>{t("activities.none_found")}</p>
      ) : (
        <ul class="activity-list">
          {p.result.items.map((a) => (
            <li class="activity-list__item">
              <a class="activity-list__title" href={`/activities/${a.id}`}>
                {a.title}
              </a>
              <span class="activity-list__meta">
                <span class="tag tag--grey">{typeLabel(t, a.type)}</span> {a.time ? `${a.time} ` : ""}
                {dmy(a.date)} · {villageText(t, a)}
                {a.place ? ` · ${a.place}` : ""} · {a.code}
              </span>
            </li>
          ))}
        </ul>
      )}
      <Paging t={t} paging={p.result} href={listHref("/activities", q)} />
    </div>
  );
}

export function CalendarPage(p: {
  ctx: PageCtx;
  calendar: Calendar;
  village: string | undefined;
  villages: VillageRow[];
  canCreate: boolean;
}) {
  const { t, lang } = p.ctx;
  const c = p.calendar;
  const [year, month] = c.month.split("-");
  const href = (m: string) =>
    `/activities/calendar?${new URLSearchParams({ month: m, ...(p.village ? { village: p.village } : {}) })}`;
  return (
    <div>
      <PageHeader t={t} title={t("calendar.title")} />
      <ActivitiesTabs t={t} current="calendar" canCreate={p.canCreate} />
      <FilterBar
        action="/activities/calendar"
        submit={t("common.filter")}
        filters={[villageFilter(t, p.villages, p.village, t("activities.all_villages"))]}
      >
        <input type="hidden" name="month" value={c.month} />
      </FilterBar>
      <nav class="month-nav" aria-label={t("calendar.title")}>
        <a href={href(c.prev)} rel="prev">
          ‹ {t("calendar.prev")}
        </a>
        <h2 class="month-nav__title">{t("calendar.month_title", { month: month!, year: year! })}</h2>
        <a href={href(c.next)} rel="next">
          {t("calendar.next")} ›
        </a>
      </nav>
      {c.days.length === 0 ? (
        <p>{t("calendar.empty")}</p>
      ) : (
        <ol class="calendar">
          {c.days.map((d) => (
            <li class="calendar__day">
              <h3 class="calendar__date">
                <time datetime={d.date}>{dayLabel(lang, d.date)}</time>
              </h3>
              <ul class="calendar__entries">
                {d.entries.map((e) => (
                  <li>
                    <a
                      href={
                        e.sessionId === null
                          ? `/activities/${e.activity.id}`
                          : `/activities/${e.activity.id}/sessions/${e.sessionId}`
                      }
                    >
                      {e.activity.title}
                    </a>
                    <span class="calendar__meta">
                      {typeLabel(t, e.activity.type)}
                      {e.sessionId === null ? "" : ` (${t("calendar.session")})`} ·{" "}
                      {villageText(t, e.activity)}
                      {e.activity.place ? ` · ${e.activity.place}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ActivityDetailPage(p: {
  ctx: PageCtx;
  a: ActivityDetail;
  canEdit: boolean;
  canAddSession: boolean;
  /** The viewer may record attendance but this class's sessions are the commune's to add. */
  sessionsByCommune: boolean;
  sessionErrors?: FieldErrors | undefined;
  sessionValues?: Record<string, string> | undefined;
}) {
  const { t } = p.ctx;
  const a = p.a;
  const rows: [string, string][] = [
    [t("col.activity_code"), a.code],
    [t("col.activity_type"), typeLabel(t, a.type)],
    [t("col.activity_date"), dmy(a.date)],
    [t("col.village"), a.village ? `${a.village_name} (${a.village})` : t("activities.commune_wide")],
    [t("col.unit"), a.unit ? `${a.unit_name} (${a.unit})` : t("common.none")],
    [t("col.audience"), audienceLabel(t, a.audience)],
    [t("col.place"), a.place ?? t("common.none")],
    [t("col.start_time"), a.time ?? t("common.none")],
    [t("col.trainer"), a.trainer ?? t("common.none")],
    [t("col.notes"), a.notes ?? t("common.none")],
  ];
  if (a.type === "class") rows.push([t("activities.attendance_count"), String(a.attendance)]);
  return (
    <div>
      <PageHeader
        t={t}
        back="/activities"
        title={a.title}
        actions={recordActions(`/activities/${a.id}`, { edit: p.canEdit && t("activities.edit") })}
      />
      <SummaryList rows={rows} />
      {a.type === "class" ? (
        <section aria-labelledby="sessions-title">
          <h2 id="sessions-title">{t("sessions.title")}</h2>
          {a.sessions.length === 0 ? (
            <p>{t("sessions.none")}</p>
          ) : (
            <ul class="session-list">
              {a.sessions.map((s) => (
                <li>
                  <a class="session-list__link" href={`/activities/${a.id}/sessions/${s.id}`}>
                    {t("sessions.open", { date: dmy(s.date) })}
                  </a>
                  <span class="session-list__meta">
                    {t("sessions.present_of", { present: s.present, total: s.total })}
                    {s.notes ? ` · ${s.notes}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {p.canAddSession ? (
            <form method="post" action={`/activities/${a.id}/sessions`} novalidate class="narrow">
              <h3>{t("sessions.add")}</h3>
              <ErrorSummary t={t} errors={p.sessionErrors} />
              <Csrf token={p.ctx.csrfToken} />
              <TextField
                t={t}
                name="date"
                label="sessions.date"
                value={p.sessionValues?.date}
                hint={t("activities.date_hint")}
                errors={p.sessionErrors}
                inputmode="numeric"
                width="short"
                autocomplete="off"
              />
              <TextField
                t={t}
                name="notes"
                label="sessions.notes"
                value={p.sessionValues?.notes}
                errors={p.sessionErrors}
              />
              <Button>{t("sessions.add")}</Button>
            </form>
          ) : p.sessionsByCommune ? (
            <p class="small">{t("sessions.commune_adds")}</p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

export type ActivityFormValues = Record<string, string | string[] | undefined>;

export function ActivityFormPage(
  p: RecordFormProps<ActivityFormValues> & {
    villages: VillageRow[];
    units: UnitRow[];
    /** A commune-wide activity (no village) is offered. */
    allowCommuneWide: boolean;
    /** A unit may be left empty. */
    allowNoUnit: boolean;
  },
) {
  const { t } = p.ctx;
  const v = (k: string) => firstValue(p.values, k);
  return (
    <RecordFormPage
      form={p}
      base="/activities"
      fields={[
        {
          name: "code",
          label: "col.activity_code",
          hint: t("activities.code_hint"),
          autocomplete: "off",
          width: "short",
        },
        {
          kind: "select",
          name: "type",
          label: "col.activity_type",
          options: [blank, ...ACTIVITY_TYPES.map((x) => ({ value: x, label: typeLabel(t, x) }))],
        },
        { name: "title", label: "col.title" },
        {
          name: "date",
          label: "col.activity_date",
          hint: t("activities.date_hint"),
          inputmode: "numeric",
          width: "short",
          autocomplete: "off",
        },
        {
          kind: "select",
          name: "village",
          label: "col.village",
          hint: p.allowCommuneWide ? t("activities.village_hint") : undefined,
          options: [
            ...(p.allowCommuneWide || !v("village")
              ? [{ value: "", label: t("activities.commune_wide") }]
              : []),
            ...p.villages.map(codedOption),
          ],
        },
        {
          kind: "select",
          name: "unit",
          label: "col.unit",
          options: [
            ...(p.allowNoUnit || !v("unit") ? [{ value: "", label: t("common.none") }] : []),
            ...p.units.map(codedOption),
          ],
        },
        {
          kind: "select",
          name: "audience",
          label: "col.audience",
          hint: t("activities.audience_hint"),
          options: [
            { value: "", label: t("common.none") },
            ...AUDIENCES.map((x) => ({ value: x, label: audienceLabel(t, x) })),
          ],
        },
        { name: "place", label: "col.place" },
        { name: "time", label: "col.start_time", hint: t("activities.time_hint"), width: "short" },
        { name: "trainer", label: "col.trainer" },
        { kind: "textarea", name: "notes", label: "col.notes", rows: 4 },
      ]}
    />
  );
}
