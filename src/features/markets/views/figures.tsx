import { formatNumber, formatPercent } from "../../../lib/i18n/index.ts";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { MarketFigures } from "../service.ts";

const share = (lang: PageCtx["lang"], cashless: number, vendors: number) =>
  vendors === 0 ? "—" : formatPercent(lang, cashless / vendors);

/**
 * "Chợ số" beside indicator 10 on the dashboard: vendors accepting a cashless payment over vendors,
 * for the commune and by market (a card of the indicator cards' list, right after indicator 10).
 */
export function MarketFiguresCard(p: { ctx: PageCtx; figures: MarketFigures; linkMarkets: boolean }) {
  const { t, lang } = p.ctx;
  const { total, markets } = p.figures;
  const line = (cashless: number, vendors: number) =>
    t("markets.figures_line", {
      cashless: formatNumber(lang, cashless),
      vendors: formatNumber(lang, vendors),
      share: share(lang, cashless, vendors),
    });
  return (
    <li class="ind-card ind-card--beside" id="ind-markets">
      <h3 class="ind-card__title">
        {p.linkMarkets ? <a href="/markets">{t("markets.figures_title")}</a> : t("markets.figures_title")}
      </h3>
      {markets.length === 0 ? (
        <p>{t("markets.figures_none")}</p>
      ) : (
        <>
          <p class="ind-card__value">
            <span class="ind-card__big">{share(lang, total.cashless, total.vendors)}</span>
            <span class="ind-card__fraction">{line(total.cashless, total.vendors)}</span>
          </p>
          <ListTable
            caption={t("markets.figures_caption")}
            class="table--compact"
            wrap={false}
            rows={markets}
            firstCellIsHeader
            columns={[
              {
                head: t("col.market"),
                cell: (m) => (p.linkMarkets ? <a href={`/markets/${m.id}`}>{m.name}</a> : m.name),
              },
              { head: t("markets.cashless"), cell: (m) => line(m.cashless, m.vendors) },
            ]}
          />
        </>
      )}
    </li>
  );
}
