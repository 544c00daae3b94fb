import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  type Resident,
  TEST_PASSWORD,
} from "../../../test/helpers/factories.ts";
import { assessments, auditEvents, certifications } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { ASSESSMENT_DOMAINS } from "./domains.ts";

let t: TestApp;
let r1: Resident;
let r2: Resident;
const agents: Record<string, Agent> = {};
const tokens: Record<string, string> = {};

// Its fixtures are dated in 2026 up to November (past dates, due reports): the test sets its day.
setClock(startingAt("2026-11-25T10:00:00+07:00"));

before(async () => {
  t = await createTestApp();
  const v1 = await buildVillage(t.db, { commune: t.commune, code: "T01" });
  const v2 = await buildVillage(t.db, { commune: t.commune, code: "T02" });
  r1 = await buildResident(t.db, {
    household: await buildHousehold(t.db, { village: v1 }),
    fullName: "Bà Tư",
  });
  r2 = await buildResident(t.db, { household: await buildHousehold(t.db, { village: v2 }) });
  for (const [key, role, villages] of [
    ["vol1", "volunteer", [v1]],
    ["coordinator", "coordinator", []],
    ["province", "province", []],
  ] as const) {
    const { user } = await buildUser(t.db, { role, commune: t.commune, villages: [...villages] });
    const agent = new Agent(t.app);
    await agent.login(user.username, TEST_PASSWORD);
    agents[key] = agent;
    tokens[key] = await apiToken(t.app, user.username, TEST_PASSWORD);
  }
});
after(() => t.close());

const levels = (l: string) => Object.fromEntries(ASSESSMENT_DOMAINS.map((d) => [`level_${d.code}`, l]));

describe("self-assessments", () => {
  test("a volunteer records one on the resident's own page; it is not a certification", async () => {
    const agent = agents.vol1!;
    assert.equal((await agent.get(`/residents/${r1.id}/assessments`)).status, 200);
    for (const d of [
      "Dữ liệu và thông tin",
      "Giao tiếp và hợp tác",
      "Sáng tạo nội dung số",
      "An toàn",
      "Giải quyết vấn đề",
      "Trí tuệ nhân tạo",
    ])
      assert.ok(agent.lastHtml.includes(d), d);
    const res = await agent.postForm(`/residents/${r1.id}/assessments`, {
      audience: "resident",
      date: "2026-03-01",
      ...levels("basic"),
      level_artificial_intelligence: "none",
      note: "Cần học thêm về AI",
    });
    assert.equal(res.status, 303, agent.lastHtml.slice(0, 300));
    const [row] = await t.db.select().from(assessments).where(eq(assessments.residentId, r1.id));
    assert.equal(row!.levels.safety, "basic");
    assert.equal(row!.levels.artificial_intelligence, "none");
    assert.equal((await t.db.select({ n: count() }).from(certifications))[0]!.n, 0);
    assert.equal(
      (
        await t.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "assessment.create"))
      )[0]!.n,
      1,
    );
    await agent.get(`/residents/${r1.id}/assessments`);
    assert.match(agent.lastHtml, /Cần học thêm về AI/);
    await agent.get(`/residents/${r1.id}`);
    assert.match(agent.lastHtml, new RegExp(`href="/residents/${r1.id}/assessments"`));
  });

  test("bad input (no audience, a missing level, a future date) is refused; out of scope is 404", async () => {
    const agent = agents.vol1!;
    await agent.get(`/residents/${r1.id}/assessments`);
    const res = await agent.postForm(`/residents/${r1.id}/assessments`, {
      audience: "",
      date: "2999-01-01",
      ...levels("basic"),
      level_safety: "",
    });
    assert.equal(res.status, 422);
    for (const f of ["audience", "date", "level_safety"])
      assert.match(agent.lastHtml, new RegExp(`href="#f-${f}"`));
    assert.equal((await agent.get(`/residents/${r2.id}/assessments`)).status, 404);
    assert.equal((await agents.province!.get(`/residents/${r1.id}/assessments`)).status, 200);
  });

  test("API: POST and GET by resident", async () => {
    const send = (key: string, path: string, method = "GET", body?: unknown) =>
      t.app.request(path, {
        method,
        headers: bearer(tokens[key]!, { "content-type": "application/json" }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const body = {
      resident_id: r2.id,
      date: "2026-04-01",
      audience: "resident",
      levels: Object.fromEntries(ASSESSMENT_DOMAINS.map((d) => [d.code, "intermediate"])),
    };
    assert.equal((await send("vol1", "/api/v1/assessments", "POST", body)).status, 404);
    const res = await send("coordinator", "/api/v1/assessments", "POST", body);
    assert.equal(res.status, 201, await res.clone().text());
    const list = (await (await send("coordinator", `/api/v1/assessments?resident=${r2.id}`)).json()) as {
      items: { levels: Record<string, string> }[];
      total: number;
    };
    assert.equal(list.total, 1);
    assert.equal(list.items[0]!.levels.problem_solving, "intermediate");
    const mine = (await (await send("vol1", "/api/v1/assessments")).json()) as { total: number };
    assert.equal(mine.total, 1, "the volunteer sees only its village's assessments");
  });
});
