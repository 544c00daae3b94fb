import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { knownByVersion } from "../../db/data-version.ts";
import { scopeOfAliased } from "../../db/scope.ts";
import { notFound } from "../../lib/errors.ts";
import type { Scope } from "../auth/policy.ts";
import type { Viewer } from "../auth/viewer.ts";
import { findResidentRowsByIds, type ResidentListRow } from "../residents/repo.ts";
import { presentResident, type ResidentItem } from "../residents/service.ts";
import { drillFamilies } from "./cache.ts";
import { minusYears, type Period } from "./period.ts";
import type { IndicatorCode } from "./plan.ts";
import {
  codesOf,
  type HouseholdDrillRow,
  householdDrill,
  RESIDENT_RULES,
  type ResidentIndicator,
  residentDrillOrder,
} from "./repo.ts";

export const isResidentIndicator = (code: IndicatorCode): code is ResidentIndicator => code in RESIDENT_RULES;
export const DRILLABLE: readonly IndicatorCode[] = [
  ...Object.keys(RESIDENT_RULES),
  "digital_households",
] as IndicatorCode[];

export type Drill =
  | { kind: "residents"; items: ResidentItem[]; total: number }
  | { kind: "households"; items: HouseholdDrillRow[]; total: number };

/** A drill's rows as stored, before a viewer's masks (`presentDrill`): what a kept list keeps. */
export type DrillRows =
  | { kind: "residents"; rows: ResidentListRow[]; total: number }
  | { kind: "households"; items: HouseholdDrillRow[]; total: number };

type ResidentRows = Extract<DrillRows, { kind: "residents" }>;

/** A residents drill's rows as `viewer` may see them (masks, ages at the drill's date). */
export function presentResidentRows(
  d: ResidentRows,
  viewer: Viewer,
  date: string,
): Extract<Drill, { kind: "residents" }> {
  return { kind: "residents", items: d.rows.map((r) => presentResident(r, viewer, date)), total: d.total };
}

/** The rows as `viewer` may see them (households carry nothing masked). */
export function presentDrill(d: DrillRows, viewer: Viewer, date: string): Drill {
  return d.kind === "residents" ? presentResidentRows(d, viewer, date) : d;
}

/**
 * What of a viewer's scope decides a drill's rows, as a key: `"whole"` when the scope holds the
 * whole of what is asked — the commune (or, for the province, any commune), or one village the
 * scope includes — so that every such viewer shares the rows (their masks are applied after);
 * otherwise the scope itself (a village team's commune-wide list, the economy office's workers, a
 * school's students).
 */
export function drillScopeKey(scope: Scope, villageId: number | undefined): "whole" | Scope {
  if (scope.kind === "installation") return "whole";
  if (scope.kind === "commune" && !scope.workers) return "whole";
  if (scope.kind === "villages" && villageId !== undefined && scope.villageIds.includes(villageId))
    return "whole";
  return scope;
}

/** Which figure's people, and which page of them: a drill-down's question. */
export type DrillQuery = {
  code: IndicatorCode;
  date: string;
  period: Period;
  village?: string | undefined;
  unit?: string | undefined;
  counted: boolean;
  page: number;
  pageSize: number;
};

/**
 * Who is behind a figure (SPEC §3 "every figure drills down"): the residents (or, for indicator 10,
 * households) counted in the numerator, or missing from it, at D — in the viewer's scope, optionally
 * one village or unit, paged; the missing with the elderly, disabled and poor households first.
 */
export async function drillIndicator(opts: { db: Db; viewer: Viewer } & DrillQuery): Promise<Drill> {
  return presentDrill(await readDrill(opts), opts.viewer, opts.date);
}

/**
 * `drillIndicator`'s rows before the viewer's masks. A residents list's order is kept by the
 * versions of what it reads (`drillFamilies`), shared by its pages and by every viewer whose scope
 * holds the whole of what is asked (`drillScopeKey`); `fresh` computes it anew (a download).
 */
export async function readDrill(
  opts: { db: Db; viewer: Viewer; fresh?: boolean | undefined } & DrillQuery,
): Promise<DrillRows> {
  const { db, viewer, date } = opts;
  const communeId = viewer.communeId;
  const cuts = {
    date,
    adult: minusYears(date, 18),
    age16: minusYears(date, 16),
    elderly: minusYears(date, 60),
  };
  const codes = await codesOf(db, communeId);
  const idOf = (map: Map<number, string>, code: string | undefined) => {
    if (!code) return undefined;
    const id = [...map.entries()].find(([, c]) => c === code)?.[0];
    if (id === undefined) throw notFound();
    return id;
  };
  const villageId = idOf(codes.villages, opts.village);
  const unitId = idOf(codes.units, opts.unit);
  const page = { limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize };

  if (isResidentIndicator(opts.code)) {
    const conds = [scopeOfAliased(viewer.scope, "residents", "p")];
    if (villageId !== undefined) conds.push(sql`p.village_id = ${villageId}`);
    if (unitId !== undefined) conds.push(sql`p.unit_id = ${unitId}`);
    const code = opts.code;
    const order = () =>
      residentDrillOrder(db, {
        communeId,
        cuts,
        code,
        counted: opts.counted,
        where: sql.join(conds, sql` and `),
      });
    const all = opts.fresh
      ? await order()
      : (
          await knownByVersion({
            db,
            communeId,
            families: drillFamilies(code),
            label: "drillOrder",
            key: JSON.stringify({
              drillOrder: { code, date, counted: opts.counted, villageId, unitId },
              scope: drillScopeKey(viewer.scope, villageId),
            }),
            compute: order,
          })
        ).value;
    const ids = all.slice(page.offset, page.offset + page.limit);
    return { kind: "residents", rows: await findResidentRowsByIds(db, viewer.scope, ids), total: all.length };
  }
  if (opts.code === "digital_households") {
    const conds = [scopeOfAliased(viewer.scope, "households", "h")];
    if (villageId !== undefined) conds.push(sql`h.village_id = ${villageId}`);
    const r = await householdDrill(db, {
      communeId,
      cuts,
      counted: opts.counted,
      where: sql.join(conds, sql` and `),
      ...page,
    });
    return { kind: "households", ...r };
  }
  throw notFound();
}
