/** Messages of the installation's communes: `bdhvs commune`, the province admin's pages. */
export const vi = {
  "communes.title": "Các xã, phường của tỉnh",
  "communes.intro":
    "Mỗi xã, phường có dữ liệu, kế hoạch và tài khoản riêng; cán bộ của xã này không thấy dữ liệu của xã khác.",
  "communes.new": "Thêm xã, phường",
  "communes.new_title": "Thêm xã, phường",
  "communes.new_intro":
    "Xã mới nhận kế hoạch riêng, sao từ kế hoạch mẫu của tỉnh (chỉ tiêu và lịch báo cáo), mang tên và mã của xã.",
  "communes.field_code": "Mã xã",
  "communes.field_code_hint":
    "Mã đơn vị hành chính quốc gia (5 chữ số, ví dụ 15715), hoặc mã ngắn gồm chữ và số.",
  "communes.field_name": "Tên xã, phường",
  "communes.field_name_hint": "Ghi đủ “Xã …” hoặc “Phường …”.",
  "communes.field_province": "Tỉnh",
  "communes.col_residents": "Người dân",
  "communes.col_admins": "Quản trị",
  "communes.col_actions": "Thao tác",
  "communes.demo": "dữ liệu mẫu",
  "communes.create": "Thêm xã",
  "communes.created": "Đã thêm {name} (mã {code}) cùng kế hoạch riêng của xã.",
  "communes.added": "Đã thêm {name} (mã {code}, {province}) cùng kế hoạch riêng của xã.",
  "communes.first_admin": "Tạo quản trị viên",
  "communes.admin_title": "Quản trị viên của {name}",
  "communes.admin_intro":
    "Tài khoản quản trị của xã: quản lý tài khoản và dữ liệu của riêng xã này. Mật khẩu tối thiểu 12 ký tự.",
  "communes.admin_created": "Đã tạo tài khoản quản trị {username} cho {name}.",
  "communes.admin_button": "Tạo tài khoản quản trị",
  "communes.v_code": "Mã xã gồm chữ, số, “-” hoặc “_”, tối đa 20 ký tự.",
  "communes.v_code_taken": "Mã xã “{code}” đã có trong cài đặt.",
  "communes.cli_usage":
    "Cách dùng: bdhvs commune add MÃ --name TÊN [--province TỈNH] [--plan TỆP] | bdhvs commune list [--json]",
  "communes.cli_add": "thêm một xã cùng kế hoạch riêng sao từ kế hoạch mẫu",
  "communes.cli_opt_province": "tên tỉnh (mặc định: tỉnh của xã đầu tiên)",
  "communes.cli_opt_plan": "tệp kế hoạch mẫu của tỉnh (mặc định: kế hoạch đi kèm phần mềm)",
  "communes.cli_list": "liệt kê các xã (--json: dạng JSON)",
  "communes.cli_list_header": "MÃ\tTÊN\tTỈNH\tNGƯỜI DÂN\tQUẢN TRỊ",
  "communes.cli_opt_demo_province": "tạo các xã, phường thật của tỉnh Thanh Hóa với người dân mẫu",
  "communes.cli_opt_demo_size": "số người dân mẫu mỗi xã với --province (mặc định 50)",
  "communes.province_demo_step": "Đang tạo {done}/{total} xã, phường…",
  "communes.province_demo_done":
    "Đã tạo {communes} xã, phường của tỉnh {province} với {residents} người dân mẫu (dữ liệu đơn vị hành chính: thanglequoc/vietnamese-provinces-database, giấy phép MIT).",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "communes.title": "The province's communes and wards",
  "communes.intro":
    "Each commune or ward has its own data, plan and accounts; one commune's staff never see another's data.",
  "communes.new": "Add a commune or ward",
  "communes.new_title": "Add a commune or ward",
  "communes.new_intro":
    "A new commune gets its own plan, copied from the province's template plan (targets and report schedule), with its own name and code.",
  "communes.field_code": "Commune code",
  "communes.field_code_hint":
    "The national administrative code (5 digits, e.g. 15715), or a short code of letters and digits.",
  "communes.field_name": "Name of the commune or ward",
  "communes.field_name_hint": "In full: “Xã …” or “Phường …”.",
  "communes.field_province": "Province",
  "communes.col_residents": "Residents",
  "communes.col_admins": "Admins",
  "communes.col_actions": "Actions",
  "communes.demo": "demo data",
  "communes.create": "Add the commune",
  "communes.created": "{name} (code {code}) added, with its own plan.",
  "communes.added": "{name} (code {code}, {province}) added, with its own plan.",
  "communes.first_admin": "Create an admin",
  "communes.admin_title": "Administrator of {name}",
  "communes.admin_intro":
    "The commune's admin account: manages this commune's accounts and data only. Passwords have at least 12 characters.",
  "communes.admin_created": "Admin account {username} created for {name}.",
  "communes.admin_button": "Create the admin account",
  "communes.v_code": "A commune code has letters, digits, “-” or “_”, at most 20 characters.",
  "communes.v_code_taken": "The commune code “{code}” is already in the installation.",
  "communes.cli_usage":
    "Usage: bdhvs commune add CODE --name NAME [--province NAME] [--plan FILE] | bdhvs commune list [--json]",
  "communes.cli_add": "adds a commune with its own plan copied from the template plan",
  "communes.cli_opt_province": "province name (default: the first commune's)",
  "communes.cli_opt_plan": "the province's template plan file (default: the plan that ships)",
  "communes.cli_list": "lists the communes (--json: as JSON)",
  "communes.cli_list_header": "CODE\tNAME\tPROVINCE\tRESIDENTS\tADMINS",
  "communes.cli_opt_demo_province":
    "creates the real communes and wards of Thanh Hóa with synthetic residents",
  "communes.cli_opt_demo_size": "synthetic residents a commune with --province (default 50)",
  "communes.province_demo_step": "Creating commune {done}/{total}…",
  "communes.province_demo_done":
    "Created {communes} communes and wards of {province} with {residents} synthetic residents (administrative units: thanglequoc/vietnamese-provinces-database, MIT License).",
};
