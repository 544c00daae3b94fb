/**
 * Messages of the certifications list, their edit and removal, and of removing the other records of
 * the registry (villages, units, households; residents are never removed).
 */
export const vi = {
  "nav.certifications": "Chứng nhận",
  "certifications.title": "Chứng nhận",
  "certifications.resident": "Cư dân",
  "certifications.search": "Tìm theo tên cư dân (không cần dấu)",
  "certifications.search_id": "Tìm theo tên cư dân (không cần dấu) hoặc số CCCD",
  "certifications.all_villages": "Tất cả các thôn",
  "certifications.all_kinds": "Mọi loại",
  "certifications.all_sources": "Mọi nguồn",
  "certifications.from": "Từ ngày",
  "certifications.to": "Đến ngày",
  "certifications.none_found": "Không có chứng nhận nào khớp bộ lọc.",
  "certifications.edit": "Sửa",
  "certifications.delete": "Xoá",
  "certifications.edit_title": "Sửa chứng nhận của {name}",
  "certifications.delete_title": "Xoá chứng nhận của {name}?",
  "certifications.delete_confirm": "Xoá chứng nhận",
  "certifications.updated": "Đã lưu chứng nhận.",
  "certifications.deleted": "Đã xoá chứng nhận của {name}.",
  "certifications.resident_not_found": "Không tìm thấy cư dân có mã {value} trong phạm vi của bạn.",
  "certifications.resident_needed":
    "Cần mã cư dân (resident_id), số CCCD, hoặc họ tên và ngày sinh của cư dân.",
  "certifications.no_lookup_by_citizen_id":
    "Vai trò của bạn không tra cứu cư dân theo số CCCD. Hãy dùng mã cư dân (resident_id), hoặc họ tên và ngày sinh.",
  "delete.warning": "Việc xoá không hoàn tác được. Nhật ký vẫn ghi lại nội dung trước khi xoá.",
  "delete.cancel": "Không xoá, quay lại",
  "delete.in_use": "Không thể xoá: bản ghi này vẫn đang được dữ liệu khác tham chiếu.",
  "villages.delete": "Xoá thôn",
  "villages.delete_title": "Xoá thôn {name}?",
  "villages.deleted": "Đã xoá thôn {name}.",
  "villages.in_use":
    "Không thể xoá thôn “{name}”: còn {households} hộ, {residents} cư dân và {users} tài khoản người dùng gắn với thôn này. Hãy chuyển hoặc xoá chúng trước.",
  "units.delete": "Xoá đơn vị",
  "units.delete_title": "Xoá đơn vị {name}?",
  "units.deleted": "Đã xoá đơn vị {name}.",
  "units.in_use":
    "Không thể xoá đơn vị “{name}”: còn {residents} cư dân và {users} tài khoản người dùng thuộc đơn vị này. Hãy chuyển họ sang đơn vị khác trước.",
  "households.delete": "Xoá hộ",
  "households.delete_title": "Xoá hộ {code}?",
  "households.deleted": "Đã xoá hộ {code}.",
  "households.in_use":
    "Không thể xoá hộ {code}: còn {residents} cư dân thuộc hộ này. Hãy chuyển họ sang hộ khác trước.",
  "residents.never_deleted":
    "Cư dân không bị xoá khỏi sổ. Hãy đổi tình trạng sang “Chuyển đi” (moved) hoặc “Đã mất” (deceased).",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "nav.certifications": "Certifications",
  "certifications.title": "Certifications",
  "certifications.resident": "Resident",
  "certifications.search": "Search by resident name (diacritics optional)",
  "certifications.search_id": "Search by resident name (diacritics optional) or citizen ID",
  "certifications.all_villages": "All villages",
  "certifications.all_kinds": "All kinds",
  "certifications.all_sources": "All sources",
  "certifications.from": "From",
  "certifications.to": "To",
  "certifications.none_found": "No certification matches the filters.",
  "certifications.edit": "Edit",
  "certifications.delete": "Remove",
  "certifications.edit_title": "Edit a certification of {name}",
  "certifications.delete_title": "Remove a certification of {name}?",
  "certifications.delete_confirm": "Remove the certification",
  "certifications.updated": "The certification was saved.",
  "certifications.deleted": "The certification of {name} was removed.",
  "certifications.resident_not_found": "No resident with id {value} in your scope.",
  "certifications.resident_needed":
    "The resident's id (resident_id), citizen ID, or full name and birth date is needed.",
  "certifications.no_lookup_by_citizen_id":
    "Your role does not look residents up by citizen ID. Use the resident's id (resident_id), or full name and birth date.",
  "delete.warning": "Removing cannot be undone. The audit log keeps what the record held.",
  "delete.cancel": "Do not remove, go back",
  "delete.in_use": "Cannot remove: other records still refer to this one.",
  "villages.delete": "Remove village",
  "villages.delete_title": "Remove village {name}?",
  "villages.deleted": "Village {name} was removed.",
  "villages.in_use":
    "Cannot remove village “{name}”: {households} households, {residents} residents and {users} user accounts still belong to it. Move or remove them first.",
  "units.delete": "Remove unit",
  "units.delete_title": "Remove unit {name}?",
  "units.deleted": "Unit {name} was removed.",
  "units.in_use":
    "Cannot remove unit “{name}”: {residents} residents and {users} user accounts still belong to it. Move them to another unit first.",
  "households.delete": "Remove household",
  "households.delete_title": "Remove household {code}?",
  "households.deleted": "Household {code} was removed.",
  "households.in_use":
    "Cannot remove household {code}: {residents} residents still belong to it. Move them to another household first.",
  "residents.never_deleted":
    "Residents are never removed from the registry. Set their status to moved or deceased instead.",
};
