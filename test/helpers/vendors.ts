/**
 * A sample vendor list for the "Chợ số" tests (issue 19.3), written next to the tests rather than
 * in ../shared: the markets and vendors files of a small commune, a clean one and a dirty one whose
 * invalid rows (and the warnings of the valid ones) are listed with their row and column.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../src/db/client.ts";
import { buildHousehold, buildResident, buildVillage, type Commune } from "./factories.ts";

/** The residents and households the sample's vendors refer to. */
export async function buildVendorCommune(db: Db, commune: Commune) {
  const t01 = await buildVillage(db, { commune, code: "T01", name: "Thôn Một" });
  const t02 = await buildVillage(db, { commune, code: "T02", name: "Thôn Hai" });
  const h1 = await buildHousehold(db, { village: t01, code: "T01-0001", headName: "Lê Văn Lạc" });
  const h2 = await buildHousehold(db, { village: t02, code: "T02-0001", headName: "Phạm Thị Quỳnh" });
  const lac = await buildResident(db, {
    household: h1,
    fullName: "Lê Văn Lạc",
    birthDate: "1975-03-02",
    gender: "male",
    citizenId: "038075000111",
  });
  const hoa = await buildResident(db, {
    household: h1,
    fullName: "Lê Thị Hoa",
    birthDate: "1978-05-06",
    gender: "female",
  });
  const quynh = await buildResident(db, {
    household: h2,
    fullName: "Phạm Thị Quỳnh",
    birthDate: "1982-07-08",
    gender: "female",
    citizenId: "038182000222",
  });
  // Two namesakes in one household: the name alone cannot say which.
  await buildResident(db, {
    household: h2,
    fullName: "Phạm Văn Nam",
    birthDate: "1960-01-01",
    gender: "male",
  });
  await buildResident(db, {
    household: h2,
    fullName: "Phạm Văn Nam",
    birthDate: "1990-01-01",
    gender: "male",
  });
  return { t01, t02, h1, h2, lac, hoa, quynh };
}

export const MARKETS_CSV = [
  "Mã chợ,Tên chợ,Thôn,Loại chợ",
  "CHO01,Chợ Tân Ninh,T01,Chợ truyền thống",
  "CHO02,Chợ phiên Thôn Hai,T02,Chợ phiên",
].join("\n");

/** The clean vendor list: 6 stalls, 4 taking a cashless payment (3 of 4 at CHO01, 1 of 2 at CHO02). */
export const VENDORS_CSV = [
  "Mã chợ,Số quầy,Chủ quầy,Số CCCD,Mã hộ,Mặt hàng,Thanh toán không dùng tiền mặt,Kênh bán hàng trực tuyến",
  "CHO01,A01,Lê Văn Lạc,038075000111,,Rau củ,Mã QR; Chuyển khoản,Zalo; Facebook",
  "CHO01,A02,Lê Thị Hoa,,T01-0001,Thịt lợn,Ví điện tử,",
  "CHO01,A03,Hoàng Văn Khách,,,Quần áo,QR,TikTok Shop; Shopee",
  "CHO01,A04,Đinh Thị Mơ,,,Hoa quả,,",
  "CHO02,B01,Phạm Thị Quỳnh,038182000222,T02-0001,Gạo,Tài khoản ngân hàng,Website riêng",
  "CHO02,B02,Vi Văn Sáu,,,Cá,,Khác",
].join("\n");

/**
 * A dirty vendor list as offices send them: semicolons, a BOM, header spellings of its own, blank
 * lines before the header and between rows, an unknown column, every kind of bad cell. `invalid` is what must be refused.
 */
export const VENDORS_DIRTY = {
  text: [
    "\uFEFF",
    "",
    "MA CHO;so quay;HỌ TÊN CHỦ QUẦY;cccd;ma ho;Mặt hàng kinh doanh;Hình thức thanh toán;Bán online;Ghi chú",
    "CHO01;C01;le van lac;38075000111;;Rau;qr,chuyen khoan;zalo;", // 4: owner by citizen ID, zero restored
    "CHO09;C02;Ai Đó;;;Rau;;;", // 5: unknown market
    "CHO01;;Không Quầy;;;Rau;;;", // 6: no stall
    "CHO01;C03;;;;Rau;;;", // 7: no owner
    "CHO01;C04;Người Lạ;038099999999;;Rau;;;", // 8: citizen ID of no resident
    "CHO01;C05;Người Khác;038075000111;;Rau;;;", // 9: another resident's citizen ID
    "CHO01;C06;Lê Văn Lạc;038075000111;T02-0001;Rau;;;", // 10: owner of another household
    "CHO01;C07;Phạm Văn Nam;;T02-0001;Rau;;;", // 11: two namesakes in the household
    "CHO01;C08;Ai Đó;;T99-0001;Rau;;;", // 12: unknown household
    "CHO01;C09;Ai Đó;;;Rau;Tiền mặt;;", // 13: cash is not a cashless payment
    "CHO01;C10;Ai Đó;;;Rau;;Chợ Tốt;", // 14: unknown channel
    "CHO01;C11;Ai Đó;12345;;Rau;;;", // 15: a citizen ID of 5 digits
    "", // blank line
    "CHO01;C01;Lê Văn Lạc;;;Rau;;;", // 17: stall C01 again
    'CHO01;C12;"=HYPERLINK(""http://x"")";;;@SUM(A1);QR;;', // 18: formula-looking text, kept as text
    "CHO02;C13;Người Mới;;T01-0001;Cá;MoMo;Facebook,FB;", // 19: nobody of that name: household only (warning)
    `CHO01;C14;${"Ư".repeat(201)};;;Rau;;;`, // 20: a name over 200 characters
  ].join("\r\n"),
  rows: 16,
  invalid: [
    { row: 5, column: "market" },
    { row: 6, column: "stall" },
    { row: 7, column: "owner_name" },
    { row: 8, column: "citizen_id" },
    { row: 9, column: "owner_name" },
    { row: 10, column: "household" },
    { row: 11, column: "owner_name" },
    { row: 12, column: "household" },
    { row: 13, column: "payments" },
    { row: 14, column: "channels" },
    { row: 15, column: "citizen_id" },
    { row: 17, column: "stall" },
    { row: 20, column: "owner_name" },
  ],
  valid: 3,
};

/** Writes the sample's files into `dir`; returns their paths. */
export function writeVendorSample(dir: string): { markets: string; vendors: string; dirty: string } {
  const at = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  return {
    markets: at("markets.csv", MARKETS_CSV),
    vendors: at("vendors.csv", VENDORS_CSV),
    dirty: at("vendors_dirty.csv", VENDORS_DIRTY.text),
  };
}
