import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { commandEnv } from "./helpers/cli.ts";
import { createTestDatabase, testDatabaseUrl } from "./helpers/db.ts";

const BIN = path.resolve("bin/bdhvs.js");
const dirs: string[] = [];
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cli-"));
  dirs.push(d);
  return d;
}

/** The environment of a spawned command: no database, folder, port or key of the outer shell leaks in. */
const env = commandEnv;

function run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: env(opts.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(opts.input ?? "");
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `bdhvs serve` and waits for its "running at URL" line. */
function serve(dataDir: string) {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data-dir", dataDir], {
    env: env(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      stderr += d;
      const m = stderr.match(/đang chạy tại (http:\/\/\S+) /);
      if (m?.[1]) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, ready, stderr: () => stderr };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code) => resolve(code));
  });

after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("bdhvs --help", () => {
  test("Vietnamese by default, English with --lang en", async () => {
    const vi = await run(["--help"]);
    assert.equal(vi.code, 0);
    assert.match(vi.stdout, /Cách dùng: bdhvs <lệnh>/);
    assert.match(vi.stdout, /serve/);
    assert.match(vi.stdout, /report {4}xuất báo cáo một kỳ/);
    assert.match(vi.stdout, /plan {6}xem kế hoạch đang áp dụng/);
    const en = await run(["--help", "--lang", "en"]);
    assert.match(en.stdout, /Usage: bdhvs <command>/);
    const user = await run(["user", "--help", "--lang", "en"]);
    assert.equal(user.code, 0);
    assert.match(user.stdout, /bdhvs user add NAME --role ROLE/);
    const serveHelp = await run(["serve", "--help"]);
    assert.match(serveHelp.stdout, /--port N/);
  });

  test("an unknown command or option is refused with a clear message", async () => {
    const r = await run(["nhap-lieu"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Lệnh không tồn tại: “nhap-lieu”/);
    const o = await run(["serve", "--cong", "1"]);
    assert.equal(o.code, 1);
    assert.match(o.stderr, /Tùy chọn không hợp lệ/);
  });
});

describe("bdhvs user", () => {
  let dbEnv: Record<string, string>;
  let dbArgs: string[];
  let close = async () => {};
  before(async () => {
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      dbEnv = { DATABASE_URL: database.location };
      dbArgs = [];
      await database.migrate();
      close = () => database.close();
    } else {
      dbEnv = {};
      dbArgs = ["--data-dir", tempDir()];
    }
  });
  after(() => close());

  test("add reads the password from standard input; list, disable, enable and passwd work", async () => {
    const add = await run(["user", "add", "quantri", "--role", "admin", "--name", "Quản trị", ...dbArgs], {
      input: "mat-khau-dai-123\n",
      env: dbEnv,
    });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Đã tạo tài khoản quantri/);
    const second = await run(["user", "add", "lanhdao", "--role", "leader", ...dbArgs], {
      input: "mat-khau-dai-456\n",
      env: dbEnv,
    });
    assert.equal(second.code, 0, second.stderr);
    const list = await run(["user", "list", ...dbArgs], { env: dbEnv });
    assert.match(list.stdout, /quantri\tadmin\t-\tĐang hoạt động/);
    assert.match(list.stdout, /lanhdao\tleader/);
    const dis = await run(["user", "disable", "lanhdao", ...dbArgs], { env: dbEnv });
    assert.equal(dis.code, 0, dis.stderr);
    assert.match(
      (await run(["user", "list", ...dbArgs], { env: dbEnv })).stdout,
      /lanhdao\tleader\t-\tĐã khóa/,
    );
    assert.equal((await run(["user", "enable", "lanhdao", ...dbArgs], { env: dbEnv })).code, 0);
    const pw = await run(["user", "passwd", "lanhdao", ...dbArgs], {
      input: "mat-khau-moi-789\n",
      env: dbEnv,
    });
    assert.equal(pw.code, 0, pw.stderr);
    assert.match(pw.stdout, /Đã đổi mật khẩu của lanhdao/);
  });

  test("bad input gets a clear message and creates nothing", async () => {
    const role = await run(["user", "add", "ai-do", "--role", "vua", ...dbArgs], {
      input: "mat-khau-dai-123\n",
      env: dbEnv,
    });
    assert.equal(role.code, 1);
    assert.match(role.stderr, /Vai trò không hợp lệ/);
    const village = await run(["user", "add", "ai-do", "--role", "volunteer", "--village", "T9", ...dbArgs], {
      input: "mat-khau-dai-123\n",
      env: dbEnv,
    });
    assert.equal(village.code, 1);
    assert.match(village.stderr, /Không có thôn mã “T9”/);
    const weak = await run(["user", "add", "ai-do", "--role", "leader", ...dbArgs], {
      input: "ngan\n",
      env: dbEnv,
    });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /ít nhất 10 ký tự/);
    const empty = await run(["user", "add", "ai-do", "--role", "leader", ...dbArgs], {
      input: "",
      env: dbEnv,
    });
    assert.equal(empty.code, 1);
    const en = await run(["user", "disable", "khong-co", "--lang", "en", ...dbArgs], { env: dbEnv });
    assert.equal(en.code, 1);
    assert.match(en.stderr, /There is no account “khong-co”/);
    assert.doesNotMatch((await run(["user", "list", ...dbArgs], { env: dbEnv })).stdout, /ai-do/);
  });
});

describe("bdhvs serve and the data folder lock", () => {
  test("prints a one-time setup link on an empty database; a second serve on the same folder fails clearly; SIGTERM stops cleanly", async () => {
    const dir = tempDir();
    const first = serve(dir);
    const url = await first.ready;
    assert.match(first.stderr(), /Chưa có quản trị viên[\s\S]*\/setup\?token=/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    const second = await run(["serve", "--port", "0", "--data-dir", dir]);
    assert.equal(second.code, 1);
    assert.match(
      second.stderr,
      new RegExp(
        `Cơ sở dữ liệu trong ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} đang được tiến trình ${first.child.pid} sử dụng`,
      ),
    );
    const migrate = await run(["migrate", "--data-dir", dir, "--lang", "en"]);
    assert.equal(migrate.code, 1);
    assert.match(migrate.stderr, /is in use by process/);

    // The first one is untouched.
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok", database: "pglite" });
    const page = await fetch(`${url}/login`);
    assert.match(await page.text(), /Bình dân học vụ số/);

    first.child.kill("SIGTERM");
    assert.equal(await exited(first.child), 0);
    assert.ok(!fs.existsSync(path.join(dir, "bdhvs.lock")));
    // And the folder opens again afterwards, with its data.
    const reopened = await run(["migrate", "--data-dir", dir]);
    assert.equal(reopened.code, 0, reopened.stderr);
  });

  test("a lock left by a process that died is taken over", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "bdhvs.lock"), "999999999");
    const r = await run(["migrate", "--data-dir", dir]);
    assert.equal(r.code, 0, r.stderr);
  });
});
