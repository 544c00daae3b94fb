import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { certifications, communes, type households, residents, villages } from "../../db/schema.ts";
import { AppError } from "../../lib/errors.ts";
import { cliActor } from "../audit/service.ts";
import { createDemoCommune } from "./service.ts";

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

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
    assert.deepEqual(steps, ["villages", "units", "households", "residents", "certifications"]);
    assert.equal(await n(villages), 20);
    assert.equal(await n(residents), 400);
    assert.equal(counts.residents, 400);
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

  test("refuses a commune that already has residents, and changes nothing", async () => {
    const before = await n(residents);
    await assert.rejects(
      createDemoCommune({ db: t.db, communeId: t.commune.id, actor: cliActor(t.commune.id), residents: 100 }),
      (e: unknown) => e instanceof AppError && e.msg.key === "demo.not_empty",
    );
    assert.equal(await n(residents), before);
  });
});
