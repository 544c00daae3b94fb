/**
 * Value parsers shared by forms, the API and the Excel/CSV importer (SPEC §4, §5).
 *
 * Each parser takes one raw cell — what an xlsx/csv reader yields, or a form's string — and
 * returns a result: the normalized value (maybe with a warning, e.g. a leading zero put back),
 * or a message of the i18n catalog saying what is wrong with the value. Messages name the value,
 * never the row or column: the importer adds those. Pure: no database, no clock (callers pass
 * `today`), no local time zone.
 */
import { type ACTIVITY_TYPES, type AUDIENCES, SUPPORT_KINDS, type UNIT_TYPES } from "../db/schema.ts";
import { type Msg, msg } from "./errors.ts";
import type { MsgKey } from "./i18n/index.ts";
import { cleanText, foldKey, isCleanText } from "./text.ts";

/** A raw cell: xlsx readers give strings, numbers, booleans and dates; forms give strings. */
export type Cell = string | number | boolean | Date | null | undefined;

export type Ok<T> = { ok: true; value: T; warning?: Msg };
export type Err = { ok: false; error: Msg };
export type Result<T> = Ok<T> | Err;

function ok<T>(value: T, warning?: Msg): Ok<T> {
  return warning ? { ok: true, value, warning } : { ok: true, value };
}

function err(error: Msg): Err {
  return { ok: false, error };
}

/** True for null, undefined and a string of white space only. */
export function isBlank(raw: Cell): boolean {
  // `trim` drops exactly what `\s` matches, so this is `cleanText(raw) === ""`.
  return raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "");
}

/** Runs `parse` unless the cell is blank; a blank cell gives `null` (an optional column). */
export function parseOptional<T>(raw: Cell, parse: (raw: Cell) => Result<T>): Result<T | null> {
  return isBlank(raw) ? ok(null) : parse(raw);
}

const required = (): Err => err(msg("values.required"));

/** yyyy-mm-dd of a Date's UTC calendar day. */
function isoOfUtc(d: Date): string {
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const pad4 = (n: number) => String(n).padStart(4, "0");

/** dd/mm/yyyy of an ISO civil date, for messages. */
function dmy(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

/** The cell as the user typed or sees it, for messages (long text cut). */
function display(raw: Cell): string {
  if (raw === null || raw === undefined) return "";
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : dmy(isoOfUtc(raw));
  const s = cleanText(String(raw));
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/** Excel's "1.23457E+10": the digits past the 6th are gone, nothing can restore them. */
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e\+?\d+$/i;

// ---------------------------------------------------------------------------------------------
// Civil dates

/** A civil date (never shifted by a time zone); `yearOnly` when only the year is known. */
export type CivilDate = { date: string; yearOnly: boolean };

export type CivilDateOptions = {
  /** yyyy-mm-dd: the day the data is checked against for `notFuture`. */
  today: string;
  /** Reject a date after `today` (a birth date, a certification). */
  notFuture?: boolean;
  /** Accept a year alone (`1948`, common for the elderly), stored as yyyy-01-01. */
  allowYearOnly?: boolean;
};

/** Excel's serial day 0 (its 1900 leap-year bug makes this the right epoch after 1900-02-28). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const EXCEL_MAX_SERIAL = 2958465; // 9999-12-31
const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses a civil date: `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd`, an Excel
 * date cell (its UTC calendar day), an Excel serial number, or — with `allowYearOnly` — a year alone.
 * With `allowYearOnly` a 4-digit number is a year, not a serial day.
 */
function badDate(raw: Cell, opts: CivilDateOptions): Err {
  return err(
    msg(opts.allowYearOnly ? "values.date_format_or_year" : "values.date_format", { value: display(raw) }),
  );
}

export function parseCivilDate(raw: Cell, opts: CivilDateOptions): Result<CivilDate> {
  if (isBlank(raw)) return required();

  let year: number;
  let month: number;
  let day: number;
  let yearOnly = false;

  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return badDate(raw, opts);
    year = raw.getUTCFullYear();
    month = raw.getUTCMonth() + 1;
    day = raw.getUTCDate();
  } else if (typeof raw === "number") {
    if (!Number.isFinite(raw)) return badDate(raw, opts);
    if (opts.allowYearOnly && Number.isInteger(raw) && raw >= 1000 && raw <= 9999) {
      year = raw;
      month = 1;
      day = 1;
      yearOnly = true;
    } else {
      if (raw < 1 || raw >= EXCEL_MAX_SERIAL + 1) return badDate(raw, opts);
      const d = new Date(EXCEL_EPOCH + Math.floor(raw) * DAY_MS);
      year = d.getUTCFullYear();
      month = d.getUTCMonth() + 1;
      day = d.getUTCDate();
    }
  } else if (typeof raw === "string") {
    const s = cleanText(raw).replace(/\s*([/.-])\s*/g, "$1");
    const iso = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$/.exec(s);
    const dayFirst = /^(\d{1,2})([/.-])(\d{1,2})\2(\d+)$/.exec(s);
    if (iso) {
      year = Number(iso[1]);
      month = Number(iso[3]);
      day = Number(iso[4]);
    } else if (dayFirst) {
      const y = dayFirst[4]!;
      if (y.length === 2) return err(msg("values.date_two_digit_year", { value: display(raw), year: y }));
      if (y.length !== 4) return badDate(raw, opts);
      year = Number(y);
      month = Number(dayFirst[3]);
      day = Number(dayFirst[1]);
    } else if (/^\d{4}$/.test(s)) {
      if (!opts.allowYearOnly) return err(msg("values.date_year_only", { value: display(raw) }));
      year = Number(s);
      month = 1;
      day = 1;
      yearOnly = true;
    } else {
      return badDate(raw, opts);
    }
  } else {
    return badDate(raw, opts);
  }

  if (year > 9999) return badDate(raw, opts);
  if (month < 1 || month > 12) return err(msg("values.date_no_such_month", { value: display(raw), month }));
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return err(msg("values.date_no_such_day", { value: display(raw), day, month, year, days }));
  }
  if (year < 1900) return err(msg("values.date_before_1900", { value: display(raw) }));
  const date = `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
  if (opts.notFuture && date > opts.today) {
    return err(msg("values.date_future", { value: display(raw), today: dmy(opts.today) }));
  }
  return ok({ date, yearOnly });
}

// ---------------------------------------------------------------------------------------------
// Fixed values (enums)

export type EnumTable<T extends string | number> = Readonly<Record<string, T>>;

/** Display labels of each table made by `enumTable`, for "accepted: …" messages. */
const labelsOf = new WeakMap<object, readonly string[]>();

/**
 * Builds a lookup table from display labels: keys are folded with `foldKey`, and every code is
 * accepted as well (`public_sector`, `school`, `2`). Two labels that fold alike must mean the same.
 */
export function enumTable<T extends string | number>(labels: Record<string, T>): EnumTable<T> {
  const table: Record<string, T> = {};
  const shown: string[] = [];
  const add = (label: string, code: T) => {
    const key = foldKey(label);
    if (Object.hasOwn(table, key)) {
      if (table[key] !== code) throw new Error(`enumTable: “${label}” folds like a label of another code`);
      return;
    }
    table[key] = code;
    shown.push(label);
  };
  for (const [label, code] of Object.entries(labels)) add(label, code);
  for (const code of Object.values(labels)) add(String(code), code);
  const frozen = Object.freeze(table);
  labelsOf.set(frozen, Object.freeze(shown));
  return frozen;
}

export type EnumOptions<T> = {
  /** What the value is, for the message ("Giới tính “X” không hợp lệ"). */
  what?: MsgKey;
  /** The value of a blank cell; without it a blank cell is an error. */
  empty?: T;
};

/** Looks a cell up in a table whose keys are folded labels (see `enumTable`). */
export function parseEnum<T extends string | number>(
  raw: Cell,
  table: Readonly<Record<string, T>>,
  opts: EnumOptions<T> = {},
): Result<T> {
  if (isBlank(raw)) return opts.empty !== undefined ? ok(opts.empty) : required();
  const key = raw instanceof Date ? "" : foldKey(String(raw));
  if (key !== "" && Object.hasOwn(table, key)) return ok(table[key] as T);
  return err(
    msg("values.enum_unknown", {
      what: { key: opts.what ?? "values.what.value" },
      value: display(raw),
      accepted: (labelsOf.get(table) ?? Object.keys(table)).join(", "),
    }),
  );
}

export const GENDERS = ["male", "female", "other"] as const;
export type Gender = (typeof GENDERS)[number];
export const GENDER_TABLE = enumTable<Gender>({
  Nam: "male",
  Nữ: "female",
  Khác: "other",
  M: "male",
  F: "female",
});

/** `Nam`/`Nữ`/`Khác`, `male`/`female`/`other`, `M`/`F` — any case, with or without diacritics. */
export function parseGender(raw: Cell): Result<Gender> {
  return parseEnum(raw, GENDER_TABLE, { what: "values.what.gender" });
}

export const RESIDENT_STATUSES = ["active", "moved", "deceased"] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];
export const RESIDENT_STATUS_TABLE = enumTable<ResidentStatus>({
  "Đang cư trú": "active",
  "Thường trú": "active",
  "Chuyển đi": "moved",
  "Đã mất": "deceased",
});

/** Residence status; a blank cell is `active`. */
export function parseResidentStatus(raw: Cell): Result<ResidentStatus> {
  return parseEnum(raw, RESIDENT_STATUS_TABLE, { what: "values.what.status", empty: "active" });
}

export const RESIDENT_GROUPS = ["public_sector", "student", "enterprise_worker"] as const;
export type ResidentGroup = (typeof RESIDENT_GROUPS)[number];
export const RESIDENT_GROUP_TABLE = enumTable<ResidentGroup>({
  "Cán bộ, công chức, viên chức": "public_sector",
  CBCCVC: "public_sector",
  "Học sinh": "student",
  "Người lao động doanh nghiệp": "enterprise_worker",
  "Lao động DN/HTX": "enterprise_worker",
  "Người lao động DN": "enterprise_worker",
});

/** A `;`-separated list of target groups; blank gives `[]`, duplicates are dropped. */
export function parseResidentGroups(raw: Cell): Result<ResidentGroup[]> {
  if (isBlank(raw)) return ok([]);
  const groups: ResidentGroup[] = [];
  const text = raw instanceof Date ? display(raw) : String(raw);
  for (const part of text.split(";")) {
    if (isBlank(part)) continue;
    const r = parseEnum(part, RESIDENT_GROUP_TABLE, { what: "values.what.group" });
    if (!r.ok) return r;
    if (!groups.includes(r.value)) groups.push(r.value);
  }
  return ok(groups);
}

export const VNEID_LEVELS = [0, 1, 2] as const;
export type VneidLevel = (typeof VNEID_LEVELS)[number];
export const VNEID_LEVEL_TABLE = enumTable<VneidLevel>({
  "Chưa có": 0,
  none: 0,
  "Mức 1": 1,
  "Mức 2": 2,
  "Level 1": 1,
  "Level 2": 2,
});

/** VNeID account level: 0/Chưa có/none, 1/Mức 1, 2/Mức 2; a blank cell is 0. */
export function parseVneidLevel(raw: Cell): Result<VneidLevel> {
  return parseEnum(raw, VNEID_LEVEL_TABLE, { what: "values.what.vneid_level", empty: 0 });
}

export type UnitType = (typeof UNIT_TYPES)[number];
export const UNIT_TYPE_TABLE = enumTable<UnitType>({
  "Cơ quan": "office",
  "Trường học": "school",
  Trường: "school",
  "Doanh nghiệp": "enterprise",
  "Hợp tác xã": "cooperative",
  HTX: "cooperative",
  "Đoàn thể": "association",
});

export function parseUnitType(raw: Cell): Result<UnitType> {
  return parseEnum(raw, UNIT_TYPE_TABLE, { what: "values.what.unit_type" });
}

export const CERTIFICATION_KINDS = ["basic", "vneid"] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];
export const CERTIFICATION_KIND_TABLE = enumTable<CertificationKind>({
  "Cơ bản": "basic",
  VNeID: "vneid",
  "Xác nhận VNeID": "vneid",
});

export function parseCertificationKind(raw: Cell): Result<CertificationKind> {
  return parseEnum(raw, CERTIFICATION_KIND_TABLE, { what: "values.what.certification_kind" });
}

export const CERTIFICATION_SOURCES = ["vneid", "platform", "school", "course"] as const;
export type CertificationSource = (typeof CERTIFICATION_SOURCES)[number];
export const CERTIFICATION_SOURCE_TABLE = enumTable<CertificationSource>({
  VNeID: "vneid",
  "Nền tảng Bình dân học vụ số": "platform",
  "Nền tảng": "platform",
  "Trường học": "school",
  "Khóa học": "course",
  "Lớp học": "course",
});

export function parseCertificationSource(raw: Cell): Result<CertificationSource> {
  return parseEnum(raw, CERTIFICATION_SOURCE_TABLE, { what: "values.what.certification_source" });
}

export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const ACTIVITY_TYPE_TABLE = enumTable<ActivityType>({
  "Lớp học": "class",
  "Tuyên truyền": "propaganda",
  "Ngày hội học tập số": "digital_learning_day",
  "Ngày hội toàn dân học tập số": "digital_learning_day",
  "Lễ phát động": "launch",
  Khác: "other",
  Class: "class",
  Propaganda: "propaganda",
  "Digital learning day": "digital_learning_day",
  Launch: "launch",
  Other: "other",
});

/** An activity's type: `Lớp học`, `Tuyên truyền`, `Ngày hội (toàn dân) học tập số`, `Lễ phát động`, `Khác` (or the codes). */
export function parseActivityType(raw: Cell): Result<ActivityType> {
  return parseEnum(raw, ACTIVITY_TYPE_TABLE, { what: "values.what.activity_type" });
}

export type Audience = (typeof AUDIENCES)[number];
export const AUDIENCE_TABLE = enumTable<Audience>({
  "Người dân": "resident",
  "Cán bộ, công chức, viên chức": "public_sector",
  CBCCVC: "public_sector",
  "Học sinh": "student",
  "Người lao động doanh nghiệp": "enterprise_worker",
  "Lao động DN/HTX": "enterprise_worker",
  "Người lao động DN": "enterprise_worker",
  Residents: "resident",
  "Public sector": "public_sector",
  Students: "student",
  "Enterprise workers": "enterprise_worker",
});

/** Who an activity is for: `Người dân`, `CBCCVC`, `Học sinh`, `Người lao động doanh nghiệp` (or the codes). */
export function parseAudience(raw: Cell): Result<Audience> {
  return parseEnum(raw, AUDIENCE_TABLE, { what: "values.what.audience" });
}

const YES = new Set(["x", "1", "co", "yes", "true"]);
const NO = new Set(["0", "khong", "no", "false"]);
const CHECK_MARKS = new Set(["✓", "✔", "☑"]);

/** yes = `x`, `1`, `có`, `yes`, `true`, `✓`; no = blank, `0`, `không`, `no`, `false`. */
export function parseYesNo(raw: Cell): Result<boolean> {
  if (isBlank(raw)) return ok(false);
  if (typeof raw === "boolean") return ok(raw);
  if (!(raw instanceof Date)) {
    const s = cleanText(String(raw));
    if (CHECK_MARKS.has(s)) return ok(true);
    const key = foldKey(s);
    if (YES.has(key)) return ok(true);
    if (NO.has(key)) return ok(false);
  }
  return err(msg("values.yes_no_unknown", { value: display(raw) }));
}

// ---------------------------------------------------------------------------------------------
// Citizen ID (CCCD)

/** The 63 province codes (pre-2025 provinces) that open a citizen ID number, with their names. */
export const PROVINCE_CODES: Readonly<Record<string, string>> = Object.freeze({
  "001": "Hà Nội",
  "002": "Hà Giang",
  "004": "Cao Bằng",
  "006": "Bắc Kạn",
  "008": "Tuyên Quang",
  "010": "Lào Cai",
  "011": "Điện Biên",
  "012": "Lai Châu",
  "014": "Sơn La",
  "015": "Yên Bái",
  "017": "Hòa Bình",
  "019": "Thái Nguyên",
  "020": "Lạng Sơn",
  "022": "Quảng Ninh",
  "024": "Bắc Giang",
  "025": "Phú Thọ",
  "026": "Vĩnh Phúc",
  "027": "Bắc Ninh",
  "030": "Hải Dương",
  "031": "Hải Phòng",
  "033": "Hưng Yên",
  "034": "Thái Bình",
  "035": "Hà Nam",
  "036": "Nam Định",
  "037": "Ninh Bình",
  "038": "Thanh Hóa",
  "040": "Nghệ An",
  "042": "Hà Tĩnh",
  "044": "Quảng Bình",
  "045": "Quảng Trị",
  "046": "Thừa Thiên Huế",
  "048": "Đà Nẵng",
  "049": "Quảng Nam",
  "051": "Quảng Ngãi",
  "052": "Bình Định",
  "054": "Phú Yên",
  "056": "Khánh Hòa",
  "058": "Ninh Thuận",
  "060": "Bình Thuận",
  "062": "Kon Tum",
  "064": "Gia Lai",
  "066": "Đắk Lắk",
  "067": "Đắk Nông",
  "068": "Lâm Đồng",
  "070": "Bình Phước",
  "072": "Tây Ninh",
  "074": "Bình Dương",
  "075": "Đồng Nai",
  "077": "Bà Rịa - Vũng Tàu",
  "079": "Hồ Chí Minh",
  "080": "Long An",
  "082": "Tiền Giang",
  "083": "Bến Tre",
  "084": "Trà Vinh",
  "086": "Vĩnh Long",
  "087": "Đồng Tháp",
  "089": "An Giang",
  "091": "Kiên Giang",
  "092": "Cần Thơ",
  "093": "Hậu Giang",
  "094": "Sóc Trăng",
  "095": "Bạc Liêu",
  "096": "Cà Mau",
});

/** What digit 4 of a citizen ID says: gender and century of birth. */
const CCCD_DIGIT4: Record<string, { gender: "male" | "female"; century: 1900 | 2000 }> = {
  "0": { gender: "male", century: 1900 },
  "1": { gender: "female", century: 1900 },
  "2": { gender: "male", century: 2000 },
  "3": { gender: "female", century: 2000 },
};

const DIGIT4_MEANING = {
  "0": "values.cccd_digit4.0",
  "1": "values.cccd_digit4.1",
  "2": "values.cccd_digit4.2",
  "3": "values.cccd_digit4.3",
} as const satisfies Record<string, MsgKey>;

const GENDER_LABEL = {
  male: "values.gender.male",
  female: "values.gender.female",
} as const satisfies Record<string, MsgKey>;

export type CitizenIdOptions = {
  /** The row's birth date: digit 4's century and digits 5–6 must agree with it. */
  birthDate?: CivilDate | null;
  /** The row's gender: digit 4 must agree with it (`other` is not checked). */
  gender?: Gender | null;
};

/**
 * A citizen ID (CCCD, SPEC §5): 12 digits; a province code; digit 4 the century and gender; digits
 * 5–6 the birth year. Spaces, dots and dashes inside are dropped. A number cell, or a digit string
 * not starting with 0, of 10 or 11 digits lost its leading zeros in Excel: they are put back, with a
 * warning, and the restored number must then pass the rules.
 */
export function parseCitizenId(raw: Cell, opts: CitizenIdOptions = {}): Result<string> {
  if (isBlank(raw)) return required();
  let digits: string;
  let fromNumber = false;
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw) || raw < 0)
      return err(msg("values.cccd_not_digits", { value: display(raw) }));
    digits = String(raw);
    fromNumber = true;
  } else {
    const s = raw instanceof Date ? display(raw) : cleanText(String(raw));
    if (SCIENTIFIC.test(s)) return err(msg("values.scientific", { value: display(raw) }));
    digits = s.replace(/[\s.-]/g, "");
    if (!/^\d+$/.test(digits)) return err(msg("values.cccd_not_digits", { value: display(raw) }));
  }

  let warning: Msg | undefined;
  if ((digits.length === 10 || digits.length === 11) && (fromNumber || !digits.startsWith("0"))) {
    const restored = digits.padStart(12, "0");
    warning = msg("values.cccd_zero_restored", { value: display(raw), restored });
    digits = restored;
  }
  if (digits.length !== 12) {
    return err(msg("values.cccd_length", { value: display(raw), length: digits.length }));
  }

  const province = digits.slice(0, 3);
  if (!Object.hasOwn(PROVINCE_CODES, province)) {
    return err(msg("values.cccd_province", { value: digits, code: province }));
  }
  const digit4 = digits[3]!;
  const says = CCCD_DIGIT4[digit4];
  if (!says) return err(msg("values.cccd_digit4_invalid", { value: digits, digit: digit4 }));
  const meaning = { key: DIGIT4_MEANING[digit4 as keyof typeof DIGIT4_MEANING] };

  const birth = opts.birthDate;
  if (birth) {
    const year = Number(birth.date.slice(0, 4));
    if (Math.floor(year / 100) * 100 !== says.century) {
      return err(msg("values.cccd_century_mismatch", { value: digits, digit: digit4, meaning, year }));
    }
  }
  const gender = opts.gender;
  if ((gender === "male" || gender === "female") && gender !== says.gender) {
    return err(
      msg("values.cccd_gender_mismatch", {
        value: digits,
        digit: digit4,
        meaning,
        gender: { key: GENDER_LABEL[gender] },
      }),
    );
  }
  if (birth) {
    const year = birth.date.slice(0, 4);
    const yy = digits.slice(4, 6);
    if (yy !== year.slice(2)) {
      return err(msg("values.cccd_year_mismatch", { value: digits, yy, year, expected: year.slice(2) }));
    }
  }
  return ok(digits, warning);
}

// ---------------------------------------------------------------------------------------------
// Phone

const MOBILE_PREFIX = /^0[35789]/;

/**
 * A Vietnamese mobile number, stored as `0xxxxxxxxx`: `0` + 9 digits with prefix 03/05/07/08/09,
 * or `+84`/`84` + 9 digits. Spaces, dots, dashes and parentheses are dropped. A 9-digit number
 * (a number cell, or digits starting 3/5/7/8/9) lost its leading 0 in Excel: it is put back, with
 * a warning.
 */
export function parsePhone(raw: Cell): Result<string> {
  if (isBlank(raw)) return required();
  let digits: string;
  let plus = false;
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw) || raw < 0)
      return err(msg("values.phone_not_digits", { value: display(raw) }));
    digits = String(raw);
  } else {
    const s = raw instanceof Date ? display(raw) : cleanText(String(raw));
    if (SCIENTIFIC.test(s)) return err(msg("values.scientific", { value: display(raw) }));
    let compact = s.replace(/[\s.()-]/g, "");
    if (compact.startsWith("+")) {
      plus = true;
      compact = compact.slice(1);
    }
    if (!/^\d+$/.test(compact)) return err(msg("values.phone_not_digits", { value: display(raw) }));
    digits = compact;
  }

  let warning: Msg | undefined;
  let national: string;
  if (digits.startsWith("84") && (digits.length === 11 || (digits.length === 12 && digits[2] === "0"))) {
    // +84 912 345 678, 84912345678, and the common +84 0912 345 678.
    national = `0${digits.slice(-9)}`;
  } else if (plus) {
    return err(msg("values.phone_format", { value: display(raw) }));
  } else if (digits.length === 9 && /^[35789]/.test(digits)) {
    national = `0${digits}`;
    warning = msg("values.phone_zero_restored", { value: display(raw), restored: national });
  } else if (digits.length === 10 && digits.startsWith("0")) {
    national = digits;
  } else {
    return err(msg("values.phone_format", { value: display(raw) }));
  }
  if (!MOBILE_PREFIX.test(national)) {
    return err(msg("values.phone_prefix", { value: display(raw), prefix: national.slice(0, 2) }));
  }
  return ok(national, warning);
}

// ---------------------------------------------------------------------------------------------
// Text and codes

/** Control characters (not white space, which collapses) and zero-width characters: never kept. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters to drop them is the point.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]/gu;

function textOf(raw: Cell): string {
  if (raw === null || raw === undefined) return "";
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? "" : isoOfUtc(raw);
  // Clean text holds no invisible character either.
  if (typeof raw === "string" && isCleanText(raw)) return raw;
  return cleanText(String(raw).replace(INVISIBLE, ""));
}

/** The number of Unicode characters (code points) of a string. */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export type TextOptions = {
  /** A blank cell is an error (otherwise it gives ""). */
  required?: boolean;
  /** Most characters allowed. */
  max?: number;
};

/**
 * Free text (names, addresses, notes): NFC, trimmed, inner white space collapsed, control and
 * zero-width characters dropped; a number cell gives its digits. Text starting with `=`, `+`, `-`,
 * `@` is kept as text (exports escape it).
 */
export function parseText(raw: Cell, opts: TextOptions = {}): Result<string> {
  const text = textOf(raw);
  if (text === "") return opts.required ? required() : ok("");
  // Characters, not UTF-16 units: counted only when the units could exceed the limit.
  const length = opts.max !== undefined && text.length > opts.max ? codePoints(text) : text.length;
  if (opts.max !== undefined && length > opts.max) {
    return err(msg("values.text_too_long", { length, max: opts.max }));
  }
  return ok(text);
}

export type CodeOptions = {
  /** Most characters allowed (default 64). */
  max?: number;
};

/** A code (village, household, unit, activity…): trimmed text without inner spaces; `12` → "12". */
export function parseCode(raw: Cell, opts: CodeOptions = {}): Result<string> {
  if (isBlank(raw)) return required();
  if (typeof raw === "boolean" || raw instanceof Date) {
    return err(msg("values.code_format", { value: display(raw) }));
  }
  const code = textOf(raw);
  if (/\s/u.test(code)) return err(msg("values.code_spaces", { value: display(raw) }));
  const max = opts.max ?? 64;
  if (code.length > max && codePoints(code) > max)
    return err(msg("values.code_too_long", { value: display(raw), max }));
  return ok(code);
}

/** A code that may be left blank (null then), checked as parseCode checks one. */
export function parseOptionalCode(raw: Cell, opts: CodeOptions = {}): Result<string | null> {
  return parseOptional(raw, (x) => parseCode(x, opts));
}

// ---------------------------------------------------------------------------------------------
// The movement's work: team roles, support given on a visit, incident severity

export const TEAM_ROLES = ["leader", "member", "youth_volunteer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export const TEAM_ROLE_TABLE = enumTable<TeamRole>({
  "Tổ trưởng": "leader",
  "Thành viên": "member",
  "Đoàn viên tình nguyện": "youth_volunteer",
  "Tình nguyện viên": "youth_volunteer",
  Leader: "leader",
  Member: "member",
  "Youth volunteer": "youth_volunteer",
  Volunteer: "youth_volunteer",
});

/** A team member's role: Tổ trưởng, Thành viên, Đoàn viên tình nguyện / Tình nguyện viên (or the English). */
export function parseTeamRole(raw: Cell): Result<TeamRole> {
  return parseEnum(raw, TEAM_ROLE_TABLE, { what: "values.what.team_role" });
}

/** The kinds of support a visit gives: the schema's list (its `visits_support_ck` allows these). */
export { SUPPORT_KINDS };
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const SUPPORT_KIND_TABLE = enumTable<SupportKind>({
  "Cài đặt VNeID": "vneid_install",
  "Định danh mức 2": "vneid_level2",
  "Mở tài khoản ngân hàng số": "bank_account",
  "Thanh toán không dùng tiền mặt": "cashless_payment",
  "Dịch vụ công trực tuyến": "public_service_online",
  "Đăng ký học trên nền tảng": "platform_enrol",
  "Hướng dẫn an toàn thông tin": "security_advice",
  "Ứng dụng sức khỏe": "health_app",
  "VNeID install": "vneid_install",
  "VNeID level 2": "vneid_level2",
  "Digital bank account": "bank_account",
  "Cashless payment": "cashless_payment",
  "Online public services": "public_service_online",
  "Platform enrolment": "platform_enrol",
  "Security advice": "security_advice",
  "Health app": "health_app",
});

/** A `;`-separated list of support kinds (labels or codes); at least one, duplicates dropped, in the table's order. */
export function parseSupportKinds(raw: Cell): Result<SupportKind[]> {
  if (isBlank(raw)) return required();
  const found = new Set<SupportKind>();
  const text = raw instanceof Date ? display(raw) : String(raw);
  for (const part of text.split(";")) {
    if (isBlank(part)) continue;
    const r = parseEnum(part, SUPPORT_KIND_TABLE, { what: "values.what.support" });
    if (!r.ok) return r;
    found.add(r.value);
  }
  if (found.size === 0) return required();
  return ok(SUPPORT_KINDS.filter((k) => found.has(k)));
}

export const INCIDENT_SEVERITIES = ["minor", "serious"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export const INCIDENT_SEVERITY_TABLE = enumTable<IncidentSeverity>({
  Nhẹ: "minor",
  "Nghiêm trọng": "serious",
  Minor: "minor",
  Serious: "serious",
});

/** An incident's severity: Nhẹ / Nghiêm trọng (or minor / serious). */
export function parseIncidentSeverity(raw: Cell): Result<IncidentSeverity> {
  return parseEnum(raw, INCIDENT_SEVERITY_TABLE, { what: "values.what.severity" });
}
