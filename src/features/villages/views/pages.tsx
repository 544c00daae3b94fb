import { Pagination } from "../../../web/components.tsx";
import { recordActions } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import {
  codeNameFields,
  RecordDeletePage,
  RecordFormPage,
  type RecordFormProps,
} from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { VillageDetail, VillageView } from "../service.ts";

export function VillageListPage(p: {
  ctx: PageCtx;
  result: { items: VillageView[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  return (
    <div>
      <PageHeader
        t={t}
        title={t("villages.title")}
        actions={[p.canCreate && { href: "/villages/new", label: t("villages.new") }]}
      />
      <ListTable
        caption={t("villages.title")}
        empty={t("villages.empty")}
        rows={p.result.items}
        columns={[
          { head: t("villages.code"), cell: (v) => v.code },
          { head: t("villages.name"), cell: (v) => <a href={`/villages/${v.id}`}>{v.name}</a> },
        ]}
      />
      <Pagination
        t={t}
        page={p.result.page}
        pageSize={p.result.pageSize}
        total={p.result.total}
        href={(n) => `/villages?page=${n}`}
      />
    </div>
  );
}

export function VillageDetailPage(p: {
  ctx: PageCtx;
  village: VillageDetail;
  canEdit: boolean;
  canDelete?: boolean;
  canSeeHouseholds: boolean;
  canSeeResidents: boolean;
}) {
  const { t } = p.ctx;
  const v = p.village;
  const byVillage = new URLSearchParams({ village: v.code });
  const linked = (see: boolean, path: string, n: number) =>
    see ? <a href={`${path}?${byVillage}`}>{String(n)}</a> : String(n);
  return (
    <div>
      <PageHeader
        t={t}
        back="/villages"
        title={t("villages.detail_title", { name: v.name })}
        actions={recordActions(`/villages/${v.id}`, {
          edit: p.canEdit && t("villages.edit"),
          remove: p.canDelete && t("villages.delete"),
        })}
      />
      <SummaryList
        rows={[
          [t("villages.code"), v.code],
          [t("villages.name"), v.name],
          [t("villages.households_count"), linked(p.canSeeHouseholds, "/households", v.households)],
          [t("villages.residents_count"), linked(p.canSeeResidents, "/residents", v.residents)],
        ]}
      />
      <ul>
        {p.canSeeHouseholds ? (
          <li>
            <a href={`/households?${byVillage}`}>{t("villages.see_households")}</a>
          </li>
        ) : null}
        {p.canSeeResidents ? (
          <li>
            <a href={`/residents?${byVillage}`}>{t("villages.see_residents")}</a>
          </li>
        ) : null}
      </ul>
    </div>
  );
}

export type VillageFormValues = Record<string, string | string[] | undefined>;

export function VillageFormPage(p: RecordFormProps & { values: VillageFormValues }) {
  const keys = { code: "villages.code", hint: "villages.code_hint", name: "villages.name" } as const;
  return <RecordFormPage form={p} base="/villages" fields={codeNameFields(p.ctx.t, keys, "short")} />;
}

export function VillageDeletePage(p: { ctx: PageCtx; village: VillageView }) {
  const words = {
    title: "villages.delete_title",
    code: "villages.code",
    name: "villages.name",
    confirm: "villages.delete",
  } as const;
  return <RecordDeletePage ctx={p.ctx} base="/villages" record={p.village} words={words} />;
}
