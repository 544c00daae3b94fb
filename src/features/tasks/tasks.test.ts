import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildHousehold, buildResident, buildUnit, buildVillage } from "../../../test/helpers/factories.ts";
import { auditEvents, taskEvidence, taskProgress, villages } from "../../db/schema.ts";
import { resetClock, setClock, startingAt } from "../../lib/clock.ts";
import { cliActor } from "../audit/service.ts";
import { parsePeriod } from "../indicators/period.ts";
import { DEFAULT_PLAN_FILE, loadPlan, parsePlan } from "../indicators/plan.ts";
import { erasePerson } from "../privacy/person.ts";
import { buildReportModel } from "../reports/build.ts";
import { createUser } from "../users/service.ts";
import { taskReportSection } from "./report-section.ts";
import { dueDates } from "./schedule.ts";
import { taskTimeliness } from "./service.ts";

/** A real 1×1 PNG and the first bytes of a JPEG (a JFIF header). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xd9,
]);

describe("the plan's tasks in the plan file", () => {
  test("the shipped Tân Ninh 2026 plan carries section V's tasks with units, rhythm and indicators", () => {
    const plan = loadPlan();
    assert.ok(plan.tasks.length >= 10);
    const police = plan.tasks.find((t) => t.code === "V.7")!;
    assert.deepEqual(police.units, ["CAX"]);
    assert.equal(police.schedule.kind, "monthly");
    assert.deepEqual(police.indicators, ["vneid_16plus", "adult_vneid_confirmed"]);
    assert.deepEqual(plan.tasks.find((t) => t.code === "V.2")!.schedule, { kind: "yearly", on: "10/10" });
    assert.ok(plan.tasks.some((t) => t.villages && t.units.length === 0));
    assert.ok(plan.tasks.some((t) => t.schedule.kind === "continuous"));
    for (const t of plan.tasks)
      for (const c of t.indicators) assert.ok(plan.indicators.some((i) => i.code === c));
  });

  test("a task with an unknown indicator, a repeated code, no units or a bad day is refused with its place", () => {
    const plan = JSON.parse(fs.readFileSync(DEFAULT_PLAN_FILE, "utf8"));
    const bad = (edit: (p: typeof plan) => void, pattern: RegExp) => {
      const p = structuredClone(plan);
      edit(p);
      assert.throws(() => parsePlan(JSON.stringify(p, null, 2), "x.json"), pattern);
    };
    bad((p) => {
      p.tasks[0].indicators = ["no_such"];
    }, /no_such is not an indicator/);
    bad((p) => {
      p.tasks[1].code = p.tasks[0].code;
    }, /repeats task 1/);
    bad((p) => {
      p.tasks[0].units = [];
    }, /units/);
    bad((p) => {
      p.tasks[1].schedule = { kind: "yearly", on: "31/02" };
    }, /dd\/mm/);
    bad((p) => {
      p.tasks[0].schedule = { kind: "weekly" };
    }, /schedule/);
  });

  test("due dates follow the rhythm within the plan's span", () => {
    const span = { startDate: "2026-01-01", endDate: "2026-12-31" };
    const monthly = dueDates({ kind: "monthly", day: 31 }, span);
    assert.equal(monthly.length, 12);
    assert.equal(monthly[1], "2026-02-28");
    assert.equal(monthly[3], "2026-04-30");
    assert.deepEqual(dueDates({ kind: "quarterly", day: 15 }, span), [
      "2026-03-15",
      "2026-06-15",
      "2026-09-15",
      "2026-12-15",
    ]);
    assert.deepEqual(dueDates({ kind: "yearly", on: "10/10" }, span), ["2026-10-10"]);
    assert.deepEqual(dueDates({ kind: "once", due: "2026-06-30" }, span), ["2026-06-30"]);
    assert.deepEqual(dueDates({ kind: "continuous" }, span), []);
    assert.deepEqual(
      dueDates({ kind: "monthly", day: 25 }, { startDate: "2026-03-30", endDate: "2026-05-24" }),
      ["2026-04-25"],
    );
  });
});

let t: TestApp;
const password = "mat-khau-dai-123";
const agents: Record<string, Agent> = {};
let policeToken = "";
let coordinatorToken = "";

async function account(
  username: string,
  role: "police" | "coordinator" | "school" | "village_lead",
  extra = {},
) {
  await createUser({
    db: t.db,
    actor: cliActor(t.commune.id),
    scope: { kind: "commune", communeId: t.commune.id },
    communeId: t.commune.id,
    input: { username, displayName: `Cán bộ ${username}`, role, password, ...extra },
  });
  const agent = new Agent(t.app);
  await agent.login(username, password);
  agents[username] = agent;
}

const form = (
  fields: Record<string, string>,
  files: { name: string; bytes: Uint8Array; type?: string }[] = [],
) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const x of files) f.append("evidence", new File([x.bytes], x.name, { type: x.type ?? "image/png" }));
  return f;
};
const progressCount = async () => (await t.db.select({ n: count() }).from(taskProgress))[0]!.n;
const evidenceCount = async () => (await t.db.select({ n: count() }).from(taskEvidence))[0]!.n;

describe("units' officers record progress; the coordinator sees what is overdue", () => {
  before(async () => {
    // 15 June 2026: V.7 (Công an xã, monthly on the 25th) has five due dates passed.
    setClock(startingAt("2026-06-15T09:00:00+07:00"));
    t = await createTestApp();
    const commune = { ...t.commune };
    await buildUnit(t.db, { commune, code: "CAX", name: "Công an xã Tân Ninh" });
    await buildUnit(t.db, { commune, code: "THTN", name: "Trường Tiểu học Tân Ninh", type: "school" });
    await buildVillage(t.db, { commune, code: "T01", name: "Thôn Đông Hòa" });
    await buildVillage(t.db, { commune, code: "T02", name: "Thôn Tây Sơn" });
    await account("congan", "police", { unit: "CAX" });
    await account("dieuphoi", "coordinator");
    await account("truongtieuhoc", "school", { unit: "THTN" });
    await account("truongthon", "village_lead", { villages: ["T01"] });
    policeToken = await apiToken(t.app, "congan", password);
    coordinatorToken = await apiToken(t.app, "dieuphoi", password);
  });
  after(async () => {
    resetClock();
    await t.close();
  });

  test("an officer whose account names a unit sees that unit's tasks; others are 404", async () => {
    const school = agents.truongtieuhoc!;
    const res = await school.get("/tasks");
    assert.equal(res.status, 200);
    assert.match(school.lastHtml, /V\.9/);
    assert.doesNotMatch(school.lastHtml, /href="\/tasks\/V\.7"/);
    assert.equal((await school.get("/tasks/V.7")).status, 404);
    const lead = agents.truongthon!;
    await lead.get("/tasks/V.12");
    assert.match(lead.lastHtml, /Thôn Đông Hòa/);
    assert.doesNotMatch(lead.lastHtml, /Thôn Tây Sơn/);
  });

  test("the police officer records V.7 with a photo; the file is served from the database and its view audited", async () => {
    const police = agents.congan!;
    await police.get("/tasks/V.7");
    assert.match(police.lastHtml, /Ghi nhận tiến độ/);
    const res = await police.postMultipart(
      "/tasks/V.7/progress",
      form({ due: "2026-05-25", status: "done", result: "Cấp 312 tài khoản mức 2 trong tháng 5." }, [
        { name: "anh-hop.png", bytes: PNG },
      ]),
    );
    assert.equal(res.status, 303, police.lastHtml.slice(0, 500));
    await police.get("/tasks/V.7");
    assert.match(police.lastHtml, /Cấp 312 tài khoản mức 2/);
    const link = /href="(\/tasks\/evidence\/\d+)"/.exec(police.lastHtml)?.[1];
    assert.ok(link);
    const file = await police.request(link);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "image/png");
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
    const actions = (await t.db.select({ a: auditEvents.action }).from(auditEvents)).map((r) => r.a);
    assert.ok(actions.includes("task.progress"));
    assert.ok(actions.includes("task.evidence_view"));
    // Another unit's officer cannot open it.
    assert.equal((await agents.truongtieuhoc!.request(link)).status, 404);
  });

  test("bad uploads get a clear Vietnamese message and change nothing", async () => {
    const police = agents.congan!;
    const before = [await progressCount(), await evidenceCount()];
    const cases: [string, { name: string; bytes: Uint8Array }, RegExp][] = [
      [
        "text disguised as a photo",
        { name: "anh.png", bytes: Buffer.from("<html>not a photo</html>") },
        /không phải ảnh JPEG, PNG hay tệp PDF/,
      ],
      ["an empty file", { name: "trong.jpg", bytes: new Uint8Array(0) }, /rỗng/],
      [
        "a file over 5 MB",
        { name: "lon.png", bytes: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]) },
        /quá lớn; mỗi tệp minh chứng tối đa 5 MB/,
      ],
    ];
    for (const [what, file, message] of cases) {
      await police.get("/tasks/V.7");
      const res = await police.postMultipart(
        "/tasks/V.7/progress",
        form({ due: "2026-04-25", status: "done", result: "Báo cáo tháng 4." }, [file]),
      );
      assert.equal(res.status, 422, what);
      assert.match(police.lastHtml, message, what);
      assert.match(police.lastHtml, /Báo cáo tháng 4\./, `${what}: the form keeps what was typed`);
    }
    await police.get("/tasks/V.7");
    const res = await police.postMultipart(
      "/tasks/V.7/progress",
      form({ due: "2026-13-01", status: "x", result: "" }),
    );
    assert.equal(res.status, 422);
    assert.match(police.lastHtml, /Chọn một lượt đến hạn/);
    assert.match(police.lastHtml, /Chọn tình trạng/);
    assert.deepEqual([await progressCount(), await evidenceCount()], before);
  });

  test("a school officer cannot record another unit's task", async () => {
    const school = agents.truongtieuhoc!;
    await school.get("/tasks/V.9");
    const res = await school.postMultipart("/tasks/V.7/progress", form({ status: "done", result: "x" }));
    assert.equal(res.status, 404);
  });

  test("the coordinator's overdue list is computed from the clock, by due dates", async () => {
    const coordinator = agents.dieuphoi!;
    await coordinator.get("/tasks/overdue");
    assert.match(coordinator.lastHtml, /15\/06\/2026/);
    // V.7: January–April are overdue, May was reported done.
    for (const d of ["25/01/2026", "25/04/2026"]) assert.match(coordinator.lastHtml, new RegExp(d));
    const api = await t.app.request("/api/v1/tasks/overdue", { headers: bearer(coordinatorToken) });
    const body = (await api.json()) as {
      date: string;
      items: { code: string; due: string; assignee: { code: string } }[];
    };
    assert.equal(body.date, "2026-06-15");
    const v7 = body.items.filter((i) => i.code === "V.7").map((i) => i.due);
    assert.deepEqual(v7.sort(), ["2026-01-25", "2026-02-25", "2026-03-25", "2026-04-25"]);
    // Villages carry V.12 each; V.2 (10/10) is not due yet.
    assert.ok(body.items.some((i) => i.code === "V.12" && i.assignee.code === "T02"));
    assert.ok(!body.items.some((i) => i.code === "V.2"));
  });

  test("the API lists the caller's tasks and records progress with evidence (multipart)", async () => {
    const list = await t.app.request("/api/v1/tasks", { headers: bearer(policeToken) });
    assert.equal(list.status, 200);
    const tasks = (
      (await list.json()) as { items: { code: string; assignments: { canRecord: boolean }[] }[] }
    ).items;
    const v7 = tasks.find((x) => x.code === "V.7")!;
    assert.equal(v7.assignments[0]!.canRecord, true);
    const res = await t.app.request("/api/v1/tasks/V.7/progress", {
      method: "POST",
      headers: bearer(policeToken),
      body: form({ due: "2026-04-25", status: "done", result: "Báo cáo tháng 4 (gửi muộn)." }, [
        { name: "quyet-dinh.jpg", bytes: JPEG, type: "image/jpeg" },
      ]),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const bad = await t.app.request("/api/v1/tasks/V.7/progress", {
      method: "POST",
      headers: bearer(policeToken),
      body: form({ due: "2026-03-25", status: "done", result: "x" }, [
        { name: "scan.pdf", bytes: Buffer.from("MZ\x90\x00 an executable") },
      ]),
    });
    assert.equal(bad.status, 422);
    const err = (await bad.json()) as { error: { fields: Record<string, string> } };
    assert.match(err.error.fields.evidence!, /không phải ảnh JPEG, PNG hay tệp PDF/);
    const one = (await (
      await t.app.request("/api/v1/tasks/V.7", { headers: bearer(policeToken) })
    ).json()) as {
      assignments: { occurrences: { due: string; status: string; onTime: boolean | null }[] }[];
    };
    const april = one.assignments[0]!.occurrences.find((o) => o.due === "2026-04-25")!;
    assert.deepEqual([april.status, april.onTime], ["done", false]);
  });

  test("timeliness per unit and village, and the report's section on the units' tasks", async () => {
    const q2 = parsePeriod("2026-Q2")!;
    const tl = await taskTimeliness(t.db, t.commune.id, q2);
    assert.equal(tl.date, "2026-06-15");
    // V.7's April, May and June-to-date due dates (June 25 not yet): April late, May on time... May was
    // reported on 15 June, after 25 May: late too.
    assert.deepEqual(tl.units.CAX, { name: "Công an xã Tân Ninh", due: 2, done: 2, onTime: 0, overdue: 0 });
    assert.equal(tl.villages.T01!.overdue, 3);
    const section = await taskReportSection({
      db: t.db,
      communeId: t.commune.id,
      plan: loadPlan(),
      period: q2,
      date: "2026-06-15",
      lang: "vi",
    });
    assert.equal(section.heading, "V. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ");
    const v7 = section.paragraphs.find((p) => p.startsWith("- V.7."))!;
    assert.match(v7, /2\/2 lượt hoàn thành, 0 đúng hạn/);
    const v12 = section.paragraphs.find((p) => p.startsWith("- V.12."))!;
    assert.match(v12, /quá hạn: .*Thôn Đông Hòa/);
    // The report builder places it after the visits, before the officer's parts.
    const { model } = await buildReportModel({
      db: t.db,
      communeId: t.commune.id,
      plan: loadPlan(),
      period: q2,
      date: "2026-06-15",
      narrative: { overview: "", difficulties: "", nextSteps: "", proposals: "" },
      number: null,
      signedOn: "2026-06-15",
      signerName: null,
      lang: "vi",
    });
    assert.deepEqual(
      model.sections.map((x) => x.heading.split(".")[0]),
      ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"],
    );
    assert.deepEqual(model.sections[4], section);
  });

  test("erasing a person on request scrubs their name from task results", async () => {
    const [village] = await t.db.select().from(villages).where(eq(villages.code, "T01"));
    const household = await buildHousehold(t.db, { village: village!, code: "T01-99" });
    const resident = await buildResident(t.db, {
      household,
      fullName: "Lò Thị Mây",
      birthDate: "1950-03-03",
    });
    const police = agents.congan!;
    await police.get("/tasks/V.8");
    const res = await police.postMultipart(
      "/tasks/V.8/progress",
      form({ status: "in_progress", result: "Cảnh báo lừa đảo cho bà Lò Thị Mây và hàng xóm." }),
    );
    assert.equal(res.status, 303);
    await erasePerson({
      db: t.db,
      communeId: t.commune.id,
      key: { residentId: resident.id },
      reason: "Yêu cầu xóa dữ liệu",
      actor: cliActor(t.commune.id),
    });
    const results = (await t.db.select({ r: taskProgress.result }).from(taskProgress)).map((x) => x.r);
    assert.ok(results.some((r) => r.includes("Cảnh báo lừa đảo cho bà")));
    assert.ok(!results.some((r) => r.includes("Lò Thị Mây")));
  });

  test("later, the next due dates fall overdue by themselves", async () => {
    setClock(startingAt("2026-06-26T08:00:00+07:00"));
    // Eleven days on, the session has expired: sign in again.
    const coordinator = new Agent(t.app);
    await coordinator.login("dieuphoi", password);
    await coordinator.get("/tasks/overdue");
    assert.match(coordinator.lastHtml, /26\/06\/2026/);
    assert.match(coordinator.lastHtml, /25\/06\/2026/);
    await coordinator.get("/tasks");
    assert.match(coordinator.lastHtml, /Nhiệm vụ quá hạn \(\d+\)/);
  });
});
