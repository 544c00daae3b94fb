import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserContextOptions, Page } from "playwright-core";
import { todayInVietnam } from "../../src/lib/clock.ts";
import { SHOTS, signedInPage, useBrowserSuite } from "../helpers/browser.ts";
import {
  type Activity,
  type ActivitySession,
  buildActivity,
  buildHousehold,
  buildResident,
  buildSession,
  buildUser,
  buildVillage,
  TEST_PASSWORD,
} from "../helpers/factories.ts";

let username: string;
let klass: Activity;
let session: ActivitySession;

const suite = useBrowserSuite(async (db, commune) => {
  const v1 = await buildVillage(db, { commune, code: "T01", name: "Thôn Đông Hòa" });
  const v2 = await buildVillage(db, { commune, code: "T02", name: "Thôn Tây Sơn" });
  const h1 = await buildHousehold(db, { village: v1, code: "T01-0001" });
  const h2 = await buildHousehold(db, { village: v1, code: "T01-0002" });
  for (const [fullName, birthDate, household] of [
    ["Phạm Kim Thảo", "1978-11-23", h1],
    ["Đặng Thị Quỳnh", "1992-11-10", h1],
    ["Hoàng Minh Châu", "1985-03-02", h2],
  ] as const) {
    await buildResident(db, { household, fullName, birthDate, gender: "female", groups: ["public_sector"] });
  }
  // Not of the class's audience: comes as a walk-in.
  await buildResident(db, {
    household: h2,
    fullName: "Nguyễn Văn Ấn",
    birthDate: "1948-01-01",
    birthYearOnly: true,
  });
  await buildResident(db, {
    household: await buildHousehold(db, { village: v2 }),
    fullName: "Nguyễn Văn An",
    birthDate: "1950-05-05",
  });
  // Dated by the clock (under faketime, any day of the year): the class today, and two other events
  // on two other days of the same month, so that the calendar shows three distinct days.
  const today = todayInVietnam();
  const month = today.slice(0, 7);
  const day = Number(today.slice(8, 10));
  const [dayA, dayB] = [1, 2, 3, 4].filter((d) => d !== day);
  const dayOfMonth = (d: number) => `${month}-${String(d).padStart(2, "0")}`;
  klass = await buildActivity(db, {
    village: v1,
    code: "HD0001",
    title: "Lớp kỹ năng số cho cán bộ, công chức Thôn Đông Hòa",
    date: today,
    audience: "public_sector",
    place: "Nhà văn hóa Thôn Đông Hòa",
    trainer: "Nguyễn Văn Dạy",
  });
  session = await buildSession(db, { activity: klass, date: today });
  await buildActivity(db, {
    village: v1,
    code: "HD0002",
    type: "propaganda",
    title: "Tuyên truyền Bình dân học vụ số tại Thôn Đông Hòa",
    date: dayOfMonth(dayA!),
  });
  await buildActivity(db, {
    commune,
    code: "HD0003",
    type: "digital_learning_day",
    title: "Ngày hội toàn dân học tập số của xã",
    date: dayOfMonth(dayB!),
    place: "Sân vận động xã",
  });
  username = (await buildUser(db, { role: "village_lead", commune, villages: [v1], username: "totruong" }))
    .user.username;
});

/** A page of a fresh context with these options, signed in as the village lead. */
const login = (options: BrowserContextOptions) => signedInPage(suite, username, TEST_PASSWORD, options);

const noHorizontalScroll = async (page: Page, what: string) => {
  const width = Number(await page.evaluate("document.documentElement.scrollWidth"));
  assert.ok(width <= 360, `${what} is ${width}px wide`);
};

describe("attendance on a phone, in a real browser", () => {
  test("a village lead ticks two present (saved without a reload), reloads, and adds a walk-in", async () => {
    const page = await login({ viewport: { width: 360, height: 740 }, hasTouch: true });
    const url = `${suite.server.url}/activities/${klass.id}/sessions/${session.id}`;
    await page.goto(url);
    await noHorizontalScroll(page, "the session page");
    assert.match((await page.locator("h1").textContent()) ?? "", /^Điểm danh buổi \d\d\/\d\d\/\d{4}$/);
    assert.equal(await page.locator("#roster-hint").textContent(), "Mỗi lần đánh dấu được lưu ngay.");

    // A marker that a page load would wipe: the ticks must not reload the page.
    await page.evaluate("window.__stillHere = true");
    for (const name of ["Phạm Kim Thảo", "Đặng Thị Quỳnh"]) {
      const row = page.locator(".roster__row", { hasText: name });
      await row.locator("label").click();
      await row.locator("[data-status]", { hasText: "Đã lưu" }).waitFor();
    }
    assert.equal(await page.evaluate("window.__stillHere"), true);
    assert.equal(await page.locator("#attendance-live").textContent(), "Đã lưu: Đặng Thị Quỳnh có mặt.");
    assert.match((await page.locator("#attendance-summary").textContent()) ?? "", /^2 người có mặt/);

    // Touch targets: each row and the buttons at least 44 px high.
    for (const sel of [".roster__label", ".roster__save", "#f-find"]) {
      const box = await page.locator(sel).first().boundingBox();
      assert.ok(box && box.height >= 44, `${sel} is ${box?.height}px high`);
    }
    await page.screenshot({ path: `${SHOTS}/attendance-phone.png`, fullPage: true });

    await page.reload();
    assert.equal(await page.getByLabel("Phạm Kim Thảo").isChecked(), true);
    assert.equal(await page.getByLabel("Đặng Thị Quỳnh").isChecked(), true);
    assert.equal(await page.getByLabel("Hoàng Minh Châu").isChecked(), false);
    assert.match((await page.locator("#attendance-summary").textContent()) ?? "", /^2 người có mặt/);

    // A walk-in by a name typed without diacritics; the other village's namesake is not offered.
    await page.getByLabel("Họ tên hoặc số CCCD").fill("nguyen van an");
    await page.getByRole("button", { name: "Tìm người" }).click();
    await page.getByRole("button", { name: "Thêm Nguyễn Văn Ấn vào buổi học" }).waitFor();
    assert.equal(await page.locator(".walkin__results .roster__row").count(), 1);
    await noHorizontalScroll(page, "the walk-in results");
    await page.screenshot({ path: `${SHOTS}/attendance-walkin-phone.png`, fullPage: true });
    await page.getByRole("button", { name: "Thêm Nguyễn Văn Ấn vào buổi học" }).click();
    await page.waitForURL(url);
    assert.equal(
      await page.locator("[role=status].notice").textContent(),
      "Đã thêm Nguyễn Văn Ấn vào buổi học.",
    );
    assert.equal(await page.getByLabel("Nguyễn Văn Ấn").isChecked(), true);
    assert.match((await page.locator("#attendance-summary").textContent()) ?? "", /^3 người có mặt/);
    await page.context().close();
  });

  test("without JavaScript the same page saves with “Lưu”", async () => {
    const page = await login({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
    });
    const url = `${suite.server.url}/activities/${klass.id}/sessions/${session.id}`;
    await page.goto(url);
    assert.equal(await page.locator("#roster-hint").textContent(), "Đánh dấu người có mặt rồi bấm “Lưu”.");
    await page.getByLabel("Phạm Kim Thảo").uncheck();
    await page.getByLabel("Hoàng Minh Châu").check();
    await page.getByRole("button", { name: "Lưu", exact: true }).click();
    await page.waitForURL(url);
    assert.equal(await page.locator("[role=status].notice").textContent(), "Đã lưu điểm danh (2 thay đổi).");
    assert.equal(await page.getByLabel("Phạm Kim Thảo").isChecked(), false);
    assert.equal(await page.getByLabel("Hoàng Minh Châu").isChecked(), true);
    await page.context().close();
  });

  test("the calendar and the session page, on a phone and a desktop (screenshots)", async () => {
    const month = todayInVietnam().slice(0, 7);
    for (const [label, viewport] of [
      ["phone", { width: 360, height: 740 }],
      ["desktop", { width: 1280, height: 900 }],
    ] as const) {
      const page = await login({ viewport });
      await page.goto(`${suite.server.url}/activities/calendar?month=${month}`);
      assert.equal(await page.locator(".calendar__day").count(), 3);
      assert.match(
        (await page.locator(".calendar").textContent()) ?? "",
        /Ngày hội toàn dân học tập số của xã/,
      );
      const navLink = await page.getByRole("link", { name: /Tháng sau/ }).boundingBox();
      assert.ok(navLink && navLink.height >= 44, `month link is ${navLink?.height}px high`);
      if (label === "phone") await noHorizontalScroll(page, "the calendar");
      await page.screenshot({ path: `${SHOTS}/calendar-${label}.png`, fullPage: true });
      await page.goto(`${suite.server.url}/activities/${klass.id}/sessions/${session.id}`);
      await page.screenshot({ path: `${SHOTS}/attendance-${label}-final.png`, fullPage: true });
      await page.goto(`${suite.server.url}/activities/${klass.id}`);
      await page.screenshot({ path: `${SHOTS}/class-${label}.png`, fullPage: true });
      if (label === "phone") await noHorizontalScroll(page, "the class page");
      for (const [name, path] of [
        ["list", "/activities"],
        ["form", "/activities/new"],
      ] as const) {
        await page.goto(`${suite.server.url}${path}`);
        if (label === "phone") await noHorizontalScroll(page, path);
        await page.screenshot({ path: `${SHOTS}/activities-${name}-${label}.png`, fullPage: true });
      }
      await page.context().close();
    }
  });
});
