import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import zlib from "node:zlib";
import { createTestApp, signedInAgent, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildActivity,
  buildCertification,
  buildClass,
  buildCommune,
  buildHousehold,
  buildResident,
  buildSession,
  buildTeam,
  buildTeamMember,
  buildUser,
  buildVillage,
  type Village,
} from "../../../test/helpers/factories.ts";
import { buildTwoVillages } from "../../../test/helpers/two-villages.ts";
import { nowMs, todayInVietnam } from "../../lib/clock.ts";
import { addDays } from "../indicators/period.ts";
import { currentContent } from "./content.ts";
import { communeProgress } from "./service.ts";

let t: TestApp;
let v1: Village;
let v2: Village;
const today = todayInVietnam();
const day = (n: number) => addDays(today, n);

/** Names and phones that must never reach a public page, and those that must. */
const PRIVATE = [
  "Phạm Thị Riêng Tư",
  "Lê Văn Bí Mật",
  "Giảng Viên Tên Riêng",
  "Ngô Thành Viên Ẩn",
  "Đỗ Tổ Trưởng Kín",
  "0987000002",
  "0987 000 002",
  "0912000002",
  "0912 000 002",
  "0977000001",
  "0977 000 001",
  "0355000001",
];

before(async () => {
  t = await createTestApp();
  [v1, v2] = await buildTwoVillages(t, ["Thôn Một", "Thôn Hai"]);
  const h1 = await buildHousehold(t.db, { village: v1 });
  const h2 = await buildHousehold(t.db, { village: v2 });
  const skilled = await buildResident(t.db, {
    household: h1,
    fullName: "Phạm Thị Riêng Tư",
    phone: "0355000001",
  });
  await buildResident(t.db, { household: h2, fullName: "Lê Văn Bí Mật" });
  await buildCertification(t.db, { resident: skilled, date: "2026-01-10" });

  // T01's team published its contacts; T02's did not.
  const team1 = await buildTeam(t.db, { village: v1, phone: "0912000001", publishContacts: true });
  const team2 = await buildTeam(t.db, { village: v2, phone: "0912000002", publishContacts: false });
  const members = [
    { team: team1, fullName: "Trần Tổ Trưởng Công Khai", role: "leader", phone: "0987000001" },
    { team: team1, fullName: "Ngô Thành Viên Ẩn", role: "member", phone: "0977000001" },
    { team: team2, fullName: "Đỗ Tổ Trưởng Kín", role: "leader", phone: "0987000002" },
  ] as const;
  for (const member of members) await buildTeamMember(t.db, member);

  const c1 = await buildActivity(t.db, {
    village: v1,
    title: "Lớp điện thoại cho người cao tuổi",
    place: "Nhà văn hóa Thôn Một",
    trainer: "Giảng Viên Tên Riêng",
    audience: "resident",
    date: day(-3),
  });
  await buildSession(t.db, { activity: c1, date: day(-3) });
  await buildSession(t.db, { activity: c1, date: day(3) });
  await buildClass(t.db, { village: v1, title: "Lớp đã học xong", date: day(-10) });
  await buildActivity(t.db, { commune: t.commune, title: "Ngày hội VNeID cho cả xã", date: day(10) });
  await buildActivity(t.db, { village: v2, title: "Lớp thanh toán số Thôn Hai", date: day(5) });
  await buildActivity(t.db, {
    village: v2,
    type: "propaganda",
    title: "Tuyên truyền không phải lớp",
    date: day(4),
  });
});
after(() => t.close());

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers });
  return { res, html: await res.text() };
}

describe("the public home", () => {
  test("a visitor at / sees the commune's figures, its next classes and the staff sign-in link", async () => {
    const { res, html } = await page("/");
    assert.equal(res.status, 200);
    assert.match(html, /<a href="\/login">Đăng nhập cho cán bộ<\/a>/);
    assert.match(html, /Bình dân học vụ số — Xã Tân Ninh/);
    // Indicator 3: 1 of the 2 adults has basic skills; indicator 10: 1 of 2 households.
    assert.match(
      html,
      /Người từ 18 tuổi có kỹ năng số cơ bản<\/strong><br\/><span class="figure">50\u00a0%<\/span> \(1 trên 2 người\)/,
    );
    assert.match(html, /\(1 trên 2 hộ\)/);
    assert.match(html, /Lớp điện thoại cho người cao tuổi/);
    assert.match(html, /Ngày hội VNeID cho cả xã/);
    assert.doesNotMatch(html, /Lớp đã học xong|Tuyên truyền không phải lớp/);
    assert.match(html, /https:\/\/binhdanhocvuso\.gov\.vn\//);
  });

  test("no resident, trainer, plain member or unpublished team shows on any public page; published leaders do", async () => {
    const quiz = currentContent().quizzes.get("resident")!;
    const paths = [
      "/",
      "/?thon=T01",
      "/?thon=T02",
      "/trang-chu",
      "/lop-hoc",
      "/lop-hoc?thon=T01",
      "/lop-hoc?thon=T02",
      "/ho-tro",
      "/ho-tro?thon=T02",
      `/tu-danh-gia/nguoi-dan/ket-qua?d=${"1".repeat(quiz.questions.length)}&thon=T02`,
    ];
    for (const path of paths) {
      const { res, html } = await page(path);
      assert.equal(res.status, 200, path);
      for (const secret of PRIVATE) assert.ok(!html.includes(secret), `${path} shows ${secret}`);
    }
    const help = (await page("/ho-tro")).html;
    assert.match(
      help,
      /Tổ trưởng: Trần Tổ Trưởng Công Khai — <a class="tel" href="tel:0987000001">0987 000 001<\/a>/,
    );
    assert.match(help, /href="tel:0912000001"/);
    assert.match(help, /Tổ chưa công bố số điện thoại/);
    assert.match((await page("/?thon=T01")).html, /Trần Tổ Trưởng Công Khai/);
    const one = (await page("/ho-tro?thon=T02")).html;
    assert.match(one, /Tổ công nghệ số Thôn Hai/);
    assert.doesNotMatch(one, /Thôn Một<\/h2>|Trần Tổ Trưởng Công Khai/);
  });

  test("choosing a village: its classes and the commune-wide ones, from today on, by date", async () => {
    const { html } = await page("/lop-hoc?thon=T02");
    assert.match(html, /Lịch lớp học kỹ năng số — Thôn Hai/);
    assert.match(html, /Lớp thanh toán số Thôn Hai/);
    assert.match(html, /Ngày hội VNeID cho cả xã/);
    assert.doesNotMatch(html, /Lớp điện thoại cho người cao tuổi/);
    const all = (await page("/lop-hoc")).html;
    const order = [
      "Lớp điện thoại cho người cao tuổi",
      "Lớp thanh toán số Thôn Hai",
      "Ngày hội VNeID cho cả xã",
    ].map((s) => all.indexOf(s));
    assert.ok(
      order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!)),
      String(order),
    );
    assert.equal((await page("/lop-hoc?thon=NOPE")).res.status, 200); // an unknown village: all of them
  });

  test("signed in, / stays the staff home; /trang-chu is the public home, with a way back", async () => {
    const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    const a = await signedInAgent(t.app, user.username);
    await a.get("/");
    assert.doesNotMatch(a.lastHtml, /Đăng nhập cho cán bộ/);
    assert.match(a.lastHtml, /href="\/trang-chu"[^>]*>Trang cho người dân/);
    const res = await a.get("/trang-chu");
    assert.equal(res.status, 200);
    assert.match(a.lastHtml, /Xã ta đã làm được đến đâu/);
    assert.match(a.lastHtml, /<a href="\/">Về trang làm việc của cán bộ<\/a>/);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.headers.get("etag"), null);
  });
});

describe("weight and caching", () => {
  test("anonymous pages are public for a while, with an ETag, and set no cookie", async () => {
    const { res } = await page("/");
    assert.equal(res.headers.get("cache-control"), "public, max-age=60");
    assert.equal(res.headers.get("vary"), "Cookie, Accept-Encoding");
    assert.deepEqual(res.headers.getSetCookie(), []);
    const etag = res.headers.get("etag")!;
    assert.match(etag, /^"[\w-]+"$/);
    const again = await t.app.request("/", { headers: { "if-none-match": `W/${etag}` } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    assert.equal((await page("/hoc")).res.headers.get("cache-control"), "public, max-age=600");
  });

  test("static files named by their hash are kept a year", async () => {
    const { html } = await page("/hoc");
    const css = /href="(\/static\/public\.css\?v=[0-9a-f]+)"/.exec(html)![1]!;
    assert.match((await page(css)).res.headers.get("cache-control")!, /max-age=31536000, immutable/);
    assert.equal((await page("/static/public.css")).res.headers.get("cache-control"), "public, max-age=3600");
    const img = /src="(\/static\/hinh\/[a-z0-9-]+\.svg\?v=[0-9a-f]+)"/.exec(
      (await page("/bai-hoc/dung-dien-thoai")).html,
    )![1]!;
    const svg = await page(img);
    assert.equal(svg.res.headers.get("content-type"), "image/svg+xml; charset=utf-8");
    assert.match(svg.res.headers.get("cache-control")!, /immutable/);
    assert.equal((await page("/static/hinh/khong-co.svg")).res.status, 404);
  });

  test("answers are compressed when the client takes gzip", async () => {
    const plain = (await page("/hoc/nguoi-dan/so-tay")).html;
    const res = await t.app.request("/hoc/nguoi-dan/so-tay", { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.headers.get("content-encoding"), "gzip");
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(zlib.gunzipSync(body).toString("utf8"), plain);
    assert.ok(body.length < plain.length / 3, `${body.length} of ${plain.length}`);
  });

  test("the figures are computed once a minute per commune", async () => {
    // Later than the pages asked for above, which computed the figures at the real time.
    const now = new Date(nowMs() + 10 * 60_000);
    const first = await communeProgress({ db: t.db, communeId: t.commune.id, now });
    const h = await buildHousehold(t.db, { village: v2 });
    await buildCertification(t.db, {
      resident: await buildResident(t.db, { household: h }),
      date: "2026-01-01",
    });
    const soon = await communeProgress({
      db: t.db,
      communeId: t.commune.id,
      now: new Date(now.getTime() + 59_000),
    });
    assert.equal(soon, first);
    const later = await communeProgress({
      db: t.db,
      communeId: t.commune.id,
      now: new Date(now.getTime() + 61_000),
    });
    assert.notEqual(later, first);
    const adults = (p: typeof first) => p.items.find((i) => i.code === "adult_skills")!;
    assert.deepEqual([adults(first).numerator, adults(first).denominator], [1, 2]);
    assert.deepEqual([adults(later).numerator, adults(later).denominator], [2, 3]);
  });
});

describe("the self-assessment without JavaScript", () => {
  test("each answer is a button that carries the answers so far; the last one leads to the result", async () => {
    const quiz = currentContent().quizzes.get("resident")!;
    let url = "/tu-danh-gia/nguoi-dan/cau-hoi?d=&thon=T01";
    for (let i = 0; i < quiz.questions.length; i++) {
      const { res, html } = await page(url);
      assert.equal(res.status, 200, url);
      assert.match(html, new RegExp(`Câu ${i + 1} trên ${quiz.questions.length}`));
      const action = /<form method="get" action="([^"]+)"/.exec(html)![1]!;
      const d = /name="d" value="(\d*)"/.exec(html)![1]!;
      assert.equal(d.length, i);
      assert.match(html, /<button type="submit" class="answer" name="a" value="0">/);
      assert.equal(action.endsWith("/ket-qua"), i === quiz.questions.length - 1);
      url = `${action}?d=${d}&thon=T01&a=1`;
    }
    const { res, html } = await page(url);
    assert.equal(res.status, 200);
    assert.match(html, /Mức của bạn theo từng lĩnh vực/);
    assert.match(html, /Sử dụng thiết bị và phần mềm<\/strong><br\/><span class="level level--progress">/);
    assert.match(html, /Nên học tiếp/);
    assert.match(html, /href="\/bai-hoc\/dung-dien-thoai"/);
    assert.match(html, /Lớp học sắp tới — Thôn Một/);
    assert.match(html, /Lớp điện thoại cho người cao tuổi/);
    assert.match(html, /không được lưu lại/);
  });

  test("answers that do not fit go back to the start; an unfinished result goes back to its question", async () => {
    let res = (await page("/tu-danh-gia/nguoi-dan/cau-hoi?d=0x")).res;
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/tu-danh-gia/nguoi-dan");
    res = (await page("/tu-danh-gia/nguoi-dan/ket-qua?d=012")).res;
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/tu-danh-gia/nguoi-dan/cau-hoi?d=012");
    assert.equal((await page("/tu-danh-gia/khong-co")).res.status, 404);
  });
});

describe("larger text, communes", () => {
  test("“Chữ to” sets a cookie for a year and goes back; the page then has larger text", async () => {
    const res = (await page("/chu-to?next=%2Fhoc%3Fx%3D1")).res;
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/hoc?x=1");
    const chu = (r: Response) => r.headers.getSetCookie().find((c) => c.startsWith("bdhvs_chu="));
    assert.match(chu(res)!, /^bdhvs_chu=to; Max-Age=31536000; Path=\//);
    const large = await page("/hoc", { cookie: "bdhvs_chu=to" });
    assert.match(large.html, /<html lang="vi" class="chu-to">/);
    assert.match(large.html, /Chữ cỡ thường/);
    const off = (await page("/chu-to?next=/hoc", { cookie: "bdhvs_chu=to" })).res;
    assert.match(chu(off)!, /^bdhvs_chu=; Max-Age=0/);
    assert.equal((await page("/chu-to?next=//evil.example")).res.headers.get("location"), "/");
    assert.doesNotMatch((await page("/hoc")).html, /chu-to"/);
  });

  test("with several communes, the home lists them and ?xa= picks one; an unknown one is not found", async () => {
    const other = await buildCommune(t.db, { code: "XAKHAC", name: "Xã Khác", province: "Thanh Hóa" });
    const ov = await buildVillage(t.db, { commune: other, code: "K01", name: "Thôn Khác" });
    await buildActivity(t.db, { village: ov, title: "Lớp của xã khác", date: day(2) });
    const home = (await page("/")).html;
    assert.match(home, /Chọn xã/);
    assert.match(home, /href="\/\?xa=XAKHAC"/);
    const theirs = (await page("/lop-hoc?xa=XAKHAC")).html;
    assert.match(theirs, /Lớp của xã khác/);
    assert.doesNotMatch(theirs, /Lớp điện thoại cho người cao tuổi/);
    assert.match(theirs, /href="\/hoc\?xa=XAKHAC"/);
    assert.doesNotMatch((await page("/lop-hoc")).html, /Lớp của xã khác/);
    assert.equal((await page("/?xa=NOPE")).res.status, 404);
  });
});

describe("learning materials", () => {
  test("the handbook downloads as one file, its drawings inside, every lesson of the outline in it", async () => {
    const { res, html } = await page("/hoc/nguoi-dan/so-tay.html");
    assert.equal(res.headers.get("content-disposition"), 'attachment; filename="so-tay-nguoi-dan.html"');
    assert.match(html, /<style>/);
    assert.match(html, /src="data:image\/svg\+xml;base64,/);
    assert.doesNotMatch(html, /\/static\//);
    const content = currentContent();
    const outline = content.outlines.groups.find((o) => o.group === "resident")!;
    for (const slug of outline.modules.flatMap((m) => m.lessons))
      assert.ok(html.includes(`id="${slug}"`), slug);
  });

  test("the handbook downloads as an A4 PDF in Tinos, a page or more per lesson", async () => {
    const res = await t.app.request("/hoc/can-bo/so-tay.pdf");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.equal(res.headers.get("content-disposition"), 'attachment; filename="so-tay-can-bo.pdf"');
    const pdf = Buffer.from(await res.arrayBuffer()).toString("latin1");
    assert.ok(pdf.startsWith("%PDF-"));
    assert.match(pdf, /\/BaseFont \/[A-Z]+\+Tinos-Regular/);
    const lessons = currentContent()
      .outlines.groups.find((o) => o.group === "public_sector")!
      .modules.flatMap((m) => m.lessons);
    const pages = pdf.match(/\/Type \/Page\b/g)?.length ?? 0;
    assert.ok(pages > lessons.length, `${pages} pages for ${lessons.length} lessons`);
    assert.match(pdf, /\/Subtype \/Image/);
  });

  test("a lesson page: steps, drawings with their text alternative, and a listen button hidden until the script shows it", async () => {
    const { html } = await page("/bai-hoc/phong-lua-dao");
    assert.match(html, /<h1>Nhận biết lừa đảo/);
    assert.match(
      html,
      /<img class="step-img" src="\/static\/hinh\/tin-nhan-lua-dao\.svg\?v=[0-9a-f]+" alt="Tin nhắn báo/,
    );
    assert.match(
      html,
      /<button type="button" class="button button--secondary listen" data-listen="#bai" data-stop="Dừng đọc" hidden="">Nghe đọc<\/button>/,
    );
    assert.match(html, /<script src="\/static\/public\.js\?v=[0-9a-f]+" defer="">/);
    assert.equal((await page("/bai-hoc/khong-co")).res.status, 404);
    assert.equal(html.match(/ lang="vi"/g)?.length, 1); // <html lang="vi"> alone
    // With the English interface, the lesson's English (see english.test.ts).
    const en = (await page("/bai-hoc/phong-lua-dao?lang=en")).html;
    assert.match(en, /<html lang="en">/);
    assert.match(en, /<h1>Spotting scams/);
    assert.match(en, /<div><p>Online scammers/);
  });
});
