import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestApp, signedInAgent, type TestApp } from "../../../test/helpers/app.ts";
import { buildActivity, buildUser, buildVillage } from "../../../test/helpers/factories.ts";
import { resetClock, setClock, startingAt } from "../../lib/clock.ts";

let t: TestApp;
before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  const v = await buildVillage(t.db, { commune: t.commune, code: "T01", name: "Thôn Một" });
  await buildActivity(t.db, { village: v, date: "2026-06-18", title: "Lớp buổi tối", startTime: "19:30" });
  await buildActivity(t.db, { village: v, date: "2026-06-18", title: "Lớp buổi sáng", startTime: "07:30" });
  await buildActivity(t.db, { village: v, date: "2026-06-18", title: "Lớp chưa định giờ" });
});
after(async () => {
  await t.close();
  resetClock();
});

test("the public schedule names each day once, then each class's time of day, earliest first", async () => {
  const html = await (await t.app.request("/lop-hoc")).text();
  const day = "Thứ Năm, 18/06/2026";
  assert.equal(html.split(day).length - 1, 1, "the date is printed once, as the day's heading");
  const morning = html.indexOf("Lúc 07:30");
  const evening = html.indexOf("Lúc 19:30");
  const later = html.indexOf("Giờ học sẽ báo sau");
  assert.ok(morning > 0 && evening > morning && later > evening, "07:30, then 19:30, then the untimed one");
  // The home page's short list has no day headings: day and time together.
  const home = await (await t.app.request("/")).text();
  assert.match(home, /Thứ Năm, 18\/06\/2026, lúc 07:30/);
  const en = await (await t.app.request("/lop-hoc?lang=en")).text();
  assert.match(en, /At 19:30/);
});

test("an activity's start time is entered as people write it, kept as HH:mm, and refused when it is no time", async () => {
  const { user } = await buildUser(t.db, { role: "coordinator", commune: t.commune });
  const a = await signedInAgent(t.app, user.username);
  const form = { type: "class", title: "Lớp mới", date: "20/06/2026", village: "T01", time: "19h30" };
  await a.get("/activities/new");
  const ok = await a.postForm("/activities", form);
  assert.equal(ok.status, 303, a.lastHtml);
  await a.get(ok.headers.get("location")!);
  assert.match(a.lastHtml, /19:30/);
  await a.get("/activities/new");
  const bad = await a.postForm("/activities", { ...form, title: "Lớp sai giờ", time: "25h" });
  assert.notEqual(bad.status, 303);
  assert.match(a.lastHtml, /“25h” không phải là giờ trong ngày/);
});
