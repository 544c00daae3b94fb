import type { Db } from "../../db/client.ts";
import { now } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { findResidentRow, type ResidentListRow } from "../residents/repo.ts";
import {
  anonymiseTeamMembers,
  assessmentsOf,
  attendanceOf,
  auditCopiesNaming,
  auditEventsOfResident,
  certificationsOf,
  communeHasCode,
  deleteRecordsOfResident,
  deleteResidentRow,
  type ErasureRef,
  findErasure,
  findResidentIdByCitizenId,
  freeTextsNaming,
  householdOf,
  insertErasure,
  listErasuresIfAny,
  redactAuditCopies,
  requestsOfResident,
  residentExists,
  setAssessmentNote,
  setHouseholdTexts,
  setIncidentDescription,
  setRequestTexts,
  setSessionNotes,
  setTaskResult,
  setVisitNote,
  teamMembershipsOf,
  updatePrivacyRequestRow,
  visitsMetOf,
} from "./repo.ts";

/** What replaces an erased value wherever it stood. */
export const ERASED = "[đã xóa]";

/** Who the request is about: a resident id, or a citizen ID (12 digits). */
export type PersonKey = { residentId: number } | { citizenId: string };
/** The person a privacy request names, looked up in one commune. */
export type PersonLookup = { db: Db; communeId: number; key: PersonKey };

const CITIZEN_ID = /^[0-9]{12}$/;

/** The resident a key names in the commune, or a clear message (already erased, unknown, malformed). */
export async function resolvePerson(db: Db, communeId: number, key: PersonKey): Promise<ResidentListRow> {
  const scope = { kind: "commune" as const, communeId };
  if ("citizenId" in key) {
    const cid = key.citizenId.trim();
    if (!CITIZEN_ID.test(cid))
      throw new AppError("validation", {
        message: msg("privacy.bad_citizen_id", { value: cid }),
        fields: { citizen_id: msg("privacy.bad_citizen_id", { value: cid }) },
      });
    const id = await findResidentIdByCitizenId(db, communeId, cid);
    const row = id === undefined ? undefined : await findResidentRow(db, scope, id);
    if (!row) throw new AppError("not_found", { message: msg("privacy.no_citizen_id", { value: cid }) });
    return row;
  }
  const id = key.residentId;
  if (!Number.isInteger(id) || id <= 0)
    throw new AppError("validation", {
      message: msg("privacy.bad_resident_id", { value: String(id) }),
      fields: { resident_id: msg("privacy.bad_resident_id", { value: String(id) }) },
    });
  const row = await findResidentRow(db, scope, id);
  if (row) return row;
  const erased = await findErasure(db, communeId, id);
  if (erased)
    throw new AppError("conflict", {
      message: msg("privacy.already_erased", { id, at: erased.erasedAt.toISOString().slice(0, 10) }),
    });
  throw new AppError("not_found", { message: msg("privacy.no_resident", { id }) });
}

// --- export ----------------------------------------------------------------------

export type PersonExport = Awaited<ReturnType<typeof collectPerson>>;

async function collectPerson(db: Db, communeId: number, r: ResidentListRow) {
  const household = await householdOf(db, r.householdId);
  return {
    format: "bdhvs-privacy-export/1",
    generated_at: now().toISOString(),
    resident: {
      id: r.id,
      full_name: r.fullName,
      birth_date: r.birthYearOnly ? r.birthDate.slice(0, 4) : r.birthDate,
      gender: r.gender,
      citizen_id: r.citizenId,
      phone: r.phone,
      village: r.villageCode,
      village_name: r.villageName,
      status: r.status,
      groups: r.groups,
      unit: r.unitCode,
      unit_name: r.unitName,
      disabled: r.disabled,
      vneid_level: r.vneidLevel,
    },
    household: household
      ? {
          code: household.code,
          head_name: household.headName,
          address: household.address,
          poor: household.poor,
          village_name: household.villageName,
        }
      : null,
    certifications: await certificationsOf(db, r.id),
    attendance: await attendanceOf(db, r.id),
    visits: await visitsMetOf(db, r.id),
    assessments: await assessmentsOf(db, r.id),
    team_memberships: (await teamMembershipsOf(db, r.id)).map((m) => ({
      village_name: m.villageName,
      role: m.role,
      phone: m.phone,
    })),
    privacy_requests: await requestsOfResident(db, communeId, r.id),
    audit: (await auditEventsOfResident(db, communeId, r.id)).map((e) => ({
      at: e.at.toISOString(),
      by: e.actorUsername,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId,
      before: e.before,
      after: e.after,
    })),
  };
}

/**
 * Everything held about one person (registry record, household, certifications, attendance, visits
 * where they were met, assessments, team memberships, requests, and the audit of who viewed or
 * changed their data), unmasked: audited as a view of their identity.
 */
export async function exportPerson(
  opts: PersonLookup & { actor: Actor; source: string },
): Promise<PersonExport> {
  return opts.db.transaction(async (tx) => {
    const r = await resolvePerson(tx, opts.communeId, opts.key);
    const data = await collectPerson(tx, opts.communeId, r);
    await recordAudit(tx, opts.actor, {
      action: "resident.privacy_export",
      entity: "resident",
      entityId: r.id,
      communeId: opts.communeId,
      after: { source: opts.source },
    });
    return data;
  });
}

// --- erase -----------------------------------------------------------------------

/** The values to take out of free text and audit copies, longest first (a phone inside nothing else). */
function valuesOf(r: ResidentListRow): string[] {
  return [r.fullName, r.citizenId, r.phone].filter((v): v is string => !!v && v.length >= 3);
}

function wordPattern(value: string): RegExp {
  const escaped = value.normalize("NFC").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu");
}

/** `text` with every occurrence of the values replaced; null when nothing else is left. */
export function scrubText(text: string, values: readonly string[]): string {
  let out = text.normalize("NFC");
  for (const v of values) out = out.replace(wordPattern(v), ERASED);
  return out;
}

const PERSON_KEYS = new Set([
  "fullName",
  "full_name",
  "nameSearch",
  "citizenId",
  "citizen_id",
  "phone",
  "birthDate",
  "birth_date",
  "note",
  "notes",
]);

/**
 * A JSON copy with the person's values scrubbed from every string; when the copy is about the person
 * (`own`), their fields (name, citizen ID, phone, birth date, notes) are replaced whole.
 */
export function scrubJson(value: unknown, values: readonly string[], own: boolean): unknown {
  if (typeof value === "string") return scrubText(value, values);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, values, own));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (own && PERSON_KEYS.has(k) && v !== null && v !== undefined) out[k] = ERASED;
      else out[k] = scrubJson(v, values, own);
    }
    return out;
  }
  return value;
}

export type ErasePreview = {
  resident: ResidentListRow;
  counts: {
    certifications: number;
    attendance: number;
    visits: number;
    assessments: number;
    teamMemberships: number;
    auditEvents: number;
  };
};

/** What an erasure would remove, for the confirmation page (nothing is changed). */
export async function previewErasure(opts: PersonLookup): Promise<ErasePreview> {
  const { db, communeId } = opts;
  const r = await resolvePerson(db, communeId, opts.key);
  return {
    resident: r,
    counts: {
      certifications: (await certificationsOf(db, r.id)).length,
      attendance: (await attendanceOf(db, r.id)).length,
      visits: (await visitsMetOf(db, r.id)).length,
      assessments: (await assessmentsOf(db, r.id)).length,
      teamMemberships: (await teamMembershipsOf(db, r.id)).length,
      auditEvents: (await auditCopiesNaming(db, communeId, r.id, valuesOf(r))).length,
    },
  };
}

export type EraseResult = { residentId: number; removed: Record<string, number> };

/** Whom to erase and why, and who orders it. */
export type ErasureOrder = {
  communeId: number;
  key: PersonKey;
  reason: string;
  actor: Actor;
  requestId?: number | undefined;
  /** Set by a restore re-applying an erasure: audited as such. */
  reapplied?: boolean;
};

/**
 * Erases a person on request, in one transaction: their certifications, attendance, visits-met and
 * assessments go, the resident row is deleted (its indicator facts with it, by their triggers, and
 * the commune's data version moves, so the dashboard changes at once), team members who are the
 * person lose name and phone, free text naming them (visit, assessment and session notes, incident
 * descriptions, task progress results, household head and address, requests) has the name, citizen ID and phone replaced,
 * and the audit trail's before/after copies are redacted through the one controlled path. The
 * erasure is then audited without the erased values, and the resident id (no personal data) kept in
 * `privacy_erasures`, so a restore of an older backup erases them again.
 */
export async function erasePerson(opts: { db: Db } & ErasureOrder): Promise<EraseResult> {
  const reason = opts.reason.trim();
  if (!reason && !opts.reapplied)
    throw new AppError("validation", {
      message: msg("privacy.reason_required"),
      fields: { reason: msg("privacy.reason_required") },
    });
  return opts.db.transaction(async (tx) => erasePersonIn(tx, { ...opts, reason }));
}

export async function erasePersonIn(tx: Db, opts: ErasureOrder): Promise<EraseResult> {
  const { communeId } = opts;
  const r = await resolvePerson(tx, communeId, opts.key);
  const values = valuesOf(r);
  const removed: Record<string, number> = await deleteRecordsOfResident(tx, r.id);
  removed.teamMembers = await anonymiseTeamMembers(tx, communeId, r.id, r);

  const texts = await freeTextsNaming(tx, communeId, values);
  const scrub = (s: string | null) => {
    if (s === null) return null;
    const out = scrubText(s, values);
    return out === ERASED ? null : out;
  };
  for (const v of texts.visits) await setVisitNote(tx, v.id, scrub(v.text));
  for (const a of texts.assessments) await setAssessmentNote(tx, a.id, scrub(a.text));
  for (const s of texts.sessions) await setSessionNotes(tx, s.id, scrub(s.text));
  for (const i of texts.incidents) await setIncidentDescription(tx, i.id, scrubText(i.text, values));
  for (const x of texts.tasks) await setTaskResult(tx, x.id, scrubText(x.text, values));
  for (const h of texts.households) await setHouseholdTexts(tx, h.id, scrub(h.text), scrub(h.address));
  for (const q of texts.requests)
    await setRequestTexts(tx, q.id, scrub(q.text), q.reason === null ? null : scrubText(q.reason, values));
  removed.freeTexts =
    texts.visits.length +
    texts.assessments.length +
    texts.sessions.length +
    texts.incidents.length +
    texts.tasks.length +
    texts.households.length +
    texts.requests.length;

  const copies = await auditCopiesNaming(tx, communeId, r.id, values);
  const changes = copies.map((e) => {
    const own = e.entity === "resident" && e.entityId === String(r.id);
    return { id: e.id, before: scrubJson(e.before, values, own), after: scrubJson(e.after, values, own) };
  });
  await redactAuditCopies(tx, changes);
  removed.auditEvents = changes.length;

  await deleteResidentRow(tx, r.id);
  await insertErasure(tx, {
    communeId,
    residentId: r.id,
    requestId: opts.requestId ?? null,
    erasedBy: opts.actor.userId,
    erasedAt: now(),
  });
  if (opts.requestId !== undefined)
    await updatePrivacyRequestRow(tx, communeId, opts.requestId, {
      status: "done",
      handledBy: opts.actor.userId,
      handledAt: now(),
      updatedAt: now(),
    });
  await recordAudit(tx, opts.actor, {
    action: opts.reapplied ? "resident.erase_reapplied" : "resident.erase",
    entity: "resident",
    entityId: r.id,
    communeId,
    after: { reason: scrubText(opts.reason, values), removed, request: opts.requestId ?? null },
  });
  return { residentId: r.id, removed };
}

/** The erasures a database records, read before a restore replaces it. */
export const erasuresOf = listErasuresIfAny;

/**
 * After a restore: erases again every resident of `erasures` the restored data still holds (a backup
 * taken before their erasure), and keeps the list. Only for a commune the restored data has under
 * the same id and code — a backup of another installation has other people under those ids. Returns
 * how many were erased again.
 */
export async function reapplyErasures(tx: Db, erasures: ErasureRef[], actor: Actor): Promise<number> {
  let n = 0;
  for (const e of erasures) {
    if (!(await communeHasCode(tx, e.communeId, e.communeCode))) continue;
    if (await residentExists(tx, e.communeId, e.residentId)) {
      await erasePersonIn(tx, {
        communeId: e.communeId,
        key: { residentId: e.residentId },
        reason: "restore",
        actor: { ...actor, communeId: e.communeId },
        reapplied: true,
      });
      n++;
    } else await insertErasure(tx, { communeId: e.communeId, residentId: e.residentId, erasedAt: now() });
  }
  return n;
}
