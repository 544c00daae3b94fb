/**
 * The server-rendered visit and attendance forms carry an Idempotency-Key drawn at render (a hidden
 * field): a double submit, or going back and submitting the same form again, writes once and lands on
 * the same page; the old form edited and sent again is refused with a plain reason; a form shown again
 * with its errors can be corrected and sent.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { type Agent, createTestApp, type TestApp } from "../../test/helpers/app.ts";
import {
  buildActivity,
  buildHousehold,
  buildResident,
  buildSession,
  buildVillage,
  type Household,
  type Resident,
} from "../../test/helpers/factories.ts";
import { buildFieldWorker } from "../../test/helpers/field-worker.ts";
import { attendance, auditEvents, visits } from "../db/schema.ts";
import { resetClock, setClock, startingAt } from "../lib/clock.ts";

let t: TestApp;
let agent: Agent;
let h1: Household;
let an: Resident;
let path = "";

const keyOf = (html: string) => html.match(/name="idempotency_key" value="([^"]+)"/)?.[1];
const countVisits = async () => (await t.db.select({ n: count() }).from(visits))[0]!.n;
const countAudit = async () => (await t.db.select({ n: count() }).from(auditEvents))[0]!.n;

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  const v1 = await buildVillage(t.db, { commune: t.commune, code: "T01" });
  h1 = await buildHousehold(t.db, { village: v1, code: "T01-0001" });
  an = await buildResident(t.db, { household: h1, fullName: "Nguyễn Văn An", birthDate: "1970-01-01" });
  const lead = await buildFieldWorker(t, {
    village: v1,
    fullName: "Lò Xuân Bình",
    role: "village_lead",
    teamRole: "leader",
    agent: true,
  });
  agent = lead.agent!;
  const cls = await buildActivity(t.db, { village: v1, code: "LH01", date: "2026-06-15" });
  const s = await buildSession(t.db, { activity: cls, date: "2026-06-15", absent: [an] });
  path = `/activities/${cls.id}/sessions/${s.id}`;
});

after(async () => {
  resetClock();
  await t.close();
});

const visitForm = (key: string, over: Record<string, string | string[]> = {}) => ({
  idempotency_key: key,
  household: "T01-0001",
  household_id: String(h1.id),
  date: "2026-06-14",
  member: "Lò Xuân Bình",
  residents_met: [String(an.id)],
  support: ["vneid_install"],
  note: "",
  ...over,
});

describe("web forms with an Idempotency-Key", () => {
  test("the visit form: a double submit writes one visit and both land on it", async () => {
    await agent.get(`/visits/new?household=${h1.id}`);
    const key = keyOf(agent.lastHtml);
    assert.ok(key, "the form carries a key");
    const csrf = agent.csrf();
    const first = await agent.postForm("/visits", visitForm(key), { csrf });
    assert.equal(first.status, 303);
    const second = await agent.postForm("/visits", visitForm(key), { csrf });
    assert.equal(second.status, 303);
    assert.equal(second.headers.get("location"), first.headers.get("location"));
    assert.equal(await countVisits(), 1);
    const page = await agent.get(second.headers.get("location")!);
    assert.equal(page.status, 200);
    assert.match(agent.lastHtml, /đã được gửi trước đó/);
    // Back, the old form edited, sent again with its key: refused, nothing written.
    const edited = await agent.postForm("/visits", visitForm(key, { note: "khác" }), { csrf });
    assert.equal(edited.status, 422);
    assert.match(await edited.text(), /Hãy mở lại trang biểu mẫu/);
    assert.equal(await countVisits(), 1);
    // A new render, a new key.
    await agent.get(`/visits/new?household=${h1.id}`);
    assert.notEqual(keyOf(agent.lastHtml), key);
  });

  test("a form shown again with its errors can be corrected and sent with its key", async () => {
    await agent.get(`/visits/new?household=${h1.id}`);
    const key = keyOf(agent.lastHtml)!;
    const csrf = agent.csrf();
    const wrong = await agent.postForm("/visits", visitForm(key, { date: "2026-06-13", member: "" }), {
      csrf,
    });
    assert.equal(wrong.status, 422);
    const ok = await agent.postForm("/visits", visitForm(key, { date: "2026-06-13" }), { csrf });
    assert.equal(ok.status, 303);
    assert.equal(await countVisits(), 2);
  });

  test("the attendance form: a resubmit saves once", async () => {
    await agent.get(path);
    const key = keyOf(agent.lastHtml);
    assert.ok(key, "the roster form carries a key");
    const csrf = agent.csrf();
    const fields = { idempotency_key: key, shown: [String(an.id)], present: [String(an.id)] };
    const first = await agent.postForm(path, fields, { csrf });
    assert.equal(first.status, 303);
    const audited = await countAudit();
    const again = await agent.postForm(path, fields, { csrf });
    assert.equal(again.status, 303);
    assert.equal(again.headers.get("location"), first.headers.get("location"));
    assert.equal(await countAudit(), audited, "the replay wrote nothing, not even an audit event");
    const [row] = await t.db.select().from(attendance).where(eq(attendance.residentId, an.id));
    assert.equal(row!.present, true);
  });
});
