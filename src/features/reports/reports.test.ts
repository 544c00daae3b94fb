import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { and, count, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { type Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildCommune, type buildUser } from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { SAMPLE, SAMPLE_FILES } from "../../../test/helpers/sample.ts";
import { zipEntry, zipNames } from "../../../test/helpers/zip.ts";
import { auditEvents, reportFiles, reports } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { formatNumber } from "../../lib/i18n/index.ts";
import { cliActor } from "../audit/service.ts";
import { viewerOf } from "../auth/viewer.ts";
import { runImport } from "../imports/engine.ts";
import { currentPlan } from "../indicators/plan.ts";
import { computeIndicators, type IndicatorTable, resolveWindow } from "../indicators/service.ts";
import { createReport, submitReport } from "./service.ts";

let t: TestApp;
const ROLES = ["coordinator", "leader", "admin", "police", "village_lead", "province"] as const;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let agents: Record<string, Agent>;
let users: Record<string, Awaited<ReturnType<typeof buildUser>>["user"]>;
let dir: string;

// Its fixtures are dated in 2026 up to November (past dates, due reports): the test sets its day.
setClock(startingAt("2026-11-25T10:00:00+07:00"));

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-reports-"));
  for (const [kind, file] of SAMPLE_FILES) {
    const r = await runImport({
      db: t.db,
      communeId: t.commune.id,
      kind,
      file: path.join(SAMPLE, file),
      actor: cliActor(t.commune.id),
      today: "2026-11-25",
    });
    assert.equal(r.ok, true, `${kind}: ${JSON.stringify(r.errors.slice(0, 2))}`);
  }
  accounts = await buildRoleAccounts(t, ROLES, { agents: true, displayName: (role) => `Cán bộ ${role}` });
  ({ agents, users } = accounts);
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const send = (role: string, p: string, method = "GET", body?: unknown) =>
  accounts.send(role, body, p, method);
const countReports = async () => (await t.db.select({ n: count() }).from(reports))[0]!.n;
const live = async (date: string, period: string): Promise<IndicatorTable> => {
  const plan = currentPlan();
  const w = resolveWindow({ date, period, plan });
  return computeIndicators({ db: t.db, communeId: t.commune.id, plan, ...w });
};
const download = async (role: string, id: number, format: string) => {
  const res = await send(role, `/api/v1/reports/${id}/files/${format}`);
  assert.equal(res.status, 200, `${format}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
};
/** A document's words without markup or spacing, so a figure split by a line break still matches. */
const squash = (s: string) => s.replace(/<[^>]+>/g, "").replace(/\s+/g, "");
const n = (x: number) => formatNumber("vi", x);

/** Checks the three files of a report against an indicator table: motto, 12 rows, every figure. */
async function checkFiles(files: Record<string, Uint8Array>, table: IndicatorTable) {
  const xml = zipEntry(files.docx!, "word/document.xml")!.toString("utf8");
  const docText = squash(xml);
  assert.ok(docText.includes(squash("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")), "motto in DOCX");
  assert.ok(docText.includes(squash("Độc lập - Tự do - Hạnh phúc")), "motto line 2 in DOCX");
  assert.ok(docText.includes("BÁOCÁO"));
  const styles = zipEntry(files.docx!, "word/styles.xml")?.toString("utf8") ?? "";
  assert.ok(`${styles}${xml}`.includes("Times New Roman"), "Times New Roman in the DOCX");
  assert.ok(
    zipNames(files.docx!).some((f) => f.startsWith("word/media/")),
    "charts as images in the DOCX",
  );

  const pdfFile = path.join(dir, `r-${Math.random()}.pdf`);
  fs.writeFileSync(pdfFile, files.pdf!);
  const pdfText = squash(execFileSync("pdftotext", ["-enc", "UTF-8", pdfFile, "-"], { encoding: "utf8" }));
  assert.ok(pdfText.includes(squash("Độc lập - Tự do - Hạnh phúc")), "motto in PDF with diacritics");

  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(files.xlsx!) as unknown as ExcelJS.Buffer);
  const rowsOf = (title: string) => {
    const found: ExcelJS.Row[] = [];
    for (const sheet of book.worksheets)
      sheet.eachRow((row) => {
        if ((row.values as unknown[]).some((v) => v === title)) found.push(row);
      });
    return found;
  };

  assert.equal(table.indicators.length, 12);
  for (const i of table.indicators) {
    assert.ok(docText.includes(squash(i.title)), `DOCX names indicator ${i.id}`);
    assert.ok(pdfText.includes(squash(i.title)), `PDF names indicator ${i.id}`);
    const rows = rowsOf(i.title);
    assert.ok(rows.length >= 1, `XLSX row of indicator ${i.id}`);
    const numbers = (rows[0]!.values as unknown[]).filter((v): v is number => typeof v === "number");
    if (i.numerator !== undefined) {
      const ratio = `${n(i.numerator)}/${n(i.denominator!)}`;
      assert.ok(docText.includes(ratio), `DOCX figure ${ratio} of indicator ${i.id}`);
      assert.ok(pdfText.includes(ratio), `PDF figure ${ratio} of indicator ${i.id}`);
      assert.ok(numbers.includes(i.numerator), `XLSX numerator of ${i.id} is a number`);
      assert.ok(numbers.includes(i.denominator!), `XLSX denominator of ${i.id}`);
      if (i.value !== null)
        assert.ok(
          numbers.some((x) => Math.abs(x - i.value!) < 1e-9),
          `XLSX value of ${i.id} as a fraction`,
        );
    } else {
      assert.ok(numbers.includes(i.value!), `XLSX count of indicator ${i.id}`);
    }
  }
}

describe("reports (SPEC §6)", () => {
  let q3: number;

  test("bad input: an unknown period, a date before the period — a clear message, nothing created", async () => {
    const agent = agents.coordinator!;
    await agent.get("/reports/new");
    assert.match(agent.lastHtml, /Kỳ báo cáo/);
    let res = await agent.postForm("/reports", { period: "2026-Q5", date: "2026-09-30" });
    assert.equal(res.status, 422);
    assert.match(agent.lastHtml, /2026-Q5/);
    res = await send("coordinator", "/api/v1/reports", "POST", { period: "2026-Q3", date: "2026-06-30" });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    assert.ok(body.error.fields.date, JSON.stringify(body));
    assert.equal(await countReports(), 0);
    // A leader reads and approves but does not write or submit.
    res = await send("leader", "/api/v1/reports", "POST", { period: "2026-Q3" });
    assert.equal(res.status, 403);
    assert.equal(await countReports(), 0);
  });

  test("a draft's figures equal `bdhvs indicators` for its date and period, computed live", async () => {
    const agent = agents.coordinator!;
    await agent.get("/reports/new");
    const res = await agent.postForm("/reports", {
      period: "2026-Q3",
      date: "2026-09-30",
      number: "15",
      signed_on: "2026-10-02",
      signer_name: "Lê Văn Thành",
      overview: "Phong trào được triển khai đồng bộ.",
      difficulties: "",
      nextSteps: "",
      proposals: "",
    });
    assert.equal(res.status, 303, agent.lastHtml.slice(0, 400));
    q3 = Number(res.headers.get("location")!.split("/").pop());
    const page = await agent.get(`/reports/${q3}`);
    assert.equal(page.status, 200);
    assert.match(agent.lastHtml, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    assert.match(agent.lastHtml, /Số: 15\/BC-UBND/);
    // The preview's date line is the document's, in both interface languages (issue 17 point 7).
    assert.match(agent.lastHtml, /<em>Tân Ninh, ngày 02 tháng 10 năm 2026<\/em>/);
    await agent.get(`/reports/${q3}?lang=en`);
    assert.match(agent.lastHtml, /<em>Tân Ninh, ngày 02 tháng 10 năm 2026<\/em>/);
    await agent.get(`/reports/${q3}?lang=vi`);
    const api = (await (await send("coordinator", `/api/v1/reports/${q3}`)).json()) as {
      status: string;
      due_date: string;
      figures: IndicatorTable;
    };
    assert.equal(api.status, "draft");
    assert.equal(api.due_date, "2026-09-20");
    assert.deepEqual(api.figures, await live("2026-09-30", "2026-Q3"));
    // The draft's files are generated now and carry the same figures.
    const files = {
      docx: await download("coordinator", q3, "docx"),
      xlsx: await download("coordinator", q3, "xlsx"),
      pdf: await download("coordinator", q3, "pdf"),
    };
    await checkFiles(files, api.figures);
    const odt = await send("coordinator", `/api/v1/reports/${q3}/files/odt`);
    assert.ok([400, 422].includes(odt.status), `a format not offered: ${odt.status}`);
    assert.equal((await agent.get(`/reports/${q3}/files/odt`)).status, 404);
  });

  test("submitting needs the narrative; the leader cannot submit; a submitted report is frozen", async () => {
    let res = await send("coordinator", `/api/v1/reports/${q3}/submit`, "POST");
    assert.equal(res.status, 422);
    const fields = ((await res.json()) as { error: { fields: Record<string, string> } }).error.fields;
    assert.ok(fields.difficulties && fields.nextSteps);
    res = await send("coordinator", `/api/v1/reports/${q3}`, "PATCH", {
      narrative: {
        difficulties:
          "Một số thôn vùng cao sóng điện thoại yếu.\n- Người cao tuổi chưa có điện thoại thông minh.",
        nextSteps: "Mở thêm lớp học buổi tối tại nhà văn hóa thôn.",
      },
    });
    assert.equal(res.status, 200);
    res = await send("leader", `/api/v1/reports/${q3}/submit`, "POST");
    assert.equal(res.status, 403);

    const figuresBefore = await live("2026-09-30", "2026-Q3");
    await agents.coordinator!.get(`/reports/${q3}`);
    res = await agents.coordinator!.postForm(`/reports/${q3}/submit`, {});
    assert.equal(res.status, 303, agents.coordinator!.lastHtml.slice(0, 300));
    const [row] = await t.db.select().from(reports).where(eq(reports.id, q3));
    assert.equal(row!.status, "submitted");
    assert.equal(row!.submittedBy, users.coordinator!.id);
    const stored = await t.db
      .select({ format: reportFiles.format })
      .from(reportFiles)
      .where(eq(reportFiles.reportId, q3));
    assert.deepEqual(stored.map((f) => f.format).sort(), ["docx", "pdf", "xlsx"]);

    const files = {
      docx: await download("leader", q3, "docx"),
      xlsx: await download("leader", q3, "xlsx"),
      pdf: await download("leader", q3, "pdf"),
    };
    await checkFiles(files, figuresBefore);
    assert.ok(squash(zipEntry(files.docx, "word/document.xml")!.toString("utf8")).includes("Mởthêmlớphọc"));

    // The data change: everyone without a certification gets one dated before D.
    await t.db.execute(sql`
      insert into certifications (commune_id, resident_id, kind, date, source)
      select r.commune_id, r.id, 'basic', '2026-09-01', 'course' from residents r
      where r.status = 'active' and not exists (select 1 from certifications c where c.resident_id = r.id)`);
    const after = await live("2026-09-30", "2026-Q3");
    assert.notDeepEqual(after, figuresBefore, "the data did change");

    // The submitted report does not.
    const api = (await (await send("coordinator", `/api/v1/reports/${q3}`)).json()) as {
      figures: IndicatorTable;
    };
    assert.deepEqual(api.figures, figuresBefore);
    for (const f of ["docx", "xlsx", "pdf"] as const)
      assert.deepEqual(await download("coordinator", q3, f), files[f], `${f} identical after the change`);
    await agents.leader!.get(`/reports/${q3}`);
    assert.match(agents.leader!.lastHtml, /đã được chốt/);

    // Never edited, never submitted twice, not deleted — through the app and in the database itself.
    res = await send("coordinator", `/api/v1/reports/${q3}`, "PATCH", { narrative: { proposals: "x" } });
    assert.equal(res.status, 409);
    res = await send("coordinator", `/api/v1/reports/${q3}/submit`, "POST");
    assert.equal(res.status, 409);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /đã được gửi/);
    res = await send("coordinator", `/api/v1/reports/${q3}`, "DELETE");
    assert.equal(res.status, 409);
    await assert.rejects(t.db.execute(sql`update reports set narrative = '{}'::jsonb where id = ${q3}`));
    await assert.rejects(t.db.execute(sql`update report_files set sha256 = 'x' where report_id = ${q3}`));
    await assert.rejects(t.db.execute(sql`delete from reports where id = ${q3}`));
    // Undo the data change for the tests that follow.
    await t.db.execute(sql`delete from certifications where date = '2026-09-01' and source = 'course'`);
  });

  test("approval is the leader's; a new version supersedes; every step is audited", async () => {
    let res = await send("coordinator", `/api/v1/reports/${q3}/approve`, "POST");
    assert.equal(res.status, 403, "the coordinator does not approve their own report");
    await agents.leader!.get(`/reports/${q3}`);
    assert.match(agents.leader!.lastHtml, /Duyệt báo cáo/);
    res = await agents.leader!.postForm(`/reports/${q3}/approve`, {});
    assert.equal(res.status, 303);
    res = await send("leader", `/api/v1/reports/${q3}/approve`, "POST");
    assert.equal(res.status, 409);

    res = await send("coordinator", `/api/v1/reports/${q3}/versions`, "POST");
    assert.equal(res.status, 201);
    const v2 = (await res.json()) as {
      id: number;
      version: number;
      status: string;
      narrative: { nextSteps: string };
    };
    assert.equal(v2.version, 2);
    assert.equal(v2.status, "draft");
    assert.match(v2.narrative.nextSteps, /Mở thêm lớp học/);
    // One draft per period at a time.
    res = await send("coordinator", "/api/v1/reports", "POST", { period: "2026-Q3", date: "2026-09-30" });
    assert.equal(res.status, 409);
    res = await send("coordinator", `/api/v1/reports/${v2.id}/submit`, "POST");
    assert.equal(res.status, 200);
    const [old] = await t.db.select({ status: reports.status }).from(reports).where(eq(reports.id, q3));
    assert.equal(old!.status, "superseded");

    await agents.leader!.get("/reports");
    assert.match(agents.leader!.lastHtml, /Đã được thay thế/);
    assert.match(agents.leader!.lastHtml, /Cán bộ coordinator/);
    const actions = await t.db
      .select({ action: auditEvents.action, n: count() })
      .from(auditEvents)
      .where(sql`${auditEvents.action} like 'report.%'`)
      .groupBy(auditEvents.action);
    const by = Object.fromEntries(actions.map((a) => [a.action, a.n]));
    assert.ok(
      by["report.create"]! >= 2 && by["report.submit"] === 2 && by["report.approve"] === 1,
      JSON.stringify(by),
    );
    assert.ok(by["report.update"]! >= 1);
  });

  test("indicator 12 counts the plan's due reports submitted on or before their due date", async () => {
    const plan = currentPlan();
    const coordinator = viewerOf({
      ...users.coordinator!,
      communeName: t.commune.name,
      villageIds: [],
    } as unknown as Parameters<typeof viewerOf>[0]);
    const actor = cliActor(t.commune.id);
    // Each report: its period, its date, and when it was submitted.
    const submitted: [period: string, date: string, at: string][] = [
      ["2026-Q1", "2026-03-15", "2026-03-18T03:00:00Z"],
      // 20 June 23:30 in Hà Nội is still the due day, though it is 16:30 UTC.
      ["2026-Q2", "2026-06-30", "2026-06-20T16:30:00Z"],
    ];
    for (const [period, date, at] of submitted) {
      const narrative = { difficulties: "x", nextSteps: "y" };
      const report = await createReport({
        db: t.db,
        viewer: coordinator,
        actor,
        plan,
        input: { period, date, narrative },
      });
      await submitReport({ db: t.db, viewer: coordinator, actor, plan, id: report.id, now: new Date(at) });
    }

    const year = (await live("2026-11-20", "2026")).indicators.find((i) => i.code === "reports_on_time")!;
    // Due from 1 January to D: Q1, Q2, Q3. Q1 and Q2 on time; Q3 was first submitted late (today).
    assert.deepEqual([year.numerator, year.denominator], [2, 3]);
    assert.equal(year.met, false);
    // At a date before Q2's submission, only Q1 was due (Q2 was due on 20 June).
    const march = (await live("2026-03-31", "2026")).indicators.find((i) => i.code === "reports_on_time")!;
    assert.deepEqual([march.numerator, march.denominator], [1, 1]);
    // The schedule on the history page says the same.
    await agents.coordinator!.get("/reports");
    const html = agents.coordinator!.lastHtml;
    assert.equal((html.match(/Đúng hạn/g) ?? []).length >= 2, true);
    assert.match(html, /Trễ hạn/);
  });

  test("scope: another commune's report is 404; a village lead has no reports; the province reads all", async () => {
    const other = await buildCommune(t.db);
    const [foreign] = await t.db
      .insert(reports)
      .values({
        communeId: other.id,
        period: "2026-Q3",
        version: 1,
        date: "2026-09-30",
        signedOn: "2026-09-30",
        narrative: { overview: "", difficulties: "", nextSteps: "", proposals: "" },
      })
      .returning({ id: reports.id });
    assert.equal((await send("coordinator", `/api/v1/reports/${foreign!.id}`)).status, 404);
    assert.equal((await send("coordinator", `/api/v1/reports/${foreign!.id}/files/pdf`)).status, 404);
    assert.equal((await send("coordinator", `/api/v1/reports/${foreign!.id}`, "DELETE")).status, 404);
    assert.equal((await agents.village_lead!.get("/reports")).status, 403);
    const all = (await (await send("province", "/api/v1/reports")).json()) as { items: { id: number }[] };
    assert.ok(all.items.some((r) => r.id === foreign!.id));
    const mine = (await (await send("police", "/api/v1/reports")).json()) as { items: { id: number }[] };
    assert.ok(!mine.items.some((r) => r.id === foreign!.id));
    const [{ n }] = (await t.db
      .select({ n: count() })
      .from(reports)
      .where(and(eq(reports.communeId, other.id)))) as [{ n: number }];
    assert.equal(n, 1);
  });
});
