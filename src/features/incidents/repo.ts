import { and, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { incidents, units } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { IncidentSeverity } from "../../lib/values.ts";
import type { Scope } from "../auth/policy.ts";
import type { IncidentInput } from "./check.ts";

/** An incident as stored: what the check gives, in its commune. */
export type IncidentValues = IncidentInput & { communeId: number };

export type IncidentListRow = IncidentValues & {
  id: number;
  unitCode: string | null;
  unitName: string | null;
};

const listColumns = {
  ...rowKit.columnsOf(incidents, "id", "communeId", "code", "date", "severity", "kind", "description"),
  ...rowKit.columnsOf(incidents, "unitId", "resolvedDate"),
  unitCode: units.code,
  unitName: units.name,
};

/** Incidents are commune records: a commune role sees its commune's, the province every commune's. */
const scoped = (scope: Scope) => scopeWhere(scope, { commune: incidents.communeId });

/** The incidents a list shows and a record page opens (with the unit they name). */
const records = rowKit.scopedRecords({
  select: (db: Db) =>
    db.select(listColumns).from(incidents).leftJoin(units, eq(units.id, incidents.unitId)).$dynamic(),
  id: incidents.id,
  scope: scoped,
});

export type IncidentFilter = {
  severity?: IncidentSeverity | undefined;
  /** Part of the code, kind or description. */
  q?: string | undefined;
};

function filterWhere(scope: Scope, f: IncidentFilter): SQL | undefined {
  const conds: (SQL | undefined)[] = [scoped(scope)];
  if (f.severity) conds.push(eq(incidents.severity, f.severity));
  if (f.q) {
    const like = rowKit.containsPattern(f.q);
    conds.push(
      or(ilike(incidents.code, like), ilike(incidents.kind, like), ilike(incidents.description, like)),
    );
  }
  return and(...conds);
}

export const listIncidentRows = rowKit.pagedList<Scope, IncidentFilter, IncidentListRow>({
  where: filterWhere,
  rows: (db, where) => records.select(db).where(where).orderBy(desc(incidents.date), desc(incidents.id)),
  counted: { table: incidents },
});

/** One incident, if it lies in the viewer's scope. */
export const findIncidentRow = records.find;

export function findIncidentByCode(db: Db, communeId: number, code: string) {
  return rowKit.findRowBy(db, incidents, { id: incidents.id }, { communeId, code });
}

const writes = rowKit.recordWriters<typeof incidents, IncidentValues>(incidents);

export const insertIncidentRow = writes.insert;
export const updateIncidentRow = writes.update;
export const deleteIncidentRow = writes.delete;

/** Every incident of a commune with its values (the `incidents` import's natural key is the code). */
export async function listIncidentValuesOfCommune(
  db: Db,
  communeId: number,
): Promise<(IncidentValues & { id: number })[]> {
  return db
    .select({
      ...rowKit.columnsOf(incidents, "id", "communeId", "code", "date", "severity", "kind", "description"),
      ...rowKit.columnsOf(incidents, "unitId", "resolvedDate"),
    })
    .from(incidents)
    .where(eq(incidents.communeId, communeId));
}
