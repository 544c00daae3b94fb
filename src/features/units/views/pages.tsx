import { UNIT_TYPES } from "../../../db/schema.ts";
import { RegistryList } from "../../../web/kit/list-page.tsx";
import { recordActions } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import {
  codeNameFields,
  pickOne,
  RecordDeletePage,
  type RecordFormProps,
  recordFormPage,
} from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { UnitDetail, UnitItem, UnitQuery } from "../service.ts";

export function UnitListPage(p: {
  ctx: PageCtx;
  query: UnitQuery;
  result: { items: UnitItem[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  return (
    <RegistryList
      {...p}
      base="/units"
      words={{ title: "units.title", new: "units.new", search: "units.name", empty: "units.empty" }}
      filters={[
        {
          name: "type",
          label: t("units.type"),
          allLabel: t("units.all_types"),
          options: UNIT_TYPES.map((x) => ({ value: x, label: t(`unit_type.${x}`) })),
          value: p.query.type,
        },
      ]}
      columns={[
        { head: t("units.code"), cell: (u) => u.code },
        { head: t("units.name"), cell: (u) => <a href={`/units/${u.id}`}>{u.name}</a> },
        { head: t("units.type"), cell: (u) => t(`unit_type.${u.type}`) },
      ]}
    />
  );
}

export function UnitDetailPage(p: {
  ctx: PageCtx;
  unit: UnitDetail;
  canEdit: boolean;
  canDelete?: boolean;
  canSeeMembers: boolean;
}) {
  const { t } = p.ctx;
  const u = p.unit;
  return (
    <div>
      <PageHeader
        t={t}
        back="/units"
        title={u.name}
        actions={recordActions(`/units/${u.id}`, {
          edit: p.canEdit && t("units.edit"),
          remove: p.canDelete && t("units.delete"),
        })}
      />
      <SummaryList
        rows={[
          [t("units.code"), u.code],
          [t("units.type"), t(`unit_type.${u.type}`)],
          [t("units.members_count"), String(u.members)],
        ]}
      />
      {p.canSeeMembers ? (
        <p>
          <a href={`/residents?${new URLSearchParams({ unit: u.code })}`}>{t("units.see_members")}</a>
        </p>
      ) : null}
    </div>
  );
}

export type UnitFormValues = Record<string, string | string[] | undefined>;

export const UnitFormPage = recordFormPage<RecordFormProps & { values: UnitFormValues }>("/units", (_, t) => [
  ...codeNameFields(t, { code: "units.code", hint: "units.code_hint", name: "units.name" }),
  pickOne(
    "type",
    "units.type",
    UNIT_TYPES.map((x) => ({ value: x, label: t(`unit_type.${x}`) })),
  ),
]);

export function UnitDeletePage(p: { ctx: PageCtx; unit: UnitItem }) {
  const { t } = p.ctx;
  const u = p.unit;
  return (
    <RecordDeletePage
      ctx={p.ctx}
      base="/units"
      record={u}
      words={{ title: "units.delete_title", code: "units.code", name: "units.name", confirm: "units.delete" }}
      more={[[t("units.type"), t(`unit_type.${u.type}`)]]}
    />
  );
}
