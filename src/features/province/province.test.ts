import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { buildAdults } from "../../../test/helpers/adults.ts";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildCommune, buildUser, type Commune } from "../../../test/helpers/factories.ts";
import { installationVersionOf } from "../../db/data-version.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { downloadedRows } from "../../test-support/downloads.ts";
import { findAuthUserById } from "../auth/repo.ts";
import { viewerOf } from "../auth/viewer.ts";
import { loadDashboard } from "../indicators/dashboard.ts";
import { currentPlan } from "../indicators/plan.ts";
import { resolveWindow } from "../indicators/service.ts";
import { shapeCount } from "./map.ts";
import { loadProvinceFigures, monthBefore, rankCommunes } from "./service.ts";

let t: TestApp;
let a: Commune;
let b: Commune;
let empty: Commune;
let province: Agent;
let provinceUserId: number;
const agents: Record<string, Agent> = {};
const D = "2026-06-15";
const W = `date=${D}&period=2026`;

/** `n` adults in a new village of the commune, the first certified at the dates given. */
const adults = (commune: Commune, n: number, certified: string[]) =>
  buildAdults(t.db, { commune, n, certified });

/** The row of a commune in a page's ranking table. */
function rowOf(html: string, code: string): string {
  const start = html.indexOf(`data-commune="${code}"`);
  assert.ok(start > 0, `row of ${code}`);
  return html.slice(start, html.indexOf("</tr>", start));
}

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  a = await buildCommune(t.db, { code: "15715", name: "Xã Tân Ninh" });
  b = await buildCommune(t.db, { code: "XB", name: "Xã Bình An" });
  empty = await buildCommune(t.db, { code: "XC", name: "Xã Chưa Có" });
  // A: 4 adults, all certified (one in the last month) → 100 %, 75 % a month earlier. B: 4 adults, 1 → 25 %.
  await adults(a, 4, ["2026-01-10", "2026-03-01", "2026-04-01", "2026-06-01"]);
  await adults(b, 4, ["2026-02-02"]);
  const { user, password } = await buildUser(t.db, { role: "province", commune: t.commune });
  provinceUserId = user.id;
  province = new Agent(t.app);
  await province.login(user.username, password);
  for (const role of ["admin", "coordinator", "leader"] as const) {
    const u = await buildUser(t.db, { role, commune: a });
    agents[role] = new Agent(t.app);
    await agents[role].login(u.user.username, u.password);
  }
});

after(async () => {
  await t.close();
});

describe("the province's ranking", () => {
  test("every commune's figures are those of its own dashboard", async () => {
    const viewer = viewerOf((await findAuthUserById(t.db, provinceUserId))!);
    const plan = currentPlan();
    const w = resolveWindow({ date: D, period: "2026", plan });
    const figures = await loadProvinceFigures({ db: t.db, viewer, ...w });
    assert.equal(figures.communes.length, 4);
    for (const c of [t.commune, a, b, empty]) {
      const own = await loadDashboard({ db: t.db, viewer: { ...viewer, communeId: c.id }, plan, ...w });
      const mine = figures.tables.get(c.id)!.now;
      assert.deepEqual(
        mine.map((i) => [i.code, i.numerator, i.denominator, i.value, i.met]),
        own.table.indicators.map((i) => [i.code, i.numerator, i.denominator, i.value, i.met]),
        c.name,
      );
    }
    const ranked = rankCommunes(figures, "adult_skills");
    assert.deepEqual(
      ranked.map((r) => [r.commune.code, r.rank, r.indicator.value, r.change]),
      [
        ["15715", 1, 1, 0.25],
        ["XB", 2, 0.25, 0],
        // No data: after those ranked, never 0 %.
        ...ranked.slice(2).map((r) => [r.commune.code, null, null, null]),
      ],
    );
    assert.equal(monthBefore("2026-03-31"), "2026-02-28");
    assert.equal(monthBefore("2026-01-15"), "2025-12-15");
  });

  test("the page ranks, sorts, filters to those off target, and says 'no data' for a commune without any", async () => {
    const res = await province.get(`/province?${W}&indicator=adult_skills`);
    assert.equal(res.status, 200);
    const html = province.lastHtml;
    assert.ok(html.indexOf('data-commune="15715"') < html.indexOf('data-commune="XB"'));
    const rowA = rowOf(html, "15715");
    assert.match(rowA, /100,0\u00a0%/);
    assert.match(rowA, /4\/4/);
    assert.match(rowA, /✓ Đạt/);
    assert.match(rowA, /\+25 điểm %/);
    assert.match(rowA, /href="\/province\/communes\/15715\?/);
    const rowEmpty = rowOf(html, "XC");
    assert.match(rowEmpty, /Chưa có số liệu/);
    assert.doesNotMatch(rowEmpty, /0,0\u00a0%/);
    // The province's own figure: 5/8 adults.
    assert.match(html, /Toàn tỉnh: 62,5\u00a0% \(5\/8 người\)/);
    // The header names the province, not the commune the account sits in.
    assert.match(html, /<p class="site-header__commune">Tỉnh Thanh Hóa \(toàn tỉnh\)<\/p>/);

    await province.get(`/province?${W}&indicator=adult_skills&sort=name`);
    const byName = province.lastHtml;
    assert.ok(byName.indexOf('data-commune="XB"') < byName.indexOf('data-commune="XC"'));
    assert.ok(byName.indexOf('data-commune="XC"') < byName.indexOf('data-commune="15715"'));

    await province.get(`/province?${W}&indicator=adult_skills&off=1`);
    const off = province.lastHtml;
    assert.ok(!off.includes('data-commune="15715"'), "A meets the 100 % target");
    assert.ok(off.includes('data-commune="XB"'));
    assert.ok(off.includes('data-commune="XC"'), "no data is off target");

    await province.get(`/province?${W}&indicator=adult_skills&lang=en`);
  });

  test("the map draws every shape, credits its source and repeats the figures in a table", async () => {
    const res = await province.get(`/province/map?${W}&indicator=adult_skills`);
    assert.equal(res.status, 200);
    const html = province.lastHtml;
    const svg = html.slice(html.indexOf("<svg"), html.indexOf("</svg>"));
    assert.ok((svg.match(/<path /g) ?? []).length >= shapeCount());
    // Tân Ninh (15715) is on the map and met: the darkest green, once; the others are not on it.
    assert.equal(svg.split('fill="#1a9850"').length - 1, 1);
    assert.ok(html.includes("Thang Le Quoc") && html.includes("MIT License"), "the map's attribution");
    assert.ok(/Không có trên bản đồ: [^<]*Xã Bình An/.test(html), "communes not on the map are named");
    assert.match(rowOf(html, "15715"), /map-swatch--4/);
    assert.match(rowOf(html, "XC"), /map-swatch--none/);
    assert.ok(!html.includes("style="), "no inline style (CSP)");
  });

  test("the download has every commune × indicator, with 'no data' as such", async () => {
    const res = await province.get(`/province/export.csv?${W}`);
    assert.equal(res.status, 200);
    const rows = await downloadedRows(res, "csv");
    assert.equal(rows.length - 1, 4 * currentPlan().indicators.length);
    const adultsOf = (code: string) => rows.find((r) => r[0] === code && r[3] === "adult_skills")!;
    // Code, name, no., code, title, rank, numerator, denominator, value, target, met, before, change, no data…
    assert.deepEqual(adultsOf("15715").slice(5, 9).map(String), ["1", "4", "4", "1"]);
    const none = adultsOf("XC");
    assert.deepEqual(
      [none[5], none[6], none[7], none[8]].map((x) => x ?? ""),
      ["", "", "", ""],
    );
    const xlsx = await province.get(`/province/export.xlsx?${W}`);
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get("content-type") ?? "", /spreadsheetml/);
  });

  test("a commune's row opens its dashboard, read-only; an unknown commune is 404", async () => {
    const res = await province.get(`/province/communes/15715?${W}`);
    assert.equal(res.status, 200);
    const html = province.lastHtml;
    assert.match(html, /Chỉ tiêu của Xã Tân Ninh/);
    assert.match(html, /chỉ xem/);
    assert.ok(!html.includes("/indicators/export"), "no downloads of another commune's lists");
    assert.ok(
      !html.includes('href="/indicators/adult_skills'),
      "no drill-downs into the viewer's own commune",
    );
    assert.match(html, /4\/4/);
    assert.equal((await province.get(`/province/communes/NOPE?${W}`)).status, 404);
  });

  test("the figures follow a write anywhere in the installation (cache by version)", async () => {
    const viewer = viewerOf((await findAuthUserById(t.db, provinceUserId))!);
    const w = resolveWindow({ date: D, period: "2026", plan: currentPlan() });
    const first = await loadProvinceFigures({ db: t.db, viewer, ...w });
    const again = await loadProvinceFigures({ db: t.db, viewer, ...w });
    assert.equal(again.cached, true);
    await adults(b, 1, ["2026-06-10"]);
    const fresh = await loadProvinceFigures({ db: t.db, viewer, ...w });
    assert.equal(fresh.cached, false);
    const bNow = (f: typeof first) => f.tables.get(b.id)!.now.find((i) => i.code === "adult_skills")!;
    assert.deepEqual([bNow(first).numerator, bNow(first).denominator], [1, 4]);
    assert.deepEqual([bNow(fresh).numerator, bNow(fresh).denominator], [2, 5]);
  });
});

describe("scope", () => {
  const paths = [
    `/province?${W}`,
    `/province/map?${W}`,
    `/province/export.csv?${W}`,
    `/province/export.xlsx?${W}`,
    `/province/communes/XB?${W}`,
  ];

  test("a commune's roles get 404 on every province page", async () => {
    for (const role of Object.keys(agents)) {
      for (const p of paths) {
        const res = await agents[role]!.get(p);
        assert.equal(res.status, 404, `${role} ${p}`);
      }
    }
    // Not signed in: to the sign-in page, as everywhere.
    const anon = await new Agent(t.app).get(`/province?${W}`);
    assert.equal(anon.status, 303);
  });

  test("the province role reads every page and writes nothing", async () => {
    const counts = async () =>
      (
        (await t.db.execute(sql`select
          (select count(*) from audit_events) as audit,
          (select count(*) from residents) as residents,
          (select count(*) from certifications) as certifications,
          (select count(*) from reports) as reports`)) as unknown as { rows: Record<string, unknown>[] }
      ).rows[0];
    const before = { version: await installationVersionOf(t.db), ...(await counts()) };
    for (const p of paths) assert.equal((await province.get(p)).status, 200, p);
    // A write, tried: refused.
    await province.get("/province");
    const res = await province.request("/api/v1/residents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ full_name: "Không Được Ghi" }),
    });
    assert.ok([401, 403, 404].includes(res.status), `write refused (${res.status})`);
    assert.deepEqual({ version: await installationVersionOf(t.db), ...(await counts()) }, before);
  });
});
