import { msg } from "../../lib/errors.ts";
import { type GetCell, RowChecker } from "../../lib/row-checker.ts";
import { foldKey } from "../../lib/text.ts";
import { parseCitizenId, parseCode, parseOptional, parseOptionalCode, parseText } from "../../lib/values.ts";
import type { ColumnSpec } from "../imports/types.ts";
import {
  type MarketKind,
  type PaymentMethod,
  parseChannels,
  parseMarketKind,
  parsePayments,
  type SalesChannel,
} from "./values.ts";

/** The columns of a markets file (shared data README style: key, then the headers that mean it). */
export const MARKET_COLUMNS: readonly ColumnSpec[] = [
  { key: "code", aliases: ["Mã chợ", "Market code"], required: true },
  { key: "name", aliases: ["Tên chợ", "Chợ", "Market", "Market name"], required: true },
  { key: "village", aliases: ["Thôn", "Mã thôn", "Village"], required: true },
  { key: "kind", aliases: ["Loại chợ", "Loại", "Market kind", "Kind"] },
];

/** The columns of a vendors file. */
export const VENDOR_COLUMNS: readonly ColumnSpec[] = [
  { key: "market", aliases: ["Mã chợ", "Chợ", "Market"], required: true },
  { key: "stall", aliases: ["Số quầy", "Quầy", "Sạp", "Ki-ốt", "Kiốt", "Số sạp", "Stall"], required: true },
  {
    key: "owner_name",
    aliases: ["Chủ quầy", "Họ tên chủ quầy", "Chủ sạp", "Người bán", "Tiểu thương", "Owner"],
    required: true,
  },
  { key: "citizen_id", aliases: ["Số CCCD", "CCCD", "Số định danh cá nhân", "Số định danh", "Citizen ID"] },
  { key: "household", aliases: ["Mã hộ", "Mã hộ gia đình", "Household", "Household code"] },
  { key: "goods", aliases: ["Mặt hàng", "Hàng hóa", "Mặt hàng kinh doanh", "Goods"] },
  {
    key: "payments",
    aliases: [
      "Thanh toán không dùng tiền mặt",
      "Hình thức thanh toán",
      "Thanh toán",
      "Cashless payment",
      "Payments",
    ],
  },
  {
    key: "channels",
    aliases: [
      "Kênh bán hàng trực tuyến",
      "Bán hàng trực tuyến",
      "Kênh bán hàng",
      "Bán online",
      "Online channels",
    ],
  },
];

export type MarketInput = { code: string; name: string; villageId: number; kind: MarketKind };

/** Checks one market given by column key: the same rules for an import row, a form and the API. */
export function checkMarketRow(
  get: GetCell,
  village: (code: string) => { id: number } | undefined,
): { checker: RowChecker; code?: string | undefined; value?: MarketInput } {
  const c = new RowChecker();
  const code = c.take("code", parseCode(get("code")));
  const name = c.take("name", parseText(get("name"), { required: true, max: 200 }));
  const villageCode = c.take("village", parseCode(get("village")));
  const v = c.resolve("village", villageCode, "import.village_unknown", village);
  const kind = c.take("kind", parseMarketKind(get("kind")));
  if (!c.ok) return { checker: c, code };
  return { checker: c, code, value: { code: code!, name: name!, villageId: v!.id, kind: kind! } };
}

/** A resident an owner may be linked to. */
export type OwnerCandidate = { id: number; householdId: number; fullName: string };

/** What a vendor row refers to, looked up by the caller (an import's preloaded maps, a form's queries). */
export type VendorRefs = {
  market(code: string): { id: number } | undefined;
  residentByCitizenId(citizenId: string): OwnerCandidate | undefined;
  household(code: string): { id: number; code: string } | undefined;
  householdCodeOf(householdId: number): string | undefined;
  /** The active and other residents of a household, to find the owner by name. */
  membersOf(householdId: number): readonly OwnerCandidate[];
};

export type VendorInput = {
  marketId: number;
  stall: string;
  ownerName: string;
  residentId: number | null;
  householdId: number | null;
  goods: string | null;
  payments: PaymentMethod[];
  channels: SalesChannel[];
};

/**
 * Checks one vendor given by column key. The owner is linked where known: by citizen ID (the
 * resident must exist in the commune, bear the owner's name and, when a household code is given,
 * belong to it), else by household code + owner's name (one member of that name: linked; none: the
 * household alone, with a warning; several: an error).
 */
export function checkVendorRow(
  get: GetCell,
  refs: VendorRefs,
): { checker: RowChecker; key?: string | undefined; value?: VendorInput } {
  const c = new RowChecker();
  const marketCode = c.take("market", parseCode(get("market")));
  const market = c.resolve("market", marketCode, "markets.market_unknown", (code) => refs.market(code));
  const stall = c.take("stall", parseText(get("stall"), { required: true, max: 50 }));
  const ownerName = c.take("owner_name", parseText(get("owner_name"), { required: true, max: 200 }));
  const citizenId = c.take(
    "citizen_id",
    parseOptional(get("citizen_id"), (x) => parseCitizenId(x)),
  );
  const householdCode = c.take("household", parseOptionalCode(get("household")));
  const goods = c.take("goods", parseText(get("goods"), { max: 500 }));
  const payments = c.take("payments", parsePayments(get("payments")));
  const channels = c.take("channels", parseChannels(get("channels")));

  let residentId: number | null = null;
  let householdId: number | null = null;
  const household = c.resolve("household", householdCode, "import.household_unknown", (code) =>
    refs.household(code),
  );
  if (citizenId) {
    const r = refs.residentByCitizenId(citizenId);
    if (!r) c.fail("citizen_id", msg("import.resident_not_found_cccd", { value: citizenId }));
    else if (ownerName !== undefined && foldKey(r.fullName) !== foldKey(ownerName))
      c.fail("owner_name", msg("markets.owner_name_mismatch", { value: citizenId, name: r.fullName }));
    else if (household && household.id !== r.householdId)
      c.fail(
        "household",
        msg("markets.owner_other_household", {
          code: household.code,
          other: refs.householdCodeOf(r.householdId) ?? "—",
        }),
      );
    else {
      residentId = r.id;
      householdId = r.householdId;
    }
  } else if (household && ownerName !== undefined) {
    householdId = household.id;
    const same = refs.membersOf(household.id).filter((m) => foldKey(m.fullName) === foldKey(ownerName));
    if (same.length === 1) residentId = same[0]!.id;
    else if (same.length > 1)
      c.fail(
        "owner_name",
        msg("markets.owner_ambiguous", { name: ownerName, code: household.code, count: same.length }),
      );
    else
      c.warnings.push({
        column: "owner_name",
        message: msg("markets.owner_not_member", { name: ownerName, code: household.code }),
      });
  }
  if (!c.ok || !market) return { checker: c, key: market && stall ? `${market.id}|${stall}` : undefined };
  return {
    checker: c,
    key: `${market.id}|${stall}`,
    value: {
      marketId: market.id,
      stall: stall!,
      ownerName: ownerName!,
      residentId,
      householdId,
      goods: goods || null,
      payments: payments!,
      channels: channels!,
    },
  };
}
