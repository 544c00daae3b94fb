/** Messages of the server-rendered pages on a phone: the visit form's household search, the team account link, the menu. */
export const vi = {
  "nav.menu": "Danh mục",
  "nav.menu_hint": "Mở danh mục các trang",

  "teams.account": "Tài khoản của thành viên",
  "teams.account_hint":
    "Tài khoản tình nguyện viên hoặc trưởng thôn của thành viên này: khi thành viên đăng nhập, phiếu thăm hộ tự chọn tên họ.",
  "teams.no_account": "Không gắn tài khoản",
  "teams.account_choice": "{name} ({username})",
  "teams.account_unknown": "Tài khoản này không phải tài khoản của tổ ở thôn này.",
  "teams.account_taken": "Tài khoản này đã gắn với thành viên {name}.",
  "teams.col_account": "Tài khoản",

  "visits.pick_never": "Chưa thăm",
  "visits.pick_last": "Thăm gần nhất {date}",
  "visits.pick_members": "Thành viên: {names}",
  "visits.no_head": "Chưa ghi chủ hộ",
  "visits.no_address": "Chưa có địa chỉ",
  "visits.pick_count": "Tìm thấy {total} hộ.",

  "visit.col_visit": "Thăm hộ",
  "visit.record_visit": "Ghi thăm",
  "visit.record_visit_label": "Ghi thăm hộ {household}",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "nav.menu": "Menu",
  "nav.menu_hint": "Open the list of pages",

  "teams.account": "The member's account",
  "teams.account_hint":
    "This member's volunteer or village lead account: when they sign in, the visit form picks their name.",
  "teams.no_account": "No account",
  "teams.account_choice": "{name} ({username})",
  "teams.account_unknown": "This account is not one of this village's team accounts.",
  "teams.account_taken": "This account is already linked to the member {name}.",
  "teams.col_account": "Account",

  "visits.pick_never": "Not visited yet",
  "visits.pick_last": "Last visited {date}",
  "visits.pick_members": "Members: {names}",
  "visits.no_head": "Head not recorded",
  "visits.no_address": "No address",
  "visits.pick_count": "{total} households found.",

  "visit.col_visit": "Visit",
  "visit.record_visit": "Record visit",
  "visit.record_visit_label": "Record a visit to household {household}",
};
