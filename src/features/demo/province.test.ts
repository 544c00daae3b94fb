import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { testDatabaseUrl } from "../../../test/helpers/db.ts";
import { useSampleCommuneDatabase } from "../../../test/helpers/sample.ts";
import { cliActor } from "../audit/service.ts";
import { listCommuneSummaries } from "../communes/repo.ts";
import { computeIndicators, resolveWindow } from "../indicators/service.ts";
import { planFor } from "../plans/service.ts";
import { createProvinceDemo, readProvinceCommunes } from "./province.ts";

const database = useSampleCommuneDatabase();

const one = async <T>(q: ReturnType<typeof sql>) =>
  ((await database.db.execute(q)) as unknown as { rows: T[] }).rows[0]!;

describe("bdhvs demo --province (issue 18.6)", () => {
  test("the shipped list holds Thanh Hóa's 166 communes and wards with national codes", async () => {
    const list = await readProvinceCommunes();
    assert.equal(list.length, 166);
    assert.equal(list.filter((c) => c.kind === "ward").length, 19);
    assert.deepEqual(
      list.find((c) => c.code === "15715"),
      { code: "15715", name: "Tân Ninh", fullName: "Xã Tân Ninh", kind: "commune" },
    );
  });

  test("creates the 166 communes, each with its plan and its residents; the first commune becomes 15715", async () => {
    const t0 = performance.now();
    const counts = await createProvinceDemo({
      db: database.db,
      actor: cliActor(null),
      size: 20,
      chunk: 100,
      today: "2026-06-15",
    });
    const ms = performance.now() - t0;
    assert.equal(counts.communes, 166);
    assert.equal(counts.created, 165, "Tân Ninh was already there");
    assert.equal(counts.filled, 166);
    assert.equal(counts.residents, 166 * 20);
    const list = await listCommuneSummaries(database.db);
    assert.equal(list.length, 166);
    assert.equal(list[0]!.code, "15715", "the installation's first commune took its national code");
    assert.equal(list[0]!.name, "Xã Tân Ninh");
    assert.ok(list.every((c) => c.residents === 20 && c.demo));
    const plans = await one<{ n: number }>(
      sql`select count(distinct commune_id)::int as n from plans where active`,
    );
    assert.equal(plans.n, 165, "every commune added has its own plan (Tân Ninh keeps the one that ships)");
    // The indicator facts follow by their triggers; a ward's indicators compute.
    const facts = await one<{ n: number }>(sql`select count(*)::int as n from resident_facts`);
    assert.equal(facts.n, 166 * 20);
    const ward = list.find((c) => c.code === "14758")!;
    assert.equal(ward.name, "Phường Hàm Rồng");
    const plan = await planFor(database.db, ward.id);
    assert.equal(plan.commune, "Hàm Rồng");
    const w = resolveWindow({ plan, date: "2026-06-15" });
    const result = await computeIndicators({ db: database.db, communeId: ward.id, plan, ...w });
    assert.equal(result.indicators.length, 12);
    console.log(
      `province demo, 166 × 20 residents on ${testDatabaseUrl ? "PostgreSQL" : "PGlite"}: ${Math.round(ms)} ms`,
    );
  });

  test("run again, it changes nothing: every commune already holds its residents", async () => {
    const before = await one<{ n: number }>(sql`select count(*)::int as n from residents`);
    const counts = await createProvinceDemo({
      db: database.db,
      actor: cliActor(null),
      size: 20,
      today: "2026-06-15",
    });
    assert.equal(counts.created, 0);
    assert.equal(counts.filled, 0);
    assert.equal((await one<{ n: number }>(sql`select count(*)::int as n from residents`)).n, before.n);
  });
});
