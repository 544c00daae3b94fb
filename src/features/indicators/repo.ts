import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Cut-off dates: born on or before `adult` is 18+ at D, on or before `age16` is 16+. */
export type Cuts = { date: string; adult: string; age16: string };

/** One line of the residents' figures: the whole commune, one village or one unit (grouping sets). */
export type ResidentFigures = {
  village_id: number | null;
  unit_id: number | null;
  /** grouping(village_id, unit_id): 1 = by village, 2 = by unit, 3 = the whole commune. */
  level: number;
  public_sector: number;
  public_sector_skilled: number;
  student: number;
  student_skilled: number;
  adult: number;
  adult_skilled: number;
  adult_confirmed: number;
  worker: number;
  worker_reached: number;
  age16: number;
  age16_vneid: number;
};

/**
 * The resident-based indicators (SPEC §3: 1, 2, 3, 4, 5, 9) in one pass over the commune's active
 * residents, grouped by village, by unit and in total. Certifications and attendance are looked up
 * per resident through their indexes; nothing is loaded into JavaScript but the sums.
 */
export function residentFigures(db: Db, communeId: number, cuts: Cuts): Promise<ResidentFigures[]> {
  return rows<ResidentFigures>(
    db,
    sql`
    with r as (
      select r.village_id, r.unit_id,
        'public_sector' = any(r.groups) as ps,
        'student' = any(r.groups) as st,
        'enterprise_worker' = any(r.groups) as wk,
        r.birth_date <= ${cuts.adult}::date as adult,
        r.birth_date <= ${cuts.age16}::date as age16,
        r.vneid_level >= 1 as has_vneid,
        exists (select 1 from certifications c
                 where c.resident_id = r.id and c.date <= ${cuts.date}::date) as skilled,
        exists (select 1 from certifications c
                 where c.resident_id = r.id and c.kind = 'vneid' and c.date <= ${cuts.date}::date) as confirmed,
        case when 'enterprise_worker' = any(r.groups) then exists (
          select 1 from attendance a join activity_sessions s on s.id = a.session_id
           where a.resident_id = r.id and a.present and s.date <= ${cuts.date}::date) else false end as attended
      from residents r
      where r.commune_id = ${communeId} and r.status = 'active'
    )
    select village_id, unit_id, grouping(village_id, unit_id) as level,
      count(*) filter (where ps)::int as public_sector,
      count(*) filter (where ps and skilled)::int as public_sector_skilled,
      count(*) filter (where st)::int as student,
      count(*) filter (where st and skilled)::int as student_skilled,
      count(*) filter (where adult)::int as adult,
      count(*) filter (where adult and skilled)::int as adult_skilled,
      count(*) filter (where adult and confirmed)::int as adult_confirmed,
      count(*) filter (where wk)::int as worker,
      count(*) filter (where wk and (skilled or attended))::int as worker_reached,
      count(*) filter (where age16)::int as age16,
      count(*) filter (where age16 and has_vneid)::int as age16_vneid
    from r
    group by grouping sets ((village_id), (unit_id), ())`,
  );
}

/** Households with an active member, and those where one of them has basic skills, by village (indicator 10). */
export function householdFigures(
  db: Db,
  communeId: number,
  date: string,
): Promise<{ village_id: number; households: number; digital: number }[]> {
  return rows(
    db,
    sql`
    with h as (
      select r.household_id, bool_or(exists (
          select 1 from certifications c where c.resident_id = r.id and c.date <= ${date}::date)) as digital
      from residents r
      where r.commune_id = ${communeId} and r.status = 'active'
      group by r.household_id
    )
    select hh.village_id, count(*)::int as households, count(*) filter (where h.digital)::int as digital
    from h join households hh on hh.id = h.household_id
    group by hh.village_id`,
  );
}

/**
 * Per village: a propaganda activity in the period window (indicator 6); the team's members and
 * whether it worked in the 90-day window (indicator 8): a visit to one of the village's households, a
 * class session in the village (a class without sessions by its own date) or a propaganda activity.
 */
export function villageFigures(
  db: Db,
  communeId: number,
  w: { periodStart: string; date: string; since: string },
): Promise<{ village_id: number; code: string; propaganda: boolean; members: number; worked: boolean }[]> {
  return rows(
    db,
    sql`
    select v.id as village_id, v.code,
      exists (select 1 from activities a where a.village_id = v.id and a.type = 'propaganda'
               and a.date between ${w.periodStart}::date and ${w.date}::date) as propaganda,
      (select count(*)::int from team_members m join teams t on t.id = m.team_id where t.village_id = v.id) as members,
      (exists (select 1 from visits vi join households h on h.id = vi.household_id
                where h.village_id = v.id and vi.date between ${w.since}::date and ${w.date}::date)
       or exists (select 1 from activities a where a.village_id = v.id and a.type = 'propaganda'
                   and a.date between ${w.since}::date and ${w.date}::date)
       or exists (select 1 from activities a where a.village_id = v.id and a.type = 'class' and (
                   exists (select 1 from activity_sessions s where s.activity_id = a.id
                            and s.date between ${w.since}::date and ${w.date}::date)
                   or (not exists (select 1 from activity_sessions s where s.activity_id = a.id)
                       and a.date between ${w.since}::date and ${w.date}::date)))) as worked
    from villages v
    where v.commune_id = ${communeId}
    order by v.code`,
  );
}

/** Digital learning days and serious incidents dated in the period window (indicators 7, 11). */
export async function periodCounts(
  db: Db,
  communeId: number,
  w: { periodStart: string; date: string },
): Promise<{ learning_days: number; serious_incidents: number }> {
  const [r] = await rows<{ learning_days: number; serious_incidents: number }>(
    db,
    sql`
    select
      (select count(*)::int from activities a where a.commune_id = ${communeId}
        and a.type = 'digital_learning_day' and a.date between ${w.periodStart}::date and ${w.date}::date) as learning_days,
      (select count(*)::int from incidents i where i.commune_id = ${communeId}
        and i.severity = 'serious' and i.date between ${w.periodStart}::date and ${w.date}::date) as serious_incidents`,
  );
  return r!;
}

/** Codes of a commune's villages and units by id. */
export async function codesOf(
  db: Db,
  communeId: number,
): Promise<{ villages: Map<number, string>; units: Map<number, string> }> {
  const list = await rows<{ kind: string; id: number; code: string }>(
    db,
    sql`select 'v' as kind, id, code from villages where commune_id = ${communeId}
        union all select 'u', id, code from units where commune_id = ${communeId}`,
  );
  const villages = new Map<number, string>();
  const units = new Map<number, string>();
  for (const r of list) (r.kind === "v" ? villages : units).set(r.id, r.code);
  return { villages, units };
}
