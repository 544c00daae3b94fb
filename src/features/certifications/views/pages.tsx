import { CERTIFICATION_KINDS, CERTIFICATION_SOURCES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import type { T } from "../../../lib/i18n/index.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import {
  Button,
  ConfirmDeletePage,
  Csrf,
  ErrorSummary,
  FilterSelect,
  Pagination,
  SelectField,
  TextField,
} from "../../../web/components.tsx";
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
      {p.canUpdate ? (
        <a href={`/certifications/${p.c.id}/edit${q}`}>
          {t("certifications.edit")}
          <span class="visually-hidden">{which}</span>
        </a>
      ) : null}
      {p.canUpdate && p.canDelete ? " · " : null}
      {p.canDelete ? (
        <a href={`/certifications/${p.c.id}/delete${q}`}>
          {t("certifications.delete")}
          <span class="visually-hidden">{which}</span>
        </a>
      ) : null}
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
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (page: number) => `/certifications?${new URLSearchParams({ ...params, page: String(page) })}`;
  const actions = p.canUpdate || p.canDelete;
  return (
    <div>
      <h1>{t("certifications.title")}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <search>
        <form method="get" action="/certifications" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {p.searchById ? t("certifications.search_id") : t("certifications.search")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={q.q} />
          </div>
          <FilterSelect
            name="village"
            label={t("col.village")}
            allLabel={t("certifications.all_villages")}
            options={p.villages.map((v) => ({ value: v.code, label: v.name }))}
            value={q.village}
          />
          <FilterSelect
            name="kind"
            label={t("col.kind")}
            allLabel={t("certifications.all_kinds")}
            options={CERTIFICATION_KINDS.map((k) => ({ value: k, label: t(`cert.${k}`) }))}
            value={q.kind}
          />
          <FilterSelect
            name="source"
            label={t("col.source")}
            allLabel={t("certifications.all_sources")}
            options={CERTIFICATION_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
            value={q.source}
          />
          {(["from", "to"] as const).map((k) => (
            <div class={`field${p.errors?.[k] ? " field--error" : ""}`}>
              <label class="field__label" for={`f-${k}`}>
                {t(`certifications.${k}`)}
              </label>
              <input class="input input--short" id={`f-${k}`} name={k} type="date" value={q[k]} />
            </div>
          ))}
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      {p.result.items.length === 0 ? (
        <p>{t("certifications.none_found")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("certifications.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("certifications.resident")}</th>
                <th scope="col">{t("col.village")}</th>
                <th scope="col">{t("col.kind")}</th>
                <th scope="col">{t("col.date")}</th>
                <th scope="col">{t("col.source")}</th>
                <th scope="col">{t("col.reference")}</th>
                {actions ? <th scope="col">{t("common.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {p.result.items.map((c) => (
                <tr>
                  <td>
                    <a href={`/residents/${c.resident_id}`}>{c.full_name}</a>
                  </td>
                  <td>{c.village_name}</td>
                  <td>{t(`cert.${c.kind}`)}</td>
                  <td class="nowrap">{dmy(c.date)}</td>
                  <td>{t(`source.${c.source}`)}</td>
                  <td>{c.reference ?? ""}</td>
                  {actions ? (
                    <td>
                      <CertificationActions
                        t={t}
                        c={c}
                        back="list"
                        canUpdate={p.canUpdate}
                        canDelete={p.canDelete}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        t={t}
        page={p.result.page}
        pageSize={p.result.pageSize}
        total={p.result.total}
        href={href}
      />
    </div>
  );
}

export type CertificationFormValues = { kind: string; date: string; source: string; reference: string };

export function CertificationFormPage(p: {
  ctx: PageCtx;
  c: CertificationItem;
  back: Back;
  values: CertificationFormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <p>
        <a href={backHref(p.back, p.c)}>{t("common.back")}</a>
      </p>
      <h1>{t("certifications.edit_title", { name: p.c.full_name })}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`/certifications/${p.c.id}`} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <input type="hidden" name="from" value={p.back} />
        <SelectField
          t={t}
          name="kind"
          label="col.kind"
          value={p.values.kind}
          errors={p.errors}
          options={CERTIFICATION_KINDS.map((k) => ({ value: k, label: t(`cert.${k}`) }))}
        />
        <TextField
          t={t}
          name="date"
          label="col.date"
          value={p.values.date}
          hint={t("hint.cert_date")}
          errors={p.errors}
          width="short"
        />
        <SelectField
          t={t}
          name="source"
          label="col.source"
          value={p.values.source}
          errors={p.errors}
          options={CERTIFICATION_SOURCES.map((k) => ({ value: k, label: t(`source.${k}`) }))}
        />
        <TextField
          t={t}
          name="reference"
          label="col.reference"
          value={p.values.reference}
          errors={p.errors}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
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
