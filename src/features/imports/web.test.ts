import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { and, count, eq } from "drizzle-orm";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildUser, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { importUploadParts, importUploads, residents, villages } from "../../db/schema.ts";
import { nowMs } from "../../lib/clock.ts";
import { sha256 } from "../../lib/crypto.ts";
import { SESSION_COOKIE } from "../../web/middleware.ts";
import { cliActor } from "../audit/service.ts";
import { runImport } from "./engine.ts";
import { importJobs, type JobReport } from "./jobs.ts";

const SAMPLE = path.resolve("../shared/data/sample");
let t: TestApp;
let admin: Agent;
/** Added to the job registry's clock: moves time on to expire jobs. */
let clockOffset = 0;

const fileForm = (kind: string, name: string, content: Buffer | string) => {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new File([content], name));
  return form;
};

before(async () => {
  t = await createTestApp();
  importJobs(t.database, { now: () => nowMs() + clockOffset });
  for (const kind of ["villages", "units", "households"] as const) {
    await runImport({
      db: t.db,
      communeId: t.commune.id,
      kind,
      file: path.join(SAMPLE, `${kind}.csv`),
      actor: cliActor(t.commune.id),
    });
  }
  const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
  admin = new Agent(t.app);
  await admin.login(user.username, TEST_PASSWORD);
});
after(() => t.close());

const residentCount = async () => (await t.db.select({ n: count() }).from(residents))[0]!.n;

type Status = {
  state: string;
  phase: string;
  rows: number;
  total: number | null;
  percent: number | null;
  text: string;
};

/** Polls a job's status until it is over, then loads its page (what the browser's script does). */
async function finish(agent: Agent, jobPage: string): Promise<Response> {
  for (let i = 0; i < 600; i++) {
    const res = await agent.request(`${jobPage}/status`);
    assert.equal(res.status, 200);
    const status = (await res.json()) as Status;
    if (status.state !== "running") {
      assert.equal(status.percent, 100);
      return agent.get(jobPage);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${jobPage} did not finish`);
}

/** Uploads a file: 303 to its job page; returns the page's path. */
async function upload(agent: Agent, kind: string, name: string, content: Buffer | string): Promise<string> {
  await agent.get("/imports");
  const res = await agent.postMultipart("/imports", fileForm(kind, name, content));
  assert.equal(res.status, 303, agent.lastHtml);
  const location = res.headers.get("location")!;
  assert.match(location, /^\/imports\/jobs\/[0-9a-f]{32}$/);
  return location;
}

const dirty = () => fs.readFileSync(path.join(SAMPLE, "residents_dirty.csv"));

describe("importing through the web", () => {
  test("check shows the column mapping, the first rows and every error with its row and reason; nothing is written", async () => {
    const job = await upload(admin, "residents", "residents_dirty.csv", dirty());
    const res = await finish(admin, job);
    assert.equal(res.status, 200);
    const html = admin.lastHtml;
    assert.doesNotMatch(html, /<progress|http-equiv="refresh"/);
    assert.match(html, /Kiểm tra tệp “residents_dirty.csv”/);
    assert.match(html, /56 dòng dữ liệu: 42 dòng hợp lệ/);
    assert.match(html, /14 lỗi cần sửa/);
    assert.match(html, /<td[^>]*>39<\/td><td[^>]*>Số CCCD<\/td><td[^>]*>Số CCCD “03807540200” có 11 chữ số/);
    assert.equal(await residentCount(), 0);
  });

  test("the page lists every kind in import order; the mapping table names the fields in Vietnamese (issue 17 point 2)", async () => {
    await admin.get("/imports");
    const order = admin.lastHtml.slice(admin.lastHtml.indexOf('id="import-order"'));
    const items = [...order.slice(0, order.indexOf("</ol>")).matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]);
    assert.equal(items.length, 10);
    assert.deepEqual(items.slice(0, 4), ["Thôn", "Đơn vị", "Hộ gia đình", "Cư dân"]);
    assert.equal(items.at(-1), "Sự cố an toàn thông tin");
    await finish(admin, await upload(admin, "residents", "residents_dirty.csv", dirty()));
    const table = admin.lastHtml.slice(admin.lastHtml.indexOf("Cột của hệ thống"));
    assert.match(table, />Họ và tên \*<\/td>/);
    assert.match(table, />Ngày sinh \*<\/td>/);
    assert.doesNotMatch(table.slice(0, table.indexOf("</table>")), /full_name|birth_date|<code>/);
  });

  test("a residents file checked as villages: the message names “Mã thôn” and the kind it fits, and the form comes back set to it", async () => {
    const job = await upload(
      admin,
      "villages",
      "cu-dan.csv",
      "Họ và tên;Ngày sinh;Giới tính;Thôn;Mã hộ\nLê Văn Lạc;01/01/1980;Nam;T01;T01-0001\n",
    );
    await finish(admin, job);
    const html = admin.lastHtml;
    assert.match(html, /Tệp thiếu cột bắt buộc của loại “Thôn”: “Mã thôn”/);
    assert.match(html, /khớp với loại “Cư dân”/);
    assert.match(html, /<option value="residents" selected="">/);
    assert.equal(await residentCount(), 0);
  });

  test("commit without ticking “skip” writes nothing and says what to do; with it, the valid rows land and the rejects download", async () => {
    const check = await upload(admin, "residents", "residents_dirty.csv", dirty());
    await finish(admin, check);
    const action = admin.lastHtml.match(/action="(\/imports\/[0-9a-f]{32}\/commit)"/)![1]!;
    const uploadId = action.split("/")[2]!;
    const source = async () =>
      (
        await t.db
          .select({ n: count() })
          .from(importUploadParts)
          .where(and(eq(importUploadParts.uploadId, uploadId), eq(importUploadParts.part, "source")))
      )[0]!.n;
    assert.equal(await source(), 1, "the file waits for its commit, in the database");
    const refused = await admin.postForm(action, {});
    assert.equal(refused.status, 422);
    assert.match(admin.lastHtml, /hãy sửa tệp rồi tải lên lại/);
    assert.equal(await residentCount(), 0);
    const started = await admin.postForm(action, { skip_invalid: "1" });
    assert.equal(started.status, 303);
    const commit = started.headers.get("location")!;
    assert.match(commit, /^\/imports\/jobs\/[0-9a-f]{32}$/);
    assert.notEqual(commit, check);
    const done = await finish(admin, commit);
    assert.equal(done.status, 200);
    assert.match(admin.lastHtml, /42 thêm mới/);
    const link = admin.lastHtml.match(/href="(\/imports\/[0-9a-f]{32}\/rejects)"/)![1]!;
    assert.equal(await source(), 0, "the file goes once written");
    // The commit's status knew the total from the check.
    const status = (await (await admin.request(`${commit}/status`)).json()) as Status;
    assert.deepEqual([status.phase, status.rows, status.total], ["commit", 56, 56]);
    // Committed: the same form again finds no file.
    await admin.get("/imports");
    assert.equal((await admin.postForm(action, { skip_invalid: "1" }, { csrf: admin.csrf() })).status, 422);
    assert.match(admin.lastHtml, /không còn/);
    assert.equal(await residentCount(), 42);
    const rejects = await admin.request(link);
    assert.equal(rejects.status, 200);
    const text = await rejects.text();
    assert.equal(text.trim().split(/\r?\n/).length, 15);
    assert.match(text, /,Lý do\r\n/);
    // Another user cannot fetch them.
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const other = new Agent(t.app);
    await other.login(user.username, TEST_PASSWORD);
    assert.equal((await other.request(link)).status, 404);
    // Nor see the jobs: their pages and statuses are not found.
    for (const job of [check, commit]) {
      const page = await other.get(job);
      assert.equal(page.status, 404);
      assert.match(other.lastHtml, /Không còn thông tin về lượt nhập này/);
      assert.doesNotMatch(other.lastHtml, /residents_dirty/);
      assert.equal((await other.request(`${job}/status`)).status, 404);
    }
  });

  test("bad files: unknown type, empty, no header, truncated xlsx, no file — a clear message, nothing written", async () => {
    const before = (await t.db.select({ n: count() }).from(villages))[0]!.n;
    const cases: [string, Buffer | string, RegExp][] = [
      ["thon.txt", "Mã thôn,Tên thôn\nX,Y\n", /không phải \.csv hay \.xlsx/],
      ["la.csv", "Foo,Bar\n1,2\n", /Không nhận ra dòng tiêu đề/],
      [
        "hong.xlsx",
        fs.readFileSync(path.join(SAMPLE, "residents.xlsx")).subarray(0, 4000),
        /hỏng|không đọc được|không phải/,
      ],
    ];
    const kept = async () => (await t.db.select({ n: count() }).from(importUploads))[0]!.n;
    const before_ = await kept();
    for (const [name, content, message] of cases) {
      const job = await finish(admin, await upload(admin, "villages", name, content));
      assert.equal(job.status, 200, name);
      assert.match(admin.lastHtml, message, name);
      assert.match(admin.lastHtml, /class="error-summary"/);
      assert.match(admin.lastHtml, /<option value="villages" selected/);
    }
    assert.equal(await kept(), before_, "an unreadable file is not kept");
    for (const form of [new FormData(), fileForm("villages", "trong.csv", "")]) {
      form.append("kind", "villages");
      await admin.get("/imports");
      assert.equal((await admin.postMultipart("/imports", form)).status, 422);
      assert.match(admin.lastHtml, /class="error-summary"/);
    }
    assert.equal((await t.db.select({ n: count() }).from(villages))[0]!.n, before);
  });

  test("a file over the upload limit is refused with 413", async () => {
    const small = await createTestApp({ maxUploadBytes: 1024 });
    try {
      const { user } = await buildUser(small.db, { role: "admin", commune: small.commune });
      const a = new Agent(small.app);
      await a.login(user.username, TEST_PASSWORD);
      await a.get("/imports");
      const res = await a.postMultipart(
        "/imports",
        fileForm("villages", "lon.csv", `Mã thôn,Tên thôn\n${"T1,Thôn\n".repeat(500)}`),
      );
      assert.equal(res.status, 413);
      assert.match(a.lastHtml, /quá lớn/);
    } finally {
      await small.close();
    }
  });

  test("a volunteer cannot import; a school officer neither (not commune-wide)", async () => {
    for (const role of ["volunteer", "school"] as const) {
      const { user } = await buildUser(t.db, { role, commune: t.commune });
      const a = new Agent(t.app);
      await a.login(user.username, TEST_PASSWORD);
      const page = await a.get("/imports");
      if (role === "volunteer") {
        assert.equal(page.status, 403);
        continue;
      }
      const res = await a.postMultipart("/imports", fileForm("residents", "x.csv", "Họ và tên\nA\n"));
      assert.equal(res.status, 403);
    }
  });
});

describe("import jobs", () => {
  /** A job of `agent`'s user that runs until `release()`; its work reports through `report`. */
  async function heldJob(agent: Agent, userId: number) {
    let release!: () => void;
    let report!: JobReport;
    const jobs = importJobs(t.database);
    const session = agent.cookies.get(SESSION_COOKIE);
    const job = (await jobs.start(
      {
        userId,
        communeId: t.commune.id,
        kind: "villages",
        phase: "check",
        uploadId: "0".repeat(32),
        fileName: "lon.csv",
        snapshot: {
          viewer: {
            userId,
            username: "x",
            displayName: "Người Nhập",
            role: "coordinator",
            communeId: t.commune.id,
            communeName: t.commune.name,
            villageIds: [],
            unitId: null,
            totpEnabled: false,
            scope: { kind: "commune", communeId: t.commune.id },
          },
          commune: { name: t.commune.name, province: "Thanh Hóa" },
          sessionHash: session ? sha256(session) : undefined,
          csrfToken: "x".repeat(32),
        },
      },
      async (_job, r) => {
        report = r;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return {};
      },
    ))!;
    assert.ok(job);
    return {
      job,
      report: () => report,
      release: () => release(),
      started: () => new Promise<void>((r) => setImmediate(r)),
    };
  }

  async function newAgent(): Promise<{ agent: Agent; userId: number }> {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const agent = new Agent(t.app);
    await agent.login(user.username, TEST_PASSWORD);
    return { agent, userId: user.id };
  }

  test("while a job runs its page shows a <progress> with its text, refreshes itself without JavaScript and loads the script; then its result", async () => {
    const { agent, userId } = await newAgent();
    const held = await heldJob(agent, userId);
    await held.started();
    held.report().bytes(350, 1000);
    held.report().rows(12_000);
    const page = await agent.get(`/imports/jobs/${held.job.id}`);
    assert.equal(page.status, 200);
    const html = agent.lastHtml;
    assert.match(html, /<progress[^>]* max="100" value="35"/);
    assert.match(html, /Đã đọc 12\.000 dòng \(35%\)/);
    assert.match(html, /<noscript><meta http-equiv="refresh" content="2"\/?><\/noscript>/);
    assert.match(html, /<script src="\/static\/imports.js" defer/);
    assert.match(html, /Đang kiểm tra tệp “lon.csv”/);
    const status = (await (await agent.request(`/imports/jobs/${held.job.id}/status`)).json()) as Status;
    assert.deepEqual(status, {
      state: "running",
      phase: "check",
      rows: 12_000,
      total: null,
      percent: 35,
      text: "Đã đọc 12.000 dòng (35%)",
    });
    const en = (await (await agent.request(`/imports/jobs/${held.job.id}/status?lang=en`)).json()) as Status;
    assert.equal(en.text, "12,000 rows read (35%)");
    // The import page points to it.
    await agent.get("/imports");
    assert.match(agent.lastHtml, new RegExp(`href="/imports/jobs/${held.job.id}"`));

    held.release();
    await new Promise((r) => setTimeout(r, 10));
    await agent.get(`/imports/jobs/${held.job.id}`);
    assert.doesNotMatch(agent.lastHtml, /<progress|http-equiv="refresh"|imports\.js/);
  });

  test("the same page answers for a session that did not start the job (no database short cut), and a commit shows rows of its total", async () => {
    const { agent, userId } = await newAgent();
    const held = await heldJob(new Agent(t.app), userId); // recorded without a session
    (held.job as { totalRows?: number }).totalRows = 200_000;
    (held.job as { phase: string }).phase = "commit";
    await held.started();
    held.report().rows(50_000);
    await agent.get(`/imports/jobs/${held.job.id}`);
    assert.match(agent.lastHtml, /Đã ghi 50\.000\/200\.000 dòng \(25%\)/);
    assert.match(agent.lastHtml, /<progress[^>]* value="25"/);
    held.release();
  });

  test("one running job per user: a second upload is refused with a clear message and nothing is kept", async () => {
    const { agent, userId } = await newAgent();
    const held = await heldJob(agent, userId);
    const uploads = async () => (await t.db.select({ n: count() }).from(importUploads))[0]!.n;
    const before_ = await uploads();
    await agent.get("/imports");
    const res = await agent.postMultipart(
      "/imports",
      fileForm("villages", "villages.csv", "Mã thôn,Tên thôn\nT9,Chín\n"),
    );
    assert.equal(res.status, 409);
    assert.match(agent.lastHtml, /Bạn đang có một lượt nhập chưa xong \(tệp “lon.csv”\)/);
    assert.match(agent.lastHtml, new RegExp(`href="/imports/jobs/${held.job.id}"`));
    assert.equal(await uploads(), before_);
    // Another user is not held up.
    const job = await upload(
      admin,
      "villages",
      "villages.csv",
      fs.readFileSync(path.join(SAMPLE, "villages.csv")),
    );
    await finish(admin, job);
    held.release();
  });

  test("an unknown or expired job: 404 with a clear message to upload again", async () => {
    await admin.get(`/imports/jobs/${"a".repeat(32)}`);
    assert.match(admin.lastHtml, /Không còn thông tin về lượt nhập này/);
    assert.match(admin.lastHtml, /đã xong quá 1 giờ/);
    assert.match(admin.lastHtml, /href="\/imports"/);
    const job = await upload(
      admin,
      "villages",
      "villages.csv",
      fs.readFileSync(path.join(SAMPLE, "villages.csv")),
    );
    assert.equal((await finish(admin, job)).status, 200);
    clockOffset += 61 * 60_000;
    try {
      const res = await admin.get(job);
      assert.equal(res.status, 404);
      assert.match(admin.lastHtml, /Không còn thông tin về lượt nhập này/);
      assert.equal((await admin.request(`${job}/status`)).status, 404);
    } finally {
      clockOffset = 0;
    }
  });
});

test("the job page's script is served as JavaScript from this origin", async () => {
  const res = await t.app.request("/static/imports.js");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /javascript/);
  assert.match(await res.text(), /data-job-status/);
});
