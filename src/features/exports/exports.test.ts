import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { and, count, eq, inArray } from "drizzle-orm";
import { createTestDatabase } from "../../../test/helpers/db.ts";
import { importSampleFiles, SAMPLE, SAMPLE_COMMUNE, SAMPLE_FILES } from "../../../test/helpers/sample.ts";
import type { Database } from "../../db/client.ts";
import {
  activities,
  attendance,
  certifications,
  households,
  incidents,
  markets,
  residents,
  teamMembers,
  units,
  vendors,
  villages,
  visits,
} from "../../db/schema.ts";
import { AppError } from "../../lib/errors.ts";
import { maskCitizenId, maskPhone } from "../../lib/mask.ts";
import { type Cell, readRows } from "../../lib/tabular/read.ts";
import { cliActor } from "../audit/service.ts";
import type { Scope } from "../auth/policy.ts";
import { insertCommune } from "../communes/repo.ts";
import { ensureDefaultCommune } from "../communes/service.ts";
import { runImport } from "../imports/engine.ts";
import { IMPORT_KIND_SPECS } from "../imports/kinds/index.ts";
import { EXPORT_COLUMNS, EXPORT_KINDS, type ExportKind, exportRecords } from "./service.ts";

const TODAY = "2026-11-25";
const HYPERLINK = '=HYPERLINK("http://x","bấm")';
let database: Database;
let communeId: number;
let scope: Scope;
let dir: string;

const imp = (kind: ExportKind, file: string, extra: Partial<Parameters<typeof runImport>[0]> = {}) =>
  runImport({ db: database.db, communeId, kind, file, actor: cliActor(communeId), today: TODAY, ...extra });

function write(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

before(async () => {
  database = await createTestDatabase();
  communeId = (
    await ensureDefaultCommune({
      db: database.db,
      commune: SAMPLE_COMMUNE,
    })
  ).id;
  scope = { kind: "commune", communeId };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-export-"));
  await importSampleFiles(database.db, communeId, SAMPLE_FILES, TODAY);
  // The dirty file's valid rows, among them row 38 whose full name looks like a formula.
  assert.equal(
    (await imp("residents", path.join(SAMPLE, "residents_dirty.csv"), { skipInvalid: true })).ok,
    true,
  );
  // What the sample lacks: a year-only birth date, several groups, a reference.
  const extra = await imp(
    "residents",
    write(
      "extra-residents.csv",
      "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Thôn,Mã hộ,Tình trạng,Đối tượng,Đơn vị,Khuyết tật,Mức VNeID\n" +
        "Cụ Hoàng Văn Thọ,1948,Nam,,,T01,T01-0001,Đã mất,,,x,0\n" +
        "Lê Thị Xuyến,15/04/1985,Nữ,038185990123,0912345678,T01,T01-0002,Đang cư trú,CBCCVC;Người lao động DN,UBND,,Mức 2\n",
    ),
  );
  assert.equal(extra.inserted, 2, JSON.stringify(extra.errors));
  const certs = await imp(
    "certifications",
    write(
      "extra-certifications.csv",
      "Số CCCD,Họ và tên,Ngày sinh,Loại,Ngày cấp,Nguồn,Số hiệu\n" +
        ",Cụ Hoàng Văn Thọ,1948,Cơ bản,20/10/2026,Lớp học,CN-2026/017\n" +
        "038185990123,Lê Thị Xuyến,15/04/1985,VNeID,01/09/2026,VNeID,\n",
    ),
  );
  assert.equal(certs.inserted, 2, JSON.stringify(certs.errors));
  // A second commune, whose records no export of the first may carry.
  const other = await insertCommune(database.db, { code: "KHAC", name: "Xã Khác", province: "Thanh Hóa" });
  const r = await runImport({
    db: database.db,
    communeId: other.id,
    kind: "villages",
    file: write("other-villages.csv", "Mã thôn,Tên thôn\nK01,Thôn Khác Một\n"),
    actor: cliActor(other.id),
    today: TODAY,
  });
  assert.equal(r.inserted, 1);
});
after(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Table = { header: string[]; rows: Record<string, Cell>[] };

/** A written file read back: its header and each row keyed by it. */
async function readTable(file: string): Promise<Table> {
  let header: string[] | undefined;
  const rows: Record<string, Cell>[] = [];
  for await (const { cells } of readRows(file)) {
    if (!header) header = cells.map(String);
    else rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? null])));
  }
  return { header: header ?? [], rows };
}

async function exportTo(kind: ExportKind, name: string, extra: { scope?: Scope; mask?: boolean } = {}) {
  const file = path.join(dir, name);
  const { rows } = await exportRecords({
    db: database.db,
    kind,
    scope: extra.scope ?? scope,
    mask: extra.mask ?? false,
    file,
  });
  return { file, rows, table: await readTable(file) };
}

const tables = {
  villages,
  units,
  households,
  residents,
  certifications,
  activities,
  attendance,
  team_members: teamMembers,
  visits,
  incidents,
  markets,
  vendors,
} as const;

const countRows = async (table: (typeof tables)[keyof typeof tables]) =>
  (await database.db.select({ n: count() }).from(table).where(eq(table.communeId, communeId)))[0]!.n;

describe("exportRecords", () => {
  test("every kind, csv and xlsx: the column keys of the data README as header, every record of the commune", async () => {
    assert.deepEqual(EXPORT_COLUMNS.residents, [
      "full_name",
      "birth_date",
      "gender",
      "citizen_id",
      "phone",
      "village",
      "household",
      "status",
      "groups",
      "unit",
      "disabled",
      "vneid_level",
    ]);
    assert.deepEqual(EXPORT_COLUMNS.certifications, [
      "citizen_id",
      "full_name",
      "birth_date",
      "kind",
      "date",
      "source",
      "reference",
    ]);
    for (const kind of EXPORT_KINDS) {
      const importKeys = IMPORT_KIND_SPECS[kind].columns.map((c) => c.key);
      for (const key of EXPORT_COLUMNS[kind]) assert.ok(importKeys.includes(key), `${kind}.${key}`);
      const expected = await countRows(tables[kind]);
      for (const ext of ["csv", "xlsx"]) {
        const { rows, table } = await exportTo(kind, `${kind}.${ext}`);
        assert.deepEqual(table.header, EXPORT_COLUMNS[kind], `${kind}.${ext}`);
        assert.equal(rows, expected, `${kind}.${ext}`);
        assert.equal(table.rows.length, expected, `${kind}.${ext}`);
      }
    }
    const { table } = await exportTo("villages", "villages-check.csv");
    // Rows come in Vietnamese name order (test/sort-order.test.ts); find the one by its code.
    assert.deepEqual(
      table.rows.find((r) => r.code === "T01"),
      { code: "T01", name: "Thôn Đông Hòa" },
    );
    assert.ok(!table.rows.some((r) => r.code === "K01"), "another commune's village");
  });

  test("values: codes not labels, references by code, ISO dates, a year-only birth date as the year, lists joined by ;, true/false", async () => {
    const units = (await exportTo("units", "units-values.csv")).table.rows;
    assert.deepEqual(
      units.find((u) => u.code === "UBND"),
      { code: "UBND", name: "Ủy ban nhân dân xã Tân Ninh", type: "office" },
    );
    for (const u of units)
      assert.match(String(u.type), /^(office|school|enterprise|cooperative|association)$/);

    const hh = (await exportTo("households", "households-values.csv")).table.rows;
    assert.deepEqual(
      hh.find((h) => h.code === "T01-0001"),
      {
        code: "T01-0001",
        village: "T01",
        head_name: "Lương Thanh Nhung",
        address: "Xóm 6, Thôn Đông Hòa",
        poor: "false",
      },
    );
    assert.equal(hh.filter((h) => h.poor === "true").length, 17);

    const people = (await exportTo("residents", "residents-values.csv")).table.rows;
    for (const r of people) {
      assert.match(String(r.birth_date), /^\d{4}-\d{2}-\d{2}$|^\d{4}$/);
      assert.match(String(r.gender), /^(male|female|other)$/);
      assert.match(String(r.status), /^(active|moved|deceased)$/);
      assert.match(String(r.disabled), /^(true|false)$/);
      assert.match(String(r.vneid_level), /^[012]$/);
      assert.match(String(r.household), new RegExp(`^${r.village}-`));
    }
    const tho = people.find((r) => r.full_name === "Cụ Hoàng Văn Thọ");
    assert.deepEqual(tho, {
      full_name: "Cụ Hoàng Văn Thọ",
      birth_date: "1948",
      gender: "male",
      citizen_id: null,
      phone: null,
      village: "T01",
      household: "T01-0001",
      status: "deceased",
      groups: null,
      unit: null,
      disabled: "true",
      vneid_level: "0",
    });
    const xuyen = people.find((r) => r.citizen_id === "038185990123");
    assert.deepEqual(xuyen, {
      full_name: "Lê Thị Xuyến",
      birth_date: "1985-04-15",
      gender: "female",
      citizen_id: "038185990123",
      phone: "0912345678",
      village: "T01",
      household: "T01-0002",
      status: "active",
      groups: "public_sector;enterprise_worker",
      unit: "UBND",
      disabled: "false",
      vneid_level: "2",
    });

    const certs = (await exportTo("certifications", "certifications-values.csv")).table.rows;
    assert.deepEqual(
      certs.filter((c) => c.full_name === "Cụ Hoàng Văn Thọ" || c.full_name === "Lê Thị Xuyến"),
      [
        {
          citizen_id: null,
          full_name: "Cụ Hoàng Văn Thọ",
          birth_date: "1948",
          kind: "basic",
          date: "2026-10-20",
          source: "course",
          reference: "CN-2026/017",
        },
        {
          citizen_id: "038185990123",
          full_name: "Lê Thị Xuyến",
          birth_date: "1985-04-15",
          kind: "vneid",
          date: "2026-09-01",
          source: "vneid",
          reference: null,
        },
      ],
    );
    for (const c of certs) assert.match(String(c.date), /^\d{4}-\d{2}-\d{2}$/);
  });

  test("xlsx: booleans are boolean cells, the VNeID level a number, dates and IDs text", async () => {
    const people = (await exportTo("residents", "residents-values.xlsx")).table.rows;
    const tho = people.find((r) => r.full_name === "Cụ Hoàng Văn Thọ")!;
    assert.equal(tho.disabled, true);
    assert.equal(tho.birth_date, "1948");
    const xuyen = people.find((r) => r.citizen_id === "038185990123")!;
    assert.equal(xuyen.vneid_level, 2);
    assert.equal(xuyen.birth_date, "1985-04-15");
    assert.equal(xuyen.phone, "0912345678");
    assert.equal(xuyen.groups, "public_sector;enterprise_worker");
  });

  test("a name that looks like a formula is written as text with a leading '", async () => {
    for (const ext of ["csv", "xlsx"]) {
      const { file, table } = await exportTo("residents", `residents-formula.${ext}`);
      // The file holds the escaped text; reading it back undoes the escape (issue 15, finding 4).
      const row = table.rows.find((r) => r.citizen_id === "038091678939");
      assert.equal(row?.full_name, HYPERLINK, ext);
      if (ext === "csv")
        assert.ok(fs.readFileSync(file, "utf8").includes(`"'=HYPERLINK(""http://x"",""bấm"")"`));
    }
  });

  test("mask: citizen ID and phone keep their first 3 and last 2 digits", async () => {
    assert.equal(maskCitizenId("038123456712"), "038*******12");
    assert.equal(maskPhone("0912345678"), "091*****78");
    assert.equal(maskCitizenId(null), null);

    const plain = (await exportTo("residents", "residents-plain.csv")).table.rows;
    const masked = (await exportTo("residents", "residents-masked.csv", { mask: true })).table.rows;
    assert.equal(masked.length, plain.length);
    const xuyen = masked.find((r) => r.full_name === "Lê Thị Xuyến");
    assert.equal(xuyen?.citizen_id, "038*******23");
    assert.equal(xuyen?.phone, "091*****78");
    masked.forEach((r, i) => {
      const p = plain[i]!;
      assert.equal(r.full_name, p.full_name);
      if (p.citizen_id === null) assert.equal(r.citizen_id, null);
      else {
        assert.match(String(r.citizen_id), /^\d{3}\*{7}\d{2}$/);
        assert.equal(
          r.citizen_id,
          `${String(p.citizen_id).slice(0, 3)}*******${String(p.citizen_id).slice(-2)}`,
        );
      }
      if (p.phone === null) assert.equal(r.phone, null);
      else assert.equal(r.phone, `${String(p.phone).slice(0, 3)}*****${String(p.phone).slice(-2)}`);
    });
    const certs = (await exportTo("certifications", "certifications-masked.xlsx", { mask: true })).table.rows;
    assert.ok(certs.some((c) => c.citizen_id !== null));
    for (const c of certs) if (c.citizen_id !== null) assert.match(String(c.citizen_id), /^\d{3}\*{7}\d{2}$/);
  });

  test("the scope narrows rows: a village lead's villages, a school's unit, another commune", async () => {
    const [t01] = await database.db
      .select({ id: villages.id })
      .from(villages)
      .where(and(eq(villages.communeId, communeId), eq(villages.code, "T01")));
    const lead: Scope = { kind: "villages", communeId, villageIds: [t01!.id] };
    const countInT01 = async (table: typeof households | typeof residents) =>
      (await database.db.select({ n: count() }).from(table).where(eq(table.villageId, t01!.id)))[0]!.n;

    const vs = await exportTo("villages", "scoped-villages.csv", { scope: lead });
    assert.deepEqual(
      vs.table.rows.map((r) => r.code),
      ["T01"],
    );
    const hh = await exportTo("households", "scoped-households.csv", { scope: lead });
    assert.equal(hh.rows, await countInT01(households));
    assert.ok(hh.rows > 0 && hh.rows < 300);
    assert.ok(hh.table.rows.every((r) => r.village === "T01"));

    const rs = await exportTo("residents", "scoped-residents.csv", { scope: lead });
    assert.equal(rs.rows, await countInT01(residents));
    assert.ok(rs.table.rows.every((r) => r.village === "T01"));

    const cs = await exportTo("certifications", "scoped-certifications.csv", { scope: lead });
    const t01People = await database.db
      .select({ id: residents.id })
      .from(residents)
      .where(eq(residents.villageId, t01!.id));
    const [csCount] = await database.db
      .select({ n: count() })
      .from(certifications)
      .where(
        inArray(
          certifications.residentId,
          t01People.map((p) => p.id),
        ),
      );
    assert.equal(cs.rows, csCount!.n);
    assert.ok(cs.rows > 0 && cs.rows < (await countRows(certifications)));
    // Units have no village: a village scope exports none (as scopeWhere decides for every query).
    assert.equal((await exportTo("units", "scoped-units.csv", { scope: lead })).rows, 0);

    const [ubnd] = await database.db
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.communeId, communeId), eq(units.code, "UBND")));
    const school: Scope = { kind: "unit", communeId, unitId: ubnd!.id };
    const members = await exportTo("residents", "unit-residents.csv", { scope: school });
    assert.ok(members.rows > 0);
    assert.ok(members.table.rows.every((r) => r.unit === "UBND"));
    assert.deepEqual(
      (await exportTo("units", "unit-units.csv", { scope: school })).table.rows.map((r) => r.code),
      ["UBND"],
    );
    assert.equal((await exportTo("households", "unit-households.csv", { scope: school })).rows, 0);

    const all = await exportTo("villages", "installation-villages.csv", { scope: { kind: "installation" } });
    assert.equal(all.rows, 7);
  });

  test("rows stream in pages by id: any page size gives the same file", async () => {
    for (const kind of ["villages", "residents"] as const) {
      const whole = path.join(dir, `${kind}-whole.csv`);
      await exportRecords({ db: database.db, kind, scope, mask: false, file: whole });
      for (const pageSize of [1, 3, 7, 250]) {
        if (kind === "residents" && pageSize < 7) continue;
        const paged = path.join(dir, `${kind}-paged-${pageSize}.csv`);
        const { rows } = await exportRecords({
          db: database.db,
          kind,
          scope,
          mask: false,
          file: paged,
          pageSize,
        });
        assert.equal(rows, await countRows(tables[kind]), `${kind}, pages of ${pageSize}`);
        assert.equal(
          fs.readFileSync(paged, "utf8"),
          fs.readFileSync(whole, "utf8"),
          `${kind}, pages of ${pageSize}`,
        );
      }
    }
  });

  test("a file that is neither .csv nor .xlsx is refused, and nothing is written", async () => {
    const file = path.join(dir, "villages.pdf");
    await assert.rejects(
      exportRecords({ db: database.db, kind: "villages", scope, mask: false, file }),
      (e: unknown) => e instanceof AppError && e.msg.key === "tabular.unknown_type",
    );
    assert.ok(!fs.existsSync(file));
  });
});

describe("the round trip", () => {
  test("each exported file imports again into the same database, changing nothing", async () => {
    for (const kind of EXPORT_KINDS) {
      const rows = await countRows(tables[kind]);
      // The xlsx, checked without writing; then the csv, written.
      const xlsx = await exportTo(kind, `roundtrip-${kind}.xlsx`);
      const dry = await imp(kind, xlsx.file, { dryRun: true });
      const csv = await exportTo(kind, `roundtrip-${kind}.csv`);
      const real = await imp(kind, csv.file);
      for (const [label, r] of [
        ["xlsx", dry],
        ["csv", real],
      ] as const) {
        assert.equal(r.ok, true, `${kind}.${label}: ${JSON.stringify(r.errors.slice(0, 3))}`);
        assert.deepEqual(r.errors, [], `${kind}.${label}`);
        assert.deepEqual(r.warnings, [], `${kind}.${label}`);
        assert.equal(r.rows, rows, `${kind}.${label}`);
        assert.equal(r.inserted, 0, `${kind}.${label}`);
        // The `'` that escapes the formula-looking name is undone on reading (issue 15, finding 4):
        // every row comes back unchanged.
        assert.equal(r.updated, 0, `${kind}.${label}`);
        assert.equal(r.unchanged, rows, `${kind}.${label}`);
      }
    }
    const [renamed] = await database.db
      .select({ n: residents.fullName })
      .from(residents)
      .where(eq(residents.citizenId, "038091678939"));
    assert.equal(renamed?.n, HYPERLINK);
  });
});
