import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { pino } from "pino";
import { DEFAULT_CONTENT_DIR, loadConfig } from "../../config.ts";
import { lineOfPath } from "../../lib/json-file.ts";
import { startServer } from "../../server.ts";
import { contentErrorOf } from "../../test-support/content.ts";
import { ContentError, loadContent } from "./content.ts";
import { levelOf, parseAnswers, scoreQuiz } from "./service.ts";

const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped content folder, changed by `edit` (file relative to the folder → new text). */
function contentCopy(edit: Record<string, (text: string) => string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-content-"));
  temps.push(dir);
  fs.cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  for (const [rel, f] of Object.entries(edit)) {
    const file = path.join(dir, rel);
    fs.writeFileSync(file, f(fs.readFileSync(file, "utf8")));
  }
  return dir;
}

/** The 1-based line where `needle` first appears in a file. */
function lineWith(file: string, needle: string) {
  const text = fs.readFileSync(file, "utf8");
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${file}`);
  return text.slice(0, at).split("\n").length;
}

describe("the shipped content", () => {
  const content = loadContent();

  test("has the four target groups, the students' 6 domains with 24 components and 4 levels", () => {
    assert.deepEqual(content.framework.groups.map((g) => g.code).sort(), [
      "enterprise_worker",
      "public_sector",
      "resident",
      "student",
    ]);
    const students = content.framework.groups.find((g) => g.code === "student")!;
    assert.deepEqual(
      students.domains.map((d) => d.code),
      [
        "data_information",
        "communication",
        "content_creation",
        "safety",
        "problem_solving",
        "artificial_intelligence",
      ],
    );
    assert.equal(
      students.domains.reduce((n, d) => n + d.components.length, 0),
      24,
    );
    assert.deepEqual(
      content.framework.levels.map((l) => l.name),
      ["Cơ bản", "Trung cấp", "Nâng cao", "Chuyên sâu"],
    );
    for (const g of content.framework.groups) assert.ok(g.basic.length > 0, `${g.code}: what basic means`);
  });

  test("every group has an outline, a handbook and a self-assessment of 10–20 questions over all its domains", () => {
    for (const g of content.framework.groups) {
      const outline = content.outlines.groups.find((o) => o.group === g.code);
      assert.ok(outline?.handbook.title, g.code);
      const quiz = content.quizzes.get(g.code)!;
      assert.ok(quiz.questions.length >= 10 && quiz.questions.length <= 20, g.code);
      for (const d of g.domains)
        assert.ok(
          quiz.questions.some((q) => q.domain === d.code),
          `${g.code}: ${d.code}`,
        );
    }
  });

  test("the lessons cover the topics of SPEC §4.1, each with steps and drawings that exist", () => {
    for (const slug of [
      "dung-dien-thoai",
      "internet-va-thu-dien-tu",
      "vneid-muc-2",
      "dich-vu-cong-truc-tuyen",
      "thanh-toan-khong-tien-mat",
      "suc-khoe-so",
      "hoc-truc-tuyen",
      "phong-lua-dao",
      "tro-ly-ai",
    ])
      assert.ok(content.lessons.get(slug), slug);
    let images = 0;
    for (const l of content.lessons.values()) {
      assert.ok(l.sections.every((s) => s.steps.length > 0));
      for (const s of l.sections)
        for (const st of s.steps)
          if (st.image) {
            images++;
            assert.ok(content.images.has(st.image.src), st.image.src);
          }
    }
    assert.ok(images >= 10);
    for (const img of content.images.values()) assert.ok(Buffer.byteLength(img.svg) < 12 * 1024, img.name);
  });
});

describe("a malformed content file names the file and the line", () => {
  test("broken JSON", () => {
    const dir = contentCopy({
      "lessons/tro-ly-ai.json": (s) => s.replace('"minutes": 30,', '"minutes": 30,,'),
    });
    const file = path.join(dir, "lessons/tro-ly-ai.json");
    const e = contentErrorOf(dir);
    assert.ok(e.message.includes(file), e.message);
    assert.match(e.message, new RegExp(`dòng ${lineWith(file, '"minutes": 30,,')}:`));
    assert.match(e.message, /không phải JSON hợp lệ/);
  });

  test("a missing field: the line of the object that lacks it", () => {
    const dir = contentCopy({
      "quizzes/nguoi-dan.json": (s) =>
        s.replace('"text": "Bạn có tự bật Wi-Fi', '"txt": "Bạn có tự bật Wi-Fi'),
    });
    const file = path.join(dir, "quizzes/nguoi-dan.json");
    const e = contentErrorOf(dir);
    assert.ok(e.message.includes(`${file} không hợp lệ`), e.message);
    // The second question's object opens a few lines above its "id".
    const idLine = lineWith(file, '"id": "vao-mang"');
    const m = /dòng (\d+), questions\[1\]/.exec(e.message);
    assert.ok(m, e.message);
    assert.ok(Number(m[1]) <= idLine && Number(m[1]) >= idLine - 1, e.message);
  });

  test("a wrong value", () => {
    const dir = contentCopy({
      "framework.json": (s) => s.replace('"slug": "hoc-sinh"', '"slug": "Học sinh"'),
    });
    const e = contentErrorOf(dir);
    const fw = path.join(dir, "framework.json");
    assert.ok(e.message.includes(fw), e.message);
    assert.match(e.message, new RegExp(`dòng ${lineWith(fw, '"slug": "Học sinh"')}, groups\\[1\\]\\.slug`));
  });

  test("a cross-reference: a quiz naming a lesson that is not there", () => {
    const dir = contentCopy({
      "quizzes/can-bo.json": (s) => s.replace(/"van-ban-dien-tu"/, '"khong-co-bai-nay"'),
    });
    const file = path.join(dir, "quizzes/can-bo.json");
    const e = contentErrorOf(dir);
    assert.match(
      e.message,
      new RegExp(
        `dòng ${lineWith(file, '"khong-co-bai-nay"')}, questions\\[\\d+\\]\\.lessons\\[0\\]: không có bài khong-co-bai-nay`,
      ),
    );
  });

  test("an unsafe drawing", () => {
    const dir = contentCopy({
      "images/chup-anh.svg": (s) => s.replace("</svg>", "<script>alert(1)</script></svg>"),
    });
    assert.match(contentErrorOf(dir).message, /chup-anh\.svg: không phải SVG đơn giản/);
  });

  test("the server does not start, and `bdhvs serve` exits 1 with the message", async () => {
    const dir = contentCopy({
      "outlines.json": (s) => s.replace('"group": "student"', '"group": "hoc-sinh"'),
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-content-data-"));
    temps.push(dataDir);
    const config = loadConfig({ LOG_LEVEL: "silent", CONTENT_DIR: dir }, { port: 0, dataDir });
    await assert.rejects(
      startServer({ config, logger: pino({ level: "silent" }) }),
      (e: Error) => e instanceof ContentError && e.message.includes(path.join(dir, "outlines.json")),
    );
    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/bin.ts", "serve", "--port", "0", "--data-dir", dataDir],
      { env: { ...process.env, CONTENT_DIR: dir, LOG_LEVEL: "silent" }, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(cli.status, 1, cli.stderr);
    assert.match(cli.stderr, /outlines\.json không hợp lệ:\n {2}dòng \d+, groups\[1\]\.group/);
  });
});

describe("JSON lines", () => {
  test("a path's line: keys, array elements, and the object that lacks a key", () => {
    const text = '{\n  "a": [\n    { "x": 1 },\n    {\n      "y": "}{"\n    }\n  ],\n  "b": 2\n}';
    assert.equal(lineOfPath(text, ["b"]), 8);
    assert.equal(lineOfPath(text, ["a", 1, "y"]), 5);
    assert.equal(lineOfPath(text, ["a", 1, "missing"]), 4);
    assert.equal(lineOfPath(text, ["a", 0]), 3);
  });
});

describe("self-assessment scoring", () => {
  const content = loadContent();
  const quiz = content.quizzes.get("resident")!;
  const group = content.framework.groups.find((g) => g.code === "resident")!;

  test("answers travel as one digit a question; anything else is refused", () => {
    assert.deepEqual(parseAnswers(quiz, "012"), [0, 1, 2]);
    assert.deepEqual(parseAnswers(quiz, ""), []);
    assert.equal(parseAnswers(quiz, "0a"), undefined);
    assert.equal(parseAnswers(quiz, "9"), undefined); // question 1 has 3 answers
    assert.equal(parseAnswers(quiz, "0".repeat(quiz.questions.length + 1)), undefined);
  });

  test("all best answers: every domain at the basic level, nothing to review", () => {
    const best = quiz.questions.map((q) => (q.kind === "self" ? 0 : q.options.findIndex((o) => o.correct)));
    const r = scoreQuiz({ quiz, group, content, answers: best });
    assert.equal(r.domains.length, group.domains.length);
    assert.ok(r.domains.every((d) => d.level === "basic"));
    assert.equal(r.toReview.length, 0);
    assert.equal(r.lessons.length, 0);
  });

  test("weak answers: low levels, the knowledge questions to review, at most five lessons", () => {
    const worst = quiz.questions.map((q) => (q.kind === "self" ? 2 : q.options.findIndex((o) => !o.correct)));
    const r = scoreQuiz({ quiz, group, content, answers: worst });
    assert.ok(r.domains.every((d) => d.level === "start"));
    assert.equal(r.toReview.length, quiz.questions.filter((q) => q.kind === "knowledge").length);
    assert.equal(r.lessons.length, 5);
    assert.equal(levelOf(0.5), "progress");
  });

  test("only the safety questions wrong: safety alone is low, and its lesson comes first", () => {
    const answers = quiz.questions.map((q) =>
      q.kind === "self" ? 0 : q.options.findIndex((o) => (q.domain === "safety" ? !o.correct : o.correct)),
    );
    const r = scoreQuiz({ quiz, group, content, answers });
    assert.deepEqual(
      r.domains.filter((d) => d.level !== "basic").map((d) => [d.code, d.level]),
      [["safety", "start"]],
    );
    assert.equal(r.lessons[0]?.slug, "phong-lua-dao");
    assert.deepEqual(
      r.toReview.map((x) => x.question.domain),
      ["safety", "safety", "safety"],
    );
  });
});
