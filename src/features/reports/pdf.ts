/**
 * The report as a PDF drawn by the project itself (pdfmake 0.3 on Node, the Tinos font embedded),
 * so no office suite is needed: the same content, order and page geometry as the DOCX — header
 * block, title, sections, "Nơi nhận" and signature on portrait pages, then the appendix on landscape
 * pages numbered on their own; charts as vector SVG.
 */
import { createRequire } from "node:module";
import { TINOS, TINOS_FILES } from "./fonts.ts";
import { communeCell, type Fmt, reportFormatter } from "./format.ts";
import {
  APPENDIX_WIDTH,
  BODY_WIDTH,
  CLOSING_COLUMNS,
  capsWidthMm,
  chartSizeMm,
  HEADER_COLUMNS,
  INDICATOR_COLUMNS,
  LAGGING_COLUMNS,
  PAGE,
  SIZE,
  SLOGAN_WIDTH_MM,
  villageColumns,
} from "./layout.ts";
import type { ReportModel } from "./model.ts";

/*
 * pdfmake's document tree, typed loosely here: @types/pdfmake starts with `/// <reference lib="dom" />`,
 * which would pull the DOM's types into the whole program (and break Node code elsewhere).
 */
type Content = string | Content[] | { [key: string]: unknown };
type DynamicContent = (page: number, pages: number) => Content | null;
type CustomTableLayout = Record<string, (i: number) => number>;
type PageBreakInfo = { headlineLevel?: number };
type PdfMake = {
  setFonts(
    fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>,
  ): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (file: string) => boolean): void;
  createPdf(doc: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
};

// pdfmake's Node entry is a CommonJS singleton (`module.exports = new pdfmake()`).
const pdfMake = createRequire(import.meta.url)("pdfmake") as PdfMake;
pdfMake.setFonts({ Tinos: { ...TINOS } });
// Nothing is fetched: the only files pdfmake may open are the fonts; no URL at all.
pdfMake.setUrlAccessPolicy(() => false);
pdfMake.setLocalAccessPolicy((file) => TINOS_FILES.includes(file));

/** Millimetres to points. */
const pt = (mm: number) => (mm * 72) / 25.4;

const GRID: CustomTableLayout = {
  hLineWidth: () => 0.6,
  vLineWidth: () => 0.6,
  paddingLeft: () => pt(1.2),
  paddingRight: () => pt(1.2),
  paddingTop: () => pt(0.8),
  paddingBottom: () => pt(0.8),
};

/** A horizontal rule `widthMm` long centred in a column `columnMm` wide. */
function rule(widthMm: number, columnMm: number, gapPt = 2): Content {
  const x1 = pt(Math.max(0, (columnMm - widthMm) / 2));
  return {
    canvas: [{ type: "line", x1, y1: 0, x2: x1 + pt(widthMm), y2: 0, lineWidth: 0.6 }],
    margin: [0, gapPt, 0, 0],
  };
}

function headerBlock(model: ReportModel, f: Fmt): Content {
  const [leftMm, rightMm] = HEADER_COLUMNS;
  const issuer = model.issuer.map((l) => l.toLocaleUpperCase("vi"));
  const last = issuer[issuer.length - 1] ?? "";
  return {
    columnGap: 0,
    columns: [
      {
        width: pt(leftMm),
        stack: [
          ...issuer.map(
            (line, i): Content => ({
              text: line,
              fontSize: SIZE.issuer,
              bold: i === issuer.length - 1,
              alignment: "center",
            }),
          ),
          rule(Math.max(12, Math.min(leftMm * 0.8, capsWidthMm(last, SIZE.issuer) * 0.4)), leftMm),
          { text: model.number, fontSize: SIZE.number, alignment: "center", margin: [0, 6, 0, 0] },
        ],
      },
      {
        width: pt(rightMm),
        stack: [
          {
            text: f.t("reportdoc.motto_country"),
            fontSize: SIZE.mottoCountry,
            bold: true,
            alignment: "center",
          },
          {
            text: f.t("reportdoc.motto_slogan"),
            fontSize: SIZE.mottoSlogan,
            bold: true,
            alignment: "center",
          },
          rule(SLOGAN_WIDTH_MM, rightMm, 1),
          {
            text: f.placeDate(model.place, model.signedOn),
            fontSize: SIZE.placeDate,
            italics: true,
            alignment: "center",
            margin: [0, 8, 0, 0],
          },
        ],
      },
    ],
  };
}

function titleBlock(model: ReportModel): Content[] {
  return [
    {
      text: model.title.toLocaleUpperCase("vi"),
      bold: true,
      fontSize: SIZE.title,
      alignment: "center",
      margin: [0, 18, 0, 0],
    },
    { text: model.subject, bold: true, fontSize: SIZE.title, alignment: "center" },
    rule(40, BODY_WIDTH, 3),
    { text: "", margin: [0, 6, 0, 0] },
  ];
}

/**
 * A justified paragraph. pdfmake spreads a justified line's slack over every break opportunity —
 * also after "/" and "-", turning "63/KH-UBND" into "63/ KH-UBND" — so the text is handed over
 * as words that only break at spaces.
 */
const words = (text: string): Content[] =>
  text.split(/(?<= )/).map((w): Content => ({ text: w, noWrap: true }));

const paragraph = (text: string): Content => ({
  text: words(text),
  alignment: "justify",
  leadingIndent: pt(12.7),
  margin: [0, 6, 0, 0],
});

function sections(model: ReportModel): Content[] {
  return model.sections.flatMap((s): Content[] => {
    const body = s.paragraphs.map(paragraph);
    if (!s.heading.trim()) return body;
    const heading: Content = {
      text: words(s.heading),
      bold: true,
      leadingIndent: pt(12.7),
      margin: [0, 6, 0, 0],
    };
    // A heading never ends a page: it stands with the first paragraph.
    return [{ stack: [heading, ...body.slice(0, 1)], unbreakable: true }, ...body.slice(1)];
  });
}

function closingBlock(model: ReportModel, f: Fmt): Content {
  const lines = model.recipients.map((l) => l.replace(/^\s*-\s*/, ""));
  const archive = f.t("reportdoc.archive");
  if (!lines.some((l) => /^Lưu\s*:/i.test(l) || l === archive)) lines.push(archive);
  const [leftMm] = CLOSING_COLUMNS;
  return {
    unbreakable: true,
    margin: [0, 14, 0, 0],
    columnGap: 0,
    columns: [
      {
        width: pt(leftMm),
        stack: [
          { text: f.t("reportdoc.recipients"), bold: true, italics: true, fontSize: SIZE.recipientsHeading },
          ...lines.map((l): Content => ({ text: `- ${l}`, fontSize: SIZE.recipients })),
        ],
      },
      {
        width: "*",
        stack: [
          ...model.signature.lines.map(
            (l): Content => ({ text: l.toLocaleUpperCase("vi"), bold: true, alignment: "center" }),
          ),
          { text: model.signature.name, bold: true, alignment: "center", margin: [0, 72, 0, 0] },
        ],
      },
    ],
  };
}

const cell = (text: string, more: Record<string, unknown> = {}) => ({
  text,
  fontSize: SIZE.table,
  verticalAlignment: "middle",
  ...more,
});
const centred = (text: string, more: Record<string, unknown> = {}) =>
  cell(text, { alignment: "center", ...more });
const headerCells = (texts: string[]) => texts.map((h) => centred(h, { bold: true }));

function dataTable(columnsMm: readonly number[], header: string[], rows: Content[][]): Content {
  return {
    layout: GRID,
    table: {
      headerRows: 1,
      dontBreakRows: true,
      // pdfmake adds each cell's padding and the rules to a column's width: take them off.
      widths: columnsMm.map((w) => pt(w) - pt(2.4) - 0.6),
      body: [headerCells(header), ...rows],
    },
  };
}

function indicatorTable(model: ReportModel, f: Fmt): Content {
  return dataTable(
    INDICATOR_COLUMNS,
    f.indicatorHeader(),
    model.indicators.map((ind) => [
      centred(String(ind.id)),
      cell(ind.title),
      cell(ind.responsible),
      cell(ind.cooperating.join("; ")),
      centred(f.target(ind)),
      centred(f.result(ind)),
      centred(f.fractionOf(ind)),
      centred(f.met(ind.met), { bold: !ind.met }),
    ]),
  );
}

function villageTable(model: ReportModel, f: Fmt): Content {
  const vt = model.villageTable;
  const cells = (values: (code: (typeof vt.codes)[number]) => [string, string], bold = false) =>
    vt.codes.map((code): Content => {
      const [value, fraction] = values(code);
      return {
        verticalAlignment: "middle",
        stack: [
          centred(value, { bold }),
          ...(fraction ? [centred(fraction, { bold, fontSize: SIZE.tableSmall })] : []),
        ],
      };
    });
  const rows: Content[][] = vt.rows.map((r, i) => [
    centred(String(i + 1)),
    cell(r.name),
    ...cells((code) => f.villageCell(code, r.values[code])),
  ]);
  rows.push([
    centred(""),
    cell(f.t("reportdoc.commune_total"), { bold: true }),
    ...cells((code) => f.villageCell(code, communeCell(model, code), true), true),
  ]);
  return dataTable(villageColumns(vt.codes.length), f.villageHeader(model), rows);
}

function laggingBlock(model: ReportModel, f: Fmt): Content {
  if (model.lagging.length === 0) return paragraph(f.t("reportdoc.lagging_none"));
  return dataTable(
    LAGGING_COLUMNS,
    [f.t("reportdoc.col_no"), f.t("reportdoc.col_village"), f.t("reportdoc.col_below")],
    model.lagging.map((l, i) => [
      centred(String(i + 1)),
      cell(l.village),
      { verticalAlignment: "middle", stack: l.below.map((b) => cell(`- ${f.below(b)}`)) },
    ]),
  );
}

/** Each chart with its caption on one page; the part heading goes with the first. */
function chartBlocks(model: ReportModel, f: Fmt, heading: Content): Content[] {
  return model.charts.map((chart, i): Content => {
    const size = chartSizeMm(chart.width, chart.height);
    return {
      unbreakable: true,
      margin: [0, i === 0 ? 0 : 12, 0, 0],
      stack: [
        ...(i === 0 ? [heading] : []),
        {
          svg: chart.svg.replace(/font-family="[^"]*"/g, 'font-family="Tinos"'),
          width: pt(size.width),
          alignment: "center",
        },
        {
          text: f.t("reportdoc.chart_caption", { n: i + 1, caption: chart.caption }),
          italics: true,
          fontSize: SIZE.caption,
          alignment: "center",
          margin: [0, 4, 0, 0],
        },
      ],
    };
  });
}

function appendix(model: ReportModel, f: Fmt): Content[] {
  const t = f.t;
  const part = (text: string, headline = true): Content => ({
    text,
    bold: true,
    margin: [0, 12, 0, 6],
    ...(headline ? { headlineLevel: 1 } : {}),
  });
  return [
    { text: t("reportdoc.appendix"), bold: true, alignment: "center" },
    { text: t("reportdoc.appendix_title"), bold: true, alignment: "center" },
    {
      text: t("reportdoc.appendix_of", { number: f.bareNumber(model.number), date: f.date(model.signedOn) }),
      italics: true,
      alignment: "center",
    },
    {
      text: t("reportdoc.appendix_period", { period: model.period.label, date: f.date(model.date) }),
      italics: true,
      alignment: "center",
    },
    rule(40, APPENDIX_WIDTH, 3),
    part(t("reportdoc.part_indicators")),
    indicatorTable(model, f),
    part(t("reportdoc.part_villages")),
    villageTable(model, f),
    part(t("reportdoc.part_lagging")),
    laggingBlock(model, f),
    ...chartBlocks(model, f, part(t("reportdoc.part_charts"), false)),
  ];
}

/** The page number, centred over the text at 10 mm from the top; none on the first page. */
function pageNumber(n: number): Content | null {
  if (n <= 1) return null;
  return {
    text: String(n),
    fontSize: SIZE.pageNumber,
    alignment: "center",
    margin: [pt(PAGE.left), pt(PAGE.header), pt(PAGE.right), 0],
  };
}

/** A draft's header: "DỰ THẢO" at the top right of every page, above the page number. */
function withDraftMark(model: ReportModel, f: Fmt, header: DynamicContent): DynamicContent {
  if (!model.draft) return header;
  return (page, pages) => {
    const under = header(page, pages);
    return {
      stack: [
        {
          text: f.t("reportdoc.draft_mark"),
          bold: true,
          fontSize: SIZE.body,
          alignment: "right",
          margin: [pt(PAGE.left), pt(PAGE.header) / 2, pt(PAGE.right), 0],
        },
        // The page number just under the mark, still above the text.
        under ? { ...(under as object), margin: [pt(PAGE.left), 0, pt(PAGE.right), 0] } : { text: "" },
      ],
    };
  };
}

/**
 * The appendix numbers its own pages. pdfmake hands a header the document's page number and asks
 * for headers in page order once the content is laid out, so the first call is the appendix's first
 * page (a new layout pass, after a heading was moved to the next page, starts over).
 */
function appendixNumbers(): DynamicContent {
  let start = 0;
  let last = 0;
  return (page) => {
    if (start === 0 || page <= last) start = page;
    last = page;
    return pageNumber(page - start + 1);
  };
}

export async function renderPdf(model: ReportModel): Promise<Buffer> {
  const f = reportFormatter(model.lang, model.level);
  const margins: [number, number, number, number] = [
    pt(PAGE.left),
    pt(PAGE.top),
    pt(PAGE.right),
    pt(PAGE.bottom),
  ];
  const footer: DynamicContent | undefined =
    model.version === undefined
      ? undefined
      : () => ({
          text: f.t("reportdoc.version", { version: model.version! }),
          fontSize: 10,
          italics: true,
          alignment: "right",
          margin: [pt(PAGE.left), pt(PAGE.bottom) / 2, pt(PAGE.right), 0],
        });
  const doc = {
    info: {
      title: `${model.title} ${model.subject}`,
      subject: model.subject,
      author: model.issuer.join(" - "),
    },
    language: model.lang === "vi" ? "vi-VN" : "en-GB",
    pageSize: "A4",
    pageMargins: margins,
    defaultStyle: { font: "Tinos", fontSize: SIZE.body },
    content: [
      {
        section: [headerBlock(model, f), ...titleBlock(model), ...sections(model), closingBlock(model, f)],
        pageOrientation: "portrait",
        header: withDraftMark(model, f, (page: number) => pageNumber(page)),
        ...(footer ? { footer } : {}),
      },
      {
        section: appendix(model, f),
        pageOrientation: "landscape",
        header: withDraftMark(model, f, appendixNumbers()),
        ...(footer ? { footer } : {}),
      },
    ],
    // A part heading at the foot of a page goes to the next one, with its table.
    pageBreakBefore: (node: PageBreakInfo, nodes: { getFollowingNodesOnPage(): unknown[] }) =>
      node.headlineLevel === 1 && nodes.getFollowingNodesOnPage().length === 0,
  };
  return pdfMake.createPdf(doc).getBuffer();
}
