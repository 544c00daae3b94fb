/** Messages of the registry and its imports. */
export const vi = {
  "cli.cmd.import": "nhập dữ liệu từ tệp Excel (.xlsx) hoặc CSV",
  "cli.import_usage":
    "Cách dùng: bdhvs import LOẠI TỆP [--sheet TÊN] [--dry-run] [--skip-invalid --rejects TỆP] [--json]",
  "cli.import_kinds": "Các loại dữ liệu:",
  "cli.opt.sheet": "tên trang tính (mặc định: trang đầu tiên)",
  "cli.opt.dry_run": "chỉ kiểm tra, không ghi gì",
  "cli.opt.skip_invalid": "ghi các dòng hợp lệ, bỏ qua dòng lỗi (mặc định: một dòng lỗi thì không ghi gì)",
  "cli.opt.rejects": "ghi các dòng lỗi, giữ nguyên, kèm cột “reason” vào tệp này (cùng định dạng)",
  "cli.opt.json": "in kết quả dạng JSON",
  "cli.import_unknown_kind": "Loại dữ liệu không hợp lệ: “{kind}”. Chọn một trong: {kinds}.",
  "cli.rejects_needs_skip": "--rejects chỉ dùng cùng --skip-invalid.",
  "cli.import_progress": "Đã đọc {rows} dòng…",
  "cli.import_row": "Dòng {row}:",
  "cli.import_warnings": "{n} cảnh báo:",
  "cli.import_errors": "{n} lỗi:",
  "cli.import_ok":
    "Đã nhập {kind}: {rows} dòng — thêm mới {inserted}, cập nhật {updated}, không đổi {unchanged}, bỏ qua {rejected}.",
  "cli.import_dry_ok":
    "Kiểm tra xong {kind} (chưa ghi gì): {rows} dòng — sẽ thêm mới {inserted}, cập nhật {updated}, không đổi {unchanged}, bỏ qua {rejected}.",
  "cli.import_failed":
    "Không nhập {kind}: tệp có dòng lỗi nên chưa có gì được ghi ({rows} dòng). Sửa các dòng trên, hoặc dùng --skip-invalid để chỉ ghi các dòng hợp lệ.",
  "cli.import_rejects_written": "{n} dòng lỗi đã được ghi vào {file}.",
  "import.no_header":
    "Không nhận ra dòng tiêu đề (dòng {row}): không cột nào khớp với dữ liệu loại “{kind}”. Kiểm tra lại tệp, hoặc loại dữ liệu đã chọn.",
  "import.missing_columns":
    "Tệp thiếu cột bắt buộc: {columns} (dòng tiêu đề là dòng {row}). Chưa có gì được ghi.",
  "import.unknown_column": "Cột “{name}” không thuộc loại dữ liệu này nên được bỏ qua.",
  "import.empty_file": "Tệp không có dữ liệu (không có dòng nào). Chưa có gì được ghi.",
  "import.duplicate_in_file": "Trùng với dòng {row} trong cùng tệp.",
  "import.village_unknown": "Không có thôn mã “{code}” trong xã.",
  "import.household_unknown": "Không có hộ mã “{code}” trong xã (hãy nhập danh sách hộ trước).",
  "import.household_other_village":
    "Hộ “{code}” thuộc thôn {village}, không phải thôn {rowVillage} của dòng này.",
  "import.unit_unknown": "Không có đơn vị mã “{code}” trong xã.",
  "import.resident_not_found_cccd": "Không tìm thấy cư dân có số CCCD {value}.",
  "import.resident_not_found_name": "Không tìm thấy cư dân “{name}” sinh ngày {date}.",
  "import.resident_ambiguous": "Có {count} cư dân “{name}” sinh ngày {date}: hãy ghi thêm số CCCD hoặc thôn.",
  "import.resident_needs_identity": "Cần số CCCD, hoặc họ tên và ngày sinh của cư dân.",
  "import.citizen_id_other_commune":
    "Số CCCD {value} đã thuộc về một cư dân của xã khác. Chưa có gì được ghi.",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "cli.cmd.import": "import data from an Excel (.xlsx) or CSV file",
  "cli.import_usage":
    "Usage: bdhvs import KIND FILE [--sheet NAME] [--dry-run] [--skip-invalid --rejects FILE] [--json]",
  "cli.import_kinds": "Kinds:",
  "cli.opt.sheet": "sheet name (default: the first sheet)",
  "cli.opt.dry_run": "check only, write nothing",
  "cli.opt.skip_invalid": "write the valid rows, skip invalid ones (default: one invalid row writes nothing)",
  "cli.opt.rejects": "write the invalid rows, unchanged, with a “reason” column to this file (same format)",
  "cli.opt.json": "print the result as JSON",
  "cli.import_unknown_kind": "Unknown kind: “{kind}”. Choose one of: {kinds}.",
  "cli.rejects_needs_skip": "--rejects goes with --skip-invalid.",
  "cli.import_progress": "{rows} rows read…",
  "cli.import_row": "Row {row}:",
  "cli.import_warnings": "{n} warnings:",
  "cli.import_errors": "{n} errors:",
  "cli.import_ok":
    "Imported {kind}: {rows} rows — {inserted} new, {updated} updated, {unchanged} unchanged, {rejected} skipped.",
  "cli.import_dry_ok":
    "Checked {kind} (nothing written): {rows} rows — {inserted} would be new, {updated} updated, {unchanged} unchanged, {rejected} skipped.",
  "cli.import_failed":
    "{kind} not imported: the file has invalid rows, so nothing was written ({rows} rows). Fix the rows above, or use --skip-invalid to write only the valid rows.",
  "cli.import_rejects_written": "{n} invalid rows were written to {file}.",
  "import.no_header":
    "No header row recognized (row {row}): no column matches the “{kind}” data. Check the file, or the kind of data chosen.",
  "import.missing_columns":
    "The file lacks required columns: {columns} (the header is row {row}). Nothing was written.",
  "import.unknown_column": "Column “{name}” is not part of this kind of data and was ignored.",
  "import.empty_file": "The file holds no data (no rows). Nothing was written.",
  "import.duplicate_in_file": "Duplicate of row {row} of the same file.",
  "import.village_unknown": "There is no village with code “{code}” in the commune.",
  "import.household_unknown":
    "There is no household with code “{code}” in the commune (import the households first).",
  "import.household_other_village":
    "Household “{code}” is in village {village}, not in this row's village {rowVillage}.",
  "import.unit_unknown": "There is no unit with code “{code}” in the commune.",
  "import.resident_not_found_cccd": "No resident has citizen ID {value}.",
  "import.resident_not_found_name": "No resident “{name}” born on {date}.",
  "import.resident_ambiguous":
    "{count} residents “{name}” were born on {date}: add the citizen ID or the village.",
  "import.resident_needs_identity": "The resident's citizen ID, or full name and birth date, is needed.",
  "import.citizen_id_other_commune":
    "Citizen ID {value} already belongs to a resident of another commune. Nothing was written.",
};
