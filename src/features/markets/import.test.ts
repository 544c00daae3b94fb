/**
 * Issue 19.3: the vendor list goes through the import engine of the residents (SPEC §5), and must
 * withstand the same bad files. One table of hostile and dirty cases runs on both kinds, and each
 * outcome must be the one stated — and the same for vendors as for residents. Then the vendor
 * sample: row-exact errors, all or nothing, skip-invalid with its rejects file, idempotent re-import
 * (an export included), owners linked by citizen ID or household + name, and the figures by market.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import {
  inline,
  NS,
  part,
  sharedStringsBomb,
  workbookParts,
  xlsxBomb,
  zipOf,
} from "../../../test/helpers/hostile.ts";
import { buildVendorCommune, VENDORS_DIRTY, writeVendorSample } from "../../../test/helpers/vendors.ts";
import type { Database } from "../../db/client.ts";
import { residents, vendors } from "../../db/schema.ts";
import { AppError } from "../../lib/errors.ts";
import { t as translate } from "../../lib/i18n/index.ts";
import { readRows } from "../../lib/tabular/read.ts";
import { cliActor } from "../audit/service.ts";
import { ensureDefaultCommune } from "../communes/service.ts";
import { exportRecords } from "../exports/service.ts";
import { columnLabel, runImport } from "../imports/engine.ts";
import type { ImportKindName } from "../imports/types.ts";
import { currentPlan } from "../indicators/plan.ts";
import { resolveWindow } from "../indicators/service.ts";
import { buildReportModel } from "../reports/build.ts";
import { marketFigures } from "./service.ts";

const TODAY = "2026-06-15";
let database: Database;
let communeId: number;
let dir: string;
let sample: ReturnType<typeof writeVendorSample>;
let people: Awaited<ReturnType<typeof buildVendorCommune>>;

before(async () => {
  database = await createTestDatabase();
  const commune = await ensureDefaultCommune({
    db: database.db,
    commune: { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" },
  });
  communeId = commune.id;
  people = await buildVendorCommune(database.db, commune);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-vendors-"));
  sample = writeVendorSample(dir);
  const m = await imp("markets", sample.markets);
  assert.equal(m.ok, true, JSON.stringify(m.errors));
});
after(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const imp = (kind: ImportKindName, file: string, extra: Partial<Parameters<typeof runImport>[0]> = {}) =>
  runImport({ db: database.db, communeId, kind, file, actor: cliActor(communeId), today: TODAY, ...extra });

const written = async () =>
  [
    (await database.db.select({ n: count() }).from(residents))[0]!.n,
    (await database.db.select({ n: count() }).from(vendors))[0]!.n,
  ].join(",");

/**
 * A kind as the table drives it: its header, a valid row of it, the row made invalid (and the column
 * that names), the column a duplicate names, and where a row holds the person's name (and its column).
 */
type Kind = {
  kind: "residents" | "vendors";
  header: string[];
  row(i: number): string[];
  bad(i: number): string[];
  badColumn: string;
  duplicateColumn: string;
  nameAt: number;
  nameColumn: string;
};
const KINDS: Kind[] = [
  {
    kind: "residents",
    header: ["Họ và tên", "Ngày sinh", "Giới tính", "Thôn", "Mã hộ"],
    row: (i) => [`Người Thử ${i}`, "01/01/1980", "Nam", "T01", "T01-0001"],
    bad: (i) => [`Người Thử ${i}`, "", "Nam", "T01", "T01-0001"],
    badColumn: "birth_date",
    duplicateColumn: "full_name",
    nameAt: 0,
    nameColumn: "full_name",
  },
  {
    kind: "vendors",
    header: ["Mã chợ", "Số quầy", "Chủ quầy", "Mặt hàng"],
    row: (i) => ["CHO01", `X${i}`, `Người Thử ${i}`, "Rau"],
    bad: (i) => ["CHO01", "", `Người Thử ${i}`, "Rau"],
    badColumn: "stall",
    duplicateColumn: "stall",
    nameAt: 2,
    nameColumn: "owner_name",
  },
];

/** Valid row `i` of the kind with `name` as the person's name. */
const named = (k: Kind, i: number, name: string) => k.row(i).map((c, at) => (at === k.nameAt ? name : c));
const csv = (rows: string[][], sep = ",") => `${rows.map((r) => r.join(sep)).join("\n")}\n`;
/** A CSV upload of the kind's header and `rows`. */
const csvFile = (k: Kind, ...rows: string[][]) => ({ name: "a.csv", bytes: csv([k.header, ...rows]) });
const xml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const sheetOf = (rows: string[][]) =>
  zipOf([
    ...workbookParts(false),
    part(
      "xl/worksheets/sheet1.xml",
      `<worksheet ${NS}><sheetData>${rows.map((r) => `<row>${r.map((c) => inline(xml(c))).join("")}</row>`).join("")}</sheetData></worksheet>`,
    ),
  ]);

/** What an import came to: refused whole with a message, or the rows found invalid (with the reason's key). */
type Outcome = { refused: string } | { ok: boolean; invalid: [number, string][]; rows: number };

type Case = {
  name: string;
  file(k: Kind): { name: string; bytes: string | Buffer };
  expect: Outcome | ((k: Kind) => Outcome) | "same";
  opts?: Partial<Parameters<typeof runImport>[0]>;
};

const CASES: Case[] = [
  {
    name: "not a spreadsheet (.txt)",
    file: (k) => ({ name: "a.txt", bytes: csv([k.header, k.row(1)]) }),
    expect: { refused: "tabular.unknown_type" },
  },
  {
    name: "an empty file",
    file: () => ({ name: "a.csv", bytes: "" }),
    expect: { refused: "import.empty_file" },
  },
  {
    name: "blank lines only",
    file: () => ({ name: "a.csv", bytes: "\n \n;;\n" }),
    expect: { refused: "import.empty_file" },
  },
  {
    name: "a header of no kind",
    file: () => ({ name: "a.csv", bytes: "Foo,Bar\n1,2\n" }),
    expect: { refused: "import.no_header" },
  },
  {
    name: "required columns missing",
    file: (k) => ({ name: "a.csv", bytes: csv([k.header.slice(0, 1), k.row(1).slice(0, 1)]) }),
    expect: { refused: "import.missing_columns" },
  },
  {
    name: "a truncated .xlsx",
    file: (k) => ({
      name: "a.xlsx",
      bytes: sheetOf([k.header, ...Array.from({ length: 300 }, (_, i) => k.row(i))]).subarray(0, 700),
    }),
    expect: { refused: "tabular.corrupt_file" },
  },
  {
    name: "an .xlsx saved as .csv (a zip)",
    file: (k) => ({ name: "a.csv", bytes: sheetOf([k.header, k.row(1)]) }),
    expect: { refused: "tabular.corrupt_file" },
  },
  {
    name: "a CSV in a single-byte code page (Windows-1258 / Latin-1), not UTF-8",
    file: (k) => ({
      name: "a.csv",
      bytes: Buffer.from(csv([k.header, k.row(1)]), "latin1"),
    }),
    expect: { refused: "tabular.csv_encoding" },
  },
  {
    name: "a CSV in UTF-16 with its byte-order mark",
    file: (k) => ({
      name: "a.csv",
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv([k.header, k.row(2001)]), "utf16le")]),
    }),
    expect: "same",
  },
  {
    name: "an unclosed quote",
    file: (k) => ({
      name: "a.csv",
      bytes: `${k.header.join(",")}\n"${k.row(1).join(",")}\n${"x,y\n".repeat(50)}`,
    }),
    expect: "same",
  },
  {
    name: "a first line over 1 MB",
    file: () => ({ name: "a.csv", bytes: `${"abcd,".repeat(300_000)}\nb,c\n` }),
    expect: { refused: "tabular.csv_line_too_long" },
  },
  {
    name: "a row over 1 MB of text (.xlsx)",
    file: (k) => ({
      name: "a.xlsx",
      bytes: sheetOf([k.header, k.row(1).map((c, i) => (i === 0 || i === 2 ? "ă".repeat(600_000) : c))]),
    }),
    expect: { refused: "tabular.row_too_long" },
  },
  {
    name: "a cell past Excel's last column",
    file: (k) => ({
      name: "a.xlsx",
      bytes: zipOf([
        ...workbookParts(false),
        part(
          "xl/worksheets/sheet1.xml",
          `<worksheet ${NS}><sheetData><row>${k.header.map(inline).join("")}</row><row r="2"><c r="ZZZZZZZ2" t="inlineStr"><is><t>a</t></is></c></row></sheetData></worksheet>`,
        ),
      ]),
    }),
    expect: { refused: "tabular.too_many_columns" },
  },
  {
    name: "a zip bomb (the sheet inflates past the cap)",
    file: (k) => ({
      name: "a.xlsx",
      bytes: xlsxBomb(
        k.header,
        `<row>${k
          .row(1)
          .map((c) => inline(xml(c)))
          .join("")}</row>`,
        200_000,
      ),
    }),
    opts: { limits: { maxSheetBytes: 4 << 20 } },
    expect: { refused: "tabular.xlsx_part_too_large" },
  },
  {
    name: "a shared-strings bomb",
    file: () => ({ name: "a.xlsx", bytes: sharedStringsBomb(50_000, 100) }),
    opts: { limits: { maxSharedStringChars: 1 << 20 } },
    expect: { refused: "tabular.shared_strings_too_large" },
  },
  {
    name: "more rows than IMPORT_MAX_ROWS",
    file: (k) => csvFile(k, ...Array.from({ length: 51 }, (_, i) => k.row(100 + i))),
    opts: { maxRows: 50 },
    expect: { refused: "import.too_many_rows" },
  },
  {
    name: "a duplicate row, past blank lines (row numbers are the spreadsheet's)",
    file: (k) => ({ name: "a.csv", bytes: `\n\n${csv([k.header, k.row(7), k.row(8)])}\n${csv([k.row(7)])}` }),
    expect: (k) => ({ ok: false, rows: 3, invalid: [[7, `${k.duplicateColumn}:import.duplicate_in_file`]] }),
  },
  {
    name: "one invalid row among valid ones: all or nothing",
    file: (k) => csvFile(k, k.row(9), k.bad(10), k.row(11)),
    expect: (k) => ({
      ok: false,
      rows: 3,
      invalid: [[3, `${k.badColumn}:values.required`]],
    }),
  },
  {
    name: "a huge cell (150,000 characters) in a name",
    file: (k) => csvFile(k, named(k, 12, "ư".repeat(150_000))),
    expect: (k) => ({
      ok: false,
      rows: 1,
      invalid: [[2, `${k.nameColumn}:values.text_too_long`]],
    }),
  },
  {
    name: "NUL bytes and zero-width characters inside cells",
    file: (k) => csvFile(k, named(k, 13, `Ngư\u0000ời\u200b Thử 13`)),
    expect: "same",
  },
  {
    name: "formula-looking cells are kept as text",
    file: (k) => csvFile(k, named(k, 14, '"=HYPERLINK(""http://x"")"'), named(k, 15, "@SUM(A1)")),
    expect: { ok: true, rows: 2, invalid: [] },
  },
  {
    name: "headers in capitals without diacritics, semicolons, a BOM, CRLF, an unknown column",
    file: (k) => ({
      name: "a.csv",
      bytes: `\uFEFF${[
        [
          ...k.header.map((h) =>
            h
              .normalize("NFD")
              .replace(/[\u0300-\u036f]/g, "")
              .replace(/đ/g, "d")
              .toUpperCase(),
          ),
          "Ghi chú",
        ],
        [...k.row(16), "x"],
      ]
        .map((r) => r.join(";"))
        .join("\r\n")}\r\n`,
    }),
    expect: { ok: true, rows: 1, invalid: [] },
  },
];

async function outcomeOf(k: Kind, c: Case): Promise<Outcome> {
  const f = c.file(k);
  const file = path.join(dir, `${k.kind}-${CASES.indexOf(c)}-${f.name}`);
  fs.writeFileSync(file, f.bytes);
  try {
    const r = await imp(k.kind, file, c.opts);
    return {
      ok: r.ok,
      rows: r.rows,
      invalid: r.errors.map((e) => [e.row, `${e.column}:${e.message.key}`] as [number, string]),
    };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    assert.notEqual(e.code, "internal");
    // A clear Vietnamese message, every parameter filled in.
    assert.doesNotMatch(translate("vi", e.msg.key, e.msg.params), /\{\w+\}/);
    return { refused: e.msg.key };
  }
}

describe("the residents import's bad files, run on the vendor import too", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const outcomes: Outcome[] = [];
      for (const k of KINDS) {
        const before = await written();
        const got = await outcomeOf(k, c);
        outcomes.push(got);
        if ("refused" in got || !got.ok)
          assert.equal(await written(), before, `${k.kind}: something was written`);
        if (c.expect !== "same") {
          const want = typeof c.expect === "function" ? c.expect(k) : c.expect;
          assert.deepEqual(got, want, k.kind);
        }
      }
      // The same verdict for both kinds (the reasons' columns differ by kind, not their rows or keys).
      const shape = (o: Outcome) =>
        "refused" in o
          ? o
          : { ok: o.ok, rows: o.rows, invalid: o.invalid.map(([r, m]) => [r, m.split(":")[1]]) };
      assert.deepEqual(shape(outcomes[1]!), shape(outcomes[0]!));
    });
  }

  test("1,500 invalid rows: the first 1,000 kept, every one counted and in the errors file", async () => {
    for (const k of KINDS) {
      const file = path.join(dir, `${k.kind}-many.csv`);
      fs.writeFileSync(file, csv([k.header, ...Array.from({ length: 1500 }, (_, i) => k.bad(20_000 + i))]));
      const errorsFile = path.join(dir, `${k.kind}-many.errors.csv`);
      const before = await written();
      const r = await imp(k.kind, file, { errorsFile });
      assert.deepEqual(
        [r.ok, r.errors.length, r.errorCount, r.invalidRows],
        [false, 1000, 1500, 1500],
        k.kind,
      );
      let lines = 0;
      for await (const _ of readRows(errorsFile)) lines++;
      assert.equal(lines, 1501, k.kind);
      assert.equal(await written(), before);
    }
  });

  test("a file of the other kind: the missing columns by their Vietnamese headers, and the kind it fits", async () => {
    const file = path.join(dir, "residents-as-vendors.csv");
    fs.writeFileSync(file, csv([KINDS[0]!.header, KINDS[0]!.row(1)]));
    const e = await imp("vendors", file).then(
      () => assert.fail("accepted"),
      (x: unknown) => x as AppError,
    );
    assert.equal(e.msg.key, "import.missing_columns_guess");
    assert.equal(e.msg.params?.guess_kind, "residents");
    assert.match(translate("vi", e.msg.key, e.msg.params), /“Mã chợ”, “Số quầy”, “Chủ quầy”/);
    const back = path.join(dir, "vendors-as-markets.csv");
    fs.writeFileSync(back, csv([KINDS[1]!.header, KINDS[1]!.row(1)]));
    const e2 = await imp("markets", back).then(
      () => assert.fail("accepted"),
      (x: unknown) => x as AppError,
    );
    assert.equal(e2.msg.params?.guess_kind, "vendors");
  });
});

describe("the vendor sample", () => {
  const stalls = () =>
    database.db
      .select({
        stall: vendors.stall,
        owner: vendors.ownerName,
        resident: vendors.residentId,
        household: vendors.householdId,
        goods: vendors.goods,
        payments: vendors.payments,
        channels: vendors.channels,
      })
      .from(vendors)
      .orderBy(vendors.stall);

  test("the dirty file fails as a whole, reporting exactly its invalid rows, and writes nothing", async () => {
    const before = await written();
    const r = await imp("vendors", sample.dirty);
    assert.equal(r.ok, false);
    assert.equal(r.rows, VENDORS_DIRTY.rows);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.column]),
      VENDORS_DIRTY.invalid.map((e) => [e.row, e.column]),
    );
    assert.deepEqual(r.columns.citizen_id, "cccd");
    assert.deepEqual(
      r.warnings.map((w) => [w.row, w.column, w.message.key]),
      [
        [3, null, "import.unknown_column"],
        [4, "citizen_id", "values.cccd_zero_restored"],
        [19, "owner_name", "markets.owner_not_member"],
      ],
    );
    // Every reason reads in Vietnamese with its parameters filled in.
    for (const e of r.errors)
      assert.doesNotMatch(translate("vi", e.message.key, e.message.params), /\{\w+\}/);
    assert.equal(await written(), before);
    const dry = await imp("vendors", sample.dirty, { dryRun: true, skipInvalid: true });
    assert.deepEqual([dry.ok, dry.inserted], [true, VENDORS_DIRTY.valid]);
    assert.equal(await written(), before);
  });

  test("with skip-invalid: the valid rows, normalized; the others unchanged in the rejects file with “Lý do”", async () => {
    await database.db.delete(vendors);
    const rejects = path.join(dir, "vendors.rejects.csv");
    const r = await imp("vendors", sample.dirty, { skipInvalid: true, rejectsFile: rejects });
    assert.deepEqual(
      [r.ok, r.inserted, r.rejected],
      [true, VENDORS_DIRTY.valid, VENDORS_DIRTY.invalid.length],
    );
    const rows = await stalls();
    assert.deepEqual(
      rows.map((v) => [v.stall, v.owner, v.resident, v.household, v.payments, v.channels]),
      [
        ["C01", "le van lac", people.lac.id, people.h1.id, ["qr", "bank"], ["zalo"]],
        ["C12", '=HYPERLINK("http://x")', null, null, ["qr"], []],
        ["C13", "Người Mới", null, people.h1.id, ["ewallet"], ["facebook"]],
      ],
    );
    assert.equal(rows[1]!.goods, "@SUM(A1)");
    const text = fs.readFileSync(rejects, "utf8");
    assert.ok(text.startsWith("\uFEFF"), "the rejects file keeps the BOM");
    const out: string[][] = [];
    for await (const row of readRows(rejects)) out.push(row.cells.map((c) => (c === null ? "" : String(c))));
    const header = out.shift()!;
    assert.equal(header.at(-1), "Lý do");
    assert.equal(out.length, VENDORS_DIRTY.invalid.length);
    for (const [i, e] of VENDORS_DIRTY.invalid.entries())
      assert.match(
        out[i]!.at(-1)!,
        new RegExp(`^${columnLabel("vi", "vendors", e.column)}: `),
        `row ${e.row}`,
      );
    await database.db.delete(vendors);
  });
});

describe("the clean vendor list", () => {
  test("imports with its owners linked; re-importing it, or its export, changes nothing", async () => {
    await database.db.delete(vendors);
    const r = await imp("vendors", sample.vendors);
    assert.deepEqual([r.ok, r.inserted, r.warningCount], [true, 6, 0], JSON.stringify(r.errors));
    const rows = await database.db
      .select({ stall: vendors.stall, resident: vendors.residentId, household: vendors.householdId })
      .from(vendors)
      .orderBy(vendors.stall);
    assert.deepEqual(
      rows.map((v) => [v.stall, v.resident, v.household]),
      [
        ["A01", people.lac.id, people.h1.id],
        ["A02", people.hoa.id, people.h1.id],
        ["A03", null, null],
        ["A04", null, null],
        ["B01", people.quynh.id, people.h2.id],
        ["B02", null, null],
      ],
    );
    const again = await imp("vendors", sample.vendors);
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 6]);
    for (const ext of ["csv", "xlsx"]) {
      const file = path.join(dir, `vendors-export.${ext}`);
      const { rows: n } = await exportRecords({
        db: database.db,
        kind: "vendors",
        scope: { kind: "commune", communeId },
        mask: false,
        file,
      });
      assert.equal(n, 6);
      const back = await imp("vendors", file);
      assert.deepEqual([back.ok, back.inserted, back.updated, back.unchanged], [true, 0, 0, 6], ext);
    }
    // A masked export leaves citizen IDs out (never a masked ID to re-import): it still imports unchanged.
    const masked = path.join(dir, "vendors-masked.csv");
    await exportRecords({
      db: database.db,
      kind: "vendors",
      scope: { kind: "commune", communeId },
      mask: true,
      file: masked,
    });
    assert.doesNotMatch(fs.readFileSync(masked, "utf8"), /038075000111|038\*/);
    assert.deepEqual((await imp("vendors", masked)).unchanged, 6);
  });

  test("a changed row updates its stall; the figures count vendors with a cashless payment, by market", async () => {
    const file = path.join(dir, "vendors-changed.csv");
    fs.writeFileSync(file, "Mã chợ,Số quầy,Chủ quầy,Thanh toán\nCHO01,A04,Đinh Thị Mơ,Ví điện tử\n");
    const r = await imp("vendors", file);
    assert.deepEqual([r.inserted, r.updated], [0, 1]);
    const f = await marketFigures({ db: database.db, communeId });
    assert.deepEqual(
      f.markets.map((m) => [m.code, m.cashless, m.vendors]),
      [
        ["CHO01", 4, 4],
        ["CHO02", 1, 2],
      ],
    );
    assert.deepEqual([f.total.cashless, f.total.vendors], [5, 6]);
    const [a04] = await database.db
      .select({ p: vendors.payments })
      .from(vendors)
      .where(eq(vendors.stall, "A04"));
    assert.deepEqual(a04!.p, ["ewallet"]);
  });

  test("the report prints the same figures under indicator 10, the commune then each market", async () => {
    const plan = currentPlan();
    const w = resolveWindow({ date: TODAY, period: "2026", plan });
    const { model } = await buildReportModel({
      db: database.db,
      communeId,
      plan,
      ...w,
      narrative: { overview: "", difficulties: "", nextSteps: "", proposals: "" },
      number: null,
      signedOn: TODAY,
      signerName: null,
      lang: "vi",
    });
    const results = model.sections[0]!.paragraphs;
    const ten = results.findIndex((p) => p.startsWith("- Chỉ tiêu 10 "));
    assert.ok(ten > 0, "indicator 10's line");
    assert.deepEqual(results.slice(ten + 1, ten + 4), [
      "- Chợ số – Nông thôn số: 5/6 quầy hàng tại 2 chợ nhận thanh toán không dùng tiền mặt (83,3%).",
      "- Chợ Tân Ninh: 4/4 quầy (100%).",
      "- Chợ phiên Thôn Hai: 1/2 quầy (50%).",
    ]);
  });
});
