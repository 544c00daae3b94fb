import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { buildUser } from "../../../test/helpers/factories.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { cliActor, recordAudit } from "../audit/service.ts";
import { readHeader } from "./format.ts";

describe("the backups page", () => {
  let t: TestApp;
  const admin = () => new Agent(t.app);
  let adminName = "";
  let coordName = "";
  let password = "";
  before(async () => {
    setClock(startingAt("2026-06-15T09:00:00+07:00"));
    t = await createTestApp();
    const a = await buildUser(t.db, { role: "admin", commune: t.commune });
    const c = await buildUser(t.db, { role: "coordinator", commune: t.commune });
    adminName = a.user.username;
    coordName = c.user.username;
    password = a.password;
  });
  after(() => t.close());

  test("an admin takes a backup on the web and downloads it; a coordinator may not", async () => {
    const coord = new Agent(t.app);
    await coord.login(coordName, password);
    assert.equal((await coord.request("/admin/backups")).status, 403);

    const a = admin();
    await a.login(adminName, password);
    await a.get("/admin/backups");
    assert.match(a.lastHtml, /Chưa có bản sao lưu nào/);
    assert.match(a.lastHtml, /KHÔNG được mã hóa/);
    const res = await a.postForm("/admin/backups", {});
    assert.equal(res.status, 303);
    await a.get("/admin/backups");
    assert.match(a.lastHtml, /Đã sao lưu: bdhvs-20260615-02\d{4}\.bdhvs/);
    assert.match(a.lastHtml, /Lần sao lưu gần nhất thành công/);
    const name = /href="\/admin\/backups\/(bdhvs-[\d-]+\.bdhvs)"/.exec(a.lastHtml)![1]!;
    const dl = await a.request(`/admin/backups/${name}`);
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get("content-disposition")!, /attachment/);
    const bytes = Buffer.from(await dl.arrayBuffer());
    assert.equal(readHeader(name, bytes).header.communes[0]!.code, t.commune.code);
    assert.ok(fs.existsSync(`${t.config.backup.dir}/${name}`));
    assert.equal((await a.request("/admin/backups/..%2Fbdhvs.lock")).status, 404);
    assert.equal((await coord.request(`/admin/backups/${name}`)).status, 403);
  });

  test("a failed backup is shown on the admin's dashboard", async () => {
    await recordAudit(t.db, cliActor(null), {
      action: "backup.failed",
      entity: "installation",
      after: { file: "bdhvs-x.bdhvs", error: "ENOSPC: no space left on device" },
    });
    const a = admin();
    await a.login(adminName, password);
    await a.get("/");
    assert.match(a.lastHtml, /Sao lưu thất bại lúc .*ENOSPC: no space left on device/);
    const coord = new Agent(t.app);
    await coord.login(coordName, password);
    await coord.get("/");
    assert.doesNotMatch(coord.lastHtml, /Sao lưu thất bại/);
  });
});
