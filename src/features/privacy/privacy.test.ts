import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildCertification,
  buildCommune,
  buildHousehold,
  buildResident,
  buildUser,
  buildVillage,
  type Commune,
  type Resident,
} from "../../../test/helpers/factories.ts";
import { importUploads } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { readUploadFile, saveUpload, storeUploadPart } from "../imports/uploads.ts";
import { addWorkingDays, isWorkingDay, parseDueDays } from "./working-days.ts";

describe("working days", () => {
  test("a due date skips weekends and Vietnam's public holidays", () => {
    // Friday 24 April 2026 + 3 working days: Mon 27 (Hùng Kings, moved from Sunday 26) and Thu 30 April,
    // Fri 1 May are off → Tue 28, Wed 29, Mon 4 May.
    assert.equal(addWorkingDays("2026-04-24", 3), "2026-05-04");
    // Across a plain weekend: Friday 5 June + 1 → Monday 8 June.
    assert.equal(addWorkingDays("2026-06-05", 1), "2026-06-08");
    // Across Tết 2026 (16–20 February off): Friday 13 February + 10 → Friday 6 March.
    assert.equal(addWorkingDays("2026-02-13", 10), "2026-03-06");
    // Across National Day (1–2 September 2026): Monday 31 August + 2 → Thursday 3, Friday 4 September.
    assert.equal(addWorkingDays("2026-08-31", 2), "2026-09-04");
    assert.equal(isWorkingDay("2026-09-02"), false);
    assert.equal(isWorkingDay("2026-09-03"), true);
    // A year not in the table still knows its solar holidays.
    assert.equal(isWorkingDay("2031-09-02"), false);
  });

  test("PRIVACY_DUE_DAYS overrides kinds; a bad value names itself", () => {
    assert.deepEqual(parseDueDays("deletion=5"), { access: 10, correction: 10, deletion: 5, objection: 10 });
    assert.throws(() => parseDueDays("erase=5"), /PRIVACY_DUE_DAYS: "erase=5"/);
  });
});

describe("the privacy register on the web and the API", () => {
  let t: TestApp;
  let other: Commune;
  let resident: Resident;
  let otherResident: Resident;
  const users: Record<string, string> = {};
  let password = "";
  const agent = async (role: string) => {
    const a = new Agent(t.app);
    await a.login(users[role]!, password);
    return a;
  };

  before(async () => {
    setClock(startingAt("2026-06-15T09:00:00+07:00"));
    t = await createTestApp();
    const village = await buildVillage(t.db, { commune: t.commune });
    const household = await buildHousehold(t.db, { village });
    resident = await buildResident(t.db, {
      household,
      fullName: "Hà Thị Riêng Tư",
      citizenId: "038190000123",
      phone: "0987000111",
      birthDate: "1970-03-04",
    });
    await buildCertification(t.db, { resident, date: "2026-05-20" });
    other = await buildCommune(t.db);
    otherResident = await buildResident(t.db, {
      household: await buildHousehold(t.db, { village: await buildVillage(t.db, { commune: other }) }),
    });
    for (const role of ["admin", "coordinator", "volunteer", "leader"] as const) {
      const u = await buildUser(t.db, {
        role,
        commune: t.commune,
        ...(role === "volunteer" ? { villages: [village] } : {}),
      });
      users[role] = u.user.username;
      password = u.password;
    }
    users.otherCoord = (await buildUser(t.db, { role: "coordinator", commune: other })).user.username;
  });
  after(() => t.close());

  test("a coordinator records a request: the due date counts working days; the list marks overdue ones", async () => {
    const a = await agent("coordinator");
    await a.get("/privacy/requests/new");
    // Bad input: a clear Vietnamese message, nothing recorded.
    let res = await a.postForm("/privacy/requests", {
      kind: "",
      resident_id: "abc",
      received_on: "2026-02-30",
    });
    assert.equal(res.status, 422);
    assert.match(a.lastHtml, /Vui lòng nhập Loại yêu cầu/);
    assert.match(a.lastHtml, /Mã người dân là một số nguyên dương/);
    assert.match(a.lastHtml, /Ngày nhận không hợp lệ/);
    res = await a.postForm("/privacy/requests", { kind: "access", resident_id: String(otherResident.id) });
    assert.equal(res.status, 422, "a resident of another commune is unknown here");
    assert.match(a.lastHtml, new RegExp(`Không có người dân số ${otherResident.id} trong xã`));
    const [n0] = (
      (await t.db.execute(sql`select count(*)::int as n from privacy_requests`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows;
    assert.equal(n0!.n, 0);

    res = await a.postForm("/privacy/requests", {
      kind: "deletion",
      resident_id: String(resident.id),
      requester: "",
      received_on: "2026-04-24",
    });
    assert.equal(res.status, 303);
    await a.get(res.headers.get("location")!);
    assert.match(a.lastHtml, /Yêu cầu số \d+/);
    assert.match(
      a.lastHtml,
      /13\/05\/2026/,
      "10 working days after Friday 24/4: 27/4, 30/4 and 1/5 are holidays",
    );
    assert.match(a.lastHtml, /quá hạn/);
    // The list: overdue first, marked.
    await a.get("/privacy?overdue=1");
    assert.match(a.lastHtml, /Hà Thị Riêng Tư/);
    assert.match(a.lastHtml, /row--overdue/);
    // Refusing needs a reason; then done.
    const id = /\/privacy\/requests\/(\d+)/.exec(res.headers.get("location")!)![1]!;
    await a.get(`/privacy/requests/${id}`);
    res = await a.postForm(`/privacy/requests/${id}`, { status: "refused", refusal_reason: "" });
    assert.equal(res.status, 422);
    assert.match(a.lastHtml, /Khi từ chối, hãy ghi lý do|Vui lòng nhập Lý do từ chối/);
    res = await a.postForm(`/privacy/requests/${id}`, { status: "in_progress" });
    assert.equal(res.status, 303);
    await a.get(`/privacy/requests/${id}`);
    assert.match(a.lastHtml, /Đang xử lý/);
    assert.match(a.lastHtml, /Người dùng coordinator, 09:00 15\/06\/2026/);
  });

  test("the API: create, list, patch — in the OpenAPI document; audited", async () => {
    const token = await apiToken(t.app, users.admin!, password);
    const h = bearer(token, { "content-type": "application/json", "x-forwarded-for": "10.2.2.2" });
    let res = await t.app.request("/api/v1/privacy-requests", {
      method: "POST",
      headers: h,
      body: JSON.stringify({ kind: "access", requester: "Người đại diện", received_on: "2026-06-12" }),
    });
    assert.equal(res.status, 201);
    const x = (await res.json()) as { id: number; due_on: string; overdue: boolean; status: string };
    assert.equal(x.due_on, "2026-06-26", "Friday 12 June + 10 working days");
    assert.equal(x.overdue, false);
    res = await t.app.request(`/api/v1/privacy-requests/${x.id}`, {
      method: "PATCH",
      headers: h,
      body: JSON.stringify({ status: "refused", refusal_reason: "Không xác minh được người yêu cầu" }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, "refused");
    res = await t.app.request("/api/v1/privacy-requests?status=open", { headers: h });
    const list = (await res.json()) as { items: { id: number }[] };
    assert.ok(!list.items.some((i) => i.id === x.id));
    res = await t.app.request("/api/v1/privacy-requests", {
      method: "POST",
      headers: h,
      body: JSON.stringify({ kind: "nope" }),
    });
    assert.equal(res.status, 422);
    const doc = (await (await t.app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    assert.ok(doc.paths["/privacy-requests"] && doc.paths["/privacy-requests/{id}"]);
    const [ev] = (
      (await t.db.execute(
        sql`select count(*)::int as n from audit_events where entity = 'privacy_request' and entity_id = ${String(x.id)}`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    assert.equal(ev!.n, 2);
  });

  test("scope: another commune's coordinator gets 404; a volunteer and a leader get 403", async () => {
    const [req] = (
      (await t.db.execute(sql`select id from privacy_requests order by id limit 1`)) as unknown as {
        rows: { id: number }[];
      }
    ).rows;
    const o = new Agent(t.app);
    await o.login(users.otherCoord!, password);
    assert.equal((await o.get(`/privacy/requests/${req!.id}`)).status, 404);
    assert.equal((await o.get(`/privacy/residents/${resident.id}`)).status, 404);
    assert.equal((await o.get(`/privacy/residents/${resident.id}/export.json`)).status, 404);
    assert.equal((await o.get(`/privacy/residents/${resident.id}/erase`)).status, 404);
    await o.get("/privacy");
    assert.doesNotMatch(o.lastHtml, /Hà Thị Riêng Tư/);
    const ot = await apiToken(t.app, users.otherCoord!, password);
    assert.equal(
      (await t.app.request(`/api/v1/privacy-requests/${req!.id}`, { headers: bearer(ot) })).status,
      404,
    );
    const res = await t.app.request(`/api/v1/privacy-requests/${req!.id}`, {
      method: "PATCH",
      headers: bearer(ot, { "content-type": "application/json" }),
      body: JSON.stringify({ status: "done" }),
    });
    assert.equal(res.status, 404);
    for (const role of ["volunteer", "leader"]) {
      const a = await agent(role);
      for (const p of [
        "/privacy",
        `/privacy/residents/${resident.id}`,
        `/privacy/residents/${resident.id}/export.json`,
        `/privacy/residents/${resident.id}/erase`,
      ])
        assert.equal((await a.get(p)).status, 403, `${role} ${p}`);
      const tok = await apiToken(t.app, users[role]!, password);
      assert.equal((await t.app.request("/api/v1/privacy-requests", { headers: bearer(tok) })).status, 403);
    }
    await (await agent("volunteer")).get("/");
  });

  test("on the web: find by citizen ID, download the JSON, print the letter, erase after confirmation", async () => {
    const a = await agent("coordinator");
    await a.get("/privacy");
    let res = await a.postForm("/privacy/lookup", { who: "12ab" });
    assert.equal(res.status, 422);
    assert.match(a.lastHtml, /Hãy nhập số CCCD \(12 chữ số\) hoặc mã người dân/);
    res = await a.postForm("/privacy/lookup", { who: "038190000999" });
    assert.match(a.lastHtml, /Không có người dân nào của xã mang số căn cước 038190000999/);
    res = await a.postForm("/privacy/lookup", { who: "038190000123" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/privacy/residents/${resident.id}`);
    await a.get(`/privacy/residents/${resident.id}`);
    assert.match(a.lastHtml, /038190000123/);

    res = await a.get(`/privacy/residents/${resident.id}/export.json`);
    assert.match(res.headers.get("content-disposition")!, /attachment/);
    const data = JSON.parse(a.lastHtml) as Record<string, unknown>;
    for (const k of [
      "resident",
      "household",
      "certifications",
      "attendance",
      "visits",
      "assessments",
      "audit",
    ])
      assert.ok(k in data, k);
    await a.get(`/privacy/residents/${resident.id}/letter`);
    assert.match(a.lastHtml, /THÔNG BÁO VỀ DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ/);
    assert.match(a.lastHtml, /Kính gửi: Ông\/Bà Hà Thị Riêng Tư/);
    assert.match(a.lastHtml, /3\. Chứng nhận kỹ năng số/);
    assert.match(a.lastHtml, /20\/05\/2026/);
    // Who looked at the record, in words, never the audit trail's codes ("resident.view_identity").
    assert.match(a.lastHtml, /Xem số định danh, số điện thoại của người dân/);
    assert.match(a.lastHtml, /Kỹ năng số cơ bản \/ Nền tảng Bình dân học vụ số/);
    assert.doesNotMatch(a.lastHtml, /— [a-z_]+\.[a-z_.]+/);

    // The confirmation names what goes; without CSRF or reason nothing happens.
    await a.get(`/privacy/residents/${resident.id}/erase`);
    assert.match(a.lastHtml, /Xóa dữ liệu của Hà Thị Riêng Tư\?/);
    assert.match(a.lastHtml, /Không thể hoàn tác/);
    res = await a.postForm(`/privacy/residents/${resident.id}/erase`, { reason: "x" }, { csrf: null });
    assert.equal(res.status, 403);
    await a.get(`/privacy/residents/${resident.id}/erase`);
    res = await a.postForm(`/privacy/residents/${resident.id}/erase`, { reason: " " });
    assert.equal(res.status, 422);
    assert.match(a.lastHtml, /Hãy ghi lý do xóa|Vui lòng nhập/);
    const still = (
      (await t.db.execute(
        sql`select count(*)::int as n from residents where id = ${resident.id}`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    assert.equal(still[0]!.n, 1);
    // An upload waiting for its commit (with its errors file) names the person; another commune's stays.
    const errorsFile = path.join(t.config.dataDir, "errors.csv");
    fs.mkdirSync(t.config.dataDir, { recursive: true });
    fs.writeFileSync(errorsFile, "row,error\n2,Hà Thị Riêng Tư\n");
    const upload = async (commune: Commune) => {
      const { user } = await buildUser(t.db, { role: "coordinator", commune });
      const saved = await saveUpload(
        t.db,
        new File(["full_name,citizen_id\nHà Thị Riêng Tư,038190000123\n"], "a.csv"),
        { kind: "residents", communeId: commune.id, userId: user.id },
      );
      await storeUploadPart(t.db, saved, "errors", errorsFile);
      return saved;
    };
    const mine = await upload(t.commune);
    const theirs = await upload(other);
    res = await a.postForm(`/privacy/residents/${resident.id}/erase`, {
      reason: "Yêu cầu số 1 ngày 24/4/2026",
    });
    assert.equal(res.status, 303);
    const left = await t.db.select({ id: importUploads.id }).from(importUploads);
    assert.deepEqual(
      left.map((r) => r.id),
      [theirs.id],
      `${mine.id} gone with its errors file, the other commune's kept`,
    );
    assert.equal(await readUploadFile(t.db, mine, "errors"), undefined);
    await a.get("/privacy");
    assert.match(a.lastHtml, new RegExp(`Đã xóa dữ liệu của người dân số ${resident.id}`));
    assert.doesNotMatch(a.lastHtml, /Hà Thị Riêng Tư/);
    assert.match(a.lastHtml, /\(người đã được xóa\)/);
    assert.equal((await a.get(`/privacy/residents/${resident.id}`)).status, 409);
    assert.match(a.lastHtml, /đã được xóa theo yêu cầu/);
  });
});
