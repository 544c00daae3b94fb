import { RESIDENT_GROUPS, RESIDENT_STATUSES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import type { T } from "../../../lib/i18n/index.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import {
  Button,
  CheckboxesField,
  Csrf,
  ErrorSummary,
  FilterSelect,
  Pagination,
  SelectField,
  TextField,
} from "../../../web/components.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { CertificationActions } from "../../certifications/views/pages.tsx";
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
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (page: number) => `/residents?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div>
      <h1>{t("residents.title")}</h1>
      <p>
        {p.canCreate ? (
          <a class="button" href="/residents/new">
            {t("residents.new")}
          </a>
        ) : null}
        {p.canExport ? (
          <>
            <a class="button button--secondary" href="/exports/residents.xlsx" download>
              {t("residents.export_xlsx")}
            </a>
            <a class="button button--secondary" href="/exports/residents.csv" download>
              {t("residents.export_csv")}
            </a>
          </>
        ) : null}
      </p>
      <search>
        <form method="get" action="/residents" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {p.searchById ? t("residents.search_id") : t("residents.search")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={q.q} />
          </div>
          <FilterSelect
            name="village"
            label={t("col.village")}
            allLabel={t("residents.all_villages")}
            options={p.villages.map((v) => ({ value: v.code, label: v.name }))}
            value={q.village}
          />
          <FilterSelect
            name="group"
            label={t("col.groups")}
            allLabel={t("residents.all_groups")}
            options={RESIDENT_GROUPS.map((g) => ({ value: g, label: t(`group.${g}`) }))}
            value={q.group}
          />
          <FilterSelect
            name="status"
            label={t("col.status")}
            allLabel={t("residents.all_statuses")}
            options={RESIDENT_STATUSES.map((x) => ({ value: x, label: t(`status.${x}`) }))}
            value={q.status}
          />
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      {p.result.items.length === 0 ? (
        <p>{t("residents.none_found")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("residents.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col.full_name")}</th>
                <th scope="col">{t("residents.age")}</th>
                <th scope="col">{t("col.village")}</th>
                <th scope="col">{t("col.household")}</th>
                {personal ? <th scope="col">{t("col.citizen_id")}</th> : null}
                <th scope="col">{t("col.status")}</th>
                <th scope="col">{t("col.vneid_level")}</th>
              </tr>
            </thead>
            <tbody>
              {p.result.items.map((r) => (
                <tr>
                  <td>
                    <a href={`/residents/${r.id}`}>{r.full_name}</a>
                  </td>
                  <td>{r.age}</td>
                  <td>{r.village_name}</td>
                  <td>{r.household}</td>
                  {personal ? (
                    <td>
                      <span class="nowrap">{r.citizen_id ?? t("common.none")}</span>
                    </td>
                  ) : null}
                  <td>{t(`status.${r.status}`)}</td>
                  <td>{t(`vneid.${r.vneid_level as 0 | 1 | 2}`)}</td>
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
        hasNext={p.result.hasNext}
        href={href}
      />
    </div>
  );
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
      <p>
        <a href="/residents">{t("common.back")}</a>
      </p>
      <h1>{r.full_name}</h1>
      {p.canEdit ? (
        <p>
          <a class="button button--secondary" href={`/residents/${r.id}/edit`}>
            {t("residents.edit")}
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
      {r.gender === undefined ? (
        <p class="small">{t("residents.names_only_note")}</p>
      ) : p.masked ? (
        <p class="small">{t("residents.masked_note")}</p>
      ) : null}
      {r.certifications === undefined ? null : <h2>{t("residents.certifications")}</h2>}
      {r.certifications === undefined ? null : r.certifications.length === 0 ? (
        <p>{t("residents.no_certifications")}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t("residents.certifications")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("col.kind")}</th>
              <th scope="col">{t("col.date")}</th>
              <th scope="col">{t("col.source")}</th>
              <th scope="col">{t("col.reference")}</th>
              {certActions ? <th scope="col">{t("common.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {r.certifications.map((c) => (
              <tr>
                <td>{t(`cert.${c.kind}`)}</td>
                <td>{dmy(c.date)}</td>
                <td>{t(`source.${c.source}`)}</td>
                <td>{c.reference ?? ""}</td>
                {certActions ? (
                  <td>
                    <CertificationActions
                      t={t}
                      c={c}
                      back="resident"
                      canUpdate={!!p.canEditCertifications}
                      canDelete={!!p.canDeleteCertifications}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.canCertify ? (
        <section class="narrow">
          <h2 id="add-cert">{t("certifications.add")}</h2>
          <ErrorSummary t={t} errors={p.certErrors} />
          <form method="post" action={`/residents/${r.id}/certifications`} novalidate>
            <Csrf token={p.ctx.csrfToken} />
            <SelectField
              t={t}
              name="kind"
              label="col.kind"
              value={p.certValues?.kind ?? "basic"}
              errors={p.certErrors}
              options={(["basic", "vneid"] as const).map((k) => ({ value: k, label: t(`cert.${k}`) }))}
            />
            <TextField
              t={t}
              name="date"
              label="col.date"
              value={p.certValues?.date}
              hint={t("hint.cert_date")}
              errors={p.certErrors}
              width="short"
            />
            <SelectField
              t={t}
              name="source"
              label="col.source"
              value={p.certValues?.source ?? "platform"}
              errors={p.certErrors}
              options={(["platform", "vneid", "school", "course"] as const).map((k) => ({
                value: k,
                label: t(`source.${k}`),
              }))}
            />
            <TextField
              t={t}
              name="reference"
              label="col.reference"
              value={p.certValues?.reference}
              errors={p.certErrors}
            />
            <Button>{t("certifications.add")}</Button>
          </form>
        </section>
      ) : null}
    </div>
  );
}

export type ResidentFormValues = Record<string, string | string[] | undefined>;

export function ResidentFormPage(p: {
  ctx: PageCtx;
  id?: number;
  title: string;
  values: ResidentFormValues;
  villages: VillageRow[];
  units: UnitRow[];
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const v = (k: string) => {
    const x = p.values[k];
    return Array.isArray(x) ? x.join(";") : x;
  };
  const groups = (() => {
    const x = p.values.groups;
    return Array.isArray(x) ? x : x ? x.split(";") : [];
  })();
  return (
    <div class="narrow">
      <p>
        <a href={p.id ? `/residents/${p.id}` : "/residents"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.id ? `/residents/${p.id}` : "/residents"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="full_name"
          label="col.full_name"
          value={v("full_name")}
          errors={p.errors}
          autocomplete="off"
        />
        <TextField
          t={t}
          name="birth_date"
          label="col.birth_date"
          value={v("birth_date")}
          hint={t("hint.birth_date")}
          errors={p.errors}
          width="short"
        />
        <SelectField
          t={t}
          name="gender"
          label="col.gender"
          value={v("gender")}
          errors={p.errors}
          options={[
            { value: "", label: "" },
            ...(["male", "female", "other"] as const).map((g) => ({ value: g, label: t(`gender.${g}`) })),
          ]}
        />
        <TextField
          t={t}
          name="citizen_id"
          label="col.citizen_id"
          value={v("citizen_id")}
          hint={t("hint.citizen_id")}
          errors={p.errors}
          inputmode="numeric"
        />
        <TextField
          t={t}
          name="phone"
          label="col.phone"
          type="tel"
          value={v("phone")}
          hint={t("hint.phone")}
          errors={p.errors}
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
          name="household"
          label="col.household"
          value={v("household")}
          hint={t("hint.household")}
          errors={p.errors}
        />
        <SelectField
          t={t}
          name="status"
          label="col.status"
          value={v("status") ?? "active"}
          hint={t("residents.deactivate_hint")}
          errors={p.errors}
          options={RESIDENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <CheckboxesField
          t={t}
          name="groups"
          legend="col.groups"
          hint={t("hint.groups")}
          values={groups}
          errors={p.errors}
          options={RESIDENT_GROUPS.map((g) => ({ value: g, label: t(`group.${g}`) }))}
        />
        <SelectField
          t={t}
          name="unit"
          label="col.unit"
          value={v("unit")}
          errors={p.errors}
          options={[
            { value: "", label: t("unit.none") },
            ...p.units.map((u) => ({ value: u.code, label: `${u.name} (${u.code})` })),
          ]}
        />
        <SelectField
          t={t}
          name="vneid_level"
          label="col.vneid_level"
          value={v("vneid_level") ?? "0"}
          errors={p.errors}
          options={(["0", "1", "2"] as const).map((l) => ({ value: l, label: t(`vneid.${l}`) }))}
        />
        <CheckboxesField
          t={t}
          name="disabled"
          legend="col.disabled"
          values={v("disabled") === "true" ? ["true"] : []}
          errors={p.errors}
          options={[{ value: "true", label: t("common.yes") }]}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}
