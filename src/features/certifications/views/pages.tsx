import { CERTIFICATION_KINDS, CERTIFICATION_SOURCES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import type { T } from "../../../lib/i18n/index.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { ConfirmDeletePage, ErrorSummary } from "../../../web/components.tsx";
import { choiceFilter } from "../../../web/kit/choice-filter.ts";
import type { FieldSpec } from "../../../web/kit/fields.tsx";
import { listHref } from "../../../web/kit/filter-bar.tsx";
import { HintedInput } from "../../../web/kit/hinted-field.tsx";
import { ListPage } from "../../../web/kit/list-page.tsx";
import { villageFilter } from "../../../web/kit/options.ts";
import { FormPage } from "../../../web/kit/page.tsx";
import type { RecordFormProps } from "../../../web/kit/record-pages.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { VillageRow } from "../../villages/repo.ts";
import type { CertificationItem, CertificationQuery } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

/** Where a certification's edit or removal goes back to: the resident's page, or the list. */
export type Back = "resident" | "list";

export const backHref = (back: Back, c: { resident_id: number }) =>
  back === "resident" ? `/residents/${c.resident_id}` : "/certifications";

/** "Sửa" / "Xoá" for one certification, each naming it for screen readers. */
export function CertificationActions(p: {
  t: T;
  c: { id: number; kind: "basic" | "vneid"; date: string };
  back: Back;
  canUpdate: boolean;
  canDelete: boolean;
}) {
  const { t } = p;
  const which = ` ${t(`cert.${p.c.kind}`)} ${dmy(p.c.date)}`;
  const q = p.back === "resident" ? "?from=resident" : "";
  return (
    <span class="nowrap">
      {([p.canUpdate && "edit", p.canDelete && "delete"] as const)
        .filter((k) => k !== false)
        .map((k, i) => (
          <>
            {i > 0 ? " · " : null}
            <a href={`/certifications/${p.c.id}/${k}${q}`}>
              {t(`certifications.${k}`)}
              <span class="visually-hidden">{which}</span>
            </a>
          </>
        ))}
    </span>
  );
}

export function CertificationListPage(p: {
  ctx: PageCtx;
  query: CertificationQuery;
  villages: VillageRow[];
  result: { items: CertificationItem[]; total: number; page: number; pageSize: number };
  errors?: FieldErrors | undefined;
  searchById: boolean;
  canUpdate: boolean;
  canDelete: boolean;
}) {
  const { t } = p.ctx;
  const q = p.query;
  const actions = p.canUpdate || p.canDelete;
  return (
    <ListPage
      t={t}
      title={t("certifications.title")}
      summary={<ErrorSummary t={t} errors={p.errors} />}
      filter={{
        action: "/certifications",
        search: {
          label: p.searchById ? t("certifications.search_id") : t("certifications.search"),
          value: q.q,
        },
        filters: [
          villageFilter(t, p.villages, q.village, t("certifications.all_villages")),
          choiceFilter(
            "kind",
            [t("col.kind"), t("certifications.all_kinds")],
            CERTIFICATION_KINDS,
            (k) => t(`cert.${k}`),
            q.kind,
          ),
          choiceFilter(
            "source",
            [t("col.source"), t("certifications.all_sources")],
            CERTIFICATION_SOURCES,
            (s) => t(`source.${s}`),
            q.source,
          ),
        ],
        children: (["from", "to"] as const).map((k) => (
          <HintedInput
            name={k}
            label={t(`certifications.${k}`)}
            error={!!p.errors?.[k]}
            class="input input--short"
            type="date"
            value={q[k]}
          />
        )),
      }}
      empty={t("certifications.none_found")}
      rows={p.result.items}
      columns={[
        {
          head: t("certifications.resident"),
          cell: (c) => <a href={`/residents/${c.resident_id}`}>{c.full_name}</a>,
        },
        { head: t("col.village"), cell: (c) => c.village_name },
        { head: t("col.kind"), cell: (c) => t(`cert.${c.kind}`) },
        { head: t("col.date"), cell: (c) => dmy(c.date), class: "nowrap" },
        { head: t("col.source"), cell: (c) => t(`source.${c.source}`) },
        { head: t("col.reference"), cell: (c) => c.reference ?? "" },
        actions && {
          head: t("common.actions"),
          cell: (c) => (
            <CertificationActions t={t} c={c} back="list" canUpdate={p.canUpdate} canDelete={p.canDelete} />
          ),
        },
      ]}
      paging={p.result}
      href={listHref("/certifications", q)}
    />
  );
}

/** A certification's fields (kind, date, source, reference): the resident page's form and the edit page. */
export function certificationFields(t: T): FieldSpec[] {
  return [
    {
      kind: "select",
      name: "kind",
      label: "col.kind",
      options: CERTIFICATION_KINDS.map((k) => ({ value: k, label: t(`cert.${k}`) })),
    },
    { kind: "date", name: "date", label: "col.date", hint: t("hint.cert_date") },
    {
      kind: "select",
      name: "source",
      label: "col.source",
      options: (["platform", "vneid", "school", "course"] as const).map((k) => ({
        value: k,
        label: t(`source.${k}`),
      })),
    },
    { name: "reference", label: "col.reference" },
  ];
}

export type CertificationFormValues = { kind: string; date: string; source: string; reference: string };

export function CertificationFormPage(
  p: Pick<RecordFormProps<CertificationFormValues>, "ctx" | "values" | "errors"> & {
    c: CertificationItem;
    back: Back;
  },
) {
  const { t } = p.ctx;
  return (
    <FormPage
      ctx={p.ctx}
      back={backHref(p.back, p.c)}
      title={t("certifications.edit_title", { name: p.c.full_name })}
      action={`/certifications/${p.c.id}`}
      errors={p.errors}
      hidden={{ from: p.back }}
      values={p.values}
      fields={certificationFields(t)}
    />
  );
}

export function CertificationDeletePage(p: { ctx: PageCtx; c: CertificationItem; back: Back }) {
  const { t } = p.ctx;
  const c = p.c;
  return (
    <ConfirmDeletePage
      t={t}
      csrfToken={p.ctx.csrfToken}
      title={t("certifications.delete_title", { name: c.full_name })}
      rows={[
        [t("certifications.resident"), `${c.full_name} — ${c.village_name}`],
        [t("col.kind"), t(`cert.${c.kind}`)],
        [t("col.date"), dmy(c.date)],
        [t("col.source"), t(`source.${c.source}`)],
        [t("col.reference"), c.reference ?? t("common.none")],
      ]}
      action={`/certifications/${c.id}/delete`}
      confirmLabel={t("certifications.delete_confirm")}
      backHref={backHref(p.back, c)}
      hidden={{ from: p.back }}
    />
  );
}
