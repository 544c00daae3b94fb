import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { useCliDatabase } from "./helpers/cli-database.ts";

/** `bdhvs commune add|list` and `--commune` on the commands that work on one commune (issue 18.1). */
const cli = useCliDatabase("bdhvs-communes-");
const run = (args: string[], input?: string) => cli.run(args, input === undefined ? {} : { input });

describe("bdhvs commune", () => {
  test("one commune: commands need no --commune; add, list, --json; a second add of a code is refused", async () => {
    const one = await run(["user", "add", "quantri", "--role", "admin"], "mat-khau-dai-123\n");
    assert.equal(one.code, 0, one.stderr);
    const add = await run(["commune", "add", "15716", "--name", "Xã Định Hòa"]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Đã thêm Xã Định Hòa \(mã 15716, Thanh Hóa\)/);
    const again = await run(["commune", "add", "15716", "--name", "Xã Khác", "--province", "Nghệ An"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Mã xã “15716” đã có trong cài đặt/);
    const list = await run(["commune", "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      /^MÃ\tTÊN\tTỈNH\tNGƯỜI DÂN\tQUẢN TRỊ\nTANNINH\tXã Tân Ninh\tThanh Hóa\t0\t1\n15716\tXã Định Hòa\tThanh Hóa\t0\t0\n$/,
    );
    const json = JSON.parse((await run(["commune", "list", "--json"])).stdout) as { code: string }[];
    assert.deepEqual(
      json.map((c) => c.code),
      ["TANNINH", "15716"],
    );
    const usage = await run(["commune", "add", "15717"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /bdhvs commune add MÃ --name TÊN/);
  });

  test("several communes: a command without --commune stops with the codes; with it, it acts on that commune only", async () => {
    for (const args of [
      ["indicators", "--json"],
      ["plan", "show"],
      ["user", "list"],
      ["export", "villages", "--out", path.join(os.tmpdir(), "x.csv")],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /Cài đặt có nhiều xã: hãy chỉ rõ --commune MÃ \(các mã: TANNINH, 15716\)/);
    }
    const plan = JSON.parse((await run(["plan", "show", "--commune", "15716"])).stdout) as {
      commune: string;
      communeCode: string;
      indicators: unknown[];
    };
    assert.equal(plan.commune, "Định Hòa");
    assert.equal(plan.communeCode, "15716");
    assert.equal(plan.indicators.length, 12);
    const add = await run(
      ["user", "add", "qt-dinhhoa", "--role", "admin", "--commune", "15716"],
      "mat-khau-dai-456\n",
    );
    assert.equal(add.code, 0, add.stderr);
    const there = await run(["user", "list", "--commune", "15716"]);
    assert.match(there.stdout, /qt-dinhhoa\tadmin/);
    assert.doesNotMatch(there.stdout, /quantri/);
    const here = await run(["user", "list", "--commune", "TANNINH"]);
    assert.match(here.stdout, /quantri\tadmin/);
    assert.doesNotMatch(here.stdout, /qt-dinhhoa/);
    // An import names its commune; the other commune's export does not show it.
    const file = path.join(cli.dir, `thon-${process.pid}.csv`);
    fs.writeFileSync(file, "Mã thôn,Tên thôn\nDH01,Thôn Đông Hòa\n");
    const imported = await run(["import", "villages", file, "--commune", "15716"]);
    assert.equal(imported.code, 0, imported.stderr);
    const noCommune = await run(["import", "villages", file]);
    assert.equal(noCommune.code, 1);
    assert.match(noCommune.stderr, /các mã: TANNINH, 15716/);
    const outThere = path.join(cli.dir, `xuat-${process.pid}-1.csv`);
    const outHere = path.join(cli.dir, `xuat-${process.pid}-2.csv`);
    assert.equal((await run(["export", "villages", "--out", outThere, "--commune", "15716"])).code, 0);
    assert.equal((await run(["export", "villages", "--out", outHere, "--commune", "TANNINH"])).code, 0);
    assert.match(fs.readFileSync(outThere, "utf8"), /DH01,Thôn Đông Hòa/);
    assert.doesNotMatch(fs.readFileSync(outHere, "utf8"), /DH01/);
    for (const f of [file, outThere, outHere]) fs.rmSync(f, { force: true });
    const unknown = await run(["indicators", "--commune", "99999"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Không có xã mã “99999”/);
  });

  test("demo --province adds the province's 166 communes with synthetic residents, keeping the data's attribution", async () => {
    const r = await run(["demo", "--province", "--size", "10"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Đã tạo 166 xã, phường của tỉnh Thanh Hóa với 1660 người dân mẫu/);
    assert.match(r.stdout, /thanglequoc\/vietnamese-provinces-database, giấy phép MIT/);
    const list = JSON.parse((await run(["commune", "list", "--json"])).stdout) as {
      code: string;
      residents: number;
    }[];
    assert.equal(list.length, 167, "the 166 and Định Hòa (15716), which is no commune of the list");
    assert.equal(list[0]!.code, "15715", "the first commune took Tân Ninh's national code");
    assert.equal(list.find((c) => c.code === "14758")?.residents, 10);
    const bad = await run(["demo", "--province", "--size", "nhiều"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--size nhiều/);
  });
});
