/**
 * A synthetic province for benchmarks, generated set-based in the database (`insert … select …
 * from generate_series`, a statement per table and batch of communes, nothing row by row): communes
 * of varied size (0.6–1.4 × the mean), 8–16 villages each, five units, households of 2–6 residents
 * (4 on average) with a shared family name, residents with ages, groups (students 6–18 in a school,
 * a few officials, ~15% of working-age adults in an enterprise), VNeID levels, ~2% moved and ~1%
 * deceased, citizen IDs for nine in ten of those 14+ (unique: the household id and the member), and
 * certifications for ~55% of residents (basic from 15, VNeID for four in five of level 2) dated
 * 2025–2026. Then the movement's records (./movement.ts). In one transaction, with foreign-key
 * triggers off (`session_replication_role = replica`: needs a superuser) — the triggers that keep the
 * indicator facts too, so they are built at the end by `rebuild_indicator_facts()`, the migration's
 * backfill. Meant for PostgreSQL.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import { foldVietnamese } from "../../src/lib/text.ts";
import { addMovement, type MovementCounts } from "./movement.ts";

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Đức", "Thu", "Minh", "Kim", "Quang", "Hồng"];
const GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Thảo"];

const text = (xs: string[]) => sql`${sql.param(xs)}::text[]`;

async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows[0]!;
}

export type ProvinceCounts = {
  communes: number;
  villages: number;
  units: number;
  households: number;
  residents: number;
  certifications: number;
} & MovementCounts;

export async function generateProvince(
  db: Db,
  opts: {
    communes: number;
    residents: number;
    today: string;
    batch?: number;
    onStep?: (step: string, seconds: number) => void;
  },
): Promise<{ communeIds: number[]; counts: ProvinceCounts }> {
  // One transaction, foreign keys unchecked (the rows are valid by construction): a bulk load.
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    return fill(tx as unknown as Db, opts);
  });
}

async function fill(
  db: Db,
  opts: Parameters<typeof generateProvince>[1],
): Promise<{ communeIds: number[]; counts: ProvinceCounts }> {
  const today = sql`${opts.today}::date`;
  let t0 = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    opts.onStep?.(name, (now - t0) / 1000);
    t0 = now;
  };
  const meanHouseholds = opts.residents / opts.communes / 4;

  const created = (await db.execute(sql`
    insert into communes (code, name, province)
    select 'BX' || lpad(g::text, 3, '0'), 'Xã Thử ' || g, 'Tỉnh Thử'
    from generate_series(1, ${opts.communes}::int) g
    returning id`)) as unknown as { rows: { id: number }[] };
  const communeIds = created.rows.map((r) => r.id).sort((a, b) => a - b);
  const ids = sql`${sql.param(communeIds)}::integer[]`;
  // k: the commune's rank; nv: its villages (8–16); nh: its households (0.6–1.4 × the mean).
  const ranked = sql`(select id, k, 8 + k % 9 as nv,
      round(${meanHouseholds}::float8 * (0.6 + 0.8 * ((k * 37) % 101) / 100.0))::int as nh
    from (select id, (row_number() over (order by id) - 1)::int as k from communes where id = any(${ids})) c0)`;

  await db.execute(sql`
    insert into villages (commune_id, code, name)
    select c.id, 'T' || lpad(g::text, 2, '0'), 'Thôn ' || g
    from ${ranked} c cross join lateral generate_series(1, c.nv) g`);
  await db.execute(sql`
    insert into units (commune_id, code, name, type)
    select c.id, u.code, u.name, u.type
    from unnest(${ids}) as c(id) cross join (values
      ('UBND', 'Ủy ban nhân dân xã', 'office'), ('TH', 'Trường Tiểu học', 'school'),
      ('THCS', 'Trường Trung học cơ sở', 'school'), ('DN01', 'Công ty May', 'enterprise'),
      ('HTX', 'Hợp tác xã Nông nghiệp', 'cooperative')) as u(code, name, type)`);
  step("communes, villages, units");

  await db.execute(sql`
    with v as (
      select id, commune_id, code, (row_number() over (partition by commune_id order by code) - 1)::int as k
      from villages where commune_id = any(${ids})
    )
    insert into households (commune_id, village_id, code, address, poor)
    select c.id, v.id, v.code || '-' || lpad(g::text, 5, '0'), 'Xóm ' || (g % 9 + 1), random() < 0.06
    from ${ranked} c cross join lateral generate_series(1, c.nh) g
    join v on v.commune_id = c.id and v.k = g % c.nv`);
  step("households");

  const fam = text(FAMILY);
  const famF = text(FAMILY.map(foldVietnamese));
  const mid = text(MIDDLE);
  const midF = text(MIDDLE.map(foldVietnamese));
  const giv = text(GIVEN);
  const givF = text(GIVEN.map(foldVietnamese));
  const batch = opts.batch ?? 20;
  for (let i = 0; i < communeIds.length; i += batch) {
    const part = sql`${sql.param(communeIds.slice(i, i + batch))}::integer[]`;
    await db.execute(sql`
      with u as (
        select commune_id, max(id) filter (where code = 'UBND') as office,
          max(id) filter (where code = 'TH') as primary_school, max(id) filter (where code = 'THCS') as school,
          max(id) filter (where code = 'DN01') as firm
        from units where commune_id = any(${part}) group by commune_id
      ), x as (
        select h.commune_id, h.village_id, h.id as household_id, m,
          1 + h.id % ${FAMILY.length} as f,
          1 + floor(random() * ${MIDDLE.length})::int as mi, 1 + floor(random() * ${GIVEN.length})::int as gi,
          case when m <= 2 then 20 + floor(random() * 60)::int else floor(random() * 90)::int end as age,
          floor(random() * 365)::int as day, random() < 0.5 as male,
          random() as r_id, random() as r_group, random() as r_status, random() as r_vneid, random() < 0.02 as disabled
        from households h cross join lateral generate_series(1, 2 + (h.id * 7) % 5) m
        where h.commune_id = any(${part})
        offset 0
      )
      insert into residents (commune_id, village_id, household_id, full_name, name_search, birth_date,
        gender, citizen_id, status, groups, unit_id, disabled, vneid_level)
      select x.commune_id, x.village_id, x.household_id,
        (${fam})[x.f] || ' ' || (${mid})[x.mi] || ' ' || (${giv})[x.gi],
        (${famF})[x.f] || ' ' || (${midF})[x.mi] || ' ' || (${givF})[x.gi],
        ${today} - (x.age * 365.25)::int - x.day,
        case when x.male then 'male' else 'female' end,
        case when x.age >= 14 and x.r_id > 0.1 then lpad((x.household_id::bigint * 10 + x.m)::text, 12, '0') end,
        case when x.r_status < 0.02 then 'moved' when x.r_status < 0.03 then 'deceased' else 'active' end,
        case when x.age between 6 and 18 then array['student']
             when x.age between 25 and 59 and x.r_group < 0.03 then array['public_sector']
             when x.age between 22 and 59 and x.r_group < 0.18 then array['enterprise_worker']
             else '{}'::text[] end,
        case when x.age between 6 and 10 then u.primary_school when x.age between 11 and 18 then u.school
             when x.age between 25 and 59 and x.r_group < 0.03 then u.office
             when x.age between 22 and 59 and x.r_group < 0.18 then u.firm end,
        x.disabled,
        case when x.age < 14 or x.r_vneid < 0.25 then 0 when x.r_vneid < 0.5 then 1 else 2 end
      from x join u on u.commune_id = x.commune_id`);
    await db.execute(sql`
      insert into certifications (commune_id, resident_id, kind, date, source)
      select r.commune_id, r.id, 'basic', date '2025-01-01' + floor(random() * 730)::int,
        (array['platform','course','school'])[1 + r.id % 3]
      from residents r
      where r.commune_id = any(${part}) and r.birth_date <= ${today} - interval '15 years' and random() < 0.68
      union all
      select r.commune_id, r.id, 'vneid', date '2025-01-01' + floor(random() * 730)::int, 'vneid'
      from residents r where r.commune_id = any(${part}) and r.vneid_level = 2 and random() < 0.8`);
    opts.onStep?.(
      `  residents and certifications, communes ${i + 1}–${Math.min(i + batch, communeIds.length)}`,
      0,
    );
  }
  step("residents and certifications");

  const movement = await addMovement(db, { communeIds, today: opts.today });
  step("teams, visits, activities, sessions, attendance, incidents");

  // Triggers are off in this bulk load, the indicator facts' too: built once, as the migration does.
  await db.execute(sql`select rebuild_indicator_facts()`);
  step("indicator facts (rebuild_indicator_facts)");

  const sizes = await one<Omit<ProvinceCounts, keyof MovementCounts>>(
    db,
    sql`select
      (select count(*)::int from communes where id = any(${ids})) as communes,
      (select count(*)::int from villages where commune_id = any(${ids})) as villages,
      (select count(*)::int from units where commune_id = any(${ids})) as units,
      (select count(*)::int from households where commune_id = any(${ids})) as households,
      (select count(*)::int from residents where commune_id = any(${ids})) as residents,
      (select count(*)::int from certifications where commune_id = any(${ids})) as certifications`,
  );
  return { communeIds, counts: { ...sizes, ...movement } };
}
