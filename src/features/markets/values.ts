import { MARKET_KINDS, PAYMENT_METHODS, SALES_CHANNELS } from "../../db/schema.ts";
import type { MsgKey } from "../../lib/i18n/index.ts";
import { type Cell, type EnumTable, enumTable, isBlank, parseEnum, type Result } from "../../lib/values.ts";

export type MarketKind = (typeof MARKET_KINDS)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type SalesChannel = (typeof SALES_CHANNELS)[number];
export { MARKET_KINDS, PAYMENT_METHODS, SALES_CHANNELS };

export const MARKET_KIND_TABLE = enumTable<MarketKind>({
  "Chợ truyền thống": "traditional",
  "Chợ dân sinh": "traditional",
  "Truyền thống": "traditional",
  "Chợ phiên": "periodic",
  Phiên: "periodic",
  "Chợ đầu mối": "wholesale",
  "Đầu mối": "wholesale",
  Khác: "other",
  Traditional: "traditional",
  Periodic: "periodic",
  Wholesale: "wholesale",
  Other: "other",
});

export const PAYMENT_TABLE = enumTable<PaymentMethod>({
  "Mã QR": "qr",
  QR: "qr",
  "Quét mã QR": "qr",
  VietQR: "qr",
  "Tài khoản ngân hàng": "bank",
  "Chuyển khoản": "bank",
  "Ngân hàng": "bank",
  "Bank account": "bank",
  Bank: "bank",
  "Ví điện tử": "ewallet",
  "E-wallet": "ewallet",
  MoMo: "ewallet",
  ZaloPay: "ewallet",
  ViettelPay: "ewallet",
  "Viettel Money": "ewallet",
  ShopeePay: "ewallet",
});

export const CHANNEL_TABLE = enumTable<SalesChannel>({
  Zalo: "zalo",
  Facebook: "facebook",
  FB: "facebook",
  Shopee: "shopee",
  "TikTok Shop": "tiktok",
  TikTok: "tiktok",
  "Website riêng": "website",
  "Trang web riêng": "website",
  Website: "website",
  Web: "website",
  Khác: "other",
  Other: "other",
});

/** A market's kind; a blank cell is a traditional market. */
export function parseMarketKind(raw: Cell): Result<MarketKind> {
  return parseEnum(raw, MARKET_KIND_TABLE, { what: "values.what.market_kind", empty: "traditional" });
}

/**
 * A set of fixed values in one cell, separated by `;` or `,` (none of the labels holds either):
 * blank gives `[]`, duplicates are dropped, the set comes back in the codes' own order.
 */
function parseSet<T extends string>(
  raw: Cell,
  table: EnumTable<T>,
  order: readonly T[],
  what: MsgKey,
): Result<T[]> {
  if (isBlank(raw)) return { ok: true, value: [] };
  const found = new Set<T>();
  const text = raw instanceof Date ? "" : String(raw);
  for (const part of text.split(/[;,]/)) {
    if (isBlank(part)) continue;
    const r = parseEnum(part, table, { what });
    if (!r.ok) return r;
    found.add(r.value);
  }
  if (raw instanceof Date) return parseEnum(raw, table, { what }) as Result<never>;
  return { ok: true, value: order.filter((x) => found.has(x)) };
}

export function parsePayments(raw: Cell): Result<PaymentMethod[]> {
  return parseSet(raw, PAYMENT_TABLE, PAYMENT_METHODS, "values.what.payment");
}

export function parseChannels(raw: Cell): Result<SalesChannel[]> {
  return parseSet(raw, CHANNEL_TABLE, SALES_CHANNELS, "values.what.channel");
}
