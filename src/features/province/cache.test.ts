/**
 * The province's figures after a write (issue 18, the crowd bench): only the commune written is
 * computed again; the others' figures are the ones kept, and every figure still equals the
 * commune's own dashboard.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildAdults } from "../../../test/helpers/adults.ts";
import { createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildCommune, buildUser, type Commune } from "../../../test/helpers/factories.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { findAuthUserById } from "../auth/repo.ts";
import { type Viewer, viewerOf } from "../auth/viewer.ts";
import { loadDashboard } from "../indicators/dashboard.ts";
import { currentPlan } from "../indicators/plan.ts";
import { resolveWindow } from "../indicators/service.ts";
import { loadProvinceFigures } from "./service.ts";

let t: TestApp;
let a: Commune;
let b: Commune;
let viewer: Viewer;
const D = "2026-06-15";

/** `n` adults in a new village of the commune, the first certified at the dates given. */
const adults = (commune: Commune, n: number, certified: string[]) =>
  buildAdults(t.db, { commune, n, certified });

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  a = await buildCommune(t.db, { code: "XA", name: "Xã An" });
  b = await buildCommune(t.db, { code: "XB", name: "Xã Bình" });
  await adults(a, 3, ["2026-01-10", "2026-06-01"]);
  await adults(b, 2, ["2026-02-02"]);
  const { user } = await buildUser(t.db, { role: "province", commune: t.commune });
  viewer = viewerOf((await findAuthUserById(t.db, user.id))!);
});

after(async () => {
  await t.close();
});

test("a write in one commune recomputes that commune only; every figure stays its dashboard's", async () => {
  const plan = currentPlan();
  const w = resolveWindow({ date: D, period: "2026", plan });
  const first = await loadProvinceFigures({ db: t.db, viewer, ...w });
  await adults(b, 1, ["2026-06-10"]);
  const fresh = await loadProvinceFigures({ db: t.db, viewer, ...w });
  assert.equal(fresh.cached, false, "the write is seen");
  assert.equal(fresh.tables.get(a.id)!.now, first.tables.get(a.id)!.now, "A's figures are the ones kept");
  assert.notEqual(fresh.tables.get(b.id)!.now, first.tables.get(b.id)!.now, "B's are computed again");
  const skills = (f: typeof first, id: number) =>
    f.tables.get(id)!.now.find((i) => i.code === "adult_skills")!;
  assert.deepEqual([skills(fresh, b.id).numerator, skills(fresh, b.id).denominator], [2, 3]);
  // Then a write in A: A's turn.
  await adults(a, 1, []);
  const third = await loadProvinceFigures({ db: t.db, viewer, ...w });
  assert.equal(third.tables.get(b.id)!.now, fresh.tables.get(b.id)!.now);
  assert.deepEqual([skills(third, a.id).numerator, skills(third, a.id).denominator], [2, 4]);
  for (const c of [t.commune, a, b]) {
    const own = await loadDashboard({ db: t.db, viewer: { ...viewer, communeId: c.id }, plan, ...w });
    assert.deepEqual(
      third.tables.get(c.id)!.now.map((i) => [i.code, i.numerator, i.denominator, i.value, i.met]),
      own.table.indicators.map((i) => [i.code, i.numerator, i.denominator, i.value, i.met]),
      c.name,
    );
    assert.deepEqual(
      third.tables.get(c.id)!.before.map((i) => [i.code, i.numerator, i.denominator]),
      (await loadProvinceFigures({ db: t.db, viewer, ...w })).tables
        .get(c.id)!
        .before.map((i) => [i.code, i.numerator, i.denominator]),
    );
  }
});
