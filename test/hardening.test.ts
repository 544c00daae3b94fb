/**
 * Issue 15, findings 6 and 8, through the API as a client would: nothing of another village's
 * residents leaks to a village team, and text the database cannot hold is a 400 naming the field.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, like } from "drizzle-orm";
import { auditEvents, residents } from "../src/db/schema.ts";
import { createTestApp, signedInAgent, type TestApp } from "./helpers/app.ts";
import {
  buildCertification,
  buildClass,
  buildHousehold,
  buildResident,
  buildTeamMember,
  buildVillage,
} from "./helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "./helpers/roles.ts";

let t: TestApp;
const ROLES = ["village_lead", "coordinator"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let coordinatorName = "";

before(async () => {
  t = await createTestApp();
  const commune = t.commune;
  const v1 = await buildVillage(t.db, { commune, code: "T01", name: "Thôn Đông" });
  const v2 = await buildVillage(t.db, { commune, code: "T02", name: "Thôn Tây" });
  await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  const h2 = await buildHousehold(t.db, { village: v2, code: "T02-0001" });
  const an = await buildResident(t.db, {
    household: h2,
    fullName: "Hà Minh Ấn",
    citizenId: "038080000198",
    phone: "0912345678",
  });
  await buildCertification(t.db, { resident: an });
  await buildClass(t.db, { village: v2, code: "HD-T02", present: [an] });
  await buildTeamMember(t.db, { village: v2, fullName: "Lò Văn Tổ", phone: "0834864926" });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [v1] });
  coordinatorName = accounts.usernames.coordinator;
});
after(() => t.close());

const api = (role: string, path: string, init: { method?: string; body?: string | Uint8Array } = {}) =>
  accounts.request(role, path, init);

const residentCount = async () => (await t.db.select({ n: count() }).from(residents))[0]!.n;

describe("names do not leak across villages (finding 6)", () => {
  test("a village lead creating a resident with another village's citizen ID learns nothing of it", async () => {
    const twin = JSON.stringify({
      full_name: "Người Thử",
      birth_date: "1980-01-01",
      gender: "Nam",
      citizen_id: "038080000198",
      village: "T01",
      household: "T01-0001",
    });
    const before = await residentCount();
    const res = await api("village_lead", "/api/v1/residents", {
      method: "POST",
      body: twin,
    });
    assert.equal(res.status, 422);
    const text = await res.text();
    assert.doesNotMatch(text, /cư dân khác|Hà Minh|T02|038080000198/, text);
    assert.equal(await residentCount(), before);
    // The commune's staff see everyone: they are told plainly.
    const staff = await api("coordinator", "/api/v1/residents", {
      method: "POST",
      body: twin,
    });
    assert.equal(staff.status, 422);
    assert.match(await staff.text(), /đã là của một cư dân khác/);
  });
});

describe("bad text (finding 8)", () => {
  test("a NUL byte in a query parameter is a 400 naming it, not a 500", async () => {
    for (const path of [
      "/api/v1/residents?q=%00",
      "/api/v1/residents?village=%00",
      "/api/v1/certifications?q=a%00b",
      "/api/v1/households?q=%00",
      "/api/v1/attendance?activity=%00",
    ]) {
      const res = await api("coordinator", path);
      assert.equal(res.status, 400, path);
      const body = (await res.json()) as { error: { message: string; fields: Record<string, string> } };
      assert.match(body.error.message, /ký tự NUL/, path);
      assert.ok(Object.keys(body.error.fields).length === 1, path);
    }
    const page = await t.app.request("/residents?q=%00");
    assert.equal(page.status, 400);
  });

  test("invalid UTF-8 or a lone surrogate in a JSON body is refused naming the field; nothing is written", async () => {
    const before = await residentCount();
    const json = Buffer.from(
      '{"full_name":"Nguy\xc3\x28n","birth_date":"1990-01-01","gender":"Nam","village":"T01","household":"T01-0001"}',
      "latin1",
    );
    const res = await api("coordinator", "/api/v1/residents", { method: "POST", body: json });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    assert.deepEqual(Object.keys(body.error.fields), ["full_name"]);
    const lone = await api("coordinator", "/api/v1/residents", {
      method: "POST",
      body: '{"full_name":"An \\ud800","birth_date":"1990-01-01","gender":"Nam","village":"T01","household":"T01-0001"}',
    });
    assert.equal(lone.status, 400);
    const loneBody = (await lone.json()) as { error: { message: string; fields: Record<string, string> } };
    assert.deepEqual(Object.keys(loneBody.error.fields), ["full_name"]);
    assert.match(loneBody.error.message, /full_name/);
    const nul = await api("coordinator", "/api/v1/residents", {
      method: "POST",
      body: '{"full_name":"An\\u0000","birth_date":"1990-01-01","gender":"Nam","village":"T01","household":"T01-0001"}',
    });
    assert.equal(nul.status, 400);
    assert.equal(await residentCount(), before);
  });
});

describe("unmasked lists are audited (finding 3)", () => {
  const events = async () =>
    t.db
      .select({ action: auditEvents.action, after: auditEvents.after })
      .from(auditEvents)
      .where(like(auditEvents.action, "%.view_identity_list"));

  test("one event per answer that shows an unmasked value, naming what was shown; none for masked answers", async () => {
    const before = (await events()).length;
    const res = await api("coordinator", "/api/v1/residents?village=T02");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /038080000198/);
    const after = await events();
    assert.equal(after.length, before + 1);
    const last = after.at(-1)!;
    assert.equal(last.action, "resident.view_identity_list");
    assert.deepEqual((last.after as { fields: string[] }).fields, ["citizen_id", "phone"]);
    assert.equal((last.after as { source: string }).source, "api.residents");

    // Each list the probe named: one event per answer, naming its source.
    for (const [path, action, source] of [
      ["/api/v1/certifications", "certification.view_identity_list", "api.certifications"],
      ["/api/v1/attendance", "attendance.view_identity_list", "api.attendance"],
      ["/api/v1/team_members", "team_member.view_identity_list", "api.team_members"],
    ] as const) {
      const n = (await events()).length;
      assert.equal((await api("coordinator", path)).status, 200, path);
      const now = await events();
      assert.equal(now.length, n + 1, path);
      assert.equal(now.at(-1)!.action, action, path);
      assert.equal((now.at(-1)!.after as { source: string }).source, source, path);
    }
    // The page too, signed in with a session.
    const agent = await signedInAgent(t.app, coordinatorName);
    const n = (await events()).length;
    assert.equal((await agent.get("/residents?village=T02")).status, 200);
    assert.match(agent.lastHtml, /038080000198/);
    const now = await events();
    assert.equal(now.length, n + 1);
    assert.equal((now.at(-1)!.after as { source: string }).source, "page.residents");

    // A village lead sees masked values: nothing to audit.
    const count0 = (await events()).length;
    assert.equal((await api("village_lead", "/api/v1/residents")).status, 200);
    assert.equal((await events()).length, count0);
  });
});
