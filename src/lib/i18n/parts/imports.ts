/** Messages of web import jobs: the progress of a check or a commit running in the background. */
export const vi = {
  "imports.job_checking_title": "Đang kiểm tra tệp “{name}”",
  "imports.job_writing_title": "Đang ghi tệp “{name}” vào cơ sở dữ liệu",
  "imports.job_progress_label": "Tiến độ",
  "imports.job_starting": "Đang mở tệp…",
  "imports.job_read": "Đã đọc {rows} dòng ({percent}%)",
  "imports.job_read_no_percent": "Đã đọc {rows} dòng",
  "imports.job_written": "Đã ghi {rows}/{total} dòng ({percent}%)",
  "imports.job_wait_hint": "Trang này tự cập nhật. Lượt nhập vẫn chạy tiếp nếu bạn đóng trang.",
  "imports.job_gone_title": "Không còn thông tin về lượt nhập này",
  "imports.job_gone":
    "Không còn thông tin về lượt nhập này: lượt nhập đã xong quá 1 giờ, hoặc tệp đã bị xoá. Vui lòng tải tệp lên lại.",
  "imports.job_upload_again": "Tải tệp lên lại",
  "imports.job_busy":
    "Bạn đang có một lượt nhập chưa xong (tệp “{name}”). Hãy chờ lượt đó xong rồi mới tải tệp khác lên.",
  "imports.job_running_notice": "Bạn đang có một lượt nhập chưa xong: tệp “{name}”.",
  "imports.job_follow": "Xem tiến độ",
  "imports.job_failed":
    "Lượt nhập bị dừng do lỗi của hệ thống; chưa có gì được ghi. Vui lòng thử lại; nếu vẫn lỗi, hãy báo cho quản trị viên.",
  "imports.job_interrupted":
    "Máy chủ xử lý lượt nhập này đã dừng giữa chừng; chưa có dòng nào được ghi vào cơ sở dữ liệu. Vui lòng tải tệp lên lại.",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "imports.job_checking_title": "Checking “{name}”",
  "imports.job_writing_title": "Writing “{name}” to the database",
  "imports.job_progress_label": "Progress",
  "imports.job_starting": "Opening the file…",
  "imports.job_read": "{rows} rows read ({percent}%)",
  "imports.job_read_no_percent": "{rows} rows read",
  "imports.job_written": "{rows} of {total} rows written ({percent}%)",
  "imports.job_wait_hint": "This page updates itself. The import goes on if you close it.",
  "imports.job_gone_title": "This import is no longer known",
  "imports.job_gone":
    "This import is no longer known: it finished more than an hour ago, or its file was removed. Please upload the file again.",
  "imports.job_upload_again": "Upload the file again",
  "imports.job_busy":
    "You have an import still running (file “{name}”). Wait for it to finish before uploading another file.",
  "imports.job_running_notice": "You have an import still running: file “{name}”.",
  "imports.job_follow": "See its progress",
  "imports.job_failed":
    "The import stopped on a system error; nothing was written. Please try again; if it fails again, tell the administrator.",
  "imports.job_interrupted":
    "The server running this import stopped midway; no row was written to the database. Please upload the file again.",
};
