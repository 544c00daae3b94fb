/**
 * The three report writers, on the fixture report: the DOCX's XML (unzipped here), the XLSX read
 * back with ExcelJS, the PDF's text through pdftotext, and the chart PNG decoded again. Expected
 * figures come from the fixture through the writers' own formatter, and a few are spelled out.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { Resvg } from "@resvg/resvg-js";
import ExcelJS from "exceljs";
import { reportFixture } from "./fixture.ts";
import { TINOS_FILES } from "./fonts.ts";
import { communeCell, reportFormatter } from "./format.ts";
import type { ReportModel } from "./model.ts";
import { svgToPng } from "./png.ts";
import {
  isReportFormat,
  REPORT_CONTENT_TYPES,
  REPORT_EXTENSIONS,
  REPORT_FORMATS,
  renderReport,
} from "./render.ts";

const run = promisify(execFile);

/** The entries of a zip held in memory, inflated (enough for the files docx and ExcelJS write). */
function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, "a zip: end of central directory");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const skip = nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    out.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + skip;
  }
  return out;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
/** The text of a piece of WordprocessingML: its <w:t> runs, paragraphs joined by a newline. */
const textOf = (xml: string) =>
  (xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [])
    .map((p) =>
      decode(
        (p.match(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, "")).join(""),
      ),
    )
    .join("\n");
const tables = (xml: string) => xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
const rowsOf = (tbl: string) => tbl.match(/<w:tr[ >][\s\S]*?<\/w:tr>/g) ?? [];
const cellsOf = (tr: string) => (tr.match(/<w:tc>[\s\S]*?<\/w:tc>/g) ?? []).map(textOf);
/** Twentieths of a point, as the writer rounds them. */
const tw = (mm: number) => Math.round((mm * 1440) / 25.4);

let dir = "";
const model = reportFixture("vi");
const f = reportFormatter("vi");
const files = new Map<string, Buffer>();

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-reportdocs-"));
  for (const format of REPORT_FORMATS) files.set(format, await renderReport(model, format));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("formats", () => {
  test("three formats with their content types and extensions", () => {
    assert.deepEqual([...REPORT_FORMATS], ["docx", "xlsx", "pdf"]);
    assert.equal(REPORT_CONTENT_TYPES.pdf, "application/pdf");
    assert.match(REPORT_CONTENT_TYPES.docx, /wordprocessingml/);
    assert.equal(REPORT_EXTENSIONS.xlsx, ".xlsx");
    assert.ok(isReportFormat("docx"));
    assert.ok(!isReportFormat("odt"));
  });

  test("the formatter writes figures the way official documents do", () => {
    const ind2 = model.indicators.find((i) => i.id === 2)!;
    assert.equal(f.result(ind2), "85,3%");
    assert.equal(f.fractionOf(ind2), "1.234/1.446");
    assert.equal(f.target(model.indicators.find((i) => i.id === 4)!), "95% (tối thiểu 80%)");
    assert.equal(f.target(model.indicators.find((i) => i.id === 11)!), "Không quá 0");
    assert.equal(f.result(model.indicators.find((i) => i.id === 5)!), "Chưa có số liệu");
    assert.equal(reportFormatter("en").result(ind2), "85.3%");
    // Decree 30: a 0 before days under 10 and months 1 and 2 only.
    assert.equal(f.placeDate("Tân Ninh", "2026-09-18"), "Tân Ninh, ngày 18 tháng 9 năm 2026");
    assert.equal(f.placeDate("Tân Ninh", "2026-02-05"), "Tân Ninh, ngày 05 tháng 02 năm 2026");
    assert.equal(f.placeDate("Tân Ninh", "2026-11-03"), "Tân Ninh, ngày 03 tháng 11 năm 2026");
    assert.equal(reportFormatter("en").placeDate("Tân Ninh", "2026-09-18"), "Tân Ninh, 18 September 2026");
  });
});

describe("DOCX", () => {
  let zip: Map<string, Buffer>;
  let doc = "";
  before(() => {
    zip = unzip(files.get("docx")!);
    doc = zip.get("word/document.xml")!.toString("utf8");
  });

  test("the header block: issuer, number, national motto, place and date; then the title", () => {
    const [header] = tables(doc);
    const [left, right] = cellsOf(rowsOf(header!)[0]!);
    assert.equal(left, "UBND XÃ TÂN NINH\n\nSố: 125/BC-UBND");
    assert.equal(
      right,
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTân Ninh, ngày 18 tháng 9 năm 2026",
    );
    // The body after the header table opens with the title and the subject.
    const after = textOf(doc.slice(doc.indexOf("</w:tbl>")))
      .trim()
      .split("\n");
    assert.deepEqual(after.slice(0, 2), ["BÁO CÁO", model.subject]);
    assert.ok(textOf(doc).includes("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
  });

  test("the appendix lists the 12 indicators with the formatted figures, under a repeated header row", () => {
    const table = tables(doc).find((t) => cellsOf(rowsOf(t)[0]!).includes("Đơn vị chủ trì"));
    assert.ok(table, "the indicator table");
    const rows = rowsOf(table);
    assert.match(rows[0]!, /<w:tblHeader\/>/);
    assert.deepEqual(cellsOf(rows[0]!), [
      "STT",
      "Chỉ tiêu",
      "Đơn vị chủ trì",
      "Đơn vị phối hợp",
      "Mục tiêu",
      "Kết quả",
      "Tử số/ Mẫu số",
      "Đánh giá",
    ]);
    const body = rows.slice(1).map(cellsOf);
    assert.equal(body.length, 12);
    body.forEach((cells, i) => {
      const ind = model.indicators[i]!;
      assert.deepEqual(cells, [
        String(ind.id),
        ind.title,
        ind.responsible,
        ind.cooperating.join("; "),
        f.target(ind),
        f.result(ind),
        f.fractionOf(ind),
        f.met(ind.met),
      ]);
    });
    assert.deepEqual(body[1]!.slice(4), ["100%", "85,3%", "1.234/1.446", "Chưa đạt"]);
    assert.deepEqual(body[4]!.slice(5), ["Chưa có số liệu", "0/0", "Chưa đạt"]);
    assert.deepEqual(body[6]!.slice(4), ["1", "1", "", "Đạt"]);
    assert.deepEqual(body[10]!.slice(4), ["Không quá 0", "0", "", "Đạt"]);
  });

  test("the village table: one row per village and the commune's total", () => {
    const table = tables(doc).find((t) => cellsOf(rowsOf(t)[0]!)[1] === "Thôn" && rowsOf(t).length > 10);
    assert.ok(table, "the village table");
    const rows = rowsOf(table).map(cellsOf);
    assert.equal(rows.length, 1 + model.villageTable.rows.length + 1);
    assert.equal(rows[0]![2], "3. Người lớn có kỹ năng số");
    const first = model.villageTable.rows[0]!;
    const [v, fr] = f.villageCell("adult_skills", first.values.adult_skills);
    assert.deepEqual(rows[1]!.slice(0, 3), ["1", first.name, `${v}\n${fr}`]);
    assert.equal(rows[1]![2], "81,7%\n1.398/1.712");
    assert.equal(rows[1]![4], "Có");
    const total = rows[rows.length - 1]!;
    assert.equal(total[1], "Toàn xã");
    const [tv, tf] = f.villageCell("adult_skills", communeCell(model, "adult_skills"), true);
    assert.equal(total[2], `${tv}\n${tf}`);
  });

  test("A4 portrait body, landscape appendix numbered on its own; Decree 30 margins; Times New Roman", () => {
    const sects = [...doc.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    assert.equal(sects.length, 2);
    const margins = `w:top="${tw(20)}" w:right="${tw(15)}" w:bottom="${tw(20)}" w:left="${tw(30)}"`;
    assert.match(sects[0]!, /<w:pgSz w:w="11906" w:h="16838"/);
    assert.match(sects[1]!, /<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/);
    for (const s of sects) {
      assert.ok(s.includes(margins), `margins in ${s}`);
      assert.match(s, /<w:titlePg\/>/);
      assert.match(s, /<w:headerReference w:type="first"/);
    }
    assert.match(sects[1]!, /<w:pgNumType w:start="1"/);
    // The default header holds a PAGE field, centred.
    const rel = /<w:headerReference w:type="default" r:id="([^"]+)"/.exec(sects[0]!)![1];
    const rels = zip.get("word/_rels/document.xml.rels")!.toString("utf8");
    const target = new RegExp(`Id="${rel}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
    const header = zip.get(`word/${target}`)!.toString("utf8");
    assert.match(header, /<w:instrText[^>]*>PAGE<\/w:instrText>/);
    assert.match(header, /<w:jc w:val="center"\/>/);
    const styles = zip.get("word/styles.xml")!.toString("utf8");
    assert.match(styles, /<w:docDefaults>[\s\S]*w:ascii="Times New Roman"[\s\S]*<w:sz w:val="28"\/>/);
  });

  test("recipients end with “Lưu: VT.” and the signature block closes the body", () => {
    const closing = tables(doc).find((t) => t.includes("Nơi nhận:"))!;
    const [left, right] = cellsOf(rowsOf(closing)[0]!);
    const lines = left!.split("\n");
    assert.equal(lines[0], "Nơi nhận:");
    assert.ok(lines.slice(1).every((l) => l.startsWith("- ")));
    assert.equal(lines[lines.length - 1], "- Lưu: VT.");
    assert.equal(right!.split("\n").filter(Boolean).join("|"), "TM. ỦY BAN NHÂN DÂN|CHỦ TỊCH|Nguyễn Văn An");
  });

  test("the charts are PNG images with their captions", () => {
    const media = [...zip.keys()].filter((k) => k.startsWith("word/media/"));
    assert.equal(media.length, model.charts.length);
    for (const m of media) assert.equal(zip.get(m)!.subarray(1, 4).toString("latin1"), "PNG");
    assert.ok(textOf(doc).includes(`Biểu đồ 1. ${model.charts[0]!.caption}`));
    assert.ok(doc.includes(`descr="Biểu đồ 2. ${model.charts[1]!.caption}`));
  });

  test("in English, fixed words are translated but the national motto stays Vietnamese", async () => {
    const en = reportFixture("en");
    const xml = unzip(await renderReport(en, "docx"))
      .get("word/document.xml")!
      .toString("utf8");
    const text = textOf(xml);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Recipients:",
      "85.3%",
      "1,234/1,446",
    ])
      assert.ok(text.includes(s), s);
    assert.ok(!text.includes("Nơi nhận"));
  });
});

describe("XLSX", () => {
  let wb: ExcelJS.Workbook;
  before(async () => {
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files.get("xlsx")! as unknown as ArrayBuffer);
  });

  test("four sheets, each with a frozen, bold header", () => {
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ["Thông tin", "Chỉ tiêu", "Theo thôn", "Thôn chưa đạt"],
    );
    for (const [name, rows] of [
      ["Thông tin", 1],
      ["Chỉ tiêu", 1],
      ["Theo thôn", 2],
      ["Thôn chưa đạt", 1],
    ] as const) {
      const ws = wb.getWorksheet(name)!;
      const view = ws.views[0] as { state: string; ySplit: number };
      assert.equal(view.state, "frozen", name);
      assert.equal(view.ySplit, rows, name);
      assert.equal(ws.getCell(1, 1).font?.bold, true, name);
      assert.ok((ws.getColumn(2).width ?? 0) > 8, `${name}: widths set`);
    }
    const info = wb.getWorksheet("Thông tin")!;
    assert.equal(info.getCell("B2").value, "BÁO CÁO");
    assert.deepEqual(info.getCell("B6").value, new Date("2026-09-18T00:00:00Z"));
  });

  test("the 12 indicators: figures are numbers equal to the model's, percentages formatted", () => {
    const ws = wb.getWorksheet("Chỉ tiêu")!;
    assert.equal(ws.actualRowCount, 13);
    model.indicators.forEach((ind, i) => {
      const row = ws.getRow(i + 2);
      assert.equal(row.getCell(1).value, ind.id);
      assert.equal(row.getCell(2).value, ind.title);
      assert.equal(row.getCell(6).value, ind.target);
      if (ind.value === null) assert.equal(row.getCell(8).value, "Chưa có số liệu");
      else {
        assert.equal(typeof row.getCell(8).value, "number");
        assert.equal(row.getCell(8).value, ind.value);
        assert.equal(row.getCell(8).numFmt, ind.kind === "ratio" ? "0.0%" : "#,##0");
      }
      assert.equal(row.getCell(9).value ?? undefined, ind.numerator);
      assert.equal(row.getCell(10).value ?? undefined, ind.denominator);
      assert.equal(row.getCell(11).value, ind.met ? "Đạt" : "Chưa đạt");
    });
    assert.equal(ws.getCell("H3").value, 1234 / 1446);
    assert.equal(ws.getCell("G5").value, 0.8);
    assert.equal(ws.getCell("G5").numFmt, "0%");
  });

  test("the village sheet: result, numerator and denominator per indicator, and the total", () => {
    const ws = wb.getWorksheet("Theo thôn")!;
    const vt = model.villageTable;
    assert.equal(ws.actualRowCount, 2 + vt.rows.length + 1);
    vt.rows.forEach((r, i) => {
      const row = ws.getRow(i + 3);
      assert.equal(row.getCell(3).value, r.name);
      vt.codes.forEach((code, k) => {
        const v = r.values[code]!;
        assert.equal(row.getCell(4 + 3 * k).value, v.value);
        assert.equal(row.getCell(4 + 3 * k).numFmt, "0.0%");
        assert.equal(row.getCell(5 + 3 * k).value, v.numerator);
        assert.equal(row.getCell(6 + 3 * k).value, v.denominator);
      });
    });
    const total = ws.getRow(3 + vt.rows.length);
    assert.equal(total.getCell(3).value, "Toàn xã");
    assert.equal(total.getCell(5).value, communeCell(model, "adult_skills")!.numerator);
  });

  test("the lagging sheet has one row per village and indicator below target", () => {
    const ws = wb.getWorksheet("Thôn chưa đạt")!;
    const expected = model.lagging.flatMap((l) => l.below.map((b) => [l.code, b.value, b.target]));
    assert.equal(ws.actualRowCount, 1 + expected.length);
    expected.forEach(([code, value, target], i) => {
      const row = ws.getRow(i + 2);
      assert.deepEqual(
        [row.getCell(2).value, row.getCell(5).value, row.getCell(6).value],
        [code, value, target],
      );
    });
  });

  test("sheet names and headers follow the model's language", async () => {
    const en = new ExcelJS.Workbook();
    await en.xlsx.load((await renderReport(reportFixture("en"), "xlsx")) as unknown as ArrayBuffer);
    assert.deepEqual(
      en.worksheets.map((w) => w.name),
      ["Information", "Indicators", "By village", "Villages below target"],
    );
    assert.equal(en.getWorksheet("Indicators")!.getCell("K1").value, "Status");
  });
});

describe("PDF", () => {
  let text = "";
  let pages = 0;
  before(async () => {
    const file = path.join(dir, "report.pdf");
    fs.writeFileSync(file, files.get("pdf")!);
    // -raw: the content stream's order, so a table cell's lines stay together.
    const out = (await run("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"])).stdout;
    text = out.normalize("NFC").replace(/\s+/g, " ");
    pages = Number(/Pages:\s+(\d+)/.exec((await run("pdfinfo", [file])).stdout)?.[1]);
  });

  test("the text carries the motto, title, villages and figures with their diacritics", () => {
    assert.ok(pages >= 2, `pages: ${pages}`);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Tân Ninh, ngày 18 tháng 9 năm 2026",
      "UBND XÃ TÂN NINH",
      "BÁO CÁO",
      model.subject,
      "Nơi nhận:",
      "Nguyễn Văn An",
      "PHỤ LỤC",
      "85,3%",
      "1.234/1.446",
      "Đạt",
      "Chưa đạt",
      "Toàn xã",
      // pdfmake would justify "63/KH-UBND" into "63/ KH-UBND": the writer keeps such words whole.
      "Kế hoạch số 63/KH-UBND",
    ])
      assert.ok(text.includes(s), s);
    for (const v of model.villageTable.rows) assert.ok(text.includes(v.name), v.name);
    for (const ind of model.indicators)
      for (const s of [f.target(ind), f.result(ind), f.fractionOf(ind)])
        assert.ok(text.includes(s), `${ind.id}: ${s}`);
  });

  test("page numbers at the top from page 2; the appendix numbers its own pages", async () => {
    const file = path.join(dir, "report.pdf");
    const page = async (n: number) =>
      (await run("pdftotext", ["-f", String(n), "-l", String(n), file, "-"])).stdout.split("\n");
    assert.equal((await page(1))[0], "UBND XÃ TÂN NINH");
    assert.equal((await page(2))[0], "2");
    let appendix = 0;
    for (let n = 1; n <= pages && !appendix; n++) if ((await page(n)).includes("PHỤ LỤC")) appendix = n;
    assert.ok(appendix > 2, `appendix on page ${appendix}`);
    assert.equal((await page(appendix))[0], "PHỤ LỤC");
    assert.equal((await page(appendix + 1))[0], "2");
  });

  test("the same order as the DOCX: motto, title, body, recipients, then the appendix", () => {
    const at = (s: string) => text.indexOf(s);
    assert.ok(at("CỘNG HÒA") < at("BÁO CÁO"));
    assert.ok(at("BÁO CÁO") < at("I. KẾT QUẢ"));
    assert.ok(at("VI. NHIỆM VỤ") < at("Nơi nhận:"));
    assert.ok(at("Nơi nhận:") < at("PHỤ LỤC"));
    assert.ok(at("PHỤ LỤC") < at("Biểu đồ 1."));
  });
});

describe("chart PNG", () => {
  test("a chart renders at twice its size, with its text drawn", async () => {
    const chart = model.charts[0]!;
    const { png, width, height } = await svgToPng(chart.svg, 2);
    assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a");
    assert.equal(png.readUInt32BE(16), chart.width * 2);
    assert.equal(png.readUInt32BE(20), chart.height * 2);
    assert.deepEqual([width, height], [chart.width * 2, chart.height * 2]);
    // Decode it again (resvg draws an SVG holding the PNG) and look at the pixels.
    const wrapper = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image href="data:image/png;base64,${png.toString("base64")}" width="${width}" height="${height}"/></svg>`;
    const pixels = new Resvg(wrapper, {
      font: { fontFiles: [...TINOS_FILES], loadSystemFonts: false },
    }).render().pixels;
    const dark = (x0: number, x1: number) => {
      let n = 0;
      for (let y = 0; y < height; y++)
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * 4;
          if (pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 300) n++;
        }
      return n;
    };
    // The village names stand left of the axis (x < 125 at 1×): only text is drawn there.
    assert.ok(dark(0, 240) > 500, "village names drawn");
    assert.ok(dark(0, width) > 20_000, "bars drawn");
  });
});

describe("a sparser report", () => {
  const sparse: ReportModel = {
    ...reportFixture("vi"),
    issuer: ["UBND xã Tân Ninh", "Phòng Văn hóa - Xã hội"],
    number: "Số:      /BC-VHXH",
    charts: [],
    lagging: [],
    recipients: ["Ban Chỉ đạo xã;"],
    version: 2,
  };

  test("two issuer lines, no charts, no lagging village, a version: all three formats still say so", async () => {
    const zip = unzip(await renderReport(sparse, "docx"));
    const doc = zip.get("word/document.xml")!.toString("utf8");
    const [left] = cellsOf(rowsOf(tables(doc)[0]!)[0]!);
    assert.equal(left, "UBND XÃ TÂN NINH\nPHÒNG VĂN HÓA - XÃ HỘI\n\nSố:      /BC-VHXH");
    const text = textOf(doc);
    assert.ok(text.includes("Không có thôn nào chưa đạt chỉ tiêu."));
    assert.ok(text.includes("- Ban Chỉ đạo xã;\n- Lưu: VT."));
    assert.ok(!text.includes("Biểu đồ"));
    assert.equal([...zip.keys()].filter((k) => k.startsWith("word/media/")).length, 0);
    const footers = [...zip.keys()].filter((k) => /^word\/footer\d*\.xml$/.test(k));
    assert.ok(footers.some((k) => textOf(zip.get(k)!.toString("utf8")).includes("Phiên bản 2")));

    const file = path.join(dir, "sparse.pdf");
    fs.writeFileSync(file, await renderReport(sparse, "pdf"));
    const pdf = (await run("pdftotext", ["-raw", file, "-"])).stdout.replace(/\s+/g, " ");
    for (const s of [
      "PHÒNG VĂN HÓA - XÃ HỘI",
      "Không có thôn nào chưa đạt chỉ tiêu.",
      "- Lưu: VT.",
      "Phiên bản 2",
    ])
      assert.ok(pdf.includes(s), s);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReport(sparse, "xlsx")) as unknown as ArrayBuffer);
    assert.equal(wb.getWorksheet("Thôn chưa đạt")!.actualRowCount, 1);
    const info = wb.getWorksheet("Thông tin")!;
    const version = info.getRows(1, info.rowCount)!.find((r) => r.getCell(1).value === "Phiên bản");
    assert.equal(version?.getCell(2).value, 2);
  });
});
