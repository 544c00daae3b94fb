import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_CONTENT_DIR } from "../../config.ts";
import { AUDIENCES } from "../../db/schema.ts";
import { DataFileError, type DataIssue, issueLines, parseJsonText } from "../../lib/json-file.ts";

/**
 * The public pages' content (SPEC §4.1) is data an officer can update without code, in `content/`:
 * `framework.json` (the skills framework: target groups, domains, components, what "basic" means),
 * `outlines.json` (each group's course outline and handbook), `lessons/*.json` (one lesson a file),
 * `quizzes/*.json` (one self-assessment a group) and `images/*.svg` (the lessons' drawings).
 * Everything is checked when the server starts; a file that cannot be used stops the start with
 * the file and the line.
 */
export type Audience = (typeof AUDIENCES)[number];

export class ContentError extends DataFileError {}

const Text = z.string().trim().min(1);
const Slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "chữ thường không dấu, số và dấu gạch ngang");
const Paragraphs = z.array(Text).default([]);
const Url = z
  .string()
  .url()
  .refine((u) => u.startsWith("https://"), "một địa chỉ https://");

/** Optional English of a content text's parts: shown with the English interface, else the Vietnamese. */
const english = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape).partial().optional();

const ZFramework = z.strictObject({
  title: Text,
  en: english({ title: Text, intro: z.array(Text) }),
  /** Where the framework comes from, and what is paraphrased. */
  sources: z.array(Text).min(1),
  intro: Paragraphs,
  /** The levels of the students' framework (Circular 02/2025/TT-BGDĐT): basic … specialist. */
  levels: z
    .array(
      z.strictObject({
        code: Slug,
        name: Text,
        description: Text,
        en: english({ name: Text, description: Text }),
      }),
    )
    .min(1),
  domains: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[a-z_]+$/),
        name: Text,
        summary: Text,
        en: english({ name: Text, summary: Text }),
      }),
    )
    .min(1),
  groups: z
    .array(
      z.strictObject({
        code: z.enum(AUDIENCES),
        slug: Slug,
        name: Text,
        /** Who the group is, in plain words. */
        who: Text,
        en: english({ name: Text, who: Text, basic: z.array(Text) }),
        /** The document the group's part comes from. */
        basis: Text,
        /** What "basic digital skills" means for this group. */
        basic: Paragraphs,
        domains: z
          .array(
            z.strictObject({
              code: z.string(),
              components: z
                .array(
                  z.strictObject({
                    code: z.string().regex(/^\d+\.\d+$/, "số thứ tự dạng 1.2"),
                    name: Text,
                    /** What someone at the basic level can do, in plain words. */
                    basic: Text,
                  }),
                )
                .min(1),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type Framework = z.infer<typeof ZFramework>;
export type FrameworkGroup = Framework["groups"][number];

const ZImage = z.strictObject({
  src: z.string().regex(/^[a-z0-9-]+\.svg$/, "tên tệp trong content/images, dạng ten-hinh.svg"),
  /** What the picture shows, read aloud by screen readers. */
  alt: Text,
  en: english({ alt: Text }),
});

const ZLesson = z.strictObject({
  slug: Slug,
  title: Text,
  summary: Text,
  en: english({
    title: Text,
    summary: Text,
    intro: z.array(Text),
    warnings: z.array(Text),
    remember: z.array(Text),
  }),
  minutes: z.number().int().min(1).max(240),
  groups: z.array(z.enum(AUDIENCES)).min(1),
  domains: z.array(z.string()).min(1),
  intro: Paragraphs,
  sections: z
    .array(
      z.strictObject({
        title: Text,
        en: english({ title: Text }),
        steps: z
          .array(
            z.strictObject({
              text: Text,
              image: ZImage.optional(),
              tip: Text.optional(),
              en: english({ text: Text, tip: Text }),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
  /** Dangers to mind: shown in a warning box. */
  warnings: Paragraphs,
  /** What to remember: a short list at the end. */
  remember: z.array(Text).min(1),
  /** Courses of the national platform that go further. */
  links: z.array(z.strictObject({ title: Text, url: Url, en: english({ title: Text }) })).default([]),
});
/** `textLang: "en"`: the English of a file, as `contentIn` gives it to the English pages. */
type InLanguage = { textLang?: "en" };
export type Lesson = z.infer<typeof ZLesson> & InLanguage;

const ZOutlines = z.strictObject({
  platform: z.strictObject({ name: Text, url: Url, en: english({ name: Text }) }),
  groups: z
    .array(
      z.strictObject({
        group: z.enum(AUDIENCES),
        title: Text,
        intro: Paragraphs,
        en: english({ title: Text, intro: z.array(Text) }),
        modules: z
          .array(
            z.strictObject({
              title: Text,
              goal: Text,
              en: english({ title: Text, goal: Text }),
              lessons: z.array(Slug).min(1),
            }),
          )
          .min(1),
        handbook: z.strictObject({
          title: Text,
          foreword: Paragraphs,
          en: english({ title: Text, foreword: z.array(Text) }),
        }),
      }),
    )
    .min(1),
});
type OutlinesFile = z.infer<typeof ZOutlines>;
export type Outline = OutlinesFile["groups"][number] & InLanguage;
export type Outlines = Omit<OutlinesFile, "groups"> & { groups: Outline[] };

const ZQuestion = z.discriminatedUnion("kind", [
  z.strictObject({
    id: Slug,
    kind: z.literal("self"),
    domain: z.string(),
    /** "Can you …?" answered alone / with help / not yet. */
    text: Text,
    en: english({ text: Text }),
    lessons: z.array(Slug).min(1),
  }),
  z.strictObject({
    id: Slug,
    kind: z.literal("knowledge"),
    domain: z.string(),
    text: Text,
    options: z
      .array(z.strictObject({ text: Text, correct: z.boolean().optional(), en: english({ text: Text }) }))
      .min(2)
      .max(5),
    /** Why the right answer is right: shown with the result. */
    explain: Text,
    en: english({ text: Text, explain: Text }),
    lessons: z.array(Slug).min(1),
  }),
]);
export type Question = z.infer<typeof ZQuestion>;

const ZQuiz = z.strictObject({
  group: z.enum(AUDIENCES),
  title: Text,
  intro: Paragraphs,
  en: english({ title: Text, intro: z.array(Text) }),
  questions: z.array(ZQuestion).min(10).max(20),
});
export type Quiz = z.infer<typeof ZQuiz> & InLanguage;

export type ContentImage = { name: string; svg: string; hash: string };

export type Content = {
  dir: string;
  framework: Framework;
  outlines: Outlines;
  lessons: Map<string, Lesson>;
  quizzes: Map<Audience, Quiz>;
  images: Map<string, ContentImage>;
  /** Group by its URL slug. */
  groupBySlug: Map<string, FrameworkGroup>;
};

const LABEL = "Tệp nội dung";
const make = (m: string) => new ContentError(m);

/** Reads and checks one JSON file of the content folder; `rel` names it in messages. */
function readContentFile<S extends z.ZodType>(
  dir: string,
  rel: string,
  schema: S,
): { data: z.infer<S>; text: string } {
  const file = path.join(dir, rel);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw make(`Không đọc được tệp nội dung ${file}: ${(err as Error).message}`);
  }
  return { data: parseJsonText(text, file, schema, { label: LABEL, make }), text };
}

/** Problems found across files (a lesson that does not exist …), gathered per file. */
class Problems {
  private byFile = new Map<string, { text: string; issues: DataIssue[] }>();
  add(file: string, text: string, path: readonly PropertyKey[], message: string) {
    const entry = this.byFile.get(file) ?? { text, issues: [] };
    entry.issues.push({ path, message });
    this.byFile.set(file, entry);
  }
  throwIfAny() {
    if (this.byFile.size === 0) return;
    const parts = [...this.byFile].map(
      ([file, { text, issues }]) => `${LABEL} ${file} không hợp lệ:\n${issueLines(text, issues).join("\n")}`,
    );
    throw make(parts.join("\n"));
  }
}

/** The texts of lessons, quizzes and outlines that an English part translates (`en` beside them). */
const TRANSLATED = [
  "title",
  "summary",
  "intro",
  "text",
  "tip",
  "alt",
  "warnings",
  "remember",
  "name",
  "goal",
  "foreword",
  "explain",
] as const;

function hasEnglish(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasEnglish);
  if (!v || typeof v !== "object") return false;
  return "en" in v || Object.values(v).some(hasEnglish);
}

/**
 * English is optional, but a file that has some has it all: every text keeps its English beside it
 * (`"en": { … }`), a list of paragraphs as many in English as in Vietnamese; so an English page never
 * shows one Vietnamese step among English ones. Each gap is reported with its place in the file.
 */
function checkEnglish(problems: Problems, file: string, text: string, data: unknown) {
  if (!hasEnglish(data)) return;
  const walk = (v: unknown, at: PropertyKey[]): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        walk(x, [...at, i]);
      });
      return;
    }
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    const en = o.en as Record<string, unknown> | undefined;
    const keys = TRANSLATED.filter(
      (k) => typeof o[k] === "string" || (Array.isArray(o[k]) && o[k].length > 0),
    );
    if (keys.length > 0 && !en)
      problems.add(
        file,
        text,
        [...at, "en"],
        `thiếu phần tiếng Anh "en" (${keys.join(", ")}): tệp đã có tiếng Anh thì cần đủ`,
      );
    else
      for (const k of keys) {
        const vi = o[k];
        const x = en?.[k];
        if (x === undefined) problems.add(file, text, [...at, "en"], `"en" thiếu "${k}"`);
        else if (Array.isArray(vi) && Array.isArray(x) && vi.length !== x.length)
          problems.add(
            file,
            text,
            [...at, "en", k],
            `tiếng Anh có ${x.length} đoạn, tiếng Việt có ${vi.length}`,
          );
      }
    for (const [k, x] of Object.entries(o)) if (k !== "en") walk(x, [...at, k]);
  };
  walk(data, []);
}

const UNSAFE_SVG =
  /<script|\son[a-z]+\s*=|javascript:|<foreignObject|(?:href|src)\s*=\s*["'](?:https?:|\/\/)/i;
const MAX_IMAGE_BYTES = 12 * 1024;

/** Reads and checks the whole content folder. */
export function loadContent(dir = DEFAULT_CONTENT_DIR): Content {
  const problems = new Problems();
  const fw = readContentFile(dir, "framework.json", ZFramework);
  const framework = fw.data;
  const fwFile = path.join(dir, "framework.json");
  const domainCodes = new Set(framework.domains.map((d) => d.code));
  const seenGroups = new Set<string>();
  framework.groups.forEach((g, gi) => {
    if (seenGroups.has(g.code))
      problems.add(fwFile, fw.text, ["groups", gi, "code"], `nhóm ${g.code} lặp lại`);
    seenGroups.add(g.code);
    const comps = new Set<string>();
    g.domains.forEach((d, di) => {
      if (!domainCodes.has(d.code))
        problems.add(
          fwFile,
          fw.text,
          ["groups", gi, "domains", di, "code"],
          `không có lĩnh vực ${d.code} trong "domains"`,
        );
      d.components.forEach((c, ci) => {
        if (comps.has(c.code))
          problems.add(
            fwFile,
            fw.text,
            ["groups", gi, "domains", di, "components", ci, "code"],
            `thành phần ${c.code} lặp lại`,
          );
        comps.add(c.code);
      });
    });
  });
  for (const code of AUDIENCES)
    if (!seenGroups.has(code)) problems.add(fwFile, fw.text, ["groups"], `thiếu nhóm đối tượng ${code}`);
  const slugs = new Set<string>();
  framework.groups.forEach((g, gi) => {
    if (slugs.has(g.slug)) problems.add(fwFile, fw.text, ["groups", gi, "slug"], `slug ${g.slug} lặp lại`);
    slugs.add(g.slug);
  });
  const groupOf = new Map(framework.groups.map((g) => [g.code, g]));

  // Images: small SVG drawings with no script or outside reference.
  const images = new Map<string, ContentImage>();
  const imageDir = path.join(dir, "images");
  if (fs.existsSync(imageDir)) {
    for (const name of fs.readdirSync(imageDir).sort()) {
      if (!name.endsWith(".svg")) continue;
      const file = path.join(imageDir, name);
      const svg = fs.readFileSync(file, "utf8");
      if (!svg.includes("<svg") || UNSAFE_SVG.test(svg))
        throw make(
          `Tệp hình ${file}: không phải SVG đơn giản (không được có script, sự kiện hay liên kết ra ngoài).`,
        );
      if (Buffer.byteLength(svg) > MAX_IMAGE_BYTES)
        throw make(`Tệp hình ${file}: quá lớn (tối đa ${MAX_IMAGE_BYTES / 1024} KB).`);
      images.set(name, { name, svg, hash: createHash("sha256").update(svg).digest("hex").slice(0, 10) });
    }
  }

  // Lessons: one a file, named by its slug.
  const lessons = new Map<string, Lesson>();
  const lessonDir = path.join(dir, "lessons");
  const lessonFiles = fs.existsSync(lessonDir)
    ? fs
        .readdirSync(lessonDir)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  if (lessonFiles.length === 0) throw make(`Thư mục nội dung ${lessonDir}: chưa có bài học nào (*.json).`);
  for (const name of lessonFiles) {
    const rel = path.join("lessons", name);
    const file = path.join(dir, rel);
    const { data, text } = readContentFile(dir, rel, ZLesson);
    checkEnglish(problems, file, text, data);
    if (`${data.slug}.json` !== name)
      problems.add(file, text, ["slug"], `slug phải trùng tên tệp (${name.replace(/\.json$/, "")})`);
    data.domains.forEach((d, i) => {
      if (!domainCodes.has(d))
        problems.add(file, text, ["domains", i], `không có lĩnh vực ${d} trong framework.json`);
    });
    data.sections.forEach((s, si) => {
      s.steps.forEach((st, sti) => {
        if (st.image && !images.has(st.image.src))
          problems.add(
            file,
            text,
            ["sections", si, "steps", sti, "image", "src"],
            `không có hình ${st.image.src} trong images/`,
          );
      });
    });
    lessons.set(data.slug, data);
  }

  const ol = readContentFile(dir, "outlines.json", ZOutlines);
  const olFile = path.join(dir, "outlines.json");
  checkEnglish(problems, olFile, ol.text, ol.data);
  const outlined = new Set<string>();
  ol.data.groups.forEach((g, gi) => {
    if (outlined.has(g.group))
      problems.add(olFile, ol.text, ["groups", gi, "group"], `nhóm ${g.group} lặp lại`);
    outlined.add(g.group);
    g.modules.forEach((m, mi) => {
      m.lessons.forEach((slug, li) => {
        const lesson = lessons.get(slug);
        if (!lesson)
          problems.add(
            olFile,
            ol.text,
            ["groups", gi, "modules", mi, "lessons", li],
            `không có bài ${slug} trong lessons/`,
          );
        else if (!lesson.groups.includes(g.group))
          problems.add(
            olFile,
            ol.text,
            ["groups", gi, "modules", mi, "lessons", li],
            `bài ${slug} không ghi nhóm ${g.group} trong "groups"`,
          );
      });
    });
  });
  for (const code of AUDIENCES)
    if (!outlined.has(code)) problems.add(olFile, ol.text, ["groups"], `thiếu đề cương cho nhóm ${code}`);

  // Quizzes: one a group, each question tied to one of the group's domains.
  const quizzes = new Map<Audience, Quiz>();
  const quizDir = path.join(dir, "quizzes");
  const quizFiles = fs.existsSync(quizDir)
    ? fs
        .readdirSync(quizDir)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  for (const name of quizFiles) {
    const rel = path.join("quizzes", name);
    const file = path.join(dir, rel);
    const { data, text } = readContentFile(dir, rel, ZQuiz);
    checkEnglish(problems, file, text, data);
    const group = groupOf.get(data.group);
    if (quizzes.has(data.group))
      problems.add(file, text, ["group"], `đã có bài tự đánh giá khác cho nhóm ${data.group}`);
    const groupDomains = new Set(group?.domains.map((d) => d.code));
    const ids = new Set<string>();
    data.questions.forEach((q, qi) => {
      if (ids.has(q.id)) problems.add(file, text, ["questions", qi, "id"], `câu ${q.id} lặp lại`);
      ids.add(q.id);
      if (!groupDomains.has(q.domain))
        problems.add(
          file,
          text,
          ["questions", qi, "domain"],
          `nhóm ${data.group} không có lĩnh vực ${q.domain}`,
        );
      if (q.kind === "knowledge" && q.options.filter((o) => o.correct).length !== 1)
        problems.add(file, text, ["questions", qi, "options"], 'cần đúng một đáp án có "correct": true');
      q.lessons.forEach((slug, li) => {
        if (!lessons.has(slug))
          problems.add(file, text, ["questions", qi, "lessons", li], `không có bài ${slug} trong lessons/`);
      });
    });
    for (const d of groupDomains)
      if (!data.questions.some((q) => q.domain === d))
        problems.add(file, text, ["questions"], `chưa có câu hỏi nào cho lĩnh vực ${d}`);
    quizzes.set(data.group, data);
  }
  for (const code of AUDIENCES)
    if (!quizzes.has(code)) problems.add(quizDir, "", [], `thiếu bài tự đánh giá cho nhóm ${code}`);

  problems.throwIfAny();
  return {
    dir,
    framework,
    outlines: ol.data,
    lessons,
    quizzes,
    images,
    groupBySlug: new Map(framework.groups.map((g) => [g.slug, g])),
  };
}

const loaded = new Map<string, Content>();
/** The content of a folder, read and checked once (the server checks it at start). */
export function currentContent(dir = DEFAULT_CONTENT_DIR): Content {
  let c = loaded.get(dir);
  if (!c) {
    c = loadContent(dir);
    loaded.set(dir, c);
  }
  return c;
}

/** The English of a text when it has one, else its Vietnamese. */
const pick = (vi: string, en: string | undefined) => en ?? vi;
const pickAll = (vi: string[], en: string[] | undefined) => (en?.length ? en : vi);

function lessonInEnglish(l: Lesson): Lesson {
  if (!hasEnglish(l)) return l;
  return {
    ...l,
    title: pick(l.title, l.en?.title),
    summary: pick(l.summary, l.en?.summary),
    intro: pickAll(l.intro, l.en?.intro),
    sections: l.sections.map((s) => ({
      ...s,
      title: pick(s.title, s.en?.title),
      steps: s.steps.map((st) => ({
        ...st,
        text: pick(st.text, st.en?.text),
        ...(st.tip ? { tip: pick(st.tip, st.en?.tip) } : {}),
        ...(st.image ? { image: { ...st.image, alt: pick(st.image.alt, st.image.en?.alt) } } : {}),
      })),
    })),
    warnings: pickAll(l.warnings, l.en?.warnings),
    remember: pickAll(l.remember, l.en?.remember),
    links: l.links.map((x) => ({ ...x, title: pick(x.title, x.en?.title) })),
    textLang: "en",
  };
}

function quizInEnglish(q: Quiz): Quiz {
  if (!hasEnglish(q)) return q;
  return {
    ...q,
    title: pick(q.title, q.en?.title),
    intro: pickAll(q.intro, q.en?.intro),
    questions: q.questions.map((x) =>
      x.kind === "self"
        ? { ...x, text: pick(x.text, x.en?.text) }
        : {
            ...x,
            text: pick(x.text, x.en?.text),
            explain: pick(x.explain, x.en?.explain),
            options: x.options.map((o) => ({ ...o, text: pick(o.text, o.en?.text) })),
          },
    ),
    textLang: "en",
  };
}

function outlineInEnglish(g: Outline): Outline {
  if (!hasEnglish(g)) return g;
  return {
    ...g,
    title: pick(g.title, g.en?.title),
    intro: pickAll(g.intro, g.en?.intro),
    modules: g.modules.map((m) => ({
      ...m,
      title: pick(m.title, m.en?.title),
      goal: pick(m.goal, m.en?.goal),
    })),
    handbook: {
      ...g.handbook,
      title: pick(g.handbook.title, g.handbook.en?.title),
      foreword: pickAll(g.handbook.foreword, g.handbook.en?.foreword),
    },
    textLang: "en",
  };
}

const inEnglish = new WeakMap<Content, Content>();
/**
 * The content as a page in `lang` shows it: in English, each lesson, quiz and outline that has its
 * English is given in English (marked `textLang: "en"`); the others, and everything in Vietnamese,
 * as written. The framework keeps its `en` parts, read field by field by the views.
 */
export function contentIn(content: Content, lang: "vi" | "en"): Content {
  if (lang !== "en") return content;
  let c = inEnglish.get(content);
  if (!c) {
    c = {
      ...content,
      outlines: {
        platform: {
          ...content.outlines.platform,
          name: pick(content.outlines.platform.name, content.outlines.platform.en?.name),
        },
        groups: content.outlines.groups.map(outlineInEnglish),
      },
      lessons: new Map([...content.lessons].map(([k, l]) => [k, lessonInEnglish(l)])),
      quizzes: new Map([...content.quizzes].map(([k, q]) => [k, quizInEnglish(q)])),
    };
    inEnglish.set(content, c);
  }
  return c;
}
