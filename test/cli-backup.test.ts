import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { runBdhvs, useEmbeddedServer } from "./helpers/cli.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cli-backup-"));

const run = runBdhvs;

/** `bdhvs backup` while the server holds the embedded database, and `bdhvs restore`'s refusals. */
describe("bdhvs backup / restore on the embedded database", () => {
  const served = path.join(dir, "served");
  const embedded = useEmbeddedServer(served, dir);

  test("backs up while the server runs (over its local channel), encrypted, and restores elsewhere", async () => {
    assert.equal(fs.statSync(path.join(served, "bdhvs.sock")).mode & 0o777, 0o600);
    const file = path.join(dir, "sao-luu.bdhvs");
    const b = await run(["backup", file, "--data-dir", served], { BACKUP_KEY: "khóa của xã Tân Ninh" });
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stderr, /máy chủ chụp/);
    assert.match(b.stdout, /Đã sao lưu \d+ bảng/);
    assert.match(b.stdout, /đã mã hóa/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
      "no temporary file left",
    );
    // The server still answers.
    assert.equal((await fetch(`http://127.0.0.1:${embedded.server.port}/healthz`)).status, 200);

    const target = path.join(dir, "restored");
    const noKey = await run(["restore", file, "--data-dir", target]);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /đã được mã hóa: hãy đặt biến môi trường BACKUP_KEY/);
    assert.equal(fs.existsSync(target), false, "nothing was created");
    const wrong = await run(["restore", file, "--data-dir", target], { BACKUP_KEY: "sai khóa rồi" });
    assert.match(wrong.stderr, /không đúng/);
    const ok = await run(["restore", file, "--data-dir", target], { BACKUP_KEY: "khóa của xã Tân Ninh" });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Đã khôi phục \d+ dòng/);
    const again = await run(["restore", file, "--data-dir", target], { BACKUP_KEY: "khóa của xã Tân Ninh" });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /đã có dữ liệu .*--replace/s);

    // Restoring into the folder the server holds is refused while it runs.
    const busy = await run(["restore", file, "--data-dir", served, "--replace"], {
      BACKUP_KEY: "khóa của xã Tân Ninh",
    });
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /đang được tiến trình \d+ sử dụng/);

    // A truncated file.
    const cut = path.join(dir, "cut.bdhvs");
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 50));
    const bad = await run(["restore", cut, "--data-dir", path.join(dir, "other")]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bị cắt cụt hoặc đã bị sửa/);
  });

  test("a backup into a folder that cannot be written fails clearly and leaves nothing", async () => {
    const file = path.join(dir, "khong-co", "sao-luu.bdhvs");
    const r = await run(["backup", file, "--data-dir", served]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Không ghi được bản sao lưu/);
    assert.equal(fs.existsSync(file), false);
  });
});
