import { UNIT_TYPES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
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
import type { UnitDetail, UnitItem, UnitQuery } from "../service.ts";

export function UnitListPage(p: {
  ctx: PageCtx;
  query: UnitQuery;
  result: { items: UnitItem[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  const q = p.query;
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (page: number) => `/units?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div>
      <h1>{t("units.title")}</h1>
      {p.canCreate ? (
        <p>
          <a class="button" href="/units/new">
            {t("units.new")}
          </a>
        </p>
      ) : null}
      <search>
        <form method="get" action="/units" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {t("units.name")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={q.q} />
          </div>
          <FilterSelect
            name="type"
            label={t("units.type")}
            allLabel={t("units.all_types")}
            options={UNIT_TYPES.map((x) => ({ value: x, label: t(`unit_type.${x}`) }))}
            value={q.type}
          />
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      {p.result.items.length === 0 ? (
        <p>{t("units.empty")}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t("units.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("units.code")}</th>
              <th scope="col">{t("units.name")}</th>
              <th scope="col">{t("units.type")}</th>
            </tr>
          </thead>
          <tbody>
            {p.result.items.map((u) => (
              <tr>
                <td>{u.code}</td>
                <td>
                  <a href={`/units/${u.id}`}>{u.name}</a>
                </td>
                <td>{t(`unit_type.${u.type}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
      <p>
        <a href="/units">{t("common.back")}</a>
      </p>
      <h1>{u.name}</h1>
      {p.canEdit || p.canDelete ? (
        <p>
          {p.canEdit ? (
            <a class="button button--secondary" href={`/units/${u.id}/edit`}>
              {t("units.edit")}
            </a>
          ) : null}
          {p.canDelete ? (
            <a class="button button--warning" href={`/units/${u.id}/delete`}>
              {t("units.delete")}
            </a>
          ) : null}
        </p>
      ) : null}
      <dl class="summary-list">
        <div>
          <dt>{t("units.code")}</dt>
          <dd>{u.code}</dd>
        </div>
        <div>
          <dt>{t("units.type")}</dt>
          <dd>{t(`unit_type.${u.type}`)}</dd>
        </div>
        <div>
          <dt>{t("units.members_count")}</dt>
          <dd>{String(u.members)}</dd>
        </div>
      </dl>
      {p.canSeeMembers ? (
        <p>
          <a href={`/residents?${new URLSearchParams({ unit: u.code })}`}>{t("units.see_members")}</a>
        </p>
      ) : null}
    </div>
  );
}

export type UnitFormValues = Record<string, string | string[] | undefined>;

export function UnitFormPage(p: {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: UnitFormValues;
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
        <a href={p.id ? `/units/${p.id}` : "/units"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.id ? `/units/${p.id}` : "/units"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="code"
          label="units.code"
          value={v("code")}
          hint={t("units.code_hint")}
          errors={p.errors}
          autocomplete="off"
        />
        <TextField t={t} name="name" label="units.name" value={v("name")} errors={p.errors} />
        <SelectField
          t={t}
          name="type"
          label="units.type"
          value={v("type")}
          errors={p.errors}
          options={[
            { value: "", label: "" },
            ...UNIT_TYPES.map((x) => ({ value: x, label: t(`unit_type.${x}`) })),
          ]}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}

export function UnitDeletePage(p: { ctx: PageCtx; unit: UnitItem }) {
  const { t } = p.ctx;
  const u = p.unit;
  return (
    <ConfirmDeletePage
      t={t}
      csrfToken={p.ctx.csrfToken}
      title={t("units.delete_title", { name: u.name })}
      rows={[
        [t("units.code"), u.code],
        [t("units.name"), u.name],
        [t("units.type"), t(`unit_type.${u.type}`)],
      ]}
      action={`/units/${u.id}/delete`}
      confirmLabel={t("units.delete")}
      backHref={`/units/${u.id}`}
    />
  );
}
