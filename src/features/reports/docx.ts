/**
 * The report as a Word document in the layout of Decree 30/2020/NĐ-CP: the header table (issuing
 * body and number on the left, national motto and place/date on the right), title and subject, the
 * body sections, "Nơi nhận" and the signature; then the appendix on landscape pages numbered on
 * their own (the 12 indicators, the villages, the lagging villages, the charts as PNG).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  ImageRun,
  type ISectionOptions,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  type ParagraphChild,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
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
import { svgToPng } from "./png.ts";

export const FONT = "Times New Roman";
/** Millimetres to twentieths of a point. */
export const tw = (mm: number) => Math.round((mm * 1440) / 25.4);
/** Points to half-points (docx run sizes). */
export const hp = (pt: number) => pt * 2;
/** Millimetres to the 96-dpi pixels docx sizes images in. */
const px = (mm: number) => Math.round((mm * 96) / 25.4);

type RunStyle = { bold?: boolean; italics?: boolean; size?: number };
export type ParaStyle = RunStyle & {
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  before?: number;
  after?: number;
  indent?: boolean;
  keepNext?: boolean;
  /** Exact line height in points (the motto block is set tight). */
  line?: number;
};

function run(text: string, s: RunStyle = {}): TextRun {
  return new TextRun({ text, bold: s.bold, italics: s.italics, size: s.size ? hp(s.size) : undefined });
}

export function para(text: string | ParagraphChild[], s: ParaStyle = {}): Paragraph {
  return new Paragraph({
    children: typeof text === "string" ? [run(text, s)] : text,
    alignment: s.align,
    keepNext: s.keepNext,
    indent: s.indent ? { firstLine: tw(12.7) } : undefined,
    spacing: {
      before: (s.before ?? 0) * 20,
      after: (s.after ?? 0) * 20,
      ...(s.line ? { line: s.line * 20, lineRule: LineRuleType.EXACT } : {}),
    },
  });
}

/**
 * A horizontal rule `widthMm` long, centred in a column `columnMm` wide, a little under the line
 * above: the bottom border of an empty paragraph 4 pt high.
 */
export function rule(widthMm: number, columnMm: number): Paragraph {
  const side = tw(Math.max(0, (columnMm - widthMm) / 2));
  return new Paragraph({
    children: [],
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 80, lineRule: LineRuleType.EXACT },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 0 } },
  });
}

const NO_MARGINS = { top: 0, bottom: 0, left: 0, right: 0 };

/** A table without borders that only places things side by side. */
function layoutTable(columnsMm: readonly number[], cells: Paragraph[][]): Table {
  return new Table({
    width: { size: tw(columnsMm.reduce((a, b) => a + b, 0)), type: WidthType.DXA },
    columnWidths: columnsMm.map(tw),
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        cantSplit: true,
        children: cells.map(
          (children, i) =>
            new TableCell({
              children,
              width: { size: tw(columnsMm[i]!), type: WidthType.DXA },
              margins: NO_MARGINS,
            }),
        ),
      }),
    ],
  });
}

/** A ruled data table; the first row is the header, repeated on each page. */
export function dataTable(columnsMm: readonly number[], header: string[], rows: Paragraph[][][]): Table {
  const cellMargins = { top: tw(0.8), bottom: tw(0.8), left: tw(1.2), right: tw(1.2) };
  const cell = (children: Paragraph[], i: number) =>
    new TableCell({
      children,
      width: { size: tw(columnsMm[i]!), type: WidthType.DXA },
      margins: cellMargins,
      verticalAlign: VerticalAlignTable.CENTER,
    });
  return new Table({
    width: { size: tw(columnsMm.reduce((a, b) => a + b, 0)), type: WidthType.DXA },
    columnWidths: columnsMm.map(tw),
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((h, i) =>
          cell([para(h, { bold: true, size: SIZE.table, align: AlignmentType.CENTER })], i),
        ),
      }),
      ...rows.map((cells) => new TableRow({ cantSplit: true, children: cells.map(cell) })),
    ],
  });
}

export const cellText = (text: string, s: ParaStyle = {}) =>
  para(text, { size: SIZE.table, align: AlignmentType.LEFT, ...s });
export const centred = (text: string, s: ParaStyle = {}) =>
  cellText(text, { align: AlignmentType.CENTER, ...s });

export function headerBlock(
  model: Pick<ReportModel, "issuer" | "number" | "place" | "signedOn">,
  f: Fmt,
): Table {
  const [leftMm, rightMm] = HEADER_COLUMNS;
  const issuer = model.issuer.map((line) => line.toLocaleUpperCase("vi"));
  const last = issuer[issuer.length - 1] ?? "";
  const left = [
    ...issuer.map((line, i) =>
      para(line, { size: SIZE.issuer, bold: i === issuer.length - 1, align: AlignmentType.CENTER, line: 16 }),
    ),
    rule(Math.max(12, Math.min(leftMm * 0.8, capsWidthMm(last, SIZE.issuer) * 0.4)), leftMm),
    para(model.number, { size: SIZE.number, align: AlignmentType.CENTER, before: 8 }),
  ];
  const sloganSide = tw(Math.max(0, (rightMm - SLOGAN_WIDTH_MM - 1) / 2));
  const right = [
    para(f.t("reportdoc.motto_country"), {
      size: SIZE.mottoCountry,
      bold: true,
      align: AlignmentType.CENTER,
      line: 16,
    }),
    new Paragraph({
      children: [run(f.t("reportdoc.motto_slogan"), { bold: true, size: SIZE.mottoSlogan })],
      alignment: AlignmentType.CENTER,
      indent: { left: sloganSide, right: sloganSide },
      spacing: { before: 0, after: 0, line: 17 * 20, lineRule: LineRuleType.EXACT },
      border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
    }),
    para(f.placeDate(model.place, model.signedOn), {
      size: SIZE.placeDate,
      italics: true,
      align: AlignmentType.CENTER,
      before: 8,
    }),
  ];
  return layoutTable(HEADER_COLUMNS, [left, right]);
}

export function titleBlock(model: Pick<ReportModel, "title" | "subject">): Paragraph[] {
  return [
    para(model.title.toLocaleUpperCase("vi"), {
      bold: true,
      size: SIZE.title,
      align: AlignmentType.CENTER,
      before: 18,
      keepNext: true,
    }),
    para(model.subject, { bold: true, size: SIZE.title, align: AlignmentType.CENTER, keepNext: true }),
    rule(40, BODY_WIDTH),
    para("", { size: 6 }),
  ];
}

function sections(model: ReportModel): Paragraph[] {
  return model.sections.flatMap((s) => [
    ...(s.heading.trim()
      ? [
          para(s.heading, {
            bold: true,
            size: SIZE.body,
            align: AlignmentType.JUSTIFIED,
            indent: true,
            before: 6,
            keepNext: true,
          }),
        ]
      : []),
    ...s.paragraphs.map((text) =>
      para(text, { size: SIZE.body, align: AlignmentType.JUSTIFIED, indent: true, before: 6 }),
    ),
  ]);
}

export function closingBlock(model: Pick<ReportModel, "recipients" | "signature">, f: Fmt): Table {
  const lines = model.recipients.map((l) => l.replace(/^\s*-\s*/, ""));
  const archive = f.t("reportdoc.archive");
  if (!lines.some((l) => /^Lưu\s*:/i.test(l) || l === archive)) lines.push(archive);
  const left = [
    para(f.t("reportdoc.recipients"), { bold: true, italics: true, size: SIZE.recipientsHeading, line: 14 }),
    ...lines.map((l) => para(`- ${l}`, { size: SIZE.recipients, line: 13 })),
  ];
  const right = [
    ...model.signature.lines.map((l) =>
      para(l.toLocaleUpperCase("vi"), { bold: true, size: SIZE.signature, align: AlignmentType.CENTER }),
    ),
    ...Array.from({ length: 5 }, () => para("", { size: SIZE.signature })),
    para(model.signature.name, { bold: true, size: SIZE.signature, align: AlignmentType.CENTER }),
  ];
  return layoutTable(CLOSING_COLUMNS, [left, right]);
}

function indicatorTable(model: ReportModel, f: Fmt): Table {
  return dataTable(
    INDICATOR_COLUMNS,
    f.indicatorHeader(),
    model.indicators.map((ind) => [
      [centred(String(ind.id))],
      [cellText(ind.title)],
      [cellText(ind.responsible)],
      [cellText(ind.cooperating.join("; "))],
      [centred(f.target(ind))],
      [centred(f.result(ind))],
      [centred(f.fractionOf(ind))],
      [centred(f.met(ind.met), { bold: !ind.met })],
    ]),
  );
}

function villageTable(model: ReportModel, f: Fmt): Table {
  const vt = model.villageTable;
  const header = f.villageHeader(model);
  const cells = (values: (code: (typeof vt.codes)[number]) => [string, string], bold = false) =>
    vt.codes.map((code) => {
      const [value, fraction] = values(code);
      return [
        centred(value, { bold }),
        ...(fraction ? [centred(fraction, { size: SIZE.tableSmall, bold })] : []),
      ];
    });
  const rows = vt.rows.map((r, i) => [
    [centred(String(i + 1))],
    [cellText(r.name)],
    ...cells((code) => f.villageCell(code, r.values[code])),
  ]);
  rows.push([
    [centred("")],
    [cellText(f.t("reportdoc.commune_total"), { bold: true })],
    ...cells((code) => f.villageCell(code, communeCell(model, code), true), true),
  ]);
  return dataTable(villageColumns(vt.codes.length), header, rows);
}

function laggingBlock(model: ReportModel, f: Fmt): (Paragraph | Table)[] {
  if (model.lagging.length === 0)
    return [para(f.t("reportdoc.lagging_none"), { size: SIZE.body, indent: true })];
  return [
    dataTable(
      LAGGING_COLUMNS,
      [f.t("reportdoc.col_no"), f.t("reportdoc.col_village"), f.t("reportdoc.col_below")],
      model.lagging.map((l, i) => [
        [centred(String(i + 1))],
        [cellText(l.village)],
        l.below.map((b) => cellText(`- ${f.below(b)}`)),
      ]),
    ),
  ];
}

async function chartBlocks(model: ReportModel, f: Fmt): Promise<Paragraph[]> {
  const out: Paragraph[] = [];
  for (const [i, chart] of model.charts.entries()) {
    const { png } = await svgToPng(chart.svg, 2);
    const size = chartSizeMm(chart.width, chart.height);
    const caption = f.t("reportdoc.chart_caption", { n: i + 1, caption: chart.caption });
    const data = chart.table.rows.map((r) => r.join(": ")).join("; ");
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        keepNext: true,
        spacing: { before: 240, after: 60 },
        children: [
          new ImageRun({
            type: "png",
            data: png,
            transformation: { width: px(size.width), height: px(size.height) },
            altText: { name: `chart-${i + 1}`, title: caption, description: `${caption}. ${data}` },
          }),
        ],
      }),
      para(caption, { italics: true, size: SIZE.caption, align: AlignmentType.CENTER }),
    );
  }
  return out;
}

function appendixBlocks(model: ReportModel, f: Fmt): (Paragraph | Table)[] {
  const t = f.t;
  const part = (text: string) =>
    para(text, { bold: true, size: SIZE.body, before: 12, after: 6, keepNext: true });
  return [
    para(t("reportdoc.appendix"), { bold: true, size: SIZE.title, align: AlignmentType.CENTER }),
    para(t("reportdoc.appendix_title"), { bold: true, size: SIZE.title, align: AlignmentType.CENTER }),
    para(t("reportdoc.appendix_of", { number: f.bareNumber(model.number), date: f.date(model.signedOn) }), {
      italics: true,
      size: SIZE.body,
      align: AlignmentType.CENTER,
    }),
    para(t("reportdoc.appendix_period", { period: model.period.label, date: f.date(model.date) }), {
      italics: true,
      size: SIZE.body,
      align: AlignmentType.CENTER,
    }),
    rule(40, APPENDIX_WIDTH),
    part(t("reportdoc.part_indicators")),
    indicatorTable(model, f),
    part(t("reportdoc.part_villages")),
    villageTable(model, f),
    part(t("reportdoc.part_lagging")),
    ...laggingBlock(model, f),
  ];
}

/** A draft's mark, at the top right of every page (first pages included). */
function draftMark(model: ReportModel, f: Fmt): Paragraph[] {
  if (!model.draft) return [];
  return [para(f.t("reportdoc.draft_mark"), { bold: true, size: SIZE.body, align: AlignmentType.RIGHT })];
}

/** Page numbers: centred at the top, none on a section's first page; a draft's mark on every page. */
function pageHeaders(model: ReportModel, f: Fmt) {
  return {
    default: new Header({
      children: [
        ...draftMark(model, f),
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ children: [PageNumber.CURRENT], size: hp(SIZE.pageNumber) })],
        }),
      ],
    }),
    first: new Header({ children: [...draftMark(model, f), new Paragraph({ children: [] })] }),
  };
}

function versionFooter(model: ReportModel, f: Fmt) {
  if (model.version === undefined) return undefined;
  const footer = new Footer({
    children: [
      para(f.t("reportdoc.version", { version: model.version }), {
        size: 10,
        italics: true,
        align: AlignmentType.RIGHT,
      }),
    ],
  });
  return { default: footer, first: footer };
}

/** The margins of every page of a report (and of the emulation's record), header and footer included. */
export const pageMargin = () => ({
  top: tw(PAGE.top),
  bottom: tw(PAGE.bottom),
  left: tw(PAGE.left),
  right: tw(PAGE.right),
  header: tw(PAGE.header),
  footer: tw(PAGE.header),
});

export async function renderDocx(model: ReportModel): Promise<Buffer> {
  const f = reportFormatter(model.lang, model.level);
  const margin = pageMargin();
  const footers = versionFooter(model, f);
  const charts = await chartBlocks(model, f);
  const body: ISectionOptions = {
    properties: {
      titlePage: true,
      page: { size: { width: tw(PAGE.width), height: tw(PAGE.height) }, margin },
    },
    headers: pageHeaders(model, f),
    ...(footers ? { footers } : {}),
    children: [
      headerBlock(model, f),
      ...titleBlock(model),
      ...sections(model),
      para(""),
      closingBlock(model, f),
    ],
  };
  const appendix: ISectionOptions = {
    properties: {
      titlePage: true,
      page: {
        // docx swaps width and height for a landscape page itself.
        size: { width: tw(PAGE.width), height: tw(PAGE.height), orientation: PageOrientation.LANDSCAPE },
        margin,
        pageNumbers: { start: 1 },
      },
    },
    headers: pageHeaders(model, f),
    ...(footers ? { footers } : {}),
    children: [
      ...appendixBlocks(model, f),
      ...(charts.length
        ? [
            para(f.t("reportdoc.part_charts"), { bold: true, size: SIZE.body, before: 12, keepNext: true }),
            ...charts,
          ]
        : []),
    ],
  };
  const doc = new Document({
    creator: model.issuer.join(" - "),
    title: `${model.title} ${model.subject}`,
    subject: model.subject,
    description: model.period.label,
    styles: {
      default: {
        document: {
          run: {
            font: FONT,
            size: hp(SIZE.body),
            language: { value: model.lang === "vi" ? "vi-VN" : "en-GB" },
          },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
    },
    sections: [body, appendix],
  });
  return Packer.toBuffer(doc);
}
