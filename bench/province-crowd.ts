/**
 * The province under a crowd (issue 18, "Done when"): `npm run bench -- province-crowd`.
 *
 * Builds its own PostgreSQL 15 primary in a temporary folder (initdb, as the postgres user when run
 * as root; a base backup of a shared cluster is not ours to take), fills it with the generated
 * province of `npm run bench -- province` (`BENCH_PROVINCE_COMMUNES` × `BENCH_PROVINCE_RESIDENTS`,
 * 20 × 100,000 by default; the full size is 170 × 3,500,000), makes a streaming replica of it
 * (`pg_basebackup -R`), and starts 2 `bdhvs serve` processes with DATABASE_URL = the primary and
 * DATABASE_REPLICA_URL = the replica behind Debian's nginx (the configuration of
 * docs/operations.md), all on 127.0.0.1. Then, through nginx:
 *   1. `BENCH_CROWD_PROVINCE_USERS` (20) province users on the ranking and the map pages for
 *      `BENCH_CROWD_PROVINCE_SECONDS` (15) s (one connection each);
 *   2. the crowd: `BENCH_CROWD_USERS` (200) signed-in people — coordinators, village leads and
 *      volunteers spread over every commune, plus the province users — each on a browser of their
 *      own (one kept-alive connection), asking for a page of a kind their role has, drawn by its
 *      share (dashboard, lists, search, a resident, drill-down, the next visits, a visit saved now
 *      and then, the province's ranking and map), then reading it for `BENCH_CROWD_THINK_MIN`–
 *      `BENCH_CROWD_THINK_MAX` (2–8) s, and a busy answer (503) waited out after its `Retry-After`
 *      as a user reloading would (counted, and an error if still refused after 3), for at least
 *      `BENCH_CROWD_SECONDS` (30) s and until the import is done; `BENCH_CROWD_IMPORT_AFTER` (5) s
 *      in, a new commune of `BENCH_CROWD_IMPORT_RESIDENTS` (30,000) residents is added and imported
 *      through the CLI against the primary (`bdhvs commune add`, then `bdhvs import villages |
 *      households | residents --commune CODE`).
 *      Before it (`BENCH_CROWD_WARM`, on unless 0) every person's pages are asked once, unmeasured:
 *      the figures are those of a server that has been up a while, not of its first minute.
 *   3. saturation: the same sessions on as many connections asking back to back, no reading time
 *      (autocannon, closed loop), for `BENCH_CROWD_SATURATION_SECONDS` (20; 0 leaves it out): the
 *      most the installation answers and how long a page then waits.
 * The app processes run with their default admission control (MAX_IN_FLIGHT 64, a queue of 512
 * for up to 10 s, then 503) and nginx with `max_conns` per process (test/helpers/cluster.ts). `BENCH_CROWD_BEFORE=1`:
 * the set-up before admission control, for comparison — no cap (MAX_IN_FLIGHT=10000, the most it takes), nginx with
 * `max_fails=1 fail_timeout=10s`, no `max_conns`, no busy page. `MAX_IN_FLIGHT`, `ADMISSION_QUEUE`
 * and `ADMISSION_WAIT_MS` of the bench's environment are passed to the processes.
 * Prints p50/p95/p99, errors and timeouts overall and per kind, for the whole run, for the requests
 * answered while the import ran and for the rest, the import's times, the servers' CPU and the
 * machine's load average; figures are printed, never asserted. Everything it starts (servers,
 * nginx, PostgreSQL, the CLI) it stops, on failure and on Ctrl-C too, and its folders are removed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { users, userVillages } from "../src/db/schema.ts";
import { hashPassword } from "../src/features/auth/password.ts";
import type { Role } from "../src/features/auth/policy.ts";
import { currentPlan } from "../src/features/indicators/plan.ts";
import { todayInVietnam } from "../src/lib/clock.ts";
import { freePort, startNginx } from "../test/helpers/cluster.ts";
import { startPrimary } from "../test/helpers/pg-cluster.ts";
import { generateCommune } from "./lib/generate.ts";
import {
  percentile,
  processFigures,
  startServerProcess,
  stopServerProcess,
  visitPost,
} from "./lib/server.ts";
import { int, load, seedProvince, signIn } from "./province.ts";

const TARGET = { provinceP95: 500, mixP95: 300, importP95: 500 };
const PASSWORD = "bench-crowd-password-1";
const ROOT = path.resolve(import.meta.dirname, "..");
const NEW_COMMUNE = { code: "BXMOI", name: "Xã Mới Nhập" };

const env = (name: string, fallback: number) => Number(process.env[name] || fallback);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

type Session = { cookie: string; csrf: string; role: Role; communeId: number; villageId?: number };

type CommuneTargets = {
  residentIds: number[];
  words: string[];
  villageIds: number[];
  /** Villages with a team and households: where a visit can be saved. */
  visitable: Map<number, { householdCodes: string[]; members: string[] }>;
};

type Request = { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string };
/** A kind of request: its share of the mix, who may ask it, and the request of one of them. */
type Kind = { name: string; share: number; users: Session[]; requestFor: (s: Session) => Request };

/** The index of one of `kinds`, drawn with the odds of their shares. */
function drawByShare(kinds: readonly { share: number }[]): number {
  let x = Math.random() * kinds.reduce((a, k) => a + k.share, 0);
  for (let i = 0; i < kinds.length; i++) {
    x -= kinds[i]!.share;
    if (x < 0) return i;
  }
  return kinds.length - 1;
}

/** A request of the kind from one of its users, drawn at random (the closed-loop runs). */
const requestOf = (k: Kind) => k.requestFor(pick(k.users));

/** Rows of a query. */
async function rows<T>(
  db: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> },
  q: ReturnType<typeof sql>,
) {
  return ((await db.execute(q)) as { rows: T[] }).rows;
}

/**
 * Every stop to run at the end, last started first; run once. On Ctrl-C (or SIGTERM) each step's
 * `now` runs at once, synchronously (a kill, pg_ctl stop, a folder removed): whoever sent the signal
 * may not wait for a graceful stop, and the PostgreSQL servers, started by pg_ctl, would outlive us.
 */
function cleanupStack() {
  const steps: { label: string; fn: () => unknown; now: () => void }[] = [];
  let ran: Promise<void> | undefined;
  const runAll = () => {
    ran ??= (async () => {
      while (steps.length > 0) {
        const s = steps.pop()!;
        try {
          await s.fn();
        } catch (err) {
          console.error(`  cleanup (${s.label}): ${(err as Error).message}`);
        }
      }
    })();
    return ran;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n  ${signal}: stopping what the bench started…`);
    while (steps.length > 0) {
      const s = steps.pop()!;
      try {
        s.now();
      } catch (err) {
        console.error(`  cleanup (${s.label}): ${(err as Error).message}`);
      }
    }
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    /** `fn` the orderly stop; `now` the immediate one (defaults to `fn`, when that is synchronous). */
    add: (label: string, fn: () => unknown, now?: () => void) =>
      steps.push({ label, fn, now: now ?? (() => void fn()) }),
    async run() {
      await runAll();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** Accounts of several roles spread over the communes, plus province users; signed in. */
async function makeUsers(
  db: Parameters<typeof seedProvince>[0],
  communeIds: number[],
  targets: Map<number, CommuneTargets>,
  counts: { total: number; province: number },
) {
  const passwordHash = await hashPassword(PASSWORD);
  const roles: Role[] = ["coordinator", "village_lead", "volunteer", "volunteer"];
  const wanted: { username: string; role: Role; communeId: number; villageId?: number }[] = [];
  for (let i = 0; i < counts.province; i++)
    wanted.push({ username: `crowd-province-${i + 1}`, role: "province", communeId: communeIds[0]! });
  const n = communeIds.length;
  for (let j = 0; j < counts.total - counts.province; j++) {
    const communeId = communeIds[j % n]!;
    const role = roles[(j + Math.floor(j / n)) % roles.length]!;
    const t = targets.get(communeId)!;
    // Village users get a village where visits can be saved (round the commune's villages).
    const visitable = [...t.visitable.keys()];
    const villageId =
      role === "coordinator"
        ? undefined
        : (visitable[Math.floor(j / n) % Math.max(1, visitable.length)] ?? t.villageIds[0]);
    wanted.push({ username: `crowd-${role}-${j + 1}`, role, communeId, villageId });
  }
  const sessions: Session[] = [];
  for (const w of wanted) {
    const [u] = await db
      .insert(users)
      .values({
        communeId: w.communeId,
        username: w.username,
        displayName: w.username,
        role: w.role,
        passwordHash,
      })
      .returning({ id: users.id });
    if (w.villageId !== undefined)
      await db.insert(userVillages).values({ communeId: w.communeId, userId: u!.id, villageId: w.villageId });
    const s = await signIn(db, w.username, PASSWORD);
    sessions.push({
      cookie: `bdhvs_session=${s.token}`,
      csrf: s.csrfToken,
      role: w.role,
      communeId: w.communeId,
      villageId: w.villageId,
    });
  }
  return sessions;
}

/** What the users may ask for in their own commune: residents, search words, villages, households. */
async function collectTargets(db: Parameters<typeof seedProvince>[0], communeIds: number[]) {
  const targets = new Map<number, CommuneTargets>(
    communeIds.map((id) => [id, { residentIds: [], words: [], villageIds: [], visitable: new Map() }]),
  );
  const residents = await rows<{ commune_id: number; id: number; full_name: string }>(
    db,
    sql`select commune_id, id, full_name from (
      select commune_id, id, full_name, row_number() over (partition by commune_id order by id) as k
      from residents where id % 37 = 0 and status = 'active') r where k <= 300`,
  );
  for (const r of residents) {
    const t = targets.get(r.commune_id);
    if (!t) continue;
    t.residentIds.push(r.id);
    const word = r.full_name.split(" ").at(-1)!;
    if (!t.words.includes(word)) t.words.push(word);
  }
  const villages = await rows<{ commune_id: number; id: number }>(
    db,
    sql`select commune_id, id from villages order by id`,
  );
  for (const v of villages) targets.get(v.commune_id)?.villageIds.push(v.id);
  const households = await rows<{
    commune_id: number;
    village_id: number;
    codes: string[];
    members: string[];
  }>(
    db,
    sql`select h.commune_id, h.village_id, (array_agg(h.code order by h.id))[1:100] as codes,
        (select array_agg(m.full_name) from team_members m join teams t on t.id = m.team_id
         where t.village_id = h.village_id) as members
      from households h group by h.commune_id, h.village_id`,
  );
  for (const h of households)
    if (h.members && h.members.length > 0)
      targets.get(h.commune_id)?.visitable.set(h.village_id, { householdCodes: h.codes, members: h.members });
  return targets;
}

function kindsOf(sessions: Session[], targets: Map<number, CommuneTargets>, today: string): Kind[] {
  const of = (...roles: Role[]) => sessions.filter((s) => roles.includes(s.role));
  const coordinators = of("coordinator");
  const leads = of("village_lead");
  const field = of("village_lead", "volunteer").filter((s) => s.villageId !== undefined);
  const writers = field.filter((s) => targets.get(s.communeId)!.visitable.has(s.villageId!));
  const province = of("province");
  const codes = currentPlan().indicators.map((i) => i.code);
  const w = `date=${today}&period=${today.slice(0, 4)}`;
  const get = (s: Session, p: string): Request => ({ method: "GET", path: p, headers: { cookie: s.cookie } });
  // The visits saved so far, per village: a household is visited once a day (a second visit is refused 422).
  const visited = new Set<string>();
  const kinds: Kind[] = [
    { name: "dashboard", share: 10, users: [...coordinators, ...leads], requestFor: (s) => get(s, "/") },
    {
      name: "residents list",
      share: 6,
      users: coordinators,
      requestFor: (s) => get(s, `/residents?page=${1 + Math.floor(Math.random() * 20)}`),
    },
    {
      name: "residents search",
      share: 8,
      users: [...coordinators, ...field],
      requestFor: (s) => get(s, `/residents?q=${encodeURIComponent(pick(targets.get(s.communeId)!.words))}`),
    },
    {
      name: "resident page",
      share: 8,
      users: coordinators,
      requestFor: (s) => get(s, `/residents/${pick(targets.get(s.communeId)!.residentIds)}`),
    },
    {
      name: "drill-down",
      share: 6,
      users: coordinators,
      requestFor: (s) =>
        get(
          s,
          `/indicators/${pick(["adult_skills", "adult_vneid_confirmed", "vneid_16plus", "digital_households"])}?page=${1 + Math.floor(Math.random() * 3)}`,
        ),
    },
    {
      name: "visit-next",
      share: 6,
      users: [...coordinators, ...leads],
      requestFor: (s) =>
        get(s, `/villages/${s.villageId ?? pick(targets.get(s.communeId)!.villageIds)}/visit-next`),
    },
    {
      name: "save a visit",
      share: 2,
      users: writers,
      requestFor: (s) => {
        const v = targets.get(s.communeId)!.visitable.get(s.villageId!)!;
        for (;;) {
          const household = pick(v.householdCodes);
          const daysAgo = Math.floor(Math.random() * 20);
          const key = `${s.villageId} ${household} ${daysAgo}`;
          if (visited.has(key)) continue;
          visited.add(key);
          return visitPost(s, { household, member: pick(v.members), today, daysAgo });
        }
      },
    },
    {
      name: "province ranking",
      share: 3,
      users: province,
      requestFor: (s) => get(s, `/province?${w}&indicator=${pick(codes)}`),
    },
    {
      name: "province map",
      share: 3,
      users: province,
      requestFor: (s) => get(s, `/province/map?${w}&indicator=${pick(codes)}`),
    },
  ];
  // A kind without users (no province users asked for, say) is left out.
  return kinds.filter((k) => k.users.length > 0);
}

/** The kernel's count of connections dropped because a listening socket's accept queue was full (Linux). */
function listenOverflows(): number {
  try {
    const lines = fs.readFileSync("/proc/net/netstat", "utf8").split("\n");
    const i = lines.findIndex((l) => l.startsWith("TcpExt:"));
    const names = lines[i]!.split(" ");
    const values = lines[i + 1]!.split(" ");
    return Number(values[names.indexOf("ListenOverflows")] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

type Answer = { kind: number; at: number; ms: number; status: number };
type Failure = { at: number; code: string };

/**
 * `connections` connections; each request a kind drawn by share; runs until `until()` says so
 * (checked every 250 ms). Every answer is kept with its kind and the instant it came back.
 */
async function crowd(url: string, kinds: Kind[], connections: number, until: (elapsedS: number) => boolean) {
  const answers: Answer[] = [];
  const failures: Failure[] = [];
  type Context = { kind?: number };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: 3600,
        timeout: 10,
        requests: [
          {
            setupRequest: (req, context: Context) => {
              context.kind = drawByShare(kinds);
              const q = requestOf(kinds[context.kind]!);
              return { ...req, method: q.method, path: q.path, headers: q.headers, body: q.body };
            },
          },
        ],
      },
      () => resolve(),
    );
    instance.on("response", (client, status, _bytes, ms) => {
      const context = (client as unknown as { requestIterator: { context: Context } }).requestIterator
        .context;
      answers.push({ kind: context.kind ?? -1, at: performance.now(), ms, status });
    });
    instance.on("reqError", (err: Error & { code?: string }) => {
      const code = err.code === undefined || /timeout/i.test(err.message) ? "timeout" : err.code;
      failures.push({ at: performance.now(), code });
    });
    const timer = setInterval(() => {
      if (until((performance.now() - started) / 1000)) {
        clearInterval(timer);
        instance.stop();
      }
    }, 250);
  });
  return { answers, failures, seconds: (performance.now() - started) / 1000 };
}

/** What the people's run counts besides the answers: busy answers waited out, and the pages given up on. */
type PeopleFigures = { busy: number; retried: number; requests: number };

/**
 * People, not connections: each session is one person with a browser of their own (one kept-alive
 * connection), who asks for a page of a kind their role has (drawn by share), reads it for a think
 * time drawn between `think.min` and `think.max` seconds, and asks again — until `until()` says so.
 * They arrive over the first `think.max` seconds. A busy answer (503 with `Retry-After`) is waited
 * out as a browser's user would (reload after the time it says; up to 3 times): the page's time is
 * from the first asking to the last answer, and a page still refused counts as an error. A POST's
 * 303 is its answer (the page it leads to is the person's next request, not followed here).
 */
async function people(
  url: string,
  kinds: Kind[],
  sessions: Session[],
  think: { min: number; max: number },
  until: (elapsedS: number) => boolean,
) {
  const base = new URL(url);
  const answers: Answer[] = [];
  const failures: Failure[] = [];
  const figures: PeopleFigures = { busy: 0, retried: 0, requests: 0 };
  const started = performance.now();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const done = () => until((performance.now() - started) / 1000);
  const ask = (agent: http.Agent, q: Request) =>
    new Promise<{ status: number; retryAfter: number }>((resolve, reject) => {
      figures.requests++;
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          method: q.method,
          path: q.path,
          agent,
          headers: { ...q.headers, ...(q.body ? { "content-length": Buffer.byteLength(q.body) } : {}) },
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.once("end", () =>
            resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers["retry-after"] ?? 0) }),
          );
        },
      );
      req.once("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
      req.once("error", reject);
      req.end(q.body);
    });
  const person = async (s: Session) => {
    const mine = kinds.filter((k) => k.users.includes(s));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await sleep(Math.random() * think.max * 1000);
    while (!done()) {
      const kind = mine[drawByShare(mine)]!;
      const q = kind.requestFor(s);
      const from = performance.now();
      try {
        let answer = await ask(agent, q);
        for (let tries = 0; answer.status === 503 && answer.retryAfter > 0 && tries < 3; tries++) {
          figures.busy++;
          await sleep(answer.retryAfter * 1000);
          figures.retried++;
          answer = await ask(agent, q);
        }
        answers.push({
          kind: kinds.indexOf(kind),
          at: performance.now(),
          ms: performance.now() - from,
          status: answer.status,
        });
      } catch (err) {
        failures.push({ at: performance.now(), code: (err as { code?: string }).code ?? "error" });
      }
      await sleep((think.min + Math.random() * (think.max - think.min)) * 1000);
    }
    agent.destroy();
  };
  await Promise.all(sessions.map(person));
  return { answers, failures, figures, seconds: (performance.now() - started) / 1000 };
}

function row(label: string, answers: Answer[], failures: Failure[], seconds: number, target?: number) {
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  const errors = new Map<string, number>();
  for (const a of answers)
    if (a.status >= 400) errors.set(`HTTP ${a.status}`, (errors.get(`HTTP ${a.status}`) ?? 0) + 1);
  for (const f of failures) errors.set(f.code, (errors.get(f.code) ?? 0) + 1);
  const errs = [...errors].map(([k, v]) => `${k} ${v}`).join(", ") || "0";
  const p95 = percentile(sorted, 95);
  const verdict =
    target === undefined
      ? ""
      : `  (p95 ≤ ${target} ms, 0 errors: ${p95 <= target && errors.size === 0 ? "met" : "MISSED"})`;
  return `  ${label.padEnd(20)} ${String(answers.length).padStart(6)} req ${(answers.length / Math.max(seconds, 0.001)).toFixed(1).padStart(6)}/s  p50 ${int(percentile(sorted, 50)).padStart(5)}  p95 ${int(p95).padStart(5)}  p99 ${int(percentile(sorted, 99)).padStart(5)} ms  errors: ${errs}${verdict}`;
}

/** The table of a run, or of the part of it between `from` and `to` (performance.now() instants). */
function report(
  title: string,
  kinds: Kind[],
  r: { answers: Answer[]; failures: Failure[] },
  window: { from: number; to: number },
  target: number,
) {
  const inside = <T extends { at: number }>(xs: T[]) =>
    xs.filter((x) => x.at >= window.from && x.at <= window.to);
  const answers = inside(r.answers);
  const failures = inside(r.failures);
  const seconds = (window.to - window.from) / 1000;
  console.log(`  ${title} (${seconds.toFixed(1)} s):`);
  kinds.forEach((k, i) => {
    console.log(
      row(
        k.name,
        answers.filter((a) => a.kind === i),
        [],
        seconds,
      ),
    );
  });
  if (failures.length > 0) console.log(row("timeouts, resets", [], failures, seconds));
  console.log(row("overall", answers, failures, seconds, target));
}

/**
 * Runs `bdhvs ARGS` against the primary as a user would (bin/bdhvs.js: the build `npm run bench`
 * makes first, or the sources when it is stale); resolves with its wall time.
 */
function cli(args: string[], databaseUrl: string, running: Set<ChildProcess>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "bin/bdhvs.js"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", BDHVS_LANG: "en" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      running.delete(child);
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`bdhvs ${args.join(" ")}: exit ${code ?? signal}\n${out.slice(-3000)}`));
    });
  });
}

export async function run(): Promise<void> {
  const communeCount = env("BENCH_PROVINCE_COMMUNES", 20);
  const residentCount = env("BENCH_PROVINCE_RESIDENTS", 100_000);
  const userCount = env("BENCH_CROWD_USERS", 200);
  const provinceUsers = env("BENCH_CROWD_PROVINCE_USERS", 20);
  const provinceSeconds = env("BENCH_CROWD_PROVINCE_SECONDS", 15);
  const seconds = env("BENCH_CROWD_SECONDS", 30);
  const importAfter = env("BENCH_CROWD_IMPORT_AFTER", 5);
  const importResidents = env("BENCH_CROWD_IMPORT_RESIDENTS", 30_000);
  const think = { min: env("BENCH_CROWD_THINK_MIN", 2), max: env("BENCH_CROWD_THINK_MAX", 8) };
  const saturationSeconds = env("BENCH_CROWD_SATURATION_SECONDS", 20);
  const warm = process.env.BENCH_CROWD_WARM !== "0";
  const cleanup = cleanupStack();
  try {
    const today = todayInVietnam();
    const cluster = startPrimary({ primary: await freePort(), replica: await freePort() });
    cleanup.add("PostgreSQL", () => cluster.stop());
    console.log(
      `A province of ${communeCount} communes and ~${int(residentCount)} residents on a primary of our own (${cluster.dir}); D = ${today}; load average ${load()}`,
    );
    const database = await openDatabase({ databaseUrl: cluster.primaryUrl(), poolSize: 4 });
    let sessions: Session[];
    let targets: Map<number, CommuneTargets>;
    try {
      await database.migrate();
      const { communeIds } = await seedProvince(database.db, {
        communes: communeCount,
        residents: residentCount,
        today,
      });
      targets = await collectTargets(database.db, communeIds);
      sessions = await makeUsers(database.db, communeIds, targets, {
        total: userCount,
        province: provinceUsers,
      });
      const byRole = new Map<string, number>();
      for (const s of sessions) byRole.set(s.role, (byRole.get(s.role) ?? 0) + 1);
      console.log(
        `  ${sessions.length} users signed in over ${new Set(sessions.map((s) => s.communeId)).size} communes: ${[...byRole].map(([k, v]) => `${k} ${v}`).join(", ")}`,
      );
    } finally {
      await database.close();
    }
    let t = performance.now();
    await cluster.startReplica();
    console.log(
      `  streaming replica (pg_basebackup -R) started in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // The new commune's files, written before the crowd arrives.
    const files = await generateCommune({ dir: cluster.dir, residents: importResidents, today });

    const beforeCap = process.env.BENCH_CROWD_BEFORE === "1";
    const admissionEnv: Record<string, string> = beforeCap ? { MAX_IN_FLIGHT: "10000" } : {};
    for (const k of ["MAX_IN_FLIGHT", "ADMISSION_QUEUE", "ADMISSION_WAIT_MS"]) {
      if (!beforeCap && process.env[k]) admissionEnv[k] = process.env[k]!;
    }
    console.log(
      beforeCap
        ? "  before admission control: no cap, nginx max_fails=1 fail_timeout=10s, no max_conns"
        : `  admission control: ${
            Object.entries(admissionEnv)
              .map(([k, v]) => `${k}=${v}`)
              .join(" ") || "defaults (MAX_IN_FLIGHT 64, queue 512, wait 10 s)"
          }, nginx max_conns per process`,
    );
    const servers: ChildProcess[] = [];
    const ports: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { child, url } = await startServerProcess({
        DATABASE_URL: cluster.primaryUrl(),
        DATABASE_REPLICA_URL: cluster.replicaUrl(),
        DATA_DIR: path.join(cluster.dir, `data-${i}`),
        TRUST_PROXY: "true",
        LOG_LEVEL: "warn",
        ...admissionEnv,
      });
      servers.push(child);
      cleanup.add(
        `server ${i + 1}`,
        () => stopServerProcess(child),
        () => child.kill("SIGKILL"),
      );
      ports.push(Number(new URL(url).port));
    }
    const nginxDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-bench-nginx-"));
    cleanup.add("nginx folder", () => fs.rmSync(nginxDir, { recursive: true, force: true }));
    const nginx = await startNginx(nginxDir, ports);
    cleanup.add(
      "nginx",
      () => nginx.stop(),
      () => process.kill(Number(fs.readFileSync(path.join(nginxDir, "nginx.pid"), "utf8")), "SIGTERM"),
    );
    if (beforeCap) {
      // The configuration before admission control (reloaded with SIGHUP).
      const conf = path.join(nginxDir, "nginx.conf");
      fs.writeFileSync(
        conf,
        fs
          .readFileSync(conf, "utf8")
          .replace(/max_fails=0 max_conns=\d+;/g, "max_fails=1 fail_timeout=10s;")
          .replace(/\n\s*error_page 502 504 = @busy;/, ""),
      );
      process.kill(Number(fs.readFileSync(path.join(nginxDir, "nginx.pid"), "utf8")), "SIGHUP");
      await new Promise((r) => setTimeout(r, 1000));
    }
    const cpu = () => servers.reduce((a, s) => a + processFigures(s.pid!).cpuSeconds, 0);
    console.log(`  2 app processes (ports ${ports.join(", ")}) behind nginx at ${nginx.url}`);

    const kinds = kindsOf(sessions, targets, today);
    /** A GET through nginx, its answer read and dropped (warming, unmeasured). */
    const askOnce = async (q: Request) => {
      await (await fetch(nginx.url + q.path, { headers: q.headers, redirect: "manual" })).arrayBuffer();
    };
    // Warm both processes (the province's figures are computed once per process and version).
    for (let i = 0; i < 4; i++)
      for (const k of kinds) {
        const q = requestOf(k);
        if (q.method === "GET") await askOnce(q);
      }

    // 1. The province users alone.
    const provinceKinds = kinds.filter((k) => k.name.startsWith("province"));
    if (provinceKinds.length > 0) {
      console.log(
        `\n1. ${provinceUsers} province users on the ranking and the map for ${provinceSeconds} s; load average ${load()}`,
      );
      const cpu0 = cpu();
      const r = await crowd(nginx.url, provinceKinds, provinceUsers, (s) => s >= provinceSeconds);
      const end = performance.now();
      report(
        "province pages",
        provinceKinds,
        r,
        { from: end - r.seconds * 1000, to: end },
        TARGET.provinceP95,
      );
      console.log(`  servers' CPU ${(cpu() - cpu0).toFixed(1)} s; load average ${load()}`);
    }

    // 2. The crowd, and the import meanwhile.
    console.log(
      `\n2. ${sessions.length} people, each on a browser of their own, a page then ${think.min}–${think.max} s reading it, for ≥ ${seconds} s (${kinds.map((k) => `${k.name} ${k.share}`).join(", ")}, each person among their role's); a ${int(importResidents)}-resident commune imported from ${importAfter} s; load average ${load()}`,
    );
    if (warm) {
      // A server that has been up a while: every person's pages asked once, 20 at a time, unmeasured.
      const t0 = performance.now();
      const asks = sessions.flatMap((s) =>
        kinds.filter((k) => k.users.includes(s) && k.name !== "save a visit").map((k) => k.requestFor(s)),
      );
      for (let i = 0; i < asks.length; i += 20) await Promise.all(asks.slice(i, i + 20).map(askOnce));
      console.log(
        `  warmed: every person's pages asked once (${asks.length} requests, unmeasured) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const cliRunning = new Set<ChildProcess>();
    cleanup.add("the import", () => {
      for (const c of cliRunning) c.kill("SIGKILL");
    });
    const importTimes: { step: string; seconds: number }[] = [];
    let importWindow: { from: number; to: number } | undefined;
    let importError: Error | undefined;
    let importDone = false;
    const importer = (async () => {
      await new Promise((r) => setTimeout(r, importAfter * 1000));
      const from = performance.now();
      const steps: [string, string[]][] = [
        [
          "commune add",
          ["commune", "add", NEW_COMMUNE.code, "--name", NEW_COMMUNE.name, "--province", "Thanh Hóa"],
        ],
        ["import villages", ["import", "villages", files.villages, "--commune", NEW_COMMUNE.code]],
        ["import households", ["import", "households", files.households, "--commune", NEW_COMMUNE.code]],
        ["import residents", ["import", "residents", files.residents, "--commune", NEW_COMMUNE.code]],
      ];
      try {
        for (const [step, args] of steps)
          importTimes.push({ step, seconds: await cli(args, cluster.primaryUrl(), cliRunning) });
      } catch (err) {
        importError = err as Error;
      } finally {
        importWindow = { from, to: performance.now() };
        importDone = true;
      }
    })();
    const cpu0 = cpu();
    const overflows0 = listenOverflows();
    const before = performance.now();
    t = performance.now();
    // At most 15 minutes past the asked time, should the import hang.
    const r = await people(
      nginx.url,
      kinds,
      sessions,
      think,
      (s) => (s >= seconds && importDone) || s >= seconds + 900,
    );
    const end = performance.now();
    if (!importDone) for (const c of cliRunning) c.kill("SIGKILL");
    await importer;
    const serverCpu = cpu() - cpu0;
    const overflows = listenOverflows() - overflows0;
    report("the whole run", kinds, r, { from: before, to: end }, TARGET.mixP95);
    console.log(
      `  ${int(r.figures.requests)} requests for ${int(r.answers.length + r.failures.length)} pages; busy answers (503, waited out after Retry-After) ${int(r.figures.busy)}`,
    );
    if (importWindow) {
      report("while the import ran", kinds, r, importWindow, TARGET.importP95);
      const quiet = {
        answers: r.answers.filter((a) => a.at < importWindow!.from || a.at > importWindow!.to),
        failures: r.failures.filter((f) => f.at < importWindow!.from || f.at > importWindow!.to),
      };
      const quietSeconds = (end - before - (importWindow.to - importWindow.from)) / 1000;
      console.log(`  without the import (${quietSeconds.toFixed(1)} s):`);
      console.log(row("overall", quiet.answers, quiet.failures, quietSeconds, TARGET.mixP95));
    }
    console.log(
      `  the import: ${importTimes.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`).join(", ")}; ${importWindow ? ((importWindow.to - importWindow.from) / 1000).toFixed(1) : "?"} s in all${importError ? ` — FAILED: ${importError.message}` : ""}`,
    );
    // What nginx said about its upstreams (a 502 is a process that refused or dropped the request).
    const nginxLog = fs.existsSync(path.join(nginxDir, "error.log"))
      ? fs.readFileSync(path.join(nginxDir, "error.log"), "utf8")
      : "";
    const said = new Map<string, number>();
    for (const l of nginxLog.split("\n")) {
      const m = /\[(?:error|warn|crit|alert)\] [\d#]+: \*?\d* ?([^,(]+)/.exec(l);
      if (m) said.set(m[1]!.trim(), (said.get(m[1]!.trim()) ?? 0) + 1);
    }
    if (said.size > 0)
      console.log(`  nginx's error log: ${[...said].map(([k, v]) => `“${k}” ×${v}`).join("; ")}`);
    for (const [i, s] of servers.entries())
      if (s.exitCode !== null || s.signalCode !== null)
        console.log(`  ! app process ${i + 1} exited during the run (${s.exitCode ?? s.signalCode})`);
    const peak = servers.map((s) => int(processFigures(s.pid!).peakRssMb)).join(" and ");
    console.log(
      `  servers: CPU ${serverCpu.toFixed(1)} s over ${((end - t) / 1000).toFixed(1)} s, peak RSS ${peak} MB; connections dropped by full accept queues (the whole machine's) ${Number.isNaN(overflows) ? "?" : int(overflows)}; load average ${load()} (other processes share the machine: the latencies include their load)`,
    );

    // 3. Saturation: the same users with no time between pages (one connection each, closed loop):
    // what the installation answers at most, and how long a page then waits.
    if (saturationSeconds > 0) {
      console.log(
        `\n3. saturation: ${sessions.length} connections asking back to back (no reading time) for ${saturationSeconds} s; load average ${load()}`,
      );
      const cpu1 = cpu();
      const sat = await crowd(nginx.url, kinds, sessions.length, (s) => s >= saturationSeconds);
      const satEnd = performance.now();
      report("closed loop", kinds, sat, { from: satEnd - sat.seconds * 1000, to: satEnd }, TARGET.mixP95);
      console.log(`  servers' CPU ${(cpu() - cpu1).toFixed(1)} s; load average ${load()}`);
    }
  } finally {
    await cleanup.run();
  }
}
