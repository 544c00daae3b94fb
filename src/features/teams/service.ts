import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, forbidden, type Msg, msg, notFound, validationError } from "../../lib/errors.ts";
import { formatDate } from "../../lib/i18n/index.ts";
import { maskCitizenId, maskPhone } from "../../lib/mask.ts";
import { checkerFieldErrors, RowChecker } from "../../lib/row-checker.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { type Cell, parseOptional, parsePhone, parseYesNo } from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Scope } from "../auth/policy.ts";
import { seesUnmasked, type Viewer } from "../auth/viewer.ts";
import { projectPerson } from "../residents/fields.ts";
import { findResidentRow, findResidentsByCitizenIds } from "../residents/repo.ts";
import * as kit from "../service-kit.ts";
import { findVillageRow, findVillagesByCodes } from "../villages/repo.ts";
import { checkTeamMemberRow } from "./check.ts";
import {
  countVisitsOfMember,
  deleteTeamMemberRow,
  ensureTeamOfVillage,
  findTeamMemberByName,
  findTeamMemberRow,
  insertTeamMemberRow,
  listRecentVillageActivities,
  listTeamAccountsOfVillage,
  listTeamMemberKeysOfVillage,
  listTeamMemberRows,
  listTeamStatusRows,
  type RecentActivityRow,
  type TeamMemberRow,
  type TeamStatusRow,
  updateTeamMemberRow,
  updateTeamRow,
} from "./repo.ts";

/** SPEC §3 indicator 8: a team is active with at least this many members… */
export const TEAM_MIN_MEMBERS = 3;
/** …and some work dated in the last this many days up to the reference date (both ends included). */
export const TEAM_WINDOW_DAYS = 90;

/** yyyy-mm-dd `days` before a civil date. */
export function civilDaysBefore(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

const dmy = (iso: string) => formatDate("vi", iso);

/** A village's team at a date: counts, whether it is active, and why not in words. */
export type TeamStatus = TeamStatusRow & { from: string; to: string; reasons: Msg[] };

/**
 * Whether each village team of the scope is *active* at `date` (SPEC §3 indicator 8): at least
 * TEAM_MIN_MEMBERS members, and at least one visit to one of the village's households, class session
 * (a class without sessions by its own date) or propaganda activity in the village dated from
 * `date` − TEAM_WINDOW_DAYS to `date`, both included. Computed in SQL (repo `listTeamStatusRows`);
 * the indicator engine follows the same definition. When not active, `reasons` say why.
 */
export async function teamActivityAt(opts: {
  db: Db;
  scope: Scope;
  date: string;
  villageId?: number | undefined;
}): Promise<TeamStatus[]> {
  const rows = await listTeamStatusRows(opts.db, opts.scope, {
    date: opts.date,
    windowDays: TEAM_WINDOW_DAYS,
    minMembers: TEAM_MIN_MEMBERS,
    villageId: opts.villageId,
  });
  const from = civilDaysBefore(opts.date, TEAM_WINDOW_DAYS);
  return rows.map((r) => {
    const reasons: Msg[] = [];
    if (r.members < TEAM_MIN_MEMBERS)
      reasons.push(msg("teams.reason_members", { count: r.members, min: TEAM_MIN_MEMBERS }));
    if (r.visits + r.classSessions + r.propaganda === 0)
      reasons.push(
        msg("teams.reason_no_work", { days: TEAM_WINDOW_DAYS, from: dmy(from), to: dmy(opts.date) }),
      );
    return { ...r, from, to: opts.date, reasons };
  });
}

// --- presenting -------------------------------------------------------------------------

/**
 * A team member as the API and pages show it: the data README's column keys, masked per SPEC §8;
 * without phone and citizen ID for a role that reads names only (residents/fields.ts).
 */
export type TeamMemberItem = {
  id: number;
  village: string;
  full_name: string;
  role: "leader" | "member" | "youth_volunteer";
  phone?: string | null;
  citizen_id?: string | null;
  resident_id: number | null;
  /** The member's own account, when linked on the team page. */
  user_id: number | null;
  village_name: string;
};

export function presentTeamMember(row: TeamMemberRow, viewer: Viewer): TeamMemberItem {
  const unmasked = seesUnmasked(viewer);
  return projectPerson(
    {
      id: row.id,
      village: row.villageCode,
      full_name: row.fullName,
      role: row.role,
      phone: unmasked ? row.phone : maskPhone(row.phone),
      citizen_id: unmasked ? row.citizenId : maskCitizenId(row.citizenId),
      resident_id: row.residentId,
      user_id: row.userId ?? null,
      village_name: row.villageName,
    },
    viewer,
  );
}

/** A team as the teams list and API show it. */
export type TeamItem = {
  id: number | null;
  village: string;
  village_id: number;
  village_name: string;
  phone: string | null;
  publish_contacts: boolean;
  members: number;
  active: boolean;
  /** Why the team is not active, in the viewer's language (empty when active). */
  reasons: Msg[];
  visits: number;
  class_sessions: number;
  propaganda: number;
  from: string;
  to: string;
};

export function presentTeam(s: TeamStatus, viewer: Viewer): TeamItem {
  return {
    id: s.teamId,
    village: s.villageCode,
    village_id: s.villageId,
    village_name: s.villageName,
    phone: seesUnmasked(viewer) ? s.phone : maskPhone(s.phone),
    publish_contacts: s.publishContacts ?? false,
    members: s.members,
    active: s.active,
    reasons: s.reasons,
    visits: s.visits,
    class_sessions: s.classSessions,
    propaganda: s.propaganda,
    from: s.from,
    to: s.to,
  };
}

// --- reading ----------------------------------------------------------------------------

export async function listTeams(opts: { db: Db; viewer: Viewer; date?: string | undefined }) {
  const date = opts.date ?? todayInVietnam();
  const rows = await teamActivityAt({ db: opts.db, scope: opts.viewer.scope, date });
  return rows.map((r) => presentTeam(r, opts.viewer));
}

export type TeamDetail = {
  team: TeamItem;
  members: TeamMemberItem[];
  recentActivities: RecentActivityRow[];
};

/** A village's team page: the team (even before it has members), its members and its recent classes and propaganda. */
export async function getTeam(opts: { db: Db; viewer: Viewer; villageId: number; date?: string }) {
  const village = await findVillageRow(opts.db, opts.viewer.scope, opts.villageId);
  if (!village) throw notFound();
  const date = opts.date ?? todayInVietnam();
  const [status] = await teamActivityAt({
    db: opts.db,
    scope: opts.viewer.scope,
    date,
    villageId: village.id,
  });
  const members = await listTeamMemberRows(
    opts.db,
    opts.viewer.scope,
    { villageId: village.id },
    { limit: 500, offset: 0 },
  );
  return {
    team: presentTeam(status!, opts.viewer),
    members: members.items.map((m) => presentTeamMember(m, opts.viewer)),
    recentActivities: await listRecentVillageActivities(opts.db, village.id, 10),
  } satisfies TeamDetail;
}

export type TeamMemberQuery = { village?: string | undefined; q?: string | undefined };

export async function listTeamMembers(opts: {
  db: Db;
  viewer: Viewer;
  query: TeamMemberQuery;
  page: number;
  pageSize: number;
  /** Who asks, and where the answer is shown: an answer with unmasked IDs or phones is audited. */
  audit: { actor: Actor; source: string };
}) {
  const villageId = await kit.filterVillageId(opts.db, opts.viewer, opts.query.village);
  if (villageId === null) return kit.emptyPage(opts);
  const q = opts.query.q?.trim();
  const { items, total } = await listTeamMemberRows(
    opts.db,
    opts.viewer.scope,
    { villageId, q: q ? foldVietnamese(q) : undefined },
    kit.pageWindow(opts),
  );
  return kit.auditedPage(opts, "team_member", { items, total }, presentTeamMember);
}

export async function getTeamMember(opts: kit.RecordRead): Promise<TeamMemberItem> {
  const row = await findTeamMemberRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return presentTeamMember(row, opts.viewer);
}

// --- writing ----------------------------------------------------------------------------

/** Team writes: commune roles in their commune, a village lead in its villages (others are out of scope). */
function assertWritable(viewer: Viewer, villageId: number) {
  const s = viewer.scope;
  if (s.kind === "installation" || s.kind === "unit") throw forbidden();
  if (s.kind === "villages" && !s.villageIds.includes(villageId)) throw notFound();
}

const errorsOf = (c: RowChecker) => validationError(checkerFieldErrors(c.errors));

/** The team's phone and its consent to publish contacts. A masked phone sent back means “unchanged”. */
export async function updateTeam(opts: kit.InputWrite & { villageId: number }): Promise<TeamItem> {
  return opts.db.transaction(async (tx) => {
    const village = await findVillageRow(tx, opts.viewer.scope, opts.villageId);
    if (!village) throw notFound();
    assertWritable(opts.viewer, village.id);
    const team = await ensureTeamOfVillage(tx, village.communeId, village.id);
    const c = new RowChecker();
    const rawPhone = opts.input.phone;
    const keep = typeof rawPhone === "string" && rawPhone.includes("*");
    const phone = keep ? team.phone : c.take("phone", parseOptional(rawPhone ?? null, parsePhone));
    const publish = c.take("publish_contacts", parseYesNo(opts.input.publish_contacts ?? null));
    if (!c.ok) throw errorsOf(c);
    const after = { phone: phone ?? null, publishContacts: publish ?? false };
    await updateTeamRow(tx, team.id, after);
    await kit.auditChange(tx, opts.actor, {
      action: "team.update",
      entityId: team.id,
      before: { villageId: village.id, phone: team.phone, publishContacts: team.publishContacts },
      after: { villageId: village.id, ...after },
      communeId: village.communeId,
    });
    const [status] = await teamActivityAt({
      db: tx,
      scope: opts.viewer.scope,
      date: todayInVietnam(),
      villageId: village.id,
    });
    return presentTeam(status!, opts.viewer);
  });
}

/**
 * Records that these villages' teams agreed to publish their contacts (the team's phone and its
 * leaders on the public pages), keeping each team's phone; a village without a team gets one. There
 * is no import column for the consent: the demo commune uses this. Audited like a team update.
 * Returns the number of teams changed.
 */
export async function publishTeamContacts(opts: {
  db: Db;
  actor: Actor;
  communeId: number;
  villageCodes: readonly string[];
}): Promise<number> {
  let changed = 0;
  for (const village of await findVillagesByCodes(opts.db, opts.communeId, [...opts.villageCodes])) {
    const team = await ensureTeamOfVillage(opts.db, opts.communeId, village.id);
    if (team.publishContacts) continue;
    await updateTeamRow(opts.db, team.id, { phone: team.phone, publishContacts: true });
    await recordAudit(opts.db, opts.actor, {
      action: "team.update",
      entity: "team",
      entityId: team.id,
      before: { villageId: village.id, phone: team.phone, publishContacts: false },
      after: { villageId: village.id, phone: team.phone, publishContacts: true },
      communeId: opts.communeId,
    });
    changed++;
  }
  return changed;
}

/**
 * What a form or the API may say of a member: column keys, plus a resident picked by id (null
 * unlinks) and the member's own account (null unlinks; left out, it stays, or on creation the one
 * account of the village with the member's name is linked).
 */
export type TeamMemberChange = {
  input: Record<string, Cell>;
  residentId?: number | null | undefined;
  userId?: number | null | undefined;
};

async function checkedMember(
  tx: Db,
  viewer: Viewer,
  change: TeamMemberChange,
  current?: TeamMemberRow,
): Promise<{
  villageId: number;
  fullName: string;
  nameSearch: string;
  role: TeamMemberRow["role"];
  phone: string | null;
  residentId: number | null;
  userId?: number | null;
}> {
  const input = { ...change.input };
  // A masked viewer never sees the stored phone and citizen ID: what it sends back masked means “unchanged”.
  for (const k of ["phone", "citizen_id"] as const) {
    if (typeof input[k] === "string" && (input[k] as string).includes("*"))
      input[k] = current ? (k === "phone" ? current.phone : current.citizenId) : null;
  }
  // A picked resident must be one the viewer may see; an empty name takes the resident's.
  const picked =
    typeof change.residentId === "number"
      ? await findResidentRow(tx, viewer.scope, change.residentId)
      : undefined;
  if (picked && (input.full_name === undefined || input.full_name === null || input.full_name === ""))
    input.full_name = picked.fullName;
  const code = (k: string) => (typeof input[k] === "string" ? (input[k] as string).trim() : "");
  const villages = code("village") ? await findVillagesByCodes(tx, viewer.communeId, [code("village")]) : [];
  const cid = code("citizen_id");
  const byCid = /^\d{12}$/.test(cid) ? await findResidentsByCitizenIds(tx, [cid]) : [];
  const { checker, value } = checkTeamMemberRow((k) => input[k] ?? null, {
    village: (c) => villages.find((v) => v.code === c),
    residentByCitizenId: (c) => byCid.find((r) => r.citizenId === c && r.communeId === viewer.communeId),
  });
  let residentId: number | null;
  if (typeof change.residentId === "number") {
    if (!picked) checker.fail("resident", msg("teams.resident_unknown"));
    else if (value && picked.villageId !== value.villageId)
      checker.fail("resident", msg("teams.resident_other_village", { name: picked.fullName }));
    residentId = picked?.id ?? null;
  } else if (change.residentId === null || "citizen_id" in change.input) {
    residentId = value?.residentId ?? null;
  } else {
    residentId = current?.residentId ?? null;
  }
  let userId: number | null | undefined = change.userId;
  if (value) {
    const accounts = await listTeamAccountsOfVillage(tx, value.villageId);
    if (typeof userId === "number" && !accounts.some((a) => a.id === userId))
      checker.fail("user", msg("teams.account_unknown"));
    if (userId == null && !current) {
      // A new member named like exactly one of the village's accounts is that account's member.
      const same = accounts.filter((a) => foldVietnamese(a.displayName.trim()) === value.nameSearch);
      if (same.length === 1) userId = same[0]!.id;
    }
    if (typeof userId === "number") {
      const members = await listTeamMemberKeysOfVillage(tx, value.villageId);
      const other = members.find((m) => m.userId === userId && m.id !== current?.id);
      if (other) {
        if (typeof change.userId !== "number") userId = undefined;
        else checker.fail("user", msg("teams.account_taken", { name: other.fullName }));
      }
    }
  }
  if (!checker.ok || !value) throw errorsOf(checker);
  return userId === undefined ? { ...value, residentId } : { ...value, residentId, userId };
}

/**
 * The team member the signed-in account is in a village's team: the member linked to the account
 * on the team page, else the one unlinked member whose name is the account's display name.
 * What the visit form preselects, and what the field app records visits as.
 */
export async function teamMemberOfUser(opts: {
  db: Db;
  viewer: Viewer;
  villageId: number;
}): Promise<{ id: number; fullName: string; villageId: number; linked: boolean } | undefined> {
  const m = memberOfAccount(opts.viewer, await listTeamMemberKeysOfVillage(opts.db, opts.villageId));
  return m && { id: m.id, fullName: m.fullName, villageId: m.villageId, linked: m.userId !== null };
}

/**
 * The rule itself, on members already read: the member linked to the account, else the one
 * unlinked member whose folded name is the account's display name (the field app's work set uses
 * it on the members it sends).
 */
export function memberOfAccount<M extends { userId: number | null; nameSearch: string }>(
  viewer: Pick<Viewer, "displayName" | "userId">,
  members: M[],
): M | undefined {
  const linked = members.find((m) => m.userId === viewer.userId);
  if (linked) return linked;
  const me = foldVietnamese(viewer.displayName.trim());
  const named = members.filter((m) => m.userId === null && m.nameSearch === me);
  return named.length === 1 ? named[0] : undefined;
}

/** The accounts a village's member may be linked to (the team page's choice). */
export async function listTeamAccounts(opts: { db: Db; viewer: Viewer; villageId: number }) {
  const v = await findVillageRow(opts.db, opts.viewer.scope, opts.villageId);
  if (!v) throw notFound();
  return listTeamAccountsOfVillage(opts.db, opts.villageId);
}

function memberAudit(row: TeamMemberRow) {
  const { nameSearch: _n, communeId: _c, villageCode: _vc, villageName: _vn, citizenId: _ci, ...rest } = row;
  return rest;
}

export async function createTeamMember(
  opts: kit.WriteOpts & { change: TeamMemberChange },
): Promise<TeamMemberItem> {
  return opts.db.transaction(async (tx) => {
    const value = await checkedMember(tx, opts.viewer, opts.change);
    assertWritable(opts.viewer, value.villageId);
    const team = await ensureTeamOfVillage(tx, opts.viewer.communeId, value.villageId);
    if (await findTeamMemberByName(tx, team.id, value.fullName))
      throw validationError({ full_name: msg("teams.member_name_taken", { name: value.fullName }) });
    const { villageId: _v, ...values } = value;
    const id = await insertTeamMemberRow(tx, { communeId: team.communeId, teamId: team.id, ...values });
    const row = (await findTeamMemberRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, {
      action: "team_member.create",
      entityId: id,
      after: memberAudit(row),
    });
    return presentTeamMember(row, opts.viewer);
  });
}

/** The input keys of a stored member, so a partial change can be checked whole. */
function inputOfMember(row: TeamMemberRow): Record<string, Cell> {
  return { village: row.villageCode, full_name: row.fullName, role: row.role, phone: row.phone };
}

export async function updateTeamMember(
  opts: kit.RecordWrite & { change: TeamMemberChange },
): Promise<TeamMemberItem> {
  return opts.db.transaction(async (tx) => {
    const row = await findTeamMemberRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer, row.villageId);
    const value = await checkedMember(
      tx,
      opts.viewer,
      { ...opts.change, input: { ...inputOfMember(row), ...opts.change.input } },
      row,
    );
    assertWritable(opts.viewer, value.villageId);
    const team = await ensureTeamOfVillage(tx, row.communeId, value.villageId);
    const other = await findTeamMemberByName(tx, team.id, value.fullName);
    if (other && other.id !== row.id)
      throw validationError({ full_name: msg("teams.member_name_taken", { name: value.fullName }) });
    if (team.id !== row.teamId && (await countVisitsOfMember(tx, row.id)) > 0)
      throw validationError({ village: msg("teams.member_has_visits_move") });
    const { villageId: _v, ...values } = value;
    await updateTeamMemberRow(tx, row.id, { ...values, teamId: team.id });
    const after = (await findTeamMemberRow(tx, opts.viewer.scope, row.id)) ?? row;
    await kit.auditBeforeAfter(tx, opts.actor, "team_member.update", row, after, memberAudit);
    return presentTeamMember(after, opts.viewer);
  });
}

/** Removes a member; one that visits name is kept (409), as the visits would lose who made them. */
export async function deleteTeamMember(opts: kit.RecordWrite): Promise<void> {
  await opts.db.transaction(async (tx) => {
    const row = await findTeamMemberRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer, row.villageId);
    const n = await countVisitsOfMember(tx, row.id);
    if (n > 0)
      throw new AppError("conflict", {
        message: msg("teams.member_has_visits", { name: row.fullName, count: n }),
      });
    await deleteTeamMemberRow(tx, row.id);
    await kit.auditChange(tx, opts.actor, {
      action: "team_member.delete",
      entityId: row.id,
      before: memberAudit(row),
    });
  });
}
