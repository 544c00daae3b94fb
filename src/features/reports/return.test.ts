/**
 * Issue 19.4: a submission asks first, a draft's files say "DỰ THẢO" on every page, the leader
 * returns a report with a comment and a new version follows, the homes list what waits, and ad hoc
 * ("đột xuất") reports follow the same flow.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { and, eq, sql } from "drizzle-orm";
import { type Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildHousehold, buildResident, buildVillage } from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { zipEntry, zipNames } from "../../../test/helpers/zip.ts";
import { auditEvents, reportFiles } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { sha256Of } from "./service.ts";

let t: TestApp;
const ROLES = ["coordinator", "leader", "admin"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let agents: Record<string, Agent>;
let dir: string;

setClock(startingAt("2026-10-05T09:00:00+07:00"));

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-return-"));
  const village = await buildVillage(t.db, { commune: t.commune, code: "T01", name: "Thôn Đông Hòa" });
  for (let h = 1; h <= 3; h++) {
    const household = await buildHousehold(t.db, { village, code: `T01-${h}` });
    await buildResident(t.db, { household, fullName: `Người ${h}`, birthDate: "1980-05-05" });
  }
  accounts = await buildRoleAccounts(t, ROLES, { agents: true, displayName: (role) => `Cán bộ ${role}` });
  agents = accounts.agents;
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const send = (role: string, p: string, method = "GET", body?: unknown) =>
  accounts.send(role, body, p, method);
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
/** The coordinator's new draft report of a period, dated `date`: its id. */
async function createDraft(period: string, date: string): Promise<number> {
  const res = await send("coordinator", "/api/v1/reports", "POST", { period, date, narrative: NARRATIVE });
  assert.equal(res.status, 201);
  return (await json(res)).id as number;
}
const fileOf = async (id: number, format: string) => {
  const res = await send("coordinator", `/api/v1/reports/${id}/files/${format}`);
  assert.equal(res.status, 200);
  return new Uint8Array(await res.arrayBuffer());
};
const NARRATIVE = { difficulties: "Sóng yếu ở thôn Đông Hòa.", nextSteps: "Mở lớp buổi tối." };

/** The text of each page of a PDF, through pdftotext. */
function pdfPages(bytes: Uint8Array): string[] {
  const file = path.join(dir, `p-${Math.random()}.pdf`);
  fs.writeFileSync(file, bytes);
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync("pdftotext", ["-f", String(i + 1), "-l", String(i + 1), "-enc", "UTF-8", file, "-"], {
      encoding: "utf8",
    }),
  );
}

/** Every header part of a DOCX, and whether each section has its first-page and default headers. */
function docxHeaders(bytes: Uint8Array) {
  const headers = zipNames(bytes)
    .filter((n) => /^word\/header\d+\.xml$/.test(n))
    .map((n) => zipEntry(bytes, n)!.toString("utf8"));
  const doc = zipEntry(bytes, "word/document.xml")!.toString("utf8");
  const sections = doc.match(/<w:sectPr[\s\S]*?<\/w:sectPr>/g) ?? [];
  return { headers, doc, sections };
}

const hasSoffice = (() => {
  try {
    execFileSync("soffice", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("a draft's files say DỰ THẢO on every page", () => {
  let id: number;
  test("DOCX: every header part (first pages too) and every section; PDF: every page", async () => {
    id = await createDraft("2026-Q3", "2026-09-30");
    const docx = await fileOf(id, "docx");
    const { headers, sections } = docxHeaders(docx);
    assert.ok(headers.length >= 2, "a first-page and a default header");
    for (const h of headers) assert.match(h, /DỰ THẢO/, "each header part marks the draft");
    assert.equal(sections.length, 2, "the body and the appendix");
    for (const s of sections) {
      assert.match(s, /<w:headerReference w:type="first"/);
      assert.match(s, /<w:headerReference w:type="default"/);
      assert.match(s, /<w:titlePg/);
    }
    const pages = pdfPages(await fileOf(id, "pdf"));
    assert.ok(pages.length >= 2, `a PDF of ${pages.length} pages`);
    for (const [i, p] of pages.entries()) assert.match(p, /DỰ THẢO/, `PDF page ${i + 1} is marked`);
  });

  test("the DOCX rendered by LibreOffice says DỰ THẢO on every page", { skip: !hasSoffice }, async () => {
    const docx = await fileOf(id, "docx");
    const file = path.join(dir, "du-thao.docx");
    fs.writeFileSync(file, docx);
    const profile = path.join(dir, "lo-profile");
    execFileSync(
      "soffice",
      [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file],
      { stdio: "ignore", timeout: 300_000 },
    );
    const pages = pdfPages(fs.readFileSync(path.join(dir, "du-thao.pdf")));
    assert.ok(pages.length >= 2, `LibreOffice laid out ${pages.length} pages`);
    for (const [i, p] of pages.entries())
      assert.match(p, /DỰ THẢO/, `page ${i + 1} rendered by LibreOffice is marked`);
  });

  test("the submitted files are not marked", async () => {
    const res = await send("coordinator", `/api/v1/reports/${id}/submit`, "POST");
    assert.equal(res.status, 200, "the API submits in one call");
    const docx = await fileOf(id, "docx");
    for (const h of docxHeaders(docx).headers) assert.doesNotMatch(h, /DỰ THẢO/);
    for (const p of pdfPages(await fileOf(id, "pdf"))) assert.doesNotMatch(p, /DỰ THẢO/);
  });
});

describe("submitting asks first", () => {
  test("the report page's button leads to a confirmation page (no JavaScript) and a dialog (JavaScript)", async () => {
    const id = await createDraft("2026-09", "2026-09-30");
    const c = agents.coordinator!;
    const page = await (await c.get(`/reports/${id}`)).text();
    assert.match(page, new RegExp(`<form method="get" action="/reports/${id}/submit" data-confirm-dialog`));
    assert.match(page, /<dialog id="submit-dialog"/);
    assert.match(page, /src="\/static\/reports.js"/);
    const confirm = await c.get(`/reports/${id}/submit`);
    assert.equal(confirm.status, 200);
    const html = await confirm.text();
    assert.match(html, /không hoàn tác được/);
    assert.match(html, /Quay lại/);
    assert.match(html, new RegExp(`action="/reports/${id}/submit"`));
    const still = await json(await send("coordinator", `/api/v1/reports/${id}`));
    assert.equal(still.status, "draft", "asking changes nothing");
    const done = await c.postForm(`/reports/${id}/submit`, {});
    assert.equal(done.status, 303);
    assert.equal((await json(await send("coordinator", `/api/v1/reports/${id}`))).status, "submitted");
    // Once submitted, the confirmation page sends back to the report.
    assert.equal((await c.get(`/reports/${id}/submit`)).status, 303);
  });
});

describe("the leader returns a report with a comment; a new version follows", () => {
  test("v1 returned with its comment, v2 submitted, approved; v1's frozen content unchanged", async () => {
    const v1 = await createDraft("2026-Q2", "2026-06-30");
    assert.equal((await send("coordinator", `/api/v1/reports/${v1}/submit`, "POST")).status, 200);
    const before = await t.db
      .select({ format: reportFiles.format, sha256: reportFiles.sha256 })
      .from(reportFiles)
      .where(eq(reportFiles.reportId, v1));
    const snapshotOf = async () =>
      (
        (await t.db.execute(sql`select snapshot::text as s from reports where id = ${v1}`)) as unknown as {
          rows: { s: string }[];
        }
      ).rows[0]!.s;
    const snapshot = await snapshotOf();

    // Leader's home: waiting for approval.
    const leaderHome = await (await agents.leader!.get("/")).text();
    assert.match(leaderHome, /Báo cáo chờ duyệt/);
    assert.match(leaderHome, new RegExp(`href="/reports/${v1}"`));

    // Bad input: a clear message and nothing changes.
    assert.equal(
      (await send("coordinator", `/api/v1/reports/${v1}/return`, "POST", { comment: "x" })).status,
      403,
    );
    const empty = await send("leader", `/api/v1/reports/${v1}/return`, "POST", { comment: "   " });
    assert.equal(empty.status, 422);
    assert.match(JSON.stringify(await empty.json()), /Nhập ý kiến khi trả lại/);
    const long = await send("leader", `/api/v1/reports/${v1}/return`, "POST", { comment: "a".repeat(2001) });
    assert.equal(long.status, 422);
    const page422 = await agents.leader!.postForm(`/reports/${v1}/return`, { comment: "" });
    assert.equal(page422.status, 422);
    assert.match(await page422.text(), /error-summary/);
    assert.equal((await json(await send("leader", `/api/v1/reports/${v1}`))).status, "submitted");

    const comment = "Bổ sung số liệu thôn Đông Hòa;\nghi rõ nguyên nhân chậm.";
    const returned = await send("leader", `/api/v1/reports/${v1}/return`, "POST", { comment });
    assert.equal(returned.status, 200);
    const r1 = await json(returned);
    assert.equal(r1.status, "returned");
    assert.equal(r1.return_comment, comment);
    assert.equal(r1.returned_by, "Cán bộ leader");
    // The leader's home, kept in memory since its last view, no longer lists it as waiting.
    assert.doesNotMatch(await (await agents.leader!.get("/")).text(), new RegExp(`href="/reports/${v1}"`));
    assert.equal((await send("leader", `/api/v1/reports/${v1}/return`, "POST", { comment })).status, 409);
    assert.equal((await send("leader", `/api/v1/reports/${v1}/approve`, "POST")).status, 409);
    const audit = await t.db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "report.return"), eq(auditEvents.entityId, String(v1))));
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.after as { comment: string }).comment, comment);

    // The coordinator sees it: the report page and the home.
    const page = await (await agents.coordinator!.get(`/reports/${v1}`)).text();
    assert.match(page, /Ý kiến của lãnh đạo khi trả lại/);
    assert.match(page, /Bổ sung số liệu thôn Đông Hòa;/);
    const home = await (await agents.coordinator!.get("/")).text();
    assert.match(home, /Báo cáo bị trả lại, cần sửa/);
    assert.match(home, /Bổ sung số liệu thôn Đông Hòa/);

    // v2 answers it; its draft page shows v1's comment.
    const v2res = await send("coordinator", `/api/v1/reports/${v1}/versions`, "POST");
    assert.equal(v2res.status, 201);
    const v2 = (await json(v2res)).id as number;
    assert.equal((await json(await send("coordinator", `/api/v1/reports/${v2}`))).version, 2);
    assert.match(await (await agents.coordinator!.get(`/reports/${v2}`)).text(), /Phiên bản 1 đã bị trả lại/);
    assert.equal((await send("coordinator", `/api/v1/reports/${v2}/submit`, "POST")).status, 200);
    assert.doesNotMatch(await (await agents.coordinator!.get("/")).text(), /Báo cáo bị trả lại, cần sửa/);
    assert.equal((await send("leader", `/api/v1/reports/${v2}/approve`, "POST")).status, 200);

    const all = (await json(await send("leader", "/api/v1/reports"))).items as Record<string, unknown>[];
    const history = all
      .filter((r) => r.period === "2026-Q2")
      .map((r) => [r.version, r.status, r.return_comment])
      .sort();
    assert.deepEqual(history, [
      [1, "returned", comment],
      [2, "approved", null],
    ]);
    const afterFiles = await t.db
      .select({ format: reportFiles.format, sha256: reportFiles.sha256 })
      .from(reportFiles)
      .where(eq(reportFiles.reportId, v1));
    assert.deepEqual(afterFiles, before, "v1's files are kept as they were");
    const pdf = await fileOf(v1, "pdf");
    assert.equal(sha256Of(pdf), before.find((f) => f.format === "pdf")!.sha256);
    assert.equal(await snapshotOf(), snapshot, "v1's frozen model is unchanged");
    // The database refuses to rewrite a returned report's comment or state.
    await assert.rejects(t.db.execute(sql`update reports set return_comment = 'khác' where id = ${v1}`));
    await assert.rejects(t.db.execute(sql`update reports set status = 'approved' where id = ${v1}`));
  });
});

describe("ad hoc reports (đột xuất)", () => {
  test("a title and a due date chosen by the coordinator; the same flow; outside the schedule", async () => {
    const bad = await send("coordinator", "/api/v1/reports", "POST", {
      period: "2026-Q4",
      adhoc: { title: " ", due_date: "31/10" },
    });
    assert.equal(bad.status, 422);
    const fields = ((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields;
    assert.ok(fields.title && fields.due_date, JSON.stringify(fields));

    const title = "Về kết quả Ngày hội chuyển đổi số tháng 10";
    const res = await send("coordinator", "/api/v1/reports", "POST", {
      period: "2026",
      date: "2026-10-05",
      adhoc: { title, due_date: "2026-10-20" },
      narrative: NARRATIVE,
    });
    assert.equal(res.status, 201);
    const r = await json(res);
    assert.equal(r.kind, "adhoc");
    assert.equal(r.title, title);
    assert.equal(r.due_date, "2026-10-20");
    assert.equal(r.adhoc_no, 1);
    // A scheduled draft of the same period is another report.
    const yearly = await send("coordinator", "/api/v1/reports", "POST", {
      period: "2026",
      narrative: NARRATIVE,
    });
    assert.equal(yearly.status, 201);
    assert.equal((await json(yearly)).version, 1);
    const docx = zipEntry(await fileOf(r.id as number, "docx"), "word/document.xml")!.toString("utf8");
    assert.ok(docx.replace(/<[^>]+>/g, "").includes(title), "the title is the document's subject");

    assert.equal((await send("coordinator", `/api/v1/reports/${r.id}/submit`, "POST")).status, 200);
    const returned = await send("admin", `/api/v1/reports/${r.id}/return`, "POST", { comment: "Thêm ảnh." });
    assert.equal(returned.status, 200, "the admin may return too");
    const v2 = await json(await send("coordinator", `/api/v1/reports/${r.id}/versions`, "POST"));
    assert.deepEqual([v2.version, v2.adhoc_no, v2.title, v2.due_date], [2, 1, title, "2026-10-20"]);

    // The schedule (and indicator 12) only knows the plan's periods.
    const list = await (await agents.coordinator!.get("/reports")).text();
    assert.match(list, /Tạo báo cáo đột xuất/);
    assert.match(list, /Đột xuất/);
    const form = await (await agents.coordinator!.get("/reports/new?adhoc=1")).text();
    assert.match(form, /name="title"/);
    assert.match(form, /name="due_date"/);
  });

  test("the web form shows every mistake at once and writes nothing", async () => {
    const c = agents.coordinator!;
    await c.get("/reports/new?adhoc=1");
    const res = await c.postForm("/reports", { adhoc: "1", title: "", due_date: "", period: "" });
    assert.equal(res.status, 422);
    const html = await res.text();
    for (const m of ["Nhập tên (lý do) của báo cáo đột xuất.", "Nhập hạn gửi của báo cáo đột xuất."])
      assert.ok(html.includes(m), m);
    assert.match(html, /name="adhoc" value="1"/);
  });
});
