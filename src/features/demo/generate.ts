/**
 * A synthetic commune in the import formats (SPEC §5): villages, households and residents with
 * valid citizen IDs and phones; with `movement`, the movement's records too (`movement.ts`).
 * Deterministic for a seed. Used by the import benchmark, the kill-during-import test and the demo.
 */
import { writeRows } from "../../lib/tabular/write.ts";
import { type DemoPerson, type GeneratedMovement, generateMovement } from "./movement.ts";

/** Family names of the demo (the collation test reuses them). */
export const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Vũ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Lò",
  "Mai",
  "Lương",
  "Trịnh",
  "Đinh",
];
const MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Công"];
const MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Hồng", "Minh"];
const GIVEN_M = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Hùng",
  "Hải",
  "Khánh",
  "Long",
  "Mạnh",
  "Nam",
  "Phong",
  "Quân",
  "Sơn",
  "Tâm",
  "Tuấn",
  "Việt",
  "Hoàng",
  "Đạt",
];
const GIVEN_F = [
  "Anh",
  "Chi",
  "Dung",
  "Giang",
  "Hà",
  "Hạnh",
  "Hoa",
  "Hương",
  "Lan",
  "Linh",
  "Mai",
  "Ngọc",
  "Nhung",
  "Phương",
  "Quỳnh",
  "Thảo",
  "Trang",
  "Yến",
];
const VILLAGE_NAMES = [
  "Đông Hòa",
  "Tây Sơn",
  "Nam Tiến",
  "Bắc Thành",
  "Trung Hậu",
  "Yên Lạc",
  "Phú Xuân",
  "An Bình",
  "Hòa Bình",
  "Tân Lập",
  "Quyết Thắng",
  "Đồng Tâm",
  "Thống Nhất",
  "Kim Sơn",
  "Xuân Phú",
  "Minh Khai",
  "Hợp Tiến",
  "Văn Phú",
  "Ngọc Lâm",
  "Cao Sơn",
];

/** A small, fast deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedCommune = {
  villages: string;
  households: string;
  residents: string;
  residentCount: number;
  /** With `extras`: units and certifications too. */
  units?: string;
  certifications?: string;
  /** With `movement`: activities, attendance, team members, visits and incidents. */
  movement?: GeneratedMovement;
};

const UNITS: [string, string, string][] = [
  ["UBND", "Ủy ban nhân dân xã", "Cơ quan"],
  ["CAX", "Công an xã", "Cơ quan"],
  ["TH", "Trường Tiểu học", "Trường học"],
  ["THCS", "Trường Trung học cơ sở", "Trường học"],
  ["DN01", "Công ty May Thành Công", "Doanh nghiệp"],
  ["HTX", "Hợp tác xã Nông nghiệp", "Hợp tác xã"],
  ["DTN", "Đoàn Thanh niên xã", "Đoàn thể"],
];

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/**
 * Writes villages.csv, households.csv and residents.<csv|xlsx> into `dir`.
 * About 4 residents a household; one in ten without a citizen ID; one in twelve moved or deceased.
 */
export async function generateCommune(opts: {
  dir: string;
  residents: number;
  villages?: number;
  seed?: number;
  residentsFormat?: "csv" | "xlsx";
  today?: string;
  /** Also write units.csv and certifications.csv, and give students, officials and workers a unit. */
  extras?: boolean;
  /**
   * With `extras`: also write the movement's records dated relative to `today` (activities,
   * attendance, team members, visits, incidents), from a generator of their own so the registry
   * files stay the same for a seed.
   */
  movement?: boolean;
}): Promise<GeneratedCommune> {
  if (opts.movement && !opts.extras) throw new Error("movement needs extras (units)");
  const r = rng(opts.seed ?? 2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const villageCount = opts.villages ?? 20;
  const householdCount = Math.max(1, Math.ceil(opts.residents / 4));
  const villages = Array.from({ length: villageCount }, (_, i) => ({
    code: `T${pad(i + 1, 2)}`,
    name: `Thôn ${VILLAGE_NAMES[i % VILLAGE_NAMES.length]}${i >= VILLAGE_NAMES.length ? ` ${Math.floor(i / VILLAGE_NAMES.length) + 1}` : ""}`,
  }));
  const households = Array.from({ length: householdCount }, (_, i) => {
    const v = villages[i % villageCount]!;
    return {
      code: `${v.code}-${pad(Math.floor(i / villageCount) + 1, 5)}`,
      village: v.code,
      poor: r() < 0.06,
    };
  });
  const files = {
    villages: `${opts.dir}/villages.csv`,
    households: `${opts.dir}/households.csv`,
    residents: `${opts.dir}/residents.${opts.residentsFormat ?? "csv"}`,
  };
  await writeRows(
    files.villages,
    { header: ["Mã thôn", "Tên thôn"] },
    villages.map((v) => [v.code, v.name]),
  );
  const thisYear = Number((opts.today ?? "2026-11-25").slice(0, 4));
  let serial = 0;
  const certs: string[][] = [];
  /** With `movement`: who classes, teams and visits may name. */
  const people: DemoPerson[] = [];
  const unitOf = (groups: string | null, age: number) =>
    groups === "CBCCVC"
      ? "UBND"
      : groups === "Học sinh"
        ? age <= 10
          ? "TH"
          : "THCS"
        : groups
          ? "DN01"
          : null;
  /**
   * Each household's head (Chủ hộ): its first adult resident still living there, else its first
   * resident; households.csv is written after the residents, so it can name them.
   */
  const heads: { name: string; adult: boolean }[] = [];
  function* residentRows() {
    for (let i = 0; i < opts.residents; i++) {
      const hi = i % householdCount;
      const h = households[hi]!;
      const male = r() < 0.5;
      const name = `${pick(FAMILY)} ${pick(male ? MIDDLE_M : MIDDLE_F)} ${pick(male ? GIVEN_M : GIVEN_F)}`;
      const age = Math.floor(r() * 90);
      const year = thisYear - 1 - age;
      const birth = `${pad(1 + Math.floor(r() * 28), 2)}/${pad(1 + Math.floor(r() * 12), 2)}/${year}`;
      const centuryGender = (year >= 2000 ? 2 : 0) + (male ? 0 : 1);
      serial++;
      // Citizen IDs stay unique through the serial number in their last six digits.
      const cccd =
        age >= 14 && r() > 0.1
          ? `038${centuryGender}${pad(year % 100, 2)}${pad(serial % 1_000_000, 6)}`
          : null;
      const phone =
        age >= 16 && r() < 0.7 ? `0${pick(["3", "8", "9", "7"])}${pad(Math.floor(r() * 1e8), 8)}` : null;
      const status = r() < 0.05 ? "Chuyển đi" : r() < 0.03 ? "Đã mất" : "Đang cư trú";
      const official = age >= 25 && age < 60 && r() < 0.02;
      const groups = official
        ? "CBCCVC"
        : age >= 6 && age <= 18
          ? "Học sinh"
          : age >= 22 && age < 60 && r() < 0.15
            ? "Người lao động doanh nghiệp"
            : null;
      const vneid = age >= 14 ? pick(["0", "1", "2", "2"]) : "0";
      const adult = age >= 18 && status === "Đang cư trú";
      const head = heads[hi];
      if (!head || (adult && !head.adult)) heads[hi] = { name, adult };
      if (opts.movement && cccd && status === "Đang cư trú" && age >= 15) {
        people.push({
          name,
          citizenId: cccd,
          age,
          phone,
          village: h.village,
          household: h.code,
          worker: groups === "Người lao động doanh nghiệp",
        });
      }
      yield [
        name,
        birth,
        male ? "Nam" : "Nữ",
        cccd,
        phone,
        h.village,
        h.code,
        status,
        groups,
        opts.extras ? unitOf(groups, age) : null,
        r() < 0.02 ? "x" : null,
        vneid,
      ];
      // Certifications of the demo: a share of adults with a citizen ID, dated this year.
      if (opts.extras && cccd && status === "Đang cư trú" && age >= 15) {
        const day = () =>
          `${pad(1 + Math.floor(r() * 28), 2)}/${pad(1 + Math.floor(r() * 10), 2)}/${thisYear}`;
        if (r() < 0.55) certs.push([cccd, "Cơ bản", day(), pick(["Nền tảng", "Khóa học", "Trường học"])]);
        if (vneid === "2" && r() < 0.8) certs.push([cccd, "VNeID", day(), "VNeID"]);
      }
    }
  }
  await writeRows(
    files.residents,
    {
      header: [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Số điện thoại",
        "Thôn",
        "Mã hộ",
        "Tình trạng",
        "Đối tượng",
        "Đơn vị",
        "Khuyết tật",
        "Mức VNeID",
      ],
    },
    residentRows(),
  );
  if (serial > 1_000_000) throw new Error("more residents than unique citizen IDs");
  await writeRows(
    files.households,
    { header: ["Mã hộ", "Thôn", "Chủ hộ", "Địa chỉ", "Hộ nghèo"] },
    households.map((h, i) => [
      h.code,
      h.village,
      heads[i]?.name ?? null,
      `Xóm ${(i % 9) + 1}`,
      h.poor ? "x" : null,
    ]),
  );
  if (!opts.extras) return { ...files, residentCount: opts.residents };
  const units = `${opts.dir}/units.csv`;
  const certifications = `${opts.dir}/certifications.csv`;
  await writeRows(units, { header: ["Mã đơn vị", "Tên đơn vị", "Loại"] }, UNITS);
  await writeRows(certifications, { header: ["Số CCCD", "Loại", "Ngày cấp", "Nguồn"] }, certs);
  if (!opts.movement) return { ...files, units, certifications, residentCount: opts.residents };
  const homes = new Map<string, string[]>();
  for (const h of households) {
    const list = homes.get(h.village);
    if (list) list.push(h.code);
    else homes.set(h.village, [h.code]);
  }
  const movement = await generateMovement({
    dir: opts.dir,
    today: opts.today ?? "2026-11-25",
    villages,
    households: homes,
    people,
    random: rng((opts.seed ?? 2026) ^ 0x5eed),
  });
  return { ...files, units, certifications, movement, residentCount: opts.residents };
}
