/** Messages of operations: backups, restores (CLI, admin page, dashboard). */
export const vi = {
  "error.busy": "Máy chủ đang bận phục vụ nhiều người. Vui lòng thử lại sau vài giây.",
  "error.busy_title": "Máy chủ đang bận",
  "error.busy_retry": "Thử lại",
  "cli.cmd.backup": "sao lưu toàn bộ dữ liệu vào một tệp (kể cả khi máy chủ đang chạy)",
  "cli.cmd.restore": "khôi phục cài đặt từ một tệp sao lưu (tất cả hoặc không gì cả)",
  "cli.backup_usage": "Cách dùng: bdhvs backup TỆP",
  "cli.restore_usage": "Cách dùng: bdhvs restore TỆP [--replace]",
  "cli.opt.replace": "ghi đè một cơ sở dữ liệu đã có dữ liệu (mọi dữ liệu hiện có bị thay thế)",
  "cli.backup_needs_file": "Hãy cho biết tệp sao lưu cần ghi, ví dụ: bdhvs backup sao-luu.bdhvs",
  "cli.restore_needs_file": "Hãy cho biết tệp sao lưu cần khôi phục, ví dụ: bdhvs restore sao-luu.bdhvs",
  "cli.backup_via_server": "Máy chủ (tiến trình {pid}) đang giữ cơ sở dữ liệu: bản sao lưu do máy chủ chụp.",
  "cli.backup_written":
    "Đã sao lưu {tables} bảng, {rows} dòng ({size}) vào {file}{encrypted}. Lược đồ: {schema}.",
  "cli.backup_encrypted": ", đã mã hóa",
  "cli.restored": "Đã khôi phục {rows} dòng từ {file} (lược đồ {from}, nay {to}) vào {location}.",
  "backup.server_unreachable":
    "Cơ sở dữ liệu trong {dir} đang được tiến trình {pid} dùng nhưng không liên lạc được với máy chủ qua {socket}: {detail}",
  "backup.not_a_backup": "Tệp {file} không phải là tệp sao lưu BDHVS.",
  "backup.checksum":
    "Tệp sao lưu {file} bị cắt cụt hoặc đã bị sửa (mã kiểm tra không khớp). Không có gì thay đổi.",
  "backup.newer_schema":
    "Tệp sao lưu {file} được tạo bởi phiên bản mới hơn (lược đồ {schema}); phiên bản này chỉ biết đến lược đồ {known}. Hãy cập nhật phần mềm trước. Không có gì thay đổi.",
  "backup.database_newer":
    "Cơ sở dữ liệu đích có lược đồ mới hơn phiên bản phần mềm này. Không có gì thay đổi.",
  "backup.not_empty":
    "Cơ sở dữ liệu đích ({location}) đã có dữ liệu ({table}: {rows} dòng). Dùng --replace để thay thế toàn bộ. Không có gì thay đổi.",
  "backup.key_missing":
    "Tệp sao lưu {file} đã được mã hóa: hãy đặt biến môi trường BACKUP_KEY bằng mật khẩu đã dùng khi sao lưu. Không có gì thay đổi.",
  "backup.key_wrong": "Khóa BACKUP_KEY không đúng cho tệp sao lưu {file}. Không có gì thay đổi.",
  "backup.unreadable": "Không đọc được tệp {file}: {detail}",
  "backup.write_failed": "Không ghi được bản sao lưu {file}: {detail}. Không có tệp dở dang nào được để lại.",
  "backup.failed": "Sao lưu thất bại: {detail}",
  "backups.title": "Sao lưu",
  "backups.intro":
    "Bản sao lưu chứa toàn bộ dữ liệu của cài đặt (kể cả mật khẩu đã băm và nhật ký). Hãy tải về và cất giữ ở nơi an toàn, ngoài máy chủ.",
  "backups.schedule": "Máy chủ tự sao lưu mỗi {hours} giờ vào {dir}, giữ {keep} bản mới nhất.",
  "backups.schedule_off": "Sao lưu tự động đang tắt (BACKUP_INTERVAL_HOURS=0).",
  "backups.encrypted": "Các bản sao lưu được mã hóa bằng BACKUP_KEY.",
  "backups.not_encrypted": "Các bản sao lưu KHÔNG được mã hóa: hãy đặt BACKUP_KEY.",
  "backups.take": "Sao lưu ngay",
  "backups.taken": "Đã sao lưu: {file}.",
  "backups.none": "Chưa có bản sao lưu nào.",
  "backups.file": "Tệp",
  "backups.size": "Dung lượng",
  "backups.at": "Thời điểm",
  "backups.download": "Tải về",
  "backups.last_ok": "Lần sao lưu gần nhất thành công lúc {at}.",
  "backups.last_failed": "Lần sao lưu gần nhất THẤT BẠI lúc {at}: {error}",
  "backups.dashboard_failed": "Sao lưu thất bại lúc {at}: {error}. Xem trang Sao lưu.",
  "nav.backups": "Sao lưu",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "error.busy": "The server is busy serving many people. Please try again in a few seconds.",
  "error.busy_title": "The server is busy",
  "error.busy_retry": "Try again",
  "cli.cmd.backup": "writes every table into one backup file (also while the server runs)",
  "cli.cmd.restore": "rebuilds the installation from a backup file (all or nothing)",
  "cli.backup_usage": "Usage: bdhvs backup FILE",
  "cli.restore_usage": "Usage: bdhvs restore FILE [--replace]",
  "cli.opt.replace": "overwrite a database that holds data (everything in it is replaced)",
  "cli.backup_needs_file": "Name the backup file to write, e.g. bdhvs backup backup.bdhvs",
  "cli.restore_needs_file": "Name the backup file to restore, e.g. bdhvs restore backup.bdhvs",
  "cli.backup_via_server": "The server (process {pid}) holds the database: it took the snapshot.",
  "cli.backup_written":
    "Backed up {tables} tables, {rows} rows ({size}) to {file}{encrypted}. Schema: {schema}.",
  "cli.backup_encrypted": ", encrypted",
  "cli.restored": "Restored {rows} rows from {file} (schema {from}, now {to}) into {location}.",
  "backup.server_unreachable":
    "The database in {dir} is used by process {pid}, but the server could not be reached on {socket}: {detail}",
  "backup.not_a_backup": "{file} is not a BDHVS backup file.",
  "backup.checksum":
    "The backup file {file} is truncated or altered (checksum mismatch). Nothing was changed.",
  "backup.newer_schema":
    "The backup file {file} comes from a newer version (schema {schema}); this version knows schema {known} at most. Update the software first. Nothing was changed.",
  "backup.database_newer":
    "The target database has a newer schema than this version of the software. Nothing was changed.",
  "backup.not_empty":
    "The target database ({location}) already holds data ({table}: {rows} rows). Use --replace to replace all of it. Nothing was changed.",
  "backup.key_missing":
    "The backup file {file} is encrypted: set BACKUP_KEY to the passphrase used for the backup. Nothing was changed.",
  "backup.key_wrong": "BACKUP_KEY is not the key of the backup file {file}. Nothing was changed.",
  "backup.unreadable": "Cannot read {file}: {detail}",
  "backup.write_failed": "Could not write the backup {file}: {detail}. No half-written file was left.",
  "backup.failed": "Backup failed: {detail}",
  "backups.title": "Backups",
  "backups.intro":
    "A backup holds all of the installation's data (password hashes and the audit trail included). Download it and keep it somewhere safe, off the server.",
  "backups.schedule": "The server backs up every {hours} hours into {dir}, keeping the {keep} newest.",
  "backups.schedule_off": "Scheduled backups are off (BACKUP_INTERVAL_HOURS=0).",
  "backups.encrypted": "Backups are encrypted with BACKUP_KEY.",
  "backups.not_encrypted": "Backups are NOT encrypted: set BACKUP_KEY.",
  "backups.take": "Back up now",
  "backups.taken": "Backed up: {file}.",
  "backups.none": "No backup yet.",
  "backups.file": "File",
  "backups.size": "Size",
  "backups.at": "Taken",
  "backups.download": "Download",
  "backups.last_ok": "The last backup succeeded at {at}.",
  "backups.last_failed": "The last backup FAILED at {at}: {error}",
  "backups.dashboard_failed": "A backup failed at {at}: {error}. See the Backups page.",
  "nav.backups": "Backups",
};
