/** Messages of privacy requests: the register, a person's export and erasure (CLI, pages, API). */
export const vi = {
  "cli.cmd.privacy": "yêu cầu về dữ liệu cá nhân: xuất hoặc xóa toàn bộ dữ liệu của một người",
  "cli.privacy_usage":
    'Cách dùng:\n  bdhvs privacy export (--citizen-id SỐ | --resident MÃ) --out TỆP.json\n  bdhvs privacy erase (--citizen-id SỐ | --resident MÃ) --reason "LÝ DO" [--request MÃ]',
  "cli.privacy_opt_citizen": "số căn cước (CCCD, 12 chữ số) của người dân",
  "cli.privacy_opt_resident": "mã người dân (số trong địa chỉ trang /residents/MÃ)",
  "cli.privacy_opt_out": "tệp JSON cần ghi",
  "cli.privacy_opt_reason": "lý do xóa (ghi vào nhật ký; không ghi tên hay số CCCD của người đó)",
  "cli.privacy_opt_request": "mã yêu cầu trong sổ yêu cầu: được đánh dấu đã xử lý",
  "cli.privacy_one_key": "Hãy cho biết đúng một người: --citizen-id SỐ hoặc --resident MÃ.",
  "cli.privacy_needs_out": "Hãy cho biết tệp cần ghi: --out TỆP.json",
  "cli.privacy_needs_reason": 'Hãy cho biết lý do xóa: --reason "LÝ DO"',
  "cli.privacy_exported":
    "Đã xuất dữ liệu của người dân số {id} vào {file}: {certifications} chứng nhận, {attendance} lượt điểm danh, {visits} lượt đến nhà, {assessments} lần tự đánh giá, {audit} sự kiện nhật ký.",
  "cli.privacy_erased":
    "Đã xóa dữ liệu của người dân số {id}: {certifications} chứng nhận, {attendance} lượt điểm danh, {visits} lượt đến nhà, {assessments} lần tự đánh giá, {teamMembers} thành viên tổ, {freeTexts} ghi chú, {auditEvents} sự kiện nhật ký được che. Các bản sao lưu cũ vẫn còn dữ liệu này cho đến khi hết hạn giữ (BACKUP_KEEP).",
  "privacy.bad_citizen_id":
    "“{value}” không phải số căn cước: số CCCD gồm đúng 12 chữ số. Không có gì thay đổi.",
  "privacy.bad_resident_id": "“{value}” không phải mã người dân (một số nguyên dương). Không có gì thay đổi.",
  "privacy.no_citizen_id":
    "Không có người dân nào của xã mang số căn cước {value} (có thể người đó đã được xóa theo yêu cầu). Không có gì thay đổi.",
  "privacy.no_resident": "Không có người dân số {id} trong xã. Không có gì thay đổi.",
  "privacy.already_erased":
    "Dữ liệu của người dân số {id} đã được xóa theo yêu cầu ngày {at}. Không còn gì để xóa hay xuất.",
  "privacy.reason_required": "Hãy ghi lý do xóa (ví dụ: số yêu cầu và ngày nhận).",
  "privacy.erased_restore": "Sau khi khôi phục, đã xóa lại {n} người dân đã được xóa theo yêu cầu.",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "cli.cmd.privacy": "personal data requests: export or erase everything held about one person",
  "cli.privacy_usage":
    'Usage:\n  bdhvs privacy export (--citizen-id NUMBER | --resident ID) --out FILE.json\n  bdhvs privacy erase (--citizen-id NUMBER | --resident ID) --reason "REASON" [--request ID]',
  "cli.privacy_opt_citizen": "the resident's citizen ID (CCCD, 12 digits)",
  "cli.privacy_opt_resident": "the resident's id (the number in /residents/ID)",
  "cli.privacy_opt_out": "the JSON file to write",
  "cli.privacy_opt_reason": "why (recorded in the audit trail; do not write the person's name or ID)",
  "cli.privacy_opt_request": "the request's id in the register: marked done",
  "cli.privacy_one_key": "Name exactly one person: --citizen-id NUMBER or --resident ID.",
  "cli.privacy_needs_out": "Name the file to write: --out FILE.json",
  "cli.privacy_needs_reason": 'Give the reason: --reason "REASON"',
  "cli.privacy_exported":
    "Exported resident {id}'s data to {file}: {certifications} certifications, {attendance} attendance marks, {visits} visits, {assessments} assessments, {audit} audit events.",
  "cli.privacy_erased":
    "Erased resident {id}'s data: {certifications} certifications, {attendance} attendance marks, {visits} visits, {assessments} assessments, {teamMembers} team members, {freeTexts} notes, {auditEvents} audit events redacted. Older backups keep it until they age out (BACKUP_KEEP).",
  "privacy.bad_citizen_id":
    "“{value}” is not a citizen ID: a CCCD has exactly 12 digits. Nothing was changed.",
  "privacy.bad_resident_id": "“{value}” is not a resident id (a positive whole number). Nothing was changed.",
  "privacy.no_citizen_id":
    "No resident of the commune has citizen ID {value} (they may have been erased on request). Nothing was changed.",
  "privacy.no_resident": "There is no resident {id} in the commune. Nothing was changed.",
  "privacy.already_erased":
    "Resident {id}'s data was erased on request on {at}. Nothing is left to erase or export.",
  "privacy.reason_required": "Write the reason (e.g. the request's number and date).",
  "privacy.erased_restore": "After the restore, {n} residents erased on request were erased again.",
};
