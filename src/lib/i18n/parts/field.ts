/** Messages of the offline field app and its server side: sync, idempotent writes, refusals. */
export const vi = {
  "idempotency.key_invalid":
    "Khóa Idempotency-Key không hợp lệ (1–200 ký tự in được, không có khoảng trắng).",
  "idempotency.key_reused":
    "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác. Mỗi lần gửi mới cần một khóa mới.",
  "idempotency.in_progress": "Yêu cầu với khóa này đang được xử lý. Hãy thử lại sau ít giây.",
  "field.household_moved":
    "Hộ {code} không còn thuộc thôn bạn phụ trách (có thể đã chuyển sang thôn khác). Lượt thăm chưa được ghi.",
  "field.resident_deceased": "{name} đã mất, không thể ghi là đã gặp trong lượt thăm.",
  "field.resident_moved": "{name} đã chuyển đi khỏi hộ {household}, không thể ghi là đã gặp.",
  "field.session_cancelled":
    "Buổi học ngày {date} của lớp {code} đã bị hủy hoặc không còn. Điểm danh chưa được ghi.",
  "field.cursor_invalid": "Mốc đồng bộ không hợp lệ. Hãy tải lại toàn bộ dữ liệu.",
  "field.scope_not_field":
    "Ứng dụng thực địa dành cho tổ công nghệ số của thôn và cán bộ trường học. Tài khoản của bạn dùng các trang quản lý.",
};

export const en: Record<keyof typeof vi, string> = {
  "idempotency.key_invalid": "Invalid Idempotency-Key (1–200 printable characters, no spaces).",
  "idempotency.key_reused":
    "This Idempotency-Key was already used for another request. Each new request needs a new key.",
  "idempotency.in_progress": "A request with this key is being processed. Try again in a few seconds.",
  "field.household_moved":
    "Household {code} is no longer in your villages (it may have moved to another village). The visit was not recorded.",
  "field.resident_deceased": "{name} has died and cannot be recorded as met on a visit.",
  "field.resident_moved": "{name} has moved out of household {household} and cannot be recorded as met.",
  "field.session_cancelled":
    "The session of {date} of class {code} was cancelled or no longer exists. The attendance was not recorded.",
  "field.cursor_invalid": "Invalid sync cursor. Download everything again.",
  "field.scope_not_field":
    "The field app is for village teams and school officers. Your account uses the management pages.",
};
