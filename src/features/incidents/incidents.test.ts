import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { type Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildCommune, buildIncident, buildUnit } from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { incidents } from "../../db/schema.ts";
import { setClock, startingAt, todayInVietnam } from "../../lib/clock.ts";
import { parseIncidentSeverity } from "../../lib/values.ts";
import { assertFieldErrors } from "../../test-support/api.ts";
import { auditCount } from "../../test-support/audit.ts";
import { postNewForm } from "../../test-support/pages.ts";
import { civilDaysBefore } from "../teams/service.ts";
import { checkIncidentRow } from "./check.ts";

let t: TestApp;
const ROLES = ["police", "admin", "coordinator", "leader", "village_lead", "volunteer", "province"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let agents: Record<string, Agent>;
let foreignId: number;

// Its fixtures are dated in 2026 up to November (past dates, due reports): the test sets its day.
setClock(startingAt("2026-11-25T10:00:00+07:00"));

before(async () => {
  t = await createTestApp();
  await buildUnit(t.db, { commune: t.commune, code: "UBND", name: "Ủy ban nhân dân xã" });
  foreignId = (await buildIncident(t.db, { commune: await buildCommune(t.db), code: "SC-KHAC" })).id;
  accounts = await buildRoleAccounts(t, ROLES, { agents: true });
  agents = accounts.agents;
});
after(() => t.close());

const countIncidents = async () => (await t.db.select({ n: count() }).from(incidents))[0]!.n;
const send = (role: string, path: string, method = "GET", body?: unknown) =>
  accounts.send(role, body, path, method);
/** Records an incident through the API as `role`. */
const postIncident = (role: string, body: Record<string, string>) =>
  send(role, "/api/v1/incidents", "POST", body);

describe("security incidents", () => {
  test("the police record one through the form, with an import row's labels; audited", async () => {
    const agent = agents.police!;
    const res = await postNewForm(agent, "/incidents", {
      code: "SC01",
      date: "2026-02-03",
      severity: "serious",
      kind: "phishing",
      description: "Tin nhắn giả mạo ngân hàng gửi tới cán bộ",
      unit: "UBND",
      resolved_date: "",
    });
    assert.equal(res.status, 303, agent.lastHtml.slice(0, 300));
    const [row] = await t.db.select().from(incidents).where(eq(incidents.code, "SC01"));
    assert.equal(row!.severity, "serious");
    assert.equal(row!.resolvedDate, null);
    assert.equal(await auditCount(t.db, "incident.create"), 1);
    await agent.get("/incidents");
    assert.match(agent.lastHtml, /Nghiêm trọng/);
    assert.match(agent.lastHtml, /Chưa khắc phục/);
  });

  test("a role without the right gets 403 and nothing is written", async () => {
    const before = await countIncidents();
    for (const role of ["leader", "village_lead", "volunteer", "province"]) {
      const res = await postIncident(role, {
        code: `X-${role}`,
        date: "2026-02-03",
        severity: "Nhẹ",
        description: "x",
      });
      assert.equal(res.status, 403, role);
    }
    await agents.leader!.get("/incidents");
    const res = await agents.leader!.postForm("/incidents", {
      code: "X-form",
      date: "2026-02-03",
      severity: "minor",
      description: "x",
    });
    assert.equal(res.status, 403);
    assert.equal(await countIncidents(), before);
    assert.equal((await agents.village_lead!.get("/incidents")).status, 403);
  });

  test("a resolution date before the incident's date is refused, on create and on edit", async () => {
    const before = await countIncidents();
    let res = await postIncident("coordinator", {
      code: "SC02",
      date: "21/08/2026",
      severity: "Nhẹ",
      description: "Mã độc",
      resolved_date: "20/08/2026",
    });
    assert.equal(res.status, 422);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    assert.match(error.fields.resolved_date!, /không được trước ngày xảy ra/);
    assert.equal(await countIncidents(), before);
    const [sc01] = await t.db.select().from(incidents).where(eq(incidents.code, "SC01"));
    res = await send("police", `/api/v1/incidents/${sc01!.id}`, "PATCH", { resolved_date: "2026-02-01" });
    assert.equal(res.status, 422);
    res = await send("police", `/api/v1/incidents/${sc01!.id}`, "PATCH", { resolved_date: "2026-02-05" });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { resolved_date: string }).resolved_date, "2026-02-05");
  });

  test("a future date, a duplicate code and an unknown unit are refused", async () => {
    const res = await postIncident("admin", {
      code: "SC01",
      date: civilDaysBefore(todayInVietnam(), -1),
      severity: "rất nặng",
      description: "",
      unit: "KHONGCO",
    });
    await assertFieldErrors(res, ["date", "description", "severity", "unit"]);
    const dup = await postIncident("admin", {
      code: "SC01",
      date: "2026-01-01",
      severity: "minor",
      description: "x",
    });
    assert.equal(dup.status, 422);
  });

  test("reads stay in the commune (the province reads all); delete is audited", async () => {
    assert.equal((await send("police", `/api/v1/incidents/${foreignId}`)).status, 404);
    assert.equal((await send("province", `/api/v1/incidents/${foreignId}`)).status, 200);
    const list = (await (await send("leader", "/api/v1/incidents")).json()) as { items: { code: string }[] };
    assert.deepEqual(
      list.items.map((x) => x.code),
      ["SC01"],
    );
    const [sc01] = await t.db.select().from(incidents).where(eq(incidents.code, "SC01"));
    assert.equal((await send("police", `/api/v1/incidents/${sc01!.id}`, "DELETE")).status, 204);
    assert.equal(await auditCount(t.db, "incident.delete"), 1);
  });

  test("the row check and the severity parser", () => {
    assert.deepEqual(parseIncidentSeverity("Nghiem trong"), { ok: true, value: "serious" });
    assert.deepEqual(parseIncidentSeverity("Nhẹ"), { ok: true, value: "minor" });
    const cells: Record<string, string> = {
      code: "SC03",
      date: "02/12/2025",
      severity: "Nghiêm trọng",
      kind: "account",
      description: "Lộ mật khẩu",
      unit: "VHXH",
    };
    const r = checkIncidentRow(
      (k) => cells[k],
      { unit: (c) => (c === "VHXH" ? { id: 9 } : undefined) },
      "2026-06-01",
    );
    assert.deepEqual(r.value, {
      code: "SC03",
      date: "2025-12-02",
      severity: "serious",
      kind: "account",
      description: "Lộ mật khẩu",
      unitId: 9,
      resolvedDate: null,
    });
  });
});
