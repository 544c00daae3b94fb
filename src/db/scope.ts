import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Scope } from "../features/auth/policy.ts";

/**
 * The where-clause that keeps a query inside a viewer's scope.
 * `columns` names the table's commune column and, where the table has them, its village and unit columns.
 * A scope the table cannot express (a school's unit on a table without a unit column) matches nothing.
 */
export function scopeWhere(
  scope: Scope,
  columns: { commune: PgColumn; village?: PgColumn; unit?: PgColumn },
): SQL | undefined {
  switch (scope.kind) {
    case "installation":
      return undefined;
    case "commune":
      return eq(columns.commune, scope.communeId);
    case "villages":
      if (!columns.village || scope.villageIds.length === 0) return sql`false`;
      return sql`${eq(columns.commune, scope.communeId)} and ${inArray(columns.village, [...scope.villageIds])}`;
    case "unit":
      if (!columns.unit || scope.unitId === null) return sql`false`;
      return sql`${eq(columns.commune, scope.communeId)} and ${eq(columns.unit, scope.unitId)}`;
  }
}
