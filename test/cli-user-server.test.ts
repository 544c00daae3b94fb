import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runBdhvs, useEmbeddedServer } from "./helpers/cli.ts";

/** `bdhvs user` while the server holds the embedded database: sent over DATA_DIR/bdhvs.sock (issue 17 point 8). */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-cli-user-"));
const embedded = useEmbeddedServer(dir, dir);

test("user add, list, disable and passwd work while the server runs, and the new account signs in", async () => {
  const add = await runBdhvs(
    ["user", "add", "quantri", "--role", "admin", "--name", "Nguyễn Văn Quản", "--data-dir", dir],
    {},
    { input: "mat-khau-rat-dai-123\n" },
  );
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /quantri/);
  const list = await runBdhvs(["user", "list", "--data-dir", dir]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /quantri\tadmin/);
  // The server sees the account at once: it signs in on the web.
  const form = await fetch(`${embedded.server.url}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const login = await fetch(`${embedded.server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ _csrf: csrf, username: "quantri", password: "mat-khau-rat-dai-123" }),
  });
  assert.equal(login.status, 303);
  // Errors come back as the command's own: a clear message, exit code 1, nothing changed.
  const dup = await runBdhvs(
    ["user", "add", "quantri", "--role", "admin", "--data-dir", dir],
    {},
    { input: "khac-mat-khau-456\n" },
  );
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /quantri/);
  const missing = await runBdhvs(["user", "disable", "khong-co", "--data-dir", dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /khong-co/);
  const passwd = await runBdhvs(
    ["user", "passwd", "quantri", "--data-dir", dir],
    {},
    { input: "mat-khau-moi-789-dai\n" },
  );
  assert.equal(passwd.code, 0, passwd.stderr);
  // The last administrator is kept (the service's own rule, in English with --lang en).
  const last = await runBdhvs(["user", "disable", "quantri", "--data-dir", dir, "--lang", "en"]);
  assert.equal(last.code, 1);
  assert.match(last.stderr, /last administrator/);
  const other = await runBdhvs(
    ["user", "add", "canbo", "--role", "coordinator", "--data-dir", dir],
    {},
    { input: "mat-khau-can-bo-1234\n" },
  );
  assert.equal(other.code, 0, other.stderr);
  const disable = await runBdhvs(["user", "disable", "canbo", "--data-dir", dir]);
  assert.equal(disable.code, 0, disable.stderr);
  assert.match(disable.stdout, /canbo/);
});
