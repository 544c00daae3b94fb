import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, test } from "node:test";
import { fixedClock, resetClock, setClock } from "../../lib/clock.ts";
import { findUpload, saveUpload, touchUpload } from "./uploads.ts";

const who = { communeId: 1, userId: 7 };
const meta = { kind: "villages" as const, ...who };
const file = (name: string) => new File(["Mã thôn,Tên thôn\nT01,Thôn Một\n"], name);

describe("uploads waiting for their commit", () => {
  afterEach(() => resetClock());

  test("expire two hours after they were saved or touched, by the app's clock (not the file system's)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-uploads-"));
    // A clock a month away from the file system's: the files' own times must not decide.
    const clock = fixedClock("2027-01-01T00:30:00+07:00");
    setClock(clock);
    const old = await saveUpload(dir, file("a.csv"), meta);
    const touched = await saveUpload(dir, file("b.csv"), meta);
    fs.writeFileSync(path.join(dir, "uploads", `${old.id}.errors.csv`), "row,reason\n");
    clock.advance(90 * 60_000);
    touchUpload(touched);
    clock.advance(31 * 60_000);
    const fresh = await saveUpload(dir, file("c.csv"), meta); // each new upload sweeps the folder
    assert.equal(findUpload(dir, old.id, who), undefined, "saved 2 h 1 min ago: gone");
    assert.deepEqual(
      fs.readdirSync(path.join(dir, "uploads")).filter((f) => f.startsWith(old.id)),
      [],
      "with its errors file",
    );
    assert.ok(findUpload(dir, touched.id, who), "touched 31 min ago: kept");
    assert.ok(findUpload(dir, fresh.id, who));
    clock.advance(2 * 3_600_000 + 1000);
    await saveUpload(dir, file("d.csv"), meta);
    assert.equal(findUpload(dir, touched.id, who), undefined);
    assert.equal(findUpload(dir, fresh.id, who), undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
