import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { count, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import type { Database } from "../../db/client.ts";
import {
  attendance,
  auditEvents,
  certifications,
  type households,
  residents,
  teamMembers,
  type units,
  villages,
  visits,
} from "../../db/schema.ts";
import { AppError } from "../../lib/errors.ts";
import { t as translate } from "../../lib/i18n/index.ts";
import { readRows } from "../../lib/tabular/read.ts";
import { cliActor } from "../audit/service.ts";
import { ensureDefaultCommune } from "../communes/service.ts";
import { currentPlan } from "../indicators/plan.ts";
import { computeIndicators, resolveWindow } from "../indicators/service.ts";
import { columnLabel, runImport } from "./engine.ts";
import type { ImportKindName } from "./types.ts";

const SAMPLE = path.resolve("../shared/data/sample");
const TODAY = "2026-11-25";
let database: Database;
let communeId: number;
let dir: string;

before(async () => {
  database = await createTestDatabase();
  communeId = (
    await ensureDefaultCommune({
      db: database.db,
      commune: { code: "TANNINH", name: "Xã Tân Ninh", province: "Thanh Hóa" },
    })
  ).id;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-import-"));
});
after(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const imp = (kind: ImportKindName, file: string, extra: Partial<Parameters<typeof runImport>[0]> = {}) =>
  runImport({ db: database.db, communeId, kind, file, actor: cliActor(communeId), today: TODAY, ...extra });

const countOf = async (
  table:
    | typeof residents
    | typeof households
    | typeof villages
    | typeof units
    | typeof certifications
    | typeof attendance
    | typeof visits
    | typeof teamMembers,
) => (await database.db.select({ n: count() }).from(table))[0]!.n;

function write(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("the sample commune", () => {
  const order: [ImportKindName, string, number][] = [
    ["villages", "villages.csv", 6],
    ["units", "units.csv", 9],
    ["households", "households.csv", 300],
    ["residents", "residents.xlsx", 1093],
    ["certifications", "certifications.csv", 670],
    ["activities", "activities.csv", 18],
    ["attendance", "attendance.csv", 140],
    ["team_members", "team_members.csv", 20],
    ["visits", "visits.csv", 60],
    ["incidents", "incidents.csv", 3],
  ];

  test("imports in order; every row lands", async () => {
    for (const [kind, file, rows] of order) {
      const r = await imp(kind, path.join(SAMPLE, file));
      assert.equal(r.ok, true, `${kind}: ${JSON.stringify(r.errors.slice(0, 3))}`);
      assert.equal(r.rows, rows, kind);
      assert.equal(r.inserted, rows, kind);
      assert.deepEqual(r.errors, []);
    }
    assert.equal(await countOf(residents), 1093);
    assert.equal(await countOf(certifications), 670);
    // Excel number cells lost their leading zeros: restored, with a warning on that row.
    const [a] = await database.db
      .select({ n: count() })
      .from(residents)
      .where(sql`${residents.citizenId} like '0%'`);
    assert.ok(a!.n > 900);
  });

  test("re-importing every file changes nothing", async () => {
    const hash = () =>
      database.db
        .select({ h: sql<string>`md5(string_agg(${residents}::text, ',' order by ${residents.id}))` })
        .from(residents);
    const before = await hash();
    for (const [kind, file, rows] of order) {
      const r = await imp(kind, path.join(SAMPLE, file));
      assert.equal(r.ok, true);
      assert.equal(r.unchanged, rows, kind);
      assert.equal(r.inserted + r.updated, 0, kind);
    }
    assert.deepEqual(await hash(), before);
  });

  test("the indicators of the imported sample are exactly those of expected.json, at both dates", async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(SAMPLE, "expected.json"), "utf8")) as {
      date: string;
      period: string;
      indicators: Record<string, unknown>[];
    }[];
    const plan = currentPlan();
    for (const want of expected) {
      const w = resolveWindow({ date: want.date, period: want.period, plan });
      const got = await computeIndicators({ db: database.db, communeId, plan, ...w });
      assert.equal(got.date, want.date);
      for (const figure of want.indicators) {
        const mine = got.indicators.find((i) => i.id === figure.id)!;
        for (const [key, value] of Object.entries(figure))
          assert.deepEqual(mine[key as keyof typeof mine], value, `${want.date} #${figure.id} ${key}`);
      }
    }
  });

  test("movement files: an unknown activity, a visit in the future, a member of another village — row-exact, nothing written", async () => {
    const before = [await countOf(attendance), await countOf(visits), await countOf(teamMembers)];
    const att = await imp(
      "attendance",
      write(
        "att.csv",
        "Mã hoạt động,Ngày,Số CCCD,Có mặt\nHD0001,11/06/2026,038148998227,x\nHD9999,11/06/2026,038148998227,x\n",
      ),
    );
    assert.equal(att.ok, false);
    assert.deepEqual(
      att.errors.map((e) => [e.row, e.column, e.message.key]),
      [[3, "activity", "attendance.activity_unknown"]],
    );
    const vis = await imp(
      "visits",
      write(
        "vis.csv",
        [
          "Mã hộ,Ngày,Người hỗ trợ,Nội dung hỗ trợ",
          "T01-0001,01/12/2026,Lò Xuân Bình,Cài đặt VNeID",
          "T01-0001,02/11/2026,Đặng Kim Bích,Cài đặt VNeID; Định danh mức 2",
          "T01-0001,03/11/2026,lo xuan binh,Thanh toán không dùng tiền mặt",
        ].join("\n"),
      ),
    );
    assert.equal(vis.ok, false);
    assert.deepEqual(
      vis.errors.map((e) => [e.row, e.column]),
      [
        [2, "date"],
        [3, "member"],
      ],
    );
    const team = await imp(
      "team_members",
      write("team.csv", "Thôn,Họ và tên,Vai trò\nT99,Ai Đó,Thành viên\nT01,Ai Khác,Trưởng nhóm\n"),
    );
    assert.deepEqual(
      team.errors.map((e) => [e.row, e.column]),
      [
        [2, "village"],
        [3, "role"],
      ],
    );
    assert.deepEqual([await countOf(attendance), await countOf(visits), await countOf(teamMembers)], before);
    // With --skip-invalid the good visit (a name typed without diacritics) lands; the others are rejected.
    const skipped = await imp("visits", path.join(dir, "vis.csv"), { skipInvalid: true });
    assert.deepEqual([skipped.inserted, skipped.rejected], [1, 2]);
  });

  test("every committed import leaves one audit event with its counts", async () => {
    const rows = await database.db
      .select({ after: auditEvents.after })
      .from(auditEvents)
      .where(eq(auditEvents.action, "import.residents"));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0]!.after, {
      file: "residents.xlsx",
      rows: 1093,
      inserted: 1093,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
  });
});

describe("the dirty file", () => {
  const expected = JSON.parse(
    fs.readFileSync(path.join(SAMPLE, "residents_dirty.expected.json"), "utf8"),
  ) as {
    rows: number;
    valid: number;
    invalid: { row: number; column: string }[];
    normalized: ({ row: number } & Record<string, string>)[];
  };

  test("fails as a whole, reporting exactly the invalid rows, and writes nothing", async () => {
    const before = await countOf(residents);
    const r = await imp("residents", path.join(SAMPLE, "residents_dirty.csv"));
    assert.equal(r.ok, false);
    assert.equal(r.rows, expected.rows);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.column]),
      expected.invalid.map((e) => [e.row, e.column]),
    );
    assert.equal(r.inserted, 0);
    assert.equal(await countOf(residents), before);
  });

  test("a dry run checks and reports without writing", async () => {
    const before = await countOf(residents);
    const r = await imp("residents", path.join(SAMPLE, "residents_dirty.csv"), {
      dryRun: true,
      skipInvalid: true,
    });
    assert.equal(r.ok, true);
    assert.equal(r.inserted, expected.valid);
    assert.equal(await countOf(residents), before);
  });

  test("with skip-invalid writes the valid rows, normalized, and the others unchanged to the rejects file", async () => {
    const before = await countOf(residents);
    const rejects = path.join(dir, "rejects.csv");
    const r = await imp("residents", path.join(SAMPLE, "residents_dirty.csv"), {
      skipInvalid: true,
      rejectsFile: rejects,
    });
    assert.equal(r.ok, true);
    assert.equal(r.inserted + r.updated + r.unchanged, expected.valid);
    assert.equal(r.rejected, expected.invalid.length);
    assert.equal(await countOf(residents), before + r.inserted);

    // Each normalized value as listed.
    const source: Map<number, string[]> = new Map();
    for await (const row of readRows(path.join(SAMPLE, "residents_dirty.csv")))
      source.set(row.rowNumber, row.cells.map(String));
    for (const n of expected.normalized) {
      const where = n.citizen_id
        ? sql`${residents.citizenId} = ${n.citizen_id}`
        : sql`${residents.fullName} = ${n.full_name}`;
      const [row] = await database.db.select().from(residents).where(where);
      assert.ok(row, `row ${n.row} not stored`);
      const stored: Record<string, unknown> = {
        citizen_id: row.citizenId,
        full_name: row.fullName,
        phone: row.phone,
        birth_date: row.birthDate,
        gender: row.gender,
        status: row.status,
        groups: row.groups.join(";"),
        vneid_level: String(row.vneidLevel),
        disabled: String(row.disabled),
      };
      for (const [k, v] of Object.entries(n)) {
        if (k === "row" || !(k in stored)) continue;
        assert.equal(String(stored[k]), String(v), `row ${n.row}, ${k}`);
      }
    }

    // The rejects file: the same header plus “Lý do”, the invalid rows exactly as they were, each
    // reason behind the column's Vietnamese name (“Ngày sinh: …”, not “birth_date: …”).
    const out: string[][] = [];
    for await (const row of readRows(rejects)) out.push(row.cells.map((c) => (c === null ? "" : String(c))));
    const header = out.shift()!;
    assert.equal(header.at(-1), "Lý do");
    assert.equal(out.length, expected.invalid.length);
    expected.invalid.forEach((e, i) => {
      const original = source.get(e.row)!.map((c) => (c === "null" ? "" : c));
      assert.deepEqual(out[i]!.slice(0, original.length), original, `row ${e.row}`);
      assert.match(out[i]!.at(-1)!, new RegExp(`^${columnLabel("vi", "residents", e.column)}: `));
      assert.doesNotMatch(out[i]!.at(-1)!, /\b(birth_date|citizen_id|full_name|phone|gender)\b/);
    });
  });
});

describe("what a user reads when a file does not fit (issue 17 point 2)", () => {
  const t = (e: AppError) => translate("vi", e.msg.key, e.msg.params);

  test("a residents file uploaded as villages: the missing columns by their Vietnamese headers, and the kind it fits", async () => {
    const file = write(
      "residents-as-villages.csv",
      "Họ và tên,Ngày sinh,Giới tính,Thôn,Mã hộ\nLê Văn Lạc,01/01/1980,Nam,T01,T01-0001\n",
    );
    const before = await countOf(residents);
    const err = await imp("villages", file).then(
      () => assert.fail("accepted"),
      (e: unknown) => e as AppError,
    );
    assert.ok(err instanceof AppError);
    assert.equal(err.msg.key, "import.missing_columns_guess");
    assert.equal(err.msg.params?.guess_kind, "residents");
    const text = t(err);
    // ("Thôn" is a villages file's name column too: only the code lacks.)
    assert.match(text, /: “Mã thôn” \(dòng tiêu đề là dòng 1\)/);
    assert.match(text, /khớp với loại “Cư dân”/);
    assert.doesNotMatch(text, /\bcode\b|\bname\b/);
    assert.equal(await countOf(residents), before);
  });

  test("a header of no kind at all: no guess; a header of another kind without its required ones: no guess", async () => {
    const file = write("nothing.csv", "Foo,Bar\n1,2\n");
    await assert.rejects(
      imp("villages", file),
      (e: unknown) => e instanceof AppError && e.msg.key === "import.no_header",
    );
    const half = write("half.csv", "Mã thôn\nX\n");
    await assert.rejects(
      imp("villages", half),
      (e: unknown) => e instanceof AppError && e.msg.key === "import.missing_columns",
    );
  });

  test("the rejects file is written as the file came: semicolons and no BOM, or a BOM; an .xlsx keeps its sheet's name", async () => {
    const rows = "Mã thôn;Tên thôn\nR01;Thôn Một\n;Thôn Không Mã\n";
    for (const bom of [false, true]) {
      const file = write(`villages-${bom}.csv`, `${bom ? "\uFEFF" : ""}${rows}`);
      const rejects = path.join(dir, `villages-${bom}.rejects.csv`);
      const r = await imp("villages", file, { skipInvalid: true, rejectsFile: rejects, dryRun: false });
      assert.equal(r.rejected, 1);
      const bytes = fs.readFileSync(rejects);
      assert.equal(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, bom, `BOM ${bom}`);
      const lines = bytes
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .trim()
        .split(/\r?\n/);
      assert.equal(lines[0], "Mã thôn;Tên thôn;Lý do");
      assert.match(lines[1]!, /^;Thôn Không Mã;Mã thôn: /);
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Danh sách thôn");
    sheet.addRow(["Mã thôn", "Tên thôn"]);
    sheet.addRow(["R02", "Thôn Hai"]);
    sheet.addRow([null, "Thôn Không Mã"]);
    const xlsx = path.join(dir, "villages-sheet.xlsx");
    await workbook.xlsx.writeFile(xlsx);
    const rejects = path.join(dir, "villages-sheet.rejects.xlsx");
    const r = await imp("villages", xlsx, { skipInvalid: true, rejectsFile: rejects });
    assert.equal(r.rejected, 1);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(rejects);
    assert.deepEqual(
      back.worksheets.map((w) => w.name),
      ["Danh sách thôn"],
    );
    assert.equal(back.worksheets[0]!.getRow(1).getCell(3).value, "Lý do");
  });
});

describe("the rules of SPEC §5, one by one", () => {
  test("headers match ignoring case, diacritics, spaces and punctuation; semicolons and a BOM are detected", async () => {
    const file = write(
      "villages-semicolon.csv",
      '\uFEFFMA THON ; ten_thon;Ghi chú\r\nV90;Thôn Chín Mươi;x\r\n\r\nV91;"Thôn; Chín Mốt";\r\n',
    );
    const r = await imp("villages", file);
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.inserted, 2);
    assert.deepEqual(r.columns, { code: "MA THON", name: "ten_thon" });
    assert.deepEqual(
      r.warnings.map((w) => [w.row, w.message.key, w.message.params]),
      [[1, "import.unknown_column", { name: "Ghi chú" }]],
    );
    const [v] = await database.db
      .select({ name: villages.name })
      .from(villages)
      .where(eq(villages.code, "V91"));
    assert.equal(v!.name, "Thôn; Chín Mốt");
  });

  test("row numbers are the spreadsheet's, past blank lines and a title row", async () => {
    const file = write(
      "units-title.csv",
      "\n\nMã đơn vị,Tên đơn vị,Loại\nDN9,Công ty May,Doanh nghiệp\n\nDN9,Trùng,Doanh nghiệp\n",
    );
    const r = await imp("units", file);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.column, e.message.key, e.message.params]),
      [[6, "code", "import.duplicate_in_file", { row: 4 }]],
    );
  });

  test("xlsx: real date cells, numbers that lost their zeros, year-only births, formula-looking text", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Danh sách");
    ws.addRow(["Họ tên", "Ngày sinh", "Giới tính", "CCCD", "SĐT", "Thôn", "Mã hộ"]);
    ws.addRow([
      "Nguyễn Văn Ấn",
      new Date(Date.UTC(1985, 3, 30)),
      "nam",
      38085012345,
      912345678,
      "T01",
      "T01-0001",
    ]);
    ws.addRow(["Cụ Lò Thị Mến", 1938, "Nữ", null, null, "T01", "T01-0001"]);
    ws.addRow(['=HYPERLINK("x")', "1990-02-01", "F", null, "+84 987 654 321", "T01", "T01-0001"]);
    ws.getCell("B2").numFmt = "dd/mm/yyyy";
    const file = path.join(dir, "residents-cells.xlsx");
    await wb.xlsx.writeFile(file);
    const r = await imp("residents", file);
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual(
      r.warnings.map((w) => [w.row, w.column]),
      [
        [2, "citizen_id"],
        [2, "phone"],
      ],
    );
    const rows = await database.db
      .select({
        n: residents.fullName,
        b: residents.birthDate,
        y: residents.birthYearOnly,
        c: residents.citizenId,
        p: residents.phone,
        g: residents.gender,
      })
      .from(residents)
      .where(sql`${residents.fullName} in ('Nguyễn Văn Ấn', 'Cụ Lò Thị Mến', '=HYPERLINK("x")')`)
      .orderBy(residents.id);
    assert.deepEqual(rows, [
      { n: "Nguyễn Văn Ấn", b: "1985-04-30", y: false, c: "038085012345", p: "0912345678", g: "male" },
      { n: "Cụ Lò Thị Mến", b: "1938-01-01", y: true, c: null, p: null, g: "female" },
      { n: '=HYPERLINK("x")', b: "1990-02-01", y: false, c: null, p: "0987654321", g: "female" },
    ]);
  });

  test("a changed row updates the resident found by citizen ID; a row without one matches name + birth date + household", async () => {
    const head = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Thôn,Mã hộ,Mức VNeID\n";
    const first = write(
      "upd1.csv",
      `${head}Trần Thị Bé,02/03/1990,Nữ,038190000777,,T01,T01-0001,0\nĐỗ Văn Không,05/06/2012,Nam,,,T01,T01-0001,0\n`,
    );
    assert.equal((await imp("residents", first)).inserted, 2);
    const second = write(
      "upd2.csv",
      `${head}Trần Thị Bé,02/03/1990,Nữ,038190000777,0988000111,T01,T01-0001,2\nĐỗ Văn Không,05/06/2012,Nam,,,T01,T01-0001,1\n`,
    );
    const r = await imp("residents", second);
    assert.deepEqual([r.inserted, r.updated, r.unchanged], [0, 2, 0]);
    const [be] = await database.db.select().from(residents).where(eq(residents.citizenId, "038190000777"));
    assert.deepEqual([be!.phone, be!.vneidLevel], ["0988000111", 2]);
  });

  test("a row with a citizen ID takes over the resident without one; a row without one keeps the ID on record", async () => {
    const head = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Thôn,Mã hộ,Mức VNeID\n";
    const first = write(
      "take1.csv",
      `${head}Vũ Thị Lành,07/08/1975,Nữ,,,T01,T01-0001,0\nLý Văn Tâm,09/10/1960,Nam,038060000888,,T01,T01-0001,0\n`,
    );
    assert.equal((await imp("residents", first)).inserted, 2);
    const second = write(
      "take2.csv",
      `${head}Vũ Thị Lành,07/08/1975,Nữ,038175000999,,T01,T01-0001,1\nLý Văn Tâm,09/10/1960,Nam,,0912000333,T01,T01-0001,0\n`,
    );
    const r = await imp("residents", second);
    assert.deepEqual([r.inserted, r.updated, r.unchanged], [0, 2, 0]);
    const rows = await database.db
      .select({ n: residents.fullName, c: residents.citizenId, p: residents.phone, v: residents.vneidLevel })
      .from(residents)
      .where(sql`${residents.fullName} in ('Vũ Thị Lành', 'Lý Văn Tâm')`)
      .orderBy(residents.id);
    assert.deepEqual(rows, [
      { n: "Vũ Thị Lành", c: "038175000999", p: null, v: 1 },
      { n: "Lý Văn Tâm", c: "038060000888", p: "0912000333", v: 0 },
    ]);
    assert.deepEqual((await imp("residents", second)).unchanged, 2);
  });

  test("two rows of one file that find the same resident: the later one wins, as row by row", async () => {
    const head = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Thôn,Mã hộ,Mức VNeID\n";
    assert.equal(
      (
        await imp(
          "residents",
          write("twice1.csv", `${head}Hà Văn Hai,01/02/1970,Nam,038070000444,,T01,T01-0001,0\n`),
        )
      ).inserted,
      1,
    );
    const r = await imp(
      "residents",
      write(
        "twice2.csv",
        `${head}Hà Văn Hai,01/02/1970,Nam,038070000444,0912000001,T01,T01-0001,1\nHà Văn Hai,01/02/1970,Nam,,0912000002,T01,T01-0001,2\n`,
      ),
    );
    assert.deepEqual([r.inserted, r.updated], [0, 2]);
    const rows = await database.db
      .select({ c: residents.citizenId, p: residents.phone, v: residents.vneidLevel })
      .from(residents)
      .where(eq(residents.fullName, "Hà Văn Hai"));
    assert.deepEqual(rows, [{ c: "038070000444", p: "0912000002", v: 2 }]);
  });

  test("a household must be in the row's village", async () => {
    const file = write(
      "wrong-village.csv",
      "Họ và tên,Ngày sinh,Giới tính,Thôn,Mã hộ\nLê Văn Lạc,01/01/1980,Nam,T02,T01-0001\n",
    );
    const r = await imp("residents", file);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.column, e.message.key]),
      [[2, "household", "import.household_other_village"]],
    );
  });

  test("file-level problems: unknown type, empty, no header, missing columns, truncated xlsx — a clear error, nothing written", async () => {
    const before = await countOf(villages);
    const cases: [string, string | Buffer, string][] = [
      ["villages.txt", "Mã thôn,Tên thôn\nX,Y\n", "tabular.unknown_type"],
      ["empty.csv", "", "import.empty_file"],
      ["blank.csv", "\n\n \n", "import.empty_file"],
      ["noheader.csv", "Foo,Bar\n1,2\n", "import.no_header"],
      ["missing.csv", "Mã thôn\nX\n", "import.missing_columns"],
      [
        "truncated.xlsx",
        fs.readFileSync(path.join(SAMPLE, "residents.xlsx")).subarray(0, 5000),
        "tabular.corrupt_file",
      ],
    ];
    for (const [name, content, key] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      await assert.rejects(
        imp("villages", file),
        (e: unknown) => e instanceof AppError && e.msg.key === key,
        name,
      );
    }
    assert.equal(await countOf(villages), before);
  });

  test("a certification finds its resident by citizen ID, else by name + birth date, and says so when it cannot", async () => {
    const file = write(
      "certs.csv",
      [
        "Số CCCD,Họ và tên,Ngày sinh,Loại,Ngày cấp,Nguồn",
        "038190000777,,,Cơ bản,01/10/2026,Nền tảng",
        ",Đỗ Văn Không,05/06/2012,VNeID,02/10/2026,VNeID",
        "038199999999,,,Cơ bản,01/10/2026,Nền tảng",
        ",Người Không Có,01/01/1970,Cơ bản,01/10/2026,Khóa học",
        ",Đỗ Văn Không,05/06/2012,Hạng A,02/10/2026,VNeID",
      ].join("\n"),
    );
    const r = await imp("certifications", file);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.column, e.message.key]),
      [
        [4, "citizen_id", "import.resident_not_found_cccd"],
        [5, "full_name", "import.resident_not_found_name"],
        [6, "kind", "values.enum_unknown"],
      ],
    );
    const ok = await imp("certifications", file, { skipInvalid: true });
    assert.equal(ok.inserted, 2);
  });
});
