/**
 * The province demo (issue 18.6): the 166 real communes and wards of Thanh Hóa (`maps/`, national
 * codes; © Thang Le Quoc, thanglequoc/vietnamese-provinces-database, MIT License) with synthetic
 * residents, commune by commune: villages, the five usual units, households of 2–6, residents with
 * ages, groups, VNeID levels and citizen IDs, and certifications for about half of them. Rows are
 * made here (a seeded generator per commune: the same commune gets the same people) and written with
 * `insert … select from unnest(…)`, `chunk` rows a statement (≤ 100 on PGlite: see db/chunks.ts);
 * the indicator facts follow by their statement-level triggers. One transaction: all or nothing.
 */
import { sql } from "drizzle-orm";
import { chunks, INSERT_CHUNK } from "../../db/chunks.ts";
import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { readRows } from "../../lib/tabular/read.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { listCommunes, markCommunesDemo, updateCommuneRow } from "../communes/repo.ts";
import { planFromTemplate, templatePlanFileName } from "../communes/service.ts";
import { currentPlan, type Plan } from "../indicators/plan.ts";

/** The province's communes and wards (real data, shipped in `maps/`). */
export const PROVINCE_COMMUNES_FILE = new URL("../../../maps/thanh-hoa-communes.csv", import.meta.url)
  .pathname;
export const PROVINCE_NAME = "Thanh Hóa";
/** Residents per commune of `bdhvs demo --province` unless `--size` says otherwise. */
export const PROVINCE_DEMO_RESIDENTS = 50;

export type ProvinceCommune = { code: string; name: string; fullName: string; kind: "commune" | "ward" };

/** Reads the shipped list of communes and wards (`code,name,full_name,kind`). */
export async function readProvinceCommunes(file = PROVINCE_COMMUNES_FILE): Promise<ProvinceCommune[]> {
  const out: ProvinceCommune[] = [];
  let header = true;
  for await (const row of readRows(file)) {
    if (header) {
      header = false;
      continue;
    }
    const [code, name, fullName, kind] = row.cells.map((c) => String(c ?? "").trim());
    if (!code || !name || !fullName) continue;
    out.push({ code, name, fullName, kind: kind === "ward" ? "ward" : "commune" });
  }
  return out;
}

export type ProvinceDemoCounts = {
  communes: number;
  created: number;
  filled: number;
  villages: number;
  households: number;
  residents: number;
  certifications: number;
};

/** A small seeded generator (mulberry32): the same commune code gives the same people. */
function random(seed: string): () => number {
  let a = 0;
  for (const ch of seed) a = (Math.imul(a, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = [
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
  "Lò",
  "Hà",
];
const MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Công"];
const MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Hồng", "Thanh", "Mai"];
const GIVEN = [
  "An",
  "Bình",
  "Chi",
  "Dũng",
  "Giang",
  "Hà",
  "Hùng",
  "Lan",
  "Long",
  "Mai",
  "Nam",
  "Thảo",
  "Tuấn",
  "Yến",
];
const UNITS = [
  ["UBND", "Ủy ban nhân dân", "office"],
  ["TH", "Trường Tiểu học", "school"],
  ["THCS", "Trường Trung học cơ sở", "school"],
  ["DN01", "Công ty May", "enterprise"],
  ["HTX", "Hợp tác xã Nông nghiệp", "cooperative"],
] as const;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function rowsOf<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** `insert into TABLE (cols) select * from unnest($1::t1[], …) returning id`, chunk by chunk: the ids in order. */
async function insertUnnest(
  db: Db,
  table: string,
  columns: [name: string, type: string][],
  rows: unknown[][],
  chunk: number,
  returning: boolean,
): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(rows, chunk)) {
    // A column of arrays (`groups`) travels as the text of its array literal, cast on the way in.
    const arrays = columns.map(
      ([, type], i) =>
        sql`${sql.param(part.map((r) => r[i]))}::${sql.raw(type.endsWith("[]") ? "text" : type)}[]`,
    );
    const names = columns.map(([n]) => `"${n}"`).join(", ");
    const values = columns
      .map(([n, type]) => (type.endsWith("[]") ? `"${n}"::${type}` : `"${n}"`))
      .join(", ");
    const query = sql`insert into ${sql.identifier(table)} (${sql.raw(names)})
      select ${sql.raw(values)} from unnest(${sql.join(arrays, sql`, `)}) as u(${sql.raw(names)})${returning ? sql` returning id` : sql``}`;
    if (returning) ids.push(...(await rowsOf<{ id: number }>(db, query)).map((r) => Number(r.id)));
    else await db.execute(query);
  }
  return ids;
}

type Member = {
  fullName: string;
  birth: string;
  gender: "male" | "female";
  age: number;
  groups: string[];
  unit: number;
  status: string;
  vneid: number;
};
type Household = { village: number; code: string; head: string; poor: boolean; members: Member[] };

/** Unit kinds of a member (`Member.unit`): none, or an index into `UNITS`. */
const NO_UNIT = -1;

/** One commune's synthetic people: villages by index, households of 2–6 (4 on average). */
function peopleOf(code: string, size: number, today: string): { villages: number; households: Household[] } {
  const rnd = random(code);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const villages = Math.max(3, Math.min(16, Math.round(size / 1500)));
  const households: Household[] = [];
  let left = size;
  let n = 0;
  while (left > 0) {
    const count = Math.min(left, 2 + Math.floor(rnd() * 5));
    left -= count;
    n++;
    const vi = (n - 1) % villages;
    const family = pick(FAMILY);
    const members: Member[] = [];
    for (let m = 0; m < count; m++) {
      const male = rnd() < 0.5;
      const age = m < 2 ? 20 + Math.floor(rnd() * 60) : Math.floor(rnd() * 90);
      const birthMs = todayMs - Math.round(age * 365.25 * DAY_MS) - Math.floor(rnd() * 365) * DAY_MS;
      const r = rnd();
      const student = age >= 6 && age <= 18;
      const official = !student && age >= 25 && age <= 59 && r < 0.04;
      const worker = !student && !official && age >= 22 && age <= 59 && r < 0.2;
      members.push({
        fullName: `${family} ${pick(male ? MIDDLE_M : MIDDLE_F)} ${pick(GIVEN)}`,
        birth: isoDay(birthMs),
        gender: male ? "male" : "female",
        age,
        groups: student ? ["student"] : official ? ["public_sector"] : worker ? ["enterprise_worker"] : [],
        unit: student ? (age <= 10 ? 1 : 2) : official ? 0 : worker ? 3 : NO_UNIT,
        status: rnd() < 0.02 ? "moved" : rnd() < 0.01 ? "deceased" : "active",
        vneid: age < 14 ? 0 : [0, 1, 2, 2][Math.floor(rnd() * 4)]!,
      });
    }
    households.push({
      village: vi,
      code: `T${String(vi + 1).padStart(2, "0")}-${String(n).padStart(5, "0")}`,
      head: members[0]!.fullName,
      poor: rnd() < 0.06,
      members,
    });
  }
  return { villages, households };
}

/**
 * Fills empty communes with `size` synthetic residents each (villages, units, households,
 * residents, certifications), table by table for all of them at once: a few statements of `chunk`
 * rows, not a few per commune. The citizen IDs start with 99 (no province's code: they never meet a
 * real one), then the commune's rank in the list and the resident's number.
 */
async function fillCommunes(
  db: Db,
  communes: { id: number; code: string; serial: number }[],
  opts: { size: number; today: string; chunk: number },
): Promise<Omit<ProvinceDemoCounts, "communes" | "created" | "filled">> {
  const made = communes.map((c) => ({ commune: c, ...peopleOf(c.code, opts.size, opts.today) }));
  const villageIds = await insertUnnest(
    db,
    "villages",
    [
      ["commune_id", "int"],
      ["code", "text"],
      ["name", "text"],
    ],
    made.flatMap((m) =>
      Array.from({ length: m.villages }, (_, i) => [
        m.commune.id,
        `T${String(i + 1).padStart(2, "0")}`,
        `Thôn ${i + 1}`,
      ]),
    ),
    opts.chunk,
    true,
  );
  const unitIds = await insertUnnest(
    db,
    "units",
    [
      ["commune_id", "int"],
      ["code", "text"],
      ["name", "text"],
      ["type", "text"],
    ],
    made.flatMap((m) => UNITS.map(([code, name, type]) => [m.commune.id, code, name, type])),
    opts.chunk,
    true,
  );
  let v = 0;
  const villageBase = made.map((m) => {
    const base = v;
    v += m.villages;
    return base;
  });
  const householdRows = made.flatMap((m, ci) =>
    m.households.map((h) => [
      m.commune.id,
      villageIds[villageBase[ci]! + h.village],
      h.code,
      h.head,
      `Xóm ${1 + (h.village % 9)}`,
      h.poor,
    ]),
  );
  const householdIds = await insertUnnest(
    db,
    "households",
    [
      ["commune_id", "int"],
      ["village_id", "int"],
      ["code", "text"],
      ["head_name", "text"],
      ["address", "text"],
      ["poor", "bool"],
    ],
    householdRows,
    opts.chunk,
    true,
  );
  const rnd = random(`${opts.today}:${communes.length}`);
  let h = 0;
  const people = made.flatMap((m, ci) => {
    let seq = 0;
    return m.households.flatMap((hh) => {
      const household = householdIds[h++]!;
      return hh.members.map((p) => ({
        ...p,
        communeId: m.commune.id,
        village: villageIds[villageBase[ci]! + hh.village]!,
        household,
        unitId: p.unit === NO_UNIT ? null : unitIds[ci * UNITS.length + p.unit]!,
        citizenId:
          p.age >= 14 && rnd() < 0.9
            ? `99${String(m.commune.serial).padStart(4, "0")}${String(++seq).padStart(6, "0")}`
            : null,
      }));
    });
  });
  const residentIds = await insertUnnest(
    db,
    "residents",
    [
      ["commune_id", "int"],
      ["village_id", "int"],
      ["household_id", "int"],
      ["full_name", "text"],
      ["name_search", "text"],
      ["birth_date", "date"],
      ["gender", "text"],
      ["citizen_id", "text"],
      ["status", "text"],
      ["groups", "text[]"],
      ["unit_id", "int"],
      ["vneid_level", "smallint"],
    ],
    people.map((p) => [
      p.communeId,
      p.village,
      p.household,
      p.fullName,
      foldVietnamese(p.fullName),
      p.birth,
      p.gender,
      p.citizenId,
      p.status,
      `{${p.groups.join(",")}}`,
      p.unitId,
      p.vneid,
    ]),
    opts.chunk,
    true,
  );
  // About 60% of those 15 and older have basic skills certified, four in five of VNeID level 2 a VNeID one.
  const todayMs = Date.parse(`${opts.today}T00:00:00Z`);
  const startMs = Math.min(Date.parse("2025-01-01T00:00:00Z"), todayMs - 365 * DAY_MS);
  const spanDays = Math.max(1, Math.round((todayMs - startMs) / DAY_MS));
  const date = () => isoDay(startMs + Math.floor(rnd() * spanDays) * DAY_MS);
  const sources = ["platform", "course", "school"];
  const certs: unknown[][] = [];
  people.forEach((p, i) => {
    if (p.age >= 15 && rnd() < 0.6)
      certs.push([p.communeId, residentIds[i], "basic", date(), sources[i % 3]]);
    if (p.vneid === 2 && rnd() < 0.8) certs.push([p.communeId, residentIds[i], "vneid", date(), "vneid"]);
  });
  await insertUnnest(
    db,
    "certifications",
    [
      ["commune_id", "int"],
      ["resident_id", "int"],
      ["kind", "text"],
      ["date", "date"],
      ["source", "text"],
    ],
    certs,
    opts.chunk,
    false,
  );
  return {
    villages: villageIds.length,
    households: householdIds.length,
    residents: residentIds.length,
    certifications: certs.length,
  };
}

/**
 * `bdhvs demo --province`: every commune and ward of the province's list, each with its own plan
 * (from the template) and `size` synthetic residents, marked as demo data. A commune already in the
 * installation (same code, or the same name: the first commune "Xã Tân Ninh" takes its national code
 * 15715) is filled when it holds no one and left as it is otherwise.
 */
export async function createProvinceDemo(opts: {
  db: Db;
  actor: Actor;
  /** Residents per commune. */
  size?: number;
  /** Rows per insert statement (≤ 100 on PGlite). */
  chunk?: number;
  today?: string;
  template?: Plan;
  file?: string;
  onCommune?: (done: number, total: number) => void;
}): Promise<ProvinceDemoCounts> {
  const size = opts.size ?? PROVINCE_DEMO_RESIDENTS;
  const chunk = opts.chunk ?? INSERT_CHUNK;
  const today = opts.today ?? todayInVietnam();
  const template = opts.template ?? currentPlan();
  const list = await readProvinceCommunes(opts.file);
  if (list.length === 0) throw new AppError("validation", { message: msg("error.validation") });
  return opts.db.transaction(async (tx) => {
    const existing = await listCommunes(tx);
    const filled = new Set(
      (await rowsOf<{ commune_id: number }>(tx, sql`select distinct commune_id from residents`)).map((r) =>
        Number(r.commune_id),
      ),
    );
    const byCode = new Map(existing.map((c) => [c.code, c]));
    const byName = new Map(existing.map((c) => [foldVietnamese(c.name), c]));
    const counts: ProvinceDemoCounts = {
      communes: list.length,
      created: 0,
      filled: 0,
      villages: 0,
      households: 0,
      residents: 0,
      certifications: 0,
    };
    const toFill: { id: number; code: string; serial: number }[] = [];
    const toAdd: { entry: ProvinceCommune; serial: number }[] = [];
    list.forEach((entry, i) => {
      const serial = i + 1;
      const known = byCode.get(entry.code);
      if (known) {
        if (!filled.has(known.id)) toFill.push({ id: known.id, code: known.code, serial });
      } else toAdd.push({ entry, serial });
    });
    // The installation's first commune, made from the configuration ("Xã Tân Ninh", code TANNINH),
    // takes its national code when the list names it.
    for (const add of [...toAdd]) {
      const same = byName.get(foldVietnamese(add.entry.fullName));
      if (!same || /^[0-9]{5}$/.test(same.code)) continue;
      await updateCommuneRow(tx, same.id, { code: add.entry.code });
      toAdd.splice(toAdd.indexOf(add), 1);
      byName.delete(foldVietnamese(add.entry.fullName));
      if (!filled.has(same.id)) toFill.push({ id: same.id, code: add.entry.code, serial: add.serial });
    }
    const ids = await insertUnnest(
      tx,
      "communes",
      [
        ["code", "text"],
        ["name", "text"],
        ["province", "text"],
        ["demo", "bool"],
      ],
      toAdd.map(({ entry }) => [entry.code, entry.fullName, PROVINCE_NAME, true]),
      opts.chunk ?? INSERT_CHUNK,
      true,
    );
    // Each commune its own plan from the template: plan files are ~10 KB of JSON, 20 a statement.
    await insertUnnest(
      tx,
      "plans",
      [
        ["commune_id", "int"],
        ["file_name", "text"],
        ["year", "int"],
        ["content", "jsonb"],
      ],
      toAdd.map(({ entry }, i) => {
        const plan = planFromTemplate(template, {
          code: entry.code,
          name: entry.fullName,
          province: PROVINCE_NAME,
        });
        return [ids[i], templatePlanFileName(entry.code, plan), plan.year, JSON.stringify(plan)];
      }),
      20,
      false,
    );
    toAdd.forEach(({ entry, serial }, i) => {
      toFill.push({ id: ids[i]!, code: entry.code, serial });
    });
    counts.created = toAdd.length;
    counts.filled = toFill.length;
    toFill.sort((a, b) => a.serial - b.serial);
    // In groups of communes, so that progress shows and no array grows past a few hundred thousand rows.
    const group = Math.max(1, Math.floor(200_000 / size));
    for (let i = 0; i < toFill.length; i += group) {
      const part = toFill.slice(i, i + group);
      const c = await fillCommunes(tx, part, { size, today, chunk });
      await markCommunesDemo(
        tx,
        part.map((f) => f.id),
      );
      counts.villages += c.villages;
      counts.households += c.households;
      counts.residents += c.residents;
      counts.certifications += c.certifications;
      opts.onCommune?.(Math.min(i + group, toFill.length), toFill.length);
    }
    await recordAudit(tx, opts.actor, {
      action: "demo.province",
      entity: "commune",
      after: { ...counts, size, source: "thanglequoc/vietnamese-provinces-database (MIT)" },
    });
    return counts;
  });
}
