/** Messages of the tabular area: reading and writing .csv and .xlsx files. */
export const vi = {
  "tabular.unknown_type":
    "Tệp “{name}” không phải .csv hay .xlsx. Hãy lưu lại tệp dưới dạng Excel (.xlsx) hoặc CSV.",
  "tabular.file_missing": "Không tìm thấy tệp “{name}”.",
  "tabular.corrupt_file":
    "Không đọc được tệp “{name}”: tệp bị hỏng, chưa tải lên hết, hoặc không đúng định dạng so với phần đuôi tên tệp. Hãy mở tệp bằng Excel và lưu lại dưới dạng Excel (.xlsx) hoặc CSV UTF-8, rồi thử lại.",
  "tabular.unknown_sheet":
    "Tệp “{name}” không có trang tính nào tên “{sheet}”. Các trang tính có trong tệp: {sheets}.",
  "tabular.csv_encoding":
    "Tệp “{name}” không dùng bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu “CSV UTF-8 (Comma delimited)”, rồi thử lại.",
  "tabular.csv_unclosed_quote":
    'Tệp “{name}”, dòng {line}: có dấu ngoặc kép (") mở mà không đóng, nên không biết ô kết thúc ở đâu. Hãy sửa dòng này rồi thử lại.',
  "tabular.csv_malformed":
    "Tệp “{name}”, dòng {line}: sai định dạng CSV (dấu ngoặc kép đặt sai chỗ). Hãy sửa dòng này rồi thử lại.",
  "tabular.csv_line_too_long":
    "Tệp “{name}”, dòng {line}: dòng dài hơn {max}, quá dài để là một dòng dữ liệu. Hãy kiểm tra tệp (có thể thiếu dấu xuống dòng hoặc không phải tệp CSV) rồi thử lại.",
  "tabular.xlsx_part_too_large":
    "Tệp “{name}”: phần “{part}” khi giải nén lớn hơn {max}, vượt giới hạn cho phép. Hãy chia tệp thành nhiều tệp nhỏ hơn, hoặc mở bằng Excel, xóa các dòng và cột thừa rồi lưu lại.",
  "tabular.shared_strings_too_large":
    "Tệp “{name}”: bảng chữ dùng chung của tệp vượt giới hạn ({strings} chuỗi, {max} ký tự). Hãy chia tệp thành nhiều tệp nhỏ hơn rồi thử lại.",
  "tabular.row_too_long":
    "Tệp “{name}”, dòng {row}: nội dung của dòng dài hơn {max}, vượt giới hạn cho phép. Hãy sửa dòng này rồi thử lại.",
  "tabular.too_many_columns":
    "Tệp “{name}”, dòng {row}: có ô nằm ngoài cột thứ {max}, vượt giới hạn của Excel. Tệp bị hỏng; hãy mở bằng Excel và lưu lại.",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "tabular.unknown_type": "The file “{name}” is neither .csv nor .xlsx. Save it as Excel (.xlsx) or CSV.",
  "tabular.file_missing": "The file “{name}” was not found.",
  "tabular.corrupt_file":
    "The file “{name}” cannot be read: it is damaged, was not uploaded completely, or its content does not match its extension. Open it in Excel, save it as Excel (.xlsx) or CSV UTF-8, and try again.",
  "tabular.unknown_sheet": "The file “{name}” has no sheet named “{sheet}”. Its sheets: {sheets}.",
  "tabular.csv_encoding":
    "The file “{name}” is not UTF-8, so Vietnamese letters would be garbled. Open it in Excel, Save As “CSV UTF-8 (Comma delimited)”, and try again.",
  "tabular.csv_unclosed_quote":
    'The file “{name}”, line {line}: a double quote (") is opened and never closed, so the cell has no end. Fix this line and try again.',
  "tabular.csv_malformed":
    "The file “{name}”, line {line}: not valid CSV (a double quote in the wrong place). Fix this line and try again.",
  "tabular.csv_line_too_long":
    "The file “{name}”, line {line}: the line is longer than {max}, too long for a data row. Check the file (line breaks may be missing, or it is not a CSV file) and try again.",
  "tabular.xlsx_part_too_large":
    "The file “{name}”: its part “{part}” inflates to more than {max}, over the limit. Split the file into smaller ones, or open it in Excel, delete the extra rows and columns and save it again.",
  "tabular.shared_strings_too_large":
    "The file “{name}”: its shared-strings table is over the limit ({strings} strings, {max} characters). Split the file into smaller ones and try again.",
  "tabular.row_too_long":
    "The file “{name}”, row {row}: the row holds more than {max} of text, over the limit. Fix this row and try again.",
  "tabular.too_many_columns":
    "The file “{name}”, row {row}: a cell lies beyond column {max}, Excel's limit. The file is damaged; open it in Excel and save it again.",
};
