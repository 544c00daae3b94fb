/**
 * What the dashboard, the drill-down pages, the village visit list and the unit page show
 * (SPEC §3, §3.2, §7): thin wrappers over the indicator engine that add the viewer's scope checks,
 * the lists behind the figures that are not people (villages, activities, incidents, reports) and
 * the table of figures as a download.
 */
import type { Db } from "../../db/client.ts";
import { type Family, knownByVersion, type Versions, versionsOf } from "../../db/data-version.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { notFound } from "../../lib/errors.ts";
import { formatDate, type T } from "../../lib/i18n/index.ts";
import type { Cell } from "../../lib/tabular/read.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { seesUnmasked, type Viewer, viewerCan } from "../auth/viewer.ts";
import type { ResidentItem } from "../residents/service.ts";
import { getUnit, type UnitDetail } from "../units/service.ts";
import { findVillageRow, type VillageRow } from "../villages/repo.ts";
import { DRILL_FAMILIES, drillFamilies, knownFigures } from "./cache.ts";
import {
  DRILLABLE,
  type Drill,
  type DrillQuery,
  type DrillRows,
  type drillIndicator,
  drillScopeKey,
  presentDrill,
  presentResidentRows,
  readDrill,
} from "./drill.ts";
import { addDays, type Period } from "./period.ts";
import { type IndicatorCode, localizeIndicator, type Plan } from "./plan.ts";
import {
  type ActivityListRow,
  activitiesInWindow,
  type IncidentListRow,
  poorHouseholdCodes,
  seriousIncidentsInWindow,
  teamOfVillage,
  unitsOfCommune,
  villageFigures,
  villageReasons,
} from "./repo.ts";
import type { IndicatorResult, IndicatorTable, Ratio } from "./service.ts";
import type { Trend } from "./trend.ts";

/** Indicators broken down by village (SPEC §3), the columns of the dashboard's village table. */
export const VILLAGE_CODES = [
  "adult_skills",
  "adult_vneid_confirmed",
  "village_propaganda",
  "active_village_teams",
  "vneid_16plus",
  "digital_households",
] as const satisfies readonly IndicatorCode[];
/** Indicators broken down by unit: the unit page. */
export const UNIT_CODES = [
  "public_sector_skills",
  "student_skills",
  "worker_access",
] as const satisfies readonly IndicatorCode[];

export type DashboardData = {
  table: IndicatorTable;
  trends: Map<IndicatorCode, Trend>;
  villages: VillageRow[];
  /** Server time spent, in milliseconds. */
  timings: { indicators: number; trends: number };
  /** Answered from memory: nothing changed since the figures were computed. */
  cached: boolean;
};

/** A read of the plan's figures at a date for a period, as the viewer may see them. */
export type FiguresRead = { db: Db; viewer: Viewer; plan: Plan; date: string; period: Period };

/**
 * Everything the dashboard shows: the indicators, then their trends, computed once per data version
 * (cache.ts) — a dashboard nothing changed since the last view costs a lookup.
 */
export async function loadDashboard(opts: FiguresRead): Promise<DashboardData> {
  const { db, viewer, plan, date, period } = opts;
  const known = await knownFigures({ db, communeId: viewer.communeId, plan, date, period });
  return {
    table: known.table,
    trends: new Map(known.trends.map((tr) => [tr.code, tr])),
    villages: known.villages,
    timings: known.timings,
    cached: known.cached,
  };
}

/** Whether a viewer may open a village's lists (its own villages for a village team; none for a school). */
export function seesVillage(viewer: Viewer, villageId: number): boolean {
  const s = viewer.scope;
  if (s.kind === "villages") return s.villageIds.includes(villageId);
  return s.kind === "commune" || s.kind === "installation";
}

export type VillageReason = {
  code: string;
  name: string;
  yes: boolean;
  propaganda: number;
  members: number;
  lastVisit: string | null;
  lastClass: string | null;
  lastPropaganda: string | null;
};

/** What stands behind a figure that is not a list of people (indicators 6, 7, 8, 11, 12). */
export type Detail =
  | {
      kind: "villages";
      mode: "propaganda" | "teams";
      since: string;
      rows: VillageReason[];
      activities: ActivityListRow[];
    }
  | { kind: "activities"; rows: ActivityListRow[] }
  | { kind: "incidents"; rows: IncidentListRow[] | null }
  | {
      kind: "reports";
      due: { period: string; due: string; onTime: boolean }[];
      later: { period: string; due: string }[];
    };

export type DrillPage = {
  table: IndicatorTable;
  indicator: IndicatorResult;
  /** The figure of the chosen village or unit when the indicator breaks down so, else the commune's. */
  figure: Ratio | null;
  figureOf: "all" | "village" | "unit";
  village: VillageRow | undefined;
  unit: { code: string; name: string } | undefined;
  /** The villages a viewer may filter by. */
  villages: VillageRow[];
  /** Units with members of the indicator's group (1, 2, 5). */
  units: { code: string; name: string }[];
  drill?: Drill;
  /** Poor or near-poor households among the listed residents' households. */
  poor?: Set<string>;
  detail?: Detail;
};

/**
 * One indicator's drill-down at D: the figure (of a village or unit when asked), then the residents
 * or households behind it, or the villages, activities, incidents or reports it counts. A village
 * or unit outside the viewer's scope is not found (404).
 */
export async function loadDrillPage(
  opts: {
    db: Db;
    viewer: Viewer;
    actor: Actor;
    plan: Plan;
    /**
     * A download or a print of the whole list: computed afresh (not kept in memory by version) and
     * not audited as a view — the caller audits it as an export.
     */
    whole?: boolean;
  } & DrillQuery,
): Promise<DrillPage> {
  const { db, viewer, plan, code, date, period } = opts;
  const communeId = viewer.communeId;
  // Read once: the figures, the units and the list are all kept by these versions.
  const versions = await versionsOf(db, communeId);
  const known = await knownFigures({ db, communeId, plan, date, period, versions });
  const all = known.villages;
  const villages = all.filter((v) => seesVillage(viewer, v.id));
  const table = known.table;
  const indicator = table.indicators.find((i) => i.code === code);
  if (!indicator) throw notFound();
  const scope = viewer.scope;
  let village: VillageRow | undefined;
  if (opts.village) {
    village = all.find((v) => v.code === opts.village);
    if (!village || !seesVillage(viewer, village.id)) throw notFound();
  } else if (scope.kind === "villages" && villages.length === 1 && indicator.byVillage) {
    // A team of one village: its own village's figure and list, matching each other.
    village = villages[0];
  }
  const unitNames = await unitNamesOf(db, communeId, versions);
  const units = Object.keys(indicator.byUnit ?? {})
    .map((c) => ({ code: c, name: unitNames.get(c) ?? c }))
    .filter((u) => scope.kind !== "unit" || unitNames.idOf(u.code) === scope.unitId);
  let unit: { code: string; name: string } | undefined;
  const ownUnit =
    scope.kind === "unit" ? units.find((u) => unitNames.idOf(u.code) === scope.unitId) : undefined;
  if (opts.unit) {
    const id = unitNames.idOf(opts.unit);
    if (id === undefined || (scope.kind === "unit" && scope.unitId !== id)) throw notFound();
    unit = { code: opts.unit, name: unitNames.get(opts.unit) ?? opts.unit };
  } else if (ownUnit) {
    // A school: its own members' figure and list.
    unit = ownUnit;
  }
  let figure: Ratio | null =
    indicator.numerator === undefined
      ? null
      : { numerator: indicator.numerator, denominator: indicator.denominator ?? 0, value: indicator.value };
  let figureOf: DrillPage["figureOf"] = "all";
  if (village && indicator.byVillage) {
    figure = indicator.byVillage[village.code] ?? null;
    figureOf = "village";
  } else if (unit && indicator.byUnit) {
    figure = indicator.byUnit[unit.code] ?? { numerator: 0, denominator: 0, value: null };
    figureOf = "unit";
  }
  const base: DrillPage = { table, indicator, figure, figureOf, village, unit, villages, units };

  if (DRILLABLE.includes(code)) {
    const list = {
      db,
      viewer,
      code,
      date,
      period,
      village: village?.code,
      unit: unit?.code,
      counted: opts.counted,
      page: opts.page,
      pageSize: opts.pageSize,
    };
    // The list and its poor households together: both read only the drill's families.
    const withPoor = async (rows: DrillRows) => ({
      rows,
      poor:
        rows.kind === "residents"
          ? await poorHouseholdCodes(
              db,
              communeId,
              rows.rows.map((r) => r.householdCode),
            )
          : undefined,
    });
    const kept = opts.whole
      ? await withPoor(await readDrill({ ...list, fresh: true }))
      : await knownList(list, village?.id, versions, drillFamilies(code), "drill", async () =>
          withPoor(await readDrill(list)),
        );
    const drill = presentDrill(kept.rows, viewer, date);
    const poor = kept.poor;
    if (drill.kind === "residents" && !opts.whole)
      await auditUnmasked(db, viewer, opts.actor, drill.items, `indicators.${code}`);
    return { ...base, drill, ...(poor ? { poor } : {}) };
  }
  return { ...base, detail: await detailOf({ db, viewer, plan, code, date, period }) };
}

/**
 * A list behind a figure (a drill-down page, a village's visit-next lists), kept by the versions of
 * the families it reads (cache.ts `DRILL_FAMILIES`, and the teams for visit-next): the same list for
 * the same role, scope, window, filters and page, until a write changes the registry or a fact the
 * indicators read (a certification, a worker's attendance); ages and masks follow today and the
 * role, both in the key. The audit of unmasked views is the caller's, on every view.
 */
function knownList<T>(
  opts: Parameters<typeof drillIndicator>[0],
  /** The village asked for, if any (whether the viewer's scope holds all of it: `drillScopeKey`). */
  villageId: number | undefined,
  versions: Versions,
  families: readonly Family[],
  label: string,
  compute: () => Promise<T>,
): Promise<T> {
  return knownByVersion({
    db: opts.db,
    communeId: opts.viewer.communeId,
    versions,
    families,
    key: listKey(opts, villageId, label),
    label,
    compute,
  }).then((r) => r.value);
}

/** `knownList`'s key: what the list depends on besides the data of its families. */
function listKey(opts: Parameters<typeof drillIndicator>[0], villageId: number | undefined, label: string) {
  const { db: _db, viewer, ...rest } = opts;
  // The rows are kept before any viewer's masks, so every role whose scope holds the whole of what
  // is asked shares them; the masks, ages and the audit follow each view.
  return JSON.stringify({
    [label]: { ...rest, period: rest.period.code },
    scope: drillScopeKey(viewer.scope, villageId),
    today: todayInVietnam(),
  });
}

/** A list that shows unmasked phones is a view of identity data: audited once per page (SPEC §8). */
async function auditUnmasked(db: Db, viewer: Viewer, actor: Actor, items: ResidentItem[], source: string) {
  if (!seesUnmasked(viewer)) return;
  const ids = items.filter((r) => r.phone || r.citizen_id).map((r) => r.id);
  if (ids.length === 0) return;
  await recordAudit(db, actor, {
    action: "resident.view_identity_list",
    entity: "resident",
    after: { source, residents: ids },
  });
}

async function unitNamesOf(db: Db, communeId: number, versions: Versions) {
  const { value: list } = await knownByVersion({
    db,
    communeId,
    versions,
    families: ["registry"],
    key: "units",
    label: "units",
    compute: () => unitsOfCommune(db, communeId),
  });
  const byCode = new Map(list.map((u) => [u.code, u]));
  return {
    get: (code: string) => byCode.get(code)?.name,
    idOf: (code: string) => byCode.get(code)?.id,
  };
}

async function detailOf(opts: FiguresRead & { code: IndicatorCode }): Promise<Detail> {
  const { db, viewer, plan, code, date, period } = opts;
  const communeId = viewer.communeId;
  switch (code) {
    case "village_propaganda":
    case "active_village_teams": {
      const since = addDays(date, -90);
      const w = { periodStart: period.start, date, since };
      const [flags, reasons] = await Promise.all([
        villageFigures(db, communeId, w),
        villageReasons(db, communeId, w),
      ]);
      const rows = reasons.map((r): VillageReason => {
        const f = flags.find((x) => x.village_id === r.village_id);
        const yes = code === "village_propaganda" ? !!f?.propaganda : (f?.members ?? 0) >= 3 && !!f?.worked;
        return {
          code: r.code,
          name: r.name,
          yes,
          propaganda: r.propaganda,
          members: r.members,
          lastVisit: r.last_visit,
          lastClass: r.last_class,
          lastPropaganda: r.last_propaganda,
        };
      });
      const activities =
        code === "village_propaganda"
          ? await activitiesInWindow(db, communeId, { type: "propaganda", from: period.start, to: date })
          : [];
      return {
        kind: "villages",
        mode: code === "village_propaganda" ? "propaganda" : "teams",
        since,
        rows,
        activities,
      };
    }
    case "digital_learning_day":
      return {
        kind: "activities",
        rows: await activitiesInWindow(db, communeId, {
          type: "digital_learning_day",
          from: period.start,
          to: date,
        }),
      };
    case "security_incidents":
      return {
        kind: "incidents",
        rows: viewerCan(viewer, "incident.read")
          ? await seriousIncidentsInWindow(db, communeId, { from: period.start, to: date })
          : null,
      };
    default: {
      const reports = plan.reports ?? [];
      return {
        kind: "reports",
        // No report is recorded as submitted yet (reports arrive with issue 6): none is on time.
        due: reports
          .filter((r) => r.due >= period.start && r.due <= date)
          .map((r) => ({ ...r, onTime: false })),
        later: reports.filter((r) => r.due > date && r.due <= period.end),
      };
    }
  }
}

/** What a village's visit-next page reads: the drill's families, and the teams for its team line. */
const VISIT_LIST_FAMILIES: readonly Family[] = [...DRILL_FAMILIES, "teams"];

export type VisitList = {
  /**
   * Where the lists are kept (`knownList`): the versions they were read under and their key, for
   * a page drawn from them to be kept beside them (`keptPage`).
   */
  kept: { versions: Versions; key: string };
  village: VillageRow;
  date: string;
  team: { members: number; leaders: string[] };
  adults: Extract<Drill, { kind: "residents" }>;
  vneid: Extract<Drill, { kind: "residents" }>;
  households: Extract<Drill, { kind: "households" }>;
  poor: Set<string>;
};

/**
 * A village's "who to visit next" lists at D (SPEC §7): adults without basic digital skills,
 * residents 16+ without a VNeID account, households with no member with basic skills — the
 * elderly, disabled and poor first, as the drill-down orders them. 404 outside the viewer's scope.
 */
export async function loadVisitList(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  villageId: number;
  date: string;
  period: Period;
  limit: number;
}): Promise<VisitList> {
  const { db, date, period } = opts;
  const village = await findVillageRow(db, opts.viewer.scope, opts.villageId);
  if (!village) throw notFound();
  // The province reads any commune's village: its lists are that commune's.
  const viewer = { ...opts.viewer, communeId: village.communeId };
  const common = {
    db,
    viewer,
    date,
    period,
    village: village.code,
    counted: false,
    page: 1,
    pageSize: opts.limit,
  };
  const versions = await versionsOf(db, village.communeId);
  // The three lists, their poor households and the team, kept together by what they read.
  const listOpts = { ...common, code: "adult_skills" as const };
  const kept = await knownList(listOpts, village.id, versions, VISIT_LIST_FAMILIES, "visitNext", async () => {
    const adults = await readDrill({ ...common, code: "adult_skills" });
    const vneid = await readDrill({ ...common, code: "vneid_16plus" });
    const households = await readDrill({ ...common, code: "digital_households" });
    if (adults.kind !== "residents" || vneid.kind !== "residents" || households.kind !== "households")
      throw new Error("unexpected drill kinds");
    const poor = await poorHouseholdCodes(
      db,
      village.communeId,
      [...adults.rows, ...vneid.rows].map((r) => r.householdCode),
    );
    return { adults, vneid, households, poor, team: await teamOfVillage(db, village.id) };
  });
  const lists = {
    ...kept,
    adults: presentResidentRows(kept.adults, viewer, date),
    vneid: presentResidentRows(kept.vneid, viewer, date),
  };
  await auditUnmasked(db, viewer, opts.actor, [...lists.adults.items, ...lists.vneid.items], "visit_next");
  return {
    kept: { versions, key: listKey(listOpts, village.id, "visitNext") },
    village,
    date,
    ...lists,
  };
}

/**
 * A page (its main part, as HTML) drawn from a village's visit-next lists, kept beside them: under
 * the same versions and families, so it is dropped with them; `key` names what the drawing adds
 * (the role's masks, the language, the links). The audit of each view stays the caller's.
 */
export async function keptPage(
  db: Db,
  list: VisitList,
  key: string,
  draw: () => Promise<string>,
): Promise<string> {
  const { value } = await knownByVersion({
    db,
    communeId: list.village.communeId,
    versions: list.kept.versions,
    families: VISIT_LIST_FAMILIES,
    key: `${list.kept.key}|page|${list.village.code}|${list.village.name}|${key}`,
    label: "visitNextPage",
    compute: draw,
  });
  return value;
}

export type UnitIndicators = {
  unit: UnitDetail;
  table: IndicatorTable;
  rows: { indicator: IndicatorResult; figure: Ratio | null }[];
};

/** Indicators 1, 2 and 5 for one unit's members (SPEC §3 "by unit"); 404 outside the viewer's scope. */
export async function loadUnitIndicators(opts: FiguresRead & { unitId: number }): Promise<UnitIndicators> {
  const { db, viewer, plan, date, period } = opts;
  const unit = await getUnit({ db, viewer, id: opts.unitId });
  const { table } = await knownFigures({ db, communeId: viewer.communeId, plan, date, period });
  const rows = table.indicators
    .filter((i) => (UNIT_CODES as readonly string[]).includes(i.code))
    .map((indicator) => ({ indicator, figure: indicator.byUnit?.[unit.code] ?? null }));
  return { unit, table, rows };
}

/** The table of indicators as rows for a CSV or XLSX download: numbers as numbers, fractions 0–1. */
export function indicatorRows(t: T, table: IndicatorTable): { header: string[]; rows: Cell[][] } {
  const header = [
    t("dashboard.col_id"),
    t("dashboard.col_code"),
    t("dashboard.col_title"),
    t("dashboard.col_numerator"),
    t("dashboard.col_denominator"),
    t("dashboard.col_value"),
    t("dashboard.col_target"),
    t("dashboard.col_minimum"),
    t("dashboard.col_met"),
    t("dashboard.col_responsible"),
    t("dashboard.col_cooperating"),
    t("dashboard.col_date"),
    t("dashboard.col_period"),
  ];
  const rows = table.indicators.map((i): Cell[] => [
    i.id,
    i.code,
    i.title,
    i.numerator ?? null,
    i.denominator ?? null,
    i.value,
    i.target,
    i.minimum ?? null,
    i.met,
    i.responsible,
    i.cooperating.join("; "),
    table.date,
    table.period,
  ]);
  return { header, rows };
}

/**
 * A drill-down list as rows for a CSV or XLSX download, in the page's order and masked as the page
 * shows it: residents (name, birth date, age, gender, village, household, priority, groups, VNeID,
 * citizen ID, phone) or households (indicator 10).
 */
export function drillRows(t: T, page: DrillPage): { header: string[]; rows: Cell[][] } {
  const drill = page.drill;
  if (!drill) return { header: [], rows: [] };
  if (drill.kind === "households") {
    return {
      header: [
        t("visit.col_no"),
        t("col.household"),
        t("col.head_name"),
        t("col.village"),
        t("col.address"),
        t("col.poor"),
        t("drill.col_members"),
        t("drill.col_elderly"),
        t("drill.col_disabled"),
      ],
      rows: drill.items.map((h, i): Cell[] => [
        i + 1,
        h.code,
        h.headName,
        h.villageName,
        h.address,
        h.poor,
        h.members,
        h.elderly,
        h.disabled,
      ]),
    };
  }
  const poor = page.poor ?? new Set<string>();
  return {
    header: [
      t("visit.col_no"),
      t("col.full_name"),
      t("col.birth_date"),
      t("drill.col_age"),
      t("col.gender"),
      t("col.village"),
      t("col.household"),
      t("drill.col_priority"),
      t("col.groups"),
      t("col.vneid_level"),
      t("col.citizen_id"),
      t("col.phone"),
    ],
    rows: drill.items.map((r, i): Cell[] => [
      i + 1,
      r.full_name,
      r.birth_date === undefined
        ? null
        : r.birth_date.length === 10
          ? formatDate("vi", r.birth_date)
          : r.birth_date,
      r.age,
      t(`gender.${r.gender as "male"}`),
      r.village_name,
      r.household,
      [
        r.elderly ? t("drill.tag_elderly") : null,
        r.disabled ? t("drill.tag_disabled") : null,
        poor.has(r.household) ? t("drill.tag_poor") : null,
      ]
        .filter(Boolean)
        .join("; "),
      r.groups.map((g) => t(`group.${g as "student"}`)).join("; "),
      t(`vneid.${r.vneid_level as 0 | 1 | 2}`),
      r.citizen_id ?? null,
      r.phone ?? null,
    ]),
  };
}

/** The indicators of a table in the interface's language (a copy: cached tables stay as they are). */
export function localizeTable(table: IndicatorTable, plan: Plan, lang: "vi" | "en"): IndicatorTable {
  if (lang !== "en") return table;
  return { ...table, indicators: table.indicators.map((i) => localizeIndicator(plan, i, lang)) };
}

/** A drill-down page in the interface's language. */
export function localizeDrillPage(page: DrillPage, plan: Plan, lang: "vi" | "en"): DrillPage {
  if (lang !== "en") return page;
  return {
    ...page,
    table: localizeTable(page.table, plan, lang),
    indicator: localizeIndicator(plan, page.indicator, lang),
  };
}

/** A unit's indicators in the interface's language. */
export function localizeUnitIndicators(data: UnitIndicators, plan: Plan, lang: "vi" | "en"): UnitIndicators {
  if (lang !== "en") return data;
  return {
    ...data,
    table: localizeTable(data.table, plan, lang),
    rows: data.rows.map((r) => ({ ...r, indicator: localizeIndicator(plan, r.indicator, lang) })),
  };
}
