import { createHash } from "node:crypto";
import type { Db } from "../../db/client.ts";
import type { ReportNarrative, ReportStatus } from "../../db/schema.ts";
import { now as clockNow, todayInVietnam } from "../../lib/clock.ts";
import {
  AppError,
  conflict,
  type FieldErrors,
  forbidden,
  msg,
  notFound,
  validationError,
} from "../../lib/errors.ts";
import type { Lang } from "../../lib/i18n/index.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { type Period, parseIsoDate, parsePeriod } from "../indicators/period.ts";
import type { Plan } from "../indicators/plan.ts";
import type { IndicatorTable } from "../indicators/service.ts";
import { planFor } from "../plans/service.ts";
import * as kit from "../service-kit.ts";
import { buildReportModel } from "./build.ts";
import type { ReportModel } from "./model.ts";
import { REPORT_FORMATS, renderReport } from "./render.ts";
import {
  deleteDraftRow,
  findDraftOfPeriod,
  findReportFile,
  findReportRow,
  findSnapshot,
  insertReportFiles,
  insertReportRow,
  listReportFileInfo,
  listReportRows,
  lockReportRow,
  markApproved,
  markReturned,
  markSubmitted,
  maxAdhocNo,
  maxReportVersion,
  type ReportFormat,
  type ReportRow,
  type ReportSeries,
  supersedeOthers,
  updateDraftRow,
} from "./repo.ts";

export { REPORT_FORMATS, type ReportFormat };

/** A report as pages and the API show it. */
export type ReportItem = {
  id: number;
  period: string;
  version: number;
  status: ReportStatus;
  date: string;
  due_date: string | null;
  number: string | null;
  signed_on: string;
  signer_name: string | null;
  narrative: ReportNarrative;
  created_by: string | null;
  created_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
  submitted_on: string | null;
  /** Submitted on or before its due date (null: not due by schedule, or not submitted). */
  on_time: boolean | null;
  approved_by: string | null;
  approved_at: string | null;
  /** "scheduled": a period of the plan's schedule; "adhoc": a report the coordinator called for ("đột xuất"). */
  kind: "scheduled" | "adhoc";
  adhoc_no: number;
  /** An ad hoc report's title (its reason); null for a scheduled one. */
  title: string | null;
  returned_by: string | null;
  returned_at: string | null;
  /** The leader's comment when they sent this version back. */
  return_comment: string | null;
};

export function presentReport(row: ReportRow): ReportItem {
  return {
    id: row.id,
    period: row.period,
    version: row.version,
    status: row.status,
    date: row.date,
    due_date: row.dueDate,
    number: row.number,
    signed_on: row.signedOn,
    signer_name: row.signerName,
    narrative: row.narrative,
    created_by: row.createdByName,
    created_at: row.createdAt.toISOString(),
    submitted_by: row.submittedByName,
    submitted_at: row.submittedAt?.toISOString() ?? null,
    submitted_on: row.submittedOn,
    on_time: row.dueDate && row.submittedOn ? row.submittedOn <= row.dueDate : null,
    approved_by: row.approvedByName,
    approved_at: row.approvedAt?.toISOString() ?? null,
    kind: row.adhocNo > 0 ? "adhoc" : "scheduled",
    adhoc_no: row.adhocNo,
    title: row.title,
    returned_by: row.returnedByName,
    returned_at: row.returnedAt?.toISOString() ?? null,
    return_comment: row.returnComment,
  };
}

const seriesOf = (row: Pick<ReportRow, "communeId" | "period" | "adhocNo">): ReportSeries => ({
  communeId: row.communeId,
  period: row.period,
  adhocNo: row.adhocNo,
});

/** Two versions of the same report (the same scheduled period, or the same ad hoc report). */
export const sameSeries = (a: ReportItem, b: ReportItem) =>
  a.period === b.period && a.adhoc_no === b.adhoc_no;

export const EMPTY_NARRATIVE: ReportNarrative = {
  overview: "",
  difficulties: "",
  nextSteps: "",
  proposals: "",
};

/** What an officer fills in: the period and date of the figures, the document's number, signature, narrative. */
export type ReportInput = {
  period?: string | undefined;
  date?: string | undefined;
  number?: string | undefined;
  signedOn?: string | undefined;
  signerName?: string | undefined;
  narrative?: Partial<ReportNarrative> | undefined;
  /** An ad hoc report ("đột xuất"): its title (the reason) and the due date the coordinator sets. */
  adhoc?: { title?: string | undefined; dueDate?: string | undefined } | undefined;
};

const MAX_TEXT = 20_000;
export const MAX_TITLE = 200;
export const MAX_RETURN_COMMENT = 2_000;

/** An ad hoc report's title and due date checked into `errors`. */
function checkAdhoc(adhoc: NonNullable<ReportInput["adhoc"]>, errors: FieldErrors) {
  const title = (adhoc.title ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
  if (!title) errors.title = msg("reports.adhoc_title_required");
  else if (title.length > MAX_TITLE) errors.title = msg("reports.too_long", { max: MAX_TITLE });
  const dueText = adhoc.dueDate?.trim() ?? "";
  const dueDate = dueText ? parseIsoDate(dueText) : undefined;
  if (!dueText) errors.due_date = msg("reports.adhoc_due_required");
  else if (!dueDate) errors.due_date = msg("indicators.bad_date", { value: dueText });
  return { title, dueDate: dueDate ?? "" };
}

/** The form's values checked; `fixedPeriod` when the period is the report's own (an edit). */
export function checkInput(input: ReportInput, fixedPeriod?: string) {
  const errors: FieldErrors = {};
  const periodText = (fixedPeriod ?? input.period ?? "").trim();
  const period = periodText ? parsePeriod(periodText) : undefined;
  if (!periodText) errors.period = msg("reports.period_required");
  else if (!period) errors.period = msg("indicators.bad_period", { value: periodText });

  const today = todayInVietnam();
  const dateText = input.date?.trim() || (period && today > period.end ? period.end : today);
  let date = parseIsoDate(dateText);
  if (!date) errors.date = msg("indicators.bad_date", { value: dateText });
  else if (period && date < period.start)
    errors.date = msg("indicators.date_before_period", { date, period: period.code });
  else if (period && date > period.end) date = period.end;

  const signedText = input.signedOn?.trim() || today;
  const signedOn = parseIsoDate(signedText);
  if (!signedOn) errors.signed_on = msg("indicators.bad_date", { value: signedText });

  const number = input.number?.trim() || null;
  if (number && number.length > 40) errors.number = msg("reports.too_long", { max: 40 });
  const signerName = input.signerName?.trim() || null;
  if (signerName && signerName.length > 120) errors.signer_name = msg("reports.too_long", { max: 120 });
  const narrative = { ...EMPTY_NARRATIVE };
  for (const k of Object.keys(EMPTY_NARRATIVE) as (keyof ReportNarrative)[]) {
    const v = (input.narrative?.[k] ?? "").normalize("NFC").replace(/\r\n/g, "\n").trim();
    if (v.length > MAX_TEXT) errors[k] = msg("reports.too_long", { max: MAX_TEXT });
    narrative[k] = v;
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return { period: period!, date: date!, signedOn: signedOn!, number, signerName, narrative };
}

/** Reports are written by commune roles, in their own commune. */
function assertCommuneRole(viewer: Viewer) {
  if (viewer.scope.kind !== "commune") throw forbidden();
}

export async function listReports(opts: { db: Db; viewer: Viewer }): Promise<ReportItem[]> {
  return (await listReportRows(opts.db, opts.viewer.scope)).map(presentReport);
}

export type ScheduleEntry = {
  period: string;
  due: string;
  /** The latest submitted (or approved) version of that period, if any. */
  report: ReportItem | undefined;
  /** First submission of any version. */
  firstSubmittedOn: string | null;
  state: "on_time" | "late" | "overdue" | "upcoming";
};

/** The plan's reporting schedule with each due report's state (indicator 12, SPEC §3). */
export function scheduleOf(plan: Plan, items: ReportItem[], today = todayInVietnam()): ScheduleEntry[] {
  return plan.reports.map((r) => {
    const sent = items.filter((i) => i.period === r.period && i.kind === "scheduled" && i.status !== "draft");
    const first = sent.map((i) => i.submitted_on!).sort()[0] ?? null;
    // The newest version sent: a returned one until its correction is submitted.
    const latest = sent.filter((i) => i.status !== "superseded").sort((a, b) => b.version - a.version)[0];
    const state = first ? (first <= r.due ? "on_time" : "late") : today > r.due ? "overdue" : "upcoming";
    return { period: r.period, due: r.due, report: latest, firstSubmittedOn: first, state };
  });
}

export async function getReport(opts: kit.RecordRead) {
  const row = await findReportRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  const files = row.status === "draft" ? [] : await listReportFileInfo(opts.db, row.id);
  return { report: presentReport(row), files };
}

function auditView(row: ReportRow) {
  return {
    period: row.period,
    version: row.version,
    status: row.status,
    date: row.date,
    dueDate: row.dueDate,
    number: row.number,
    signedOn: row.signedOn,
    signerName: row.signerName,
    ...(row.adhocNo > 0 ? { adhocNo: row.adhocNo, title: row.title } : {}),
  };
}

export async function createReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  plan: Plan;
  input: ReportInput;
  /** A new version of an existing report: its series, title and due date. */
  of?: Pick<ReportRow, "adhocNo" | "title" | "dueDate">;
}): Promise<ReportItem> {
  assertCommuneRole(opts.viewer);
  const communeId = opts.viewer.communeId;
  let adhoc: { title: string; dueDate: string } | undefined;
  let v: ReturnType<typeof checkInput>;
  try {
    v = checkInput(opts.input);
  } catch (err) {
    // Every mistake of the form at once: the ad hoc fields' too.
    if (opts.input.adhoc && !opts.of && err instanceof AppError && err.fields)
      checkAdhoc(opts.input.adhoc, err.fields);
    throw err;
  }
  if (opts.input.adhoc && !opts.of) {
    const errors: FieldErrors = {};
    adhoc = checkAdhoc(opts.input.adhoc, errors);
    if (Object.keys(errors).length > 0) throw validationError(errors);
  }
  return opts.db.transaction(async (tx) => {
    const adhocNo = opts.of ? opts.of.adhocNo : adhoc ? (await maxAdhocNo(tx, communeId)) + 1 : 0;
    const series = { communeId, period: v.period.code, adhocNo };
    const draft = await findDraftOfPeriod(tx, series);
    if (draft) throw conflict(msg("reports.draft_exists", { period: v.period.code, version: draft.version }));
    const version = (await maxReportVersion(tx, series)) + 1;
    const id = await insertReportRow(tx, {
      communeId,
      period: v.period.code,
      version,
      adhocNo,
      title: opts.of ? opts.of.title : (adhoc?.title ?? null),
      date: v.date,
      dueDate: opts.of
        ? opts.of.dueDate
        : adhoc
          ? adhoc.dueDate
          : ((await planAt(tx, opts.plan, communeId, v.date)).reports.find((r) => r.period === v.period.code)
              ?.due ?? null),
      number: v.number,
      signedOn: v.signedOn,
      signerName: v.signerName,
      narrative: v.narrative,
      createdBy: opts.viewer.userId,
    });
    const row = (await findReportRow(tx, opts.viewer.scope, id))!;
    await kit.auditChange(tx, opts.actor, { action: "report.create", entityId: id, after: auditView(row) });
    return presentReport(row);
  });
}

export async function updateReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  input: ReportInput;
}): Promise<ReportItem> {
  assertCommuneRole(opts.viewer);
  return opts.db.transaction(async (tx) => {
    const { row: before, status } = await lockedReport(tx, opts.viewer, opts.id);
    if (status !== "draft") throw conflict(msg("reports.not_draft"));
    const askedPeriod = opts.input.period?.trim().toUpperCase();
    if (askedPeriod && askedPeriod !== before.period)
      throw validationError({ period: msg("reports.period_fixed", { period: before.period }) });
    const v = checkInput(
      {
        date: opts.input.date ?? before.date,
        number: opts.input.number ?? before.number ?? undefined,
        signedOn: opts.input.signedOn ?? before.signedOn,
        signerName: opts.input.signerName ?? before.signerName ?? undefined,
        narrative: { ...before.narrative, ...opts.input.narrative },
      },
      before.period,
    );
    await updateDraftRow(tx, opts.id, {
      date: v.date,
      number: v.number,
      signedOn: v.signedOn,
      signerName: v.signerName,
      narrative: v.narrative,
    });
    const row = (await findReportRow(tx, opts.viewer.scope, opts.id))!;
    await kit.auditChange(tx, opts.actor, {
      action: "report.update",
      entityId: opts.id,
      before: { ...auditView(before), narrative: before.narrative },
      after: { ...auditView(row), narrative: row.narrative },
    });
    return presentReport(row);
  });
}

export async function deleteReport(opts: kit.RecordWrite): Promise<void> {
  assertCommuneRole(opts.viewer);
  await opts.db.transaction(async (tx) => {
    const { row, status } = await lockedReport(tx, opts.viewer, opts.id);
    if (status !== "draft") throw conflict(msg("reports.not_draft_delete"));
    await deleteDraftRow(tx, opts.id);
    await kit.auditChange(tx, opts.actor, {
      action: "report.delete",
      entityId: opts.id,
      before: auditView(row),
    });
  });
}

const periodOf = (row: ReportRow): Period => parsePeriod(row.period)!;

/**
 * The plan a report's figures answer to: the plan in force on its reference date — the caller's
 * (today's) plan when it is that year's, else the commune's plan of that year — so a 2026 report
 * written in January 2027 keeps the 2026 targets and due dates.
 */
async function planAt(db: Db, plan: Plan, communeId: number, date: string): Promise<Plan> {
  return plan.year === Number(date.slice(0, 4)) ? plan : planFor(db, communeId, date);
}

/** A report of the viewer's scope (404 otherwise), locked for a change of state, with its status now. */
async function lockedReport(
  tx: Db,
  viewer: Viewer,
  id: number,
): Promise<{ row: ReportRow; status: ReportStatus }> {
  const row = await findReportRow(tx, viewer.scope, id);
  if (!row) throw notFound();
  const locked = await lockReportRow(tx, id);
  return { row, status: locked?.status ?? row.status };
}

/** A report's model and indicator table computed from the data as it stands now, in one language. */
async function computeReportModel(db: Db, plan: Plan, row: ReportRow, lang: Lang) {
  return buildReportModel({
    db,
    communeId: row.communeId,
    plan: await planAt(db, plan, row.communeId, row.date),
    period: periodOf(row),
    date: row.date,
    narrative: row.narrative,
    number: row.number,
    signedOn: row.signedOn,
    signerName: row.signerName,
    title: row.title,
    lang,
    version: row.version,
  });
}

/** The report as it stands: a draft computed from today's data, a submitted one from its frozen snapshot. */
export async function reportModelOf(opts: {
  db: Db;
  viewer: Viewer;
  plan: Plan;
  id: number;
  lang: Lang;
}): Promise<{ report: ReportItem; model: ReportModel; table: IndicatorTable; frozen: boolean }> {
  const row = await findReportRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  if (row.status !== "draft") {
    const s = (await findSnapshot(opts.db, row.id))!;
    return {
      report: presentReport(row),
      model: s.snapshot as ReportModel,
      table: s.figures as IndicatorTable,
      frozen: true,
    };
  }
  const { model, table } = await computeReportModel(opts.db, opts.plan, row, opts.lang);
  // Every page of a draft's files says so ("DỰ THẢO"); the submitted files never do.
  return { report: presentReport(row), model: { ...model, draft: true }, table, frozen: false };
}

export const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Submits a draft (SPEC §6): computes it one last time, generates the three files, and stores them
 * with the model and the indicator table — from then on the report never changes. Earlier submitted
 * versions of the period become superseded.
 */
export async function submitReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  plan: Plan;
  id: number;
  now?: Date;
}): Promise<ReportItem> {
  assertCommuneRole(opts.viewer);
  const now = opts.now ?? clockNow();
  return opts.db.transaction(async (tx) => {
    const { row, status } = await lockedReport(tx, opts.viewer, opts.id);
    if (status !== "draft")
      throw conflict(msg("reports.already_submitted", { period: row.period, version: row.version }));
    const missing: FieldErrors = {};
    if (!row.narrative.difficulties) missing.difficulties = msg("reports.narrative_required");
    if (!row.narrative.nextSteps) missing.nextSteps = msg("reports.narrative_required");
    if (Object.keys(missing).length > 0) throw validationError(missing);
    // The official document is in Vietnamese, whatever the officer's interface language.
    const { model, table } = await computeReportModel(tx, opts.plan, row, "vi");
    const files = [];
    for (const format of REPORT_FORMATS) {
      const content = await renderReport(model, format);
      files.push({ communeId: row.communeId, reportId: row.id, format, content, sha256: sha256Of(content) });
    }
    await markSubmitted(tx, row.id, {
      snapshot: model,
      figures: table,
      submittedBy: opts.viewer.userId,
      submittedAt: now,
      submittedOn: todayInVietnam(now),
    });
    await insertReportFiles(tx, files);
    const superseded = await supersedeOthers(tx, seriesOf(row), row.id);
    const after = (await findReportRow(tx, opts.viewer.scope, row.id))!;
    await recordAudit(tx, opts.actor, {
      action: "report.submit",
      entity: "report",
      entityId: row.id,
      before: auditView(row),
      after: {
        ...auditView(after),
        files: files.map((f) => ({ format: f.format, sha256: f.sha256 })),
        superseded,
      },
    });
    return presentReport(after);
  });
}

export async function approveReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  now?: Date;
}): Promise<ReportItem> {
  assertCommuneRole(opts.viewer);
  return opts.db.transaction(async (tx) => {
    const { row, status } = await lockedReport(tx, opts.viewer, opts.id);
    if (status === "draft") throw conflict(msg("reports.approve_draft"));
    if (status !== "submitted") throw conflict(msg("reports.approve_not_submitted"));
    await markApproved(tx, row.id, opts.viewer.userId, opts.now ?? clockNow());
    const after = (await findReportRow(tx, opts.viewer.scope, row.id))!;
    await kit.auditBeforeAfter(tx, opts.actor, "report.approve", row, after, auditView);
    return presentReport(after);
  });
}

/**
 * Sends a submitted report back to its writer with the leader's comment (issue 19): the version keeps
 * its frozen content and files, becomes "returned" with the comment, and a new version follows.
 */
export async function returnReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  comment: string | undefined;
  now?: Date;
}): Promise<ReportItem> {
  assertCommuneRole(opts.viewer);
  const comment = (opts.comment ?? "").normalize("NFC").replace(/\r\n/g, "\n").trim();
  if (!comment) throw validationError({ comment: msg("reports.return_comment_required") });
  if (comment.length > MAX_RETURN_COMMENT)
    throw validationError({ comment: msg("reports.too_long", { max: MAX_RETURN_COMMENT }) });
  return opts.db.transaction(async (tx) => {
    const { row, status } = await lockedReport(tx, opts.viewer, opts.id);
    if (status !== "submitted") throw conflict(msg("reports.return_not_submitted"));
    await markReturned(tx, row.id, { by: opts.viewer.userId, at: opts.now ?? clockNow(), comment });
    const after = (await findReportRow(tx, opts.viewer.scope, row.id))!;
    await kit.auditChange(tx, opts.actor, {
      action: "report.return",
      entityId: row.id,
      before: auditView(row),
      after: { ...auditView(after), comment },
    });
    return presentReport(after);
  });
}

/** What a viewer's home asks them to act on: reports waiting for approval, reports sent back. */
export function reportsToAct(items: ReportItem[]): { awaiting: ReportItem[]; returned: ReportItem[] } {
  const awaiting = items.filter((i) => i.status === "submitted");
  // Returned and not yet answered by a newer version that was sent.
  const returned = items.filter(
    (i) =>
      i.status === "returned" &&
      !items.some((j) => sameSeries(i, j) && j.version > i.version && j.status !== "draft"),
  );
  return { awaiting, returned };
}

/** The newest earlier version of the same report that the leader returned, with its comment. */
export const returnedBefore = (items: ReportItem[], r: ReportItem): ReportItem | undefined =>
  items
    .filter((i) => sameSeries(i, r) && i.version < r.version && i.status === "returned")
    .sort((a, b) => b.version - a.version)[0];

/** A new draft version of a submitted report's period, starting from its narrative (SPEC §6: superseded, never edited). */
export async function newReportVersion(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  plan: Plan;
  id: number;
}): Promise<ReportItem> {
  assertCommuneRole(opts.viewer);
  const row = await findReportRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  if (row.status === "draft") throw conflict(msg("reports.version_of_draft"));
  const period = periodOf(row);
  const today = todayInVietnam();
  return createReport({
    ...opts,
    of: row,
    input: {
      period: row.period,
      date: today > period.end ? period.end : today < period.start ? row.date : today,
      number: row.number ?? undefined,
      signedOn: today,
      signerName: row.signerName ?? undefined,
      narrative: row.narrative,
    },
  });
}

/**
 * A report's file: a submitted report's stored bytes (identical whatever changed since), a draft's
 * generated now from live data.
 */
export async function reportFile(opts: {
  db: Db;
  viewer: Viewer;
  plan: Plan;
  id: number;
  format: ReportFormat;
  lang: Lang;
}): Promise<{ content: Uint8Array; filename: string }> {
  const row = await findReportRow(opts.db, opts.viewer.scope, opts.id);
  if (!row) throw notFound();
  const filename = `bao-cao-${row.period.toLowerCase()}-v${row.version}.${opts.format}`;
  if (row.status !== "draft") {
    const file = await findReportFile(opts.db, row.id, opts.format);
    if (!file) throw notFound();
    return { content: file.content, filename };
  }
  const { model } = await reportModelOf(opts);
  return { content: await renderReport(model, opts.format), filename: `du-thao-${filename}` };
}
