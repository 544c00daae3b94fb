import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import { type Database, openDatabase } from "../src/db/client.ts";
import {
  activities,
  activitySessions,
  attendance,
  households,
  residents,
  teamMembers,
  teams,
  users,
  userVillages,
  villages,
  visits,
} from "../src/db/schema.ts";
import { cliActor } from "../src/features/audit/service.ts";
import { hashPassword } from "../src/features/auth/password.ts";
import { login } from "../src/features/auth/service.ts";
import { ensureDefaultCommune } from "../src/features/communes/service.ts";
import { createDemoCommune } from "../src/features/demo/service.ts";
import { addDays } from "../src/features/indicators/period.ts";
import { todayInVietnam } from "../src/lib/clock.ts";
import { admin, freshDatabase } from "./lib/postgres.ts";
import {
  percentile,
  processFigures,
  startServerProcess,
  stopServerProcess,
  visitPost,
} from "./lib/server.ts";

const TARGET = { p95: 300, dashboardP95: 150, rssMb: 600, postgresP95: 200 };
const PASSWORD = "bench-load-password-1";
const COMMUNE = { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

type Session = { cookie: string; csrf: string; role: string; villageIds: number[] };

type Targets = {
  villageIds: number[];
  residentIds: number[];
  words: string[];
  /**
   * Visits one can save, each at most once (the same household, member and day is rightly refused):
   * distinct (household, member, days ago) in a shuffled order, none already on record.
   */
  visits: { villageId: number; household: string; member: string; daysAgo: number }[];
  /** Attendance rows one can tick: activity, session, resident, village (null: commune-wide). */
  ticks: { activityId: number; sessionId: number; residentId: number; villageId: number | null }[];
};

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** Fisher–Yates, in place. */
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** How many days back the bench's visits are dated (today included). */
const VISIT_DAYS = 20;

/** Fills the database: the commune, users of several roles; returns their sessions and targets. */
async function prepare(database: Database, residentsWanted: number) {
  const { db } = database;
  await database.migrate();
  const commune = await ensureDefaultCommune({ db, commune: COMMUNE });
  const today = todayInVietnam();
  let t = performance.now();
  const counts = await createDemoCommune({
    db,
    communeId: commune.id,
    actor: cliActor(commune.id),
    residents: residentsWanted,
    today,
  });
  console.log(
    `  data: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${int(v)}`)
      .join(", ")} — generated in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await db.execute(sql`analyze`);

  const vs = await db
    .select({ id: villages.id })
    .from(villages)
    .where(eq(villages.communeId, commune.id))
    .orderBy(asc(villages.id));
  const villageIds = vs.map((v) => v.id);
  const passwordHash = await hashPassword(PASSWORD);
  type NewUser = {
    username: string;
    role: "coordinator" | "leader" | "village_lead" | "volunteer";
    villages: number[];
  };
  const wanted: NewUser[] = [
    { username: "bench-coordinator-1", role: "coordinator", villages: [] },
    { username: "bench-coordinator-2", role: "coordinator", villages: [] },
    { username: "bench-leader", role: "leader", villages: [] },
  ];
  villageIds.forEach((id, i) => {
    wanted.push({ username: `bench-village-lead-${i + 1}`, role: "village_lead", villages: [id] });
    wanted.push({ username: `bench-volunteer-${i + 1}`, role: "volunteer", villages: [id] });
  });
  const sessions: Session[] = [];
  t = performance.now();
  for (const w of wanted) {
    const [u] = await db
      .insert(users)
      .values({
        communeId: commune.id,
        username: w.username,
        displayName: w.username,
        role: w.role,
        passwordHash,
      })
      .returning({ id: users.id });
    if (w.villages.length > 0)
      await db
        .insert(userVillages)
        .values(w.villages.map((villageId) => ({ communeId: commune.id, userId: u!.id, villageId })));
    const s = await login({
      db,
      username: w.username,
      password: PASSWORD,
      client: { ip: "127.0.0.1", requestId: null },
      settings: { sessionIdleMinutes: 24 * 60, sessionAbsoluteHours: 24, apiTokenHours: 24 },
    });
    sessions.push({
      cookie: `bdhvs_session=${s.token}`,
      csrf: s.csrfToken,
      role: w.role,
      villageIds: w.villages,
    });
  }
  console.log(
    `  ${sessions.length} users signed in (${[...new Set(wanted.map((w) => w.role))].join(", ")}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const rs = await db
    .select({ id: residents.id, name: residents.fullName })
    .from(residents)
    .where(eq(residents.communeId, commune.id))
    .orderBy(sql`random()`)
    .limit(2000);
  const words = [...new Set(rs.flatMap((r) => r.name.split(" ").slice(-1)))].slice(0, 200);
  const onRecord = new Set(
    (
      await db
        .select({ household: households.code, member: teamMembers.fullName, date: visits.date })
        .from(visits)
        .innerJoin(households, eq(households.id, visits.householdId))
        .innerJoin(teamMembers, eq(teamMembers.id, visits.memberId))
        .where(and(eq(visits.communeId, commune.id), gte(visits.date, addDays(today, -VISIT_DAYS))))
    ).map((v) => `${v.household}|${v.member}|${v.date}`),
  );
  const visitsToSave: Targets["visits"] = [];
  for (const villageId of villageIds) {
    const hs = await db
      .select({ code: households.code })
      .from(households)
      .where(eq(households.villageId, villageId))
      .orderBy(sql`random()`)
      .limit(200);
    const ms = await db
      .select({ name: teamMembers.fullName })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teams.villageId, villageId));
    // A name two members share is refused as ambiguous: only names that name one member.
    const names = ms.map((m) => m.name);
    const unique = names.filter((n) => names.indexOf(n) === names.lastIndexOf(n));
    for (const h of hs)
      for (const m of unique) {
        const daysAgo = Math.floor(Math.random() * VISIT_DAYS);
        if (!onRecord.has(`${h.code}|${m}|${addDays(today, -daysAgo)}`))
          visitsToSave.push({ villageId, household: h.code, member: m, daysAgo });
      }
  }
  shuffle(visitsToSave);
  const ticks = await db
    .select({
      activityId: activities.id,
      sessionId: activitySessions.id,
      residentId: attendance.residentId,
      villageId: activities.villageId,
    })
    .from(attendance)
    .innerJoin(activitySessions, eq(activitySessions.id, attendance.sessionId))
    .innerJoin(activities, eq(activities.id, activitySessions.activityId))
    .where(and(eq(activities.communeId, commune.id), inArray(activities.type, ["class"])))
    .orderBy(sql`random()`)
    .limit(2000);
  const targets: Targets = {
    villageIds,
    residentIds: rs.map((r) => r.id),
    words,
    visits: visitsToSave,
    ticks,
  };
  console.log(
    `  targets: ${int(targets.residentIds.length)} residents, ${words.length} search words, ${int(visitsToSave.length)} distinct visits to save, ${int(ticks.length)} attendance rows`,
  );
  return { sessions, targets, today };
}

type Kind = {
  name: string;
  share: number;
  request: () => { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string };
};

function kindsOf(sessions: Session[], targets: Targets, today: string): Kind[] {
  const officers = sessions.filter((s) => s.role === "coordinator" || s.role === "leader");
  const leads = sessions.filter((s) => s.role === "village_lead");
  const fieldUsers = sessions.filter((s) => s.role === "village_lead" || s.role === "volunteer");
  const dashboardUsers = [...officers, ...leads];
  let nextVisit = 0;
  const get = (s: Session, p: string) => ({ method: "GET" as const, path: p, headers: { cookie: s.cookie } });
  return [
    { name: "dashboard", share: 10, request: () => get(pick(dashboardUsers), "/") },
    {
      name: "residents list",
      share: 6,
      request: () => get(pick(officers), `/residents?page=${1 + Math.floor(Math.random() * 20)}`),
    },
    {
      name: "residents search",
      share: 8,
      request: () =>
        get(pick([...officers, ...fieldUsers]), `/residents?q=${encodeURIComponent(pick(targets.words))}`),
    },
    {
      name: "resident page",
      share: 8,
      request: () => {
        // Officers see the whole commune.
        return get(pick(officers), `/residents/${pick(targets.residentIds)}`);
      },
    },
    {
      name: "drill-down",
      share: 6,
      request: () =>
        get(
          pick(officers),
          `/indicators/${pick(["adult_skills", "adult_vneid_confirmed", "vneid_16plus", "digital_households"])}?page=${1 + Math.floor(Math.random() * 3)}`,
        ),
    },
    {
      name: "visit-next",
      share: 6,
      request: () => {
        const s = pick([...officers, ...leads]);
        const villageId = s.villageIds.length > 0 ? s.villageIds[0]! : pick(targets.villageIds);
        return get(s, `/villages/${villageId}/visit-next`);
      },
    },
    {
      name: "save a visit",
      share: 3,
      request: () => {
        // Each (household, member, day) once: the list is walked, not drawn from.
        const v = targets.visits[nextVisit++ % targets.visits.length]!;
        const s = pick(fieldUsers.filter((u) => u.villageIds.includes(v.villageId)));
        return visitPost(s, { household: v.household, member: v.member, today, daysAgo: v.daysAgo });
      },
    },
    {
      name: "tick attendance",
      share: 3,
      request: () => {
        const tick = pick(targets.ticks);
        const s =
          tick.villageId === null
            ? pick(officers.filter((u) => u.role === "coordinator"))
            : pick(fieldUsers.filter((u) => u.villageIds.includes(tick.villageId!)));
        return {
          method: "POST",
          path: `/activities/${tick.activityId}/sessions/${tick.sessionId}/attendance`,
          headers: { cookie: s.cookie, "content-type": "application/json", "x-csrf-token": s.csrf },
          body: JSON.stringify({ resident_id: tick.residentId, present: Math.random() < 0.7 }),
        };
      },
    },
  ];
}

type KindResult = { name: string; latencies: number[]; errors: Map<string, number>; ok: number };

function fmtRow(
  label: string,
  r: { latencies: number[]; errors: Map<string, number>; ok: number },
  seconds: number,
) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const errs = [...r.errors].map(([k, v]) => `${k} ${v}`).join(", ") || "0";
  const n = r.ok + [...r.errors.values()].reduce((a, b) => a + b, 0);
  return `  ${label.padEnd(18)} ${(n / seconds).toFixed(1).padStart(7)} req/s  p50 ${int(percentile(sorted, 50)).padStart(6)}  p95 ${int(percentile(sorted, 95)).padStart(6)}  p99 ${int(percentile(sorted, 99)).padStart(6)} ms  errors: ${errs}`;
}

/** One request of each kind alone, a few times: what a request costs with nobody else. */
async function alone(url: string, kinds: Kind[]) {
  const parts: string[] = [];
  const sizes: string[] = [];
  for (const k of kinds) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      const r = k.request();
      const t = performance.now();
      const res = await fetch(url + r.path, {
        method: r.method,
        headers: r.headers,
        body: r.body,
        redirect: "manual",
      });
      bytes = Math.max(bytes, (await res.arrayBuffer()).byteLength);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    parts.push(`${k.name} ${int(times[2]!)}`);
    sizes.push(`${k.name} ${(bytes / 1024).toFixed(0)}`);
  }
  console.log(`  alone (median of 5, ms): ${parts.join(", ")}`);
  console.log(`  answers (the largest of the 5, kB): ${sizes.join(", ")}`);
}

/**
 * One autocannon instance, `connections` connections; each request picks its kind by the kinds'
 * shares (separate instances per kind let the first ones' connections take the server: the later
 * ones got nothing for seconds). The kind of each answer is the one its request was built for (one
 * request in flight per connection); connection errors and timeouts carry no request, so they are
 * counted apart.
 */
async function hammer(
  url: string,
  kinds: Kind[],
  connections: number,
  seconds: number,
): Promise<{ results: KindResult[]; connectionErrors: Map<string, number> }> {
  const totalShare = kinds.reduce((a, k) => a + k.share, 0);
  const results = kinds.map((k) => ({
    name: k.name,
    latencies: [] as number[],
    errors: new Map<string, number>(),
    ok: 0,
  }));
  const connectionErrors = new Map<string, number>();
  const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const pickKind = () => {
    let x = Math.random() * totalShare;
    for (let i = 0; i < kinds.length; i++) {
      x -= kinds[i]!.share;
      if (x < 0) return i;
    }
    return kinds.length - 1;
  };
  type Context = { sent?: number[] };
  await new Promise<void>((resolve) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (req, context: Context) => {
              const i = pickKind();
              context.sent = [i];
              const q = kinds[i]!.request();
              return { ...req, method: q.method, path: q.path, headers: q.headers, body: q.body };
            },
          },
        ],
      },
      () => resolve(),
    );
    instance.on("response", (client, statusCode, _bytes, responseTime) => {
      const context = (client as unknown as { requestIterator: { context: Context } }).requestIterator
        .context;
      const r = results[context.sent?.[0] ?? -1];
      if (!r) return;
      r.latencies.push(responseTime);
      if (statusCode >= 200 && statusCode < 400) r.ok++;
      else count(r.errors, `HTTP ${statusCode}`);
    });
    instance.on("reqError", (err: Error & { code?: string }) => {
      count(connectionErrors, err.code === undefined || /timeout/i.test(err.message) ? "timeout" : err.code);
    });
  });
  return { results, connectionErrors };
}

async function runOn(label: string, database: Database, serverEnv: Record<string, string>) {
  const residentsWanted = Number(process.env.BENCH_LOAD_RESIDENTS || 30_000);
  const connections = Number(process.env.BENCH_LOAD_CONNECTIONS || 50);
  const seconds = Number(process.env.BENCH_LOAD_SECONDS || 30);
  console.log(`\n${label}: a commune of ${int(residentsWanted)} residents`);
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(database, residentsWanted);
  } finally {
    await database.close();
  }
  const { sessions, targets, today } = prepared;
  const { child, url } = await startServerProcess(serverEnv);
  try {
    // BENCH_LOAD_KINDS="dashboard,drill-down": only those kinds (a closer look at one).
    const only = process.env.BENCH_LOAD_KINDS?.split(",").map((k) => k.trim());
    const kinds = kindsOf(sessions, targets, today).filter((k) => !only || only.includes(k.name));
    await alone(url, kinds);
    const before = processFigures(child.pid!);
    console.log(
      `  ${connections} connections for ${seconds} s (each request a kind at random by share: ${kinds.map((k) => `${k.name} ${k.share}`).join(", ")}); load average ${load()}`,
    );
    const benchCpu = process.cpuUsage();
    const { results, connectionErrors } = await hammer(url, kinds, connections, seconds);
    const after = processFigures(child.pid!);
    const usedByBench = process.cpuUsage(benchCpu);
    for (const r of results) console.log(fmtRow(r.name, r, seconds));
    const all = {
      latencies: results.flatMap((r) => r.latencies),
      ok: results.reduce((a, r) => a + r.ok, 0),
      errors: new Map<string, number>(),
    };
    for (const r of [...results, { errors: connectionErrors }])
      for (const [k, v] of r.errors) all.errors.set(k, (all.errors.get(k) ?? 0) + v);
    if (connectionErrors.size > 0)
      console.log(
        `  connection errors and timeouts (no kind): ${[...connectionErrors].map(([k, v]) => `${k} ${v}`).join(", ")}`,
      );
    console.log(fmtRow("overall", all, seconds));
    const sorted = [...all.latencies].sort((a, b) => a - b);
    const dash = [...results[0]!.latencies].sort((a, b) => a - b);
    const p95Target = serverEnv.DATABASE_URL ? TARGET.postgresP95 : TARGET.p95;
    console.log(
      `  server: peak RSS ${int(after.peakRssMb)} MB, CPU ${(after.cpuSeconds - before.cpuSeconds).toFixed(1)} s during the ${seconds} s = ${int(((after.cpuSeconds - before.cpuSeconds) * 1000) / Math.max(1, all.latencies.length))} ms a request (this load generator: ${((usedByBench.user + usedByBench.system) / 1e6).toFixed(1)} s); load average ${load()}`,
    );
    console.log(
      `  targets: overall p95 ≤ ${p95Target} ms ${percentile(sorted, 95) <= p95Target ? "met" : "MISSED"}; ` +
        (serverEnv.DATABASE_URL
          ? ""
          : `dashboard p95 ≤ ${TARGET.dashboardP95} ms ${percentile(dash, 95) <= TARGET.dashboardP95 ? "met" : "MISSED"}; peak RSS ≤ ${TARGET.rssMb} MB ${after.peakRssMb <= TARGET.rssMb ? "met" : "MISSED"}; `) +
        `0 errors ${all.errors.size === 0 ? "met" : "MISSED"}`,
    );
  } finally {
    await stopServerProcess(child);
  }
}

export async function run(): Promise<void> {
  // BENCH_LOAD_PGLITE=0: PostgreSQL only.
  if (process.env.BENCH_LOAD_PGLITE !== "0") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-load-"));
    try {
      const database = await openDatabase({ dataDir: dir });
      await runOn(`1. PGlite (data folder ${dir})`, database, { DATA_DIR: dir });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (!serverUrl) {
    console.log("\n2. PostgreSQL: skipped (set BENCH_DATABASE_URL or DATABASE_URL)");
    return;
  }
  const name = `bdhvs_bench_load_${process.pid}`;
  const url = await freshDatabase(serverUrl, name);
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-load-pg-"));
  try {
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
    await runOn("2. PostgreSQL, one app process", database, {
      DATABASE_URL: url.toString(),
      DATA_DIR: pgDir,
    });
  } finally {
    fs.rmSync(pgDir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB === "1") console.log(`  kept the database ${name}`);
    else await admin(serverUrl, `drop database if exists ${name} with (force)`);
  }
}
