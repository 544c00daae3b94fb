import { ConfirmDeletePage } from "../../../web/components.tsx";
import { HeadedTable } from "../../../web/kit/headed-table.tsx";
import { RegistryList } from "../../../web/kit/list-page.tsx";
import { recordActions, villageField, villageFilter } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import {
  type RecordFormProps,
  type RecordListProps,
  recordFormPage,
} from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { seesPersonal } from "../../residents/fields.ts";
import type { ResidentItem } from "../../residents/service.ts";
import { nameColumn, statusColumns } from "../../residents/views/pages.tsx";
import type { VillageRow } from "../../villages/repo.ts";
import type { HouseholdDetail, HouseholdItem, HouseholdQuery } from "../service.ts";

export function HouseholdListPage(
  p: RecordListProps<HouseholdQuery, HouseholdItem> & { villages: VillageRow[] },
) {
  const { t } = p.ctx;
  return (
    <RegistryList
      {...p}
      base="/households"
      words={{
        title: "households.title",
        new: "households.new",
        search: "households.search",
        empty: "households.none_found",
      }}
      filters={[villageFilter(t, p.villages, p.query.village, t("households.all_villages"))]}
      columns={[
        { head: t("col.household"), cell: (h) => <a href={`/households/${h.id}`}>{h.code}</a> },
        { head: t("col.head_name"), cell: (h) => h.head_name ?? t("common.none") },
        { head: t("col.village"), cell: (h) => h.village_name },
        { head: t("col.address"), cell: (h) => h.address ?? t("common.none") },
        { head: t("col.poor"), cell: (h) => (h.poor ? t("common.yes") : t("common.no")) },
      ]}
    />
  );
}

export function HouseholdDetailPage(p: {
  ctx: PageCtx;
  h: HouseholdDetail;
  members: ResidentItem[];
  canEdit: boolean;
  canDelete?: boolean;
}) {
  const { t } = p.ctx;
  const h = p.h;
  const personal = !!p.ctx.viewer && seesPersonal(p.ctx.viewer);
  const rows: [string, string][] = [
    [t("col.household"), h.code],
    [t("col.village"), `${h.village_name} (${h.village})`],
    [t("col.head_name"), h.head_name ?? t("common.none")],
    [t("col.address"), h.address ?? t("common.none")],
    [t("col.poor"), h.poor ? t("common.yes") : t("common.no")],
    [t("households.members_count"), String(h.members)],
  ];
  return (
    <div>
      <PageHeader
        t={t}
        back="/households"
        title={t("households.detail_title", { code: h.code })}
        actions={recordActions(`/households/${h.id}`, {
          edit: p.canEdit && t("households.edit"),
          remove: p.canDelete && t("households.delete"),
        })}
      />
      <SummaryList rows={rows} />
      <HeadedTable
        caption={t("households.members")}
        empty={t("households.no_members")}
        rows={p.members}
        columns={[
          nameColumn(t),
          { head: t("residents.age"), cell: (r) => r.age },
          personal && {
            head: t("col.gender"),
            cell: (r) => (r.gender === undefined ? "" : t(`gender.${r.gender}`)),
          },
          ...statusColumns(t),
        ]}
      />
      {h.members > p.members.length ? (
        <p>
          <a href={`/residents?${new URLSearchParams({ household: h.code })}`}>
            {t("households.see_members")}
          </a>
        </p>
      ) : null}
    </div>
  );
}

export type HouseholdFormValues = Record<string, string | string[] | undefined>;

export const HouseholdFormPage = recordFormPage(
  "/households",
  (p: RecordFormProps<HouseholdFormValues> & { villages: VillageRow[] }, t) => [
    { name: "code", label: "col.household", hint: t("households.code_hint"), autocomplete: "off" },
    villageField(p.villages),
    { name: "head_name", label: "col.head_name", autocomplete: "off" },
    { name: "address", label: "col.address" },
    { kind: "checkbox", name: "poor", label: "col.poor", optionLabel: t("households.poor_label") },
  ],
);

export function HouseholdDeletePage(p: { ctx: PageCtx; h: HouseholdItem }) {
  const { t } = p.ctx;
  const h = p.h;
  return (
    <ConfirmDeletePage
      t={t}
      csrfToken={p.ctx.csrfToken}
      title={t("households.delete_title", { code: h.code })}
      rows={[
        [t("col.household"), h.code],
        [t("col.village"), `${h.village_name} (${h.village})`],
        [t("col.head_name"), h.head_name ?? t("common.none")],
        [t("col.address"), h.address ?? t("common.none")],
      ]}
      action={`/households/${h.id}/delete`}
      confirmLabel={t("households.delete")}
      backHref={`/households/${h.id}`}
    />
  );
}
