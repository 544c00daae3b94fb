import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { part, zipOf } from "../../../test/helpers/hostile.ts";
import { AppError } from "../errors.ts";
import { t } from "../i18n/index.ts";
import { type Cell, detectFormat, readRows, type SheetRow } from "./read.ts";
import { escapeFormula, formatFromName, writeRows } from "./write.ts";

let dir = "";
const at = (name: string): string => path.join(dir, name);

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-tabular-"));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readAll(file: string, opts: Parameters<typeof readRows>[1] = {}): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readRows(file, opts)) rows.push(row);
  return rows;
}

/** Asserts that reading fails with an AppError of this code and message key; returns it. */
async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  key: string,
  params: Record<string, unknown> = {},
): Promise<AppError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof AppError, `expected an AppError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.msg.key, key);
  for (const [k, v] of Object.entries(params)) assert.equal(caught.msg.params?.[k], v, k);
  return caught;
}

/** The civil date of a Date as readRows gives it (its UTC fields). */
const ymd = (d: Cell | undefined): string => {
  assert.ok(d instanceof Date, `expected a Date, got ${String(d)}`);
  return d.toISOString().slice(0, 10);
};

/** Excel's serial day number of a civil date. */
const serial = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000 + 25569;

/** A zip of these parts, in this order (deflated unless `stored`; `cut` keeps that share of the data). */
function zip(parts: { name: string; text: string; stored?: boolean; cut?: number }[]): Buffer {
  return zipOf(
    parts.map((p) => {
      const data = part(p.name, p.text, p.stored);
      if (p.cut === undefined) return data;
      return { ...data, data: data.data.subarray(0, Math.floor(data.data.length * p.cut)) };
    }),
  );
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The rows of a small workbook written by hand (`handmadeParts`), saved as `name`. */
async function readHandmade(name: string, sheet2: string, workbookPr = ""): Promise<SheetRow[]> {
  const file = at(name);
  fs.writeFileSync(file, zip(handmadeParts(sheet2, workbookPr)));
  return readAll(file);
}

/** The parts of a small workbook written by hand: a hidden first sheet, then "Danh sách". */
function handmadeParts(
  sheet2: string,
  workbookPr = "",
): { name: string; text: string; stored?: boolean; cut?: number }[] {
  return [
    {
      name: "xl/worksheets/sheet1.xml",
      text: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ẩn</t></is></c></row></sheetData></worksheet>`,
    },
    { name: "xl/worksheets/sheet2.xml", text: sheet2 },
    {
      name: "xl/sharedStrings.xml",
      text:
        `<sst ${NS} count="3" uniqueCount="3"><si><t>Họ và tên</t></si>` +
        "<si><r><t>Nguyễn </t></r><r><rPr><b/></rPr><t>Văn An</t></r></si>" +
        '<si><t xml:space="preserve">  Dòng 1_x000D_\nDòng 2  </t></si></sst>',
    },
    {
      name: "xl/styles.xml",
      text:
        `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
        '<borders count="1"><border/></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
        "</styleSheet>",
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      text:
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId4" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    {
      // Stored last, as ExcelJS's own writer does; LibreOffice also stores styles after the sheets.
      name: "xl/workbook.xml",
      text:
        `<workbook ${NS} xmlns:r="${REL}">${workbookPr}<sheets>` +
        '<sheet name="Ẩn" sheetId="1" state="hidden" r:id="rId1"/>' +
        '<sheet name="Danh sách" sheetId="2" r:id="rId2"/></sheets></workbook>',
    },
  ];
}

describe("detectFormat", () => {
  test("goes by the extension, in any case", () => {
    assert.equal(detectFormat("a/b/Danh sách.CSV"), "csv");
    assert.equal(detectFormat("dan_cu.Xlsx"), "xlsx");
    assert.equal(formatFromName("out.xlsx"), "xlsx");
  });

  test("refuses other files with a message that names the file and says what to do", async () => {
    for (const name of ["dan_cu.xls", "dan_cu.ods", "dan_cu", "dan_cu.csv.txt"]) {
      assert.throws(
        () => detectFormat(`/tmp/${name}`),
        (e: unknown) =>
          e instanceof AppError && e.code === "bad_request" && e.msg.key === "tabular.unknown_type",
      );
    }
    const err = await rejectsWith(readAll(at("dân cư.xls")), "bad_request", "tabular.unknown_type");
    assert.equal(
      t("vi", err.msg.key, err.msg.params),
      "Tệp “dân cư.xls” không phải .csv hay .xlsx. Hãy lưu lại tệp dưới dạng Excel (.xlsx) hoặc CSV.",
    );
  });
});

describe("reading CSV", () => {
  test("BOM, CRLF, semicolons, quoted multi-line cells and empty lines: exact row numbers", async () => {
    const file = at("semicolon.csv");
    const text =
      "\uFEFFHọ và tên;Ngày sinh;Ghi chú\r\n" + // 1 (the BOM must not stick to the first header)
      "\r\n" + // 2: empty, counted, not yielded
      'Nguyễn Văn An;17/05/1990;"dòng một\r\ndòng hai\r\ndòng ba"\r\n' + // 3–5
      "   \r\n" + // 6: blank
      `  ${"Trần Thị Bình".normalize("NFD")}  ; 1948 ;\r\n` + // 7: NFD, padded, empty last cell
      ";;\r\n" + // 8: only empty cells
      '"Lê ""Bé"" Ba";01/01/2000;"a;b"\r\n' + // 9
      "Phạm Tư;2001-02-03"; // 10: no final line break, short row
    fs.writeFileSync(file, text);
    const rows = await readAll(file);
    assert.deepEqual(rows, [
      { rowNumber: 1, cells: ["Họ và tên", "Ngày sinh", "Ghi chú"] },
      { rowNumber: 3, cells: ["Nguyễn Văn An", "17/05/1990", "dòng một\ndòng hai\ndòng ba"] },
      { rowNumber: 7, cells: ["Trần Thị Bình", "1948", null] },
      { rowNumber: 9, cells: ['Lê "Bé" Ba', "01/01/2000", "a;b"] },
      { rowNumber: 10, cells: ["Phạm Tư", "2001-02-03"] },
    ]);
    assert.equal(rows[2]?.cells[0], "Trần Thị Bình".normalize("NFC"));
  });

  test("LF files with multi-line cells and leading empty lines count lines the same way", async () => {
    const file = at("lf.csv");
    fs.writeFileSync(file, '\n\nMã thôn,Tên thôn\nT1,"Thôn\nMột"\n\nT2,Thôn Hai\n');
    assert.deepEqual(await readAll(file), [
      { rowNumber: 3, cells: ["Mã thôn", "Tên thôn"] },
      { rowNumber: 4, cells: ["T1", "Thôn\nMột"] },
      { rowNumber: 7, cells: ["T2", "Thôn Hai"] },
    ]);
  });

  test("the delimiter comes from the first non-empty line, counted outside quotes", async () => {
    // Each file: its text, and the cells of its header and of its one row.
    const cases: { text: string; header: string[]; row: string[] }[] = [
      { text: "a,b,c\n1,2,3\n", header: ["a", "b", "c"], row: ["1", "2", "3"] },
      { text: "a;b;c\n1;2,5;3\n", header: ["a", "b", "c"], row: ["1", "2,5", "3"] },
      {
        text: '"Họ, tên";"Ngày, sinh";Thôn\nAn;1990;T1\n',
        header: ["Họ, tên", "Ngày, sinh", "Thôn"],
        row: ["An", "1990", "T1"],
      },
      {
        text: "Họ tên\tNgày sinh\tGhi chú, khác\nAn\t1990\tx, y\n",
        header: ["Họ tên", "Ngày sinh", "Ghi chú, khác"],
        row: ["An", "1990", "x, y"],
      },
      { text: "\n;;\nMã;Tên\nT1;Một\n", header: ["Mã", "Tên"], row: ["T1", "Một"] },
      { text: "Tên thôn\nMột\n", header: ["Tên thôn"], row: ["Một"] },
    ];
    for (const [i, { text, header, row }] of cases.entries()) {
      const file = at(`delim-${i}.csv`);
      fs.writeFileSync(file, text);
      assert.deepEqual(
        (await readAll(file)).map((r) => r.cells),
        [header, row],
        JSON.stringify(text),
      );
    }
  });

  test("an empty file, or one with only a BOM and blank lines, has no rows", async () => {
    for (const [i, text] of ["", "\uFEFF", "\uFEFF\r\n  \r\n;;\r\n"].entries()) {
      fs.writeFileSync(at(`empty-${i}.csv`), text);
      assert.deepEqual(await readAll(at(`empty-${i}.csv`)), []);
    }
  });

  test("a UTF-16 file with its byte-order mark (Excel's “Unicode text”) reads too", async () => {
    const file = at("unicode.csv");
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Họ tên\tThôn\r\nAn\tT1\r\n", "utf16le")]),
    );
    assert.deepEqual(await readAll(file), [
      { rowNumber: 1, cells: ["Họ tên", "Thôn"] },
      { rowNumber: 2, cells: ["An", "T1"] },
    ]);
  });

  test("binary garbage, an .xlsx named .csv, and non-UTF-8 text are refused clearly", async () => {
    const garbage = at("garbage.csv");
    fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)));
    const err = await rejectsWith(readAll(garbage), "bad_request", "tabular.corrupt_file", {
      name: "garbage.csv",
    });
    assert.match(t("vi", err.msg.key, err.msg.params), /^Không đọc được tệp “garbage\.csv”/);

    const book = new ExcelJS.Workbook();
    book.addWorksheet("A").addRow(["x"]);
    await book.xlsx.writeFile(at("real.xlsx"));
    fs.copyFileSync(at("real.xlsx"), at("really-xlsx.csv"));
    await rejectsWith(readAll(at("really-xlsx.csv")), "bad_request", "tabular.corrupt_file");

    // "Nguyễn Văn Ấn" in Windows-1258 / Latin-1 style single bytes: text, but not UTF-8.
    const latin = at("latin.csv");
    fs.writeFileSync(latin, Buffer.from("Họ tên,Thôn\nNguy\xean V\xe3n \xc2n,T1\n", "latin1"));
    const enc = await rejectsWith(readAll(latin), "bad_request", "tabular.csv_encoding", {
      name: "latin.csv",
    });
    assert.match(t("vi", enc.msg.key, enc.msg.params), /CSV UTF-8/);
  });

  test("an unclosed quote is reported with the line where its record starts", async () => {
    const file = at("quote.csv");
    fs.writeFileSync(file, 'Mã,Tên\nT1,Một\nT2,"Hai\nT3,Ba\n');
    const rows: SheetRow[] = [];
    await rejectsWith(
      (async () => {
        for await (const row of readRows(file)) rows.push(row);
      })(),
      "bad_request",
      "tabular.csv_unclosed_quote",
      { line: 3 },
    );
    assert.equal(rows.length, 2);

    const misplaced = at("misplaced.csv");
    fs.writeFileSync(misplaced, 'Mã,Tên\r\n"T1","Một"x\r\n');
    await rejectsWith(readAll(misplaced), "bad_request", "tabular.csv_malformed", { line: 2 });
  });

  test("a missing file is not_found", async () => {
    await rejectsWith(readAll(at("nope.csv")), "not_found", "tabular.file_missing", { name: "nope.csv" });
    await rejectsWith(readAll(at("nope.xlsx")), "not_found", "tabular.file_missing");
    // The name shown is the one given (an upload's original name), not the stored path.
    await rejectsWith(
      readAll(at("upload-123"), { format: "csv", name: "Dân cư.csv" }),
      "not_found",
      "tabular.file_missing",
      {
        name: "Dân cư.csv",
      },
    );
  });
});

describe("reading XLSX", () => {
  let file = "";
  before(async () => {
    file = at("book.xlsx");
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("Dân cư");
    ws.addRow(["Họ và tên", "Ngày sinh", "Số CCCD", "Điện thoại", "Ghi chú"]);
    ws.getCell("A2").value = `  ${"Nguyễn Văn Ấn".normalize("NFD")} `;
    ws.getCell("B2").value = new Date(Date.UTC(1990, 4, 17));
    ws.getCell("B2").numFmt = "dd/mm/yyyy";
    ws.getCell("C2").value = 38165999338;
    ws.getCell("D2").value = 912345678;
    ws.getCell("E2").value = { richText: [{ text: "Hộ " }, { font: { bold: true }, text: "nghèo" }] };
    // Row 3 left empty; row 4 sparse.
    ws.getCell("B4").value = new Date(Date.UTC(2001, 0, 2));
    ws.getCell("B4").numFmt = "mm-dd-yy"; // Excel's built-in short date (numFmtId 14)
    ws.getCell("D4").value = { formula: "C2*2", result: 76331998676 };
    ws.getCell("E4").value = { formula: "B2+1", result: new Date(Date.UTC(1990, 4, 18)) };
    ws.getCell("E4").numFmt = "yyyy-mm-dd";
    ws.getCell("F4").value = { text: "Cổng dịch vụ công", hyperlink: "https://dichvucong.gov.vn" };
    ws.getCell("G4").value = { error: "#N/A" };
    ws.getCell("H4").value = true;
    ws.getCell("I4").value = 1.5;
    ws.getCell("A6").value = "   "; // only white space: a row with no content
    ws.getCell("A7").value = "Cuối";
    book.addWorksheet("Thôn").addRow(["Mã thôn", "Tên thôn"]);
    await book.xlsx.writeFile(file);
  });

  test("values, types and row numbers of the first sheet", async () => {
    const rows = await readAll(file);
    assert.deepEqual(
      rows.map((r) => r.rowNumber),
      [1, 2, 4, 7],
    );
    const [header, r2, r4, r7] = rows;
    assert.deepEqual(header?.cells, ["Họ và tên", "Ngày sinh", "Số CCCD", "Điện thoại", "Ghi chú"]);
    assert.equal(r2?.cells[0], "Nguyễn Văn Ấn");
    assert.equal(r2?.cells[0], "Nguyễn Văn Ấn".normalize("NFC"));
    assert.equal(ymd(r2?.cells[1]), "1990-05-17");
    assert.equal(r2?.cells[2], 38165999338, "numbers stay numbers (the importer restores the 0)");
    assert.equal(r2?.cells[3], 912345678);
    assert.equal(r2?.cells[4], "Hộ nghèo", "rich text is its text");
    assert.equal(r4?.cells[0], null, "holes are null");
    assert.equal(ymd(r4?.cells[1]), "2001-01-02", "built-in date format");
    assert.equal(r4?.cells[2], null);
    assert.equal(r4?.cells[3], 76331998676, "a formula gives its cached result");
    assert.equal(ymd(r4?.cells[4]), "1990-05-18", "a formula with a date format gives a Date");
    assert.equal(r4?.cells[5], "Cổng dịch vụ công", "a hyperlink gives its text");
    assert.equal(r4?.cells[6], null, "an error value is null");
    assert.equal(r4?.cells[7], true);
    assert.equal(r4?.cells[8], 1.5);
    assert.equal(r4?.cells.length, 9);
    assert.deepEqual(r7?.cells, ["Cuối"]);
  });

  test("dates are the civil day as a UTC midnight, whatever the time zone", async () => {
    const [, r2] = await readAll(file);
    const d = r2?.cells[1];
    assert.ok(d instanceof Date);
    assert.equal(d.getTime(), Date.UTC(1990, 4, 17));
  });

  test("another sheet by name (exact, or ignoring case and diacritics); unknown names list the sheets", async () => {
    const expected = [{ rowNumber: 1, cells: ["Mã thôn", "Tên thôn"] }];
    assert.deepEqual(await readAll(file, { sheet: "Thôn" }), expected);
    assert.deepEqual(await readAll(file, { sheet: "thon" }), expected);
    const err = await rejectsWith(readAll(file, { sheet: "Hộ" }), "bad_request", "tabular.unknown_sheet", {
      name: "book.xlsx",
      sheet: "Hộ",
    });
    assert.equal(
      t("vi", err.msg.key, err.msg.params),
      "Tệp “book.xlsx” không có trang tính nào tên “Hộ”. Các trang tính có trong tệp: “Dân cư”, “Thôn”.",
    );
  });

  test("Vietnamese text that straddles two zip chunks stays whole", async () => {
    // ExcelJS's own streaming reader decodes each chunk alone and turns such letters into U+FFFD.
    const big = at("many-strings.xlsx");
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("A");
    for (let i = 1; i <= 20_000; i++) ws.getCell(`A${i}`).value = `Nguyễn Thị Ánh Tuyết ${i}`;
    await book.xlsx.writeFile(big);
    let n = 0;
    for await (const row of readRows(big)) {
      n++;
      assert.equal(row.cells[0], `Nguyễn Thị Ánh Tuyết ${row.rowNumber}`);
    }
    assert.equal(n, 20_000);
  });

  test("a hand-made workbook: parts in any order, hidden first sheet, inline strings, shared formulas", async () => {
    const sheet2 =
      `<worksheet ${NS}><sheetData>` +
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Ngày sinh</t></is></c>' +
      '<c r="C1" t="inlineStr"><is><t>CCCD</t></is></c></row>' +
      `<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>${serial("1990-05-17")}</v></c>` +
      '<c r="C3"><v>38165999338</v></c><c r="E3" t="b"><v>1</v></c></row>' +
      `<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" s="2"><f>B3+1</f><v>${serial("1990-05-18")}</v></c>` +
      '<c r="C4" t="str"><f>"0"&amp;C3</f><v>038165999338</v></c><c r="D4" t="e"><f>1/0</f><v>#DIV/0!</v></c>' +
      '<c r="E4"><f t="shared" ref="E4:E5" si="0">1+1</f><v>2</v></c></row>' +
      '<row r="5"><c r="E5"><f t="shared" si="0"/><v>2</v></c></row>' +
      '<row r="6" ht="20" customHeight="1"/><row r="7"><c r="A7" s="2"/></row>' +
      '<row r="8"><c r="B8" t="inlineStr"><is><t>Cuối</t></is></c></row>' +
      "</sheetData></worksheet>";
    const rows = await readHandmade("handmade.xlsx", sheet2);
    assert.deepEqual(
      rows.map((r) => r.rowNumber),
      [1, 3, 4, 5, 8],
    );
    assert.deepEqual(rows[0]?.cells, ["Họ và tên", "Ngày sinh", "CCCD"]);
    assert.equal(rows[1]?.cells[0], "Nguyễn Văn An");
    assert.equal(ymd(rows[1]?.cells[1]), "1990-05-17");
    assert.equal(rows[1]?.cells[2], 38165999338);
    assert.equal(rows[1]?.cells[4], true);
    assert.equal(rows[2]?.cells[0], "Dòng 1\r\nDòng 2", "_x000D_ is a carriage return");
    assert.equal(ymd(rows[2]?.cells[1]), "1990-05-18");
    assert.equal(rows[2]?.cells[2], "038165999338", "a text formula result stays text");
    assert.equal(rows[2]?.cells[3], null, "#DIV/0! is null");
    assert.equal(rows[2]?.cells[4], 2);
    assert.deepEqual(rows[3]?.cells, [null, null, null, null, 2], "a shared formula gives its result");
    assert.deepEqual(rows[4]?.cells, [null, "Cuối"]);
    assert.deepEqual(await readAll(at("handmade.xlsx"), { sheet: "Ẩn" }), [{ rowNumber: 1, cells: ["ẩn"] }]);
  });

  test("the worksheet XML as other writers make it: prefixes, references, CDATA, comments, rich inline text", async () => {
    const sheet2 =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<!-- made by hand -->' +
      `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
      '<x:row r="2" x14ac:dyDescent="0.25"><x:c r="A2" t="inlineStr"><x:is><x:t>Trần &amp; Lê &#x1EA0;&#272;</x:t></x:is></x:c>' +
      "<x:c r='B2' t='str'><x:v><![CDATA[a < b]]></x:v></x:c>" +
      '<x:c r="C2" t="inlineStr"><x:is><x:r><x:t>Hộ </x:t></x:r><x:r><x:t>nghèo</x:t></x:r>' +
      "<x:rPh><x:t>(phiên âm)</x:t></x:rPh></x:is></x:c></x:row>" +
      // No r attributes: rows and cells follow the previous ones.
      '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c title="a > b"><x:v>7</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c></x:row>' +
      "</x:sheetData></x:worksheet>";
    assert.deepEqual(await readHandmade("prefixed.xlsx", sheet2), [
      { rowNumber: 2, cells: ["Trần & Lê ẠĐ", "a < b", "Hộ nghèo"] },
      { rowNumber: 3, cells: ["Họ và tên", 7, false] },
    ]);
  });

  test("a workbook in the 1904 date system (old Mac Excel) gives the same civil dates", async () => {
    const sheet2 =
      `<worksheet ${NS}><sheetData><row r="1"><c r="A1" s="1"><v>${serial("1990-05-17") - 1462}</v></c>` +
      `<c r="B1" s="2"><f>A1+1</f><v>${serial("1990-05-18") - 1462}</v></c></row></sheetData></worksheet>`;
    const [row] = await readHandmade("date1904.xlsx", sheet2, '<workbookPr date1904="1"/>');
    assert.equal(ymd(row?.cells[0]), "1990-05-17");
    assert.equal(ymd(row?.cells[1]), "1990-05-18");
  });

  test("a truncated .xlsx (the first half of a real file) is a corrupt file, not a crash", async () => {
    const bytes = fs.readFileSync(file);
    const half = at("half.xlsx");
    fs.writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await rejectsWith(readAll(half), "bad_request", "tabular.corrupt_file", {
      name: "half.xlsx",
    });
    assert.equal(
      t("vi", err.msg.key, err.msg.params),
      "Không đọc được tệp “half.xlsx”: tệp bị hỏng, chưa tải lên hết, hoặc không đúng định dạng so với phần đuôi tên tệp. Hãy mở tệp bằng Excel và lưu lại dưới dạng Excel (.xlsx) hoặc CSV UTF-8, rồi thử lại.",
    );
    for (const [name, content] of [
      ["empty.xlsx", Buffer.alloc(0)],
      ["csv-inside.xlsx", Buffer.from("Họ tên,Thôn\nAn,T1\n")],
      ["zip-without-workbook.xlsx", zip([{ name: "a.txt", text: "hello" }])],
    ] as const) {
      fs.writeFileSync(at(name), content);
      await rejectsWith(readAll(at(name)), "bad_request", "tabular.corrupt_file", { name });
    }
  });

  test("damage found in the middle of a sheet, while streaming, becomes a corrupt-file error", async () => {
    let rowsXml = "";
    for (let r = 1; r <= 5000; r++) {
      rowsXml += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>Người ${r}</t></is></c><c r="B${r}"><v>${r}</v></c></row>`;
    }
    const sheet2 = `<worksheet ${NS}><sheetData>${rowsXml}</sheetData></worksheet>`;
    const cases: [string, ReturnType<typeof handmadeParts>][] = [
      // The deflate stream of the sheet ends half-way: zlib fails after rows were read.
      [
        "cut-deflate.xlsx",
        handmadeParts(sheet2).map((p) => (p.name.endsWith("sheet2.xml") ? { ...p, cut: 0.5 } : p)),
      ],
      // Broken XML half-way: the XML parser fails after rows were read.
      [
        "bad-xml.xlsx",
        handmadeParts(sheet2.replace('<row r="2500">', '<row r="2500"><<c>')).map((p) =>
          p.name.endsWith("sheet2.xml") ? { ...p, stored: true } : p,
        ),
      ],
    ];
    for (const [name, parts] of cases) {
      fs.writeFileSync(at(name), zip(parts));
      let seen = 0;
      await rejectsWith(
        (async () => {
          for await (const _ of readRows(at(name))) seen++;
        })(),
        "bad_request",
        "tabular.corrupt_file",
        { name },
      );
      assert.ok(seen > 100 && seen < 5000, `${name}: ${seen} rows before the error`);
    }
  });
});

describe("writing", () => {
  const header = ["Họ và tên", "Số CCCD", "Ngày sinh", "Khuyết tật", "Ghi chú"];
  const rows: Cell[][] = [
    ["Nguyễn Văn An", 38165999338, new Date(Date.UTC(1990, 4, 17)), true, "=1+1"],
    ["Trần Thị Bình", null, null, false, '+84 912, "345"\nxuống dòng'],
    ["-Lê Ba", 1.5, null, null, "@SUM(A1)"],
  ];

  test("escapeFormula quotes what a spreadsheet would run", () => {
    for (const s of ["=1+1", "+84912345678", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
      assert.equal(escapeFormula(s), `'${s}`);
    for (const s of ["Nguyễn", "1+1", " =1", "'1", "'", ""]) assert.equal(escapeFormula(s), s);
    // Text already behind a `'` gets one more, so that the reader undoes exactly one.
    assert.equal(escapeFormula("'=1"), "''=1");
  });

  test("any text written is read back as it was, formula-looking or not, in both formats (round trip)", async () => {
    const fc = (await import("fast-check")).default;
    const text = fc
      .oneof(
        fc.string({ maxLength: 12 }),
        fc
          .tuple(fc.constantFrom("=", "+", "-", "@", "'=", "''+", "'", "'x"), fc.string({ maxLength: 8 }))
          .map(([a, b]) => a + b),
      )
      .map((s) => s.normalize("NFC").trim())
      // Text as the app stores it: trimmed, NFC, no control characters or lone surrogates.
      .filter((s) => s !== "" && ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || /\p{Cs}/u.test(ch)));
    for (const ext of ["csv", "xlsx"]) {
      await fc.assert(
        fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), async (values) => {
          const file = at(`roundtrip.${ext}`);
          await writeRows(
            file,
            { header: ["v", "w"] },
            values.map((v) => [v, "x"]),
          );
          const back = (await readAll(file)).slice(1).map((r) => r.cells[0]);
          assert.deepEqual(back, values);
        }),
        { seed: 15, numRuns: 60 },
      );
    }
  });

  test("CSV: BOM, comma, escaped formulas, numbers, booleans, dates; reads back", async () => {
    const file = at("out.csv");
    assert.equal(await writeRows(file, { header }, rows), 3);
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    assert.ok(text.startsWith("Họ và tên,Số CCCD,Ngày sinh,Khuyết tật,Ghi chú\r\n"));
    assert.ok(text.includes("Nguyễn Văn An,38165999338,1990-05-17,true,'=1+1\r\n"));
    assert.deepEqual(await readAll(file), [
      { rowNumber: 1, cells: header },
      // The formula escape is undone: what was written is what is read (issue 15, finding 4).
      { rowNumber: 2, cells: ["Nguyễn Văn An", "38165999338", "1990-05-17", "true", "=1+1"] },
      { rowNumber: 3, cells: ["Trần Thị Bình", null, null, "false", '+84 912, "345"\nxuống dòng'] },
      { rowNumber: 5, cells: ["-Lê Ba", "1.5", null, null, "@SUM(A1)"] },
    ]);
  });

  test("XLSX: number cells, boolean cells, bold header, escaped formulas; reads back", async () => {
    const file = at("out.xlsx");
    async function* source(): AsyncGenerator<Cell[]> {
      yield* rows;
    }
    assert.equal(await writeRows(file, { header, sheetName: "Dân cư: lỗi [1]" }, source()), 3);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.worksheets[0]!;
    assert.equal(ws.name, "Dân cư  lỗi  1");
    assert.equal(ws.getCell("A1").font?.bold, true);
    assert.equal(ws.getCell("B2").type, ExcelJS.ValueType.Number);
    assert.equal(ws.getCell("B2").value, 38165999338);
    assert.equal(ws.getCell("D2").value, true);
    assert.equal(ws.getCell("E2").value, "'=1+1");
    assert.equal(ws.getCell("E2").formula, undefined);
    assert.deepEqual(await readAll(file), [
      { rowNumber: 1, cells: header },
      { rowNumber: 2, cells: ["Nguyễn Văn An", 38165999338, "1990-05-17", true, "=1+1"] },
      { rowNumber: 3, cells: ["Trần Thị Bình", null, null, false, '+84 912, "345"\nxuống dòng'] },
      { rowNumber: 4, cells: ["-Lê Ba", 1.5, null, null, "@SUM(A1)"] },
    ]);
  });

  test("a failing source leaves no file behind", async () => {
    for (const name of ["fail.csv", "fail.xlsx"]) {
      async function* source(): AsyncGenerator<Cell[]> {
        yield ["a"];
        throw new Error("source failed");
      }
      await assert.rejects(writeRows(at(name), { header: ["x"] }, source()), /source failed/);
      assert.equal(fs.existsSync(at(name)), false, name);
    }
  });
});

describe("streaming 200,000 rows", () => {
  const N = 200_000;
  function* generate(): Generator<Cell[]> {
    for (let i = 0; i < N; i++) {
      yield [`Nguyễn Văn Người ${i}`, 38165999338 + i, "17/05/1990", `Thôn ${i % 6}`, i % 2 === 0];
    }
  }
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

  for (const format of ["csv", "xlsx"] as const) {
    test(`${format}: write and read back with bounded memory`, async () => {
      const file = at(`big.${format}`);
      const rssStart = process.memoryUsage.rss();
      let peak = rssStart;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 50);
      try {
        const t0 = performance.now();
        assert.equal(
          await writeRows(file, { header: ["Họ tên", "CCCD", "Ngày sinh", "Thôn", "Nghèo"] }, generate()),
          N,
        );
        const t1 = performance.now();
        let n = 0;
        let last: SheetRow | undefined;
        for await (const row of readRows(file)) {
          n++;
          last = row;
          if (n % 10_000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
        }
        const t2 = performance.now();
        assert.equal(n, N + 1);
        assert.equal(last?.rowNumber, N + 1);
        assert.equal(last?.cells[0], `Nguyễn Văn Người ${N - 1}`);
        const growth = peak - rssStart;
        console.log(
          `${format}: ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB file; write ${((t1 - t0) / 1000).toFixed(1)} s, ` +
            `read ${((t2 - t1) / 1000).toFixed(1)} s; RSS ${mb(rssStart)} → peak ${mb(peak)} (growth ${mb(growth)})`,
        );
        assert.ok(growth < 300 * 1024 * 1024, `RSS grew by ${mb(growth)}`);
      } finally {
        clearInterval(sampler);
      }
    });
  }

  test("stopping early closes the file", async () => {
    // Open files are counted where /proc is (Linux); elsewhere only the early stop is checked.
    const fds = (): number => (fs.existsSync("/proc/self/fd") ? fs.readdirSync("/proc/self/fd").length : 0);
    const before = fds();
    for (const format of ["csv", "xlsx"]) {
      let n = 0;
      for await (const _ of readRows(at(`big.${format}`))) if (++n === 3) break;
      assert.equal(n, 3);
    }
    for (let i = 0; i < 50 && fds() > before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(fds() <= before, `open files: ${before} before, ${fds()} after`);
  });
});
