/**
 * The movement's records of the demo commune, in the import formats (data README): activities
 * (classes with past sessions and upcoming ones, propaganda, digital learning days, a launch),
 * class attendance, a community digital technology team per village, door-to-door visits and a few
 * security incidents — all dated relative to `today` and deterministic for a seed.
 *
 * So that the dashboard and the official report have something to show and something to chase, a
 * few villages lag on purpose: some hold no propaganda this year (indicator 6), some teams have only
 * two members, and one team has done no work in the last 90 days (indicator 8).
 */
import type { Cell } from "../../lib/tabular/read.ts";
import { writeRows } from "../../lib/tabular/write.ts";
import { foldVietnamese } from "../../lib/text.ts";

/** A resident the movement may name: active, 15 or older, with a citizen ID (so rows resolve). */
export type DemoPerson = {
  name: string;
  citizenId: string;
  age: number;
  phone: string | null;
  village: string;
  household: string;
  worker: boolean;
};

export type DemoVillage = { code: string; name: string };

export type GeneratedMovement = {
  activities: string;
  attendance: string;
  team_members: string;
  visits: string;
  incidents: string;
  /** Villages whose team agreed to publish its contacts (there is no import column for that). */
  publishContacts: string[];
};

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** yyyy-mm-dd `days` after a civil date (negative: before). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
/** dd/mm/yyyy, as the commune's files write dates. */
/** When the demo's activities start: evenings after the fields, mornings, afternoons. */
const START_TIMES = ["19:30", "08:00", "14:00", "19:00", "07:30"] as const;

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const CLASS_TITLES = [
  "Lớp kỹ năng số cơ bản cho người dân {v}",
  "Lớp hướng dẫn cài đặt và sử dụng VNeID mức 2 – {v}",
  "Lớp dịch vụ công trực tuyến cho người dân {v}",
  "Lớp thanh toán không dùng tiền mặt cho hộ kinh doanh {v}",
  "Lớp an toàn trên không gian mạng cho người cao tuổi {v}",
  "Lớp học trên nền tảng Bình dân học vụ số – {v}",
  "Lớp sử dụng điện thoại thông minh cho phụ nữ {v}",
];
const PROPAGANDA_TITLES = [
  "Tuyên truyền phong trào Bình dân học vụ số tại {v}",
  "Tuyên truyền cài đặt, kích hoạt tài khoản định danh điện tử VNeID – {v}",
  "Tuyên truyền phòng, chống lừa đảo trên không gian mạng – {v}",
  "Phát thanh về chuyển đổi số trên loa truyền thanh {v}",
  "Tuyên truyền thanh toán không dùng tiền mặt tại chợ {v}",
];
const TRAINERS = [
  "Nguyễn Thị Hồng Nhung (Trường THCS)",
  "Lê Văn Toàn (Đoàn Thanh niên xã)",
  "Trần Minh Đức (Bưu điện xã)",
  "Phạm Thu Hằng (Trường Tiểu học)",
  "Hoàng Văn Quyết (Công an xã)",
  "Đỗ Thị Mai (Hội Liên hiệp Phụ nữ xã)",
  "Vũ Quang Huy (Viettel huyện)",
];
const PROPAGANDA_BY = [
  "Mặt trận Tổ quốc xã",
  "Hội Liên hiệp Phụ nữ xã",
  "Đoàn Thanh niên xã",
  "Hội Nông dân xã",
  "Hội Cựu chiến binh xã",
];
/** The eight kinds of support (data README), the common ones listed more than once. */
const SUPPORT = [
  "Cài đặt VNeID",
  "Cài đặt VNeID",
  "Định danh mức 2",
  "Định danh mức 2",
  "Mở tài khoản ngân hàng số",
  "Thanh toán không dùng tiền mặt",
  "Dịch vụ công trực tuyến",
  "Dịch vụ công trực tuyến",
  "Đăng ký học trên nền tảng",
  "Hướng dẫn an toàn thông tin",
  "Hướng dẫn an toàn thông tin",
  "Ứng dụng sức khỏe",
];
const VISIT_NOTES = [
  "Hỗ trợ người cao tuổi trong hộ",
  "Hướng dẫn cả gia đình",
  "Hẹn quay lại hỗ trợ tiếp",
  "Đã kích hoạt thành công",
  "Cài đặt trên điện thoại của con",
];
const FREE_NAMES = [
  "Nguyễn Văn Thắng",
  "Trần Thị Huệ",
  "Lê Minh Tuấn",
  "Phạm Thị Hòa",
  "Bùi Văn Lực",
  "Đặng Thị Thoa",
];

/**
 * Writes activities.csv, attendance.csv, team_members.csv, visits.csv and incidents.csv into `dir`.
 * `people` are the residents the rows may name; `households` maps a village code to its household
 * codes. Uses its own generator, so the registry files stay as they were for a seed.
 */
export async function generateMovement(opts: {
  dir: string;
  today: string;
  villages: readonly DemoVillage[];
  households: ReadonlyMap<string, readonly string[]>;
  people: readonly DemoPerson[];
  /** The generator to draw from (the caller's seeded one). */
  random: () => number;
}): Promise<GeneratedMovement> {
  const { today, villages } = opts;
  const r = opts.random;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const shuffled = <T>(xs: readonly T[]) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  /** Days from 1 January to today: what "dated this year" allows. */
  const yearDays = Math.round(
    (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${today.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000,
  );
  const back = (days: number) => addDays(today, -days);
  /** A day `lo`–`hi` days back, kept in this year (so this year's figures have it even in January). */
  const backThisYear = (lo: number, hi: number) => back(int(Math.min(lo, yearDays), Math.min(hi, yearDays)));

  const peopleOf = new Map<string, DemoPerson[]>();
  for (const p of opts.people) {
    const list = peopleOf.get(p.village);
    if (list) list.push(p);
    else peopleOf.set(p.village, [p]);
  }
  const short = (v: DemoVillage) => v.name.replace(/^Thôn\s+/u, "");
  const place = (v: DemoVillage) => `Nhà văn hóa thôn ${short(v)}`;

  // Which villages lag, and how: a few without propaganda this year (indicator 6), a few teams of
  // two (indicator 8), and one team with no work in the last 90 days (indicator 8).
  const order = shuffled(villages.map((v) => v.code));
  const lagShare = Math.max(1, Math.round(villages.length * 0.15));
  const noPropaganda = new Set(order.slice(0, lagShare));
  const quiet = villages.length >= 6 ? order[0] : undefined;
  const smallTeams = new Set(order.slice(lagShare, 2 * lagShare));
  const publishContacts = shuffled(villages.map((v) => v.code).filter((code) => code !== quiet)).slice(
    0,
    Math.max(1, Math.round(villages.length / 2)),
  );

  // --- teams ------------------------------------------------------------------------------
  type Member = { name: string; role: string; phone: string | null; citizenId: string | null };
  const teams = new Map<string, Member[]>();
  for (const v of villages) {
    const size = smallTeams.has(v.code) ? 2 : int(3, 6);
    const taken = new Set<string>();
    const members: Member[] = [];
    const adults = shuffled((peopleOf.get(v.code) ?? []).filter((p) => p.age >= 18 && p.age < 62));
    // The leader is reachable: someone with a phone, or a phone of the team's own.
    const candidates = [...adults.filter((p) => p.phone), ...adults.filter((p) => !p.phone)];
    for (const p of candidates) {
      if (members.length >= size) break;
      const key = foldVietnamese(p.name);
      if (taken.has(key)) continue;
      taken.add(key);
      const role = members.length === 0 ? "Tổ trưởng" : p.age < 31 ? "Đoàn viên tình nguyện" : "Thành viên";
      members.push({ name: p.name, role, phone: p.phone, citizenId: p.citizenId });
    }
    // A small demo has few adults: the team is completed with people named only by name.
    for (const name of FREE_NAMES) {
      if (members.length >= size) break;
      if (taken.has(foldVietnamese(name))) continue;
      taken.add(foldVietnamese(name));
      members.push({
        name,
        role: members.length === 0 ? "Tổ trưởng" : "Thành viên",
        phone: null,
        citizenId: null,
      });
    }
    if (!members[0]!.phone) members[0]!.phone = `09${pad(Math.floor(r() * 1e8), 8)}`;
    teams.set(v.code, members);
  }

  // --- activities and attendance ----------------------------------------------------------
  const activities: (string | null)[][] = [];
  const attendance: (string | null)[][] = [];
  let serial = 0;
  type ActivityRow = {
    type: string;
    title: string;
    date: string;
    village?: string;
    unit?: string;
    place: string;
    trainer?: string;
    audience?: string;
  };
  const activity = (row: ActivityRow) => {
    const code = `HD${pad(++serial, 4)}`;
    activities.push([
      code,
      row.type,
      row.title,
      dmy(row.date),
      row.village ?? null,
      row.unit ?? null,
      row.place,
      row.trainer ?? null,
      row.audience ?? null,
      // A start time from the serial, not the random stream: the rest of the demo stays as it was.
      START_TIMES[serial % START_TIMES.length]!,
    ]);
    return code;
  };
  /** A class held weekly (three or four sessions up to `lastDay`): a roster, most present each time. */
  const pastClass = (
    base: Omit<ActivityRow, "date" | "type">,
    roster: readonly DemoPerson[],
    lastDay: string,
  ) => {
    const sessions = int(3, 4);
    const days = Array.from({ length: sessions }, (_, i) => addDays(lastDay, -7 * (sessions - 1 - i)));
    const code = activity({ ...base, type: "Lớp học", date: days[0]! });
    for (const day of days) {
      for (const p of roster) {
        attendance.push([code, dmy(day), p.citizenId, p.name, r() < 0.86 ? "x" : null]);
      }
    }
  };

  // The launch and the commune's digital learning days.
  const year = today.slice(0, 4);
  activity({
    type: "Lễ phát động",
    title: `Lễ phát động phong trào “Bình dân học vụ số” xã năm ${year}`,
    date: backThisYear(200, 260),
    unit: "UBND",
    place: "Hội trường Ủy ban nhân dân xã",
    audience: "Người dân",
  });
  activity({
    type: "Ngày hội toàn dân học tập số",
    title: `Ngày hội toàn dân học tập số xã năm ${year}`,
    date: backThisYear(120, 170),
    unit: "UBND",
    place: "Sân vận động trung tâm xã",
    audience: "Người dân",
  });
  activity({
    type: "Ngày hội học tập số",
    title: "Ngày hội học tập số tại Trường Trung học cơ sở",
    date: backThisYear(15, 45),
    unit: "THCS",
    place: "Trường Trung học cơ sở",
    audience: "Học sinh",
  });

  for (const v of villages) {
    const residents = peopleOf.get(v.code) ?? [];
    const isQuiet = v.code === quiet;
    // Propaganda: one lately (this year), sometimes earlier ones.
    if (!noPropaganda.has(v.code)) {
      const earlier = int(0, 2);
      const dates = [backThisYear(3, 40), ...Array.from({ length: earlier }, () => back(int(45, 300)))];
      for (const date of dates) {
        activity({
          type: "Tuyên truyền",
          title: pick(PROPAGANDA_TITLES).replace("{v}", `thôn ${short(v)}`),
          date,
          village: v.code,
          place: place(v),
          trainer: pick(PROPAGANDA_BY),
          audience: "Người dân",
        });
      }
    }
    // Classes held: two or three, the latest ending in the last weeks (the quiet team's, months ago).
    const titles = shuffled(CLASS_TITLES);
    const held = int(2, 3);
    for (let k = 0; k < held; k++) {
      const lastDay = isQuiet
        ? back(int(110, 160) + 50 * k)
        : k === 0
          ? backThisYear(1, 25)
          : back(int(40, 240));
      const roster = shuffled(residents).slice(0, int(12, 24));
      pastClass(
        {
          title: titles[k % titles.length]!.replace("{v}", `thôn ${short(v)}`),
          village: v.code,
          place: place(v),
          trainer: pick(TRAINERS),
          audience: "Người dân",
        },
        roster,
        lastDay,
      );
    }
    // A class planned in the next two to six weeks (most villages): what the public home lists.
    if (v === villages[0] || (!isQuiet && r() < 0.6)) {
      activity({
        type: "Lớp học",
        title: titles[held % titles.length]!.replace("{v}", `thôn ${short(v)}`),
        date: addDays(today, int(14, 42)),
        village: v.code,
        place: place(v),
        trainer: pick(TRAINERS),
        audience: "Người dân",
      });
    }
  }
  // A class for the enterprise's workers (indicator 5 counts their attended sessions).
  const workers = shuffled(opts.people.filter((p) => p.worker && p.age >= 18)).slice(0, 24);
  if (workers.length > 0) {
    pastClass(
      {
        title: "Lớp kỹ năng số cho người lao động Công ty May Thành Công",
        unit: "DN01",
        place: "Hội trường Công ty May Thành Công",
        trainer: pick(TRAINERS),
        audience: "Người lao động doanh nghiệp",
      },
      workers,
      backThisYear(20, 60),
    );
  }

  // --- visits -------------------------------------------------------------------------------
  // About one household in fifteen visited in the last four months, each village's latest lately.
  const visits: (string | null)[][] = [];
  for (const v of villages) {
    if (v.code === quiet) continue;
    const homes = opts.households.get(v.code) ?? [];
    const members = teams.get(v.code)!;
    if (homes.length === 0) continue;
    const n = Math.max(1, Math.round(homes.length / 15));
    const seen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const date = k === 0 ? backThisYear(1, 20) : back(int(0, 120));
      // The leader goes out most.
      const member = r() < 0.4 ? members[0]! : pick(members);
      const home = pick(homes);
      const key = `${home}|${date}|${member.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const support = [...new Set(Array.from({ length: int(1, 3) }, () => pick(SUPPORT)))];
      visits.push([home, dmy(date), member.name, support.join("; "), r() < 0.2 ? pick(VISIT_NOTES) : null]);
    }
  }

  // --- incidents ------------------------------------------------------------------------------
  const incidents = [
    [
      "SC01",
      dmy(back(int(200, 300))),
      "Nhẹ",
      "Lừa đảo trực tuyến",
      "Tin nhắn giả mạo ngân hàng gửi tới nhiều người dân, yêu cầu bấm vào đường dẫn lạ",
      "CAX",
      null,
    ],
    [
      "SC02",
      dmy(back(int(120, 180))),
      "Nghiêm trọng",
      "Lộ tài khoản",
      "Lộ mật khẩu tài khoản thư điện tử công vụ của một cán bộ",
      "UBND",
      null,
    ],
    [
      "SC03",
      dmy(back(int(20, 60))),
      "Nhẹ",
      "Lừa đảo qua điện thoại",
      "Cuộc gọi giả danh công an yêu cầu cài ứng dụng “dịch vụ công” giả mạo",
      "CAX",
      null,
    ],
  ];
  // Resolved a few days later (never after today).
  for (const row of incidents) {
    const [dd, mm, yyyy] = row[1]!.split("/");
    row[6] = dmy(addDays(`${yyyy}-${mm}-${dd}`, int(1, 10)));
  }

  const file = (name: string) => `${opts.dir}/${name}.csv`;
  const tables: Record<string, { header: string[]; rows: Cell[][] }> = {
    activities: {
      header: [
        "Mã hoạt động",
        "Loại",
        "Tên hoạt động",
        "Ngày",
        "Thôn",
        "Đơn vị",
        "Địa điểm",
        "Giảng viên",
        "Đối tượng",
        "Giờ bắt đầu",
      ],
      rows: activities,
    },
    attendance: { header: ["Mã hoạt động", "Ngày", "Số CCCD", "Họ và tên", "Có mặt"], rows: attendance },
    team_members: {
      header: ["Thôn", "Họ và tên", "Vai trò", "Số điện thoại", "Số CCCD"],
      rows: villages.flatMap((v) =>
        teams.get(v.code)!.map((m) => [v.code, m.name, m.role, m.phone, m.citizenId]),
      ),
    },
    visits: { header: ["Mã hộ", "Ngày", "Người hỗ trợ", "Nội dung hỗ trợ", "Ghi chú"], rows: visits },
    incidents: {
      header: ["Mã sự cố", "Ngày", "Mức độ", "Loại", "Mô tả", "Đơn vị", "Ngày khắc phục"],
      rows: incidents,
    },
  };
  for (const [name, { header, rows }] of Object.entries(tables))
    await writeRows(file(name), { header }, rows);
  return {
    activities: file("activities"),
    attendance: file("attendance"),
    team_members: file("team_members"),
    visits: file("visits"),
    incidents: file("incidents"),
    publishContacts,
  };
}
