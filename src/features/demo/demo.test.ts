import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { and, count, eq, gte, type SQL, sql } from "drizzle-orm";
import { Agent, useTestApp } from "../../../test/helpers/app.ts";
import { buildCommune, buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import {
  activities,
  certifications,
  communes,
  type households,
  residents,
  teamMembers,
  teams,
  villages,
} from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError } from "../../lib/errors.ts";
import { cliActor } from "../audit/service.ts";
import { IMPORT_KINDS } from "../imports/types.ts";
import { currentPlan } from "../indicators/plan.ts";
import { computeIndicators, resolveWindow } from "../indicators/service.ts";
import { buildReportModel } from "../reports/build.ts";
import { createDemoCommune } from "./service.ts";

const t = useTestApp();

const n = async (table: typeof residents | typeof villages | typeof households | typeof certifications) =>
  (await t.db.select({ n: count() }).from(table))[0]!.n;

describe("the demo commune", () => {
  test("is built through the import engine, marked as demo, and shown as such on every page", async () => {
    const steps: string[] = [];
    const counts = await createDemoCommune({
      db: t.db,
      communeId: t.commune.id,
      actor: cliActor(t.commune.id),
      residents: 400,
      onStep: (k) => steps.push(k),
    });
    // Every kind, in the importer's order, but the markets and their vendors (the demo has none).
    const marketKinds: readonly string[] = ["markets", "vendors"];
    assert.deepEqual(
      steps,
      IMPORT_KINDS.filter((k) => !marketKinds.includes(k)),
    );
    assert.equal(await n(villages), 20);
    assert.equal(await n(residents), 400);
    assert.equal(counts.residents, 400);
    assert.ok(counts.activities > 40 && counts.attendance > 100, JSON.stringify(counts));
    assert.ok(counts.team_members >= 20 * 2 && counts.visits >= 19, JSON.stringify(counts));
    assert.equal(counts.incidents, 3);
    assert.ok((await n(certifications)) > 50);
    const [c] = await t.db
      .select({ demo: communes.demo })
      .from(communes)
      .where(eq(communes.id, t.commune.id));
    assert.equal(c!.demo, true);
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    await a.get("/residents");
    assert.match(a.lastHtml, /DỮ LIỆU MẪU/);
  });

  test("every household has a head (Chủ hộ), one of its own residents, shown on the households page", async () => {
    const result = (await t.db.execute(sql`
      select h.code, h.head_name,
        exists (select 1 from residents r where r.household_id = h.id and r.full_name = h.head_name) as member
      from households h where h.commune_id = ${t.commune.id}`)) as unknown as {
      rows: { code: string; head_name: string | null; member: boolean }[];
    };
    assert.equal(result.rows.length, 100);
    for (const h of result.rows) assert.ok(h.head_name && h.member, `${h.code}: ${h.head_name}`);
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = new Agent(t.app);
    await a.login(user.username, TEST_PASSWORD);
    await a.get("/households?q=T01-00001");
    const first = result.rows.find((h) => h.code === "T01-00001")!;
    assert.ok(a.lastHtml.includes(first.head_name!), "the list shows the head's name");
  });

  test("is alive: indicators 6, 7 and 8 move and some villages lag; the dashboard knows it", async () => {
    const plan = currentPlan();
    const { date, period } = resolveWindow({ plan });
    const table = await computeIndicators({ db: t.db, communeId: t.commune.id, plan, date, period });
    const ind = (code: string) => table.indicators.find((i) => i.code === code)!;
    assert.ok(ind("village_propaganda").numerator! > 0, "indicator 6");
    assert.ok(ind("digital_learning_day").value! > 0, "indicator 7");
    assert.ok(ind("active_village_teams").numerator! > 0, "indicator 8");
    const lagging = (code: string) =>
      Object.values(ind(code).byVillage ?? {}).filter((r) => r.value !== null && r.value < 1).length;
    assert.ok(lagging("village_propaganda") + lagging("active_village_teams") > 0);
    assert.equal(Object.keys(ind("active_village_teams").byVillage ?? {}).length, 20);
  });

  test("the public pages list upcoming classes and the published team contacts, never an unpublished phone", async () => {
    const today = todayInVietnam();
    /** The titles of the commune's classes that also meet `when`. */
    const classTitles = (...when: SQL[]) =>
      t.db
        .selectDistinct({ title: activities.title })
        .from(activities)
        .where(and(eq(activities.communeId, t.commune.id), eq(activities.type, "class"), ...when));
    const upcoming = await classTitles(
      gte(activities.date, today),
      sql`not exists (select 1 from activity_sessions s where s.activity_id = ${activities.id})`,
    );
    assert.ok(upcoming.length > 0, "the demo plans classes ahead");
    // What the home lists: the classes met from today on, by a session or (planned) by their date.
    // On 1 January the demo's year so far is today, so today's sessions come first.
    const fromToday = await classTitles(
      sql`(exists (select 1 from activity_sessions s where s.activity_id = ${activities.id} and s.date >= ${today})
            or (${activities.date} >= ${today} and not exists (select 1 from activity_sessions s where s.activity_id = ${activities.id})))`,
    );
    const visitor = new Agent(t.app);
    await visitor.get("/");
    assert.ok(
      fromToday.some((c) => visitor.lastHtml.includes(c.title)),
      "the public home lists an upcoming class of the demo",
    );

    const members = await t.db
      .select({
        village: villages.code,
        published: teams.publishContacts,
        name: teamMembers.fullName,
        role: teamMembers.role,
        phone: teamMembers.phone,
      })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(villages, eq(villages.id, teams.villageId))
      .where(eq(teamMembers.communeId, t.commune.id));
    const spaced = (p: string) => p.replace(/^(\d{4})(\d{3})(\d{3})$/, "$1 $2 $3");
    const published = members.filter((m) => m.published && m.role === "leader" && m.phone);
    const hidden = members.filter((m) => !m.published && m.phone);
    assert.ok(published.length > 0 && hidden.length > 0);
    const leader = published[0]!;
    await visitor.get(`/?thon=${leader.village}`);
    assert.ok(visitor.lastHtml.includes(leader.name));
    assert.ok(visitor.lastHtml.includes(spaced(leader.phone!)));
    const quiet = hidden[0]!.village;
    for (const path of ["/ho-tro", `/?thon=${quiet}`, `/lop-hoc?thon=${quiet}`]) {
      await visitor.get(path);
      for (const m of hidden) {
        assert.ok(!visitor.lastHtml.includes(m.phone!), `${path}: ${m.phone}`);
        assert.ok(!visitor.lastHtml.includes(spaced(m.phone!)), `${path}: ${m.phone}`);
      }
    }
    await visitor.get("/ho-tro");
    assert.ok(published.every((m) => visitor.lastHtml.includes(spaced(m.phone!))));
  });

  test("the official report has classes in its activities and visits in its visits section", async () => {
    const plan = currentPlan();
    const { date, period } = resolveWindow({ plan });
    const { model } = await buildReportModel({
      db: t.db,
      communeId: t.commune.id,
      plan,
      period,
      date,
      narrative: { overview: "", difficulties: "", nextSteps: "", proposals: "" },
      number: null,
      signedOn: date,
      signerName: null,
      lang: "vi",
    });
    const section = (re: RegExp) => model.sections.find((s) => re.test(s.heading))!.paragraphs;
    const held = section(/CÁC HOẠT ĐỘNG ĐÃ TỔ CHỨC/);
    assert.ok(
      held.some((p) =>
        /^- Lớp học: [1-9][\d.]* lớp, [1-9][\d.]* buổi học, [1-9][\d.]* người tham dự$/.test(p),
      ),
      held.join("\n"),
    );
    assert.ok(
      held.some((p) => p.startsWith("- Tuyên truyền:")),
      held.join("\n"),
    );
    const visited = section(/ĐI TỪNG NGÕ/);
    assert.match(visited[0]!, /đã thực hiện [1-9][\d.]* lượt thăm, hỗ trợ [1-9][\d.]* hộ gia đình/);
    assert.ok(visited.length > 1, visited.join("\n"));
  });

  test("dated around 1 January, the year's figures and report already have the movement in them", async () => {
    const other = await buildCommune(t.db);
    const today = `${todayInVietnam().slice(0, 4)}-01-01`;
    await createDemoCommune({
      db: t.db,
      communeId: other.id,
      actor: cliActor(other.id),
      residents: 200,
      today,
    });
    const plan = currentPlan();
    const period = resolveWindow({ plan, date: today }).period;
    const table = await computeIndicators({ db: t.db, communeId: other.id, plan, date: today, period });
    const ind = (code: string) => table.indicators.find((i) => i.code === code)!;
    assert.ok(ind("village_propaganda").numerator! > 0);
    assert.ok(ind("digital_learning_day").value! > 0);
    assert.ok(ind("active_village_teams").numerator! > 0);
    const { model } = await buildReportModel({
      db: t.db,
      communeId: other.id,
      plan,
      period,
      date: today,
      narrative: { overview: "", difficulties: "", nextSteps: "", proposals: "" },
      number: null,
      signedOn: today,
      signerName: null,
      lang: "vi",
    });
    const text = model.sections.flatMap((s) => s.paragraphs).join("\n");
    assert.match(text, /- Lớp học: [1-9][\d.]* lớp/);
    assert.match(text, /đã thực hiện [1-9][\d.]* lượt thăm/);
  });

  test("refuses a commune that already has residents, and changes nothing", async () => {
    const before = await n(residents);
    await assert.rejects(
      createDemoCommune({ db: t.db, communeId: t.commune.id, actor: cliActor(t.commune.id), residents: 100 }),
      (e: unknown) => e instanceof AppError && e.msg.key === "demo.not_empty",
    );
    assert.equal(await n(residents), before);
  });
});
