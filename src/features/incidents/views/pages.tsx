import { formatDate } from "../../../lib/i18n/index.ts";
import { INCIDENT_SEVERITIES } from "../../../lib/values.ts";
import { choiceFilter } from "../../../web/kit/choice-filter.ts";
import { RegistryList } from "../../../web/kit/list-page.tsx";
import { blank, codedOption, recordActions } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import {
  type RecordFormProps,
  type RecordListProps,
  recordFormPage,
} from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { UnitRow } from "../../units/repo.ts";
import type { IncidentItem, IncidentQuery } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

export function IncidentListPage(p: RecordListProps<IncidentQuery, IncidentItem>) {
  const { t } = p.ctx;
  return (
    <RegistryList
      {...p}
      base="/incidents"
      words={{
        title: "incidents.title",
        new: "incidents.new",
        search: "incidents.search",
        empty: "incidents.none_found",
      }}
      filters={[
        choiceFilter(
          "severity",
          [t("incidents.severity"), t("incidents.all_severities")],
          INCIDENT_SEVERITIES,
          (s) => t(`incidents.severity.${s}`),
          p.query.severity,
        ),
      ]}
      columns={[
        { head: t("incidents.code"), cell: (x) => <a href={`/incidents/${x.id}`}>{x.code}</a> },
        { head: t("incidents.date"), cell: (x) => dmy(x.date), class: "nowrap" },
        {
          head: t("incidents.severity"),
          cell: (x) => (
            <span class={`tag ${x.severity === "serious" ? "tag--red" : "tag--grey"}`}>
              {t(`incidents.severity.${x.severity}`)}
            </span>
          ),
        },
        { head: t("incidents.kind"), cell: (x) => x.kind ?? t("common.none") },
        { head: t("incidents.description"), cell: (x) => x.description },
        { head: t("col.unit"), cell: (x) => x.unit_name ?? t("common.none") },
        {
          head: t("incidents.resolved_date"),
          cell: (x) => (x.resolved_date ? dmy(x.resolved_date) : t("incidents.open")),
          class: "nowrap",
        },
      ]}
    />
  );
}

export function IncidentDetailPage(p: { ctx: PageCtx; x: IncidentItem; canEdit: boolean }) {
  const { t } = p.ctx;
  const x = p.x;
  const rows: [string, string][] = [
    [t("incidents.code"), x.code],
    [t("incidents.date"), dmy(x.date)],
    [t("incidents.severity"), t(`incidents.severity.${x.severity}`)],
    [t("incidents.kind"), x.kind ?? t("common.none")],
    [t("incidents.description"), x.description],
    [t("col.unit"), x.unit_name ? `${x.unit_name} (${x.unit})` : t("common.none")],
    [t("incidents.resolved_date"), x.resolved_date ? dmy(x.resolved_date) : t("incidents.open")],
  ];
  return (
    <div class="narrow">
      <PageHeader
        t={t}
        back="/incidents"
        title={t("incidents.detail_title", { code: x.code })}
        actions={recordActions(`/incidents/${x.id}`, { edit: p.canEdit && t("incidents.edit") })}
      />
      <SummaryList rows={rows} />
    </div>
  );
}

export type FormValues = Record<string, string | string[] | undefined>;

export const IncidentFormPage = recordFormPage(
  "/incidents",
  (p: RecordFormProps<FormValues> & { units: UnitRow[] }, t) => [
    { name: "code", label: "incidents.code", autocomplete: "off" },
    { name: "date", label: "incidents.date", type: "date", width: "short" },
    {
      kind: "select",
      name: "severity",
      label: "incidents.severity",
      options: [
        blank,
        ...INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severity.${s}`) })),
      ],
    },
    { name: "kind", label: "incidents.kind", hint: t("incidents.kind_hint") },
    { kind: "textarea", name: "description", label: "incidents.description" },
    { kind: "select", name: "unit", label: "col.unit", options: [blank, ...p.units.map(codedOption)] },
    {
      name: "resolved_date",
      label: "incidents.resolved_date",
      type: "date",
      hint: t("incidents.resolved_hint"),
      width: "short",
    },
  ],
);
