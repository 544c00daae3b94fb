import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { forbidden, msg, notFound } from "../../lib/errors.ts";
import { type Cell, INCIDENT_SEVERITIES, type IncidentSeverity } from "../../lib/values.ts";
import type { Viewer } from "../auth/viewer.ts";
import * as kit from "../service-kit.ts";
import { findUnitByCode } from "../units/repo.ts";
import { checkIncidentRow } from "./check.ts";
import {
  deleteIncidentRow,
  findIncidentByCode,
  findIncidentRow,
  type IncidentListRow,
  insertIncidentRow,
  listIncidentRows,
  updateIncidentRow,
} from "./repo.ts";

/** An incident as the API and pages show it: the data README's column keys. */
export type IncidentItem = {
  id: number;
  code: string;
  date: string;
  severity: IncidentSeverity;
  kind: string | null;
  description: string;
  unit: string | null;
  resolved_date: string | null;
  unit_name: string | null;
};

export function presentIncident(row: IncidentListRow): IncidentItem {
  return {
    id: row.id,
    code: row.code,
    date: row.date,
    severity: row.severity,
    kind: row.kind,
    description: row.description,
    unit: row.unitCode,
    resolved_date: row.resolvedDate,
    unit_name: row.unitName,
  };
}

export type IncidentQuery = { q?: string | undefined; severity?: string | undefined };

export async function listIncidents(opts: kit.ListRead & { query: IncidentQuery }) {
  const severity = INCIDENT_SEVERITIES.find((s) => s === opts.query.severity);
  const filter = { severity, q: opts.query.q?.trim() || undefined };
  return kit.scopedPage(opts, listIncidentRows, filter, presentIncident);
}

export async function getIncident(opts: kit.RecordRead): Promise<IncidentItem> {
  const row = await findIncidentRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  return presentIncident(row);
}

/** Incidents are written by commune roles with the permission, in their own commune. */
function assertWritable(viewer: Viewer) {
  if (viewer.scope.kind !== "commune") throw forbidden();
}

async function checked(db: Db, communeId: number, input: Record<string, Cell>, selfId?: number) {
  const unitCode = typeof input.unit === "string" ? input.unit.trim() : "";
  const unit = unitCode ? await findUnitByCode(db, communeId, unitCode) : undefined;
  const { checker, value } = checkIncidentRow(
    (k) => input[k] ?? null,
    { unit: (c) => (unit && unit.code === c ? unit : undefined) },
    todayInVietnam(),
  );
  if (value) {
    const other = await findIncidentByCode(db, communeId, value.code);
    if (other && other.id !== selfId) checker.fail("code", msg("incidents.code_taken", { code: value.code }));
  }
  return kit.checkedValue(checker, value);
}

function auditView(row: IncidentListRow) {
  const { communeId: _c, unitName: _n, ...rest } = row;
  return rest;
}

export async function createIncident(opts: kit.InputWrite): Promise<IncidentItem> {
  assertWritable(opts.viewer);
  const communeId = opts.viewer.communeId;
  return opts.db.transaction(async (tx) => {
    const value = await checked(tx, communeId, opts.input);
    const id = await insertIncidentRow(tx, { communeId, ...value });
    const row = (await findIncidentRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, { action: "incident.create", entityId: id, after: auditView(row) });
    return presentIncident(row);
  });
}

/** The input keys of a stored incident, so a partial change can be checked whole: what it shows, but its id and unit's name. */
function inputOf(row: IncidentListRow): Record<string, Cell> {
  const { id: _id, unit_name: _unitName, ...input } = presentIncident(row);
  return input;
}

export async function updateIncident(opts: kit.RecordInputWrite): Promise<IncidentItem> {
  return opts.db.transaction(async (tx) => {
    const row = await findIncidentRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer);
    const value = await checked(tx, row.communeId, { ...inputOf(row), ...opts.input }, row.id);
    await updateIncidentRow(tx, row.id, value);
    const after = (await findIncidentRow(tx, opts.viewer.scope, row.id))!;
    await kit.auditBeforeAfter(tx, opts.actor, "incident.update", row, after, auditView);
    return presentIncident(after);
  });
}

export async function deleteIncident(opts: kit.RecordWrite) {
  await opts.db.transaction(async (tx) => {
    const row = await findIncidentRow(tx, opts.viewer.scope, opts.id);
    if (!row) throw notFound();
    assertWritable(opts.viewer);
    await deleteIncidentRow(tx, row.id);
    await kit.auditChange(tx, opts.actor, {
      action: "incident.delete",
      entityId: row.id,
      before: auditView(row),
    });
  });
}
