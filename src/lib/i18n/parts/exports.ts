/** Messages of exports: `bdhvs export` and the files it writes. */
export const vi = {
  "cli.cmd.export": "xuất dữ liệu ra tệp Excel (.xlsx) hoặc CSV",
  "cli.export_usage":
    "Cách dùng: bdhvs export <loại> --out TỆP.csv|TỆP.xlsx [--commune MÃ] [--data-dir DIR] [--lang en]",
  "cli.export_opt_out": "tệp kết quả; định dạng theo phần đuôi tên tệp: .csv hoặc .xlsx",
  "cli.export_kinds": "Các loại dữ liệu:",
  "cli.export_unknown_kind": "Loại dữ liệu không xuất được: “{kind}”. Chọn một trong: {kinds}.",
  "cli.export_bad_format":
    "Không xuất được ra “{file}”: chỉ hỗ trợ tệp .csv hoặc .xlsx. Hãy đặt tên tệp kết thúc bằng .csv hoặc .xlsx.",
  "cli.export_no_dir": "Thư mục “{dir}” không tồn tại. Hãy tạo thư mục trước, hoặc chọn nơi lưu khác.",
  "cli.export_done": "Đã xuất {rows} bản ghi ({kind}) vào {file}.",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "cli.cmd.export": "export data to an Excel (.xlsx) or CSV file",
  "cli.export_usage":
    "Usage: bdhvs export <kind> --out FILE.csv|FILE.xlsx [--commune CODE] [--data-dir DIR] [--lang en]",
  "cli.export_opt_out": "the file to write; its extension sets the format: .csv or .xlsx",
  "cli.export_kinds": "Kinds:",
  "cli.export_unknown_kind": "This kind cannot be exported: “{kind}”. Choose one of: {kinds}.",
  "cli.export_bad_format":
    "Cannot export to “{file}”: only .csv and .xlsx files are supported. Give the file a name ending in .csv or .xlsx.",
  "cli.export_no_dir": "The folder “{dir}” does not exist. Create it first, or choose another place.",
  "cli.export_done": "Exported {rows} records ({kind}) to {file}.",
};
