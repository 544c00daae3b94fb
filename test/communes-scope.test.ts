import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import {
  commendations,
  markets,
  privacyRequests,
  provinceReports,
  reports,
  taskEvidence,
  taskProgress,
  vendors,
} from "../src/db/schema.ts";
import { COMMUNE_ROLES, type Role } from "../src/features/auth/policy.ts";
import { EXPORT_KINDS } from "../src/features/exports/service.ts";
import { setClock, startingAt } from "../src/lib/clock.ts";
import {
  Agent,
  apiToken,
  bearer,
  createTestApp,
  signedInAgent,
  type TestApp,
  testToken,
} from "./helpers/app.ts";
import {
  buildCertification,
  buildClass,
  buildCommune,
  buildHousehold,
  buildIncident,
  buildResident,
  buildTeamMember,
  buildUnit,
  buildUser,
  buildVillage,
  buildVisit,
  type Commune,
} from "./helpers/factories.ts";

/**
 * The scope probe across communes (issue 18.1): two communes with data in both, and every route the
 * app has — read from the app itself, so a route added later is probed too (a route whose parameter
 * this file cannot fill fails the test). Every commune role of commune A, on every page and API
 * route naming a record of commune B → 403 or 404, never the record; every list, search, export and
 * report of A → none of B's names; every write → refused, and B's rows unchanged. The province role
 * reads B and writes nothing.
 */
let t: TestApp;
let a: Commune;
let b: Commune;

/** A commune's records, and the names only that commune's records carry. */
type Records = {
  village: number;
  villageCode: string;
  household: number;
  resident: number;
  certification: number;
  unit: number;
  member: number;
  visit: number;
  incident: number;
  privacyRequest: number;
  report: number;
  activity: number;
  session: number;
  user: number;
  evidence: number;
  commendation: number;
  market: number;
  vendor: number;
  markers: string[];
};
let recB: Records;

// Fixtures are dated 2026: the test sets its day.
setClock(startingAt("2026-06-15T09:00:00+07:00"));

/** Inserts one row into `table`; its id. */
async function insertedId<T extends PgTable & { id: AnyPgColumn }>(table: T, values: T["$inferInsert"]) {
  const [row] = await t.db.insert(table).values(values).returning({ id: table.id });
  return row!.id as number;
}
async function fill(commune: Commune, tag: string): Promise<Records> {
  const village = await buildVillage(t.db, { commune, code: `${tag}01`, name: `Thôn Riêng ${tag}` });
  const school = await buildUnit(t.db, {
    commune,
    code: `${tag}TH`,
    name: `Trường Riêng ${tag}`,
    type: "school",
  });
  const firm = await buildUnit(t.db, {
    commune,
    code: `${tag}DN`,
    name: `Công ty Riêng ${tag}`,
    type: "enterprise",
  });
  const household = await buildHousehold(t.db, {
    village,
    code: `${tag}-0001`,
    headName: `Chủ Hộ Riêng ${tag}`,
  });
  const resident = await buildResident(t.db, { household, fullName: `Cư Dân Riêng ${tag}` });
  await buildResident(t.db, {
    household,
    fullName: `Công Nhân Riêng ${tag}`,
    unitId: firm.id,
    groups: ["enterprise_worker"],
  });
  await buildResident(t.db, {
    household,
    fullName: `Học Sinh Riêng ${tag}`,
    unitId: school.id,
    groups: ["student"],
  });
  const certification = await buildCertification(t.db, { resident });
  const member = await buildTeamMember(t.db, { village, fullName: `Tổ Viên Riêng ${tag}` });
  const visit = await buildVisit(t.db, { household, member, note: `Ghi chú riêng ${tag}` });
  const incident = await buildIncident(t.db, {
    commune,
    code: `SC-${tag}`,
    description: `Sự cố riêng ${tag}`,
  });
  const { activity, session } = await buildClass(t.db, {
    village,
    code: `HD-${tag}`,
    title: `Lớp Riêng ${tag}`,
    present: [resident],
  });
  const request = await insertedId(privacyRequests, {
    communeId: commune.id,
    residentId: resident.id,
    requester: `Người Yêu Cầu Riêng ${tag}`,
    receivedOn: "2026-06-01",
    kind: "access",
    dueOn: "2026-06-15",
  });
  const report = await insertedId(reports, {
    communeId: commune.id,
    period: "2026-Q2",
    version: 1,
    date: "2026-06-30",
    signedOn: "2026-07-02",
    narrative: { overview: `Tổng quan riêng ${tag}`, difficulties: "", nextSteps: "", proposals: "" },
  });
  // A task's progress reported by the village, with a photo as evidence (issue 19.1).
  const progress = await insertedId(taskProgress, {
    communeId: commune.id,
    planYear: 2026,
    taskCode: "V.1",
    villageId: village.id,
    status: "in_progress",
    result: `Kết quả riêng ${tag}`,
    reportedOn: "2026-06-10",
  });
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
  const evidence = await insertedId(taskEvidence, {
    communeId: commune.id,
    progressId: progress,
    fileName: `bang-chung-rieng-${tag}.png`,
    mediaType: "image/png",
    size: png.length,
    sha256: "0".repeat(64),
    content: png,
  });
  // A draft proposal for commendation of the village (issue 19.2).
  const commendation = await insertedId(commendations, {
    communeId: commune.id,
    period: "2026-Q2",
    date: "2026-06-15",
    signedOn: "2026-06-15",
    items: [{ kind: "village", code: village.code, name: `Thôn Riêng ${tag}`, reason: `Lý do riêng ${tag}` }],
    weights: {},
  });
  // A market and a stall of the commune, its owner the resident (issue 19.3).
  const market = await insertedId(markets, {
    communeId: commune.id,
    code: `CHO-${tag}`,
    name: `Chợ Riêng ${tag}`,
    villageId: village.id,
    kind: "traditional",
  });
  const vendor = await insertedId(vendors, {
    communeId: commune.id,
    marketId: market,
    stall: "A01",
    ownerName: `Chủ Quầy Riêng ${tag}`,
    residentId: resident.id,
    householdId: household.id,
    payments: ["qr"],
  });
  const { user } = await buildUser(t.db, {
    role: "leader",
    commune,
    username: `lanhdao-${tag.toLowerCase()}`,
    displayName: `Lãnh Đạo Riêng ${tag}`,
  });
  return {
    village: village.id,
    villageCode: village.code,
    household: household.id,
    resident: resident.id,
    certification: certification.id,
    unit: school.id,
    member: member.id,
    visit: visit.id,
    incident: incident.id,
    privacyRequest: request,
    report: report,
    activity: activity.id,
    session: session.id,
    user: user.id,
    evidence: evidence,
    commendation: commendation,
    market: market,
    vendor: vendor,
    markers: [
      `Chợ Riêng ${tag}`,
      `Chủ Quầy Riêng ${tag}`,
      `Kết quả riêng ${tag}`,
      `bang-chung-rieng-${tag}`,
      `Thôn Riêng ${tag}`,
      `Trường Riêng ${tag}`,
      `Chủ Hộ Riêng ${tag}`,
      `Cư Dân Riêng ${tag}`,
      `Công Nhân Riêng ${tag}`,
      `Học Sinh Riêng ${tag}`,
      `Tổ Viên Riêng ${tag}`,
      `Lớp Riêng ${tag}`,
      `Sự cố riêng ${tag}`,
      `SC-${tag}`,
      `Người Yêu Cầu Riêng ${tag}`,
      `Lãnh Đạo Riêng ${tag}`,
      `lanhdao-${tag.toLowerCase()}`,
    ],
  };
}

const agents = new Map<Role, Agent>();
const tokens = new Map<Role, string>();
/** A's village and school, for the accounts that need them. */
let villageA: Awaited<ReturnType<typeof buildVillage>>;

before(async () => {
  t = await createTestApp();
  a = t.commune;
  b = await buildCommune(t.db, { code: "15716", name: "Xã Bên Cạnh" });
  await fill(a, "AA");
  recB = await fill(b, "BB");
  const [pr] = await t.db
    .insert(provinceReports)
    .values({ period: "2026-Q2", date: "2026-06-15", signedOn: "2026-06-15" })
    .returning({ id: provinceReports.id });
  provinceReportId = pr!.id;
  villageA = await buildVillage(t.db, { commune: a, code: "AA02" });
  const schoolA = await buildUnit(t.db, { commune: a, code: "AATH2", type: "school" });
  for (const role of [...COMMUNE_ROLES]) {
    const { user, password } = await buildUser(t.db, {
      role,
      commune: a,
      username: `a-${role.replace("_", "-")}`,
      villages: role === "village_lead" || role === "volunteer" ? [villageA] : [],
      unit: role === "school" ? schoolA : undefined,
    });
    const agent = new Agent(t.app);
    await agent.login(user.username, password);
    agents.set(role, agent);
    tokens.set(role, await apiToken(t.app, user.username, password));
  }
});
after(() => t.close());

/**
 * Routes that hold no commune's records (public pages by slug, static files, backups by name, the
 * province admin's pages), or name the viewer's own commune's by a year (its plan of that year).
 */
const NOT_COMMUNE_DATA = [
  /^\/static\//,
  /^\/(khung-ky-nang|hoc|bai-hoc|tu-danh-gia)\//,
  /^\/admin\/backups\/:name/,
  /^\/admin\/communes\//,
  /^\/(api\/v1\/)?plan\/:year/,
];

/** A province report (issue 18.3): the installation's, holding every commune's figures; commune roles get 404. */
let provinceReportId: number;

/** Fills a route's parameters with commune B's records; undefined for a parameter it does not know. */
function withRecordsOf(path: string, r: Records): string | undefined {
  const api = path.startsWith("/api/v1/");
  const p = api ? path.slice("/api/v1".length) : path;
  const resource = p.split("/")[1] ?? "";
  const idOf: Record<string, number | undefined> = {
    villages: r.village,
    households: r.household,
    residents: r.resident,
    certifications: r.certification,
    units: r.unit,
    team_members: r.member,
    visits: r.visit,
    incidents: r.incident,
    "privacy-requests": r.privacyRequest,
    reports: r.report,
    activities: r.activity,
    users: r.user,
    commendations: r.commendation,
    markets: r.market,
    vendors: r.vendor,
  };
  let out = p;
  let unknown = false;
  out = out.replace(/:([a-z]+)(\{[^}]*\}(?:\.[a-z()|]+\})?)?/g, (_m, name: string) => {
    if (p.startsWith("/teams/:vid") && name === "vid") return String(r.village);
    if (p.startsWith("/teams/") && name === "id") return String(r.member);
    if (p.startsWith("/privacy/residents/")) return String(r.resident);
    if (p.startsWith("/privacy/requests/")) return String(r.privacyRequest);
    if (p.startsWith("/admin/users/")) return String(r.user);
    if (p.startsWith("/tasks/evidence/") || p.startsWith("/task-evidence/")) return String(r.evidence);
    if (name === "sid") return String(r.session);
    if (p.startsWith("/province/reports/") && name === "id") return String(provinceReportId);
    if (name === "format") return "xlsx";
    if (p.startsWith("/imports/") && name === "id") return "0123456789abcdef0123456789abcdef";
    if (name === "id" && idOf[resource] !== undefined) return String(idOf[resource]);
    unknown = true;
    return "";
  });
  return unknown ? undefined : (api ? "/api/v1" : "") + out;
}

/** Every route of the app once per method (middleware left out). */
function appRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of t.app.routes) {
    if (r.method === "ALL") continue;
    const k = `${r.method} ${r.path}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

/** Lists, searches, exports and reports whose path names no record (the parameter names a kind or a code). */
function listPaths(path: string, other: Records): string[] {
  if (path.includes("/exports/:file"))
    return EXPORT_KINDS.filter((k) => k !== "markets" && k !== "vendors").map((k) =>
      path.replace(/:file\{[^}]*\}\)?\}?/, `${k}.csv`).replace(/\.csv.*$/, ".csv"),
    );
  if (path.includes(":code")) {
    const codes = path.includes("/tasks/")
      ? ["V.1"]
      : ["adult_skills", "digital_households", "student_skills", "village_propaganda"];
    return codes.flatMap((code) => {
      const base = path
        .replace(/:code(\{[^}]*\})?/, code)
        .replace(/:file\{[^}]*\}\)?\}?/, "export.csv")
        .replace(/export\.csv.*$/, "export.csv");
      return [base, `${base}?village=${other.villageCode}`];
    });
  }
  if (path.includes(":")) return [];
  // The search box shows the words searched: search without diacritics (as users type), find the name with them.
  const q = encodeURIComponent("cu dan rieng bb");
  return [path, `${path}?q=${q}`];
}

async function send(role: Role, method: string, url: string): Promise<Response> {
  if (url.startsWith("/api/v1/"))
    return t.app.request(url, {
      method,
      headers: bearer(tokens.get(role)!, { "content-type": "application/json" }),
      ...(method === "GET" ? {} : { body: "{}" }),
    });
  const agent = agents.get(role)!;
  if (method === "GET") return agent.request(url);
  await agent.get("/account");
  return agent.postForm(url, {});
}

/** B's rows and their last change: what no write of A's may move. */
async function fingerprintOf(communeId: number): Promise<string> {
  const tables = [
    "villages",
    "units",
    "households",
    "residents",
    "certifications",
    "team_members",
    "visits",
    "incidents",
    "privacy_requests",
    "reports",
    "activities",
    "activity_sessions",
    "attendance",
    "users",
    "task_progress",
    "task_evidence",
    "commendations",
    "markets",
    "vendors",
  ];
  const parts = await Promise.all(
    tables.map(async (table) => {
      const r = (await t.db.execute(
        sql`select count(*)::int as n, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h
          from ${sql.identifier(table)} x where commune_id = ${communeId}`,
      )) as unknown as { rows: { n: number; h: string }[] };
      return `${table}:${r.rows[0]!.n}:${r.rows[0]!.h}`;
    }),
  );
  return parts.join(" ");
}

describe("two communes: a commune role never reaches another commune (every route, read from the app)", () => {
  test("every route with a record's id: commune B's records answer 403 or 404 to each of A's roles", async () => {
    const routes = appRoutes().filter(
      (r) =>
        r.path.includes(":") &&
        !NOT_COMMUNE_DATA.some((re) => re.test(r.path)) &&
        !r.path.includes(":file") &&
        !r.path.includes(":code"),
    );
    const unfilled = routes.filter((r) => withRecordsOf(r.path, recB) === undefined);
    assert.deepEqual(unfilled, [], "a route whose parameters this probe cannot fill: teach withRecordsOf");
    assert.ok(routes.length > 100, `only ${routes.length} routes`);
    const before = await fingerprintOf(b.id);
    const leaks: string[] = [];
    for (const role of COMMUNE_ROLES) {
      if (role === "province") continue;
      for (const r of routes) {
        const url = withRecordsOf(r.path, recB)!;
        const res = await send(role, r.method, url);
        // A read answers 403 or 404; a write may also refuse its (empty) body first — 400, 422, the
        // same for an id that does not exist, so nothing is learnt — and B's rows are checked below.
        const refused = r.method === "GET" ? [403, 404] : [400, 403, 404, 422];
        if (!refused.includes(res.status)) leaks.push(`${role} ${r.method} ${url} → ${res.status}`);
      }
    }
    assert.deepEqual(leaks, []);
    assert.equal(await fingerprintOf(b.id), before, "commune B's rows changed");
  });

  test("every list, search, export and indicator list of A holds none of B's names", async () => {
    const paths = appRoutes()
      .filter((r) => r.method === "GET" && !NOT_COMMUNE_DATA.some((re) => re.test(r.path)))
      .flatMap((r) => listPaths(r.path, recB))
      .filter((p) => !p.startsWith("/logout") && !p.startsWith("/lang"));
    assert.ok(paths.length > 60, `only ${paths.length} lists`);
    // The lists do show a commune's own records: A's admin finds A's resident, by a search without diacritics.
    const own = await (await send("admin", "GET", "/residents?q=cu%20dan%20rieng%20aa")).text();
    assert.ok(own.includes("Cư Dân Riêng AA"));
    const leaks: string[] = [];
    for (const role of COMMUNE_ROLES) {
      if (role === "province") continue;
      for (const path of paths) {
        const res = await send(role, "GET", path);
        const type = res.headers.get("content-type") ?? "";
        // Spreadsheets are zipped: their names are not readable in the bytes; CSV, HTML and JSON are.
        const body = type.includes("spreadsheetml") || type.includes("pdf") ? "" : await res.text();
        const found = recB.markers.find((m) => body.includes(m));
        if (found) leaks.push(`${role} GET ${path} → ${res.status} shows “${found}”`);
      }
    }
    assert.deepEqual(leaks, []);
  });

  test("the province role reads commune B's records and writes nothing", async () => {
    const { user } = await buildUser(t.db, { role: "province", commune: a, username: "tinh-doc" });
    const agent = await signedInAgent(t.app, user.username);
    const token = await testToken(t.app, user.username);
    for (const url of [
      `/residents/${recB.resident}`,
      `/villages/${recB.village}`,
      `/reports/${recB.report}`,
      `/api/v1/residents/${recB.resident}`,
      `/api/v1/visits/${recB.visit}`,
    ]) {
      const res = url.startsWith("/api/")
        ? await t.app.request(url, { headers: bearer(token) })
        : await agent.request(url);
      assert.equal(res.status, 200, url);
    }
    const before = await fingerprintOf(b.id);
    const writes = appRoutes().filter((r) => r.method !== "GET" && withRecordsOf(r.path, recB) !== undefined);
    const accepted: string[] = [];
    for (const r of writes) {
      const url = withRecordsOf(r.path, recB)!;
      if (
        // The province's own reports are the one thing it writes (issue 18.3); B's rows are checked below.
        /^(\/api\/v1)?\/province\/reports/.test(url) ||
        url === "/logout" ||
        url.startsWith("/login") ||
        url.startsWith("/account") ||
        url.startsWith("/api/v1/auth")
      )
        continue;
      const res = url.startsWith("/api/v1/")
        ? await t.app.request(url, {
            method: r.method,
            headers: bearer(token, { "content-type": "application/json" }),
            body: "{}",
          })
        : await (async () => {
            await agent.get("/account");
            return agent.postForm(url, {});
          })();
      if (![400, 403, 404, 422].includes(res.status)) accepted.push(`${r.method} ${url} → ${res.status}`);
    }
    assert.deepEqual(accepted, []);
    assert.equal(await fingerprintOf(b.id), before);
  });
});
