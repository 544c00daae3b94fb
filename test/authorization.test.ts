import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { reports, residents } from "../src/db/schema.ts";
// The commune roles (the province admin reads no commune's records: src/features/communes/web.test.ts).
import { COMMUNE_ROLES as ROLES, type Role } from "../src/features/auth/policy.ts";
import { setClock, startingAt } from "../src/lib/clock.ts";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "./helpers/app.ts";
import {
  buildActivity,
  buildCertification,
  buildCommune,
  buildHousehold,
  buildIncident,
  buildResident,
  buildSession,
  buildTeamMember,
  buildUnit,
  buildUser,
  buildVillage,
  buildVisit,
  type Village,
} from "./helpers/factories.ts";

/**
 * Every role of SPEC §2 against every route that exists, for pages and API alike:
 * allowed (200/201/303), forbidden (403), out of scope (404), not signed in (login / 401).
 */
let t: TestApp;
let v1: Village;
let v2: Village;
let otherVillage: Village;
let otherUserId: number;
let ownUserId: number;
/** An account the admin's writes in these tests may change freely. */
let targetId: number;
/** A class of T01 with a session (r1 present), a class of T02 with a session, another commune's class. */
let a1: number;
let s1: number;
let a2: number;
let s2: number;
let aOther: number;
/** Residents of village T01, of village T02, of the school, and of another commune. */
let r1: number;
let r2: number;
let rSchool: number;
let rOther: number;
let rWorker: number;
let cWorker: number;
/** The school of the school account, and another unit. */
let schoolId: number;
let otherUnitId: number;
/** An import job of the coordinator (a finished check of a small file). */
let jobId: string;
/** Certifications of r1, of the school's student, of another commune's resident. */
let c1: number;
let cSchool: number;
let cOther: number;
/** Records nothing refers to: removable by the roles that may remove them. */
let emptyVillage: Village;
let emptyUnitId: number;
let emptyHouseholdId: number;
let h1Id: number;
/** Team members of T01 and T02, visits to a household of each, an incident of the commune. */
let m1: number;
let m2: number;
let visit1: number;
let visit2: number;
let incident: number;
/** A draft report of the commune and one of another commune. */
let report: number;
let reportOther: number;
const agents = new Map<Role, Agent>();
const tokens = new Map<Role, string>();

// Its fixtures are dated in 2026 up to November (past dates, due reports): the test sets its day.
setClock(startingAt("2026-11-25T10:00:00+07:00"));

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  v1 = await buildVillage(t.db, { commune, code: "T01", name: "Thôn Một" });
  v2 = await buildVillage(t.db, { commune, code: "T02", name: "Thôn Hai" });
  const school = await buildUnit(t.db, { commune, code: "THCS", type: "school" });
  schoolId = school.id;
  otherUnitId = (await buildUnit(t.db, { commune, code: "DN01", type: "enterprise" })).id;
  const other = await buildCommune(t.db, { code: "XAKHAC", name: "Xã Khác" });
  otherVillage = await buildVillage(t.db, { commune: other, code: "K01" });
  otherUserId = (await buildUser(t.db, { role: "admin", commune: other, username: "admin-khac" })).user.id;
  targetId = (await buildUser(t.db, { role: "leader", commune, username: "dich" })).user.id;
  const h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  r1 = (await buildResident(t.db, { household: h1, fullName: "Cư Dân Một" })).id;
  r2 = (
    await buildResident(t.db, {
      household: await buildHousehold(t.db, { village: v2 }),
      fullName: "Cư Dân Hai",
    })
  ).id;
  rSchool = (
    await buildResident(t.db, {
      household: h1,
      fullName: "Học Sinh Ba",
      unitId: school.id,
      groups: ["student"],
    })
  ).id;
  const residentOther = await buildResident(t.db, {
    household: await buildHousehold(t.db, { village: otherVillage }),
  });
  rOther = residentOther.id;
  // The economy office's one resident here (SPEC §2): an enterprise worker of DN01.
  const worker = await buildResident(t.db, {
    household: h1,
    fullName: "Công Nhân Bốn",
    unitId: otherUnitId,
    groups: ["enterprise_worker"],
  });
  rWorker = worker.id;
  cWorker = (await buildCertification(t.db, { resident: worker })).id;
  h1Id = h1.id;
  schoolId = school.id;
  const [resident1, residentSchool] = await Promise.all([r1, rSchool].map((id) => residentById(id)));
  c1 = (await buildCertification(t.db, { resident: resident1! })).id;
  cSchool = (await buildCertification(t.db, { resident: residentSchool! })).id;
  cOther = (await buildCertification(t.db, { resident: residentOther })).id;
  emptyVillage = await buildVillage(t.db, { commune, code: "T03", name: "Thôn Trống" });
  emptyUnitId = (await buildUnit(t.db, { commune, code: "UBND", type: "office" })).id;
  emptyHouseholdId = (await buildHousehold(t.db, { village: v1, code: "T01-TRONG" })).id;
  const member1 = await buildTeamMember(t.db, { village: v1, fullName: "Thành Viên Một" });
  const member2 = await buildTeamMember(t.db, { village: v2, fullName: "Thành Viên Hai" });
  m1 = member1.id;
  m2 = member2.id;
  visit1 = (await buildVisit(t.db, { household: h1, member: member1 })).id;
  visit2 = (
    await buildVisit(t.db, { household: await buildHousehold(t.db, { village: v2 }), member: member2 })
  ).id;
  incident = (await buildIncident(t.db, { commune, code: "SC01" })).id;
  const draft = {
    period: "2026-Q3",
    version: 1,
    date: "2026-09-30",
    signedOn: "2026-10-02",
    narrative: { overview: "", difficulties: "", nextSteps: "", proposals: "" },
  };
  [{ id: report }] = (await t.db
    .insert(reports)
    .values({ ...draft, communeId: commune.id })
    .returning({ id: reports.id })) as [{ id: number }];
  [{ id: reportOther }] = (await t.db
    .insert(reports)
    .values({ ...draft, communeId: other.id })
    .returning({ id: reports.id })) as [{ id: number }];
  const class1 = await buildActivity(t.db, {
    village: v1,
    code: "HD-T01",
    date: "2026-06-11",
    audience: "resident",
  });
  a1 = class1.id;
  s1 = (await buildSession(t.db, { activity: class1, present: [{ id: r1 }] })).id;
  const class2 = await buildActivity(t.db, { village: v2, code: "HD-T02", date: "2026-06-12" });
  a2 = class2.id;
  s2 = (await buildSession(t.db, { activity: class2 })).id;
  aOther = (await buildActivity(t.db, { village: otherVillage, code: "HD-K01" })).id;
  for (const role of ROLES) {
    const { user, password } = await buildUser(t.db, {
      role,
      commune,
      username: `u-${role.replace("_", "-")}`,
      villages: role === "village_lead" || role === "volunteer" ? [v1] : [],
      unit: role === "school" ? school : undefined,
    });
    if (role === "coordinator") ownUserId = user.id;
    const agent = new Agent(t.app);
    await agent.login(user.username, password);
    agents.set(role, agent);
    tokens.set(role, await apiToken(t.app, user.username, password));
  }
  jobId = await uploadVillages(agents.get("coordinator")!);
  await jobDone(agents.get("coordinator")!, jobId);
});

/** Uploads a one-village file: the job's id (throws unless the upload is taken). */
async function uploadVillages(agent: Agent): Promise<string> {
  await agent.get("/imports");
  const form = new FormData();
  form.append("kind", "villages");
  form.append("file", new File(["Mã thôn,Tên thôn\nT01,Thôn Một\n"], "thon.csv"));
  const res = await agent.postMultipart("/imports", form);
  const m = res.headers.get("location")?.match(/^\/imports\/jobs\/([0-9a-f]{32})$/);
  if (res.status !== 303 || !m?.[1]) throw new Error(`upload: ${res.status}`);
  return m[1];
}

async function jobDone(agent: Agent, id: string) {
  for (;;) {
    const status = (await (await agent.request(`/imports/jobs/${id}/status`)).json()) as { state: string };
    if (status.state !== "running") return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
after(() => t.close());

async function residentById(id: number) {
  const [row] = await t.db.select().from(residents).where(eq(residents.id, id));
  return row;
}

type Expect = Partial<Record<Role, number>> & { default: number };

/**
 * The market board (issue 19.3) reads and writes markets and vendors, reads the villages, and
 * imports and exports those kinds: any other page or call is refused (403) unless a case says so.
 */
const wantOf = (e: Expect, role: Role): number =>
  e[role] ?? (role === "market_board" && e.default !== 403 ? 403 : e.default);

const ADMIN_ONLY: Expect = { admin: 200, default: 403 };
const VILLAGE_READERS: Expect = { school: 403, market_board: 200, default: 200 };
const RESIDENT_WRITERS: Expect = {
  admin: 200,
  coordinator: 200,
  economy: 200,
  school: 200,
  village_lead: 200,
  default: 403,
};

/** Every role but the volunteer reads the indicators (SPEC §2). */
const INDICATOR_READERS: Expect = { volunteer: 403, default: 200 };
/** The same roles, answered 404 instead of 200. */
function notFoundFor(e: Expect): Expect {
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === 200 ? 404 : v])) as Expect;
}

/** Who may open the import page (the upload itself also needs a commune-wide scope). */
const IMPORTERS: Expect = {
  admin: 200,
  coordinator: 200,
  economy: 200,
  school: 200,
  market_board: 200,
  default: 403,
};
const IMPORT_JOB: Expect = { admin: 404, economy: 404, school: 404, market_board: 404, default: 403 };
/** Teams and visits: every role reading the registry but economy and school. */
const TEAM_READERS: Expect = { economy: 403, school: 403, default: 200 };
/** The same, for a record of T02: out of the T01 village team's scope. */
const TEAM_READERS_T02: Expect = { ...TEAM_READERS, village_lead: 404, volunteer: 404 };
const TEAM_WRITERS: Expect = { admin: 200, coordinator: 200, village_lead: 200, default: 403 };
const VISIT_CREATORS: Expect = { ...TEAM_WRITERS, volunteer: 200 };
const INCIDENT_READERS: Expect = {
  admin: 200,
  coordinator: 200,
  leader: 200,
  police: 200,
  province: 200,
  default: 403,
};
const INCIDENT_WRITERS: Expect = { admin: 200, coordinator: 200, police: 200, default: 403 };
/** Reports: read by the commune's leadership and offices and the province; written by admin and coordinator. */
const REPORT_READERS: Expect = { school: 403, village_lead: 403, volunteer: 403, default: 200 };
const REPORT_WRITERS: Expect = { admin: 200, coordinator: 200, default: 403 };
/** The plan in force: read by every role but the volunteer. */
const PLAN_READERS: Expect = { volunteer: 403, market_board: 200, default: 200 };

/** Activities are written by the roles that write residents (a school for its own unit). */
const ACTIVITY_WRITERS: Expect = RESIDENT_WRITERS;
/**
 * Who records attendance of T01's class for r1: a school is out of its scope (404), and so is the
 * economy office (r1 is no worker of its).
 */
const ATTENDANCE_RECORDERS = ["admin", "coordinator", "village_lead", "volunteer"];

/** [method, path (a function, as ids are known only after setup), expectation per role]. */
/** Roles that may change certifications, for a certification of r1 (T01; not a school's student). */
const CERTIFICATION_WRITERS: Expect = {
  admin: 200,
  coordinator: 200,
  police: 200,
  economy: 404, // r1 is not an enterprise worker: out of the economy office's scope
  village_lead: 200,
  school: 404,
  default: 403,
};

/** Markets and vendors (issue 19.3): read by the commune's leadership and offices, written by the coordinator (SPEC §2: all data), the economy office and the market board. */
const MARKET_READERS: Expect = {
  admin: 200,
  coordinator: 200,
  leader: 200,
  police: 200,
  economy: 200,
  market_board: 200,
  province: 200,
  default: 403,
};
const MARKET_WRITERS: Expect = {
  admin: 200,
  coordinator: 200,
  economy: 200,
  market_board: 200,
  default: 403,
};

const pageCases: [string, () => string, Expect][] = [
  ["GET", () => "/markets", MARKET_READERS],
  ["GET", () => "/vendors", MARKET_READERS],
  ["GET", () => "/markets/new", MARKET_WRITERS],
  ["GET", () => "/vendors/new", MARKET_WRITERS],
  ["GET", () => "/", { market_board: 200, default: 200 }],
  ["GET", () => "/account", { market_board: 200, default: 200 }],
  ["GET", () => "/villages", VILLAGE_READERS],
  ["GET", () => `/villages/${v1.id}`, VILLAGE_READERS],
  ["GET", () => "/activities", { default: 200 }],
  ["GET", () => "/activities/calendar", { default: 200 }],
  ["GET", () => "/activities/new", ACTIVITY_WRITERS],
  ["GET", () => `/activities/${a1}`, { school: 404, default: 200 }],
  ["GET", () => `/activities/${a2}`, { school: 404, village_lead: 404, volunteer: 404, default: 200 }],
  ["GET", () => `/activities/${aOther}`, { province: 200, default: 404 }],
  ["GET", () => `/activities/${a1}/edit`, { ...ACTIVITY_WRITERS, school: 404 }],
  ["GET", () => `/activities/${a1}/sessions/${s1}`, { school: 404, default: 200 }],
  [
    "GET",
    () => `/activities/${a2}/sessions/${s2}`,
    { school: 404, village_lead: 404, volunteer: 404, default: 200 },
  ],
  ["GET", () => `/activities/${a1}/sessions/${s2}`, { default: 404 }],
  // Another village of the commune: out of a village team's scope.
  [
    "GET",
    () => `/villages/${v2.id}`,
    { school: 403, village_lead: 404, volunteer: 404, market_board: 200, default: 200 },
  ],
  // Another commune's village: only the province sees across communes.
  [
    "GET",
    () => `/villages/${otherVillage.id}`,
    { school: 403, province: 200, market_board: 404, default: 404 },
  ],
  ["GET", () => "/residents", { default: 200 }],
  ["GET", () => `/residents/${r1}`, { school: 404, economy: 404, default: 200 }],
  ["GET", () => `/residents/${rSchool}`, { economy: 404, default: 200 }],
  [
    "GET",
    () => `/residents/${r2}`,
    { school: 404, economy: 404, village_lead: 404, volunteer: 404, default: 200 },
  ],
  ["GET", () => `/residents/${rWorker}`, { school: 404, default: 200 }],
  ["GET", () => `/residents/${rOther}`, { province: 200, default: 404 }],
  ["GET", () => "/residents/new", RESIDENT_WRITERS],
  ["GET", () => `/residents/${r1}/edit`, { ...RESIDENT_WRITERS, police: 200, school: 404, economy: 404 }],
  ["GET", () => `/residents/${rWorker}/edit`, { ...RESIDENT_WRITERS, police: 200, school: 404 }],
  ["GET", () => "/certifications", { volunteer: 403, default: 200 }],
  ["GET", () => `/certifications/${c1}/edit`, CERTIFICATION_WRITERS],
  ["GET", () => `/certifications/${c1}/delete`, CERTIFICATION_WRITERS],
  ["GET", () => `/certifications/${cSchool}/edit`, { ...CERTIFICATION_WRITERS, school: 200 }],
  ["GET", () => `/certifications/${cWorker}/edit`, { ...CERTIFICATION_WRITERS, economy: 200, school: 404 }],
  [
    "GET",
    () => `/certifications/${cOther}/delete`,
    {
      ...CERTIFICATION_WRITERS,
      default: 403,
      admin: 404,
      coordinator: 404,
      police: 404,
      economy: 404,
      village_lead: 404,
    },
  ],
  ["GET", () => `/villages/${emptyVillage.id}/delete`, { admin: 200, coordinator: 200, default: 403 }],
  ["GET", () => `/villages/${v1.id}/delete`, { admin: 409, coordinator: 409, default: 403 }],
  ["GET", () => `/units/${emptyUnitId}/delete`, { admin: 200, coordinator: 200, economy: 200, default: 403 }],
  [
    "GET",
    () => `/households/${emptyHouseholdId}/delete`,
    { admin: 200, coordinator: 200, village_lead: 200, default: 403 },
  ],
  ["GET", () => "/admin/users", ADMIN_ONLY],
  ["GET", () => "/admin/users/new", ADMIN_ONLY],
  ["GET", () => `/admin/users/${ownUserId}`, ADMIN_ONLY],
  ["GET", () => `/admin/users/${otherUserId}`, { admin: 404, default: 403 }],
  ["GET", () => "/admin/audit", ADMIN_ONLY],
  ["GET", () => "/imports", IMPORTERS],
  // An import job: its owner's only (the coordinator's here); other importers do not find it.
  ["GET", () => `/imports/jobs/${jobId}`, { ...IMPORT_JOB, coordinator: 200 }],
  ["GET", () => `/imports/jobs/${jobId}/status`, { ...IMPORT_JOB, coordinator: 200 }],
  ["GET", () => "/teams", TEAM_READERS],
  ["GET", () => `/teams/${v1.id}`, TEAM_READERS],
  ["GET", () => `/teams/${v2.id}`, TEAM_READERS_T02],
  ["GET", () => `/teams/${otherVillage.id}`, { economy: 403, school: 403, province: 200, default: 404 }],
  ["GET", () => `/teams/${v1.id}/edit`, TEAM_WRITERS],
  ["GET", () => `/teams/${v2.id}/edit`, { ...TEAM_WRITERS, village_lead: 404 }],
  ["GET", () => `/teams/${v1.id}/members/new`, TEAM_WRITERS],
  ["GET", () => `/teams/${v1.id}/members/${m1}/edit`, TEAM_WRITERS],
  ["GET", () => `/teams/${v2.id}/members/${m2}/edit`, { ...TEAM_WRITERS, village_lead: 404 }],
  ["GET", () => "/visits", TEAM_READERS],
  ["GET", () => "/visits/new", VISIT_CREATORS],
  ["GET", () => `/visits/new?household=${h1Id}`, VISIT_CREATORS],
  ["GET", () => `/visits/${visit1}`, TEAM_READERS],
  ["GET", () => `/visits/${visit2}`, TEAM_READERS_T02],
  ["GET", () => `/visits/${visit1}/edit`, TEAM_WRITERS],
  ["GET", () => `/visits/${visit2}/edit`, { ...TEAM_WRITERS, village_lead: 404 }],
  ["GET", () => `/residents/${r1}/assessments`, { economy: 403, school: 404, default: 200 }],
  [
    "GET",
    () => `/residents/${r2}/assessments`,
    { economy: 403, school: 404, village_lead: 404, volunteer: 404, default: 200 },
  ],
  ["GET", () => `/residents/${rSchool}/assessments`, { economy: 403, default: 200 }],
  ["GET", () => "/incidents", INCIDENT_READERS],
  ["GET", () => "/incidents/new", INCIDENT_WRITERS],
  ["GET", () => `/incidents/${incident}`, INCIDENT_READERS],
  ["GET", () => `/incidents/${incident}/edit`, INCIDENT_WRITERS],
  ["GET", () => "/plan", PLAN_READERS],
  ["GET", () => "/plan.json", PLAN_READERS],
  ["GET", () => "/reports", REPORT_READERS],
  ["GET", () => "/reports/new", REPORT_WRITERS],
  ["GET", () => `/reports/${report}`, REPORT_READERS],
  ["GET", () => `/reports/${report}/files/xlsx`, REPORT_READERS],
  ["GET", () => `/reports/${reportOther}`, { ...notFoundFor(REPORT_READERS), province: 200 }],
  // Indicators: every role but the volunteer reads them; lists stay in the reader's scope.
  ["GET", () => "/indicators", INDICATOR_READERS],
  ["GET", () => "/indicators/export.csv", INDICATOR_READERS],
  ["GET", () => "/indicators/export.xlsx", INDICATOR_READERS],
  ["GET", () => "/indicators/adult_skills", INDICATOR_READERS],
  // A school's lists hold its own students, by unit, not by village.
  ["GET", () => "/indicators/adult_skills?village=T01", { ...INDICATOR_READERS, school: 404 }],
  // Another village: out of a village lead's scope; a school sees no village's lists.
  [
    "GET",
    () => "/indicators/adult_skills?village=T02",
    { ...INDICATOR_READERS, village_lead: 404, school: 404 },
  ],
  ["GET", () => "/indicators/digital_households", INDICATOR_READERS],
  ["GET", () => "/indicators/village_propaganda", INDICATOR_READERS],
  ["GET", () => "/indicators/security_incidents", INDICATOR_READERS],
  ["GET", () => "/indicators/student_skills?unit=THCS", INDICATOR_READERS],
  ["GET", () => "/indicators/no_such_code", { ...INDICATOR_READERS, ...notFoundFor(INDICATOR_READERS) }],
  ["GET", () => `/villages/${v1.id}/visit-next`, { ...VILLAGE_READERS, market_board: 403 }],
  ["GET", () => `/villages/${v1.id}/visit-next?print=1`, { ...VILLAGE_READERS, market_board: 403 }],
  [
    "GET",
    () => `/villages/${v2.id}/visit-next`,
    { school: 403, village_lead: 404, volunteer: 404, default: 200 },
  ],
  ["GET", () => `/villages/${otherVillage.id}/visit-next`, { school: 403, province: 200, default: 404 }],
  ["GET", () => `/units/${schoolId}/indicators`, { volunteer: 403, default: 200 }],
  ["GET", () => `/units/${otherUnitId}/indicators`, { volunteer: 403, school: 404, default: 200 }],
  // The province's pages (issue 18.2): the installation's scope only; every commune role 404.
  ...["/province", "/province/map", "/province/export.csv", "/province/export.xlsx"].map(
    (p): [string, () => string, Expect] => ["GET", () => p, { volunteer: 403, province: 200, default: 404 }],
  ),
  ["GET", () => "/province/communes/NO_SUCH", { volunteer: 403, default: 404 }],
];

/** The residents' public pages (SPEC §4.1): everyone, signed in or not, in their own commune. */
const publicCases: (() => string)[] = [
  () => "/trang-chu",
  () => "/lop-hoc?thon=T01",
  () => "/ho-tro",
  () => "/khung-ky-nang",
  () => "/khung-ky-nang/nguoi-dan",
  () => "/hoc",
  () => "/hoc/can-bo",
  () => "/hoc/can-bo/so-tay",
  () => "/hoc/can-bo/so-tay.html",
  () => "/hoc/can-bo/so-tay.pdf",
  () => "/bai-hoc/vneid-muc-2",
  () => "/tu-danh-gia",
  () => "/tu-danh-gia/hoc-sinh",
  () => "/tu-danh-gia/hoc-sinh/cau-hoi?d=01",
  () => "/tu-danh-gia/hoc-sinh/ket-qua?d=010101010101010",
];

describe("public pages, by role", () => {
  for (const path of publicCases) {
    test(`every role and a visitor GET ${path()} → 200; no-store once signed in`, async () => {
      const anonymous = await t.app.request(path());
      assert.equal(anonymous.status, 200);
      assert.match(anonymous.headers.get("cache-control")!, /^public, max-age=\d+$/);
      for (const role of ROLES) {
        const res = await agents.get(role)!.get(path());
        assert.equal(res.status, 200, role);
        assert.equal(res.headers.get("cache-control"), "no-store", role);
      }
    });
  }
});

describe("pages, by role", () => {
  for (const [method, path, expect] of pageCases) {
    for (const role of ROLES) {
      const want = wantOf(expect, role);
      test(`${role} ${method} ${path.toString().replace(/^\(\) => /, "")} → ${want}`, async () => {
        const agent = agents.get(role)!;
        const res = await agent.get(path());
        assert.equal(res.status, want);
        if (want === 403) assert.match(agent.lastHtml, /Bạn không có quyền/);
        if (want === 404)
          assert.match(
            agent.lastHtml,
            /Không tìm thấy trang|"not_found"|Không còn thông tin về lượt nhập này/,
          );
      });
    }
  }

  test("every page needs a sign-in: without one it sends to the login page", async () => {
    for (const [, path] of pageCases) {
      if (path() === "/") continue; // the public home for visitors: see "public pages" below
      const res = await t.app.request(path());
      assert.equal(res.status, 303, path());
      assert.match(res.headers.get("location")!, /^\/login\?next=/);
    }
  });

  test("/ is the residents' public home without a sign-in, the role's home page with one", async () => {
    const res = await t.app.request("/");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Đăng nhập cho cán bộ/);
    await agents.get("coordinator")!.get("/");
    assert.doesNotMatch(agents.get("coordinator")!.lastHtml, /Đăng nhập cho cán bộ/);
  });

  for (const role of ROLES) {
    const want = role === "admin" ? 303 : 403;
    test(`${role} POST /admin/users → ${want}`, async () => {
      const agent = agents.get(role)!;
      await agent.get("/account"); // any page: a fresh CSRF token
      const username = `made-by-${role.replace("_", "-")}`;
      const res = await agent.postForm("/admin/users", {
        username,
        displayName: "Mới",
        role: "leader",
        password: "mat-khau-dai-123",
        password_confirm: "mat-khau-dai-123",
      });
      assert.equal(res.status, want);
    });
  }

  for (const role of ROLES) {
    // Villages: an economy officer imports residents, not villages.
    const want = ["admin", "coordinator"].includes(role) ? 303 : 403;
    test(`${role} POST /imports (villages) → ${want}; commit of another's upload → 422`, async () => {
      const agent = agents.get(role)!;
      if (want === 403) {
        await agent.get("/account");
        const form = new FormData();
        form.append("kind", "villages");
        form.append("file", new File(["Mã thôn,Tên thôn\nT01,Thôn Một\n"], "thon.csv"));
        assert.equal((await agent.postMultipart("/imports", form)).status, 403);
        return;
      }
      const id = role === "coordinator" ? jobId : await uploadVillages(agent);
      await jobDone(agent, id);
      // The coordinator's upload, committed by someone else: not found for them.
      const page = await agents.get("coordinator")!.get(`/imports/jobs/${jobId}`);
      assert.equal(page.status, 200);
      const action = agents
        .get("coordinator")!
        .lastHtml.match(/action="(\/imports\/[0-9a-f]{32}\/commit)"/)![1]!;
      if (role !== "coordinator") {
        await agent.get("/account");
        const res = await agent.postForm(action, {});
        assert.equal(res.status, 422);
        assert.match(agent.lastHtml, /không còn/);
      }
    });
  }

  const writes: [string, Record<string, string>][] = [
    ["", { displayName: "Đích", role: "leader" }],
    ["/disable", {}],
    ["/enable", {}],
    ["/password", { password: "mat-khau-moi-123", password_confirm: "mat-khau-moi-123" }],
  ];
  for (const [suffix, fields] of writes) {
    for (const role of ROLES) {
      const want = role === "admin" ? 303 : 403;
      test(`${role} POST /admin/users/:id${suffix} → ${want}`, async () => {
        const agent = agents.get(role)!;
        await agent.get("/account");
        assert.equal((await agent.postForm(`/admin/users/${targetId}${suffix}`, fields)).status, want);
      });
    }
  }

  /** Activity and attendance writes through the pages, in T01's class (a school: out of scope). */
  const activityWrites: [
    string,
    () => string,
    (role: Role, i: number) => Record<string, string | string[]>,
    Expect,
  ][] = [
    [
      "POST",
      () => "/activities",
      () => ({ code: "", type: "class", title: "Lớp mới", date: "01/06/2026", village: "T01", unit: "THCS" }),
      { admin: 303, coordinator: 303, economy: 303, school: 303, village_lead: 303, default: 403 },
    ],
    [
      "POST",
      () => `/activities/${a1}`,
      () => ({
        code: "HD-T01",
        type: "class",
        title: "Lớp T01",
        date: "11/06/2026",
        village: "T01",
        audience: "resident",
      }),
      { admin: 303, coordinator: 303, economy: 303, village_lead: 303, school: 404, default: 403 },
    ],
    [
      "POST",
      () => `/activities/${a1}/sessions`,
      (_role, i) => ({ date: `${String(i + 1).padStart(2, "0")}/07/2026` }),
      {
        ...Object.fromEntries(ATTENDANCE_RECORDERS.map((r) => [r, 303])),
        school: 404,
        economy: 303, // a session names no one
        default: 403,
      },
    ],
    [
      "POST",
      () => `/activities/${a1}/sessions/${s1}`,
      () => ({ shown: [String(r1)], present: [String(r1)] }),
      {
        ...Object.fromEntries(ATTENDANCE_RECORDERS.map((r) => [r, 303])),
        school: 404,
        // r1 is present already (the roles before it): no change, so nothing of r1 is checked or written.
        economy: 303,
        default: 403,
      },
    ],
    [
      "POST",
      () => `/activities/${a1}/sessions/${s1}/walk-in`,
      () => ({ resident_id: String(r1) }),
      {
        ...Object.fromEntries(ATTENDANCE_RECORDERS.map((r) => [r, 303])),
        school: 404,
        economy: 404,
        default: 403,
      },
    ],
  ];
  for (const [method, path, fields, expect] of activityWrites) {
    ROLES.forEach((role, i) => {
      const want = wantOf(expect, role);
      test(`${role} ${method} ${path.toString().replace(/^\(\) => /, "")} → ${want}`, async () => {
        const agent = agents.get(role)!;
        await agent.get("/account");
        assert.equal((await agent.postForm(path(), fields(role, i))).status, want);
      });
    });
  }

  for (const role of ROLES) {
    const want = ATTENDANCE_RECORDERS.includes(role)
      ? 200
      : role === "school" || role === "economy"
        ? 404
        : 403;
    test(`${role} POST /activities/:id/sessions/:sid/attendance (JSON, one tick) → ${want}`, async () => {
      const agent = agents.get(role)!;
      await agent.get("/account");
      const res = await agent.request(`/activities/${a1}/sessions/${s1}/attendance`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": agent.csrf() },
        body: JSON.stringify({ resident_id: r1, present: true }),
      });
      assert.equal(res.status, want);
    });
  }

  test("an admin cannot change another commune's account (404), nor disable it", async () => {
    const agent = agents.get("admin")!;
    await agent.get("/account");
    assert.equal(
      (await agent.postForm(`/admin/users/${otherUserId}`, { displayName: "x", role: "leader" })).status,
      404,
    );
    await agent.get("/account");
    assert.equal((await agent.postForm(`/admin/users/${otherUserId}/disable`, {})).status, 404);
  });
});

const apiCases: [string, () => string, Expect, unknown?][] = [
  ["GET", () => "/api/v1/me", { market_board: 200, default: 200 }],
  ["GET", () => "/api/v1/markets", MARKET_READERS],
  ["GET", () => "/api/v1/vendors", MARKET_READERS],
  ["GET", () => "/api/v1/villages", VILLAGE_READERS],
  ["GET", () => `/api/v1/villages/${v1.id}`, VILLAGE_READERS],
  [
    "GET",
    () => `/api/v1/villages/${v2.id}`,
    { school: 403, village_lead: 404, volunteer: 404, market_board: 200, default: 200 },
  ],
  [
    "GET",
    () => `/api/v1/villages/${otherVillage.id}`,
    { school: 403, province: 200, market_board: 404, default: 404 },
  ],
  ["GET", () => "/api/v1/residents", { default: 200 }],
  ["GET", () => `/api/v1/residents/${r1}`, { school: 404, economy: 404, default: 200 }],
  [
    "GET",
    () => `/api/v1/residents/${r2}`,
    { school: 404, economy: 404, village_lead: 404, volunteer: 404, default: 200 },
  ],
  ["GET", () => `/api/v1/residents/${rWorker}`, { school: 404, default: 200 }],
  ["GET", () => `/api/v1/residents/${rOther}`, { province: 200, default: 404 }],
  // A change the writer's scope allows: the school's own student; a village team's own village
  // (the economy office writes enterprise workers only).
  [
    "PATCH",
    () => `/api/v1/residents/${rSchool}`,
    { admin: 200, coordinator: 200, police: 200, school: 200, village_lead: 200, economy: 404, default: 403 },
    { disabled: "false" },
  ],
  [
    "PATCH",
    () => `/api/v1/residents/${rOther}`,
    { leader: 403, volunteer: 403, province: 403, default: 404 },
    { disabled: "false" },
  ],
  ["GET", () => "/api/v1/certifications", { volunteer: 403, default: 200 }],
  ["GET", () => `/api/v1/certifications/${c1}`, { school: 404, economy: 404, volunteer: 403, default: 200 }],
  ["GET", () => `/api/v1/certifications/${cWorker}`, { school: 404, volunteer: 403, default: 200 }],
  ["GET", () => `/api/v1/certifications/${cOther}`, { volunteer: 403, province: 200, default: 404 }],
  ["PATCH", () => `/api/v1/certifications/${c1}`, CERTIFICATION_WRITERS, { reference: "SH-1" }],
  [
    "PATCH",
    () => `/api/v1/certifications/${cSchool}`,
    { ...CERTIFICATION_WRITERS, school: 200 },
    { reference: "SH-2" },
  ],
  [
    "DELETE",
    () => `/api/v1/certifications/${cOther}`,
    { admin: 404, coordinator: 404, police: 404, economy: 404, school: 404, village_lead: 404, default: 403 },
  ],
  // Removals of records still referred to: 409 for the roles that may remove, nothing removed.
  ["DELETE", () => `/api/v1/villages/${v1.id}`, { admin: 409, coordinator: 409, default: 403 }],
  ["DELETE", () => `/api/v1/villages/${otherVillage.id}`, { admin: 404, coordinator: 404, default: 403 }],
  ["DELETE", () => `/api/v1/units/${schoolId}`, { admin: 409, coordinator: 409, economy: 409, default: 403 }],
  [
    "DELETE",
    () => `/api/v1/households/${h1Id}`,
    { admin: 409, coordinator: 409, village_lead: 409, default: 403 },
  ],
  // Residents are never removed: 409 for those who may change the resident.
  [
    "DELETE",
    () => `/api/v1/residents/${r1}`,
    { admin: 409, coordinator: 409, police: 409, village_lead: 409, school: 404, economy: 404, default: 403 },
  ],
  ["GET", () => "/api/v1/activities", { default: 200 }],
  ["GET", () => `/api/v1/activities/${a1}`, { school: 404, default: 200 }],
  ["GET", () => `/api/v1/activities/${a2}`, { school: 404, village_lead: 404, volunteer: 404, default: 200 }],
  ["GET", () => `/api/v1/activities/${aOther}`, { province: 200, default: 404 }],
  [
    "PATCH",
    () => `/api/v1/activities/${a1}`,
    { admin: 200, coordinator: 200, economy: 200, village_lead: 200, school: 404, default: 403 },
    { trainer: "Người hướng dẫn" },
  ],
  [
    "PATCH",
    () => `/api/v1/activities/${a2}`,
    { admin: 200, coordinator: 200, economy: 200, village_lead: 404, school: 404, default: 403 },
    { trainer: "Người hướng dẫn" },
  ],
  ["GET", () => `/api/v1/activities/${a1}/sessions`, { school: 404, default: 200 }],
  ["GET", () => "/api/v1/attendance", { default: 200 }],
  ["GET", () => "/api/v1/attendance?activity=HD-T01", { default: 200 }],
  [
    "PUT",
    () => "/api/v1/attendance",
    {
      ...Object.fromEntries(ATTENDANCE_RECORDERS.map((r) => [r, 200])),
      school: 404,
      economy: 404,
      default: 403,
    },
    () => ({ activity: "HD-T01", date: "2026-06-11", resident_id: r1, present: true }),
  ],
  ["GET", () => "/api/v1/users", ADMIN_ONLY],
  ["GET", () => `/api/v1/users/${ownUserId}`, ADMIN_ONLY],
  ["GET", () => `/api/v1/users/${otherUserId}`, { admin: 404, default: 403 }],
  ["PATCH", () => `/api/v1/users/${otherUserId}`, { admin: 404, default: 403 }, { displayName: "x" }],
  ["GET", () => `/api/v1/users/${targetId}`, ADMIN_ONLY],
  ["PATCH", () => `/api/v1/users/${targetId}`, ADMIN_ONLY, { displayName: "Đích API" }],
  ["GET", () => "/api/v1/audit", ADMIN_ONLY],
  ["GET", () => "/api/v1/indicators", { volunteer: 403, default: 200 }],
  ["GET", () => "/api/v1/teams", TEAM_READERS],
  ["GET", () => "/api/v1/team_members", TEAM_READERS],
  ["GET", () => `/api/v1/team_members/${m1}`, TEAM_READERS],
  ["GET", () => `/api/v1/team_members/${m2}`, TEAM_READERS_T02],
  ["PATCH", () => `/api/v1/team_members/${m1}`, TEAM_WRITERS, { role: "Thành viên" }],
  ["PATCH", () => `/api/v1/team_members/${m2}`, { ...TEAM_WRITERS, village_lead: 404 }, { role: "member" }],
  ["GET", () => "/api/v1/visits", TEAM_READERS],
  ["GET", () => `/api/v1/visits/${visit1}`, TEAM_READERS],
  ["GET", () => `/api/v1/visits/${visit2}`, TEAM_READERS_T02],
  ["PATCH", () => `/api/v1/visits/${visit1}`, TEAM_WRITERS, { note: "Đã sửa" }],
  ["PATCH", () => `/api/v1/visits/${visit2}`, { ...TEAM_WRITERS, village_lead: 404 }, { note: "Đã sửa" }],
  ["GET", () => "/api/v1/assessments", { economy: 403, default: 200 }],
  ["GET", () => "/api/v1/incidents", INCIDENT_READERS],
  ["GET", () => `/api/v1/incidents/${incident}`, INCIDENT_READERS],
  ["PATCH", () => `/api/v1/incidents/${incident}`, INCIDENT_WRITERS, { kind: "phishing" }],
  ["GET", () => "/api/v1/plan", PLAN_READERS],
  ["GET", () => "/api/v1/reports", REPORT_READERS],
  ["GET", () => `/api/v1/reports/${report}`, REPORT_READERS],
  ["GET", () => `/api/v1/reports/${reportOther}`, { ...notFoundFor(REPORT_READERS), province: 200 }],
  ["PATCH", () => `/api/v1/reports/${report}`, REPORT_WRITERS, { narrative: { proposals: "Đề xuất" } }],
  [
    "PATCH",
    () => `/api/v1/reports/${reportOther}`,
    { admin: 404, coordinator: 404, default: 403 },
    { number: "1" },
  ],
  ["GET", () => "/api/v1/indicators/trend", { volunteer: 403, default: 200 }],
  ["GET", () => "/api/v1/indicators/adult_skills/residents", { volunteer: 403, default: 200 }],
  [
    "GET",
    () => "/api/v1/indicators/adult_skills/residents?village=T02",
    { volunteer: 403, village_lead: 404, school: 404, default: 200 },
  ],
  ["GET", () => "/api/v1/indicators/digital_households/households", { volunteer: 403, default: 200 }],
  ["GET", () => "/api/v1/indicators/adult_skills/households", { volunteer: 403, default: 404 }],
];

describe("API, by role", () => {
  for (const [method, path, expect, body] of apiCases) {
    for (const role of ROLES) {
      const want = wantOf(expect, role);
      test(`${role} ${method} ${path.toString().replace(/^\(\) => /, "")} → ${want}`, async () => {
        const res = await t.app.request(path(), {
          method,
          headers: bearer(tokens.get(role)!, { "content-type": "application/json" }),
          body: body === undefined ? undefined : JSON.stringify(typeof body === "function" ? body() : body),
        });
        assert.equal(res.status, want, await res.clone().text());
        if (want >= 400) {
          const json = (await res.json()) as { error: { code: string } };
          assert.equal(json.error.code, { 403: "forbidden", 404: "not_found", 409: "conflict" }[want]);
        }
      });
    }
  }

  test("without a token every API route answers 401", async () => {
    for (const [method, path] of apiCases) {
      const res = await t.app.request(path(), {
        method,
        headers: { "content-type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
      assert.equal(res.status, 401, path());
    }
  });

  /**
   * Each role sends its write with its own token and gets `want(role)`. The body is made when the test
   * runs (the ids come from `before`); `i` is the role's place in ROLES, for a natural key of its own.
   */
  function testWriteByRole(write: {
    method?: "POST" | "DELETE";
    route: string;
    path?: () => string;
    want: (role: Role) => number;
    body?: (role: Role, i: number) => unknown;
  }) {
    const method = write.method ?? "POST";
    ROLES.forEach((role, i) => {
      const want = write.want(role);
      test(`${role} ${method} ${write.route} → ${want}`, async () => {
        const res = await t.app.request(write.path?.() ?? write.route, {
          method,
          headers: bearer(tokens.get(role)!, write.body ? { "content-type": "application/json" } : {}),
          body: write.body ? JSON.stringify(write.body(role, i)) : undefined,
        });
        assert.equal(res.status, want, await res.clone().text());
      });
    });
  }

  testWriteByRole({
    route: "/api/v1/users",
    want: (role) => (role === "admin" ? 201 : 403),
    body: (role) => ({
      username: `api-by-${role.replace("_", "-")}`,
      displayName: "API",
      role: "leader",
      password: "mat-khau-dai-123",
    }),
  });

  testWriteByRole({
    route: "/api/v1/residents",
    // Into T01's household: village leads of T01 may, a school only for its own students, the
    // economy office only enterprise workers.
    want: (role) => (["admin", "coordinator", "village_lead"].includes(role) ? 201 : 403),
    body: (role) => ({
      full_name: `Mới Của ${role.replace("_", " ")}`,
      birth_date: "01/01/1990",
      gender: "Nữ",
      village: "T01",
      household: "T01-0001",
    }),
  });

  testWriteByRole({
    route: "/api/v1/certifications",
    // For the school's student (in T01): every role that records certifications reaches them.
    // The economy office does not reach a pupil: the unknown resident's 422, naming no one.
    want: (role) =>
      ["admin", "coordinator", "police", "school", "village_lead"].includes(role)
        ? 201
        : role === "economy"
          ? 422
          : 403,
    body: (_role, i) => ({
      resident_id: rSchool,
      kind: "basic",
      date: `2026-03-${String(i + 1).padStart(2, "0")}`,
      source: "school",
    }),
  });

  testWriteByRole({
    route: "/api/v1/visits",
    // A visit to T01's household by T01's member; each role its own day (the natural key).
    want: (role) => (["admin", "coordinator", "village_lead", "volunteer"].includes(role) ? 201 : 403),
    body: (_role, i) => ({
      household: "T01-0001",
      date: `2026-02-${String(i + 1).padStart(2, "0")}`,
      member: "Thành Viên Một",
      support: ["bank_account", "health_app"],
    }),
  });

  testWriteByRole({
    route: "/api/v1/team_members",
    want: (role) => (["admin", "coordinator", "village_lead"].includes(role) ? 201 : 403),
    body: (role) => ({ village: "T01", full_name: `Thành viên của ${role}`, role: "Thành viên" }),
  });

  testWriteByRole({
    route: "/api/v1/incidents",
    want: (role) => (["admin", "coordinator", "police"].includes(role) ? 201 : 403),
    body: (role) => ({ code: `SC-${role}`, date: "2026-02-03", severity: "Nhẹ", description: "Thử" }),
  });

  testWriteByRole({
    route: "/api/v1/assessments",
    // r1 lives in T01: a school sees only its students (404), economy lacks the permission.
    want: (role) =>
      ["economy", "market_board"].includes(role)
        ? 403
        : role === "school"
          ? 404
          : ["leader", "police", "province"].includes(role)
            ? 403
            : 201,
    body: () => ({
      resident_id: r1,
      date: "2026-02-03",
      audience: "resident",
      levels: {
        data_information: "basic",
        communication: "basic",
        content_creation: "none",
        safety: "basic",
        problem_solving: "none",
        artificial_intelligence: "none",
      },
    }),
  });

  testWriteByRole({
    route: "/api/v1/activities/:id/sessions",
    path: () => `/api/v1/activities/${a1}/sessions`,
    // A session names no one: the economy office adds one too.
    want: (role) =>
      [...ATTENDANCE_RECORDERS, "economy"].includes(role) ? 201 : role === "school" ? 404 : 403,
    body: (_role, i) => ({ date: `2026-08-${String(i + 1).padStart(2, "0")}` }),
  });

  testWriteByRole({
    route: "/api/v1/activities",
    // Into T01 for the school's unit: every activity writer may (a school by its unit).
    want: (role) => (ACTIVITY_WRITERS[role] === 200 ? 201 : 403),
    body: () => ({
      type: "Tuyên truyền",
      title: "Tuyên truyền",
      date: "01/06/2026",
      village: "T01",
      unit: "THCS",
    }),
  });

  testWriteByRole({
    method: "DELETE",
    route: "/api/v1/activities/:id (attendance recorded)",
    path: () => `/api/v1/activities/${a1}`,
    // T01's class has attendance: its writers get 409; a school is out of scope.
    want: (role) =>
      ["admin", "coordinator", "economy", "village_lead"].includes(role)
        ? 409
        : role === "school"
          ? 404
          : 403,
  });

  test("the village list holds only the caller's villages", async () => {
    const list = async (role: Role) => {
      const res = await t.app.request("/api/v1/villages", { headers: bearer(tokens.get(role)!) });
      return ((await res.json()) as { items: { code: string }[] }).items.map((v) => v.code).sort();
    };
    assert.deepEqual(await list("volunteer"), ["T01"]);
    assert.deepEqual(await list("coordinator"), ["T01", "T02", "T03"]);
    assert.deepEqual(await list("province"), ["K01", "T01", "T02", "T03"]);
  });

  test("every role can revoke its own API token, and only its own", async () => {
    for (const role of ROLES) {
      const token = tokens.get(role)!;
      const res = await t.app.request("/api/v1/auth/token", { method: "DELETE", headers: bearer(token) });
      assert.equal(res.status, 204, role);
      assert.equal((await t.app.request("/api/v1/me", { headers: bearer(token) })).status, 401, role);
    }
  });
});
