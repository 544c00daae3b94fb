/**
 * The province report (issue 18.3) and the province's API: the figures are the engine's for every
 * commune, a submitted report is frozen (an import after it changes the live ranking, not the
 * report; the database refuses to edit the row), commune roles get 404, and the files read as a
 * user would read them (LibreOffice's rendering of the DOCX, the PDF's text, the map's image).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { buildAdults } from "../../../test/helpers/adults.ts";
import { Agent, apiToken, bearer, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildCommune, buildUser, type Commune, TEST_PASSWORD } from "../../../test/helpers/factories.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { cliActor } from "../audit/service.ts";
import { runImport } from "../imports/engine.ts";
import { parsePeriod } from "../indicators/period.ts";
import { currentPlan } from "../indicators/plan.ts";
import { computeProvinceIndicators } from "../indicators/service.ts";
import type { ProvinceReportFigures } from "./report-service.ts";

let t: TestApp;
let a: Commune;
let b: Commune;
let householdB: string;
let token: string;
let commune: Agent;
let communeToken: string;
let province: Agent;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-preport-"));

/** `n` adults in a village of the commune, the first `skilled` with basic digital skills; their household's code. */
async function adults(commune: Commune, villageCode: string, n: number, skilled: number): Promise<string> {
  const certified = Array<string>(skilled).fill("2026-03-01");
  return (await buildAdults(t.db, { commune, villageCode, n, certified })).code;
}

const api = (path: string, init: { method?: string; body?: unknown; as?: string } = {}) =>
  t.app.request(path, {
    method: init.method ?? "GET",
    headers: bearer(init.as ?? token, { "content-type": "application/json" }),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

async function fileOf(id: number, format: string): Promise<Buffer> {
  const res = await api(`/api/v1/province/reports/${id}/files/${format}`);
  assert.equal(res.status, 200, `${format}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

const squash = (s: string) => s.replace(/\s+/g, " ");

/** The text of a report's PDF, through pdftotext. */
async function pdfText(id: number): Promise<string> {
  const pdf = path.join(dir, `report-${id}.pdf`);
  fs.writeFileSync(pdf, await fileOf(id, "pdf"));
  return squash(execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }));
}

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  // National codes of Thanh Hóa (maps/): Tân Ninh 15715 is on the map.
  a = await buildCommune(t.db, { code: "15715", name: "Xã Đông Tiến" });
  b = await buildCommune(t.db, { code: "XB", name: "Xã Bình An" });
  await adults(a, "A01", 4, 4);
  householdB = await adults(b, "B01", 4, 1);
  const p = await buildUser(t.db, { role: "province", commune: t.commune, username: "tinh" });
  token = await apiToken(t.app, p.user.username, p.password);
  province = new Agent(t.app);
  await province.login(p.user.username, p.password);
  const admin = await buildUser(t.db, { role: "admin", commune: a, username: "qt-a" });
  commune = new Agent(t.app);
  await commune.login(admin.user.username, admin.password);
  communeToken = await apiToken(t.app, admin.user.username, admin.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the province report", () => {
  let id: number;
  let frozen: ProvinceReportFigures;

  test("a draft's figures are computeProvinceIndicators' for every commune, with the province's sums", async () => {
    const res = await api("/api/v1/province/reports", {
      method: "POST",
      body: { period: "2026-Q2", date: "2026-06-15", number: "12", signer_name: "Lê Văn Tỉnh" },
    });
    assert.equal(res.status, 201, await res.clone().text());
    id = ((await res.json()) as { id: number }).id;
    const got = (await (await api(`/api/v1/province/reports/${id}`)).json()) as {
      status: string;
      figures: ProvinceReportFigures;
    };
    assert.equal(got.status, "draft");
    const ids = [t.commune.id, a.id, b.id];
    const engine = await computeProvinceIndicators({
      db: t.db,
      communeIds: ids,
      plan: currentPlan(),
      date: "2026-06-15",
      period: parsePeriod("2026-Q2")!,
    });
    const codeOf = new Map([
      [t.commune.id, t.commune.code],
      [a.id, a.code],
      [b.id, b.code],
    ]);
    for (const ind of got.figures.indicators) {
      for (const id of ids) {
        const e = engine.get(id)!.indicators.find((i) => i.code === ind.code)!;
        const mine = ind.communes.find((c) => c.code === codeOf.get(id))!;
        if (id === t.commune.id) {
          assert.equal(mine.value, null, "a commune without data has no value");
          continue;
        }
        assert.deepEqual(
          [mine.numerator, mine.denominator, mine.value, mine.met],
          [e.numerator ?? null, e.denominator ?? null, e.value, e.met],
          `${ind.code} of ${codeOf.get(id)}`,
        );
      }
    }
    const adult = got.figures.indicators.find((i) => i.code === "adult_skills")!;
    assert.deepEqual([adult.numerator, adult.denominator, adult.value], [5, 8, 5 / 8]);
    assert.deepEqual(
      adult.communes.map((c) => [c.code, c.rank]),
      [
        ["15715", 1],
        ["XB", 2],
        [t.commune.code, null],
      ],
    );
  });

  test("submitted: an import afterwards changes the live ranking, not the report; the row cannot be edited", async () => {
    const res = await api(`/api/v1/province/reports/${id}/submit`, { method: "POST" });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { status: string }).status, "submitted");
    frozen = (
      (await (await api(`/api/v1/province/reports/${id}`)).json()) as { figures: ProvinceReportFigures }
    ).figures;
    const textBefore = await pdfText(id);

    const file = path.join(dir, "residents.csv");
    fs.writeFileSync(
      file,
      `Họ và tên,Ngày sinh,Giới tính,Thôn,Mã hộ,Tình trạng\nNguyễn Văn Dũng,04/04/1970,Nam,B01,${householdB},Đang cư trú\n`,
    );
    const r = await runImport({
      db: t.db,
      communeId: b.id,
      kind: "residents",
      file,
      actor: cliActor(b.id),
      today: "2026-06-15",
    });
    assert.equal(r.ok, true, JSON.stringify(r.errors));

    const live = (await (
      await api("/api/v1/province/ranking?indicator=adult_skills&date=2026-06-15&period=2026-Q2")
    ).json()) as {
      communes: { code: string; denominator: number | null }[];
      province: { denominator: number };
    };
    assert.equal(
      live.communes.find((c) => c.code === "XB")!.denominator,
      5,
      "the live ranking counts the import",
    );
    assert.equal(live.province.denominator, 9);

    const after = (await (await api(`/api/v1/province/reports/${id}`)).json()) as {
      figures: ProvinceReportFigures;
    };
    assert.deepEqual(after.figures, frozen, "the submitted report's figures are those of its submission");
    const adult = after.figures.indicators.find((i) => i.code === "adult_skills")!;
    assert.equal(adult.denominator, 8);
    assert.equal(await pdfText(id), textBefore, "the same document as before the import");

    await assert.rejects(
      t.db.execute(sql`update province_reports set number = '99' where id = ${id}`),
      (err: Error) =>
        /submitted: it cannot be edited/.test(`${err.message} ${(err.cause as Error)?.message}`),
    );
    await assert.rejects(t.db.execute(sql`delete from province_reports where id = ${id}`), (err: Error) =>
      /cannot be deleted/.test(`${err.message} ${(err.cause as Error)?.message}`),
    );
    const again = await api(`/api/v1/province/reports/${id}/submit`, { method: "POST" });
    assert.equal(again.status, 409);
  });

  test("the PDF's text has the title, the figures and the communes off target", async () => {
    const text = await pdfText(id);
    assert.match(text, /BAN CHỈ ĐẠO PHONG TRÀO/);
    assert.match(text, /Số: 12\/BC-BCĐ/);
    assert.match(
      text,
      /Kết quả thực hiện phong trào “Bình dân học vụ số” quý II năm 2026 trên địa bàn tỉnh Thanh Hóa/,
    );
    assert.match(text, /đạt 62,5% \(5\/8\)/, "the province's own figure on indicator 3");
    assert.match(text, /dẫn đầu Xã Đông Tiến \(100,0%\)/);
    assert.match(
      text,
      /Chỉ tiêu 3 \([^)]*\([^)]*\)[^)]*\): 2 xã, phường chưa đạt: Xã Bình An,( \d+)? Xã Tân Ninh\./,
    );
    assert.match(text, /Lê Văn Tỉnh/);
    assert.match(
      text,
      /Biểu đồ 1\. Chỉ tiêu 3 \(Người lớn có kỹ năng số\) theo xã, phường/,
      "the map's page is drawn",
    );
    assert.doesNotMatch(text, /DỰ THẢO/, "a submitted report is not marked as a draft");
  });

  test("the XLSX's communes sheet gives each commune its figures and its rank on every indicator", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fileOf(id, "xlsx")) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("Theo xã");
    assert.ok(ws, `the sheets: ${wb.worksheets.map((w) => w.name).join(", ")}`);
    const head = ws.getRow(1).values as unknown[];
    const sub = ws.getRow(2).values as unknown[];
    assert.deepEqual(head.slice(1, 4), ["STT", "Mã xã", "Xã, phường"]);
    const at = head.findIndex((v) => typeof v === "string" && v.endsWith("Người lớn có kỹ năng số"));
    assert.ok(at > 0, `indicator 3's columns: ${head.join(" | ")}`);
    assert.deepEqual(sub.slice(at, at + 4), ["Kết quả", "Tử số", "Mẫu số", "Hạng"]);
    const byCode = new Map<string, unknown[]>();
    ws.eachRow((row, n) => {
      if (n > 2) byCode.set(String(row.getCell(2).value ?? ""), row.values as unknown[]);
    });
    assert.deepEqual(byCode.get("15715")!.slice(at, at + 4), [1, 4, 4, 1], "Đông Tiến: 4 of 4, first");
    assert.deepEqual(byCode.get("XB")!.slice(at, at + 4), [0.25, 1, 4, 2], "Bình An: 1 of 4, second");
    assert.equal(byCode.get(t.commune.code)![at + 3], undefined, "no rank without data");
  });

  test("the DOCX opened in LibreOffice shows the title, the figures and the map", async () => {
    const docx = path.join(dir, "report.docx");
    fs.writeFileSync(docx, await fileOf(id, "docx"));
    const profile = path.join(dir, "lo-profile");
    execFileSync(
      "soffice",
      [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", dir, docx],
      { stdio: "ignore", timeout: 300_000 },
    );
    const pdf = path.join(dir, "report.pdf");
    const text = squash(execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }));
    assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    assert.match(text, /BÁO CÁO Kết quả thực hiện phong trào “Bình dân học vụ số” quý II năm 2026/);
    assert.match(text, /đạt 62,5% \(5\/8\)/);
    assert.match(text, /Toàn tỉnh/, "the communes' table ends with the province's row");
    assert.match(text, /Người lớn có kỹ năng số\) theo xã, phường/, "the map's caption");
    const images = execFileSync("pdfimages", ["-list", pdf], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.trim().split(/\s+/)[2] === "image");
    assert.equal(images.length, 1, "the map, as one image");
    const [, , , width] = images[0]!.trim().split(/\s+/);
    assert.ok(Number(width) >= 640, `the map is drawn at ${width} px`);
  });
});

describe("the province's pages", () => {
  test("a draft made and submitted on the web, without JavaScript; a bad period changes nothing", async () => {
    await province.get("/province/reports");
    const count = async () =>
      Number(
        (
          (await t.db.execute(sql`select count(*)::int as n from province_reports`)) as unknown as {
            rows: { n: number }[];
          }
        ).rows[0]!.n,
      );
    const before = await count();
    const bad = await province.postForm("/province/reports", { period: "2026-Q9" });
    assert.equal(bad.status, 422);
    assert.match(province.lastHtml, /error-summary/);
    assert.match(province.lastHtml, /2026-Q9/);
    assert.equal(await count(), before, "nothing written");
    const res = await province.postForm("/province/reports", { period: "2026-06", date: "2026-06-15" });
    assert.equal(res.status, 303);
    const at = res.headers.get("location")!;
    assert.match(at, /^\/province\/reports\/\d+$/);
    const page = await province.get(at);
    assert.equal(page.status, 200);
    assert.match(province.lastHtml, /tháng 6 năm 2026 trên địa bàn tỉnh Thanh Hóa/);
    assert.match(province.lastHtml, /<svg/, "the map in the preview");
    const sent = await province.postForm(`${at}/submit`, {});
    assert.equal(sent.status, 303);
    await province.get(at);
    assert.match(province.lastHtml, /Đã gửi/);
    const docx = await province.request(`${at}/files/docx`);
    assert.equal(docx.status, 200);
    assert.match(docx.headers.get("content-type")!, /wordprocessingml/);
  });

  test("GET /api/v1/province/ranking has the /province page's figures, filters and sort", async () => {
    const q = "indicator=adult_skills&date=2026-06-15&period=2026";
    const all = (await (await api(`/api/v1/province/ranking?${q}`)).json()) as {
      communes: { code: string; rank: number | null; met: boolean; value: number | null }[];
    };
    assert.deepEqual(
      all.communes.map((c) => c.code),
      ["15715", "XB", t.commune.code],
    );
    await province.get(`/province?${q}`);
    for (const c of all.communes) assert.match(province.lastHtml, new RegExp(`data-commune="${c.code}"`));
    const off = (await (await api(`/api/v1/province/ranking?${q}&off=1&sort=name`)).json()) as {
      communes: { code: string; met: boolean }[];
    };
    assert.ok(off.communes.every((c) => !c.met));
    assert.deepEqual(
      off.communes.map((c) => c.code),
      ["XB", t.commune.code],
    );
    const bad = await api("/api/v1/province/ranking?date=2026-13-45");
    assert.equal(bad.status, 422);
  });

  test("GET /api/v1/province/communes/{code}: a commune's dashboard figures, read-only", async () => {
    const res = await api("/api/v1/province/communes/XB?date=2026-06-15&period=2026");
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      commune: { code: string };
      indicators: { code: string; numerator?: number; denominator?: number }[];
    };
    assert.equal(body.commune.code, "XB");
    const adult = body.indicators.find((i) => i.code === "adult_skills")!;
    assert.equal(adult.denominator, 5);
    assert.equal((await api("/api/v1/province/communes/NO_SUCH")).status, 404);
  });

  test("commune roles get 404 on every province route; the province admin 403", async () => {
    const paths = [
      "/api/v1/province/ranking",
      "/api/v1/province/communes/XB",
      "/api/v1/province/reports",
      "/api/v1/province/reports/1",
      "/api/v1/province/reports/1/files/pdf",
    ];
    for (const p of paths) assert.equal((await api(p, { as: communeToken })).status, 404, p);
    const post = await api("/api/v1/province/reports", {
      as: communeToken,
      method: "POST",
      body: { period: "2026" },
    });
    assert.equal(post.status, 404);
    for (const p of ["/province/reports", "/province/reports/1", "/province/reports/1/files/docx"]) {
      assert.equal((await commune.request(p)).status, 404, p);
    }
    await commune.get("/account");
    assert.equal((await commune.postForm("/province/reports", { period: "2026" })).status, 404);
    assert.equal((await commune.postForm("/province/reports/1/submit", {})).status, 404);

    const pa = await buildUser(t.db, { role: "province_admin", commune: t.commune, username: "qt-tinh" });
    const paToken = await apiToken(t.app, pa.user.username, TEST_PASSWORD);
    for (const p of paths) assert.equal((await api(p, { as: paToken })).status, 403, p);
  });
});
