import type { Db } from "../../db/client.ts";
import { knownByVersion } from "../../db/data-version.ts";
import { isWorker } from "../../db/scope.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { conflict, forbidden, msg, notFound, validationError } from "../../lib/errors.ts";
import { maskCitizenId, maskPhone } from "../../lib/mask.ts";
import type { Cell } from "../../lib/values.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Scope } from "../auth/policy.ts";
import { seesUnmasked, type Viewer, viewerCan } from "../auth/viewer.ts";
import { type CertificationRow, listCertificationsOfResident } from "../certifications/repo.ts";
import { findHouseholdByCode } from "../households/repo.ts";
import * as kit from "../service-kit.ts";
import { findUnitByCode, findUnitById } from "../units/repo.ts";
import { findVillagesByCodes, findVillagesByIds } from "../villages/repo.ts";
import { checkResidentRow, refsOf } from "./check.ts";
import { projectPerson } from "./fields.ts";
import { placeIdsOf, residentSearchOf } from "./query.ts";
import {
  countResidentRows,
  findResidentRow,
  findResidentsByCitizenIds,
  insertResidentRow,
  listResidentRows,
  type ResidentFilter,
  type ResidentListRow,
  updateResidentRow,
} from "./repo.ts";

/**
 * A resident as the API and pages show it: the data README's column keys, masked per SPEC §8; the
 * personal fields (birth date, gender, citizen ID, phone, unit) absent for a role that reads names
 * only (`fields.ts`).
 */
export type ResidentItem = {
  id: number;
  full_name: string;
  birth_date?: string;
  gender?: "male" | "female" | "other";
  citizen_id?: string | null;
  phone?: string | null;
  village: string;
  household: string;
  status: "active" | "moved" | "deceased";
  groups: string[];
  unit?: string | null;
  disabled: boolean;
  vneid_level: number;
  /** Completed years today. */
  age: number;
  elderly: boolean;
  /** The household is poor or near-poor. */
  poor: boolean;
  /** Holds a basic or vneid certification dated on or before the day shown (SPEC §3). */
  basic_skills: boolean;
  /** Holds a vneid certification dated on or before the day shown. */
  vneid_confirmed: boolean;
  village_name: string;
  unit_name?: string | null;
};

/** Age in completed years at a civil date (a year-only birth counts from 1 January). */
export function ageAt(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function presentResident(
  row: ResidentListRow,
  viewer: Viewer,
  today = todayInVietnam(),
): ResidentItem {
  const unmasked = seesUnmasked(viewer);
  const age = ageAt(row.birthDate, today);
  return projectPerson(
    {
      id: row.id,
      full_name: row.fullName,
      birth_date: row.birthYearOnly ? row.birthDate.slice(0, 4) : row.birthDate,
      gender: row.gender,
      citizen_id: unmasked ? row.citizenId : maskCitizenId(row.citizenId),
      phone: unmasked ? row.phone : maskPhone(row.phone),
      village: row.villageCode,
      household: row.householdCode,
      status: row.status,
      groups: row.groups,
      unit: row.unitCode,
      disabled: row.disabled,
      vneid_level: row.vneidLevel,
      age,
      elderly: age >= 60,
      poor: row.poor,
      basic_skills: row.firstSkill !== null && row.firstSkill <= today,
      vneid_confirmed: row.firstVneid !== null && row.firstVneid <= today,
      village_name: row.villageName,
      unit_name: row.unitName,
    },
    viewer,
  );
}

export type ResidentQuery = {
  village?: string | undefined;
  unit?: string | undefined;
  household?: string | undefined;
  group?: string | undefined;
  status?: string | undefined;
  q?: string | undefined;
};

/** Turns codes of a query into ids; an unknown code matches nothing (an empty page, not an error). */
async function filterOf(db: Db, viewer: Viewer, q: ResidentQuery): Promise<ResidentFilter | null> {
  const f: ResidentFilter = { group: q.group || undefined, status: q.status || undefined };
  const places = await placeIdsOf(db, viewer, q);
  if (!places) return null;
  if (q.household) {
    const h = await findHouseholdByCode(db, viewer.communeId, q.household);
    if (!h) return null;
    f.householdId = h.id;
  }
  return { ...f, ...places, ...residentSearchOf(viewer, q.q) };
}

export async function listResidents(opts: {
  db: Db;
  /** Where the rows are read (a read replica, web/read-db.ts); default `db`. The audit goes to `db`. */
  readDb?: Db;
  viewer: Viewer;
  query: ResidentQuery;
  page: number;
  pageSize: number;
  /** Who asks, and where the answer is shown: an answer with unmasked IDs or phones is audited. */
  audit: { actor: Actor; source: string };
  /**
   * `false`: no count of the whole match (a search's page): one row more than the page is read,
   * and `hasNext` says whether there is a next page; `total` is then null.
   */
  count?: boolean;
}): Promise<ResidentPage> {
  const read = opts.readDb ?? opts.db;
  const filter = await filterOf(read, opts.viewer, opts.query);
  if (!filter) return { items: [], total: 0, hasNext: false, page: opts.page, pageSize: opts.pageSize };
  // The total counts the whole scope: kept by data version (db/data-version.ts) for the next pages.
  const communeId = opts.viewer.communeId;
  const knownCount = (db: Db, scope: Scope, f: ResidentFilter) =>
    scope.kind === "installation"
      ? countResidentRows(db, scope, f)
      : knownByVersion({
          db,
          communeId,
          // Residents and units (the economy office's workers): the registry's family only.
          families: ["registry"],
          key: JSON.stringify({ residentsCount: f, scope }),
          label: "residentsCount",
          compute: () => countResidentRows(db, scope, f),
        }).then((r) => r.value);
  const counted = opts.count !== false;
  const { items: rows, total } = await listResidentRows(
    read,
    opts.viewer.scope,
    filter,
    { limit: opts.pageSize + (counted ? 0 : 1), offset: (opts.page - 1) * opts.pageSize },
    counted ? knownCount : undefined,
  );
  const items = rows.slice(0, opts.pageSize);
  const today = todayInVietnam();
  const shown = await kit.presentAudited(opts, "resident", items, (r, viewer) =>
    presentResident(r, viewer, today),
  );
  return {
    items: shown,
    total,
    hasNext: total === null ? rows.length > opts.pageSize : opts.page * opts.pageSize < total,
    page: opts.page,
    pageSize: opts.pageSize,
  };
}

/** A page of residents; `total` is null when the page was asked without a count. */
export type ResidentPage = {
  items: ResidentItem[];
  total: number | null;
  hasNext: boolean;
  page: number;
  pageSize: number;
};

/** A resident with their certifications, for a viewer who may read certifications (else without). */
export type ResidentDetail = ResidentItem & { certifications?: CertificationRow[] };

/**
 * One resident in the viewer's scope (404 outside it). A view of an unmasked citizen ID or phone is
 * audited (SPEC §8).
 */
export async function getResident(opts: kit.RecordWrite): Promise<ResidentDetail> {
  const row = await findResidentRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  if (seesUnmasked(opts.viewer) && (row.citizenId || row.phone)) {
    await recordAudit(opts.db, opts.actor, {
      action: "resident.view_identity",
      entity: "resident",
      entityId: row.id,
      communeId: row.communeId,
    });
  }
  const item = presentResident(row, opts.viewer);
  if (!viewerCan(opts.viewer, "certification.read")) return item;
  return { ...item, certifications: await listCertificationsOfResident(opts.db, row.id) };
}

/** The village, household and unit a submitted resident names, looked up for the check. */
async function refsFor(db: Db, communeId: number, input: Record<string, Cell>) {
  const code = (k: string) => (typeof input[k] === "string" ? (input[k] as string).trim() : "");
  const villages = code("village") ? await findVillagesByCodes(db, communeId, [code("village")]) : [];
  const household = code("household")
    ? await findHouseholdByCode(db, communeId, code("household"))
    : undefined;
  const householdVillages = household ? await findVillagesByIds(db, [household.villageId]) : [];
  const unit = code("unit") ? await findUnitByCode(db, communeId, code("unit")) : undefined;
  return refsOf([...villages, ...householdVillages], household ? [household] : [], unit ? [unit] : []);
}

/**
 * A write must stay inside the writer's scope: a village team's villages, a school's own unit, and for
 * the economy office its workers (`isWorker`: group enterprise worker, in an enterprise or cooperative
 * when they name a unit) — checked on the stored resident and on the changed one alike.
 */
async function assertWritable(
  db: Db,
  viewer: Viewer,
  r: { villageId: number; unitId: number | null; groups: readonly string[] },
) {
  const s = viewer.scope;
  if (s.kind === "installation") throw forbidden();
  if (s.kind === "villages" && !s.villageIds.includes(r.villageId)) throw forbidden();
  if (s.kind === "unit" && r.unitId !== s.unitId) throw forbidden();
  if (s.kind === "commune" && s.workers && !(await isWorkerRow(db, r)))
    throw forbidden(msg("resident.economy_only_workers"));
}

async function isWorkerRow(db: Db, r: { unitId: number | null; groups: readonly string[] }) {
  const unit = r.unitId === null ? undefined : await findUnitById(db, r.unitId);
  return isWorker(r, unit?.type);
}

function checked(input: Record<string, Cell>, refs: Awaited<ReturnType<typeof refsFor>>) {
  const { checker, value } = checkResidentRow((k) => input[k] ?? null, refs, todayInVietnam());
  return kit.checkedValue(checker, value);
}

/**
 * A citizen ID belongs to one resident. When it is taken by someone the viewer may not see (another
 * village, another unit, another commune), the refusal says nothing of who or where, nor that the
 * number belongs to someone: the same words as for a number that cannot be used.
 */
async function assertCitizenIdFree(db: Db, viewer: Viewer, citizenId: string | null, selfId?: number) {
  if (!citizenId) return;
  const [other] = await findResidentsByCitizenIds(db, [citizenId]);
  if (!other || other.id === selfId) return;
  const s = viewer.scope;
  const visible =
    other.communeId === viewer.communeId &&
    ((s.kind === "commune" && (!s.workers || (await isWorkerRow(db, other)))) ||
      (s.kind === "villages" && s.villageIds.includes(other.villageId)) ||
      (s.kind === "unit" && other.unitId === s.unitId));
  throw validationError({
    citizen_id: visible
      ? msg("resident.citizen_id_taken", { value: citizenId })
      : msg("resident.citizen_id_unusable"),
  });
}

/** Creates a resident from column-key input (form or API); the same rules as an import row. */
export async function createResident(opts: kit.InputWrite): Promise<ResidentDetail> {
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const value = checked(opts.input, await refsFor(tx, communeId, opts.input));
    await assertWritable(tx, opts.viewer, value);
    await assertCitizenIdFree(tx, opts.viewer, value.citizenId);
    const id = await insertResidentRow(tx, { communeId, ...value });
    const row = (await findResidentRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, { action: "resident.create", entityId: id, after: auditView(row) });
    return { ...presentResident(row, opts.viewer), certifications: [] };
  });
}

/** The stored values, unmasked, for the audit trail (only admins read it). */
function auditView(row: ResidentListRow) {
  const { nameSearch: _n, communeId: _c, ...rest } = row;
  return rest;
}

/** The input keys of a stored resident, so a partial change can be checked whole. */
function inputOf(row: ResidentListRow): Record<string, Cell> {
  return {
    full_name: row.fullName,
    birth_date: row.birthYearOnly ? row.birthDate.slice(0, 4) : row.birthDate,
    gender: row.gender,
    citizen_id: row.citizenId,
    phone: row.phone,
    village: row.villageCode,
    household: row.householdCode,
    status: row.status,
    groups: row.groups.join(";"),
    unit: row.unitCode,
    disabled: row.disabled,
    vneid_level: row.vneidLevel,
  };
}

/**
 * Changes a resident: the given keys over the stored ones, checked whole. Deactivation is a change of
 * `status` to moved or deceased — residents are never deleted here.
 */
export async function updateResident(opts: kit.RecordInputWrite): Promise<ResidentDetail> {
  return opts.db.transaction(async (tx) => {
    const row = await findResidentRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    const merged = { ...inputOf(row), ...opts.input };
    // A masked viewer never sees the stored ID and phone, so what it sends back masked means “unchanged”.
    for (const k of ["citizen_id", "phone"] as const) {
      if (typeof opts.input[k] === "string" && (opts.input[k] as string).includes("*"))
        merged[k] = inputOf(row)[k] ?? null;
    }
    const value = checked(merged, await refsFor(tx, row.communeId, merged));
    await assertWritable(tx, opts.viewer, row);
    await assertWritable(tx, opts.viewer, value);
    await assertCitizenIdFree(tx, opts.viewer, value.citizenId, row.id);
    await updateResidentRow(tx, row.id, value);
    const after = (await findResidentRow(tx, opts.viewer.scope, row.id)) ?? row;
    await kit.auditBeforeAfter(tx, opts.actor, "resident.update", row, after, auditView);
    return {
      ...presentResident(after, opts.viewer),
      certifications: await listCertificationsOfResident(tx, row.id),
    };
  });
}

/**
 * Residents are never deleted (SPEC §4: only a later privacy erasure removes one): a resident in the
 * viewer's writable scope gets 409 and the advice to set status moved or deceased; outside it, 404.
 */
export async function refuseResidentDeletion(opts: kit.RecordRead): Promise<never> {
  const row = await findResidentRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  await assertWritable(opts.db, opts.viewer, row);
  throw conflict(msg("residents.never_deleted"));
}
