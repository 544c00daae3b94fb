/** Messages of the value parsers (src/lib/values.ts): what is wrong with one value, never where. */
export const vi = {
  "values.required": "Ô này bắt buộc nhưng đang để trống.",
  "values.scientific":
    "“{value}” đã bị Excel đổi sang dạng số mũ nên mất các chữ số cuối. Hãy định dạng cột là Văn bản (Text), nhập lại số đầy đủ rồi lưu lại.",

  "values.date_format":
    "“{value}” không phải là ngày hợp lệ. Hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1990 (hoặc 1990-03-05).",
  "values.date_format_or_year":
    "“{value}” không phải là ngày hợp lệ. Hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1990 (hoặc 1990-03-05), hoặc chỉ ghi năm sinh, ví dụ 1948.",
  "values.date_two_digit_year":
    "Ngày “{value}” ghi năm bằng 2 chữ số ({year}) nên không biết là năm 19{year} hay 20{year}. Hãy ghi đủ 4 chữ số của năm.",
  "values.date_year_only": "“{value}” chỉ có năm; ở đây cần ghi đủ ngày/tháng/năm, ví dụ 05/03/{value}.",
  "values.date_no_such_month":
    "Ngày “{value}” không có thật: không có tháng {month} (tháng chỉ từ 1 đến 12).",
  "values.date_no_such_day":
    "Ngày “{value}” không có thật: tháng {month} năm {year} chỉ có {days} ngày, không có ngày {day}.",
  "values.date_before_1900": "Ngày “{value}” trước năm 1900. Hãy kiểm tra lại năm.",
  "values.date_future": "Ngày “{value}” nằm trong tương lai (sau hôm nay, {today}). Hãy kiểm tra lại.",

  "values.enum_unknown": "{what} “{value}” không hợp lệ. Các giá trị được chấp nhận: {accepted}.",
  "values.what.value": "Giá trị",
  "values.what.gender": "Giới tính",
  "values.what.status": "Tình trạng cư trú",
  "values.what.group": "Đối tượng",
  "values.what.vneid_level": "Mức định danh VNeID",
  "values.what.unit_type": "Loại đơn vị",
  "values.what.certification_kind": "Loại chứng nhận",
  "values.what.certification_source": "Nguồn chứng nhận",
  "values.yes_no_unknown":
    "“{value}” không phải là có/không. Ghi “có” bằng x, 1, có, yes, true hoặc ✓; ghi “không” bằng 0, không, no, false hoặc để trống.",
  "values.gender.male": "Nam",
  "values.gender.female": "Nữ",

  "values.cccd_not_digits": "Số CCCD “{value}” có ký tự không phải chữ số. Số CCCD chỉ gồm 12 chữ số.",
  "values.cccd_length": "Số CCCD “{value}” có {length} chữ số; số CCCD phải có đúng 12 chữ số.",
  "values.cccd_zero_restored":
    "Số CCCD “{value}” bị mất số 0 ở đầu (Excel lưu ô này dạng số); đã khôi phục thành “{restored}”. Hãy kiểm tra lại.",
  "values.cccd_province":
    "Số CCCD “{value}” bắt đầu bằng {code}, không phải mã tỉnh, thành phố nào (3 chữ số đầu là mã tỉnh nơi đăng ký khai sinh, ví dụ 038 là Thanh Hóa).",
  "values.cccd_digit4_invalid":
    "Số CCCD “{value}” có chữ số thứ 4 là {digit}; với người sinh từ năm 1900 đến 2099, chữ số này chỉ có thể là 0, 1, 2 hoặc 3.",
  "values.cccd_digit4.0": "nam, sinh 1900–1999",
  "values.cccd_digit4.1": "nữ, sinh 1900–1999",
  "values.cccd_digit4.2": "nam, sinh 2000–2099",
  "values.cccd_digit4.3": "nữ, sinh 2000–2099",
  "values.cccd_century_mismatch":
    "Số CCCD “{value}” có chữ số thứ 4 là {digit} ({meaning}) nhưng năm sinh là {year}.",
  "values.cccd_gender_mismatch":
    "Số CCCD “{value}” có chữ số thứ 4 là {digit} ({meaning}) nhưng giới tính là {gender}.",
  "values.cccd_year_mismatch":
    "Số CCCD “{value}” có chữ số thứ 5–6 là {yy} nhưng năm sinh là {year}: hai chữ số này phải là {expected}.",

  "values.phone_not_digits": "Số điện thoại “{value}” có ký tự không phải chữ số.",
  "values.phone_format":
    "Số điện thoại “{value}” không đúng dạng số di động Việt Nam: số 0 và 9 chữ số (ví dụ 0912345678), hoặc +84 và 9 chữ số.",
  "values.phone_prefix":
    "Số điện thoại “{value}” có đầu số {prefix}, không phải đầu số di động (03, 05, 07, 08, 09).",
  "values.phone_zero_restored":
    "Số điện thoại “{value}” bị mất số 0 ở đầu (Excel lưu ô này dạng số); đã khôi phục thành “{restored}”.",

  "values.text_too_long": "Nội dung dài {length} ký tự, vượt quá giới hạn {max} ký tự.",
  "values.code_format": "“{value}” không phải là mã hợp lệ: mã gồm chữ và số, ví dụ T01.",
  "values.code_spaces": "Mã “{value}” có dấu cách ở giữa; mã không được chứa dấu cách.",
  "values.code_too_long": "Mã “{value}” dài quá {max} ký tự.",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "values.required": "This value is required but the cell is empty.",
  "values.scientific":
    "“{value}” was turned into scientific notation by Excel and has lost its last digits. Format the column as Text, type the full number again and save.",

  "values.date_format":
    "“{value}” is not a valid date. Write day/month/year, e.g. 05/03/1990 (or 1990-03-05).",
  "values.date_format_or_year":
    "“{value}” is not a valid date. Write day/month/year, e.g. 05/03/1990 (or 1990-03-05), or only the year of birth, e.g. 1948.",
  "values.date_two_digit_year":
    "The date “{value}” has a 2-digit year ({year}): it could be 19{year} or 20{year}. Write the year with 4 digits.",
  "values.date_year_only":
    "“{value}” is only a year; a full day/month/year is needed here, e.g. 05/03/{value}.",
  "values.date_no_such_month":
    "The date “{value}” does not exist: there is no month {month} (months run 1 to 12).",
  "values.date_no_such_day":
    "The date “{value}” does not exist: month {month} of {year} has only {days} days, there is no day {day}.",
  "values.date_before_1900": "The date “{value}” is before 1900. Check the year.",
  "values.date_future": "The date “{value}” is in the future (after today, {today}). Check it.",

  "values.enum_unknown": "{what} “{value}” is not valid. Accepted values: {accepted}.",
  "values.what.value": "Value",
  "values.what.gender": "Gender",
  "values.what.status": "Residence status",
  "values.what.group": "Target group",
  "values.what.vneid_level": "VNeID level",
  "values.what.unit_type": "Unit type",
  "values.what.certification_kind": "Certification kind",
  "values.what.certification_source": "Certification source",
  "values.yes_no_unknown":
    "“{value}” is not a yes/no value. Write yes as x, 1, có, yes, true or ✓; no as 0, không, no, false or leave it empty.",
  "values.gender.male": "male",
  "values.gender.female": "female",

  "values.cccd_not_digits":
    "Citizen ID “{value}” has characters that are not digits. A citizen ID is 12 digits.",
  "values.cccd_length": "Citizen ID “{value}” has {length} digits; a citizen ID has exactly 12 digits.",
  "values.cccd_zero_restored":
    "Citizen ID “{value}” lost its leading zero (Excel stored the cell as a number); it was restored as “{restored}”. Please check it.",
  "values.cccd_province":
    "Citizen ID “{value}” starts with {code}, which is no province code (the first 3 digits are the code of the province of birth registration, e.g. 038 for Thanh Hóa).",
  "values.cccd_digit4_invalid":
    "Citizen ID “{value}” has {digit} as its 4th digit; for people born 1900 to 2099 that digit can only be 0, 1, 2 or 3.",
  "values.cccd_digit4.0": "male, born 1900–1999",
  "values.cccd_digit4.1": "female, born 1900–1999",
  "values.cccd_digit4.2": "male, born 2000–2099",
  "values.cccd_digit4.3": "female, born 2000–2099",
  "values.cccd_century_mismatch":
    "Citizen ID “{value}” has {digit} as its 4th digit ({meaning}) but the year of birth is {year}.",
  "values.cccd_gender_mismatch":
    "Citizen ID “{value}” has {digit} as its 4th digit ({meaning}) but the gender is {gender}.",
  "values.cccd_year_mismatch":
    "Citizen ID “{value}” has {yy} as its 5th–6th digits but the year of birth is {year}: they should be {expected}.",

  "values.phone_not_digits": "Phone number “{value}” has characters that are not digits.",
  "values.phone_format":
    "Phone number “{value}” is not a Vietnamese mobile number: 0 and 9 digits (e.g. 0912345678), or +84 and 9 digits.",
  "values.phone_prefix":
    "Phone number “{value}” starts with {prefix}, not a mobile prefix (03, 05, 07, 08, 09).",
  "values.phone_zero_restored":
    "Phone number “{value}” lost its leading zero (Excel stored the cell as a number); it was restored as “{restored}”.",

  "values.text_too_long": "The text is {length} characters long, over the limit of {max}.",
  "values.code_format": "“{value}” is not a valid code: a code is letters and digits, e.g. T01.",
  "values.code_spaces": "Code “{value}” has spaces inside; a code cannot contain spaces.",
  "values.code_too_long": "Code “{value}” is longer than {max} characters.",
};
