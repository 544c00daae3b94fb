import { formatPercent } from "../../../lib/i18n/index.ts";
import { FilterBar, listHref } from "../../../web/kit/filter-bar.tsx";
import { ListPage } from "../../../web/kit/list-page.tsx";
import { PageHeader } from "../../../web/kit/page.tsx";
import {
  codeNameFields,
  pickOne,
  type RecordFormProps,
  recordFormPage,
} from "../../../web/kit/record-pages.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { MarketItem, MarketQuery, VendorItem, VendorQuery } from "../service.ts";
import { MARKET_KINDS, PAYMENT_METHODS, SALES_CHANNELS } from "../values.ts";

export type FormValues = Record<string, string | string[] | undefined>;

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
      <PageHeader
        t={t}
        title={t("markets.title")}
        lead={t("markets.lead")}
        actions={[
          { href: "/vendors", label: t("vendors.title"), variant: "secondary" },
          p.canEdit && { href: "/markets/new", label: t("markets.new") },
          p.canEdit && { href: "/vendors/new", label: t("vendors.new") },
          p.canImport && {
            href: "/imports?kind=vendors",
            label: t("markets.import_hint"),
            variant: "secondary",
          },
        ]}
      />
      <FilterBar
        action="/markets"
        submit={t("common.filter")}
        search={{ label: t("markets.name"), value: p.query.q }}
        filters={[
          {
            name: "kind",
            label: t("markets.kind"),
            allLabel: t("markets.all_kinds"),
            options: MARKET_KINDS.map((k) => ({ value: k, label: t(`market_kind.${k}`) })),
            value: p.query.kind,
          },
          {
            name: "village",
            label: t("markets.village"),
            allLabel: t("households.all_villages"),
            options: p.villages.map((v) => ({ value: String(v.id), label: v.name })),
            value: p.query.village,
          },
        ]}
      />
      <h2>{t("markets.list")}</h2>
      <ListTable
        caption={t("markets.list")}
        empty={t("markets.empty")}
        rows={p.markets}
        columns={[
          { head: t("markets.code"), cell: (m) => m.code },
          { head: t("markets.name"), cell: (m) => <a href={`/markets/${m.id}`}>{m.name}</a> },
          { head: t("markets.village"), cell: (m) => m.village.name },
          { head: t("markets.kind"), cell: (m) => t(`market_kind.${m.kind}`) },
          {
            head: t("markets.vendors"),
            cell: (m) => <a href={`/vendors?market=${m.id}`}>{String(m.vendors)}</a>,
          },
          {
            head: t("markets.cashless"),
            cell: (m) => `${m.cashless} (${shareOf(p.ctx, m.cashless, m.vendors)})`,
          },
        ]}
        foot={
          <tr>
            <th scope="row" colspan={4}>
              {t("markets.total")}
            </th>
            <td>{String(total.v)}</td>
            <td>{`${total.c} (${shareOf(p.ctx, total.c, total.v)})`}</td>
          </tr>
        }
      />
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
      <PageHeader
        t={t}
        back="/markets"
        title={m.name}
        actions={[
          p.canEdit && { href: `/markets/${m.id}/edit`, label: t("markets.edit"), variant: "secondary" },
          p.canEdit && { href: `/vendors/new?market=${encodeURIComponent(m.code)}`, label: t("vendors.new") },
        ]}
      />
      <SummaryList
        rows={[
          [t("markets.code"), m.code],
          [t("markets.village"), m.village.name],
          [t("markets.kind"), t(`market_kind.${m.kind}`)],
          [t("markets.vendors"), String(m.vendors)],
          [t("markets.cashless"), `${m.cashless} (${shareOf(p.ctx, m.cashless, m.vendors)})`],
        ]}
      />
      <p>
        <a href={`/vendors?market=${m.id}`}>{t("markets.see_vendors")}</a>
      </p>
    </div>
  );
}

export const MarketFormPage = recordFormPage(
  "/markets",
  (p: RecordFormProps & { villages: { code: string; name: string }[] }, t) => [
    ...codeNameFields(t, { code: "markets.code", hint: "markets.code_hint", name: "markets.name" }),
    pickOne(
      "village",
      "markets.village",
      p.villages.map((x) => ({ value: x.code, label: x.name })),
    ),
    {
      kind: "select",
      name: "kind",
      label: "markets.kind",
      options: MARKET_KINDS.map((k) => ({ value: k, label: t(`market_kind.${k}`) })),
      default: "traditional",
    },
  ],
);

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
  const marketCode = p.markets.find((m) => String(m.id) === q.market)?.code ?? "";
  return (
    <div>
      <p>
        <a href="/markets">{t("markets.title")}</a>
      </p>
      <ListPage
        t={t}
        title={t("vendors.title")}
        actions={[
          p.canEdit && {
            href: q.market ? `/vendors/new?market=${encodeURIComponent(marketCode)}` : "/vendors/new",
            label: t("vendors.new"),
          },
        ]}
        filter={{
          action: "/vendors",
          search: { label: t("vendors.search"), value: q.q },
          filters: [
            {
              name: "market",
              label: t("col.market"),
              allLabel: t("vendors.all_markets"),
              options: p.markets.map((m) => ({ value: String(m.id), label: m.name })),
              value: q.market,
            },
            {
              name: "cashless",
              label: t("vendors.cashless_filter"),
              allLabel: t("vendors.cashless_any"),
              options: [
                { value: "yes", label: t("vendors.cashless_yes") },
                { value: "no", label: t("vendors.cashless_no") },
              ],
              value: q.cashless,
            },
            {
              name: "payment",
              label: t("col.payments"),
              allLabel: t("vendors.any_payment"),
              options: PAYMENT_METHODS.map((x) => ({ value: x, label: t(`payment.${x}`) })),
              value: q.payment,
            },
            {
              name: "channel",
              label: t("col.channels"),
              allLabel: t("vendors.any_channel"),
              options: SALES_CHANNELS.map((x) => ({ value: x, label: t(`channel.${x}`) })),
              value: q.channel,
            },
          ],
        }}
        before={<p>{t("vendors.count", { n: p.result.total })}</p>}
        empty={t("vendors.none_found")}
        rows={p.result.items}
        columns={[
          { head: t("col.market"), cell: (v) => v.market.name },
          { head: t("col.stall"), cell: (v) => <a href={`/vendors/${v.id}`}>{v.stall}</a> },
          { head: t("col.owner_name"), cell: (v) => v.ownerName },
          { head: t("col.goods"), cell: (v) => v.goods ?? "" },
          { head: t("col.payments"), cell: (v) => setText(p.ctx, "payment", v.payments) },
          { head: t("col.channels"), cell: (v) => setText(p.ctx, "channel", v.channels) },
        ]}
        paging={p.result}
        href={listHref("/vendors", q)}
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
      <PageHeader
        t={t}
        back={`/vendors?market=${v.market.id}`}
        title={t("vendors.detail_title", { stall: v.stall, market: v.market.name })}
        actions={[
          p.canEdit && { href: `/vendors/${v.id}/edit`, label: t("vendors.edit"), variant: "secondary" },
        ]}
      />
      <SummaryList
        rows={[
          [t("col.market"), <a href={`/markets/${v.market.id}`}>{v.market.name}</a>],
          [t("col.stall"), v.stall],
          [t("col.owner_name"), v.ownerName],
          [
            t("vendors.owner_link"),
            <>
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
            </>,
          ],
          [t("col.goods"), v.goods ?? ""],
          [t("col.payments"), setText(p.ctx, "payment", v.payments)],
          [t("col.channels"), setText(p.ctx, "channel", v.channels)],
        ]}
      />
    </div>
  );
}

export const VendorFormPage = recordFormPage(
  "/vendors",
  (p: RecordFormProps & { markets: MarketItem[] }, t) => [
    pickOne(
      "market",
      "col.market",
      p.markets.map((m) => ({ value: m.code, label: m.name })),
    ),
    { name: "stall", label: "col.stall", width: "short" },
    { name: "owner_name", label: "col.owner_name" },
    {
      name: "citizen_id",
      label: "col.citizen_id",
      hint: t("vendors.citizen_id_hint"),
      inputmode: "numeric",
      autocomplete: "off",
    },
    { name: "household", label: "col.household", hint: t("vendors.household_hint"), autocomplete: "off" },
    { name: "goods", label: "col.goods" },
    {
      kind: "checkboxes",
      name: "payments",
      label: "col.payments",
      hint: t("vendors.sets_hint"),
      options: PAYMENT_METHODS.map((x) => ({ value: x, label: t(`payment.${x}`) })),
    },
    {
      kind: "checkboxes",
      name: "channels",
      label: "col.channels",
      hint: t("vendors.sets_hint"),
      options: SALES_CHANNELS.map((x) => ({ value: x, label: t(`channel.${x}`) })),
    },
  ],
);
