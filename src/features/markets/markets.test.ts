/**
 * Issue 19.3 on the web and through the API: who reads and who writes markets and vendors (SPEC §2:
 * the economy office, the market board, the coordinator and the admin write; leader, police and
 * province read; the others get nothing), forms that refuse bad input in Vietnamese and change nothing, the owner
 * linked within the commune only, the audit trail, the exports, and the figure beside indicator 10.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { count, eq } from "drizzle-orm";
import { Agent, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import {
  buildCommune,
  buildHousehold,
  buildResident,
  buildVillage,
  TEST_PASSWORD,
} from "../../../test/helpers/factories.ts";
import { buildRoleAccounts, type RoleAccounts } from "../../../test/helpers/roles.ts";
import { buildVendorCommune } from "../../../test/helpers/vendors.ts";
import { vendors } from "../../db/schema.ts";
import { setClock, startingAt } from "../../lib/clock.ts";
import { assertFieldErrors } from "../../test-support/api.ts";
import { auditCount } from "../../test-support/audit.ts";
import { cliActor } from "../audit/service.ts";
import { erasePerson } from "../privacy/person.ts";

let t: TestApp;
let accounts: RoleAccounts<(typeof ROLES)[number]>;
let names: Record<string, string>;
let people: Awaited<ReturnType<typeof buildVendorCommune>>;
let foreignCitizenId: string;

const ROLES = [
  "admin",
  "coordinator",
  "leader",
  "police",
  "economy",
  "market_board",
  "province",
  "village_lead",
  "volunteer",
  "school",
] as const;

before(async () => {
  setClock(startingAt("2026-06-15T09:00:00+07:00"));
  t = await createTestApp();
  const commune = {
    id: t.commune.id,
    code: t.commune.code,
    name: t.commune.name,
    province: t.commune.province,
  };
  people = await buildVendorCommune(t.db, commune);
  // A resident of another commune: its citizen ID must not link a vendor here.
  const other = await buildCommune(t.db);
  const hx = await buildHousehold(t.db, { village: await buildVillage(t.db, { commune: other }) });
  foreignCitizenId = "038090000333";
  await buildResident(t.db, {
    household: hx,
    fullName: "Người Xã Khác",
    birthDate: "1990-01-01",
    citizenId: foreignCitizenId,
  });
  accounts = await buildRoleAccounts(t, ROLES, { villages: [people.t01] });
  names = accounts.usernames;
});
after(() => t.close());

const get = (role: string, path: string) => accounts.get(role, path);
const send = (role: string, path: string, body: unknown, method = "POST") =>
  accounts.send(role, body, path, method);
type Market = { id: number; kind: string; village: { code: string } };
/** POSTs as the role and expects 201 Created: the new record. */
async function created<T>(role: string, path: string, body: unknown): Promise<T> {
  const res = await send(role, path, body);
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as T;
}
const vendorCount = async () => (await t.db.select({ n: count() }).from(vendors))[0]!.n;

describe("markets and vendors through the API", () => {
  let marketId = 0;
  test("the economy office adds a market and vendors; owners link by citizen ID or household + name", async () => {
    const body = { code: "CHO01", name: "Chợ Tân Ninh", village: "T01", kind: "Chợ phiên" };
    const market = await created<Market>("economy", "/api/v1/markets", body);
    marketId = market.id;
    assert.deepEqual([market.kind, market.village.code], ["periodic", "T01"]);
    const va = await created<Record<string, unknown>>("economy", "/api/v1/vendors", {
      market: "CHO01",
      stall: "A01",
      owner_name: "Lê Văn Lạc",
      citizen_id: "038075000111",
      goods: "Rau",
      payments: ["qr", "Chuyển khoản"],
      channels: "Zalo; TikTok Shop",
    });
    assert.deepEqual(
      [va.residentId, va.household, va.payments, va.channels, va.cashless],
      [people.lac.id, { id: people.h1.id, code: "T01-0001" }, ["qr", "bank"], ["zalo", "tiktok"], true],
    );
    assert.ok(!("citizenId" in va), "a vendor never carries the owner's citizen ID");
    const vb = await created<{ residentId: number }>("market_board", "/api/v1/vendors", {
      market: "CHO01",
      stall: "A02",
      owner_name: "le thi hoa",
      household: "T01-0001",
    });
    assert.equal(vb.residentId, people.hoa.id);
    assert.equal(await auditCount(t.db, "vendor.create"), 2);
  });

  test("bad input: every field's Vietnamese message at once, nothing written; another commune's citizen ID is unknown", async () => {
    const before = await vendorCount();
    const r = await send("economy", "/api/v1/vendors", {
      market: "CHO99",
      stall: "",
      owner_name: "Người Xã Khác",
      citizen_id: "12345",
      payments: "Tiền mặt",
      channels: "Chợ Tốt",
    });
    const fields = await assertFieldErrors(r, ["channels", "citizen_id", "market", "payments", "stall"]);
    assert.match(fields.market!, /Không có chợ mã “CHO99”/);
    const foreign = await send("economy", "/api/v1/vendors", {
      market: "CHO01",
      stall: "A09",
      owner_name: "Người Xã Khác",
      citizen_id: foreignCitizenId,
    });
    assert.equal(foreign.status, 422);
    assert.match(
      ((await foreign.json()) as { error: { fields: Record<string, string> } }).error.fields.citizen_id!,
      /Không tìm thấy cư dân/,
    );
    const dup = await send("economy", "/api/v1/vendors", {
      market: "CHO01",
      stall: "A01",
      owner_name: "Ai Đó",
    });
    assert.equal(dup.status, 422);
    assert.equal(await vendorCount(), before);
  });

  test("who reads and who writes: leader, police, province read; the coordinator writes too (SPEC §2); others get nothing", async () => {
    for (const role of ["admin", "coordinator", "leader", "police", "economy", "market_board", "province"]) {
      const r = await get(role, "/api/v1/vendors");
      assert.equal(r.status, 200, role);
      assert.equal(((await r.json()) as { total: number }).total, 2, role);
    }
    for (const role of ["village_lead", "volunteer", "school"])
      assert.equal((await get(role, "/api/v1/vendors")).status, 403, role);
    for (const role of ["leader", "police", "province", "volunteer"]) {
      const r = await send(role, "/api/v1/vendors", { market: "CHO01", stall: "Z1", owner_name: "Ai Đó" });
      assert.equal(r.status, 403, role);
    }
    const patch = await send(
      "market_board",
      `/api/v1/markets/${marketId}`,
      { name: "Chợ Trung tâm Tân Ninh" },
      "PATCH",
    );
    assert.equal(patch.status, 200);
    assert.equal(((await patch.json()) as { name: string }).name, "Chợ Trung tâm Tân Ninh");
  });
});

describe("the pages, without JavaScript", () => {
  test("the economy office adds a stall with the form; a mistake re-renders the form with its summary", async () => {
    const agent = new Agent(t.app);
    await agent.login(names.economy!, TEST_PASSWORD);
    const list = await agent.get("/markets");
    assert.equal(list.status, 200);
    assert.match(agent.lastHtml, /Chợ Trung tâm Tân Ninh/);
    assert.match(agent.lastHtml, /href="\/imports\?kind=vendors"/);
    await agent.get("/vendors/new?market=CHO01");
    const bad = await agent.postForm("/vendors", {
      market: "CHO01",
      stall: "",
      owner_name: "Vi Văn Sáu",
      payments: ["qr"],
    });
    assert.equal(bad.status, 422);
    assert.match(agent.lastHtml, /class="error-summary/);
    assert.match(agent.lastHtml, /Số quầy/);
    const ok = await agent.postForm("/vendors", {
      market: "CHO01",
      stall: "A03",
      owner_name: "Vi Văn Sáu",
      payments: ["ewallet"],
      channels: ["facebook", "shopee"],
    });
    assert.equal(ok.status, 303);
    const page = await agent.get(ok.headers.get("location")!);
    assert.equal(page.status, 200);
    assert.match(agent.lastHtml, /Ví điện tử/);
    assert.match(agent.lastHtml, /Facebook, Shopee/);
    const filtered = await agent.get("/vendors?cashless=yes&payment=ewallet");
    assert.equal(filtered.status, 200);
    assert.match(agent.lastHtml, /3 quầy|1 quầy/);
  });

  test("the market board's home shows the figures and the way to the markets (it reads no indicators)", async () => {
    const agent = new Agent(t.app);
    await agent.login(names.market_board!, TEST_PASSWORD);
    await agent.get("/");
    assert.match(agent.lastHtml, /id="ind-markets"/);
    assert.match(agent.lastHtml, /href="\/markets"/);
    assert.doesNotMatch(agent.lastHtml, /id="ind-digital_households"/);
    assert.equal((await agent.get("/indicators")).status, 403);
    assert.equal((await agent.get("/residents")).status, 403);
  });

  test("the leader reads, has no edit buttons and is refused the form; the coordinator edits; a village lead is refused", async () => {
    const agent = new Agent(t.app);
    await agent.login(names.leader!, TEST_PASSWORD);
    await agent.get("/markets");
    assert.doesNotMatch(agent.lastHtml, /href="\/vendors\/new/);
    assert.equal((await agent.get("/vendors/new")).status, 403);
    const coordinator = new Agent(t.app);
    await coordinator.login(names.coordinator!, TEST_PASSWORD);
    await coordinator.get("/markets");
    assert.match(coordinator.lastHtml, /href="\/vendors\/new/);
    assert.equal((await coordinator.get("/vendors/new")).status, 200);
    const lead = new Agent(t.app);
    await lead.login(names.village_lead!, TEST_PASSWORD);
    assert.equal((await lead.get("/markets")).status, 403);
  });

  test("the dashboard shows the vendors with cashless payment beside indicator 10, by market", async () => {
    const agent = new Agent(t.app);
    await agent.login(names.leader!, TEST_PASSWORD);
    await agent.get("/indicators");
    const html = agent.lastHtml;
    const ten = html.indexOf('id="ind-digital_households"');
    const beside = html.indexOf('id="ind-markets"');
    assert.ok(ten > 0 && beside > ten, "the card follows indicator 10");
    const card = html.slice(beside, html.indexOf("</li>", html.indexOf("</table>", beside)));
    // A01 (QR, bank) and A03 (e-wallet) of three stalls; A02 takes cash only.
    assert.match(card, /2\/3 quầy \(66,7\s%\)/);
    assert.match(card, /Chợ Trung tâm Tân Ninh/);
  });

  test("the dashboard's figures kept in memory follow a vendor added and one changed (migration 0025)", async () => {
    const agent = new Agent(t.app);
    await agent.login(names.leader!, TEST_PASSWORD);
    const figure = async () => {
      await agent.get("/indicators");
      const html = agent.lastHtml;
      const beside = html.indexOf('id="ind-markets"');
      return /(\d+)\/(\d+) quầy/.exec(html.slice(beside))?.slice(1).join("/");
    };
    assert.equal(await figure(), "2/3");
    assert.equal(await figure(), "2/3", "the same again, from memory");
    const added = await created<{ id: number }>("economy", "/api/v1/vendors", {
      market: "CHO01",
      stall: "A09",
      owner_name: "Người Bán Mới",
      payments: ["qr"],
    });
    assert.equal(await figure(), "3/4", "a vendor added shows at once");
    const cash = await send("economy", `/api/v1/vendors/${added.id}`, { payments: null }, "PATCH");
    assert.equal(cash.status, 200, await cash.clone().text());
    assert.equal(await figure(), "2/4", "and a vendor that now takes cash only");
  });

  test("exports: the vendors' file is scoped, audited, and carries a citizen ID only for those who see IDs whole", async () => {
    const coordinator = await get("coordinator", "/api/v1/exports/vendors.csv");
    assert.equal(coordinator.status, 200);
    assert.match(await coordinator.text(), /038075000111/);
    const economy = await get("economy", "/api/v1/exports/vendors.csv");
    const text = await economy.text();
    assert.match(text, /^\uFEFF?market,stall,owner_name,citizen_id,household,goods,payments,channels/);
    assert.doesNotMatch(text, /038075000111|038\*/);
    assert.equal((await get("volunteer", "/api/v1/exports/vendors.csv")).status, 403);
  });

  test("a person erased on request takes their stall with them (it names them)", async () => {
    const [a01] = await t.db
      .select({ id: vendors.id })
      .from(vendors)
      .where(eq(vendors.residentId, people.lac.id));
    assert.ok(a01, "A01 is linked to Lê Văn Lạc");
    await erasePerson({
      db: t.db,
      communeId: t.commune.id,
      key: { residentId: people.lac.id },
      reason: "Yêu cầu xóa dữ liệu",
      actor: cliActor(t.commune.id),
    });
    assert.deepEqual(await t.db.select({ id: vendors.id }).from(vendors).where(eq(vendors.id, a01.id)), []);
  });
});
