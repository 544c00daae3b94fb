import { RESIDENT_GROUPS, RESIDENT_STATUSES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import type { T } from "../../../lib/i18n/index.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary } from "../../../web/components.tsx";
import { Fields } from "../../../web/kit/fields.tsx";
import { listHref } from "../../../web/kit/filter-bar.tsx";
import { ListPage } from "../../../web/kit/list-page.tsx";
import { blank, codedOption, exportLink, villageField, villageFilter } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import { type RecordFormProps, recordFormPage } from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { type Column, ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { CertificationActions, certificationFields } from "../../certifications/views/pages.tsx";
import type { UnitRow } from "../../units/repo.ts";
import type { VillageRow } from "../../villages/repo.ts";
import { seesPersonal } from "../fields.ts";
import type { ResidentDetail, ResidentItem, ResidentPage, ResidentQuery } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

export function birthText(t: T, r: ResidentItem) {
  if (r.birth_date === undefined) return "";
  return r.birth_date.length === 4 ? `${r.birth_date} (${t("residents.year_only")})` : dmy(r.birth_date);
}

export function ResidentListPage(p: {
  ctx: PageCtx;
  query: ResidentQuery;
  villages: VillageRow[];
  result: ResidentPage;
  canCreate: boolean;
  canExport: boolean;
  searchById: boolean;
}) {
  const { t } = p.ctx;
  const personal = !!p.ctx.viewer && seesPersonal(p.ctx.viewer);
  const q = p.query;
  return (
    <ListPage
      t={t}
      title={t("residents.title")}
      actions={[
        p.canCreate && { href: "/residents/new", label: t("residents.new") },
        p.canExport && exportLink("/exports/residents.xlsx", t("residents.export_xlsx")),
        p.canExport && exportLink("/exports/residents.csv", t("residents.export_csv")),
      ]}
      filter={{
        action: "/residents",
        search: { label: p.searchById ? t("residents.search_id") : t("residents.search"), value: q.q },
        filters: [
          villageFilter(t, p.villages, q.village, t("residents.all_villages")),
          {
            name: "group",
            label: t("col.groups"),
            allLabel: t("residents.all_groups"),
            options: RESIDENT_GROUPS.map((g) => ({ value: g, label: t(`group.${g}`) })),
            value: q.group,
          },
          {
            name: "status",
            label: t("col.status"),
            allLabel: t("residents.all_statuses"),
            options: RESIDENT_STATUSES.map((x) => ({ value: x, label: t(`status.${x}`) })),
            value: q.status,
          },
        ],
      }}
      empty={t("residents.none_found")}
      rows={p.result.items}
      columns={[
        nameColumn(t),
        { head: t("residents.age"), cell: (r) => r.age },
        { head: t("col.village"), cell: (r) => r.village_name },
        { head: t("col.household"), cell: (r) => r.household },
        personal && {
          head: t("col.citizen_id"),
          cell: (r) => <span class="nowrap">{r.citizen_id ?? t("common.none")}</span>,
        },
        ...statusColumns(t),
      ]}
      paging={p.result}
      href={listHref("/residents", q)}
    />
  );
}

/** The resident's name, linked to their page: the first column of every list of residents. */
export function nameColumn(t: T): Column<ResidentItem> {
  return { head: t("col.full_name"), cell: (r) => <a href={`/residents/${r.id}`}>{r.full_name}</a> };
}

/** A resident's status and VNeID level: the last columns of every list of residents. */
export function statusColumns(t: T): Column<ResidentItem>[] {
  return [
    { head: t("col.status"), cell: (r) => t(`status.${r.status}`) },
    { head: t("col.vneid_level"), cell: (r) => t(`vneid.${r.vneid_level as 0 | 1 | 2}`) },
  ];
}

export function ResidentDetailPage(p: {
  ctx: PageCtx;
  r: ResidentDetail;
  canEdit: boolean;
  masked: boolean;
  canCertify: boolean;
  /** May edit / remove the resident's certifications. */
  canEditCertifications?: boolean;
  canDeleteCertifications?: boolean;
  certErrors?: FieldErrors | undefined;
  certValues?: Record<string, string>;
}) {
  const { t } = p.ctx;
  const r = p.r;
  const certActions = p.canEditCertifications || p.canDeleteCertifications;
  const certValues = { kind: "basic", source: "platform", ...p.certValues };
  const yesNo = (b: boolean) => (b ? t("common.yes") : t("common.no"));
  const age = `${t("residents.age_value", { age: r.age })}${r.elderly ? `, ${t("residents.elderly")}` : ""}`;
  // A volunteer's item has no personal fields (residents/fields.ts): those rows are left out.
  const rows: [string, string][] = [
    r.birth_date === undefined
      ? [t("residents.age"), age]
      : [t("col.birth_date"), `${birthText(t, r)} — ${age}`],
    ...(r.gender === undefined
      ? []
      : [
          [t("col.gender"), t(`gender.${r.gender}`)] as [string, string],
          [t("col.citizen_id"), r.citizen_id ?? t("common.none")] as [string, string],
          [t("col.phone"), r.phone ?? t("common.none")] as [string, string],
        ]),
    [t("col.village"), `${r.village_name} (${r.village})`],
    [t("col.household"), `${r.household}${r.poor ? ` — ${t("residents.poor_household")}` : ""}`],
    [t("col.status"), t(`status.${r.status}`)],
    [t("col.groups"), r.groups.map((g) => t(`group.${g as "student"}`)).join("; ") || t("common.none")],
    ...(r.unit === undefined
      ? []
      : [[t("col.unit"), r.unit_name ? `${r.unit_name} (${r.unit})` : t("common.none")] as [string, string]]),
    [t("col.disabled"), yesNo(r.disabled)],
    [t("col.vneid_level"), t(`vneid.${r.vneid_level as 0 | 1 | 2}`)],
    [t("residents.basic_skills"), yesNo(r.basic_skills)],
    [t("residents.vneid_confirmed"), yesNo(r.vneid_confirmed)],
  ];
  return (
    <div>
      <PageHeader
        t={t}
        back="/residents"
        title={r.full_name}
        actions={[
          p.canEdit && { href: `/residents/${r.id}/edit`, label: t("residents.edit"), variant: "secondary" },
        ]}
      />
      <SummaryList rows={rows} />
      {r.gender === undefined ? (
        <p class="small">{t("residents.names_only_note")}</p>
      ) : p.masked ? (
        <p class="small">{t("residents.masked_note")}</p>
      ) : null}
      {r.certifications === undefined ? null : <h2>{t("residents.certifications")}</h2>}
      {r.certifications === undefined ? null : (
        <ListTable
          caption={t("residents.certifications")}
          empty={t("residents.no_certifications")}
          rows={r.certifications}
          columns={[
            { head: t("col.kind"), cell: (c) => t(`cert.${c.kind}`) },
            { head: t("col.date"), cell: (c) => dmy(c.date) },
            { head: t("col.source"), cell: (c) => t(`source.${c.source}`) },
            { head: t("col.reference"), cell: (c) => c.reference ?? "" },
            certActions && {
              head: t("common.actions"),
              cell: (c) => (
                <CertificationActions
                  t={t}
                  c={c}
                  back="resident"
                  canUpdate={!!p.canEditCertifications}
                  canDelete={!!p.canDeleteCertifications}
                />
              ),
            },
          ]}
        />
      )}
      {p.canCertify ? (
        <section class="narrow">
          <h2 id="add-cert">{t("certifications.add")}</h2>
          <ErrorSummary t={t} errors={p.certErrors} />
          <form method="post" action={`/residents/${r.id}/certifications`} novalidate>
            <Csrf token={p.ctx.csrfToken} />
            <Fields t={t} fields={certificationFields(t)} values={certValues} errors={p.certErrors} />
            <Button>{t("certifications.add")}</Button>
          </form>
        </section>
      ) : null}
    </div>
  );
}

export type ResidentFormValues = Record<string, string | string[] | undefined>;

export const ResidentFormPage = recordFormPage(
  "/residents",
  (p: RecordFormProps & { values: ResidentFormValues; villages: VillageRow[]; units: UnitRow[] }, t) => [
    { name: "full_name", label: "col.full_name", autocomplete: "off" },
    { kind: "date", name: "birth_date", label: "col.birth_date", hint: t("hint.birth_date") },
    {
      kind: "select",
      name: "gender",
      label: "col.gender",
      options: [
        blank,
        ...(["male", "female", "other"] as const).map((g) => ({ value: g, label: t(`gender.${g}`) })),
      ],
    },
    { name: "citizen_id", label: "col.citizen_id", hint: t("hint.citizen_id"), inputmode: "numeric" },
    { name: "phone", label: "col.phone", type: "tel", hint: t("hint.phone") },
    villageField(p.villages),
    { name: "household", label: "col.household", hint: t("hint.household") },
    {
      kind: "select",
      name: "status",
      label: "col.status",
      default: "active",
      hint: t("residents.deactivate_hint"),
      options: RESIDENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
    },
    {
      kind: "checkboxes",
      name: "groups",
      label: "col.groups",
      hint: t("hint.groups"),
      options: RESIDENT_GROUPS.map((g) => ({ value: g, label: t(`group.${g}`) })),
    },
    {
      kind: "select",
      name: "unit",
      label: "col.unit",
      options: [{ value: "", label: t("unit.none") }, ...p.units.map((u) => codedOption(u))],
    },
    {
      kind: "select",
      name: "vneid_level",
      label: "col.vneid_level",
      default: "0",
      options: (["0", "1", "2"] as const).map((l) => ({ value: l, label: t(`vneid.${l}`) })),
    },
    { kind: "checkbox", name: "disabled", label: "col.disabled", optionLabel: t("common.yes") },
  ],
);
