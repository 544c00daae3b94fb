import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { userVillages } from "../../src/db/schema.ts";
import { createTestApp, type TestApp } from "./app.ts";
import { buildUnit, buildVillage, type Unit, type Village } from "./factories.ts";
import { buildRoleAccounts } from "./roles.ts";

let t: TestApp;
let v1: Village;
let school: Unit;

before(async () => {
  t = await createTestApp();
  v1 = await buildVillage(t.db, { commune: t.commune, code: "T01" });
  school = await buildUnit(t.db, { commune: t.commune, type: "school" });
});
after(() => t.close());

const villagesOf = async (userId: number) =>
  (
    await t.db
      .select({ id: userVillages.villageId })
      .from(userVillages)
      .where(eq(userVillages.userId, userId))
  ).map((r) => r.id);

test("each role's account is scoped as asked, signed in by token, and its agent only when asked", async () => {
  const a = await buildRoleAccounts(t, ["coordinator", "village_lead", "school"], {
    villages: [v1],
    unit: school,
  });
  assert.deepEqual(
    await villagesOf(a.users.village_lead.id),
    [v1.id],
    "a village role gets the villages given",
  );
  assert.deepEqual(await villagesOf(a.users.coordinator.id), [], "a commune role gets none");
  assert.equal(a.users.school.unitId, school.id);
  assert.equal(a.usernames.coordinator, a.users.coordinator.username);
  assert.deepEqual(a.agents, {}, "no web agents unless asked");
  assert.equal((await a.get("coordinator", "/api/v1/villages")).status, 200);
  assert.equal(
    (await a.send("village_lead", { code: "T09", name: "Thôn Mới" }, "/api/v1/villages")).status,
    403,
  );
  await assert.rejects(a.get("leader", "/api/v1/villages"), /no account for role leader/);
});

test("villageRoles widens who gets the villages; agents: true signs each in on the web", async () => {
  const a = await buildRoleAccounts(t, ["leader"], {
    villages: [v1],
    villageRoles: ["leader"],
    agents: true,
  });
  assert.deepEqual(await villagesOf(a.users.leader.id), [v1.id]);
  assert.equal((await a.agents.leader.get("/")).status, 200);
});
