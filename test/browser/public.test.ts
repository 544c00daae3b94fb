import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { activitySessions, certifications } from "../../src/db/schema.ts";
import { addDays } from "../../src/features/indicators/period.ts";
import { currentContent } from "../../src/features/public/content.ts";
import { todayInVietnam } from "../../src/lib/clock.ts";
import { axeViolations, WCAG_TAGS } from "../helpers/axe.ts";
import { SHOTS, useBrowserSuite } from "../helpers/browser.ts";
import {
  buildActivity,
  buildHousehold,
  buildResident,
  buildTeam,
  buildTeamMember,
  buildVillage,
  type Village,
} from "../helpers/factories.ts";

/**
 * The residents' pages in Chromium: accessibility (axe-core) on every page, the weight each page
 * costs a phone, a self-assessment on a 360-px phone with and without JavaScript, the keyboard,
 * larger text and the "Nghe" (listen) button.
 */
const content = currentContent();
const groups = content.framework.groups;
const PHONE = { width: 360, height: 740 };
/** The weight budget of a public page: HTML + CSS + JS as transferred (compressed), images aside. */
const BUDGET = 60 * 1024;

/** Every public page, with the heaviest variants (all weak answers: the longest result). */
function publicPages(): string[] {
  const pages = ["/", "/lop-hoc", "/lop-hoc?thon=T01", "/ho-tro", "/khung-ky-nang", "/hoc", "/tu-danh-gia"];
  for (const g of groups) {
    const quiz = content.quizzes.get(g.code)!;
    const weakest = quiz.questions
      .map((q) => (q.kind === "self" ? 2 : q.options.findIndex((o) => !o.correct)))
      .join("");
    pages.push(
      `/khung-ky-nang/${g.slug}`,
      `/hoc/${g.slug}`,
      `/hoc/${g.slug}/so-tay`,
      `/tu-danh-gia/${g.slug}`,
      `/tu-danh-gia/${g.slug}/cau-hoi?d=`,
      `/tu-danh-gia/${g.slug}/ket-qua?d=${weakest}&thon=T01`,
    );
  }
  for (const slug of content.lessons.keys()) pages.push(`/bai-hoc/${slug}`);
  return pages;
}

const suite = useBrowserSuite(async (db, commune) => {
  const c = { id: commune.id, code: commune.code, name: commune.name, province: commune.province };
  // A commune of 20 villages with residents, teams, and a hundred upcoming class sessions: the
  // class schedule at its longest.
  const villages: Village[] = [];
  for (let i = 1; i <= 20; i++)
    villages.push(
      await buildVillage(db, { commune: c, code: `T${String(i).padStart(2, "0")}`, name: `Thôn Số ${i}` }),
    );
  for (const [i, v] of villages.entries()) {
    const h = await buildHousehold(db, { village: v });
    for (let k = 0; k < 3; k++) {
      const r = await buildResident(db, { household: h, birthDate: k === 0 ? "1950-01-01" : "1990-01-01" });
      if ((i + k) % 2 === 0)
        await db
          .insert(certifications)
          .values({ communeId: c.id, residentId: r.id, kind: "basic", date: "2026-03-01", source: "course" });
    }
    const team = await buildTeam(db, { village: v, phone: "0912345678", publishContacts: i % 2 === 0 });
    await buildTeamMember(db, { team, fullName: `Tổ Trưởng ${v.name}`, role: "leader", phone: "0987654321" });
  }
  const today = todayInVietnam();
  for (let n = 0; n < 50; n++) {
    const v = villages[n % villages.length]!;
    const a = await buildActivity(db, {
      village: v,
      title: `Lớp kỹ năng số cho người cao tuổi và người mới dùng điện thoại, ${v.name}, khóa ${n + 1}`,
      place: `Nhà văn hóa ${v.name}, gần cổng làng`,
      audience: "resident",
      date: addDays(today, n),
    });
    await db.insert(activitySessions).values([
      { communeId: c.id, activityId: a.id, date: addDays(today, n) },
      { communeId: c.id, activityId: a.id, date: addDays(today, n + 7) },
    ]);
  }
});

async function pageWidth(page: Page) {
  return Number(await page.evaluate("document.documentElement.scrollWidth"));
}

async function withContext<T>(
  opts: Parameters<Browser["newContext"]>[0] & { large?: boolean },
  f: (page: Page, ctx: BrowserContext) => Promise<T>,
): Promise<T> {
  const { large, ...rest } = opts ?? {};
  const ctx = await suite.browser.newContext(rest);
  if (large) await ctx.addCookies([{ name: "bdhvs_chu", value: "to", url: suite.server.url }]);
  try {
    return await f(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

describe("every public page", () => {
  test("has no serious or critical accessibility violation (axe-core), on a phone, with normal and larger text", async () => {
    const failures: string[] = [];
    for (const large of [false, true]) {
      await withContext({ viewport: PHONE, large }, async (page) => {
        for (const path of publicPages()) {
          const res = await page.goto(`${suite.server.url}${path}`);
          assert.equal(res?.status(), 200, path);
          for (const v of await axeViolations(page, [...WCAG_TAGS, "best-practice"]))
            if (v.impact === "serious" || v.impact === "critical")
              failures.push(
                `${path}${large ? " (chữ to)" : ""}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.join(", ")}`,
              );
        }
      });
    }
    // The English interface over Vietnamese content.
    await withContext({ viewport: PHONE }, async (page) => {
      for (const path of ["/?lang=en", "/bai-hoc/phong-lua-dao?lang=en", "/tu-danh-gia/nguoi-dan?lang=en"]) {
        await page.goto(`${suite.server.url}${path}`);
        for (const v of await axeViolations(page, [...WCAG_TAGS, "best-practice"]))
          if (v.impact === "serious" || v.impact === "critical") failures.push(`${path}: ${v.id} ${v.help}`);
      }
    });
    assert.deepEqual(failures, []);
  });

  test("fits a 360-px phone without sideways scrolling, with larger text too, and text at 200 % on a 640-px window", async () => {
    const wide: string[] = [];
    for (const [large, width, font] of [
      [false, 360, ""],
      [true, 360, ""],
      [false, 640, "200%"],
    ] as const) {
      await withContext({ viewport: { width, height: 740 }, large }, async (page) => {
        for (const path of publicPages()) {
          await page.goto(`${suite.server.url}${path}`);
          if (font) await page.evaluate(`document.documentElement.style.fontSize = "${font}"`);
          const w = await pageWidth(page);
          if (w > width) wide.push(`${path}${large ? " (chữ to)" : ""}${font ? ` (${font})` : ""}: ${w} px`);
        }
      });
    }
    assert.deepEqual(wide, []);
  });

  test(`costs a phone at most ${BUDGET / 1024} KB: HTML, CSS and JS as transferred, compressed`, async () => {
    const sizes: [string, number][] = [];
    for (const path of publicPages()) {
      // A fresh browser each time: nothing comes from its cache.
      await withContext({ viewport: PHONE }, async (page) => {
        const counted: Promise<number>[] = [];
        const encodings: string[] = [];
        page.on("requestfinished", (req) => {
          if (!["document", "stylesheet", "script"].includes(req.resourceType())) return;
          counted.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
        });
        page.on("response", (res) => {
          if (res.request().resourceType() === "document")
            encodings.push(res.headers()["content-encoding"] ?? "");
        });
        await page.goto(`${suite.server.url}${path}`, { waitUntil: "load" });
        const total = (await Promise.all(counted)).reduce((a, b) => a + b, 0);
        assert.deepEqual(encodings, ["gzip"], path);
        assert.ok(counted.length >= 2, `${path}: the page and its stylesheet`);
        sizes.push([path, total]);
      });
    }
    const over = sizes.filter(([, n]) => n > BUDGET);
    const heaviest = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(
      `heaviest public pages (bytes transferred): ${heaviest.map(([p, n]) => `${p} ${n}`).join("; ")}`,
    );
    assert.deepEqual(over, []);
  });
});

/** Answers a whole self-assessment on a phone: weak answers on safety, the best elsewhere. */
async function takeQuiz(page: Page, group: (typeof groups)[number]) {
  const quiz = content.quizzes.get(group.code)!;
  await page.goto(`${suite.server.url}/`);
  await page.getByRole("link", { name: "Tự đánh giá kỹ năng số" }).first().click();
  await page.getByRole("link", { name: new RegExp(`^${group.name}`) }).click();
  await page.getByLabel("Thôn của bạn (để xem lớp học gần nhà)").selectOption("T01");
  await page.getByRole("button", { name: "Bắt đầu" }).click();
  for (const [i, q] of quiz.questions.entries()) {
    assert.equal(
      await page.locator(".qhead").first().textContent(),
      `Câu ${i + 1} trên ${quiz.questions.length} · ${content.framework.domains.find((d) => d.code === q.domain)!.name}`,
    );
    const label =
      q.kind === "self"
        ? q.domain === "safety"
          ? "Tôi chưa làm được"
          : "Tôi làm được một mình"
        : q.options.find((o) => (q.domain === "safety" ? !o.correct : o.correct))!.text;
    await page.getByRole("button", { name: label, exact: true }).click();
    const last = i === quiz.questions.length - 1;
    await page.waitForURL((u) =>
      last
        ? u.pathname.endsWith("/ket-qua")
        : u.searchParams.get("d")?.length === i && u.searchParams.has("a"),
    );
  }
}

async function checkResult(page: Page, group: (typeof groups)[number]) {
  assert.equal(await page.locator("h1").textContent(), `Kết quả tự đánh giá — ${group.name}`);
  const levels = await page.locator("#muc li").allTextContents();
  assert.equal(levels.length, group.domains.length);
  const safety = levels.find((l) => l.startsWith("An toàn"))!;
  assert.match(safety, /Chưa đạt — nên học từ đầu/);
  assert.ok(
    levels.filter((l) => /Đạt mức cơ bản/.test(l)).length === group.domains.length - 1,
    levels.join(" | "),
  );
  // The weakest domain's lessons first: the first safety question's.
  const first = content.quizzes.get(group.code)!.questions.find((q) => q.domain === "safety")!.lessons[0]!;
  const lessons = page.locator("#nen-hoc + ol a");
  assert.equal(await lessons.first().textContent(), content.lessons.get(first)!.title);
  assert.match((await page.locator("#lop-hoc").textContent()) ?? "", /Lớp học sắp tới — Thôn Số 1$/);
  assert.ok((await pageWidth(page)) <= PHONE.width);
}

describe("a self-assessment on a 360 × 740 phone", () => {
  test("with JavaScript: one question per screen, then a level per domain, lessons to read and classes nearby", async () => {
    await withContext({ viewport: PHONE }, async (page) => {
      const group = groups.find((g) => g.code === "resident")!;
      await takeQuiz(page, group);
      await checkResult(page, group);
      await page.screenshot({ path: `${SHOTS}/public-quiz-result-phone.png`, fullPage: true });
      // Cookies: none of the quiz's doing.
      const cookies = (await page.context().cookies()).map((c) => c.name);
      assert.deepEqual(
        cookies.filter((n) => n !== "bdhvs_csrf"),
        [],
      );
    });
  });

  test("without JavaScript: the same, with plain links and forms", async () => {
    await withContext({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
      const group = groups.find((g) => g.code === "student")!;
      await takeQuiz(page, group);
      await checkResult(page, group);
      await page.screenshot({ path: `${SHOTS}/public-quiz-result-nojs.png`, fullPage: true });
      // The listen button stays hidden without its script.
      await page.getByRole("link", { name: content.lessons.get("phong-lua-dao")!.title }).click();
      assert.equal(await page.getByRole("button", { name: "Nghe đọc" }).count(), 0);
      assert.equal(await page.getByRole("button", { name: "In ra giấy" }).count(), 0);
    });
  });

  test("by keyboard alone: the skip link, then an answer chosen with Enter", async () => {
    await withContext({ viewport: PHONE }, async (page) => {
      await page.goto(`${suite.server.url}/tu-danh-gia/nguoi-dan/cau-hoi?d=`);
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate("document.activeElement.className"), "skip-link");
      await page.keyboard.press("Enter");
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press("Tab");
        if ((await page.evaluate("document.activeElement.className")) === "answer") break;
      }
      assert.equal(await page.evaluate("document.activeElement.textContent"), "Tôi làm được một mình");
      await page.keyboard.press("Enter");
      await page.waitForURL(/cau-hoi\?d=&a=0/);
      assert.match((await page.locator(".qhead").first().textContent()) ?? "", /^Câu 2 trên/);
    });
  });
});

/**
 * A speech engine for the page that records what it is asked to say, with voices of these
 * languages. A string, not a function: the test runner's transform would add helpers to a function.
 */
function speechStub(langs: string[]) {
  return `(() => {
    const said = [];
    window.__said = said;
    const voices = ${JSON.stringify(langs)}.map((lang) => ({ name: "Giọng " + lang, lang }));
    window.SpeechSynthesisUtterance = function (text) {
      this.text = text; this.lang = ""; this.voice = null; this.rate = 1;
      this.addEventListener = () => {};
    };
    Object.defineProperty(window, "speechSynthesis", {
      configurable: true,
      value: {
        getVoices: () => voices,
        speak: (u) => said.push({ text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : "" }),
        cancel: () => {},
        addEventListener: () => {},
        onvoiceschanged: null,
      },
    });
  })();`;
}

describe("reading a lesson", () => {
  test("“Nghe đọc” reads it aloud in Vietnamese where the browser can speak", async () => {
    await withContext({ viewport: PHONE }, async (page) => {
      // A speech engine that records what it is asked to say, with a Vietnamese voice.
      await page.addInitScript({ content: speechStub(["en-US", "vi-VN"]) });
      await page.goto(`${suite.server.url}/bai-hoc/phong-lua-dao`);
      assert.equal(await page.getByRole("button", { name: "In ra giấy" }).count(), 1);
      const listen = page.getByRole("button", { name: "Nghe đọc" });
      await listen.click();
      const said = (await page.evaluate("window.__said")) as { text: string; lang: string; voice: string }[];
      assert.equal(said[0]?.text, content.lessons.get("phong-lua-dao")!.title);
      assert.ok(said.every((s) => s.lang === "vi-VN" && s.voice === "Giọng vi-VN"));
      assert.ok(said.some((s) => s.text.startsWith("Dừng lại, kiểm tra, rồi mới làm")));
      assert.equal(await page.getByRole("button", { name: "Dừng đọc" }).count(), 1);
    });
  });

  test("an English lesson is read in an English voice; without one, no listen button", async () => {
    await withContext({ viewport: PHONE }, async (page) => {
      await page.addInitScript({ content: speechStub(["en-US", "vi-VN"]) });
      await page.goto(`${suite.server.url}/bai-hoc/phong-lua-dao?lang=en`);
      await page.getByRole("button", { name: "Listen" }).click();
      const said = (await page.evaluate("window.__said")) as { text: string; lang: string; voice: string }[];
      assert.equal(said[0]?.text, content.lessons.get("phong-lua-dao")!.en!.title);
      assert.ok(said.every((s) => s.lang === "en-US" && s.voice === "Giọng en-US"));
    });
    await withContext({ viewport: PHONE }, async (page) => {
      await page.addInitScript({ content: speechStub(["vi-VN"]) });
      await page.goto(`${suite.server.url}/bai-hoc/phong-lua-dao?lang=en`);
      assert.equal(await page.getByRole("button", { name: "Listen" }).count(), 0);
    });
  });

  test("a phone without a Vietnamese voice gets no listen button", async () => {
    await withContext({ viewport: PHONE }, async (page) => {
      await page.addInitScript({ content: speechStub(["en-US"]) });
      await page.goto(`${suite.server.url}/bai-hoc/tro-ly-ai`);
      assert.equal(await page.getByRole("button", { name: "Nghe đọc" }).count(), 0);
    });
  });

  test("the larger-text switch works without JavaScript and stays on from page to page", async () => {
    await withContext({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${suite.server.url}/hoc`);
      const before = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)");
      await page.getByRole("link", { name: "Chữ to hơn" }).click();
      await page.waitForURL(`${suite.server.url}/hoc`);
      const after = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)");
      assert.ok(Number(after) >= Number(before) * 1.3, `${before} → ${after}`);
      await page.getByRole("navigation").getByRole("link", { name: "Lịch lớp học" }).click();
      assert.equal(await page.getAttribute("html", "class"), "chu-to");
      await page.screenshot({ path: `${SHOTS}/public-classes-large-text.png` });
      await page.getByRole("link", { name: "Chữ cỡ thường" }).click();
      assert.equal(await page.getAttribute("html", "class"), null);
    });
  });
});
