import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { type Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { plans } from "../../db/schema.ts";
import { errorMessageOf } from "../../test-support/api.ts";
import { auditCount } from "../../test-support/audit.ts";
import { DEFAULT_PLAN_FILE } from "../indicators/plan.ts";

let t: TestApp;
const ROLES = ["admin", "coordinator", "leader"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let agents: Record<string, Agent>;
const shipped = fs.readFileSync(DEFAULT_PLAN_FILE, "utf8");

before(async () => {
  t = await createTestApp();
  accounts = await buildRoleAccounts(t, ROLES, { agents: true });
  agents = accounts.agents;
});
after(() => t.close());

/** The shipped plan with indicator 3's target and the Q3 due date changed: a 2026 plan revised. */
function revised(): string {
  const plan = JSON.parse(shipped) as {
    indicators: { code: string; target: number }[];
    reports: { period: string; due: string }[];
  };
  plan.indicators.find((i) => i.code === "adult_skills")!.target = 0.5;
  plan.reports.find((r) => r.period === "2026-Q3")!.due = "2026-10-05";
  return JSON.stringify(plan, null, 2);
}

const upload = (agent: Agent, name: string, text: string) => {
  const form = new FormData();
  form.append("file", new File([text], name, { type: "application/json" }));
  return agent.postMultipart("/plan", form);
};
const send = (role: string, path: string, method = "GET", body?: string) =>
  accounts.request(role, path, { method, ...(body !== undefined ? { body } : {}) });
const apiPlan = async () =>
  (await (await send("leader", "/api/v1/plan")).json()) as {
    indicators: { code: string; target: number }[];
    reports: { period: string; due: string }[];
  };
const target3 = async () => {
  const res = await send("leader", "/api/v1/indicators?date=2026-09-30&period=2026-Q3");
  const body = (await res.json()) as { indicators: { code: string; target: number }[] };
  return body.indicators.find((i) => i.code === "adult_skills")!.target;
};

describe("the plan is data (SPEC §3.3): an admin loads another plan file", () => {
  test("the default plan is in force until a file is loaded; its JSON can be downloaded", async () => {
    await agents.admin!.get("/plan");
    assert.match(agents.admin!.lastHtml, /kế hoạch mặc định/);
    assert.equal(await target3(), 1);
    const res = await agents.admin!.get("/plan.json");
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(await res.text()).year, 2026);
  });

  test("a revised file applies at once: targets and the reporting schedule follow it; audited", async () => {
    await agents.admin!.get("/plan");
    const res = await upload(agents.admin!, "ke-hoach-sua-doi.json", revised());
    assert.equal(res.status, 303, agents.admin!.lastHtml.slice(0, 500));
    assert.equal(await target3(), 0.5);
    assert.equal((await apiPlan()).reports.find((r) => r.period === "2026-Q3")!.due, "2026-10-05");
    await agents.admin!.get("/plan");
    assert.match(agents.admin!.lastHtml, /ke-hoach-sua-doi\.json/);
    assert.equal(await auditCount(t.db, "plan.load"), 1);
  });

  test("a malformed file, a bad field, another commune's plan: refused with file and line, nothing changes", async () => {
    const before = await t.db.select({ id: plans.id, active: plans.active }).from(plans);
    await agents.coordinator!.get("/plan");
    let res = await upload(
      agents.coordinator!,
      "hong.json",
      `{\n  "commune": "Tân Ninh",\n  "year": 2026,\n  oops\n}`,
    );
    assert.equal(res.status, 422);
    assert.match(agents.coordinator!.lastHtml, /hong\.json/);
    assert.match(agents.coordinator!.lastHtml, /dòng 4/);

    const bad = JSON.parse(shipped) as { indicators: { target: number }[] };
    bad.indicators[2]!.target = 2;
    await agents.coordinator!.get("/plan");
    res = await upload(agents.coordinator!, "sai-muc-tieu.json", JSON.stringify(bad, null, 2));
    assert.equal(res.status, 422);
    assert.match(agents.coordinator!.lastHtml, /sai-muc-tieu\.json/);
    assert.match(agents.coordinator!.lastHtml, /indicators\[2\]\.target/);

    const other = JSON.parse(shipped) as { commune: string };
    other.commune = "Quảng Phú";
    res = await send("admin", "/api/v1/plan?file=quang-phu.json", "PUT", JSON.stringify(other));
    assert.equal(res.status, 422);
    assert.match(await errorMessageOf(res), /Quảng Phú/);

    await agents.coordinator!.get("/plan");
    res = await upload(agents.coordinator!, "rong.json", "");
    assert.equal(res.status, 422);

    assert.deepEqual(await t.db.select({ id: plans.id, active: plans.active }).from(plans), before);
    assert.equal(await target3(), 0.5);
  });

  test("the leader reads the plan but cannot load one; going back to the default plan", async () => {
    assert.equal((await send("leader", "/api/v1/plan", "PUT", shipped)).status, 403);
    assert.equal((await agents.leader!.get("/plan")).status, 200);
    assert.doesNotMatch(agents.leader!.lastHtml, /Kiểm tra và áp dụng/);
    await agents.admin!.get("/plan");
    const res = await agents.admin!.postForm("/plan/reset", {});
    assert.equal(res.status, 303);
    assert.equal(await target3(), 1);
    const res2 = await send("admin", "/api/v1/plan?file=lai.json", "PUT", revised());
    assert.equal(res2.status, 200);
    assert.equal(await target3(), 0.5);
  });
});
