/**
 * The movement's records for benchmarks, added set-based (`insert … select`, one statement per table
 * for all the given communes) on top of villages, units, households and residents already there:
 * a team per village (nine in ten villages) of 2–5 members drawn from its adults (so a few teams are
 * too small to count as active), ~300 visits, 40 activities (classes with three sessions each and
 * ~2,000 attendance rows, propaganda, digital learning days, launches, others) and 6 incidents per
 * commune, dated in the year before `today`. Works on PGlite and PostgreSQL.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";

export type MovementCounts = {
  teams: number;
  members: number;
  visits: number;
  activities: number;
  sessions: number;
  attendance: number;
  incidents: number;
};

async function count(db: Db, table: string, ids: number[]): Promise<number> {
  const r = (await db.execute(
    sql`select count(*)::int as n from ${sql.raw(table)} where commune_id = any(${sql.param(ids)}::integer[])`,
  )) as unknown as { rows: { n: number }[] };
  return r.rows[0]!.n;
}

export async function addMovement(
  db: Db,
  opts: { communeIds: number[]; today: string; visitsPerCommune?: number; rosterSize?: number },
): Promise<MovementCounts> {
  const ids = sql`${sql.param(opts.communeIds)}::integer[]`;
  const today = sql`${opts.today}::date`;
  const visits = opts.visitsPerCommune ?? 300;
  const roster = opts.rosterSize ?? 37;

  await db.execute(sql`
    insert into teams (commune_id, village_id)
    select v.commune_id, v.id from villages v
    where v.commune_id = any(${ids}) and (v.id * 7) % 10 <> 3`);

  // 2–5 adult members a team, the first its leader.
  await db.execute(sql`
    insert into team_members (commune_id, team_id, resident_id, full_name, name_search, role)
    select t.commune_id, t.id, p.id, p.full_name, p.name_search,
      case when p.k = 1 then 'leader' when p.k = 5 then 'youth_volunteer' else 'member' end
    from teams t cross join lateral (
      select r.id, r.full_name, r.name_search, row_number() over (order by r.id) as k
      from residents r
      where r.commune_id = t.commune_id and r.village_id = t.village_id and r.status = 'active'
        and r.birth_date between ${today} - interval '60 years' and ${today} - interval '18 years'
      order by r.id limit 2 + (t.id * 5) % 4
    ) p
    where t.commune_id = any(${ids})
    on conflict do nothing`);

  // Door-to-door visits by a member of the village's team, in the last 200 days.
  await db.execute(sql`
    insert into visits (commune_id, household_id, date, member_id, support)
    select h.commune_id, h.id, ${today} - ((h.id * 13) % 200), m.id,
      case h.id % 4 when 0 then array['vneid_install'] when 1 then array['vneid_level2','public_service_online']
        when 2 then array['bank_account','cashless_payment'] else array['security_advice'] end
    from (
      select h.*, row_number() over (partition by h.commune_id order by (h.id::bigint * 7919) % 100003) as k
      from households h where h.commune_id = any(${ids})
    ) h
    join teams t on t.village_id = h.village_id
    join lateral (select m.id from team_members m where m.team_id = t.id order by m.id limit 1) m on true
    where h.k <= ${visits}
    on conflict do nothing`);

  // 40 activities a commune, one a week back from today: 18 classes (every third for enterprise
  // workers), 12 propaganda, 4 digital learning days, 2 launches, 4 others; in villages in turn.
  await db.execute(sql`
    with v as (
      select id, commune_id, row_number() over (partition by commune_id order by code) - 1 as k
      from villages where commune_id = any(${ids})
    ), n as (select commune_id, count(*)::int as n from v group by commune_id),
    g as (
      select n.commune_id, n.n, g,
        case when g <= 18 then 'class' when g <= 30 then 'propaganda'
             when g <= 34 then 'digital_learning_day' when g <= 36 then 'launch' else 'other' end as type
      from n cross join generate_series(1, 40) g
    )
    insert into activities (commune_id, code, type, title, date, village_id, unit_id, audience, place)
    select g.commune_id, 'HD' || lpad(g.g::text, 3, '0'), g.type, 'Hoạt động ' || g.g,
      ${today} - g.g * 7,
      case when g.type = 'class' and g.g % 3 = 0 then null else v.id end,
      case when g.type = 'class' and g.g % 3 = 0 then
        (select u.id from units u where u.commune_id = g.commune_id and u.type = 'enterprise' order by u.id limit 1)
      end,
      case when g.type = 'class' and g.g % 3 = 0 then 'enterprise_worker' when g.type = 'class' then 'resident' end,
      'Nhà văn hóa'
    from g join v on v.commune_id = g.commune_id and v.k = g.g % g.n`);

  await db.execute(sql`
    insert into activity_sessions (commune_id, activity_id, date)
    select a.commune_id, a.id, a.date + s * 7
    from activities a cross join generate_series(0, 2) s
    where a.commune_id = any(${ids}) and a.type = 'class'`);

  // A roster a session: the village's residents (15+), or the commune's enterprise workers.
  await db.execute(sql`
    insert into attendance (commune_id, session_id, resident_id, present)
    select s.commune_id, s.id, p.id, (p.id + s.id) % 5 <> 0
    from activity_sessions s join activities a on a.id = s.activity_id
    cross join lateral (
      select r.id from residents r
      where r.commune_id = s.commune_id and r.status = 'active'
        and r.birth_date <= ${today} - interval '15 years'
        and (case when a.village_id is null then 'enterprise_worker' = any(r.groups)
                  else r.village_id = a.village_id end)
        and abs(hashint4(r.id * 131 + a.id)) % 4 = 0
      order by r.id limit ${roster}
    ) p
    where s.commune_id = any(${ids})
    on conflict do nothing`);

  await db.execute(sql`
    insert into incidents (commune_id, code, date, severity, kind, description)
    select c.id, 'SC' || g, ${today} - g * 45, case when g <= 2 then 'serious' else 'minor' end,
      'phishing', 'Lừa đảo qua điện thoại'
    from unnest(${ids}) as c(id) cross join generate_series(1, 6) g`);

  const tables = {
    teams: "teams",
    members: "team_members",
    visits: "visits",
    activities: "activities",
    sessions: "activity_sessions",
    attendance: "attendance",
    incidents: "incidents",
  } as const;
  const out = {} as MovementCounts;
  for (const [k, table] of Object.entries(tables)) {
    out[k as keyof MovementCounts] = await count(db, table, opts.communeIds);
  }
  return out;
}
