import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * The communes a statement covers: one (a commune's own figures) or several (a province's, in one
 * pass, grouped by commune).
 */
export type Communes = number | readonly number[];

/** `column` is one of the communes. */
function inCommunes(column: string, communes: Communes): SQL {
  const col = sql.raw(column);
  return typeof communes === "number"
    ? sql`${col} = ${communes}`
    : sql`${col} = any(${sql.param([...communes])}::integer[])`;
}

/** Cut-off dates: born on or before `adult` is 18+ at D, on or before `age16` is 16+. */
export type Cuts = { date: string; adult: string; age16: string };

/**
 * One line of the residents' figures: by village, by unit, the whole commune (grouping sets), or a
 * village's households (level 4: `households` with an active member, `digital` among them).
 */
export type ResidentFigures = FiguresLine & ResidentCounts;

/** Where a line of figures counts: by village, by unit, the whole commune, a village's households. */
export type FiguresLine = {
  commune_id: number;
  village_id: number | null;
  unit_id: number | null;
  /** 1 = by village, 2 = by unit, 3 = the whole commune, 4 = households by village (all per commune). */
  level: number;
};

/** The line's key, to join `workerFigures` to `residentFigures`. */
export const lineKey = (l: FiguresLine) => `${l.commune_id}|${l.level}|${l.village_id}|${l.unit_id}`;

/** The residents' and households' counts the ratio indicators divide, on a line of figures or a trend point. */
export type ResidentCounts = {
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
  households: number;
  digital: number;
};

/**
 * The resident- and household-based indicators (SPEC §3: 1, 2, 3, 4, 5, 9, 10) in one statement:
 * each active resident's flags at D (`r`, from `resident_facts`, which triggers keep) summed by
 * commune, village and unit — a single-table aggregate PostgreSQL runs in parallel — then rolled up
 * by village, by unit and in total (grouping sets over those few sums); and the households with an
 * active member, and those with one who has basic skills at D, by village (from `household_facts`,
 * which triggers keep too). Nothing but the sums reaches JavaScript. The workers reached (indicator
 * 5's numerator) are `workerFigures`': they read the workers' first session attended, a family of
 * its own (`attended`), so a tick of attendance does not recompute these.
 */
export function residentFigures(
  db: Db,
  communes: Communes,
  cuts: Cuts,
): Promise<Omit<ResidentFigures, "worker_reached">[]> {
  return rows<Omit<ResidentFigures, "worker_reached">>(
    db,
    sql`
    ${residentFlags(communes, cuts)}, g as (
      select commune_id, village_id, unit_id,
        count(*) filter (where ps) as public_sector,
        count(*) filter (where ps and skilled) as public_sector_skilled,
        count(*) filter (where st) as student,
        count(*) filter (where st and skilled) as student_skilled,
        count(*) filter (where adult) as adult,
        count(*) filter (where adult and skilled) as adult_skilled,
        count(*) filter (where adult and confirmed) as adult_confirmed,
        count(*) filter (where wk) as worker,
        count(*) filter (where age16) as age16,
        count(*) filter (where age16 and has_vneid) as age16_vneid
      from r
      group by commune_id, village_id, unit_id
    )
    select commune_id, village_id, unit_id, grouping(village_id, unit_id) as level,
      sum(public_sector)::int as public_sector, sum(public_sector_skilled)::int as public_sector_skilled,
      sum(student)::int as student, sum(student_skilled)::int as student_skilled,
      sum(adult)::int as adult, sum(adult_skilled)::int as adult_skilled,
      sum(adult_confirmed)::int as adult_confirmed, sum(worker)::int as worker,
      sum(age16)::int as age16, sum(age16_vneid)::int as age16_vneid,
      0 as households, 0 as digital
    from g
    group by grouping sets ((commune_id, village_id), (commune_id, unit_id), (commune_id))
    union all
    select commune_id, village_id, null, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      count(*)::int, count(*) filter (where first_digital <= ${cuts.date}::date)::int
    from household_facts
    where ${inCommunes("commune_id", communes)} and active_members > 0
    group by commune_id, village_id`,
  );
}

/**
 * Indicator 5's numerator: the enterprise workers with basic skills or a training session attended
 * by D, on the lines of `residentFigures` (the lines without a worker are left out: none reached).
 */
export function workerFigures(
  db: Db,
  communes: Communes,
  cuts: Cuts,
): Promise<(FiguresLine & { worker_reached: number })[]> {
  return rows(
    db,
    sql`
    ${residentFlags(communes, cuts)}
    select commune_id, village_id, unit_id, grouping(village_id, unit_id) as level,
      count(*) filter (where reached)::int as worker_reached
    from r
    where wk
    group by grouping sets ((commune_id, village_id), (commune_id, unit_id), (commune_id))`,
  );
}

/**
 * Each active resident of the communes with the dates that decide their standing at any D: the first
 * certification (basic skills), the first `vneid` one (VNeID-confirmed) and, for enterprise workers,
 * the first training session attended — all kept in `resident_facts` by triggers. The CTE `rb`;
 * `residentFlags` and the trend read it.
 */
function residentBase(communes: Communes): SQL {
  return sql`
    rb as (
      select f.resident_id as id, f.commune_id, f.village_id, f.unit_id, f.household_id, f.birth_date,
        f.public_sector as ps, f.student as st, f.worker as wk, f.has_vneid,
        f.first_skill, f.first_vneid, case when f.worker then f.first_attended end as first_att
      from resident_facts f
      where ${inCommunes("f.commune_id", communes)} and f.active
    )`;
}

/**
 * The one definition of each active resident's standing at D (SPEC §3), as the CTE `r`: the
 * figures sum it, the drill-down lists filter it, so the two cannot disagree.
 */
function residentFlags(communes: Communes, cuts: Cuts): SQL {
  return sql`
    with ${residentBase(communes)}, r as (
      select rb.id, rb.commune_id, rb.village_id, rb.unit_id, rb.household_id, rb.ps, rb.st, rb.wk,
        rb.birth_date <= ${cuts.adult}::date as adult,
        rb.birth_date <= ${cuts.age16}::date as age16,
        rb.has_vneid,
        coalesce(rb.first_skill <= ${cuts.date}::date, false) as skilled,
        coalesce(rb.first_vneid <= ${cuts.date}::date, false) as confirmed,
        coalesce(rb.first_skill <= ${cuts.date}::date or rb.first_att <= ${cuts.date}::date, false) as reached
      from rb
    )`;
}

/** `unnest($1::date[], $2::date[], …)`: the named civil dates of each item as the columns of one row each. */
function unnestDates<T>(items: readonly T[], ...keys: (keyof T)[]): SQL {
  const columns = keys.map((k) => sql`${sql.param(items.map((item) => item[k]))}::date[]`);
  return sql`unnest(${sql.join(columns, sql`, `)})`;
}

/**
 * The resident and household ratio figures of the commune at several dates at once (SPEC §3.2
 * trend); the workers reached are `workerTrend`'s (they read the `attended` family).
 */
export function residentTrend(
  db: Db,
  communeId: number,
  points: Cuts[],
): Promise<({ d: string } & Omit<ResidentCounts, "worker_reached">)[]> {
  return rows(
    db,
    sql`
    with ${residentBase(communeId)},
    m as (select * from ${unnestDates(points, "date", "adult", "age16")} as m(d, adult, age16)),
    h as (select first_digital from household_facts where commune_id = ${communeId} and active_members > 0)
    select to_char(m.d, 'YYYY-MM-DD') as d,
      count(*) filter (where rb.ps)::int as public_sector,
      count(*) filter (where rb.ps and rb.first_skill <= m.d)::int as public_sector_skilled,
      count(*) filter (where rb.st)::int as student,
      count(*) filter (where rb.st and rb.first_skill <= m.d)::int as student_skilled,
      count(*) filter (where rb.birth_date <= m.adult)::int as adult,
      count(*) filter (where rb.birth_date <= m.adult and rb.first_skill <= m.d)::int as adult_skilled,
      count(*) filter (where rb.birth_date <= m.adult and rb.first_vneid <= m.d)::int as adult_confirmed,
      count(*) filter (where rb.wk)::int as worker,
      count(*) filter (where rb.birth_date <= m.age16)::int as age16,
      count(*) filter (where rb.birth_date <= m.age16 and rb.has_vneid)::int as age16_vneid,
      (select count(*)::int from h) as households,
      (select count(*)::int from h where h.first_digital <= m.d) as digital
    from m cross join rb
    group by m.d
    order by m.d`,
  );
}

/** Indicator 5's numerator at several dates at once (the dates without a worker are left out). */
export function workerTrend(
  db: Db,
  communeId: number,
  points: Cuts[],
): Promise<{ d: string; worker_reached: number }[]> {
  return rows(
    db,
    sql`
    with ${residentBase(communeId)},
    m as (select * from ${unnestDates(points, "date")} as m(d))
    select to_char(m.d, 'YYYY-MM-DD') as d,
      count(*) filter (where rb.first_skill <= m.d or rb.first_att <= m.d)::int as worker_reached
    from m cross join rb
    where rb.wk
    group by m.d
    order by m.d`,
  );
}

/** Which flags of `r` make the denominator and the numerator of each resident indicator. */
export const RESIDENT_RULES = {
  public_sector_skills: { among: "ps", has: "skilled" },
  student_skills: { among: "st", has: "skilled" },
  adult_skills: { among: "adult", has: "skilled" },
  adult_vneid_confirmed: { among: "adult", has: "confirmed" },
  worker_access: { among: "wk", has: "reached" },
  vneid_16plus: { among: "age16", has: "has_vneid" },
} as const;
export type ResidentIndicator = keyof typeof RESIDENT_RULES;

export type DrillCuts = Cuts & { elderly: string };

/**
 * The residents behind a resident indicator, all of them in the drill's order: those counted in its
 * numerator, or those of its denominator who are missing — the elderly (60+ at D), the disabled and
 * members of poor households first, then by household and Vietnamese name order. `where` narrows to
 * the viewer's scope and the asked village or unit (on `residents` as `p`). One string of ids, so
 * that tens of thousands cost one row to read; a page is a slice of it (drill.ts keeps the order by
 * version, so the pages of one list share one computation).
 */
export async function residentDrillOrder(
  db: Db,
  opts: {
    communeId: number;
    cuts: DrillCuts;
    code: ResidentIndicator;
    counted: boolean;
    where: SQL;
  },
): Promise<number[]> {
  const rule = RESIDENT_RULES[opts.code];
  const among = sql.raw(`r.${rule.among}`);
  const has = sql.raw(`r.${rule.has}`);
  const [row] = await rows<{ ids: string | null }>(
    db,
    sql`
    ${residentFlags(opts.communeId, opts.cuts)}
    select string_agg(p.id::text, ',' order by
      ((p.birth_date <= ${opts.cuts.elderly}::date)::int + p.disabled::int + h.poor::int) desc,
      h.code, p.name_sort, p.id) as ids
    from r join residents p on p.id = r.id join households h on h.id = p.household_id
    where ${among} and ${has} = ${opts.counted} and ${opts.where}`,
  );
  return row?.ids ? row.ids.split(",").map(Number) : [];
}

export type HouseholdDrillRow = {
  id: number;
  code: string;
  headName: string | null;
  address: string | null;
  poor: boolean;
  villageCode: string;
  villageName: string;
  members: number;
  elderly: number;
  disabled: number;
  skilled: number;
};

/**
 * One page of the households behind indicator 10: those with an active member, digital (a member
 * with basic skills at D) or not; for the missing, poor households and those with elderly or
 * disabled members first. `where` narrows on `households` as `h`.
 */
export async function householdDrill(
  db: Db,
  opts: { communeId: number; cuts: DrillCuts; counted: boolean; where: SQL; limit: number; offset: number },
): Promise<{ items: HouseholdDrillRow[]; total: number }> {
  const elderly = sql`p.birth_date <= ${opts.cuts.elderly}::date`;
  const list = await rows<HouseholdDrillRow & { total: number }>(
    db,
    sql`
    ${residentFlags(opts.communeId, opts.cuts)}
    select h.id, h.code, h.head_name as "headName", h.address, h.poor,
      v.code as "villageCode", v.name as "villageName",
      count(*)::int as members,
      count(*) filter (where ${elderly})::int as elderly,
      count(*) filter (where p.disabled)::int as disabled,
      count(*) filter (where r.skilled)::int as skilled,
      count(*) over ()::int as total
    from r join residents p on p.id = r.id
      join households h on h.id = r.household_id join villages v on v.id = h.village_id
    where ${opts.where}
    group by h.id, v.id
    having bool_or(r.skilled) = ${opts.counted}
    order by (h.poor::int + (count(*) filter (where ${elderly}) > 0)::int
      + (count(*) filter (where p.disabled) > 0)::int) desc, v.code, h.code
    limit ${opts.limit} offset ${opts.offset}`,
  );
  return { items: list.map(({ total: _t, ...h }) => h), total: list[0]?.total ?? 0 };
}

export type VillageWindow = { periodStart: string; date: string; since: string };

/**
 * Per village: a propaganda activity in the period window (indicator 6); the team's members and
 * whether it worked in the 90-day window (indicator 8): a visit to one of the village's households, a
 * class session in the village (a class without sessions by its own date) or a propaganda activity.
 */
export async function villageFigures(
  db: Db,
  communes: Communes,
  w: VillageWindow,
): Promise<Omit<VillageAt, "d">[]> {
  return (await villageFiguresAt(db, communes, [w])).map(({ d: _d, ...v }) => v);
}

/** A village's row at one window: `d` its date. */
export type VillageAt = {
  d: string;
  commune_id: number;
  village_id: number;
  code: string;
  propaganda: boolean;
  members: number;
  worked: boolean;
};

/** `villageFigures` at several windows at once (the trend's month ends): one row per window and village, `d` its date. */
export async function villageFiguresAt(
  db: Db,
  communes: Communes,
  windows: readonly VillageWindow[],
): Promise<VillageAt[]> {
  const [work, visited] = await Promise.all([
    villageWorkAt(db, communes, windows),
    villageVisitDays(db, communes, visitSpan(windows)),
  ]);
  return withVisits(work, visited, windows);
}

/**
 * `villageFiguresAt` but for the visits: `worked` says only whether the team held a class session
 * or a propaganda activity in the 90-day window. `withVisits` adds the visits (`villageVisitDays`):
 * apart, a visit recomputes only the small visits statement, not this one (a month end's row per
 * village, with its subqueries).
 */
export function villageWorkAt(
  db: Db,
  communes: Communes,
  windows: readonly VillageWindow[],
): Promise<VillageAt[]> {
  return rows(
    db,
    sql`
    with m as (select * from ${unnestDates(windows, "periodStart", "date", "since")} as m(start, d, since))
    select to_char(m.d, 'YYYY-MM-DD') as d, v.commune_id, v.id as village_id, v.code,
      exists (select 1 from activities a where a.village_id = v.id and a.type = 'propaganda'
               and a.date between m.start and m.d) as propaganda,
      (select count(*)::int from team_members tm join teams t on t.id = tm.team_id where t.village_id = v.id) as members,
      (exists (select 1 from activities a where a.village_id = v.id and a.type = 'propaganda'
                   and a.date between m.since and m.d)
       or exists (select 1 from activities a where a.village_id = v.id and a.type = 'class' and (
                   exists (select 1 from activity_sessions s where s.activity_id = a.id
                            and s.date between m.since and m.d)
                   or (not exists (select 1 from activity_sessions s where s.activity_id = a.id)
                       and a.date between m.since and m.d)))) as worked
    from villages v cross join m
    where ${inCommunes("v.commune_id", communes)}
    order by m.d, v.commune_id, v.code`,
  );
}

/** The span of days whose visits the windows read: from the earliest `since` to the latest date. */
export function visitSpan(windows: readonly VillageWindow[]): { from: string; to: string } {
  const since = windows.map((w) => w.since).sort();
  const dates = windows.map((w) => w.date).sort();
  return { from: since[0] ?? "9999-12-31", to: dates.at(-1) ?? "0001-01-01" };
}

/** The days from `from` to `to` on which a household of the village was visited, per village (ascending). */
export function villageVisitDays(
  db: Db,
  communes: Communes,
  span: { from: string; to: string },
): Promise<{ village_id: number; d: string }[]> {
  return rows(
    db,
    sql`
    select distinct h.village_id, to_char(vi.date, 'YYYY-MM-DD') as d
    from visits vi join households h on h.id = vi.household_id
    where ${inCommunes("vi.commune_id", communes)} and vi.date between ${span.from}::date and ${span.to}::date
    order by h.village_id, d`,
  );
}

/** `villageWorkAt`'s rows with the visits added: a visit in the 90-day window is work too (indicator 8). */
export function withVisits(
  work: readonly VillageAt[],
  visited: readonly { village_id: number; d: string }[],
  windows: readonly VillageWindow[],
): VillageAt[] {
  const days = new Map<number, string[]>();
  for (const v of visited) {
    const list = days.get(v.village_id);
    if (list) list.push(v.d);
    else days.set(v.village_id, [v.d]);
  }
  const sinceOf = new Map(windows.map((w) => [w.date, w.since]));
  return work.map((r) => {
    if (r.worked) return r;
    const since = sinceOf.get(r.d)!;
    const list = days.get(r.village_id);
    return list?.some((d) => d >= since && d <= r.d) ? { ...r, worked: true } : r;
  });
}

/** Digital learning days and serious incidents dated in the period window (indicators 7, 11), by commune. */
export function periodCounts(
  db: Db,
  communes: Communes,
  w: { periodStart: string; date: string },
): Promise<{ commune_id: number; learning_days: number; serious_incidents: number }[]> {
  const ids = typeof communes === "number" ? [communes] : [...communes];
  return rows(
    db,
    sql`
    select c.id as commune_id,
      (select count(*)::int from activities a where a.commune_id = c.id
        and a.type = 'digital_learning_day' and a.date between ${w.periodStart}::date and ${w.date}::date) as learning_days,
      (select count(*)::int from incidents i where i.commune_id = c.id
        and i.severity = 'serious' and i.date between ${w.periodStart}::date and ${w.date}::date) as serious_incidents
    from unnest(${sql.param(ids)}::integer[]) as c(id)`,
  );
}

export type Codes = { villages: Map<number, string>; units: Map<number, string> };

/** Codes of each commune's villages and units by id. */
export async function codesByCommune(db: Db, communes: Communes): Promise<Map<number, Codes>> {
  const list = await rows<{ kind: string; commune_id: number; id: number; code: string }>(
    db,
    sql`select 'v' as kind, commune_id, id, code from villages where ${inCommunes("commune_id", communes)}
        union all select 'u', commune_id, id, code from units where ${inCommunes("commune_id", communes)}`,
  );
  const out = new Map<number, Codes>();
  for (const id of typeof communes === "number" ? [communes] : communes) {
    out.set(id, { villages: new Map(), units: new Map() });
  }
  for (const r of list) {
    const codes = out.get(r.commune_id)!;
    (r.kind === "v" ? codes.villages : codes.units).set(r.id, r.code);
  }
  return out;
}

/** Codes of a commune's villages and units by id. */
export async function codesOf(db: Db, communeId: number): Promise<Codes> {
  return (await codesByCommune(db, communeId)).get(communeId)!;
}

/**
 * Why each village stands where it does on indicators 6 and 8 (the dashboard's drill-down): its
 * propaganda activities in the period window, its team's size, and the last visit, class session
 * (a class without sessions by its own date) and propaganda activity of the 90-day window. The
 * yes/no itself comes from `villageFigures`; these are its reasons, on the same rules.
 */
export function villageReasons(
  db: Db,
  communeId: number,
  w: { periodStart: string; date: string; since: string },
): Promise<
  {
    village_id: number;
    code: string;
    name: string;
    propaganda: number;
    members: number;
    last_visit: string | null;
    last_class: string | null;
    last_propaganda: string | null;
  }[]
> {
  const within = (col: SQL) => sql`${col} between ${w.since}::date and ${w.date}::date`;
  return rows(
    db,
    sql`
    select v.id as village_id, v.code, v.name,
      (select count(*)::int from activities a where a.village_id = v.id and a.type = 'propaganda'
         and a.date between ${w.periodStart}::date and ${w.date}::date) as propaganda,
      (select count(*)::int from team_members m join teams t on t.id = m.team_id where t.village_id = v.id) as members,
      (select to_char(max(vi.date), 'YYYY-MM-DD') from visits vi join households h on h.id = vi.household_id
         where h.village_id = v.id and ${within(sql`vi.date`)}) as last_visit,
      (select to_char(max(x.d), 'YYYY-MM-DD') from (
         select s.date as d from activities a join activity_sessions s on s.activity_id = a.id
           where a.village_id = v.id and a.type = 'class' and ${within(sql`s.date`)}
         union all
         select a.date from activities a where a.village_id = v.id and a.type = 'class' and ${within(sql`a.date`)}
           and not exists (select 1 from activity_sessions s where s.activity_id = a.id)) x) as last_class,
      (select to_char(max(a.date), 'YYYY-MM-DD') from activities a where a.village_id = v.id
         and a.type = 'propaganda' and ${within(sql`a.date`)}) as last_propaganda
    from villages v
    where v.commune_id = ${communeId}
    order by v.name_sort, v.code`,
  );
}

export type ActivityListRow = {
  id: number;
  code: string;
  title: string;
  date: string;
  villageCode: string | null;
  villageName: string | null;
  unitName: string | null;
  place: string | null;
};

/** The activities of a type dated in a window (indicators 6 and 7's drill-down), newest first. */
export function activitiesInWindow(
  db: Db,
  communeId: number,
  w: { type: "propaganda" | "digital_learning_day"; from: string; to: string },
): Promise<ActivityListRow[]> {
  return rows(
    db,
    sql`
    select a.id, a.code, a.title, to_char(a.date, 'YYYY-MM-DD') as date,
      v.code as "villageCode", v.name as "villageName", u.name as "unitName", a.place
    from activities a left join villages v on v.id = a.village_id left join units u on u.id = a.unit_id
    where a.commune_id = ${communeId} and a.type = ${w.type}
      and a.date between ${w.from}::date and ${w.to}::date
    order by a.date desc, a.code
    limit 500`,
  );
}

export type IncidentListRow = {
  id: number;
  code: string;
  date: string;
  kind: string | null;
  description: string;
  unitName: string | null;
  resolvedDate: string | null;
};

/** The serious incidents dated in a window (indicator 11's drill-down), newest first. */
export function seriousIncidentsInWindow(
  db: Db,
  communeId: number,
  w: { from: string; to: string },
): Promise<IncidentListRow[]> {
  return rows(
    db,
    sql`
    select i.id, i.code, to_char(i.date, 'YYYY-MM-DD') as date, i.kind, i.description,
      u.name as "unitName", to_char(i.resolved_date, 'YYYY-MM-DD') as "resolvedDate"
    from incidents i left join units u on u.id = i.unit_id
    where i.commune_id = ${communeId} and i.severity = 'serious'
      and i.date between ${w.from}::date and ${w.to}::date
    order by i.date desc, i.code
    limit 500`,
  );
}

/** A village's community digital technology team: its leaders' names and its size (the visit list's header). */
export async function teamOfVillage(
  db: Db,
  villageId: number,
): Promise<{ members: number; leaders: string[] }> {
  const list = await rows<{ full_name: string; role: string }>(
    db,
    sql`select m.full_name, m.role from team_members m join teams t on t.id = m.team_id
        where t.village_id = ${villageId} order by m.role, m.name_sort, m.id`,
  );
  return { members: list.length, leaders: list.filter((m) => m.role === "leader").map((m) => m.full_name) };
}

/** Which of these household codes of a commune are poor or near-poor (to flag them in visit lists). */
export async function poorHouseholdCodes(db: Db, communeId: number, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const list = await rows<{ code: string }>(
    db,
    sql`select code from households where commune_id = ${communeId} and poor
        and code = any(${sql.param([...new Set(codes)])}::text[])`,
  );
  return new Set(list.map((r) => r.code));
}

/** A commune's units: id, code and name (the drill-down's unit filter). */
export function unitsOfCommune(
  db: Db,
  communeId: number,
): Promise<{ id: number; code: string; name: string }[]> {
  return rows(
    db,
    sql`select id, code, name from units where commune_id = ${communeId} order by name_sort, code`,
  );
}

/**
 * Indicator 12: for each commune and period, the first day a report of that period was submitted
 * (any version, a returned one included; drafts and ad hoc reports do not count), among submissions
 * made on or before D.
 */
export function reportSubmissions(
  db: Db,
  communes: Communes,
  date: string,
): Promise<{ commune_id: number; period: string; first_submitted: string }[]> {
  return rows(
    db,
    sql`
    select commune_id, period, to_char(min(submitted_on), 'YYYY-MM-DD') as first_submitted
    from reports
    where ${inCommunes("commune_id", communes)} and status <> 'draft' and adhoc_no = 0
      and submitted_on <= ${date}::date
    group by commune_id, period`,
  );
}
