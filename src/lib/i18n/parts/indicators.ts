/** Messages of the indicators: `bdhvs indicators`, the API and (later) the dashboard. */
export const vi = {
  "indicators.bad_date":
    "Ngày tham chiếu “{value}” không hợp lệ: hãy ghi theo dạng năm-tháng-ngày, ví dụ 2026-09-30.",
  "indicators.bad_period":
    "Kỳ báo cáo “{value}” không hợp lệ: ghi năm (2026), quý (2026-Q3) hoặc tháng (2026-09).",
  "indicators.date_before_period": "Ngày {date} ở trước kỳ {period}: hãy chọn một ngày trong kỳ hoặc sau kỳ.",
  "cli.cmd.indicators": "tính 12 chỉ tiêu của kế hoạch tại một ngày",
  "cli.indicators_usage":
    "Cách dùng: bdhvs indicators [--date YYYY-MM-DD] [--period KỲ] [--plan TỆP.json] [--json] [--out TỆP.csv|TỆP.xlsx] [--commune MÃ] [--data-dir DIR]",
  "cli.indicators_opt_date": "ngày tham chiếu D (mặc định: hôm nay), không quá ngày cuối kỳ",
  "cli.indicators_opt_period": "kỳ: 2026, 2026-Q3 hoặc 2026-09 (mặc định: năm của ngày D)",
  "cli.indicators_opt_plan": "tệp kế hoạch (mặc định: kế hoạch Tân Ninh 2026)",
  "cli.indicators_opt_json": "in kết quả dạng JSON",
  "cli.indicators_heading": "Chỉ tiêu tại ngày {date}, kỳ {period}",
  "cli.indicators_no_data": "chưa có số liệu",
  "cli.indicators_met": "đạt",
  "cli.indicators_not_met": "chưa đạt",
  "cli.indicators_target": "mục tiêu",
} as const;

export const en: Record<keyof typeof vi, string> = {
  "indicators.bad_date":
    "Reference date “{value}” is not valid: write it as year-month-day, e.g. 2026-09-30.",
  "indicators.bad_period":
    "Period “{value}” is not valid: a year (2026), a quarter (2026-Q3) or a month (2026-09).",
  "indicators.date_before_period":
    "The date {date} is before the period {period}: pick a day in or after it.",
  "cli.cmd.indicators": "compute the plan's 12 indicators at a date",
  "cli.indicators_usage":
    "Usage: bdhvs indicators [--date YYYY-MM-DD] [--period P] [--plan FILE.json] [--json] [--out FILE.csv|FILE.xlsx] [--commune CODE] [--data-dir DIR]",
  "cli.indicators_opt_date": "reference date D (default: today), capped at the period's last day",
  "cli.indicators_opt_period": "period: 2026, 2026-Q3 or 2026-09 (default: the year of D)",
  "cli.indicators_opt_plan": "plan file (default: the Tân Ninh 2026 plan)",
  "cli.indicators_opt_json": "print the result as JSON",
  "cli.indicators_heading": "Indicators at {date}, period {period}",
  "cli.indicators_no_data": "no data",
  "cli.indicators_met": "met",
  "cli.indicators_not_met": "not met",
  "cli.indicators_target": "target",
};
