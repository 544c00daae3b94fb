import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { RESIDENT_COLUMNS } from "../features/residents/check.ts";
import type { Msg } from "./errors.ts";
import { t } from "./i18n/index.ts";
import {
  type Cell,
  type CivilDate,
  enumTable,
  type Gender,
  isBlank,
  PROVINCE_CODES,
  parseCertificationKind,
  parseCertificationSource,
  parseCitizenId,
  parseCivilDate,
  parseCode,
  parseEnum,
  parseGender,
  parseOptional,
  parsePhone,
  parseResidentGroups,
  parseResidentStatus,
  parseText,
  parseUnitType,
  parseVneidLevel,
  parseYesNo,
  type Result,
} from "./values.ts";

const TODAY = "2026-11-20";

function value<T>(r: Result<T>): T {
  assert.ok(r.ok, `expected ok, got ${JSON.stringify(r)}`);
  assert.equal(r.warning, undefined, `unexpected warning ${JSON.stringify(r.warning)}`);
  return r.value;
}

function warned<T>(r: Result<T>): { value: T; warning: Msg } {
  assert.ok(r.ok, `expected ok, got ${JSON.stringify(r)}`);
  assert.ok(r.warning, "expected a warning");
  return { value: r.value, warning: r.warning };
}

function error<T>(r: Result<T>): Msg {
  assert.ok(!r.ok, `expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

/** The error of a refused value, checked for its key and its Vietnamese message (the text, or a pattern of it). */
function refused<T>(r: Result<T>, key: string, message: string | RegExp): Msg {
  const e = error(r);
  assert.equal(e.key, key);
  if (typeof message === "string") assert.equal(vi(e), message);
  else assert.match(vi(e), message);
  return e;
}

/** Each raw cell listed under a value parses to that value, without a warning. */
function assertParsesTo(parse: (raw: Cell) => Result<string>, cases: Record<string, Cell[]>) {
  for (const [want, raws] of Object.entries(cases)) {
    for (const raw of raws) assert.equal(value(parse(raw)), want, String(raw));
  }
}

/** Each raw cell is refused as no value of the parser's table. */
function assertUnknown<T>(parse: (raw: Cell) => Result<T>, raws: Cell[]) {
  for (const raw of raws) assert.equal(error(parse(raw)).key, "values.enum_unknown", String(raw));
}

const vi = (m: Msg) => t("vi", m.key, m.params);
const en = (m: Msg) => t("en", m.key, m.params);

const date = (raw: Cell, opts: Partial<Parameters<typeof parseCivilDate>[1]> = {}) =>
  parseCivilDate(raw, { today: TODAY, ...opts });

describe("parseCivilDate", () => {
  test("day/month/year with /, - or . and one or two digits, and yyyy-mm-dd", () => {
    assert.deepEqual(value(date("05/03/1990")), { date: "1990-03-05", yearOnly: false });
    assert.deepEqual(value(date("5/3/1990")), { date: "1990-03-05", yearOnly: false });
    assert.deepEqual(value(date("05-03-1990")), { date: "1990-03-05", yearOnly: false });
    assert.deepEqual(value(date("05.03.1990")), { date: "1990-03-05", yearOnly: false });
    assert.deepEqual(value(date("1990-03-05")), { date: "1990-03-05", yearOnly: false });
    assert.deepEqual(value(date("  05 / 03 / 1990 ")), { date: "1990-03-05", yearOnly: false });
  });

  test("mixed separators are not a date", () => {
    assert.equal(error(date("05/03-1990")).key, "values.date_format");
    assert.equal(error(date("hôm qua")).key, "values.date_format");
    assert.equal(error(date(true)).key, "values.date_format");
  });

  test("an Excel date cell is its UTC calendar day, whatever the process time zone", () => {
    const cell = new Date(Date.UTC(1990, 2, 5));
    assert.deepEqual(value(date(cell)), { date: "1990-03-05", yearOnly: false });
    // Last millisecond of the UTC day: still that day, even at UTC+7.
    assert.deepEqual(value(date(new Date(Date.UTC(1990, 2, 5, 23, 59, 59, 999)))).date, "1990-03-05");
    assert.deepEqual(value(date(new Date(Date.UTC(2000, 1, 29)))).date, "2000-02-29");
    assert.equal(error(date(new Date(Number.NaN))).key, "values.date_format");
  });

  test("an Excel serial number counts days from 1899-12-30", () => {
    assert.equal(value(date(32937)).date, "1990-03-05");
    assert.equal(value(date(45000)).date, "2023-03-15");
    assert.equal(value(date(45000.75)).date, "2023-03-15", "the time of day is dropped");
    assert.equal(value(date(2958465)).date, "9999-12-31");
    assert.equal(error(date(0)).key, "values.date_format");
    assert.equal(error(date(2958466)).key, "values.date_format");
    assert.equal(error(date(-5)).key, "values.date_format");
  });

  test("a year alone only when allowed: stored as 1 January, marked yearOnly", () => {
    assert.deepEqual(value(date("1948", { allowYearOnly: true })), { date: "1948-01-01", yearOnly: true });
    assert.deepEqual(value(date(1948, { allowYearOnly: true })), { date: "1948-01-01", yearOnly: true });
    assert.equal(error(date("1948")).key, "values.date_year_only");
    // Without allowYearOnly a number is a serial day.
    assert.equal(value(date(1948)).date, "1905-05-01");
    assert.equal(error(date("1899", { allowYearOnly: true })).key, "values.date_before_1900");
    assert.equal(error(date("abc", { allowYearOnly: true })).key, "values.date_format_or_year");
  });

  test("a day that does not exist is rejected, leap years respected", () => {
    refused(
      date("31/02/1990"),
      "values.date_no_such_day",
      "Ngày “31/02/1990” không có thật: tháng 2 năm 1990 chỉ có 28 ngày, không có ngày 31.",
    );
    assert.equal(error(date("29/02/1900")).key, "values.date_no_such_day");
    assert.equal(value(date("29/02/2000")).date, "2000-02-29");
    assert.equal(value(date("29/02/1996")).date, "1996-02-29");
    assert.equal(error(date("29/02/1995")).key, "values.date_no_such_day");
    assert.equal(error(date("31/04/1990")).key, "values.date_no_such_day");
    assert.equal(error(date("00/04/1990")).key, "values.date_no_such_day");
    assert.equal(error(date("1990-04-31")).key, "values.date_no_such_day");
    refused(date("03/13/1990"), "values.date_no_such_month", /không có tháng 13/);
  });

  test("years before 1900 are rejected", () => {
    assert.equal(error(date("31/12/1899")).key, "values.date_before_1900");
    assert.equal(error(date(new Date(Date.UTC(1850, 0, 1)))).key, "values.date_before_1900");
    assert.equal(value(date("01/01/1900")).date, "1900-01-01");
  });

  test("two-digit years are rejected with a clear message", () => {
    const e = refused(
      date("05/03/90"),
      "values.date_two_digit_year",
      /2 chữ số \(90\).*1990 hay 2090.*4 chữ số/,
    );
    assert.match(en(e), /2-digit year \(90\)/);
    assert.equal(error(date("05/03/990")).key, "values.date_format");
  });

  test("notFuture rejects dates after today, today itself is fine", () => {
    assert.equal(value(date("20/11/2026", { notFuture: true })).date, "2026-11-20");
    refused(date("21/11/2026", { notFuture: true }), "values.date_future", /tương lai.*20\/11\/2026/);
    assert.equal(value(date("21/11/2026")).date, "2026-11-21", "allowed without notFuture");
    assert.equal(error(date("2027", { notFuture: true, allowYearOnly: true })).key, "values.date_future");
    assert.equal(value(date("2026", { notFuture: true, allowYearOnly: true })).date, "2026-01-01");
  });

  test("a blank cell is an error; parseOptional makes it null", () => {
    assert.equal(error(date(null)).key, "values.required");
    assert.equal(error(date("   ")).key, "values.required");
    assert.equal(value(parseOptional("  ", (r) => date(r))), null);
    assert.equal(value(parseOptional("01/02/2026", (r) => date(r)))?.date, "2026-02-01");
  });
});

describe("parseGender", () => {
  test("Vietnamese, English and one-letter forms, any case, with or without diacritics", () => {
    for (const s of ["Nam", "nam", "NAM", "male", "Male", "M", "m"])
      assert.equal(value(parseGender(s)), "male");
    for (const s of ["Nữ", "nữ", "NỮ", "nu", "Nu", "female", "F", "f", "Nữ".normalize("NFD")]) {
      assert.equal(value(parseGender(s)), "female", s);
    }
    for (const s of ["Khác", "khac", "other"]) assert.equal(value(parseGender(s)), "other");
  });

  test("an unknown gender names the accepted values", () => {
    const e = refused(
      parseGender("X"),
      "values.enum_unknown",
      "Giới tính “X” không hợp lệ. Các giá trị được chấp nhận: Nam, Nữ, Khác, M, F, male, female, other.",
    );
    assert.match(en(e), /^Gender “X” is not valid/);
    assert.equal(error(parseGender("")).key, "values.required");
  });
});

const birth = (d: string, yearOnly = false): CivilDate => ({ date: d, yearOnly });

describe("parseCitizenId", () => {
  test("the province code list has the 63 pre-2025 provinces", () => {
    assert.equal(Object.keys(PROVINCE_CODES).length, 63);
    assert.equal(PROVINCE_CODES["038"], "Thanh Hóa");
    assert.equal(PROVINCE_CODES["001"], "Hà Nội");
    assert.equal(PROVINCE_CODES["096"], "Cà Mau");
    for (const code of Object.keys(PROVINCE_CODES)) assert.match(code, /^0\d\d$/);
    assert.equal(PROVINCE_CODES["003"], undefined);
  });

  test("a valid ID agreeing with birth date and gender", () => {
    const opts = { birthDate: birth("1958-11-16"), gender: "male" as Gender };
    assert.equal(value(parseCitizenId("038058609067", opts)), "038058609067");
    assert.equal(
      value(parseCitizenId("038301308167", { birthDate: birth("2001-01-05"), gender: "female" })),
      "038301308167",
    );
    assert.equal(
      value(parseCitizenId("038203356630", { birthDate: birth("2003-05-28"), gender: "male" })),
      "038203356630",
    );
    assert.equal(
      value(parseCitizenId("038158000001", { birthDate: birth("1958-01-01", true), gender: "female" })),
      "038158000001",
    );
    // Without a birth date or gender only the form is checked; "other" gender is not checked.
    assert.equal(value(parseCitizenId("038158000001")), "038158000001");
    assert.equal(value(parseCitizenId("038058000001", { gender: "other" })), "038058000001");
  });

  test("spaces, dots and dashes inside are dropped", () => {
    assert.equal(value(parseCitizenId(" 038 058 609 067 ")), "038058609067");
    assert.equal(value(parseCitizenId("038.058.609.067")), "038058609067");
    assert.equal(value(parseCitizenId("038-058-609-067")), "038058609067");
  });

  test("wrong length", () => {
    const e = refused(
      parseCitizenId("03807540200"),
      "values.cccd_length",
      /có 11 chữ số; số CCCD phải có đúng 12 chữ số/,
    );
    assert.equal(e.params?.length, 11);
    assert.equal(error(parseCitizenId("0380586090671")).key, "values.cccd_length");
    assert.equal(error(parseCitizenId("12345")).key, "values.cccd_length");
    assert.equal(error(parseCitizenId(12345)).key, "values.cccd_length");
  });

  test("not digits", () => {
    refused(
      parseCitizenId("03807812a456"),
      "values.cccd_not_digits",
      /“03807812a456” có ký tự không phải chữ số/,
    );
    assert.equal(error(parseCitizenId(3.5)).key, "values.cccd_not_digits");
    assert.equal(error(parseCitizenId(true)).key, "values.cccd_not_digits");
  });

  test("Excel's scientific notation has lost digits: said so", () => {
    refused(parseCitizenId("3.81659E+10"), "values.scientific", /số mũ/);
  });

  test("unknown province code", () => {
    const e = refused(
      parseCitizenId("003092134717"),
      "values.cccd_province",
      /bắt đầu bằng 003, không phải mã tỉnh/,
    );
    assert.equal(e.params?.code, "003");
    assert.equal(error(parseCitizenId("097092134717")).key, "values.cccd_province");
    assert.equal(error(parseCitizenId("100092134717")).key, "values.cccd_province");
  });

  test("digit 4 beyond 3 cannot be a person born 1900–2099", () => {
    assert.equal(error(parseCitizenId("038492134717")).key, "values.cccd_digit4_invalid");
    assert.equal(error(parseCitizenId("038992134717")).key, "values.cccd_digit4_invalid");
  });

  test("digit 4 says male but the row says female, and the reverse", () => {
    refused(
      parseCitizenId("038158000001", { birthDate: birth("1958-01-01"), gender: "male" }),
      "values.cccd_gender_mismatch",
      "Số CCCD “038158000001” có chữ số thứ 4 là 1 (nữ, sinh 1900–1999) nhưng giới tính là Nam.",
    );
    const f = error(parseCitizenId("038058000001", { birthDate: birth("1958-01-01"), gender: "female" }));
    assert.equal(
      vi(f),
      "Số CCCD “038058000001” có chữ số thứ 4 là 0 (nam, sinh 1900–1999) nhưng giới tính là Nữ.",
    );
    assert.equal(
      en(f),
      "Citizen ID “038058000001” has 0 as its 4th digit (male, born 1900–1999) but the gender is female.",
    );
    assert.equal(
      error(parseCitizenId("038201000001", { gender: "female" })).key,
      "values.cccd_gender_mismatch",
    );
    assert.equal(
      error(parseCitizenId("038301000001", { gender: "male" })).key,
      "values.cccd_gender_mismatch",
    );
  });

  test("digit 4 says 1900s but born in the 2000s, and the reverse", () => {
    refused(
      parseCitizenId("038005549076", { birthDate: birth("2005-07-07"), gender: "male" }),
      "values.cccd_century_mismatch",
      "Số CCCD “038005549076” có chữ số thứ 4 là 0 (nam, sinh 1900–1999) nhưng năm sinh là 2005.",
    );
    refused(
      parseCitizenId("038399000001", { birthDate: birth("1999-01-01") }),
      "values.cccd_century_mismatch",
      /là 3 \(nữ, sinh 2000–2099\) nhưng năm sinh là 1999/,
    );
  });

  test("year digits must match the birth year, also for a year-only birth date", () => {
    refused(
      parseCitizenId("038072653554", { birthDate: birth("1971-09-09"), gender: "male" }),
      "values.cccd_year_mismatch",
      "Số CCCD “038072653554” có chữ số thứ 5–6 là 72 nhưng năm sinh là 1971: hai chữ số này phải là 71.",
    );
    assert.equal(
      error(parseCitizenId("038148000001", { birthDate: birth("1949-01-01", true) })).key,
      "values.cccd_year_mismatch",
    );
    assert.equal(
      value(parseCitizenId("038148000001", { birthDate: birth("1948-01-01", true) })),
      "038148000001",
    );
  });

  test("a number cell of 11 digits gets its leading zero back, with a warning", () => {
    const r = warned(parseCitizenId(38165999338, { birthDate: birth("1965-01-01"), gender: "female" }));
    assert.equal(r.value, "038165999338");
    assert.equal(r.warning.key, "values.cccd_zero_restored");
    assert.match(vi(r.warning), /“38165999338” bị mất số 0 ở đầu.*“038165999338”/);
    // The same as text, as a CSV saved from Excel holds it.
    assert.equal(warned(parseCitizenId("38165999338")).value, "038165999338");
  });

  test("Hà Nội's 00x codes lose two zeros: a 10-digit number is restored too", () => {
    assert.equal(
      warned(parseCitizenId(1092134717, { birthDate: birth("1992-01-01") })).value,
      "001092134717",
    );
    assert.equal(warned(parseCitizenId("1092134717")).value, "001092134717");
  });

  test("a restored ID must still pass the rules", () => {
    // 11 digits as text starting with 0 were typed so: not restored, a wrong length.
    assert.equal(error(parseCitizenId("03807540200")).key, "values.cccd_length");
    // Restored, but then its year digits disagree with the birth date.
    assert.equal(
      error(parseCitizenId(38165999338, { birthDate: birth("1966-01-01") })).key,
      "values.cccd_year_mismatch",
    );
    // Restored to 0 + 11 digits whose province does not exist.
    assert.equal(error(parseCitizenId(97165999338)).key, "values.cccd_province");
  });

  test("a blank cell is an error; optional column via parseOptional", () => {
    assert.equal(error(parseCitizenId("")).key, "values.required");
    assert.equal(value(parseOptional(null, (r) => parseCitizenId(r))), null);
  });
});

describe("parsePhone", () => {
  test("0 + 9 digits with a mobile prefix", () => {
    for (const p of ["0912345678", "0312345678", "0512345678", "0712345678", "0812345678"]) {
      assert.equal(value(parsePhone(p)), p);
    }
  });

  test("+84 and 84 forms, spaces, dots, dashes and parentheses dropped", () => {
    assert.equal(value(parsePhone("+84 912 345 678")), "0912345678");
    assert.equal(value(parsePhone("+84912345678")), "0912345678");
    assert.equal(value(parsePhone("84912345678")), "0912345678");
    assert.equal(value(parsePhone(84912345678)), "0912345678");
    assert.equal(value(parsePhone("+84 0912 345 678")), "0912345678");
    assert.equal(value(parsePhone("0912.345.678")), "0912345678");
    assert.equal(value(parsePhone("0912-345-678")), "0912345678");
    assert.equal(value(parsePhone("(+84) 912 345 678")), "0912345678");
  });

  test("9 digits lost their 0 in Excel: restored with a warning", () => {
    const r = warned(parsePhone(912345678));
    assert.equal(r.value, "0912345678");
    assert.equal(r.warning.key, "values.phone_zero_restored");
    assert.match(vi(r.warning), /“912345678” bị mất số 0 ở đầu.*“0912345678”/);
    assert.equal(warned(parsePhone("356285141")).value, "0356285141");
    assert.equal(error(parsePhone("212345678")).key, "values.phone_format", "2 is not a mobile prefix");
  });

  test("not a phone number", () => {
    refused(parsePhone("12345"), "values.phone_format", /“12345” không đúng dạng số di động Việt Nam/);
    assert.equal(error(parsePhone("091234567")).key, "values.phone_format");
    assert.equal(error(parsePhone("09123456789")).key, "values.phone_format");
    assert.equal(error(parsePhone("+1 202 555 0100")).key, "values.phone_format");
    assert.equal(error(parsePhone("09l2345678")).key, "values.phone_not_digits");
    assert.equal(error(parsePhone("9.12346E+08")).key, "values.scientific");
  });

  test("landline and unknown prefixes are not mobile numbers", () => {
    refused(parsePhone("0241234567"), "values.phone_prefix", /đầu số 02/);
    assert.equal(error(parsePhone("0112345678")).key, "values.phone_prefix");
    assert.equal(error(parsePhone("+84 212 345 678")).key, "values.phone_prefix");
  });
});

describe("parseYesNo", () => {
  test("yes forms", () => {
    for (const s of ["x", "X", "1", "có", "Có", "CO", "yes", "Yes", "true", "TRUE", "✓", "✔"]) {
      assert.equal(value(parseYesNo(s)), true, s);
    }
    assert.equal(value(parseYesNo(1)), true);
    assert.equal(value(parseYesNo(true)), true);
  });

  test("no forms, blank included", () => {
    for (const s of ["", "  ", "0", "không", "Không", "khong", "no", "NO", "false", "False"]) {
      assert.equal(value(parseYesNo(s)), false, s);
    }
    for (const c of [null, undefined, 0, false] as Cell[]) assert.equal(value(parseYesNo(c)), false);
  });

  test("anything else is an error listing both sides", () => {
    refused(parseYesNo("có lẽ"), "values.yes_no_unknown", /“có lẽ” không phải là có\/không/);
    assert.equal(error(parseYesNo(2)).key, "values.yes_no_unknown");
    assert.equal(error(parseYesNo("-")).key, "values.yes_no_unknown");
  });
});

describe("parseEnum and the ready tables", () => {
  test("a custom table folds labels and accepts its codes", () => {
    const table = enumTable({ "Tổ trưởng": "leader", "Thành viên": "member" });
    assert.deepEqual(Object.keys(table).sort(), ["leader", "member", "thanhvien", "totruong"]);
    assert.equal(value(parseEnum("TỔ TRƯỞNG", table)), "leader");
    assert.equal(value(parseEnum("member", table)), "member");
    const e = error(parseEnum("chủ tịch", table));
    assert.equal(
      vi(e),
      "Giá trị “chủ tịch” không hợp lệ. Các giá trị được chấp nhận: Tổ trưởng, Thành viên, leader, member.",
    );
    assert.equal(error(parseEnum("", table)).key, "values.required");
    assert.equal(value(parseEnum("", table, { empty: "member" })), "member");
    // Inherited object properties are not values.
    assert.equal(error(parseEnum("constructor", table)).key, "values.enum_unknown");
    assert.throws(() => enumTable({ "Tổ trưởng": "leader", "to truong": "member" }));
  });

  test("resident status; blank is active", () => {
    assertParsesTo(parseResidentStatus, {
      active: ["Đang cư trú", "THƯỜNG TRÚ", "active", "", null],
      moved: ["Chuyển đi", "chuyen di", "moved"],
      deceased: ["Đã mất", "deceased"],
    });
    const e = error(parseResidentStatus("Tạm vắng"));
    assert.match(
      vi(e),
      /^Tình trạng cư trú “Tạm vắng” không hợp lệ\. .*Đang cư trú, Thường trú, Chuyển đi, Đã mất/,
    );
  });

  test("groups: a ;-separated list, aliases folded, duplicates dropped", () => {
    assert.deepEqual(value(parseResidentGroups("")), []);
    assert.deepEqual(value(parseResidentGroups(null)), []);
    assert.deepEqual(value(parseResidentGroups("Cán bộ, công chức, viên chức")), ["public_sector"]);
    assert.deepEqual(value(parseResidentGroups("CBCCVC; Học sinh")), ["public_sector", "student"]);
    assert.deepEqual(
      value(
        parseResidentGroups(
          "Người lao động doanh nghiệp;Lao động DN/HTX; người lao động DN ;enterprise_worker",
        ),
      ),
      ["enterprise_worker"],
    );
    assert.deepEqual(value(parseResidentGroups("student;public_sector;;")), ["student", "public_sector"]);
    const e = error(parseResidentGroups("Học sinh; Nông dân"));
    assert.equal(e.params?.value, "Nông dân");
    assert.match(vi(e), /^Đối tượng “Nông dân” không hợp lệ/);
  });

  test("VNeID level; blank is 0", () => {
    for (const c of ["0", 0, "Chưa có", "chua co", "none", "", null] as Cell[]) {
      assert.equal(value(parseVneidLevel(c)), 0, String(c));
    }
    for (const c of ["1", 1, "Mức 1", "muc 1", "MỨC 1"] as Cell[]) assert.equal(value(parseVneidLevel(c)), 1);
    for (const c of ["2", 2, "Mức 2", "mức 2"] as Cell[]) assert.equal(value(parseVneidLevel(c)), 2);
    assertUnknown(parseVneidLevel, [3, "Mức 3"]);
  });

  test("unit type", () => {
    assertParsesTo(parseUnitType, {
      office: ["Cơ quan", "office"],
      school: ["Trường học", "Trường", "school"],
      enterprise: ["Doanh nghiệp", "enterprise"],
      cooperative: ["Hợp tác xã", "HTX", "cooperative"],
      association: ["Đoàn thể", "association"],
    });
    assertUnknown(parseUnitType, ["Chợ"]);
  });

  test("certification kind and source", () => {
    assertParsesTo(parseCertificationKind, {
      basic: ["Cơ bản", "basic"],
      vneid: ["VNeID", "Xác nhận VNeID"],
    });
    assertUnknown(parseCertificationKind, ["Nâng cao"]);
    assertParsesTo(parseCertificationSource, {
      vneid: ["VNeID"],
      platform: ["Nền tảng Bình dân học vụ số", "Nền tảng", "platform"],
      school: ["Trường học"],
      course: ["Khóa học", "Lớp học", "course"],
    });
    assert.match(vi(error(parseCertificationSource("Zalo"))), /^Nguồn chứng nhận “Zalo” không hợp lệ/);
  });
});

describe("parseText", () => {
  test("NFC, trimmed, inner white space collapsed", () => {
    assert.equal(value(parseText("  Nguyễn   Văn   Ánh  ")), "Nguyễn Văn Ánh");
    const nfd = "Đỗ Thị Hồng Nhung".normalize("NFD");
    assert.notEqual(nfd, "Đỗ Thị Hồng Nhung");
    assert.equal(value(parseText(nfd)), "Đỗ Thị Hồng Nhung");
    assert.equal(value(parseText("a\tb\nc")), "a b c");
  });

  test("control and zero-width characters are dropped", () => {
    assert.equal(value(parseText("Lê\u200b Văn\u0000 A\ufeff")), "Lê Văn A");
  });

  test("numbers become their string, formulas stay text", () => {
    assert.equal(value(parseText(12)), "12");
    assert.equal(value(parseText(3.5)), "3.5");
    assert.equal(value(parseText('=HYPERLINK("http://x","bấm")')), '=HYPERLINK("http://x","bấm")');
    assert.equal(value(parseText("+84 x")), "+84 x");
  });

  test("required and max", () => {
    assert.equal(error(parseText("   ", { required: true })).key, "values.required");
    assert.equal(error(parseText(null, { required: true })).key, "values.required");
    assert.equal(value(parseText("   ")), "");
    assert.equal(value(parseText("Ánh", { max: 3 })), "Ánh");
    refused(parseText("Ánhh", { max: 3 }), "values.text_too_long", /dài 4 ký tự, vượt quá giới hạn 3/);
  });
});

describe("parseCode", () => {
  test("trimmed text; a number cell gives its digits", () => {
    assert.equal(value(parseCode(" T03-0018 ")), "T03-0018");
    assert.equal(value(parseCode(12)), "12");
    assert.equal(value(parseCode("T01")), "T01");
  });

  test("no inner spaces, not blank, not too long, not a date or yes/no", () => {
    refused(parseCode("T 01"), "values.code_spaces", /Mã “T 01” có dấu cách/);
    assert.equal(error(parseCode("")).key, "values.required");
    assert.equal(error(parseCode("x".repeat(65))).key, "values.code_too_long");
    assert.equal(value(parseCode("x".repeat(8), { max: 8 })), "xxxxxxxx");
    assert.equal(error(parseCode(new Date(Date.UTC(2026, 0, 1)))).key, "values.code_format");
    assert.equal(error(parseCode(true)).key, "values.code_format");
  });
});

test("isBlank", () => {
  for (const c of [null, undefined, "", "  \t"] as Cell[]) assert.equal(isBlank(c), true);
  for (const c of [0, false, "0", "x"] as Cell[]) assert.equal(isBlank(c), false);
});

test("every message renders in both languages without leftover placeholders", () => {
  const samples: Msg[] = [
    error(date("31/02/1990")),
    error(date("03/13/1990")),
    error(date("05/03/90")),
    error(date("1948")),
    error(date("x", { allowYearOnly: true })),
    error(date("1850-01-01")),
    error(date("2030-01-01", { notFuture: true })),
    error(parseGender("X")),
    error(parseYesNo("?")),
    error(parseCitizenId("1")),
    error(parseCitizenId("0380a")),
    error(parseCitizenId("003092134717")),
    error(parseCitizenId("038592134717")),
    error(parseCitizenId("038092134717", { gender: "female" })),
    error(parseCitizenId("038092134717", { birthDate: birth("2092-01-01") })),
    error(parseCitizenId("038092134717", { birthDate: birth("1993-01-01") })),
    warned(parseCitizenId(38092134717)).warning,
    error(parsePhone("1")),
    error(parsePhone("0a")),
    error(parsePhone("0212345678")),
    warned(parsePhone(912345678)).warning,
    error(parsePhone("1E+9")),
    error(parseText("abc", { max: 1 })),
    error(parseCode("a b")),
    error(parseCode("a".repeat(100))),
    error(parseCode(false)),
    error(parseText("", { required: true })),
  ];
  for (const m of samples) {
    for (const s of [vi(m), en(m)]) {
      assert.doesNotMatch(s, /\{\w+\}/, s);
      assert.notEqual(s, m.key);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The sample commune's files (../shared/data/sample): the parsers hold up on them.

const SAMPLE = fileURLToPath(new URL("../../../shared/data/sample/", import.meta.url));

type Parsed = {
  errors: { column: string; key: string }[];
  warnings: { column: string; key: string }[];
  values: Record<string, unknown>;
};

/** Parses one residents row field by field, as the importer would (no cross-row or database checks). */
function parseResidentRow(cells: Record<string, Cell>): Parsed {
  const out: Parsed = { errors: [], warnings: [], values: {} };
  const take = <T>(column: string, r: Result<T>): T | undefined => {
    if (!r.ok) {
      out.errors.push({ column, key: r.error.key });
      return undefined;
    }
    if (r.warning) out.warnings.push({ column, key: r.warning.key });
    out.values[column] = r.value;
    return r.value;
  };
  take("full_name", parseText(cells.full_name, { required: true, max: 200 }));
  const birthDate = take(
    "birth_date",
    parseCivilDate(cells.birth_date, { today: TODAY, notFuture: true, allowYearOnly: true }),
  );
  if (birthDate) out.values.birth_date = birthDate.date;
  const gender = take("gender", parseGender(cells.gender));
  take(
    "citizen_id",
    parseOptional(cells.citizen_id, (r) => parseCitizenId(r, { birthDate, gender })),
  );
  take("phone", parseOptional(cells.phone, parsePhone));
  take("village", parseCode(cells.village));
  take("household", parseCode(cells.household));
  take("status", parseResidentStatus(cells.status));
  take("groups", parseResidentGroups(cells.groups));
  take(
    "unit",
    parseOptional(cells.unit, (r) => parseCode(r)),
  );
  take("disabled", parseYesNo(cells.disabled));
  take("vneid_level", parseVneidLevel(cells.vneid_level));
  return out;
}

/** The sample's columns, in the importer's order (the data README's keys). */
const COLUMNS = RESIDENT_COLUMNS.map((c) => c.key);

const toRecord = (cells: readonly Cell[]) =>
  Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i] ?? null])) as Record<string, Cell>;

describe("sample residents_dirty.csv", () => {
  const text = fs.readFileSync(`${SAMPLE}residents_dirty.csv`, "utf8");
  const records = parseCsv(text, { bom: true }) as string[][];
  const expected = JSON.parse(fs.readFileSync(`${SAMPLE}residents_dirty.expected.json`, "utf8")) as {
    rows: number;
    valid: number;
    invalid: { row: number; column: string; why: string }[];
    normalized: ({ row: number } & Record<string, string>)[];
  };
  /** Row number as the spreadsheet shows it (the header is row 1) → parsed fields. */
  const rows = new Map(records.slice(1).map((cells, i) => [i + 2, parseResidentRow(toRecord(cells))]));

  /** The value parsers' part of each expected rejection; the rest is the importer's. */
  const KEY_OF_WHY: Record<string, string | null> = {
    "11 digits": "values.cccd_length",
    "not digits": "values.cccd_not_digits",
    "unknown province code": "values.cccd_province",
    "gender digit says male": "values.cccd_gender_mismatch",
    "century digit says 1900s": "values.cccd_century_mismatch",
    "year digits 72 vs 1971": "values.cccd_year_mismatch",
    "no such day": "values.date_no_such_day",
    "in the future": "values.date_future",
    empty: "values.required",
    "not a phone number": "values.phone_format",
    "unknown gender": "values.enum_unknown",
    // Across rows or against the database: not a single value's fault.
    "duplicate of row 2": null,
    "unknown village": null,
    "unknown household": null,
  };

  test("the file has the rows the expectations speak of", () => {
    assert.equal(rows.size, expected.rows);
  });

  test("each invalid row fails on exactly its column, for exactly its reason", () => {
    for (const inv of expected.invalid) {
      assert.ok(inv.why in KEY_OF_WHY, `unmapped reason “${inv.why}” (row ${inv.row})`);
      const key = KEY_OF_WHY[inv.why];
      const got = rows.get(inv.row)!;
      assert.deepEqual(got.errors, key ? [{ column: inv.column, key }] : [], `row ${inv.row}: ${inv.why}`);
    }
  });

  test("every other row parses without error or warning", () => {
    const invalid = new Set(expected.invalid.map((i) => i.row));
    let clean = 0;
    for (const [row, got] of rows) {
      assert.deepEqual(got.warnings, [], `row ${row}`);
      if (invalid.has(row)) continue;
      assert.deepEqual(got.errors, [], `row ${row}`);
      clean++;
    }
    assert.equal(clean, expected.valid);
  });

  test("the unusual valid rows are normalized to the expected values", () => {
    assert.equal(expected.normalized.length, 7);
    for (const { row, ...want } of expected.normalized) {
      const got = rows.get(row)!;
      assert.deepEqual(got.errors, [], `row ${row}`);
      for (const [column, v] of Object.entries(want))
        assert.equal(got.values[column], v, `row ${row} ${column}`);
    }
  });
});

describe("sample residents.xlsx", () => {
  test("every row parses; number cells get their zeros back with a warning", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(`${SAMPLE}residents.xlsx`);
    const sheet = wb.worksheets[0]!;
    let rows = 0;
    let restored = 0;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      rows++;
      const cells = (row.values as Cell[]).slice(1);
      const got = parseResidentRow(toRecord(cells));
      assert.deepEqual(got.errors, [], `row ${n}`);
      for (const w of got.warnings) {
        assert.ok(["citizen_id", "phone"].includes(w.column), `row ${n}`);
        const cell = cells[COLUMNS.indexOf(w.column as "phone")];
        assert.equal(typeof cell, "number", `row ${n}: only number cells are restored`);
        restored++;
      }
      const id = got.values.citizen_id;
      if (id !== null) assert.match(String(id), /^\d{12}$/);
    });
    assert.equal(rows, 1093);
    assert.ok(restored > 100, `restored ${restored}`);
  });
});
