import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Scope } from "../features/auth/policy.ts";

/** Unit types whose workers the economy office looks after (SPEC §2: enterprises, cooperatives). */
export const WORKER_UNIT_TYPES = ["enterprise", "cooperative"] as const;

/**
 * Whether a resident is one of the economy office's workers (SPEC §2, §3 indicator 5): in the group
 * `enterprise_worker`, and when they name a unit, an enterprise or a cooperative. The same rule as
 * the office's writes (residents/service.ts) and the SQL of `workerResidents` below.
 */
export function isWorker(r: { groups: readonly string[] }, unitType: string | null | undefined): boolean {
  return (
    r.groups.includes("enterprise_worker") &&
    (unitType === null ||
      unitType === undefined ||
      (WORKER_UNIT_TYPES as readonly string[]).includes(unitType))
  );
}

/** `WORKER_UNIT_TYPES` as SQL literals (constants of ours, not input). */
const WORKER_UNIT_TYPES_SQL = sql.raw(WORKER_UNIT_TYPES.map((t) => `'${t}'`).join(", "));

/**
 * Whether the resident row `groups`/`unitId` belong to is a worker (the rule of `isWorker`), as an
 * expression on that row: one unit looked up, not the commune's workers listed.
 */
export function isWorkerRow(groups: PgColumn | SQL, unitId: PgColumn | SQL): SQL<boolean> {
  return sql<boolean>`('enterprise_worker' = any(${groups}) and (${unitId} is null
    or exists (select 1 from units wu where wu.id = ${unitId} and wu.type in (${WORKER_UNIT_TYPES_SQL}))))`;
}

/** The ids of a commune's workers (the rule of `isWorker`), as a subquery. */
export function workerResidents(communeId: number): SQL {
  return sql`(select w.id from residents w
    where w.commune_id = ${communeId} and ${isWorkerRow(sql.raw("w.groups"), sql.raw("w.unit_id"))})`;
}

/**
 * The where-clause that keeps a query inside a viewer's scope.
 * `columns` names the table's commune column and, where the table has them, its village and unit
 * columns, and the resident a row is about (`resident`: the resident's id on `residents` itself, the
 * resident column of certifications, attendance, assessments…). A table about residents must name it:
 * the economy office's scope keeps the workers' rows there, and the commune's rows of tables that are
 * about no one (villages, units, activities; households, teams and visits are not its to read).
 * A scope the table cannot express (a school's unit on a table without a unit column) matches nothing.
 */
export function scopeWhere(
  scope: Scope,
  columns: { commune: PgColumn; village?: PgColumn; unit?: PgColumn; resident?: PgColumn },
): SQL | undefined {
  switch (scope.kind) {
    case "installation":
      return undefined;
    case "commune":
      if (!scope.workers) return eq(columns.commune, scope.communeId);
      if (columns.resident)
        return sql`${eq(columns.commune, scope.communeId)} and ${columns.resident} in ${workerResidents(scope.communeId)}`;
      return eq(columns.commune, scope.communeId);
    case "villages":
      if (!columns.village || scope.villageIds.length === 0) return sql`false`;
      return sql`${eq(columns.commune, scope.communeId)} and ${inArray(columns.village, [...scope.villageIds])}`;
    case "unit":
      if (!columns.unit || scope.unitId === null) return sql`false`;
      return sql`${eq(columns.commune, scope.communeId)} and ${eq(columns.unit, scope.unitId)}`;
  }
}

/**
 * `scopeWhere` for raw SQL: the rows of a scope on `residents` or `households` under an alias (the
 * indicator engine's drill-down lists, `p` and `h`). The economy office reads the figures of the
 * whole commune but, of its people, its workers only; a household is none of its records, nor a
 * school's (households have no unit: a school sees its students only).
 */
export function scopeOfAliased(scope: Scope, table: "residents" | "households", alias: string): SQL {
  const col = (c: string) => sql.raw(`${alias}.${c}`);
  const inCommune = (communeId: number) => sql`${col("commune_id")} = ${communeId}`;
  switch (scope.kind) {
    case "installation":
      return sql`true`;
    case "commune":
      if (!scope.workers) return inCommune(scope.communeId);
      return table === "residents"
        ? sql`${inCommune(scope.communeId)} and ${col("id")} in ${workerResidents(scope.communeId)}`
        : sql`false`;
    case "villages":
      return scope.villageIds.length === 0
        ? sql`false`
        : sql`${inCommune(scope.communeId)} and ${col("village_id")} = any(${sql.param([...scope.villageIds])}::integer[])`;
    case "unit":
      return table === "residents" && scope.unitId !== null
        ? sql`${inCommune(scope.communeId)} and ${col("unit_id")} = ${scope.unitId}`
        : sql`false`;
  }
}
