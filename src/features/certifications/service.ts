import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { forbidden, msg, notFound, validationError } from "../../lib/errors.ts";
import { maskCitizenId } from "../../lib/mask.ts";
import { checkerFieldErrors, RowChecker } from "../../lib/row-checker.ts";
import {
  type Cell,
  parseCertificationKind,
  parseCertificationSource,
  parseCivilDate,
  parseOptional,
} from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { seesUnmasked, type Viewer } from "../auth/viewer.ts";
import { placeIdsOf, residentSearchOf } from "../residents/query.ts";
import { findResidentRow } from "../residents/repo.ts";
import * as kit from "../service-kit.ts";
import { findVillagesByCodes } from "../villages/repo.ts";
import { type CertificationFields, readCertificationFields } from "./check.ts";
import {
  type CertificationFilter,
  type CertificationListRow,
  deleteCertificationRow,
  findCertificationRow,
  findCertificationsByNaturalKeys,
  findResidentCandidates,
  insertCertificationRow,
  listCertificationRows,
  updateCertificationRow,
} from "./repo.ts";
import { indexResidents, matchResident, readResidentKeys } from "./resolve.ts";

/**
 * A certification as the API and pages show it: the data README's column keys (the resident's
 * citizen ID masked per SPEC §8), its id and its resident's id and village.
 */
export type CertificationItem = {
  id: number;
  resident_id: number;
  citizen_id: string | null;
  full_name: string;
  birth_date: string;
  kind: "basic" | "vneid";
  date: string;
  source: "vneid" | "platform" | "school" | "course";
  reference: string | null;
  village: string;
  village_name: string;
};

export function presentCertification(row: CertificationListRow, viewer: Viewer): CertificationItem {
  return {
    id: row.id,
    resident_id: row.residentId,
    citizen_id: seesUnmasked(viewer) ? row.citizenId : maskCitizenId(row.citizenId),
    full_name: row.fullName,
    birth_date: row.birthYearOnly ? row.birthDate.slice(0, 4) : row.birthDate,
    kind: row.kind,
    date: row.date,
    source: row.source,
    reference: row.reference,
    village: row.villageCode,
    village_name: row.villageName,
  };
}

export type CertificationQuery = {
  village?: string | undefined;
  unit?: string | undefined;
  kind?: string | undefined;
  source?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
};

const fieldErrors = (c: RowChecker) => validationError(checkerFieldErrors(c.errors));

/**
 * Turns a query into a filter: codes into ids (an unknown village or unit matches nothing: null),
 * kind and source as labels or codes, dates as in an import file (a wrong one is a validation error).
 */
async function filterOf(db: Db, viewer: Viewer, q: CertificationQuery): Promise<CertificationFilter | null> {
  const c = new RowChecker();
  const today = todayInVietnam();
  const f: CertificationFilter = {
    kind: c.take("kind", parseOptional(q.kind, parseCertificationKind)) ?? undefined,
    source: c.take("source", parseOptional(q.source, parseCertificationSource)) ?? undefined,
    from: c.take(
      "from",
      parseOptional(q.from, (raw) => parseCivilDate(raw, { today })),
    )?.date,
    to: c.take(
      "to",
      parseOptional(q.to, (raw) => parseCivilDate(raw, { today })),
    )?.date,
  };
  if (!c.ok) throw fieldErrors(c);
  const places = await placeIdsOf(db, viewer, q);
  if (!places) return null;
  return { ...f, ...places, ...residentSearchOf(viewer, q.q) };
}

/** Certifications of residents in the viewer's scope, the latest first. */
export async function listCertifications(opts: {
  db: Db;
  viewer: Viewer;
  query: CertificationQuery;
  page: number;
  pageSize: number;
  /** Who asks, and where the answer is shown: an answer with unmasked IDs or phones is audited. */
  audit: { actor: Actor; source: string };
}): Promise<kit.ListPage<CertificationItem>> {
  const filter = await filterOf(opts.db, opts.viewer, opts.query);
  if (!filter) return kit.emptyPage(opts);
  return kit.auditedPage(
    opts,
    "certification",
    await listCertificationRows(opts.db, opts.viewer.scope, filter, kit.pageWindow(opts)),
    presentCertification,
  );
}

/**
 * One certification whose resident is in the viewer's scope (404 outside it). Handing out an unmasked
 * citizen ID is audited (SPEC §8); pages that do not show it pass `showsIdentity: false`.
 */
export async function getCertification(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  showsIdentity?: boolean;
}): Promise<CertificationItem> {
  const row = await findCertificationRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  if (opts.showsIdentity !== false && seesUnmasked(opts.viewer) && row.citizenId) {
    await recordAudit(opts.db, opts.actor, {
      action: "resident.view_identity",
      entity: "resident",
      entityId: row.residentId,
      communeId: row.communeId,
    });
  }
  return presentCertification(row, opts.viewer);
}

/** The stored values for the audit trail. */
function auditView(v: { residentId: number } & CertificationFields) {
  return { residentId: v.residentId, kind: v.kind, date: v.date, source: v.source, reference: v.reference };
}

const isBlank = (v: Cell) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * The resident a new certification names, in the viewer's scope: `resident_id`, else the importer's
 * keys (citizen ID, else full name + birth date, with village). Problems go to the checker.
 */
async function residentOfInput(
  db: Db,
  viewer: Viewer,
  input: Record<string, Cell>,
  c: RowChecker,
  today: string,
) {
  const get = (k: string) => input[k] ?? null;
  if (!isBlank(input.resident_id)) {
    const raw = String(input.resident_id).trim();
    const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
    const row = id > 0 ? await findResidentRow(db, viewer.scope, id) : undefined;
    if (!row) c.fail("resident_id", msg("certifications.resident_not_found", { value: raw }));
    return row;
  }
  if (["citizen_id", "full_name", "birth_date"].every((k) => isBlank(input[k]))) {
    c.fail("resident_id", msg("certifications.resident_needed"));
    return undefined;
  }
  const keys = readResidentKeys(get, c, today);
  if (!keys) return undefined;
  // Finding a resident by a number would tell a viewer who sees IDs masked whose number it is.
  if (keys.by === "citizen_id" && !seesUnmasked(viewer)) {
    c.fail("citizen_id", msg("certifications.no_lookup_by_citizen_id"));
    return undefined;
  }
  const candidates = await findResidentCandidates(
    db,
    viewer.scope,
    keys.by === "citizen_id"
      ? { citizenId: keys.citizenId }
      : { fullName: keys.name, birthDate: keys.birthDate },
  );
  const villages =
    keys.by === "name_birth" && keys.villageCode
      ? await findVillagesByCodes(db, viewer.communeId, [keys.villageCode])
      : [];
  const id = matchResident(keys, indexResidents(candidates, villages), c);
  return id === undefined ? undefined : findResidentRow(db, viewer.scope, id);
}

/** Refuses a second certification with the same natural key (resident, kind, source, date). */
async function assertNoTwin(db: Db, values: { residentId: number } & CertificationFields, selfId?: number) {
  const twins = await findCertificationsByNaturalKeys(db, [values]);
  if (twins.some((t) => t.id !== selfId)) throw validationError({ kind: msg("certifications.duplicate") });
}

/**
 * Records a certification for a resident in the viewer's scope (SPEC §4): the resident given by id
 * (`residentId`, the resident's page), or named in the input like an import row; kind, date, source
 * and reference checked with the importer's parsers; the same certification twice is refused.
 */
export async function addCertification(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  residentId?: number;
  input: Record<string, Cell>;
}): Promise<CertificationItem> {
  if (opts.viewer.scope.kind === "installation") throw forbidden();
  return opts.db.transaction(async (tx) => {
    const today = todayInVietnam();
    const c = new RowChecker();
    let resident: Awaited<ReturnType<typeof findResidentRow>>;
    if (opts.residentId !== undefined) {
      resident = await findResidentRow(tx, opts.viewer.scope, opts.residentId);
      if (!resident) throw notFound();
    }
    const fields = readCertificationFields((k) => opts.input[k] ?? null, c, today);
    resident ??= await residentOfInput(tx, opts.viewer, opts.input, c, today);
    if (!c.ok || !fields || !resident) throw fieldErrors(c);
    const values = { communeId: resident.communeId, residentId: resident.id, ...fields };
    await assertNoTwin(tx, values);
    const id = await insertCertificationRow(tx, values);
    await kit.auditChange(tx, opts.actor, {
      action: "certification.create",
      entityId: id,
      after: auditView(values),
      communeId: resident.communeId,
    });
    return presentCertification((await findCertificationRow(tx, opts.viewer.scope, id))!, opts.viewer);
  });
}

/** A stored certification in the viewer's scope that the viewer may change (404 outside the scope). */
async function writableRow(db: Db, viewer: Viewer, id: number) {
  const row = await findCertificationRow(db, viewer.scope, id);
  if (!row) throw notFound();
  if (viewer.scope.kind === "installation") throw forbidden();
  return row;
}

/**
 * Changes a certification's kind, date, source or reference: the given keys over the stored ones,
 * checked whole with the importer's parsers; a change onto another certification of the resident is refused.
 */
export async function updateCertification(opts: kit.RecordInputWrite): Promise<CertificationItem> {
  return opts.db.transaction(async (tx) => {
    const row = await writableRow(tx, opts.viewer, opts.id);
    const merged: Record<string, Cell> = {
      kind: row.kind,
      date: row.date,
      source: row.source,
      reference: row.reference,
      ...opts.input,
    };
    const c = new RowChecker();
    const fields = readCertificationFields((k) => merged[k] ?? null, c, todayInVietnam());
    if (!c.ok || !fields) throw fieldErrors(c);
    const values = { residentId: row.residentId, ...fields };
    await assertNoTwin(tx, values, row.id);
    await updateCertificationRow(tx, row.id, fields);
    await kit.auditChange(tx, opts.actor, {
      action: "certification.update",
      entityId: row.id,
      before: auditView(row),
      after: auditView(values),
      communeId: row.communeId,
    });
    return presentCertification({ ...row, ...fields }, opts.viewer);
  });
}

/** Removes a certification (a mistaken entry); the audit trail keeps what it was. */
export async function deleteCertification(opts: kit.RecordWrite): Promise<CertificationItem> {
  return opts.db.transaction(async (tx) => {
    const row = await writableRow(tx, opts.viewer, opts.id);
    await deleteCertificationRow(tx, row.id);
    await kit.auditChange(tx, opts.actor, {
      action: "certification.delete",
      entityId: row.id,
      before: auditView(row),
      communeId: row.communeId,
    });
    return presentCertification(row, opts.viewer);
  });
}
