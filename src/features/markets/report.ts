import type { Db } from "../../db/client.ts";
import { formatNumber, type Lang, translator } from "../../lib/i18n/index.ts";
import { reportFormatter } from "../reports/format.ts";
import { type MarketFigures, marketFigures } from "./service.ts";

/**
 * The report's lines on "Chợ số" (issue 19.3), printed under indicator 10: vendors accepting a
 * cashless payment over vendors, for the commune, then by market. None while the commune has no market.
 * The registry keeps no history of vendors: the figures are those of the day the report is made
 * (a submitted report keeps them frozen with the rest).
 */
export function marketReportLines(lang: Lang, figures: MarketFigures): string[] {
  if (figures.markets.length === 0) return [];
  const t = translator(lang);
  const pct = reportFormatter(lang).pct;
  const n = (x: number) => formatNumber(lang, x);
  const share = (c: number, v: number) => (v === 0 ? t("reports.no_data") : pct(c / v));
  return [
    `- ${t("markets.report_total", { cashless: n(figures.total.cashless), vendors: n(figures.total.vendors), share: share(figures.total.cashless, figures.total.vendors), markets: n(figures.markets.length) })}`,
    ...figures.markets.map(
      (m) =>
        `- ${t("markets.report_market", { name: m.name, cashless: n(m.cashless), vendors: n(m.vendors), share: share(m.cashless, m.vendors) })}`,
    ),
  ];
}

/** The lines for a commune, read now. */
export async function marketReportSection(opts: {
  db: Db;
  communeId: number;
  lang: Lang;
}): Promise<string[]> {
  return marketReportLines(opts.lang, await marketFigures(opts));
}
