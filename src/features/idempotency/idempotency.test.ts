import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { bearer, createTestAppAt, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildClass,
  buildHousehold,
  buildResident,
  buildVillage,
  type Household,
  type Resident,
} from "../../../test/helpers/factories.ts";
import { buildFieldWorker } from "../../../test/helpers/field-worker.ts";
import { attendance, auditEvents, idempotencyKeys, visits } from "../../db/schema.ts";

let t: TestApp;
let h: Household;
let an: Resident;
const tokens: Record<string, string> = {};

before(async () => {
  t = await createTestAppAt("2026-06-15T09:00:00+07:00");
  const v = await buildVillage(t.db, { commune: t.commune, code: "T01", name: "Thôn Đông" });
  h = await buildHousehold(t.db, { village: v, code: "T01-0001" });
  an = await buildResident(t.db, { household: h, fullName: "Nguyễn Văn Ấn" });
  tokens.a = (await buildFieldWorker(t, { village: v, fullName: "Mai Văn Hùng" })).token;
  tokens.b = (await buildFieldWorker(t, { village: v, fullName: "Lò Thị Hoa" })).token;
  await buildClass(t.db, { village: v, code: "LH01", date: "2026-06-10" });
});

after(() => t.close());

function send(method: string, path: string, token: string, body: unknown, key?: string) {
  const headers: Record<string, string> = bearer(token, { "content-type": "application/json" });
  if (key) headers["idempotency-key"] = key;
  return t.app.request(`/api/v1${path}`, { method, headers, body: JSON.stringify(body) });
}

const visitCount = async () => (await t.db.select({ n: count() }).from(visits))[0]!.n;
const visitBody = (member: string, date = "2026-06-14") => ({
  household: "T01-0001",
  date,
  member,
  support: ["vneid_install"],
  residents_met: [an.id],
});

/** Mai Văn Hùng's visit sent twice with one key: each answer has `status`, the second the first's body. */
async function sendVisitTwice(key: string, status: number): Promise<Response> {
  const first = await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng"), key);
  assert.equal(first.status, status);
  const text = await first.text();
  const again = await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng"), key);
  assert.equal(again.status, status);
  assert.equal(await again.clone().text(), text);
  return again;
}

describe("Idempotency-Key on POST /api/v1/visits", () => {
  test("a replay returns the same status and body and records one visit", async () => {
    const before = await visitCount();
    const key = "visit-0001-5d2c";
    const again = await sendVisitTwice(key, 201);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(await visitCount(), before + 1);
    const audits = await t.db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.action, "visit.create"));
    assert.equal(audits[0]!.n, 1);
  });

  test("the same JSON with its keys in another order is the same request", async () => {
    const key = "visit-reorder";
    const body = visitBody("Mai Văn Hùng", "2026-06-13");
    const first = await send("POST", "/visits", tokens.a!, body, key);
    assert.equal(first.status, 201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await send("POST", "/visits", tokens.a!, reordered, key);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
  });

  test("the same key with another body is refused (422) and writes nothing", async () => {
    const key = "visit-0002";
    assert.equal(
      (await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng", "2026-06-12"), key)).status,
      201,
    );
    const before = await visitCount();
    const other = await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng", "2026-06-11"), key);
    assert.equal(other.status, 422);
    const body = (await other.json()) as { error: { message: string } };
    assert.match(body.error.message, /đã được dùng cho một yêu cầu khác/);
    assert.equal(await visitCount(), before);
  });

  test("keys are per user: another user's same key is a request of its own", async () => {
    const key = "shared-key-1";
    assert.equal(
      (await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng", "2026-06-09"), key)).status,
      201,
    );
    const b = await send("POST", "/visits", tokens.b!, visitBody("Lò Thị Hoa", "2026-06-09"), key);
    assert.equal(b.status, 201);
    assert.equal(b.headers.get("idempotent-replayed"), null);
    const rows = await t.db.select({ n: count() }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    assert.equal(rows[0]!.n, 2);
  });

  test("a refusal is replayed too, and a new key after a fix is a new request", async () => {
    const key = "visit-dup";
    // Mai Văn Hùng already visited on 2026-06-14 (first test): the duplicate is refused.
    await sendVisitTwice(key, 422);
    const fixed = await send(
      "POST",
      "/visits",
      tokens.a!,
      visitBody("Mai Văn Hùng", "2026-06-08"),
      "visit-dup-2",
    );
    assert.equal(fixed.status, 201);
  });

  test("concurrent requests with one key record one visit", async () => {
    const before = await visitCount();
    const key = "visit-race";
    const answers = await Promise.all(
      [0, 1, 2, 3].map(() =>
        send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng", "2026-06-07"), key),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(","),
    );
    assert.ok(statuses.includes(201));
    assert.equal(await visitCount(), before + 1);
  });

  test("a malformed key is refused (400); no key works as before", async () => {
    assert.equal(
      (await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng", "2026-06-06"), "has spaces in it"))
        .status,
      400,
    );
    assert.equal(
      (await send("POST", "/visits", tokens.a!, visitBody("Mai Văn Hùng", "2026-06-06"))).status,
      201,
    );
  });
});

describe("Idempotency-Key on PUT /api/v1/attendance", () => {
  const mark = (present: boolean) => ({ activity: "LH01", date: "2026-06-10", resident_id: an.id, present });
  const auditCount = async () =>
    (
      await t.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "attendance.record"))
    )[0]!.n;

  test("a replay returns the same answer and writes once; another body with the key is 422", async () => {
    const key = "att-1";
    const first = await send("PUT", "/attendance", tokens.a!, mark(true), key);
    assert.equal(first.status, 200);
    const text = await first.text();
    const audits = await auditCount();
    // Meanwhile someone unticks; the replay of the tick must not tick again.
    assert.equal((await send("PUT", "/attendance", tokens.b!, mark(false), "att-b")).status, 200);
    const again = await send("PUT", "/attendance", tokens.a!, mark(true), key);
    assert.equal(again.status, 200);
    assert.equal(await again.text(), text);
    assert.equal(await auditCount(), audits + 1);
    const [row] = await t.db
      .select({ present: attendance.present })
      .from(attendance)
      .where(eq(attendance.residentId, an.id));
    assert.equal(row!.present, false);
    assert.equal((await send("PUT", "/attendance", tokens.a!, mark(false), key)).status, 422);
  });
});
