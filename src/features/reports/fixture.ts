/**
 * A realistic report (Tân Ninh commune, 2026-Q3, signed 18/9/2026) for the writers' tests and for
 * looking at the documents: the plan's 12 indicators, some met, some not, one without data; 14
 * villages whose figures add up to the commune's; two charts drawn by the dashboard's chart code;
 * and a long narrative section so the body runs over several pages.
 */

import { formatPercent } from "../../lib/i18n/index.ts";
import { villageBarsSvg } from "../indicators/charts.ts";
import { VILLAGE_CODES } from "../indicators/dashboard.ts";
import type { IndicatorCode } from "../indicators/plan.ts";
import { DEFAULT_PLAN_FILE, loadPlan } from "../indicators/plan.ts";
import type { ReportIndicator, ReportModel, ReportVillageRow } from "./model.ts";

const VILLAGES = [
  ["T01", "Thôn Đông Hòa"],
  ["T02", "Thôn Tây Sơn"],
  ["T03", "Thôn Nam Giang"],
  ["T04", "Thôn Bắc Thượng"],
  ["T05", "Thôn Trung Thành"],
  ["T06", "Thôn Phú Yên"],
  ["T07", "Thôn An Lạc"],
  ["T08", "Thôn Phước Hưng"],
  ["T09", "Thôn Hòa Bình"],
  ["T10", "Thôn Tân Lập"],
  ["T11", "Thôn Quyết Thắng"],
  ["T12", "Thôn Đồng Tâm"],
  ["T13", "Thôn Xuân Hòa"],
  ["T14", "Thôn Thượng Điền"],
] as const;

const HEADINGS: Record<(typeof VILLAGE_CODES)[number], string> = {
  adult_skills: "Người lớn có kỹ năng số",
  adult_vneid_confirmed: "Xác nhận trên VNeID",
  village_propaganda: "Thôn có tuyên truyền",
  active_village_teams: "Tổ công nghệ số hoạt động",
  vneid_16plus: "Từ 16 tuổi có VNeID",
  digital_households: "Hộ có người biết kỹ năng số",
};

/** Fixed figures per village: adults, adults with skills, confirmed on VNeID, 16+, 16+ with VNeID, households, digital households. */
const FIGURES: Record<string, [number, number, number, number, number, number, number]> = {
  T01: [1712, 1398, 1201, 1805, 1761, 602, 471],
  T02: [1540, 1102, 893, 1633, 1552, 540, 371],
  T03: [1288, 1005, 850, 1362, 1322, 455, 344],
  T04: [986, 561, 432, 1040, 931, 351, 203],
  T05: [1431, 1237, 1102, 1512, 1498, 498, 401],
  T06: [1105, 823, 701, 1170, 1104, 392, 271],
  T07: [1352, 1149, 1003, 1428, 1399, 476, 362],
  T08: [1208, 866, 712, 1277, 1201, 425, 290],
  T09: [1467, 1270, 1131, 1549, 1530, 511, 415],
  T10: [1019, 702, 560, 1078, 1003, 360, 238],
  T11: [1324, 1088, 940, 1399, 1362, 463, 350],
  T12: [1156, 918, 780, 1222, 1180, 408, 300],
  T13: [1083, 830, 688, 1144, 1090, 380, 275],
  T14: [874, 492, 371, 923, 822, 312, 176],
};
/** Villages that held propaganda this period, and those whose team is active. */
const NO_PROPAGANDA = new Set<string>();
const INACTIVE_TEAM = new Set(["T04", "T10", "T14"]);

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

function villageRows(): ReportVillageRow[] {
  return VILLAGES.map(([code, name]) => {
    const [adults, skilled, confirmed, over16, vneid, households, digital] = FIGURES[code]!;
    return {
      code,
      name,
      values: {
        adult_skills: ratio(skilled, adults),
        adult_vneid_confirmed: ratio(confirmed, adults),
        village_propaganda: ratio(NO_PROPAGANDA.has(code) ? 0 : 1, 1),
        active_village_teams: ratio(INACTIVE_TEAM.has(code) ? 0 : 1, 1),
        vneid_16plus: ratio(vneid, over16),
        digital_households: ratio(digital, households),
      },
    };
  });
}

/** The commune's own figures; village-level ones are the sums of the village rows. */
function communeFigures(rows: ReportVillageRow[]): Partial<Record<IndicatorCode, ReturnType<typeof ratio>>> {
  const sum = (code: IndicatorCode) =>
    ratio(
      rows.reduce((s, r) => s + (r.values[code]?.numerator ?? 0), 0),
      rows.reduce((s, r) => s + (r.values[code]?.denominator ?? 0), 0),
    );
  return {
    public_sector_skills: ratio(131, 142),
    student_skills: ratio(1234, 1446),
    worker_access: ratio(0, 0),
    reports_on_time: ratio(2, 2),
    ...Object.fromEntries(VILLAGE_CODES.map((c) => [c, sum(c)])),
  };
}

const COUNTS: Partial<Record<IndicatorCode, number>> = { digital_learning_day: 1, security_incidents: 0 };

function indicators(rows: ReportVillageRow[]): ReportIndicator[] {
  const plan = loadPlan(DEFAULT_PLAN_FILE);
  const figures = communeFigures(rows);
  return plan.indicators.map((p): ReportIndicator => {
    const base = {
      id: p.id,
      code: p.code,
      title: p.title,
      responsible: p.responsible,
      cooperating: p.cooperating,
      target: p.target,
      ...(p.minimum === undefined ? {} : { minimum: p.minimum }),
    };
    const count = COUNTS[p.code];
    if (count !== undefined) {
      const met = p.code === "security_incidents" ? count <= p.target : count >= p.target;
      return { ...base, kind: "count", value: count, met };
    }
    const f = figures[p.code] ?? ratio(0, 0);
    return { ...base, kind: "ratio", ...f, met: f.value !== null && f.value >= p.target };
  });
}

function lagging(rows: ReportVillageRow[], inds: ReportIndicator[]): ReportModel["lagging"] {
  const target = new Map(inds.map((i) => [i.code, i.target]));
  return rows
    .map((r) => ({
      village: r.name,
      code: r.code,
      below: VILLAGE_CODES.flatMap((c) => {
        const v = r.values[c];
        const goal = target.get(c) ?? 1;
        return v && (v.value === null || v.value < goal)
          ? [{ code: c, heading: HEADINGS[c], value: v.value, target: goal }]
          : [];
      }),
    }))
    .filter((l) => l.below.length > 0)
    .sort(
      (a, b) =>
        b.below.length - a.below.length ||
        a.below.reduce((s, x) => s + (x.value ?? 0), 0) - b.below.reduce((s, x) => s + (x.value ?? 0), 0),
    );
}

function chart(rows: ReportVillageRow[], code: IndicatorCode, target: number, caption: string) {
  const data = rows.map((r) => {
    const v = r.values[code]!;
    const text =
      v.value === null ? "" : formatPercent("vi", v.value, 1, { fixed: true }).replace(/\u00a0/g, "");
    return { label: r.name, value: v.value, text };
  });
  return {
    caption,
    svg: villageBarsSvg(data, target),
    width: 640,
    height: 40 + rows.length * 26,
    table: {
      header: ["Thôn", "Tỷ lệ"],
      rows: data.map((d) => [d.label, d.text]),
    },
  };
}

const LONG_TASKS = [
  "- Tiếp tục rà soát, cập nhật danh sách người dân trong độ tuổi trưởng thành chưa được phổ cập kỹ năng số cơ bản tại từng thôn; ưu tiên người cao tuổi, người khuyết tật, hộ nghèo, hộ cận nghèo và người lao động tự do.",
  "- Tổ chức các lớp học kỹ năng số vào buổi tối và ngày nghỉ tại nhà văn hóa các thôn Bắc Thượng, Tân Lập, Thượng Điền, bảo đảm mỗi thôn ít nhất 02 lớp/tháng; phân công đoàn viên thanh niên hỗ trợ “cầm tay chỉ việc” cho người dân.",
  "- Công an xã phối hợp với Tổ công nghệ số cộng đồng tiếp tục hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2 và xác nhận kết quả phổ cập kỹ năng số trên ứng dụng VNeID.",
  "- Phòng Kinh tế chủ trì, phối hợp với các doanh nghiệp, hợp tác xã trên địa bàn thống kê số người lao động đã được tiếp cận, bồi dưỡng kỹ năng số để có số liệu báo cáo chỉ tiêu số 5 trong kỳ tới.",
  "- Kiện toàn Tổ công nghệ số cộng đồng tại các thôn có tổ chưa hoạt động hiệu quả; tổ chức tập huấn cho thành viên tổ về kỹ năng hướng dẫn người dân sử dụng dịch vụ công trực tuyến, thanh toán không dùng tiền mặt và phòng, chống lừa đảo trên không gian mạng.",
  "- Đẩy mạnh tuyên truyền trên hệ thống loa truyền thanh, trang thông tin điện tử của xã và các nhóm Zalo của thôn; biểu dương kịp thời các tập thể, cá nhân tiêu biểu trong phong trào Bình dân học vụ số.",
  "- Chuẩn bị tổ chức Ngày hội toàn dân học tập số lần thứ hai vào tháng 11 năm 2026, gắn với các hoạt động trải nghiệm dịch vụ công trực tuyến, mua bán trên sàn thương mại điện tử và an toàn thông tin cho người dân.",
  "- Các cơ quan, đơn vị được giao chủ trì chỉ tiêu báo cáo kết quả thực hiện về Phòng Văn hóa - Xã hội trước ngày 15 của tháng cuối quý để tổng hợp, báo cáo Ban Chỉ đạo đúng thời hạn.",
];

/** The fixture report. Charts are drawn on each call (the chart code numbers its SVG ids). */
export function reportFixture(lang: ReportModel["lang"] = "vi"): ReportModel {
  const rows = villageRows();
  const inds = indicators(rows);
  const adult = inds.find((i) => i.code === "adult_skills")!;
  const vneid = inds.find((i) => i.code === "vneid_16plus")!;
  return {
    lang,
    issuer: ["UBND XÃ TÂN NINH"],
    number: "Số: 125/BC-UBND",
    place: "Tân Ninh",
    signedOn: "2026-09-18",
    title: "BÁO CÁO",
    subject: "Kết quả thực hiện phong trào “Bình dân học vụ số” quý III năm 2026",
    period: { code: "2026-Q3", label: "Quý III năm 2026", start: "2026-07-01", end: "2026-09-30" },
    date: "2026-09-18",
    planDocument: "Kế hoạch số 63/KH-UBND ngày 30/3/2026 của UBND xã Tân Ninh",
    sections: [
      {
        heading: "",
        narrative: false,
        paragraphs: [
          "Thực hiện Kế hoạch số 63/KH-UBND ngày 30/3/2026 của UBND xã Tân Ninh về triển khai phong trào “Bình dân học vụ số” trên địa bàn xã năm 2026, UBND xã báo cáo kết quả thực hiện quý III năm 2026 như sau:",
        ],
      },
      {
        heading: "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        narrative: false,
        paragraphs: [
          `Tính đến ngày 18/9/2026, xã đạt 5/12 chỉ tiêu của Kế hoạch; 6 chỉ tiêu chưa đạt và 1 chỉ tiêu chưa có số liệu (chi tiết tại Phụ lục kèm theo). Cụ thể:`,
          `- Tỷ lệ người dân trưởng thành được phổ cập kỹ năng số cơ bản đạt ${formatPercent("vi", adult.value!).replace(/\u00a0/g, "")} (${adult.numerator!.toLocaleString("vi-VN")}/${adult.denominator!.toLocaleString("vi-VN")} người).`,
          `- Tỷ lệ công dân từ 16 tuổi trở lên có tài khoản định danh điện tử đạt ${formatPercent("vi", vneid.value!).replace(/\u00a0/g, "")}.`,
          "- 100% thôn đã tổ chức tuyên truyền về phong trào; đã tổ chức 01 Ngày hội toàn dân học tập số; không xảy ra sự cố mất an toàn thông tin nghiêm trọng.",
          "- Chỉ tiêu số 5 (người lao động trong doanh nghiệp, hợp tác xã) chưa có số liệu do các doanh nghiệp chưa gửi danh sách người lao động.",
        ],
      },
      {
        heading: "II. KẾT QUẢ THEO THÔN",
        narrative: false,
        paragraphs: [
          "Các thôn Trung Thành, Hòa Bình, An Lạc có tỷ lệ người dân trưởng thành được phổ cập kỹ năng số cao nhất xã (trên 85%). Các thôn Bắc Thượng, Tân Lập, Thượng Điền có tỷ lệ thấp nhất và Tổ công nghệ số cộng đồng chưa hoạt động hiệu quả.",
        ],
      },
      {
        heading: "III. HOẠT ĐỘNG ĐÃ TỔ CHỨC",
        narrative: true,
        paragraphs: [
          "Trong quý III, xã đã tổ chức 48 lớp học kỹ năng số cơ bản tại nhà văn hóa các thôn và điểm trường với 1.326 lượt người tham gia; tổ chức 14 buổi tuyên truyền lưu động và 01 Ngày hội toàn dân học tập số ngày 26/7/2026 với sự tham gia của hơn 600 người dân.",
          "- Phòng Văn hóa - Xã hội phối hợp với Đoàn Thanh niên xã tổ chức 06 đợt “Thanh niên tình nguyện hỗ trợ người dân sử dụng dịch vụ công trực tuyến”.",
          "- Công an xã tổ chức 09 đợt làm thủ tục cấp tài khoản định danh điện tử lưu động tại các thôn.",
        ],
      },
      {
        heading: "IV. THĂM HỘ, HỖ TRỢ NGƯỜI DÂN",
        narrative: true,
        paragraphs: [
          "Các Tổ công nghệ số cộng đồng đã đến thăm 1.184 hộ gia đình, hướng dẫn trực tiếp 2.057 người dân cài đặt và sử dụng ứng dụng VNeID, ứng dụng ngân hàng, nộp hồ sơ dịch vụ công trực tuyến; ưu tiên 312 người cao tuổi và 47 người khuyết tật.",
        ],
      },
      {
        heading: "V. KHÓ KHĂN, VƯỚNG MẮC",
        narrative: true,
        paragraphs: [
          "- Một bộ phận người cao tuổi chưa có điện thoại thông minh hoặc ngại tiếp cận công nghệ; một số lao động đi làm ăn xa nên chưa tham gia được các lớp học.",
          "- Hạ tầng mạng di động tại thôn Thượng Điền và một phần thôn Bắc Thượng chưa ổn định, ảnh hưởng đến việc hướng dẫn người dân.",
          "- Một số doanh nghiệp, hợp tác xã chưa quan tâm cung cấp danh sách người lao động, dẫn đến chưa có số liệu chỉ tiêu số 5.",
        ],
      },
      {
        heading: "VI. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
        narrative: true,
        paragraphs: [
          "Để hoàn thành các chỉ tiêu của Kế hoạch năm 2026, UBND xã đề ra các nhiệm vụ, giải pháp trọng tâm trong quý IV năm 2026 như sau:",
          ...LONG_TASKS,
          "Các nhiệm vụ trên tiếp tục được duy trì trong quý I năm 2027:",
          ...LONG_TASKS.map((p) => p.replace(/^- /, "- Quý I năm 2027: ")),
          "Trên đây là báo cáo kết quả thực hiện phong trào “Bình dân học vụ số” quý III năm 2026 của UBND xã Tân Ninh./.",
        ],
      },
    ],
    indicators: inds,
    villageTable: { codes: [...VILLAGE_CODES], headings: VILLAGE_CODES.map((c) => HEADINGS[c]), rows },
    lagging: lagging(rows, inds),
    charts: [
      chart(
        rows,
        "adult_skills",
        adult.target,
        "Tỷ lệ người dân trưởng thành được phổ cập kỹ năng số cơ bản theo thôn (%)",
      ),
      chart(
        rows,
        "digital_households",
        inds.find((i) => i.code === "digital_households")!.target,
        "Tỷ lệ hộ gia đình số theo thôn (%)",
      ),
    ],
    recipients: [
      "Ban Chỉ đạo phong trào BDHVS tỉnh;",
      "Thường trực Đảng ủy xã;",
      "Thường trực HĐND xã;",
      "Chủ tịch, các PCT UBND xã;",
      "Các cơ quan, đơn vị thuộc UBND xã;",
      "Các thôn;",
      "Lưu: VT.",
    ],
    signature: { lines: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], name: "Nguyễn Văn An" },
  };
}
