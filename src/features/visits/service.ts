import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { conflict, forbidden, msg, notFound, validationError } from "../../lib/errors.ts";
import { checkerFieldErrors } from "../../lib/row-checker.ts";
import type { Cell, SupportKind } from "../../lib/values.ts";
import type { Actor } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { wasInWorkSet } from "../field/service.ts";
import { findHouseholdByCode, findHouseholdRow, searchHouseholdRows } from "../households/repo.ts";
import { inDatabaseThread } from "../procedures.ts";
import { ageAt } from "../residents/service.ts";
import * as kit from "../service-kit.ts";
import { listTeamMemberKeysOfVillage } from "../teams/repo.ts";
import { teamMemberOfUser } from "../teams/service.ts";
import { findVillagesByCodes, findVillagesByIds } from "../villages/repo.ts";
import { checkVisitRow } from "./check.ts";
import {
  deleteVisitRow,
  findVisitByNaturalKey,
  findVisitRow,
  insertVisitRow,
  listActiveMembersOfHousehold,
  listInactiveMembersOfHousehold,
  listResidentsMet,
  listVisitRows,
  raiseVneidLevel,
  replaceResidentsMet,
  updateVisitRow,
  type VisitListRow,
} from "./repo.ts";

/** A visit as the API and pages show it: the data README's column keys, plus the residents met. */
export type VisitItem = {
  id: number;
  household: string;
  date: string;
  member: string;
  support: SupportKind[];
  note: string | null;
  residents_met: number[];
  household_id: number;
  head_name: string | null;
  village: string;
  village_name: string;
  member_id: number;
};

export type VisitDetail = VisitItem & {
  residents_met_names: { id: number; full_name: string }[];
  recorded_by: string | null;
};

export function presentVisit(row: VisitListRow, met: { id: number; fullName: string }[]): VisitItem {
  return {
    id: row.id,
    household: row.householdCode,
    date: row.date,
    member: row.memberName,
    support: row.support,
    note: row.note,
    residents_met: met.map((r) => r.id),
    household_id: row.householdId,
    head_name: row.headName,
    village: row.villageCode,
    village_name: row.villageName,
    member_id: row.memberId,
  };
}

export type VisitQuery = {
  village?: string | undefined;
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export async function listVisits(opts: {
  db: Db;
  viewer: Viewer;
  query: VisitQuery;
  page: number;
  pageSize: number;
  householdId?: number;
}): Promise<kit.ListPage<VisitItem>> {
  const villageId = await kit.filterVillageId(opts.db, opts.viewer, opts.query.village);
  if (villageId === null) return kit.emptyPage(opts);
  const { items, total } = await listVisitRows(
    opts.db,
    opts.viewer.scope,
    {
      villageId,
      householdId: opts.householdId,
      q: opts.query.q?.trim() || undefined,
      from: opts.query.from && ISO.test(opts.query.from) ? opts.query.from : undefined,
      to: opts.query.to && ISO.test(opts.query.to) ? opts.query.to : undefined,
    },
    kit.pageWindow(opts),
  );
  const met = await listResidentsMet(
    opts.db,
    items.map((v) => v.id),
  );
  return {
    items: items.map((v) => presentVisit(v, met.get(v.id) ?? [])),
    total,
    page: opts.page,
    pageSize: opts.pageSize,
  };
}

export async function getVisit(opts: kit.RecordRead): Promise<VisitDetail> {
  const row = await findVisitRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  const met = (await listResidentsMet(opts.db, [row.id])).get(row.id) ?? [];
  return {
    ...presentVisit(row, met),
    residents_met_names: met.map((r) => ({ id: r.id, full_name: r.fullName })),
    recorded_by: row.recordedByName,
  };
}

/** What the visit form of a household shows: who may be met, who may have made the visit. */
export type VisitFormData = {
  household: { id: number; code: string; headName: string | null; villageId: number; villageName: string };
  /** Active residents of the household: names, age and VNeID level only (SPEC §2: a volunteer sees no ID or phone). */
  residents: { id: number; fullName: string; age: number; vneidLevel: number }[];
  members: { id: number; fullName: string }[];
  /** The viewer's own member of the village's team (linked on the team page, or by name), when there is one. */
  defaultMember: string | undefined;
  today: string;
};

/** A household in the viewer's scope (404 outside it) with its active members and its village's team. */
export async function getVisitFormData(opts: {
  db: Db;
  viewer: Viewer;
  householdId: number;
}): Promise<VisitFormData> {
  const h = await findHouseholdRow(opts.db, opts.viewer.scope, opts.householdId);
  if (!h) throw notFound();
  const today = todayInVietnam();
  const residents = (await listActiveMembersOfHousehold(opts.db, h.id)).map((r) => ({
    id: r.id,
    fullName: r.fullName,
    age: ageAt(r.birthDate, today),
    vneidLevel: r.vneidLevel,
  }));
  const members = await listTeamMemberKeysOfVillage(opts.db, h.villageId);
  const me = await teamMemberOfUser({ db: opts.db, viewer: opts.viewer, villageId: h.villageId });
  return {
    household: {
      id: h.id,
      code: h.code,
      headName: h.headName,
      villageId: h.villageId,
      villageName: h.villageName,
    },
    residents,
    members: members.map((m) => ({ id: m.id, fullName: m.fullName })),
    defaultMember: me?.fullName,
    today,
  };
}

/** A household as the visit form's picker offers it. */
export type HouseholdPick = {
  id: number;
  code: string;
  headName: string | null;
  address: string | null;
  villageName: string;
  memberNames: string[];
  lastVisit: string | null;
};

/**
 * Step 1 of the visit form: the viewer's households matching `q` (every word somewhere in the
 * code, the head's name, the address or an active member's name; no diacritics needed), recently
 * visited first. Scope is the repo's: a village team never finds another village's households.
 */
export async function findHouseholdsToVisit(opts: {
  db: Db;
  viewer: Viewer;
  q?: string | undefined;
  village?: string | undefined;
  limit: number;
}): Promise<{ items: HouseholdPick[]; total: number }> {
  let villageId: number | undefined;
  if (opts.village) {
    const [v] = await findVillagesByCodes(opts.db, opts.viewer.communeId, [opts.village]);
    if (!v) return { items: [], total: 0 };
    villageId = v.id;
  }
  const { items, total } = await searchHouseholdRows(
    opts.db,
    opts.viewer.scope,
    { villageId, q: opts.q?.trim() || undefined },
    opts.limit,
  );
  return {
    items: items.map((r) => ({
      id: r.id,
      code: r.code,
      headName: r.headName,
      address: r.address,
      villageName: r.villageName,
      memberNames: r.memberNames,
      lastVisit: r.lastVisit,
    })),
    total,
  };
}

/** The id of the household with this code in the viewer's scope (a "who to visit next" row links by code). */
export async function householdIdOfCode(opts: { db: Db; viewer: Viewer; code: string }): Promise<number> {
  const h = await findHouseholdByCode(opts.db, opts.viewer.communeId, opts.code.trim());
  if (!h || !(await findHouseholdRow(opts.db, opts.viewer.scope, h.id))) throw notFound();
  return h.id;
}

/** What a form or the API says of a visit: column keys, the residents met, whose VNeID level to raise. */
export type VisitChange = {
  input: Record<string, Cell>;
  /** Ids of the household's residents met; undefined leaves them as they are (an update). */
  residentsMet?: number[] | undefined;
  /** Ids of residents met whose VNeID level the support given raises (1 for vneid_install, 2 for vneid_level2). */
  vneidUpdates?: number[] | undefined;
};

/** Writes stay inside the writer's scope: a village team only in its villages; the province reads only. */
function assertWritable(viewer: Viewer, villageId: number) {
  const s = viewer.scope;
  if (s.kind === "installation" || s.kind === "unit") throw forbidden();
  if (s.kind === "villages" && !s.villageIds.includes(villageId)) throw notFound();
}

/**
 * A new visit to a household outside the writer's villages: 404, unless the household was on the
 * writer's phone (a field work set held it — it moved away while the phone was offline), when the
 * refusal says so (409).
 */
async function assertVisitable(
  tx: Db,
  viewer: Viewer,
  household: { id: number; code: string; villageId: number },
) {
  const s = viewer.scope;
  if (
    s.kind === "villages" &&
    !s.villageIds.includes(household.villageId) &&
    (await wasInWorkSet({ db: tx, userId: viewer.userId, householdId: household.id }))
  )
    throw conflict(msg("field.household_moved", { code: household.code }));
  assertWritable(viewer, household.villageId);
}

/** The row's rules, the residents met in the household, the VNeID updates allowed by the support given. */
async function checkedVisit(tx: Db, viewer: Viewer, change: VisitChange, selfId?: number) {
  const input = change.input;
  const code = typeof input.household === "string" ? input.household.trim() : "";
  const h = code ? await findHouseholdByCode(tx, viewer.communeId, code) : undefined;
  // A household outside the writer's villages is not there for it (a new visit says it moved).
  if (h) {
    if (selfId === undefined) await assertVisitable(tx, viewer, h);
    else assertWritable(viewer, h.villageId);
  }
  const members = h ? await listTeamMemberKeysOfVillage(tx, h.villageId) : [];
  const villages = h ? await findVillagesByIds(tx, [h.villageId]) : [];
  const { checker, value } = checkVisitRow(
    (k) => input[k] ?? null,
    {
      household: (c) => (h && h.code === c ? h : undefined),
      membersNamed: (villageId, nameSearch) =>
        members.filter((m) => m.villageId === villageId && m.nameSearch === nameSearch),
      villageCode: (id) => villages.find((v) => v.id === id)?.code,
    },
    todayInVietnam(),
  );
  const active = h ? await listActiveMembersOfHousehold(tx, h.id) : [];
  const met = [...new Set(change.residentsMet ?? [])];
  const notHere = met.filter((id) => !active.some((r) => r.id === id));
  if (h && notHere.length > 0) {
    // Someone who died or moved out since the phone last synced: say who and why.
    const [gone] = await listInactiveMembersOfHousehold(tx, h.id, notHere);
    checker.fail(
      "residents_met",
      gone
        ? msg(gone.status === "deceased" ? "field.resident_deceased" : "field.resident_moved", {
            name: gone.fullName,
            household: h.code,
          })
        : msg("visits.resident_not_in_household", { household: h.code }),
    );
  }
  const updates = [...new Set(change.vneidUpdates ?? [])];
  const level = value?.support.includes("vneid_level2")
    ? 2
    : value?.support.includes("vneid_install")
      ? 1
      : 0;
  if (updates.length > 0 && value) {
    if (level === 0) checker.fail("vneid_update", msg("visits.vneid_update_needs_support"));
    else if (updates.some((id) => !met.includes(id)))
      checker.fail("vneid_update", msg("visits.vneid_update_not_met"));
  }
  if (value) {
    const same = await findVisitByNaturalKey(tx, value);
    if (same && same.id !== selfId) checker.fail("date", msg("visits.duplicate"));
  }
  if (!checker.ok || !value) {
    throw validationError(checkerFieldErrors(checker.errors));
  }
  const raise = updates.map((id) => active.find((r) => r.id === id)!).filter((r) => r.vneidLevel < level);
  return { value, met, raise, level };
}

/** Raises each resident's VNeID level in the visit's transaction, audited one by one. */
async function applyVneidUpdates(
  tx: Db,
  actor: Actor,
  visitId: number,
  communeId: number,
  raise: { id: number; vneidLevel: number }[],
  level: number,
) {
  for (const r of raise) {
    await raiseVneidLevel(tx, r.id, level);
    await kit.auditChange(tx, actor, {
      action: "resident.update",
      entityId: r.id,
      before: { vneidLevel: r.vneidLevel },
      after: { vneidLevel: level, byVisit: visitId },
      communeId,
    });
  }
}

function visitAudit(row: VisitListRow, met: number[]) {
  return {
    householdId: row.householdId,
    household: row.householdCode,
    date: row.date,
    memberId: row.memberId,
    member: row.memberName,
    support: row.support,
    note: row.note,
    residentsMet: met,
  };
}

/**
 * Records a door-to-door visit (SPEC §4): the importer's row rules, the residents met among the
 * household's active members, and — when asked — each met resident's VNeID level raised to what
 * the support given reached (never lowered), all in one transaction, audited.
 */
export async function recordVisit(opts: kit.WriteOpts & { change: VisitChange }): Promise<VisitDetail> {
  const { db, ...args } = opts;
  const id = await inDatabaseThread(db, "visit.record", args);
  // Read after the commit: on the embedded database a transaction holds its one thread, and every
  // other request's statements wait while it asks what it need not (docs/architecture.md).
  return getVisit({ db, viewer: opts.viewer, id });
}

/** `recordVisit`'s transaction, answering the new visit's id (a procedure: `features/procedures.ts`). */
export function recordVisitTransaction(
  db: Db,
  opts: Omit<kit.WriteOpts, "db"> & { change: VisitChange },
): Promise<number> {
  return db.transaction(async (tx) => {
    const { value, met, raise, level } = await checkedVisit(tx, opts.viewer, opts.change);
    const { villageId: _v, ...values } = value;
    const id = await insertVisitRow(tx, {
      communeId: opts.viewer.communeId,
      ...values,
      recordedBy: opts.viewer.userId,
    });
    await replaceResidentsMet(tx, opts.viewer.communeId, id, met);
    const row = (await findVisitRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, {
      action: "visit.create",
      entityId: id,
      after: visitAudit(row, met),
    });
    await applyVneidUpdates(tx, opts.actor, id, row.communeId, raise, level);
    return id;
  });
}

/** Changes a visit: the given keys over the stored ones, checked whole. */
export async function updateVisit(opts: kit.RecordWrite & { change: VisitChange }): Promise<VisitDetail> {
  const { db, ...args } = opts;
  const id = await inDatabaseThread(db, "visit.update", args);
  return getVisit({ db, viewer: opts.viewer, id });
}

/** `updateVisit`'s transaction, answering the visit's id (a procedure: `features/procedures.ts`). */
export function updateVisitTransaction(
  db: Db,
  opts: Omit<kit.RecordWrite, "db"> & { change: VisitChange },
): Promise<number> {
  return db.transaction(async (tx) => {
    const row = await findVisitRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer, row.villageId);
    const before = (await listResidentsMet(tx, [row.id])).get(row.id) ?? [];
    const input: Record<string, Cell> = {
      household: row.householdCode,
      date: row.date,
      member: row.memberName,
      support: row.support.join(";"),
      note: row.note,
      ...opts.change.input,
    };
    const { value, met, raise, level } = await checkedVisit(
      tx,
      opts.viewer,
      {
        input,
        residentsMet: opts.change.residentsMet ?? before.map((r) => r.id),
        vneidUpdates: opts.change.vneidUpdates,
      },
      row.id,
    );
    const { villageId: _v, ...values } = value;
    await updateVisitRow(tx, row.id, values);
    await replaceResidentsMet(tx, row.communeId, row.id, met);
    const after = (await findVisitRow(tx, opts.viewer.scope, row.id))!;
    await kit.auditChange(tx, opts.actor, {
      action: "visit.update",
      entityId: row.id,
      before: visitAudit(
        row,
        before.map((r) => r.id),
      ),
      after: visitAudit(after, met),
    });
    await applyVneidUpdates(tx, opts.actor, row.id, row.communeId, raise, level);
    return row.id;
  });
}

export async function deleteVisit(opts: kit.RecordWrite): Promise<void> {
  await opts.db.transaction(async (tx) => {
    const row = await findVisitRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer, row.villageId);
    const met = (await listResidentsMet(tx, [row.id])).get(row.id) ?? [];
    await deleteVisitRow(tx, row.id);
    await kit.auditChange(tx, opts.actor, {
      action: "visit.delete",
      entityId: row.id,
      before: visitAudit(
        row,
        met.map((r) => r.id),
      ),
    });
  });
}
