import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, useTestApp } from "../../../test/helpers/app.ts";
import { communes, users } from "../../db/schema.ts";
import { createSetupToken } from "./service.ts";

const t = useTestApp();

/** The first-run form as the first administrator fills it in, but for `changes`. */
const setupForm = (token: string, changes: Record<string, string> = {}) => ({
  token,
  communeName: "Xã Tân Ninh",
  province: "Thanh Hóa",
  displayName: "Quản trị viên",
  username: "quantri",
  password: "mat-khau-dai-123",
  password_confirm: "mat-khau-dai-123",
  ...changes,
});

describe("first run", () => {
  test("three mistakes give three messages: an error summary naming each field, linked to it, and each beside its field", async () => {
    const token = await createSetupToken({ db: t.db, communeId: t.commune.id });
    const a = new Agent(t.app);
    await a.get(`/setup?token=${token}`);
    const res = await a.postForm(
      "/setup",
      setupForm(token!, {
        communeName: "",
        displayName: "",
        username: "A!",
        password_confirm: "khac-roi-nhe-123",
      }),
    );
    assert.equal(res.status, 422);
    const html = a.lastHtml;
    const summary = html.slice(
      html.indexOf('class="error-summary"'),
      html.indexOf("</ul>", html.indexOf('class="error-summary"')),
    );
    const links = [...summary.matchAll(/<a href="#f-([\w]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(
      links.map((l) => l[0]),
      ["communeName", "displayName", "username", "password_confirm"],
    );
    // Empty required fields are named by their label in the summary.
    assert.match(links[0]![1]!, /Tên xã/);
    assert.match(links[1]![1]!, /Họ và tên/);
    assert.match(links[3]![1]!, /không khớp/);
    // Each message again beside its field, and the link's target exists.
    for (const [name] of links) {
      assert.match(html, new RegExp(`id="e-${name}"`));
      assert.match(html, new RegExp(`id="f-${name}"`));
    }
    const [none] = await t.db.select({ n: count() }).from(users);
    assert.equal(none!.n, 0);
  });

  test("the one-time link creates the first administrator, once", async () => {
    const token = await createSetupToken({ db: t.db, communeId: t.commune.id });
    assert.ok(token);
    const a = new Agent(t.app);
    await a.get(`/setup?token=${token}`);
    assert.match(a.lastHtml, /Thiết lập lần đầu/);
    assert.match(a.lastHtml, /value="Xã Tân Ninh"/);

    const mismatch = await a.postForm(
      "/setup",
      setupForm(token!, { displayName: "Quản trị", password_confirm: "khac-roi-nhe-123" }),
    );
    assert.equal(mismatch.status, 422);
    assert.match(a.lastHtml, /không khớp/);
    const [none] = await t.db.select({ n: count() }).from(users);
    assert.equal(none!.n, 0);

    const ok = await a.postForm("/setup", setupForm(token!));
    assert.equal(ok.status, 303);
    const [row] = await t.db.select({ role: users.role }).from(users).where(eq(users.username, "quantri"));
    assert.equal(row!.role, "admin");
    await new Agent(t.app).login("quantri", "mat-khau-dai-123");

    // Spent: the link no longer works, and no new link is made while an admin exists.
    const again = new Agent(t.app);
    const res = await again.get(`/setup?token=${token}`);
    assert.equal(res.status, 403);
    assert.match(again.lastHtml, /Liên kết thiết lập không hợp lệ/);
    assert.equal(await createSetupToken({ db: t.db, communeId: t.commune.id }), null);
  });

  test("a made-up token is refused", async () => {
    const a = new Agent(t.app);
    assert.equal((await a.get("/setup?token=bịa-đặt")).status, 403);
    assert.equal((await a.get("/setup")).status, 403);
  });

  test("the commune name given at setup is the one every page shows", async () => {
    const [c] = await t.db
      .select({ name: communes.name })
      .from(communes)
      .where(eq(communes.id, t.commune.id));
    assert.equal(c!.name, "Xã Tân Ninh");
  });
});
