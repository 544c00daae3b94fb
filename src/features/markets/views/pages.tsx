import type { FieldErrors } from "../../../lib/errors.ts";
import { formatPercent } from "../../../lib/i18n/index.ts";
import {
  Button,
  CheckboxesField,
  Csrf,
  ErrorSummary,
  FilterSelect,
  Pagination,
} from "../../../web/components.tsx";
import { Fields } from "../../../web/kit/fields.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { MarketItem, MarketQuery, VendorItem, VendorQuery } from "../service.ts";
import { MARKET_KINDS, PAYMENT_METHODS, SALES_CHANNELS } from "../values.ts";

export type FormValues = Record<string, string | string[] | undefined>;

const many = (values: FormValues, k: string): string[] => {
  const x = values[k];
  if (x === undefined) return [];
  return (Array.isArray(x) ? x : [x]).flatMap((s) => s.split(";")).filter(Boolean);
};

function shareOf(ctx: PageCtx, cashless: number, vendors: number) {
  return vendors === 0 ? "—" : formatPercent(ctx.lang, cashless / vendors);
}

export function MarketListPage(p: {
  ctx: PageCtx;
  query: MarketQuery;
  markets: MarketItem[];
  villages: { id: number; name: string }[];
  canEdit: boolean;
  canImport: boolean;
  canExport: boolean;
}) {
  const { t } = p.ctx;
  const total = p.markets.reduce((s, m) => ({ v: s.v + m.vendors, c: s.c + m.cashless }), { v: 0, c: 0 });
  return (
    <div>
      <h1>{t("markets.title")}</h1>
      <p class="lead">{t("markets.lead")}</p>
      <p>
        <a class="button button--secondary" href="/vendors">
          {t("vendors.title")}
        </a>{" "}
        {p.canEdit ? (
          <>
            <a class="button" href="/markets/new">
              {t("markets.new")}
            </a>{" "}
            <a class="button" href="/vendors/new">
              {t("vendors.new")}
            </a>{" "}
          </>
        ) : null}
        {p.canImport ? (
          <a class="button button--secondary" href="/imports?kind=vendors">
            {t("markets.import_hint")}
          </a>
        ) : null}
      </p>
      <search>
        <form method="get" action="/markets" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {t("markets.name")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={p.query.q} />
          </div>
          <FilterSelect
            name="kind"
            label={t("markets.kind")}
            allLabel={t("markets.all_kinds")}
            options={MARKET_KINDS.map((k) => ({ value: k, label: t(`market_kind.${k}`) }))}
            value={p.query.kind}
          />
          <FilterSelect
            name="village"
            label={t("markets.village")}
            allLabel={t("households.all_villages")}
            options={p.villages.map((v) => ({ value: String(v.id), label: v.name }))}
            value={p.query.village}
          />
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      <h2>{t("markets.list")}</h2>
      {p.markets.length === 0 ? (
        <p>{t("markets.empty")}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t("markets.list")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("markets.code")}</th>
              <th scope="col">{t("markets.name")}</th>
              <th scope="col">{t("markets.village")}</th>
              <th scope="col">{t("markets.kind")}</th>
              <th scope="col">{t("markets.vendors")}</th>
              <th scope="col">{t("markets.cashless")}</th>
            </tr>
          </thead>
          <tbody>
            {p.markets.map((m) => (
              <tr>
                <td>{m.code}</td>
                <td>
                  <a href={`/markets/${m.id}`}>{m.name}</a>
                </td>
                <td>{m.village.name}</td>
                <td>{t(`market_kind.${m.kind}`)}</td>
                <td>
                  <a href={`/vendors?market=${m.id}`}>{String(m.vendors)}</a>
                </td>
                <td>
                  {String(m.cashless)} ({shareOf(p.ctx, m.cashless, m.vendors)})
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan={4}>
                {t("markets.total")}
              </th>
              <td>{String(total.v)}</td>
              <td>
                {String(total.c)} ({shareOf(p.ctx, total.c, total.v)})
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {p.canExport ? (
        <p>
          <a href="/exports/markets.xlsx">{`${t("kind.markets")} (.xlsx)`}</a> ·{" "}
          <a href="/exports/vendors.xlsx">{`${t("kind.vendors")} (.xlsx)`}</a> ·{" "}
          <a href="/exports/vendors.csv">{`${t("kind.vendors")} (.csv)`}</a>
        </p>
      ) : null}
    </div>
  );
}

export function MarketDetailPage(p: { ctx: PageCtx; market: MarketItem; canEdit: boolean }) {
  const { t } = p.ctx;
  const m = p.market;
  return (
    <div>
      <p>
        <a href="/markets">{t("common.back")}</a>
      </p>
      <h1>{m.name}</h1>
      {p.canEdit ? (
        <p>
          <a class="button button--secondary" href={`/markets/${m.id}/edit`}>
            {t("markets.edit")}
          </a>{" "}
          <a class="button" href={`/vendors/new?market=${encodeURIComponent(m.code)}`}>
            {t("vendors.new")}
          </a>
        </p>
      ) : null}
      <dl class="summary-list">
        <div>
          <dt>{t("markets.code")}</dt>
          <dd>{m.code}</dd>
        </div>
        <div>
          <dt>{t("markets.village")}</dt>
          <dd>{m.village.name}</dd>
        </div>
        <div>
          <dt>{t("markets.kind")}</dt>
          <dd>{t(`market_kind.${m.kind}`)}</dd>
        </div>
        <div>
          <dt>{t("markets.vendors")}</dt>
          <dd>{String(m.vendors)}</dd>
        </div>
        <div>
          <dt>{t("markets.cashless")}</dt>
          <dd>
            {String(m.cashless)} ({shareOf(p.ctx, m.cashless, m.vendors)})
          </dd>
        </div>
      </dl>
      <p>
        <a href={`/vendors?market=${m.id}`}>{t("markets.see_vendors")}</a>
      </p>
    </div>
  );
}

export function MarketFormPage(p: {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: FormValues;
  villages: { code: string; name: string }[];
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <p>
        <a href={p.id ? `/markets/${p.id}` : "/markets"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.id ? `/markets/${p.id}` : "/markets"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <Fields
          t={t}
          values={p.values}
          errors={p.errors}
          fields={[
            { name: "code", label: "markets.code", hint: t("markets.code_hint"), autocomplete: "off" },
            { name: "name", label: "markets.name" },
            {
              kind: "select",
              name: "village",
              label: "markets.village",
              options: [
                { value: "", label: "" },
                ...p.villages.map((x) => ({ value: x.code, label: x.name })),
              ],
            },
            {
              kind: "select",
              name: "kind",
              label: "markets.kind",
              options: MARKET_KINDS.map((k) => ({ value: k, label: t(`market_kind.${k}`) })),
              default: "traditional",
            },
          ]}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}

function setText(ctx: PageCtx, prefix: "payment" | "channel", values: readonly string[]) {
  return values.length === 0
    ? ctx.t("vendors.none")
    : values.map((x) => ctx.t(`${prefix}.${x}` as "payment.qr")).join(", ");
}

export function VendorListPage(p: {
  ctx: PageCtx;
  query: VendorQuery;
  result: { items: VendorItem[]; total: number; page: number; pageSize: number };
  markets: MarketItem[];
  canEdit: boolean;
}) {
  const { t } = p.ctx;
  const q = p.query;
  const params = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as Record<string, string>;
  const href = (page: number) => `/vendors?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div>
      <p>
        <a href="/markets">{t("markets.title")}</a>
      </p>
      <h1>{t("vendors.title")}</h1>
      {p.canEdit ? (
        <p>
          <a
            class="button"
            href={
              q.market
                ? `/vendors/new?market=${encodeURIComponent(p.markets.find((m) => String(m.id) === q.market)?.code ?? "")}`
                : "/vendors/new"
            }
          >
            {t("vendors.new")}
          </a>
        </p>
      ) : null}
      <search>
        <form method="get" action="/vendors" class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {t("vendors.search")}
            </label>
            <input class="input" id="f-q" name="q" type="search" value={q.q} />
          </div>
          <FilterSelect
            name="market"
            label={t("col.market")}
            allLabel={t("vendors.all_markets")}
            options={p.markets.map((m) => ({ value: String(m.id), label: m.name }))}
            value={q.market}
          />
          <FilterSelect
            name="cashless"
            label={t("vendors.cashless_filter")}
            allLabel={t("vendors.cashless_any")}
            options={[
              { value: "yes", label: t("vendors.cashless_yes") },
              { value: "no", label: t("vendors.cashless_no") },
            ]}
            value={q.cashless}
          />
          <FilterSelect
            name="payment"
            label={t("col.payments")}
            allLabel={t("vendors.any_payment")}
            options={PAYMENT_METHODS.map((x) => ({ value: x, label: t(`payment.${x}`) }))}
            value={q.payment}
          />
          <FilterSelect
            name="channel"
            label={t("col.channels")}
            allLabel={t("vendors.any_channel")}
            options={SALES_CHANNELS.map((x) => ({ value: x, label: t(`channel.${x}`) }))}
            value={q.channel}
          />
          <button type="submit" class="button button--secondary">
            {t("common.filter")}
          </button>
        </form>
      </search>
      <p>{t("vendors.count", { n: p.result.total })}</p>
      {p.result.items.length === 0 ? (
        <p>{t("vendors.none_found")}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t("vendors.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("col.market")}</th>
              <th scope="col">{t("col.stall")}</th>
              <th scope="col">{t("col.owner_name")}</th>
              <th scope="col">{t("col.goods")}</th>
              <th scope="col">{t("col.payments")}</th>
              <th scope="col">{t("col.channels")}</th>
            </tr>
          </thead>
          <tbody>
            {p.result.items.map((v) => (
              <tr>
                <td>{v.market.name}</td>
                <td>
                  <a href={`/vendors/${v.id}`}>{v.stall}</a>
                </td>
                <td>{v.ownerName}</td>
                <td>{v.goods ?? ""}</td>
                <td>{setText(p.ctx, "payment", v.payments)}</td>
                <td>{setText(p.ctx, "channel", v.channels)}</td>
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

export function VendorDetailPage(p: {
  ctx: PageCtx;
  vendor: VendorItem;
  canEdit: boolean;
  canSeeResident: boolean;
  canSeeHousehold: boolean;
}) {
  const { t } = p.ctx;
  const v = p.vendor;
  return (
    <div>
      <p>
        <a href={`/vendors?market=${v.market.id}`}>{t("common.back")}</a>
      </p>
      <h1>{t("vendors.detail_title", { stall: v.stall, market: v.market.name })}</h1>
      {p.canEdit ? (
        <p>
          <a class="button button--secondary" href={`/vendors/${v.id}/edit`}>
            {t("vendors.edit")}
          </a>
        </p>
      ) : null}
      <dl class="summary-list">
        <div>
          <dt>{t("col.market")}</dt>
          <dd>
            <a href={`/markets/${v.market.id}`}>{v.market.name}</a>
          </dd>
        </div>
        <div>
          <dt>{t("col.stall")}</dt>
          <dd>{v.stall}</dd>
        </div>
        <div>
          <dt>{t("col.owner_name")}</dt>
          <dd>{v.ownerName}</dd>
        </div>
        <div>
          <dt>{t("vendors.owner_link")}</dt>
          <dd>
            {v.residentId === null && v.household === null ? t("vendors.owner_unlinked") : null}
            {v.residentId !== null ? (
              p.canSeeResident ? (
                <a href={`/residents/${v.residentId}`}>{t("vendors.owner_resident")}</a>
              ) : (
                t("vendors.owner_resident")
              )
            ) : null}
            {v.residentId !== null && v.household ? " · " : null}
            {v.household ? (
              p.canSeeHousehold ? (
                <a href={`/households/${v.household.id}`}>{v.household.code}</a>
              ) : (
                v.household.code
              )
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t("col.goods")}</dt>
          <dd>{v.goods ?? ""}</dd>
        </div>
        <div>
          <dt>{t("col.payments")}</dt>
          <dd>{setText(p.ctx, "payment", v.payments)}</dd>
        </div>
        <div>
          <dt>{t("col.channels")}</dt>
          <dd>{setText(p.ctx, "channel", v.channels)}</dd>
        </div>
      </dl>
    </div>
  );
}

export function VendorFormPage(p: {
  ctx: PageCtx;
  id?: number | undefined;
  title: string;
  values: FormValues;
  markets: MarketItem[];
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <p>
        <a href={p.id ? `/vendors/${p.id}` : "/vendors"}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.id ? `/vendors/${p.id}` : "/vendors"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <Fields
          t={t}
          values={p.values}
          errors={p.errors}
          fields={[
            {
              kind: "select",
              name: "market",
              label: "col.market",
              options: [
                { value: "", label: "" },
                ...p.markets.map((m) => ({ value: m.code, label: m.name })),
              ],
            },
            { name: "stall", label: "col.stall", width: "short" },
            { name: "owner_name", label: "col.owner_name" },
            {
              name: "citizen_id",
              label: "col.citizen_id",
              hint: t("vendors.citizen_id_hint"),
              inputmode: "numeric",
              autocomplete: "off",
            },
            {
              name: "household",
              label: "col.household",
              hint: t("vendors.household_hint"),
              autocomplete: "off",
            },
            { name: "goods", label: "col.goods" },
          ]}
        />
        <CheckboxesField
          t={t}
          name="payments"
          legend="col.payments"
          hint={t("vendors.sets_hint")}
          options={PAYMENT_METHODS.map((x) => ({ value: x, label: t(`payment.${x}`) }))}
          values={many(p.values, "payments")}
          errors={p.errors}
        />
        <CheckboxesField
          t={t}
          name="channels"
          legend="col.channels"
          hint={t("vendors.sets_hint")}
          options={SALES_CHANNELS.map((x) => ({ value: x, label: t(`channel.${x}`) }))}
          values={many(p.values, "channels")}
          errors={p.errors}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}
