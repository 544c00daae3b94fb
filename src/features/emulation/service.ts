/**
 * Emulation and rewards (issue 19.2): the score of each village and unit for a period, from the
 * plan's `emulation` rules and the data, and proposals for commendation drafted from the ranking
 * (coordinator), approved by the leader, written as a "Tờ trình" DOCX.
 */
import type { Db } from "../../db/client.ts";
import type { CommendationStatus } from "../../db/schema.ts";
import { now, todayInVietnam } from "../../lib/clock.ts";
import { compareText } from "../../lib/collation.ts";
import { AppError, forbidden, msg, notFound } from "../../lib/errors.ts";
import { type Lang, translator } from "../../lib/i18n/index.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { UNIT_CODES, VILLAGE_CODES } from "../indicators/dashboard.ts";
import type { Period } from "../indicators/period.ts";
import { parseIsoDate, parsePeriod } from "../indicators/period.ts";
import type { Emulation, Plan } from "../indicators/plan.ts";
import { computeIndicators, type IndicatorResult, resolveWindow } from "../indicators/service.ts";
import { planFor } from "../plans/service.ts";
import { periodLabel } from "../reports/build.ts";
import * as kit from "../service-kit.ts";
import { taskTimeliness } from "../tasks/service.ts";
import { explainEntry, figureText, points } from "./explain.ts";
import {
  type ActivityCounts,
  type CommendationRow,
  findCommendationRow,
  insertCommendationRow,
  listCommendationRows,
  unitActivity,
  updateCommendationRow,
  villageActivity,
} from "./repo.ts";
import {
  type ComponentKey,
  type EntityKind,
  type Figure,
  monthsIn,
  rankEntries,
  type ScoreEntry,
  scoreEntry,
} from "./score.ts";

export type Ranking = {
  period: { code: string; kind: Period["kind"]; start: string; end: string; label: string };
  date: string;
  months: number;
  rules: Emulation;
  villages: ScoreEntry[];
  units: ScoreEntry[];
};

/** Met as the indicator table says it: at or above the target (a ratio 0–1 here, the entry's own figure). */
function indicatorFigures(
  table: IndicatorResult[],
  codes: readonly string[],
  figureOf: (i: IndicatorResult) => { value: number | null; denominator: number } | undefined,
): Figure[] | null {
  let met = 0;
  let counted = 0;
  for (const ind of table) {
    if (!codes.includes(ind.code)) continue;
    const f = figureOf(ind);
    if (!f || f.denominator === 0 || f.value === null) continue;
    counted++;
    if (f.value >= ind.target) met++;
  }
  return counted === 0 ? null : [{ what: "indicators_met", actual: met, expected: counted }];
}

function activityFigures(a: ActivityCounts, perMonth: Record<string, number>, months: number): Figure[] {
  return (["classes", "sessions", "visits"] as const)
    .filter((what) => (perMonth[what] ?? 0) > 0)
    .map((what) => ({ what, actual: a[what], expected: Math.round(perMonth[what]! * months * 10) / 10 }));
}

/**
 * Where the timeliness of reports and tasks comes from. Tasks: the plan's tasks (issue 19.1) due in
 * the period up to D for each unit and village, and how many were done on time (`taskTimeliness`,
 * the plan in force). Reports: periodic reports are the commune's (no village or unit sends its own
 * yet), so that component answers null ("chưa có dữ liệu") until a source is wired in here.
 */
async function timeliness(
  db: Db,
  communeId: number,
  w: { start: string; date: string },
): Promise<Record<"reports" | "tasks", Map<string, Figure[]>>> {
  const tasks = new Map<string, Figure[]>();
  const t = await taskTimeliness(db, communeId, { start: w.start, end: w.date }, w.date);
  for (const [kind, byCode] of [
    ["unit", t.units],
    ["village", t.villages],
  ] as const)
    for (const [code, x] of Object.entries(byCode))
      if (x.due > 0)
        tasks.set(`${kind}:${code}`, [{ what: "tasks_on_time", actual: x.onTime, expected: x.due }]);
  return { reports: new Map(), tasks };
}

/** What a viewer may see of the ranking: the whole commune, or their own villages, or their own unit. */
function visibleTo(viewer: Viewer, kind: EntityKind, id: number): boolean {
  const s = viewer.scope;
  if (s.kind === "installation" || (s.kind === "commune" && !s.workers)) return true;
  if (s.kind === "villages") return kind === "village" && s.villageIds.includes(id);
  if (s.kind === "unit") return kind === "unit" && s.unitId === id;
  return false;
}

/** The ranking of a commune for a period at D, every entry explained; nothing filtered by scope. */
export async function rankCommune(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  date: string;
  period: Period;
}): Promise<Ranking> {
  const { db, communeId, plan, date, period } = opts;
  const rules = plan.emulation;
  const w = { start: period.start, date };
  const months = monthsIn(period.start, date);
  const [table, villages, units, timely] = await Promise.all([
    computeIndicators({ db, communeId, plan, date, period }),
    villageActivity(db, communeId, w),
    unitActivity(db, communeId, w),
    timeliness(db, communeId, w),
  ]);
  const entry = (kind: EntityKind, a: ActivityCounts, figures: Record<ComponentKey, Figure[] | null>) => ({
    kind,
    id: a.id,
    code: a.code,
    name: a.name,
    ...scoreEntry(rules, figures),
  });
  const key = (kind: EntityKind, code: string) => `${kind}:${code}`;
  const entriesOf = (
    kind: EntityKind,
    list: ActivityCounts[],
    codes: readonly string[],
    by: "byVillage" | "byUnit",
  ) =>
    list.map((a) =>
      entry(kind, a, {
        indicators: indicatorFigures(table.indicators, codes, (i) => i[by]?.[a.code]),
        activity: activityFigures(a, rules.activity[kind], months),
        reports: timely.reports.get(key(kind, a.code)) ?? null,
        tasks: timely.tasks.get(key(kind, a.code)) ?? null,
      }),
    );
  const villageEntries = entriesOf("village", villages, VILLAGE_CODES, "byVillage");
  const unitEntries = entriesOf("unit", units, UNIT_CODES, "byUnit");
  return {
    period: { ...period, label: periodLabel("vi", period) },
    date,
    months,
    rules,
    villages: rankEntries(villageEntries, compareText),
    units: rankEntries(unitEntries, compareText),
  };
}

/** The ranking as a viewer may see it (SPEC §2 scope): a village team its villages, a school its unit. */
export async function getRanking(opts: {
  db: Db;
  viewer: Viewer;
  period?: string | undefined;
  date?: string | undefined;
}): Promise<Ranking> {
  const { db, viewer } = opts;
  const plan = await planFor(db, viewer.communeId);
  const { date, period } = resolveWindow({ date: opts.date, period: opts.period ?? defaultPeriod(), plan });
  const ranking = await rankCommune({ db, communeId: viewer.communeId, plan, date, period });
  return {
    ...ranking,
    villages: ranking.villages.filter((e) => visibleTo(viewer, "village", e.id)),
    units: ranking.units.filter((e) => visibleTo(viewer, "unit", e.id)),
  };
}

/** The quarter of today: the ranking's period when none is asked for. */
export function defaultPeriod(): string {
  const today = todayInVietnam();
  return `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The periods of a plan's year to choose from: the year, its quarters, its months. */
export function periodChoices(year: number): string[] {
  return [
    String(year),
    ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`),
    ...Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`),
  ];
}

// --- The API's and the page's shape ----------------------------------------------

export type PresentedEntry = ScoreEntry & { scoreText: string; explanation: string[] };
export function presentEntry(lang: Lang, e: ScoreEntry): PresentedEntry {
  return {
    ...e,
    scoreText: e.score === null ? translator(lang)("emulation.no_score") : points(lang, e.score),
    explanation: explainEntry(lang, e),
  };
}

// --- Proposals for commendation --------------------------------------------------

export type CommendationItem = PresentedEntry & { reason: string };
export type Commendation = {
  id: number;
  period: string;
  periodLabel: string;
  date: string;
  status: CommendationStatus;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  weights: Emulation["weights"];
  items: CommendationItem[];
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
};

export const MAX_REASON = 1000;

/** The reason a candidate is proposed, in the document's Vietnamese, from its figures. */
export function reasonFor(e: ScoreEntry, periodText: string): string {
  const t = translator("vi");
  const details = e.components
    .filter((c) => c.share !== null)
    .flatMap((c) => c.figures.filter((f) => f.expected > 0).map((f) => figureText("vi", f)));
  return t("emulation.reason", {
    rank: e.rank ?? "—",
    of: e.of,
    kind: t(`emulation.kind_plural.${e.kind}`),
    score: e.score === null ? "—" : points("vi", e.score),
    period: periodText,
    details: details.join(", "),
  });
}

function presentCommendation(row: CommendationRow): Commendation {
  const items = row.items as CommendationItem[];
  const period = row.period;
  return {
    id: row.id,
    period,
    periodLabel: labelOf(period),
    date: row.date,
    status: row.status,
    number: row.number,
    signedOn: row.signedOn,
    signerName: row.signerName,
    weights: row.weights as Emulation["weights"],
    items,
    approvedBy: row.approverName,
    approvedAt: row.approvedAt ? row.approvedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

function labelOf(code: string): string {
  const period = parsePeriod(code);
  return period ? periodLabel("vi", period) : code;
}

function requireCommune(viewer: Viewer) {
  if (viewer.scope.kind !== "commune" || viewer.scope.workers)
    throw forbidden(msg("emulation.scope_commune"));
}

export async function listCommendations(opts: { db: Db; viewer: Viewer }): Promise<Commendation[]> {
  if (opts.viewer.scope.kind !== "commune" && opts.viewer.scope.kind !== "installation") return [];
  return (await listCommendationRows(opts.db, opts.viewer.communeId)).map(presentCommendation);
}

export async function getCommendation(opts: kit.RecordRead): Promise<Commendation> {
  const s = opts.viewer.scope;
  if (s.kind !== "commune" && s.kind !== "installation") throw notFound();
  const row = await findCommendationRow(opts.db, opts.viewer.communeId, opts.id);
  if (!row) throw notFound();
  return presentCommendation(row);
}

/**
 * Drafts a proposal from the ranking of a period at D: `picks` are `village:<id>` / `unit:<id>` of
 * entries with a score; each is frozen with its figures and a reason written from them.
 */
export async function draftCommendation(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  period: string;
  date?: string | undefined;
  picks: string[];
}): Promise<Commendation> {
  const { db, viewer } = opts;
  requireCommune(viewer);
  const ranking = await getRanking({ db, viewer, period: opts.period, date: opts.date });
  const byKey = new Map([...ranking.villages, ...ranking.units].map((e) => [`${e.kind}:${e.id}`, e]));
  const picks = [...new Set(opts.picks.map((p) => p.trim()).filter(Boolean))];
  const chosen: ScoreEntry[] = [];
  for (const p of picks) {
    const e = byKey.get(p);
    if (!e || e.score === null)
      throw new AppError("validation", { message: msg("emulation.bad_pick", { value: p }) });
    chosen.push(e);
  }
  if (chosen.length === 0) throw new AppError("validation", { message: msg("emulation.pick_none") });
  const items: CommendationItem[] = chosen.map((e) => ({
    ...presentEntry("vi", e),
    reason: reasonFor(e, ranking.period.label),
  }));
  const id = await db.transaction(async (tx) => {
    const id = await insertCommendationRow(tx, {
      communeId: viewer.communeId,
      period: ranking.period.code,
      date: ranking.date,
      signedOn: todayInVietnam(),
      items,
      weights: ranking.rules.weights,
      createdBy: viewer.userId,
    });
    await recordAudit(tx, opts.actor, {
      action: "commendation.create",
      entity: "commendation",
      entityId: id,
      after: {
        period: ranking.period.code,
        date: ranking.date,
        items: items.map((i) => `${i.kind}:${i.code}`),
      },
    });
    return id;
  });
  return getCommendation({ db, viewer, id });
}

/** A date typed as dd/mm/yyyy or yyyy-mm-dd. */
function civilDate(text: string): string | undefined {
  const s = text.trim();
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  return parseIsoDate(m ? `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}` : s);
}

/** A commendation of the viewer's commune locked for a change: 404 when there is none, 409 once approved. */
async function lockedDraft(tx: Db, viewer: Viewer, id: number) {
  const row = await findCommendationRow(tx, viewer.communeId, id, { forUpdate: true });
  if (!row) throw notFound();
  if (row.status !== "draft")
    throw new AppError("conflict", { message: msg("commendations.already_approved") });
  return row;
}

/** Edits a draft: the reasons (by `kind:id`), the number, the signer, the date of signature. */
export async function updateCommendation(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  reasons?: Record<string, string> | undefined;
  number?: string | null | undefined;
  signerName?: string | null | undefined;
  signedOn?: string | undefined;
}): Promise<Commendation> {
  const { db, viewer } = opts;
  requireCommune(viewer);
  await db.transaction(async (tx) => {
    const row = await lockedDraft(tx, viewer, opts.id);
    const items = (row.items as CommendationItem[]).map((item) => {
      const text = opts.reasons?.[`${item.kind}:${item.id}`];
      if (text === undefined) return item;
      const reason = text.normalize("NFC").trim();
      if (!reason)
        throw new AppError("validation", { message: msg("commendations.reason_empty", { name: item.name }) });
      if (reason.length > MAX_REASON)
        throw new AppError("validation", {
          message: msg("commendations.reason_long", { name: item.name, max: MAX_REASON }),
        });
      return { ...item, reason };
    });
    const number = opts.number === undefined ? row.number : opts.number?.trim() || null;
    if (number !== null && !/^\d{1,6}$/.test(number))
      throw new AppError("validation", { message: msg("commendations.bad_number") });
    let signedOn = row.signedOn;
    if (opts.signedOn?.trim()) {
      const d = civilDate(opts.signedOn);
      if (!d)
        throw new AppError("validation", {
          message: msg("commendations.bad_signed_on", { value: opts.signedOn }),
        });
      signedOn = d;
    }
    const signerName =
      opts.signerName === undefined ? row.signerName : opts.signerName?.normalize("NFC").trim() || null;
    await updateCommendationRow(tx, viewer.communeId, row.id, { items, number, signerName, signedOn });
    await recordAudit(tx, opts.actor, {
      action: "commendation.update",
      entity: "commendation",
      entityId: row.id,
      before: { number: row.number, signerName: row.signerName, signedOn: row.signedOn },
      after: { number, signerName, signedOn, reasons: Object.keys(opts.reasons ?? {}) },
    });
  });
  return getCommendation({ db, viewer, id: opts.id });
}

/** The leader approves a draft (audited); it no longer changes. */
export async function approveCommendation(opts: kit.RecordWrite): Promise<Commendation> {
  const { db, viewer } = opts;
  requireCommune(viewer);
  await db.transaction(async (tx) => {
    const row = await lockedDraft(tx, viewer, opts.id);
    await updateCommendationRow(tx, viewer.communeId, row.id, {
      status: "approved",
      approvedBy: viewer.userId,
      approvedAt: now(),
    });
    await kit.auditChange(tx, opts.actor, {
      action: "commendation.approve",
      entityId: row.id,
      before: { status: row.status },
      after: { status: "approved", period: row.period, items: (row.items as CommendationItem[]).length },
    });
  });
  return getCommendation({ db, viewer, id: opts.id });
}
