import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { INCIDENT_SEVERITIES } from "../../../lib/values.ts";
import {
  Button,
  Csrf,
  ErrorSummary,
  FilterSelect,
  Pagination,
  SelectField,
  TextField,
} from "../../../web/components.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { UnitRow } from "../../units/repo.ts";
import { TextareaField } from "../../visits/views/parts.tsx";
import type { IncidentItem, IncidentQuery } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

export function IncidentListPage(p: {
  ctx: PageCtx;
  query: IncidentQuery;
  result: { items: IncidentItem[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  const q = p.query;
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (page: number) => `/incidents?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div>
      <h1>{t("incidents.title")}</h1>
      {p.canCreate ? (
        <p>
          <a class="button" href="/incidents/new">
            {t("incidents.new")}
          </a>
        </p>
      ) : null}
      <search>
        <form method="get" action="/incidents" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {t("incidents.search")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={q.q} />
          </div>
          <FilterSelect
            name="severity"
            label={t("incidents.severity")}
            allLabel={t("incidents.all_severities")}
            options={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severity.${s}`) }))}
            value={q.severity}
          />
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      {p.result.items.length === 0 ? (
        <p>{t("incidents.none_found")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("incidents.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("incidents.code")}</th>
                <th scope="col">{t("incidents.date")}</th>
                <th scope="col">{t("incidents.severity")}</th>
                <th scope="col">{t("incidents.kind")}</th>
                <th scope="col">{t("incidents.description")}</th>
                <th scope="col">{t("col.unit")}</th>
                <th scope="col">{t("incidents.resolved_date")}</th>
              </tr>
            </thead>
            <tbody>
              {p.result.items.map((x) => (
                <tr>
                  <td>
                    <a href={`/incidents/${x.id}`}>{x.code}</a>
                  </td>
                  <td class="nowrap">{dmy(x.date)}</td>
                  <td>
                    <span class={`tag ${x.severity === "serious" ? "tag--red" : "tag--grey"}`}>
                      {t(`incidents.severity.${x.severity}`)}
                    </span>
                  </td>
                  <td>{x.kind ?? t("common.none")}</td>
                  <td>{x.description}</td>
                  <td>{x.unit_name ?? t("common.none")}</td>
                  <td class="nowrap">{x.resolved_date ? dmy(x.resolved_date) : t("incidents.open")}</td>
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
      <p>
        <a href="/incidents">{t("common.back")}</a>
      </p>
      <h1>{t("incidents.detail_title", { code: x.code })}</h1>
      {p.canEdit ? (
        <p>
          <a class="button button--secondary" href={`/incidents/${x.id}/edit`}>
            {t("incidents.edit")}
          </a>
        </p>
      ) : null}
      <dl class="summary-list">
        {rows.map(([k, v]) => (
          <div>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export type FormValues = Record<string, string | string[] | undefined>;

export function IncidentFormPage(p: {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: FormValues;
  units: UnitRow[];
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const v = (k: string) => {
    const x = p.values[k];
    return Array.isArray(x) ? x[0] : x;
  };
  return (
    <div class="narrow">
      <p>
        <a href={p.id ? `/incidents/${p.id}` : "/incidents"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.id ? `/incidents/${p.id}` : "/incidents"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="code"
          label="incidents.code"
          value={v("code")}
          errors={p.errors}
          autocomplete="off"
        />
        <TextField
          t={t}
          name="date"
          label="incidents.date"
          type="date"
          value={v("date")}
          errors={p.errors}
          width="short"
        />
        <SelectField
          t={t}
          name="severity"
          label="incidents.severity"
          value={v("severity")}
          errors={p.errors}
          options={[
            { value: "", label: "" },
            ...INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severity.${s}`) })),
          ]}
        />
        <TextField
          t={t}
          name="kind"
          label="incidents.kind"
          value={v("kind")}
          hint={t("incidents.kind_hint")}
          errors={p.errors}
        />
        <TextareaField
          t={t}
          name="description"
          label="incidents.description"
          value={v("description")}
          errors={p.errors}
        />
        <SelectField
          t={t}
          name="unit"
          label="col.unit"
          value={v("unit")}
          errors={p.errors}
          options={[
            { value: "", label: "" },
            ...p.units.map((u) => ({ value: u.code, label: `${u.name} (${u.code})` })),
          ]}
        />
        <TextField
          t={t}
          name="resolved_date"
          label="incidents.resolved_date"
          type="date"
          value={v("resolved_date")}
          hint={t("incidents.resolved_hint")}
          errors={p.errors}
          width="short"
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}
