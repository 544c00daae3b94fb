import type { FieldErrors } from "../../../lib/errors.ts";
import {
  Button,
  CheckboxesField,
  ConfirmDeletePage,
  Csrf,
  ErrorSummary,
  FilterSelect,
  Pagination,
  SelectField,
  TextField,
} from "../../../web/components.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { seesPersonal } from "../../residents/fields.ts";
import type { ResidentItem } from "../../residents/service.ts";
import type { VillageRow } from "../../villages/repo.ts";
import type { HouseholdDetail, HouseholdItem, HouseholdQuery } from "../service.ts";

export function HouseholdListPage(p: {
  ctx: PageCtx;
  query: HouseholdQuery;
  villages: VillageRow[];
  result: { items: HouseholdItem[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  const q = p.query;
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (page: number) => `/households?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div>
      <h1>{t("households.title")}</h1>
      {p.canCreate ? (
        <p>
          <a class="button" href="/households/new">
            {t("households.new")}
          </a>
        </p>
      ) : null}
      <search>
        <form method="get" action="/households" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {t("households.search")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={q.q} />
          </div>
          <FilterSelect
            name="village"
            label={t("col.village")}
            allLabel={t("households.all_villages")}
            options={p.villages.map((v) => ({ value: v.code, label: v.name }))}
            value={q.village}
          />
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      {p.result.items.length === 0 ? (
        <p>{t("households.none_found")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("households.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col.household")}</th>
                <th scope="col">{t("col.head_name")}</th>
                <th scope="col">{t("col.village")}</th>
                <th scope="col">{t("col.address")}</th>
                <th scope="col">{t("col.poor")}</th>
              </tr>
            </thead>
            <tbody>
              {p.result.items.map((h) => (
                <tr>
                  <td>
                    <a href={`/households/${h.id}`}>{h.code}</a>
                  </td>
                  <td>{h.head_name ?? t("common.none")}</td>
                  <td>{h.village_name}</td>
                  <td>{h.address ?? t("common.none")}</td>
                  <td>{h.poor ? t("common.yes") : t("common.no")}</td>
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
      <p>
        <a href="/households">{t("common.back")}</a>
      </p>
      <h1>{t("households.detail_title", { code: h.code })}</h1>
      {p.canEdit || p.canDelete ? (
        <p>
          {p.canEdit ? (
            <a class="button button--secondary" href={`/households/${h.id}/edit`}>
              {t("households.edit")}
            </a>
          ) : null}
          {p.canDelete ? (
            <a class="button button--warning" href={`/households/${h.id}/delete`}>
              {t("households.delete")}
            </a>
          ) : null}
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
      <h2>{t("households.members")}</h2>
      {p.members.length === 0 ? (
        <p>{t("households.no_members")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("households.members")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col.full_name")}</th>
                <th scope="col">{t("residents.age")}</th>
                {personal ? <th scope="col">{t("col.gender")}</th> : null}
                <th scope="col">{t("col.status")}</th>
                <th scope="col">{t("col.vneid_level")}</th>
              </tr>
            </thead>
            <tbody>
              {p.members.map((r) => (
                <tr>
                  <td>
                    <a href={`/residents/${r.id}`}>{r.full_name}</a>
                  </td>
                  <td>{r.age}</td>
                  {r.gender === undefined ? null : <td>{t(`gender.${r.gender}`)}</td>}
                  <td>{t(`status.${r.status}`)}</td>
                  <td>{t(`vneid.${r.vneid_level as 0 | 1 | 2}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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

export function HouseholdFormPage(p: {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: HouseholdFormValues;
  villages: VillageRow[];
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const v = (k: string) => {
    const x = p.values[k];
    return Array.isArray(x) ? x[0] : x;
  };
  const action = p.id ? `/households/${p.id}` : "/households";
  return (
    <div class="narrow">
      <p>
        <a href={p.id ? `/households/${p.id}` : "/households"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={action} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="code"
          label="col.household"
          value={v("code")}
          hint={t("households.code_hint")}
          errors={p.errors}
          autocomplete="off"
        />
        <SelectField
          t={t}
          name="village"
          label="col.village"
          value={v("village")}
          errors={p.errors}
          options={[
            { value: "", label: "" },
            ...p.villages.map((x) => ({ value: x.code, label: `${x.name} (${x.code})` })),
          ]}
        />
        <TextField
          t={t}
          name="head_name"
          label="col.head_name"
          value={v("head_name")}
          errors={p.errors}
          autocomplete="off"
        />
        <TextField t={t} name="address" label="col.address" value={v("address")} errors={p.errors} />
        <CheckboxesField
          t={t}
          name="poor"
          legend="col.poor"
          values={v("poor") === "true" ? ["true"] : []}
          errors={p.errors}
          options={[{ value: "true", label: t("households.poor_label") }]}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}

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
