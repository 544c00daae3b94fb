import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { useSampleCommuneDatabase } from "../../../test/helpers/sample.ts";
import { auditEvents, communes, plans } from "../../db/schema.ts";
import { AppError } from "../../lib/errors.ts";
import { t } from "../../lib/i18n/index.ts";
import { cliActor } from "../audit/service.ts";
import { currentPlan } from "../indicators/plan.ts";
import { planFor } from "../plans/service.ts";
import { listCommuneSummaries } from "./repo.ts";
import { addCommune } from "./service.ts";

const database = useSampleCommuneDatabase();

const rows = async () => (await database.db.select({ n: count() }).from(communes))[0]!.n;

describe("communes as data (issue 18.1)", () => {
  test("a commune added gets its own plan from the template: targets and schedule copied, name and code set", async () => {
    const c = await addCommune({
      db: database.db,
      actor: cliActor(null),
      input: { code: "15716", name: "  Xã Định Hòa " },
    });
    assert.equal(c.code, "15716");
    assert.equal(c.name, "Xã Định Hòa");
    assert.equal(c.province, "Thanh Hóa", "the first commune's province by default");
    const plan = await planFor(database.db, c.id);
    const template = currentPlan();
    assert.equal(plan.commune, "Định Hòa");
    assert.equal(plan.communeCode, "15716");
    assert.equal(plan.document, undefined, "the template's decision number is another commune's");
    assert.deepEqual(
      plan.indicators.map((i) => [i.code, i.target]),
      template.indicators.map((i) => [i.code, i.target]),
    );
    assert.deepEqual(plan.reports, template.reports);
    const [row] = await database.db
      .select({ fileName: plans.fileName, active: plans.active })
      .from(plans)
      .where(eq(plans.communeId, c.id));
    assert.deepEqual(row, { fileName: `ke-hoach-15716-${template.year}.json`, active: true });
    const [audit] = await database.db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.action, "commune.create"));
    assert.equal(audit!.n, 1);
    // The first commune keeps the plan that ships, as it is.
    const first = (await listCommuneSummaries(database.db))[0]!;
    assert.equal((await planFor(database.db, first.id)).document, template.document);
  });

  test("a code already used, a malformed code or no name is refused with a Vietnamese message; nothing changes", async () => {
    const before = await rows();
    for (const [input, field, text] of [
      [{ code: "15716", name: "Xã Khác" }, "code", "Mã xã “15716” đã có trong cài đặt."],
      [{ code: "mã xã!", name: "Xã Khác" }, "code", "Mã xã gồm chữ, số"],
      [{ code: "15717", name: " " }, "name", "Tên xã, phường"],
    ] as const) {
      await assert.rejects(addCommune({ db: database.db, actor: cliActor(null), input }), (err: unknown) => {
        assert.ok(err instanceof AppError && err.code === "validation");
        const m = err.fields[field];
        assert.ok(m, `${field}: ${JSON.stringify(err.fields)}`);
        assert.ok(t("vi", m.key, m.params).includes(text), t("vi", m.key, m.params));
        return true;
      });
    }
    assert.equal(await rows(), before);
  });

  test("a commune without a plan row (added before plans were copied) computes with the template made its own", async () => {
    const [c] = await database.db
      .insert(communes)
      .values({ code: "CU", name: "Phường Cũ", province: "Thanh Hóa" })
      .returning({ id: communes.id });
    const plan = await planFor(database.db, c!.id);
    assert.equal(plan.commune, "Cũ");
    assert.equal(plan.communeCode, "CU");
  });

  test("the list counts each commune's residents and active admins", async () => {
    const list = await listCommuneSummaries(database.db);
    assert.deepEqual(
      list.map((c) => [c.code, c.residents, c.admins]),
      [
        ["TANNINH", 0, 0],
        ["15716", 0, 0],
        ["CU", 0, 0],
      ],
    );
  });
});
