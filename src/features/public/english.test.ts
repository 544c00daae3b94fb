import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { DEFAULT_CONTENT_DIR } from "../../config.ts";
import { contentErrorOf } from "../../test-support/content.ts";
import { contentIn, loadContent } from "./content.ts";

/**
 * The public learning content in English (issue 17, point 7): every lesson, self-assessment and
 * outline carries its English beside the Vietnamese; the English pages show it, the Vietnamese
 * pages stay exactly as they were.
 */

const temps: string[] = [];
let shipped: TestApp;
/** The same pages on a copy of the content with every "en" block taken out. */
let bare: TestApp;

/** Every "en" block of a JSON value taken out. */
function withoutEnglish(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEnglish);
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== "en")
      .map(([k, x]) => [k, withoutEnglish(x)]),
  );
}

/** A copy of the shipped content; `edit` changes a file's parsed JSON (file relative to the folder). */
// biome-ignore lint/suspicious/noExplicitAny: the edits reach into the parsed JSON of a file
function contentCopy(edit: Record<string, (data: any) => unknown>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-content-en-"));
  temps.push(dir);
  fs.cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  for (const [rel, f] of Object.entries(edit)) {
    const file = path.join(dir, rel);
    fs.writeFileSync(file, `${JSON.stringify(f(JSON.parse(fs.readFileSync(file, "utf8"))), null, 2)}\n`);
  }
  return dir;
}

const errorOf = (dir: string) => contentErrorOf(dir).message;

const jsonFiles = (dir: string) =>
  fs
    .readdirSync(path.join(DEFAULT_CONTENT_DIR, dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.join(dir, f));

before(async () => {
  const strip: Record<string, (d: unknown) => unknown> = {};
  for (const rel of [...jsonFiles("lessons"), ...jsonFiles("quizzes"), "outlines.json"])
    strip[rel] = withoutEnglish;
  shipped = await createTestApp();
  bare = await createTestApp({ contentDir: contentCopy(strip) });
});
after(async () => {
  await shipped?.close();
  await bare?.close();
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

const html = async (app: TestApp, url: string) => {
  const res = await app.app.request(url);
  assert.equal(res.status, 200, url);
  return res.text();
};

/** A page's main part (the header's language switch is always marked in its own language). */
const main = (page: string) => page.slice(page.indexOf("<main"), page.indexOf("</main>"));

/** The text of every h1–h3 of a page. */
const headings = (page: string) =>
  [...page.matchAll(/<h([123])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) =>
    m[2]!
      .replace(/<[^>]+>/g, "")
      .replace(/&quot;/g, '"')
      .trim(),
  );

/** Proper names kept in Vietnamese inside English text (each glossed the first time). */
const NAMES = ["Bình dân học vụ số", "Cổng Dịch vụ công", "Công an xã"];
const VIETNAMESE_LETTER = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
const withoutNames = (s: string) => NAMES.reduce((x, n) => x.replaceAll(n, ""), s);
const isVietnamese = (s: string) => VIETNAMESE_LETTER.test(withoutNames(s));
/** English text may gloss a Vietnamese name ("căn cước", "Bộ Công an"); a Vietnamese sentence is mostly such words. */
const readsEnglish = (s: string) => {
  const words = withoutNames(s).split(/\s+/);
  return words.filter((w) => VIETNAMESE_LETTER.test(w)).length / words.length < 0.25;
};

const content = loadContent();
const quiz = content.quizzes.get("resident")!;
/** Every answer but the last one: "1" (with help; a wrong option for most knowledge questions). */
const answered = "1".repeat(quiz.questions.length - 1);
const PAGES = [
  "/hoc",
  "/hoc/nguoi-dan",
  "/hoc/can-bo/so-tay",
  "/bai-hoc/phong-lua-dao",
  "/bai-hoc/vneid-muc-2",
  "/tu-danh-gia/nguoi-dan",
  "/tu-danh-gia/nguoi-dan/cau-hoi?d=111",
  `/tu-danh-gia/nguoi-dan/ket-qua?d=${answered}&a=1`,
];

describe("every content file has complete English", () => {
  test("each lesson, self-assessment and outline has its English, and the English interface gets it all", () => {
    const en = contentIn(content, "en");
    assert.equal(content.lessons.size, 14);
    for (const [slug, l] of content.lessons) {
      assert.ok(l.en?.title && l.en.summary && l.en.remember, `${slug}: en`);
      const e = en.lessons.get(slug)!;
      assert.equal(e.textLang, "en", slug);
      const texts = [
        e.title,
        e.summary,
        ...e.intro,
        ...e.warnings,
        ...e.remember,
        ...e.links.map((x) => x.title),
        ...e.sections.flatMap((s) => [
          s.title,
          ...s.steps.flatMap((st) => [st.text, st.tip ?? "", st.image?.alt ?? ""]),
        ]),
      ];
      for (const x of texts) assert.ok(readsEnglish(x), `${slug}: ${x}`);
      assert.ok(!isVietnamese(e.title) && e.sections.every((x) => !isVietnamese(x.title)), slug);
    }
    assert.equal(content.quizzes.size, 4);
    for (const [group, q] of content.quizzes) {
      const e = en.quizzes.get(group)!;
      assert.equal(e.textLang, "en", group);
      const texts = [
        e.title,
        ...e.intro,
        ...e.questions.flatMap((x) =>
          x.kind === "self" ? [x.text] : [x.text, x.explain, ...x.options.map((o) => o.text)],
        ),
      ];
      for (const x of texts) assert.ok(readsEnglish(x), `${group}: ${x}`);
      assert.deepEqual(
        e.questions.map((x) => x.id),
        q.questions.map((x) => x.id),
      );
    }
    for (const g of en.outlines.groups) {
      assert.equal(g.textLang, "en", g.group);
      for (const x of [g.title, ...g.intro, ...g.modules.flatMap((m) => [m.title, m.goal]), g.handbook.title])
        assert.ok(readsEnglish(x), `${g.group}: ${x}`);
    }
    // The Vietnamese interface keeps the files as written.
    assert.equal(contentIn(content, "vi"), content);
  });

  test("a lesson that loses one step's English is refused, naming the file, the line and the step", () => {
    const dir = contentCopy({
      "lessons/vneid-muc-2.json": (d) => {
        delete d.sections[1].steps[2].en;
        return d;
      },
    });
    const file = path.join(dir, "lessons/vneid-muc-2.json");
    const msg = errorOf(dir);
    assert.ok(msg.includes(`${file} không hợp lệ`), msg);
    const stepLine = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes("Khi điện thoại nhận tin nhắn kích hoạt"));
    const m = /dòng (\d+), sections\[1\]\.steps\[2\]\.en: thiếu phần tiếng Anh "en" \(text\)/.exec(msg);
    assert.ok(m, msg);
    // The line of the step's object, just above its "text".
    assert.ok(Number(m[1]) === stepLine || Number(m[1]) === stepLine + 1, msg);
  });

  test("English with a part missing or a paragraph short is refused, each place named", () => {
    const dir = contentCopy({
      "lessons/phong-lua-dao.json": (d) => {
        delete d.sections[0].steps[1].image.en;
        d.en.remember.pop();
        return d;
      },
      "quizzes/nguoi-dan.json": (d) => {
        delete d.questions[3].options[2].en;
        delete d.questions[3].en.explain;
        return d;
      },
      "outlines.json": (d) => {
        delete d.groups[2].modules[1].en.goal;
        return d;
      },
    });
    const msg = errorOf(dir);
    assert.match(msg, /phong-lua-dao\.json không hợp lệ:/);
    assert.match(msg, /dòng \d+, sections\[0\]\.steps\[1\]\.image\.en: thiếu phần tiếng Anh "en" \(alt\)/);
    assert.match(msg, /dòng \d+, en\.remember: tiếng Anh có 3 đoạn, tiếng Việt có 4/);
    assert.match(msg, /nguoi-dan\.json không hợp lệ:/);
    assert.match(msg, /dòng \d+, questions\[3\]\.options\[2\]\.en: thiếu phần tiếng Anh "en" \(text\)/);
    assert.match(msg, /dòng \d+, questions\[3\]\.en: "en" thiếu "explain"/);
    assert.match(msg, /outlines\.json không hợp lệ:/);
    assert.match(msg, /dòng \d+, groups\[2\]\.modules\[1\]\.en: "en" thiếu "goal"/);
  });

  test("a file with no English at all still loads (English is optional)", () => {
    const dir = contentCopy({ "lessons/tro-ly-ai.json": withoutEnglish });
    const c = loadContent(dir);
    assert.equal(contentIn(c, "en").lessons.get("tro-ly-ai")!.textLang, undefined);
  });
});

describe("the English pages", () => {
  test("a lesson: English text and headings, nothing marked Vietnamese", async () => {
    const page = await html(shipped, "/bai-hoc/vneid-muc-2?lang=en");
    assert.match(page, /<html lang="en">/);
    assert.match(page, /<h1>VNeID level 2 electronic identity account<\/h1>/);
    assert.match(page, /<h2>Get a level 2 account<\/h2>/);
    assert.match(page, /<li>Take your chip ID card \(căn cước\)/);
    assert.match(page, /alt="The VNeID sign-in screen with a Personal ID number box/);
    assert.match(page, /<title>VNeID level 2 electronic identity account — /);
    assert.doesNotMatch(page, /Tài khoản định danh điện tử VNeID mức 2|Có tài khoản mức 2|Mang thẻ căn cước/);
    assert.doesNotMatch(main(page), / lang="vi"/);
    for (const h of headings(page)) assert.ok(!isVietnamese(h), h);
  });

  test("a self-assessment: its introduction, a question with its answers, the result with what to review", async () => {
    const intro = await html(shipped, "/tu-danh-gia/nguoi-dan?lang=en");
    assert.match(intro, /<h1>Digital skills self-assessment for residents<\/h1>/);
    assert.match(intro, /<p>Short questions about things you often do on a phone/);
    const question = await html(shipped, "/tu-danh-gia/nguoi-dan/cau-hoi?d=111&lang=en");
    assert.match(question, /<h1>An advert online says a medicine/);
    assert.match(question, /Question 4 of \d+ · Data and information/);
    assert.match(question, /<div class="answers"><button[^>]*>Buy it now before it sells out<\/button>/);
    const result = await html(shipped, `/tu-danh-gia/nguoi-dan/ket-qua?d=${answered}&a=1&lang=en`);
    assert.match(result, /<strong>An advert online says a medicine/);
    assert.match(result, /Do not believe it; ask a doctor or the commune health station/);
    assert.match(result, /No medicine cures every disease/);
    assert.match(result, /<li><a href="\/bai-hoc\/[a-z-]+">[A-Z]/);
    for (const page of [intro, question, result]) {
      assert.doesNotMatch(main(page), / lang="vi"/);
      assert.doesNotMatch(page, /Tự đánh giá kỹ năng số cho người dân|quảng cáo một loại thuốc/);
      for (const h of headings(page)) assert.ok(!isVietnamese(h), h);
    }
  });

  test("an outline, the lessons index and a handbook", async () => {
    const outline = await html(shipped, "/hoc/nguoi-dan?lang=en");
    assert.match(outline, /<h1>Digital skills course outline for residents<\/h1>/);
    assert.match(outline, /<h2>Part 3. Papers and procedures online<\/h2>/);
    assert.match(outline, /<span>Have a level 2 VNeID account/);
    assert.match(outline, /<a href="\/bai-hoc\/dung-dien-thoai">Getting to know your smartphone<\/a>/);
    assert.match(outline, />Basic digital skills framework for Residents</);
    assert.doesNotMatch(main(outline), / lang="vi"/);
    const index = await html(shipped, "/hoc?lang=en");
    assert.match(
      index,
      /<strong><span>Residents<\/span><\/strong><span>Digital skills course outline for residents/,
    );
    assert.doesNotMatch(main(index), / lang="vi"/);
    const handbook = await html(shipped, "/hoc/can-bo/so-tay?lang=en");
    assert.match(
      handbook,
      /<h1>Digital skills handbook for officials, civil servants and public employees<\/h1>/,
    );
    assert.match(
      handbook,
      /<h2 id="van-ban-dien-tu">Electronic documents, digital signatures and online meetings/,
    );
    // What "basic" means for the group, from the framework's English.
    assert.match(handbook, /<li>Show residents how to do procedures on the National Public Service Portal/);
    // The framework's source is quoted in Vietnamese: marked, and the only text so marked.
    assert.deepEqual(main(handbook).match(/<[a-z0-9]+[^>]* lang="vi">/g), ['<p class="muted" lang="vi">']);
    const file = await html(shipped, "/hoc/can-bo/so-tay.html?lang=en");
    assert.match(
      file,
      /<title>Digital skills handbook for officials, civil servants and public employees — /,
    );
    const pdf = await shipped.app.request("/hoc/can-bo/so-tay.pdf?lang=en");
    assert.equal(pdf.headers.get("content-type"), "application/pdf");
    assert.ok(
      Buffer.from(await pdf.arrayBuffer())
        .toString("latin1")
        .startsWith("%PDF-"),
    );
    const framework = await html(shipped, "/khung-ky-nang/nguoi-dan?lang=en");
    assert.match(framework, /<ul><li>Use a smartphone on your own/);
    for (const page of [outline, index, handbook])
      for (const h of headings(page)) assert.ok(!isVietnamese(h), h);
  });

  test('a file without English shows its Vietnamese, marked lang="vi"', async () => {
    const page = await html(bare, "/bai-hoc/vneid-muc-2?lang=en");
    assert.match(page, /<h1 lang="vi">Tài khoản định danh điện tử VNeID mức 2<\/h1>/);
    assert.match(page, /<div lang="vi"><p>VNeID là ứng dụng/);
    const outline = await html(bare, "/hoc/nguoi-dan?lang=en");
    assert.match(outline, /<h2 lang="vi">Phần 1. Làm quen với điện thoại<\/h2>/);
    assert.match(outline, /<li lang="vi"><a href="\/bai-hoc\/dung-dien-thoai">Làm quen/);
    const question = await html(bare, "/tu-danh-gia/nguoi-dan/cau-hoi?d=111&lang=en");
    assert.match(question, /<h1 lang="vi">Trên mạng có bài quảng cáo/);
    assert.match(question, /<div class="answers" lang="vi">/);
  });
});

describe("the Vietnamese pages", () => {
  test("are the same, byte for byte, with or without the English in the files", async () => {
    for (const url of PAGES) {
      const a = await html(shipped, url);
      assert.equal(a, await html(bare, url), url);
      assert.doesNotMatch(main(a), / lang="vi"/, url);
    }
    const lesson = await html(shipped, "/bai-hoc/vneid-muc-2");
    assert.match(lesson, /<h1>Tài khoản định danh điện tử VNeID mức 2<\/h1>/);
    assert.doesNotMatch(lesson, /electronic identity account/);
  });
});
