import type { FieldErrors } from "../../../lib/errors.ts";
import {
  Button,
  ConfirmDeletePage,
  Csrf,
  ErrorSummary,
  Pagination,
  TextField,
} from "../../../web/components.tsx";
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
      <h1>{t("villages.title")}</h1>
      {p.canCreate ? (
        <p>
          <a class="button" href="/villages/new">
            {t("villages.new")}
          </a>
        </p>
      ) : null}
      {p.result.items.length === 0 ? (
        <p>{t("villages.empty")}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t("villages.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("villages.code")}</th>
              <th scope="col">{t("villages.name")}</th>
            </tr>
          </thead>
          <tbody>
            {p.result.items.map((v) => (
              <tr>
                <td>{v.code}</td>
                <td>
                  <a href={`/villages/${v.id}`}>{v.name}</a>
                </td>
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
  return (
    <div>
      <p>
        <a href="/villages">{t("common.back")}</a>
      </p>
      <h1>{t("villages.detail_title", { name: v.name })}</h1>
      {p.canEdit || p.canDelete ? (
        <p>
          {p.canEdit ? (
            <a class="button button--secondary" href={`/villages/${v.id}/edit`}>
              {t("villages.edit")}
            </a>
          ) : null}
          {p.canDelete ? (
            <a class="button button--warning" href={`/villages/${v.id}/delete`}>
              {t("villages.delete")}
            </a>
          ) : null}
        </p>
      ) : null}
      <dl class="summary-list">
        <div>
          <dt>{t("villages.code")}</dt>
          <dd>{v.code}</dd>
        </div>
        <div>
          <dt>{t("villages.name")}</dt>
          <dd>{v.name}</dd>
        </div>
        <div>
          <dt>{t("villages.households_count")}</dt>
          <dd>
            {p.canSeeHouseholds ? (
              <a href={`/households?${byVillage}`}>{String(v.households)}</a>
            ) : (
              String(v.households)
            )}
          </dd>
        </div>
        <div>
          <dt>{t("villages.residents_count")}</dt>
          <dd>
            {p.canSeeResidents ? (
              <a href={`/residents?${byVillage}`}>{String(v.residents)}</a>
            ) : (
              String(v.residents)
            )}
          </dd>
        </div>
      </dl>
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

export function VillageFormPage(p: {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: VillageFormValues;
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
        <a href={p.id ? `/villages/${p.id}` : "/villages"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.id ? `/villages/${p.id}` : "/villages"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="code"
          label="villages.code"
          value={v("code")}
          hint={t("villages.code_hint")}
          errors={p.errors}
          autocomplete="off"
          width="short"
        />
        <TextField t={t} name="name" label="villages.name" value={v("name")} errors={p.errors} />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}

export function VillageDeletePage(p: { ctx: PageCtx; village: VillageView }) {
  const { t } = p.ctx;
  const v = p.village;
  return (
    <ConfirmDeletePage
      t={t}
      csrfToken={p.ctx.csrfToken}
      title={t("villages.delete_title", { name: v.name })}
      rows={[
        [t("villages.code"), v.code],
        [t("villages.name"), v.name],
      ]}
      action={`/villages/${v.id}/delete`}
      confirmLabel={t("villages.delete")}
      backHref={`/villages/${v.id}`}
    />
  );
}
