/**
 * The field app: a client of /api/v1 for village teams and school officers, working offline. The
 * work set (households, visit lists, sessions, team) lives in IndexedDB (`store.ts`); every write goes
 * through the outbox (`outbox.ts`); the service worker (`sw.ts`) keeps the app itself. Screens are
 * plain DOM, drawn from strings of the server's catalog (embedded in the page as JSON).
 */
import { nowMs, todayInVietnam } from "../../lib/clock.ts";
import { formatCivilDate, formatInstant } from "../../lib/dates.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { applyWorkSet, type WorkSetBody } from "./apply.ts";
import {
  currentBackoffMs,
  discard,
  enqueue,
  listItems,
  onOutboxChange,
  pendingCount,
  resend,
  resetBackoff,
  scheduleRetry,
  sendAll,
  unsentCounts,
} from "./outbox.ts";
import {
  type Account,
  currentAccount,
  type Household,
  metaDb,
  type OutboxItem,
  type Session,
  saveAccount,
  signOutAccount,
  userDb,
} from "./store.ts";

type Strings = Record<string, string>;
const S: Strings = JSON.parse(document.getElementById("strings")?.textContent ?? "{}");
const SUPPORT: [string, string][] = JSON.parse(document.getElementById("support")?.textContent ?? "[]");
function t(key: string, params: Record<string, string | number> = {}): string {
  return (S[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}
const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dmy = formatCivilDate;
const $main = document.getElementById("main")!;
const $badge = document.getElementById("badge")!;
const $status = document.getElementById("status")!;

let account: Account | undefined;
let notice = "";
let needsSignIn = false;

// --- work set -------------------------------------------------------------------------------

type Lists = Record<"adults" | "vneid" | "households", { id: number; why: string[] }[]>;
type Member = { id: number; name: string; role: string; village_id: number };

async function metaGet<T>(key: string): Promise<T | undefined> {
  return (await (await userDb(account!.userId)).get("meta", key)) as T | undefined;
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (account?.token) headers.set("authorization", `Bearer ${account.token}`);
  headers.set("accept-language", document.documentElement.lang || "vi");
  return fetch(path, { ...init, headers });
}

/** Downloads the work set (changes only after the first time) and applies it. */
async function syncNow(): Promise<string> {
  if (!account?.token) return t("fieldapp.sign_in_needed");
  const cursor = await metaGet<string>("cursor");
  let res: Response;
  try {
    res = await api(`/api/v1/field/work-set${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
  } catch {
    return t("fieldapp.offline_sync");
  }
  if (res.status === 401) {
    needsSignIn = true;
    return t("fieldapp.session_ended");
  }
  const body = (await res.json()) as WorkSetBody & { error?: { message: string } };
  if (!res.ok) return body.error?.message ?? String(res.status);
  const db = await userDb(account.userId);
  const tx = db.transaction(["households", "sessions", "meta"], "readwrite");
  await applyWorkSet(
    {
      clear: (name) => tx.objectStore(name).clear(),
      put: (name, value) =>
        name === "households"
          ? tx.objectStore("households").put(value as Household)
          : tx.objectStore("sessions").put(value as Session),
      delete: (name, id) => tx.objectStore(name).delete(id),
      meta: (key, value) => tx.objectStore("meta").put(value, key),
    },
    body,
  );
  await tx.objectStore("meta").put(nowMs(), "syncedAt");
  await tx.done;
  return t("fieldapp.synced", { n: body.households.length });
}

/** The names of the fields the server may refuse, as the forms call them. */
const FIELD_LABELS = (): Record<string, string> => ({
  date: t("fieldapp.visit_date"),
  member: t("fieldapp.visit_member"),
  residents_met: t("fieldapp.visit_met"),
  support: t("fieldapp.visit_support"),
  vneid_update: t("fieldapp.visit_vneid"),
  note: t("fieldapp.visit_note"),
});

async function sendNow(): Promise<void> {
  if (!account) return;
  const a = account;
  const r = await sendAll(
    a.userId,
    async () => (account?.userId === a.userId ? (account.token ?? null) : null),
    t("fieldapp.refused"),
    FIELD_LABELS(),
  );
  if (r.needsSignIn) {
    needsSignIn = true;
    await render();
  } else if (r.failed && navigator.onLine) scheduleRetry(() => void sendNow());
  await updateBadge();
}

async function updateBadge() {
  const { waiting, refused } = account ? await unsentCounts(account.userId) : { waiting: 0, refused: 0 };
  // The badge counts all that has not left the phone; the status line says which is which.
  const n = waiting + refused;
  $badge.textContent = n > 0 ? String(n) : "";
  $badge.hidden = n === 0;
  const parts = [
    ...(waiting > 0 ? [t("fieldapp.pending_n", { n: waiting })] : []),
    ...(refused > 0 ? [t("fieldapp.refused_n", { n: refused })] : []),
  ];
  $status.textContent = navigator.onLine ? parts.join(" · ") : t("fieldapp.offline");
}

// --- screens --------------------------------------------------------------------------------

function nav(active: string) {
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav.bottom a"))
    a.setAttribute("aria-current", a.dataset.tab === active ? "page" : "false");
}

function signInScreen() {
  const again = needsSignIn && account;
  nav("");
  $main.innerHTML = `<h1>${esc(t(again ? "fieldapp.sign_in_again" : "fieldapp.sign_in"))}</h1>
  ${again ? `<p class="notice">${esc(t("fieldapp.session_ended_keep"))}</p>` : ""}
  ${notice ? `<p class="error" role="alert">${esc(notice)}</p>` : ""}
  <form id="signin" class="stack">
    <label for="u">${esc(t("fieldapp.username"))}</label>
    <input id="u" name="username" autocomplete="username" required value="${esc(again ? account?.username : "")}">
    <label for="p">${esc(t("fieldapp.password"))}</label>
    <input id="p" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" class="primary">${esc(t("fieldapp.sign_in_button"))}</button>
  </form>`;
}

async function signIn(form: HTMLFormElement) {
  const data = new FormData(form);
  let res: Response;
  try {
    res = await fetch("/api/v1/auth/token", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-language": document.documentElement.lang || "vi",
      },
      body: JSON.stringify({ username: data.get("username"), password: data.get("password") }),
    });
  } catch {
    notice = t("fieldapp.offline_sign_in");
    return render();
  }
  const body = (await res.json()) as { token?: string; error?: { message: string } };
  if (!res.ok || !body.token) {
    notice = body.error?.message ?? String(res.status);
    return render();
  }
  const me = (await (
    await fetch("/api/v1/me", { headers: { authorization: `Bearer ${body.token}` } })
  ).json()) as {
    id: number;
    username: string;
    displayName: string;
  };
  account = { userId: me.id, username: me.username, displayName: me.displayName, token: body.token };
  await saveAccount(account, true);
  needsSignIn = false;
  notice = "";
  void navigator.storage?.persist?.();
  location.hash = "#/can-tham";
  notice = await syncNow();
  await render();
  void sendNow();
}

const WHY: Record<string, string> = {
  elderly: "fieldapp.why_elderly",
  disabled: "fieldapp.why_disabled",
  poor: "fieldapp.why_poor",
};
const chips = (why: string[]) => why.map((w) => `<span class="chip">${esc(t(WHY[w] ?? w))}</span>`).join("");

async function visitListScreen(tab: string) {
  nav("can-tham");
  const db = await userDb(account!.userId);
  const lists = (await metaGet<Lists>("lists")) ?? { adults: [], vneid: [], households: [] };
  const which = (["adults", "vneid", "households"] as const).find((k) => k === tab) ?? "adults";
  const households = new Map((await db.getAll("households")).map((h) => [h.id, h]));
  const people = new Map<number, { name: string; age: number; h: Household }>();
  for (const h of households.values())
    for (const m of h.members) people.set(m.id, { name: m.name, age: m.age, h });
  const rows = lists[which].slice(0, 200).map((e) => {
    if (which === "households") {
      const h = households.get(e.id);
      return h
        ? `<li><a class="row" href="#/tham-ho/${h.id}"><b>${esc(h.code)}</b> ${esc(h.head ?? "")}<br><small>${esc(h.address ?? "")}</small> ${chips(e.why)}</a></li>`
        : "";
    }
    const p = people.get(e.id);
    return p
      ? `<li><a class="row" href="#/tham-ho/${p.h.id}"><b>${esc(p.name)}</b>, ${esc(t("fieldapp.age", { n: p.age }))}<br><small>${esc(p.h.code)} · ${esc(p.h.head ?? "")}</small> ${chips(e.why)}</a></li>`
      : "";
  });
  const tabLink = (k: string, label: string) =>
    `<a href="#/can-tham/${k}" class="tab" aria-current="${k === which ? "page" : "false"}">${esc(t(label))} (${lists[k as keyof Lists].length})</a>`;
  $main.innerHTML = `<h1>${esc(t("fieldapp.tab_visit_next"))}</h1>
  ${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ""}
  <div class="tabs">${tabLink("adults", "fieldapp.list_adults")}${tabLink("vneid", "fieldapp.list_vneid")}${tabLink("households", "fieldapp.list_households")}</div>
  <ul class="rows">${rows.join("") || `<li>${esc(t("fieldapp.list_empty"))}</li>`}</ul>`;
}

async function searchScreen(q: string) {
  nav("tham-ho");
  const db = await userDb(account!.userId);
  const all = await db.getAll("households");
  const f = foldVietnamese(q.trim());
  const found = (f ? all.filter((h) => h.search?.includes(f)) : all)
    .sort((a, b) => (b.last_visit ?? "").localeCompare(a.last_visit ?? "") || a.code.localeCompare(b.code))
    .slice(0, 50);
  $main.innerHTML = `<h1>${esc(t("fieldapp.tab_visit"))}</h1>
  ${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ""}
  <form id="search" class="search" role="search"><label for="q">${esc(t("fieldapp.search_label"))}</label>
  <input id="q" name="q" type="search" value="${esc(q)}" placeholder="${esc(t("fieldapp.search_hint"))}">
  <button type="submit">${esc(t("fieldapp.search_button"))}</button></form>
  <p><small>${esc(t("fieldapp.search_count", { n: found.length, total: all.length }))}</small></p>
  <ul class="rows">${found
    .map(
      (h) =>
        `<li><a class="row" href="#/tham-ho/${h.id}"><b>${esc(h.code)}</b> ${esc(h.head ?? "")}${h.poor ? ` <span class="chip">${esc(t("fieldapp.why_poor"))}</span>` : ""}<br><small>${esc(h.address ?? "")}${h.last_visit ? ` · ${esc(t("fieldapp.last_visit", { date: dmy(h.last_visit) }))}` : ""}</small></a></li>`,
    )
    .join("")}</ul>`;
}

async function visitFormScreen(householdId: number, item?: OutboxItem) {
  nav("tham-ho");
  const db = await userDb(account!.userId);
  const h = await db.get("households", householdId);
  if (!h) {
    $main.innerHTML = `<p class="error">${esc(t("fieldapp.household_gone"))}</p>`;
    return;
  }
  const members = ((await metaGet<Member[]>("members")) ?? []).filter((m) => m.village_id === h.village_id);
  const me = await metaGet<number | null>("me");
  const b = (item?.body ?? {}) as {
    date?: string;
    member?: string;
    support?: string[];
    residents_met?: number[];
    vneid_update?: number[];
    note?: string;
  };
  const date = b.date ?? todayInVietnam();
  const memberName = b.member ?? members.find((m) => m.id === me)?.name;
  const checked = (on: boolean | undefined) => (on ? " checked" : "");
  $main.innerHTML = `<h1>${esc(t("fieldapp.visit_title", { code: h.code }))}</h1>
  <p>${esc(h.head ?? "")} · ${esc(h.address ?? "")}</p>
  ${item?.reason ? `<p class="error" role="alert">${esc(item.reason)}</p>` : ""}
  <form id="visit" class="stack" data-household="${h.id}" data-item="${esc(item?.id ?? "")}">
    <label for="date">${esc(t("fieldapp.visit_date"))}</label>
    <input id="date" name="date" type="date" required value="${esc(date)}" max="${esc(todayInVietnam())}">
    <label for="member">${esc(t("fieldapp.visit_member"))}</label>
    <select id="member" name="member" required><option value="">—</option>${members
      .map((m) => `<option${m.name === memberName ? " selected" : ""}>${esc(m.name)}</option>`)
      .join("")}</select>
    <fieldset><legend>${esc(t("fieldapp.visit_met"))}</legend>${h.members
      .map(
        (m) =>
          `<label class="check"><input type="checkbox" name="met" value="${m.id}"${checked(b.residents_met?.includes(m.id))}> ${esc(m.name)}, ${esc(t("fieldapp.age", { n: m.age }))}<br><small>VNeID ${m.vneid_level}${m.vneid_confirmed ? " ✓" : ""} · ${esc(t(m.skilled ? "fieldapp.skilled" : "fieldapp.not_skilled"))}</small></label>`,
      )
      .join("")}</fieldset>
    <fieldset><legend>${esc(t("fieldapp.visit_support"))}</legend>${SUPPORT.map(
      ([k, label]) =>
        `<label class="check"><input type="checkbox" name="support" value="${k}"${checked(b.support?.includes(k))}> ${esc(label)}</label>`,
    ).join("")}</fieldset>
    <fieldset><legend>${esc(t("fieldapp.visit_vneid"))}</legend><p><small>${esc(t("fieldapp.visit_vneid_hint"))}</small></p>${h.members
      .map(
        (m) =>
          `<label class="check"><input type="checkbox" name="vneid" value="${m.id}"${checked(b.vneid_update?.includes(m.id))}> ${esc(m.name)}</label>`,
      )
      .join("")}</fieldset>
    <label for="note">${esc(t("fieldapp.visit_note"))}</label>
    <textarea id="note" name="note" rows="3">${esc(b.note ?? "")}</textarea>
    <button type="submit" class="primary">${esc(t("fieldapp.visit_save"))}</button>
  </form>`;
}

async function saveVisit(form: HTMLFormElement) {
  const db = await userDb(account!.userId);
  const h = (await db.get("households", Number(form.dataset.household)))!;
  const data = new FormData(form);
  const ids = (k: string) => data.getAll(k).map((v) => Number(v));
  const body = {
    household: h.code,
    date: String(data.get("date")),
    member: String(data.get("member")),
    support: data.getAll("support").map(String),
    residents_met: ids("met"),
    vneid_update: ids("vneid").filter((id) => ids("met").includes(id)),
    note: String(data.get("note") ?? "").trim() || null,
  };
  if (form.dataset.item) await resend(account!.userId, form.dataset.item, body);
  else
    await enqueue(account!.userId, {
      kind: "visit",
      method: "POST",
      path: "/api/v1/visits",
      body,
      label: t("fieldapp.item_visit", { code: h.code, date: dmy(body.date) }),
    });
  await db.put("households", {
    ...h,
    last_visit: body.date > (h.last_visit ?? "") ? body.date : h.last_visit,
  });
  notice = t("fieldapp.saved");
  location.hash = form.dataset.item ? "#/cho-gui" : "#/tham-ho";
  void sendNow();
}

async function sessionsScreen() {
  nav("diem-danh");
  const db = await userDb(account!.userId);
  const sessions = await db.getAll("sessions");
  sessions.sort((a, b) => a.date.localeCompare(b.date));
  $main.innerHTML = `<h1>${esc(t("fieldapp.tab_attendance"))}</h1>
  ${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ""}
  <ul class="rows">${
    sessions
      .map(
        (s) =>
          `<li><a class="row" href="#/diem-danh/${s.id}"><b>${esc(dmy(s.date))}</b> · ${esc(s.activity)} ${esc(s.title)}<br><small>${esc(s.place ?? "")} · ${esc(t("fieldapp.learners_n", { n: s.learners.length, present: s.learners.filter((l) => l.present).length }))}</small></a></li>`,
      )
      .join("") || `<li>${esc(t("fieldapp.no_sessions"))}</li>`
  }</ul>`;
}

async function rosterScreen(sessionId: number, q = "") {
  nav("diem-danh");
  const db = await userDb(account!.userId);
  const s = await db.get("sessions", sessionId);
  if (!s) {
    $main.innerHTML = `<p class="error">${esc(t("fieldapp.session_gone"))}</p>`;
    return;
  }
  const f = foldVietnamese(q.trim());
  const on = new Set(s.learners.map((l) => l.id));
  const candidates = f
    ? (await db.getAll("households"))
        .flatMap((h) => h.members.map((m) => ({ ...m, h })))
        .filter((m) => !on.has(m.id) && foldVietnamese(m.name).includes(f))
        .slice(0, 20)
    : [];
  $main.innerHTML = `<h1>${esc(t("fieldapp.roster_title", { code: s.activity, date: dmy(s.date) }))}</h1>
  <p>${esc(s.title)}</p>
  <ul class="rows roster">${s.learners
    .map(
      (l) =>
        `<li><label class="check big"><input type="checkbox" data-learner="${l.id}"${l.present ? " checked" : ""}> ${esc(l.name)}</label></li>`,
    )
    .join("")}</ul>
  <form id="walkin" class="search" data-session="${s.id}"><label for="wq">${esc(t("fieldapp.walkin_label"))}</label>
  <input id="wq" name="q" type="search" value="${esc(q)}"><button type="submit">${esc(t("fieldapp.search_button"))}</button></form>
  <ul class="rows">${candidates
    .map(
      (m) =>
        `<li><button type="button" class="row" data-walkin="${m.id}" data-name="${esc(m.name)}" data-household="${m.h.id}">＋ ${esc(m.name)}, ${esc(t("fieldapp.age", { n: m.age }))} · ${esc(m.h.code)}</button></li>`,
    )
    .join("")}</ul>`;
  $main.dataset.session = String(s.id);
}

async function mark(
  sessionId: number,
  residentId: number,
  present: boolean,
  walkIn?: { name: string; household: number },
) {
  const db = await userDb(account!.userId);
  const s = (await db.get("sessions", sessionId))!;
  const learner = s.learners.find((l) => l.id === residentId);
  if (learner) learner.present = present;
  else if (walkIn)
    s.learners.push({ id: residentId, name: walkIn.name, household_id: walkIn.household, present });
  await db.put("sessions", s);
  const name = learner?.name ?? walkIn?.name ?? "";
  await enqueue(account!.userId, {
    kind: "attendance",
    method: "PUT",
    path: "/api/v1/attendance",
    body: { activity: s.activity, date: s.date, resident_id: residentId, present },
    label: t(present ? "fieldapp.item_present" : "fieldapp.item_absent", {
      code: s.activity,
      date: dmy(s.date),
      name,
    }),
    group: `s${s.id}r${residentId}`,
  });
  void sendNow();
}

/** A refused attendance mark, edited: another session (the one it named was cancelled) or the other mark. */
async function attendanceEditScreen(item: OutboxItem) {
  nav("cho-gui");
  const db = await userDb(account!.userId);
  const sessions = (await db.getAll("sessions")).sort((a, b) => a.date.localeCompare(b.date));
  const b = item.body as { activity: string; date: string; resident_id: number; present: boolean };
  const name =
    sessions.flatMap((s) => s.learners).find((l) => l.id === b.resident_id)?.name ??
    (await db.getAll("households")).flatMap((h) => h.members).find((m) => m.id === b.resident_id)?.name ??
    "";
  $main.innerHTML = `<h1>${esc(t("fieldapp.attendance_edit_title", { name }))}</h1>
  ${item.reason ? `<p class="error" role="alert">${esc(item.reason)}</p>` : ""}
  <form id="attendance-edit" class="stack" data-item="${esc(item.id)}" data-name="${esc(name)}">
    <label for="session">${esc(t("fieldapp.attendance_session"))}</label>
    <select id="session" name="session" required><option value="">—</option>${sessions
      .map(
        (s) =>
          `<option value="${s.id}"${s.activity === b.activity && s.date === b.date ? " selected" : ""}>${esc(dmy(s.date))} · ${esc(s.activity)} ${esc(s.title)}</option>`,
      )
      .join("")}</select>
    <label class="check big"><input type="checkbox" name="present"${b.present ? " checked" : ""}> ${esc(t("fieldapp.attendance_present"))}</label>
    <button type="submit" class="primary">${esc(t("fieldapp.attendance_save"))}</button>
  </form>`;
}

async function saveAttendanceEdit(form: HTMLFormElement) {
  const db = await userDb(account!.userId);
  const data = new FormData(form);
  const s = await db.get("sessions", Number(data.get("session")));
  const item = (await listItems(account!.userId)).find((i) => i.id === form.dataset.item);
  if (!s || !item) return;
  const residentId = (item.body as { resident_id: number }).resident_id;
  const present = data.get("present") !== null;
  const name = form.dataset.name ?? "";
  const learner = s.learners.find((l) => l.id === residentId);
  if (learner) learner.present = present;
  else s.learners.push({ id: residentId, name, household_id: 0, present });
  await db.put("sessions", s);
  await resend(
    account!.userId,
    item.id,
    { activity: s.activity, date: s.date, resident_id: residentId, present },
    t(present ? "fieldapp.item_present" : "fieldapp.item_absent", {
      code: s.activity,
      date: dmy(s.date),
      name,
    }),
  );
  notice = t("fieldapp.saved");
  location.hash = "#/cho-gui";
  void sendNow();
}

const STATE_LABEL: Record<string, string> = {
  waiting: "fieldapp.state_waiting",
  sending: "fieldapp.state_waiting",
  sent: "fieldapp.state_sent",
  refused: "fieldapp.state_refused",
};

async function outboxScreen() {
  nav("cho-gui");
  const items = (await listItems(account!.userId)).reverse();
  const waiting = items.filter((i) => i.state === "waiting").length;
  const refused = items.filter((i) => i.state === "refused").length;
  const syncedAt = await metaGet<number>("syncedAt");
  const est = await navigator.storage?.estimate?.();
  const persisted = await navigator.storage?.persisted?.();
  const backoff = currentBackoffMs();
  const udb = await userDb(account!.userId);
  const counts = {
    households: await udb.count("households"),
    sessions: await udb.count("sessions"),
    items: items.length,
  };
  $main.innerHTML = `<h1>${esc(t("fieldapp.tab_outbox"))}</h1>
  ${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ""}
  <p class="summary"><b>${esc(t("fieldapp.pending_n", { n: waiting }))}</b>${refused ? ` · ${esc(t("fieldapp.refused_n", { n: refused }))}` : ""}${backoff && waiting ? `<br><small>${esc(t("fieldapp.retry_in", { s: Math.round(backoff / 1000) }))}</small>` : ""}</p>
  <div class="buttons"><button type="button" class="primary" data-action="send">${esc(t("fieldapp.send_now"))}</button>
  <button type="button" data-action="sync">${esc(t("fieldapp.sync_now"))}</button></div>
  <ul class="rows outbox">${items
    .map(
      (
        i,
      ) => `<li class="item item--${i.state}" data-id="${esc(i.id)}"><b>${esc(i.label)}</b> <span class="chip chip--${i.state}">${esc(t(STATE_LABEL[i.state]!))}</span>
      ${i.reason ? `<p class="error">${esc(i.reason)}</p>` : ""}
      ${
        i.state === "refused"
          ? `<div class="buttons"><a class="button" href="#/cho-gui/${esc(i.id)}">${esc(t("fieldapp.edit_resend"))}</a>${i.kind === "attendance" ? `<button type="button" data-resend="${esc(i.id)}">${esc(t("fieldapp.resend"))}</button>` : ""}
          <button type="button" data-discard="${esc(i.id)}">${esc(t("fieldapp.discard"))}</button></div>`
          : ""
      }</li>`,
    )
    .join("")}</ul>
  <h2>${esc(t("fieldapp.device"))}</h2>
  <p><small>${esc(t("fieldapp.signed_in_as", { name: account!.displayName, username: account!.username }))}<br>
  ${syncedAt ? esc(t("fieldapp.synced_at", { at: formatInstant(syncedAt) })) : ""}<br>
  ${est ? esc(t("fieldapp.storage", { used: Math.round((est.usage ?? 0) / 1024), persisted: t(persisted ? "fieldapp.persisted_yes" : "fieldapp.persisted_no") })) : ""}<br>
  <span id="storage-counts">${esc(t("fieldapp.storage_counts", counts))}</span></small></p>
  <button type="button" data-action="signout">${esc(t("fieldapp.sign_out"))}</button>`;
}

/**
 * Screens are drawn one after another, never side by side: each reads the address when its turn
 * comes, so the last address wins (a sync that ends late cannot draw the outbox over the visit form
 * the volunteer has just opened). `refresh` redraws after a sync, but never a form being filled in.
 */
let drawing: Promise<void> = Promise.resolve();
function render(opts: { refresh?: boolean } = {}): Promise<void> {
  const turn = drawing.then(() => draw(opts));
  drawing = turn.catch(() => {});
  return turn;
}

/** The screens with a form the volunteer may be filling in: a redraw would wipe it. */
const onForm = () => location.hash.startsWith("#/tham-ho/") || location.hash.startsWith("#/cho-gui/");

async function draw({ refresh = false }: { refresh?: boolean }) {
  if (refresh && onForm()) return;
  account = await currentAccount();
  await updateBadge();
  if (!account?.token || needsSignIn) return signInScreen();
  // "#/tham-ho?q=…": the query is not a path part (it would be read as a household id).
  const [, tab = "can-tham", arg = "", extra = ""] = (location.hash.split("?")[0] ?? "").split("/");
  const q = new URLSearchParams(location.hash.split("?")[1] ?? "").get("q") ?? "";
  if (tab === "tham-ho") await (arg ? visitFormScreen(Number(arg)) : searchScreen(q));
  else if (tab === "diem-danh") await (arg ? rosterScreen(Number(arg), q) : sessionsScreen());
  else if (tab === "cho-gui" && arg) {
    const item = (await listItems(account.userId)).find((i) => i.id === arg);
    if (item?.kind === "attendance")
      return attendanceEditScreen(item).then(() => {
        notice = "";
      });
    const db = await userDb(account.userId);
    const h = item
      ? (await db.getAll("households")).find(
          (x) => x.code === (item.body as { household?: string }).household,
        )
      : undefined;
    if (item && h) await visitFormScreen(h.id, item);
    else await outboxScreen();
  } else if (tab === "cho-gui") await outboxScreen();
  else await visitListScreen(arg);
  void extra;
  notice = "";
}

// --- events ---------------------------------------------------------------------------------

document.addEventListener("submit", (e) => {
  const form = e.target as HTMLFormElement;
  e.preventDefault();
  if (form.id === "signin") void signIn(form);
  else if (form.id === "visit") void saveVisit(form);
  else if (form.id === "attendance-edit") void saveAttendanceEdit(form);
  else if (form.id === "search")
    location.hash = `#/tham-ho?q=${encodeURIComponent(String(new FormData(form).get("q") ?? ""))}`;
  else if (form.id === "walkin")
    location.hash = `#/diem-danh/${form.dataset.session}?q=${encodeURIComponent(String(new FormData(form).get("q") ?? ""))}`;
});

document.addEventListener("change", (e) => {
  const input = e.target as HTMLInputElement;
  if (input.dataset.learner)
    void mark(Number($main.dataset.session), Number(input.dataset.learner), input.checked);
});

document.addEventListener("click", (e) => {
  const el = (e.target as HTMLElement).closest<HTMLElement>("button");
  if (!el || !account) return;
  const uid = account.userId;
  if (el.dataset.walkin) {
    const sid = $main.dataset.session;
    void mark(Number(sid), Number(el.dataset.walkin), true, {
      name: el.dataset.name ?? "",
      household: Number(el.dataset.household),
    }).then(() => {
      // The roster again, without the search that found the walk-in.
      const to = `#/diem-danh/${sid}`;
      if (location.hash !== to) location.hash = to;
      else void render();
    });
  } else if (el.dataset.discard) {
    if (confirm(t("fieldapp.discard_confirm"))) void discard(uid, el.dataset.discard).then(() => render());
  } else if (el.dataset.resend) void resend(uid, el.dataset.resend).then(() => sendNow());
  else if (el.dataset.action === "send") {
    resetBackoff();
    void sendNow().then(() => render());
  } else if (el.dataset.action === "sync")
    void syncNow().then((m) => {
      notice = m;
      return render();
    });
  else if (el.dataset.action === "signout") void signOut();
});

async function signOut() {
  const n = await pendingCount(account!.userId);
  if (n > 0 && !confirm(t("fieldapp.sign_out_pending", { n }))) return;
  try {
    await api("/api/v1/auth/token", { method: "DELETE" });
  } catch {
    // offline: the token expires by itself
  }
  await signOutAccount();
  account = undefined;
  needsSignIn = false;
  await render();
}

onOutboxChange(() => {
  void updateBadge();
  if (location.hash.startsWith("#/cho-gui") && !onForm()) void render({ refresh: true });
});
window.addEventListener("hashchange", () => void render());
window.addEventListener("online", () => {
  resetBackoff();
  void updateBadge();
  void sendNow().then(async () => {
    if (account?.token && !needsSignIn) await syncNow();
  });
});
window.addEventListener("offline", () => void updateBadge());

async function boot() {
  if ("serviceWorker" in navigator) {
    try {
      await navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" });
    } catch {
      // the app still works online without its worker
    }
  }
  await metaDb();
  account = await currentAccount();
  // Asked at sign-in; asked again at each start until granted (Chromium grants it once installed).
  if (account && navigator.storage?.persisted && !(await navigator.storage.persisted()))
    void navigator.storage.persist?.();
  await render();
  if (account?.token && navigator.onLine) {
    notice = await syncNow();
    await render({ refresh: true });
    void sendNow();
  }
  document.documentElement.dataset.ready = "1";
}

void boot();
