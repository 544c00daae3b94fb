import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import type { CommuneRow } from "../communes/repo.ts";
import type { Content, FrameworkGroup, Lesson, Outline } from "./content.ts";

/**
 * A group's handbook as an A4 PDF, to print at the commune office or pass on: the same lessons as
 * the handbook page, in Tinos (covers Vietnamese), the drawings rendered to PNG by resvg with the
 * same font (the PDF library's own SVG support has no Vietnamese glyphs).
 */

const require = createRequire(import.meta.url);

/**
 * The part of pdfmake's server API used here. Typed locally: @types/pdfmake is in package.json but
 * not in the installed node_modules, and the document definitions here are plain data.
 */
type PdfContent = Record<string, unknown> | string;
type TDocumentDefinitions = Record<string, unknown> & { content: PdfContent[] };
type PdfMake = {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
};
const pdfmake = require("pdfmake") as PdfMake;
const tinosDir = path.dirname(require.resolve("@expo-google-fonts/tinos/package.json"));
const TINOS = {
  normal: path.join(tinosDir, "400Regular/Tinos_400Regular.ttf"),
  bold: path.join(tinosDir, "700Bold/Tinos_700Bold.ttf"),
  italics: path.join(tinosDir, "400Regular_Italic/Tinos_400Regular_Italic.ttf"),
  bolditalics: path.join(tinosDir, "700Bold_Italic/Tinos_700Bold_Italic.ttf"),
};
pdfmake.setFonts({ Tinos: TINOS });
// Everything the document needs is given here: no file or URL is fetched.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((p) => Object.values(TINOS).includes(p));

const pngCache = new Map<string, string>();
/** A drawing as a PNG data URL, twice its size for print. */
function drawing(content: Content, name: string): string | undefined {
  const image = content.images.get(name);
  if (!image) return undefined;
  const key = `${name}:${image.hash}`;
  let url = pngCache.get(key);
  if (!url) {
    const svg = image.svg.replace(/font-family="[^"]*"/g, 'font-family="Tinos"');
    const png = new Resvg(svg, {
      fitTo: { mode: "width", value: 480 },
      font: { fontFiles: Object.values(TINOS), loadSystemFonts: false, defaultFontFamily: "Tinos" },
    })
      .render()
      .asPng();
    url = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
    pngCache.set(key, url);
  }
  return url;
}

function lessonBlocks(content: Content, lesson: Lesson, labels: PdfLabels): PdfContent[] {
  const out: PdfContent[] = [
    { text: lesson.title, style: "h2", id: lesson.slug, pageBreak: "before", tocItem: true },
    { text: lesson.summary, style: "lead" },
    ...lesson.intro.map((p) => ({ text: p, style: "p" })),
  ];
  for (const s of lesson.sections) {
    out.push({ text: s.title, style: "h3" });
    out.push({
      ol: s.steps.map((st) => {
        const parts: PdfContent[] = [{ text: st.text }];
        const img = st.image ? drawing(content, st.image.src) : undefined;
        if (img) parts.push({ image: img, width: 110, margin: [0, 4, 0, 4] });
        if (st.tip) parts.push({ text: st.tip, italics: true, margin: [8, 2, 0, 0] });
        return { stack: parts, margin: [0, 0, 0, 6] };
      }),
      margin: [0, 0, 0, 6],
    });
  }
  if (lesson.warnings.length > 0)
    out.push(
      box(
        labels.warning,
        lesson.warnings.map((w) => ({ text: w })),
        "#fff4c2",
      ),
    );
  out.push(box(labels.remember, [{ ul: lesson.remember }], "#f1f4f7"));
  if (lesson.links.length > 0)
    out.push({
      stack: [
        { text: labels.more, bold: true },
        { ul: lesson.links.map((l) => ({ text: `${l.title}: ${l.url}` })) },
      ],
      margin: [0, 6, 0, 0],
    });
  return out;
}

function box(title: string, body: PdfContent[], fill: string): PdfContent {
  return {
    table: {
      widths: ["*"],
      body: [[{ stack: [{ text: title, bold: true, margin: [0, 0, 0, 4] }, ...body] }]],
    },
    layout: {
      fillColor: () => fill,
      hLineWidth: () => 0,
      vLineWidth: (i: number) => (i === 0 ? 3 : 0),
      paddingLeft: () => 8,
      paddingRight: () => 8,
      paddingTop: () => 6,
      paddingBottom: () => 6,
    },
    margin: [0, 6, 0, 6],
  };
}

export type PdfLabels = {
  contents: string;
  basic: string;
  warning: string;
  remember: string;
  more: string;
  help: string;
  helpText: string[];
  page: (n: number, of: number) => string;
};

export async function handbookPdf(opts: {
  content: Content;
  group: FrameworkGroup;
  outline: Outline;
  commune: CommuneRow;
  labels: PdfLabels;
  /** The interface's language: with "en", what "basic" means is the framework's English when it has one. */
  lang?: "vi" | "en";
}): Promise<Buffer> {
  const { content, group, outline, commune, labels } = opts;
  const lessons = outline.modules.flatMap((m) => m.lessons.map((slug) => content.lessons.get(slug)!));
  const doc: TDocumentDefinitions = {
    pageSize: "A4",
    pageMargins: [56, 56, 56, 56],
    info: { title: outline.handbook.title, subject: outline.title, creator: "BDHVS" },
    defaultStyle: { font: "Tinos", fontSize: 13, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 22, bold: true, margin: [0, 0, 0, 8] },
      h2: { fontSize: 17, bold: true, margin: [0, 0, 0, 6] },
      h3: { fontSize: 14, bold: true, margin: [0, 8, 0, 4] },
      lead: { fontSize: 14, margin: [0, 0, 0, 6] },
      p: { margin: [0, 0, 0, 6] },
      muted: { color: "#454545" },
    },
    footer: (current: number, total: number) => ({
      text: labels.page(current, total),
      alignment: "center",
      fontSize: 10,
      margin: [0, 20, 0, 0],
    }),
    content: [
      { text: outline.handbook.title, style: "h1" },
      { text: `${commune.name}, ${commune.province}`, style: "muted", margin: [0, 0, 0, 12] },
      ...outline.handbook.foreword.map((p) => ({ text: p, style: "p" })),
      { text: labels.basic, style: "h3" },
      { ul: (opts.lang === "en" && group.en?.basic) || group.basic, margin: [0, 0, 0, 8] },
      { toc: { title: { text: labels.contents, style: "h3" } } },
      ...lessons.flatMap((l) => lessonBlocks(content, l, labels)),
      { text: labels.help, style: "h2", pageBreak: "before" },
      ...labels.helpText.map((p) => ({ text: p, style: "p" })),
      { text: content.outlines.platform.url, style: "p" },
      ...content.framework.sources.map((s) => ({ text: s, style: ["p", "muted"], fontSize: 11 })),
    ],
  };
  return pdfmake.createPdf(doc).getBuffer();
}
