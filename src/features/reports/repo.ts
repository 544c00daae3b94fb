import { and, asc, desc, eq, max, ne, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { type ReportNarrative, type ReportStatus, reportFiles, reports, users } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import { now } from "../../lib/clock.ts";
import type { Scope } from "../auth/policy.ts";

export type ReportFormat = "docx" | "xlsx" | "pdf";

export type ReportRow = {
  id: number;
  communeId: number;
  period: string;
  version: number;
  status: ReportStatus;
  date: string;
  dueDate: string | null;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  narrative: ReportNarrative;
  submittedAt: Date | null;
  submittedOn: string | null;
  approvedAt: Date | null;
  returnedAt: Date | null;
  returnComment: string | null;
  adhocNo: number;
  title: string | null;
  createdAt: Date;
  createdByName: string | null;
  submittedByName: string | null;
  approvedByName: string | null;
  returnedByName: string | null;
};

const creator = alias(users, "creator");
const submitter = alias(users, "submitter");
const approver = alias(users, "approver");
const returner = alias(users, "returner");

const columns = {
  ...rowKit.columnsOf(reports, "id", "communeId", "period", "version", "status", "date", "dueDate", "number"),
  ...rowKit.columnsOf(reports, "signedOn", "signerName", "narrative", "submittedAt", "submittedOn"),
  ...rowKit.columnsOf(reports, "approvedAt", "returnedAt", "returnComment", "adhocNo", "title", "createdAt"),
  createdByName: creator.displayName,
  submittedByName: submitter.displayName,
  approvedByName: approver.displayName,
  returnedByName: returner.displayName,
};

/** Reports are commune records: a commune role sees its commune's, the province every commune's. */
const scoped = (scope: Scope) => scopeWhere(scope, { commune: reports.communeId });

function selectReports(db: Db, where: SQL | undefined) {
  return db
    .select(columns)
    .from(reports)
    .leftJoin(creator, eq(creator.id, reports.createdBy))
    .leftJoin(submitter, eq(submitter.id, reports.submittedBy))
    .leftJoin(approver, eq(approver.id, reports.approvedBy))
    .leftJoin(returner, eq(returner.id, reports.returnedBy))
    .where(where);
}

export async function listReportRows(db: Db, scope: Scope): Promise<ReportRow[]> {
  return selectReports(db, scoped(scope)).orderBy(
    desc(reports.date),
    asc(reports.period),
    desc(reports.version),
  ) as Promise<ReportRow[]>;
}

export async function findReportRow(db: Db, scope: Scope, id: number): Promise<ReportRow | undefined> {
  const [row] = await selectReports(db, and(scoped(scope), eq(reports.id, id)));
  return row as ReportRow | undefined;
}

/** The row locked for a state change (submit, approve, new version), so two requests cannot both pass. */
export async function lockReportRow(db: Db, id: number): Promise<{ status: ReportStatus } | undefined> {
  const result = (await db.execute(
    sql`select status from reports where id = ${id} for update`,
  )) as unknown as {
    rows: { status: ReportStatus }[];
  };
  return result.rows[0];
}

export async function findSnapshot(
  db: Db,
  id: number,
): Promise<{ snapshot: unknown; figures: unknown } | undefined> {
  const [row] = await db
    .select({ snapshot: reports.snapshot, figures: reports.figures })
    .from(reports)
    .where(eq(reports.id, id));
  return row;
}

/** One report's versions: a scheduled period (`adhocNo` 0), or one ad hoc report. */
export type ReportSeries = { communeId: number; period: string; adhocNo: number };

const inSeries = (s: ReportSeries) =>
  and(eq(reports.communeId, s.communeId), eq(reports.period, s.period), eq(reports.adhocNo, s.adhocNo));

export async function maxReportVersion(db: Db, series: ReportSeries): Promise<number> {
  const [row] = await db
    .select({ v: max(reports.version) })
    .from(reports)
    .where(inSeries(series));
  return row?.v ?? 0;
}

/** The commune's last ad hoc report number (0: none yet). */
export async function maxAdhocNo(db: Db, communeId: number): Promise<number> {
  const [row] = await db
    .select({ n: max(reports.adhocNo) })
    .from(reports)
    .where(eq(reports.communeId, communeId));
  return row?.n ?? 0;
}

/** Another version of the same report still in draft (one draft at a time). */
export async function findDraftOfPeriod(
  db: Db,
  series: ReportSeries,
): Promise<{ id: number; version: number } | undefined> {
  const [row] = await db
    .select({ id: reports.id, version: reports.version })
    .from(reports)
    .where(and(inSeries(series), eq(reports.status, "draft")));
  return row;
}

export type NewReport = {
  communeId: number;
  period: string;
  version: number;
  date: string;
  dueDate: string | null;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  narrative: ReportNarrative;
  createdBy: number | null;
  adhocNo: number;
  title: string | null;
};

export async function insertReportRow(db: Db, values: NewReport): Promise<number> {
  return rowKit.insertRowId(db, reports, values);
}

export async function updateDraftRow(
  db: Db,
  id: number,
  values: Pick<NewReport, "date" | "number" | "signedOn" | "signerName" | "narrative">,
): Promise<void> {
  await db
    .update(reports)
    .set({ ...values, updatedAt: now() })
    .where(and(eq(reports.id, id), eq(reports.status, "draft")));
}

export async function deleteDraftRow(db: Db, id: number): Promise<void> {
  await db.delete(reports).where(and(eq(reports.id, id), eq(reports.status, "draft")));
}

export async function markSubmitted(
  db: Db,
  id: number,
  values: {
    snapshot: unknown;
    figures: unknown;
    submittedBy: number | null;
    submittedAt: Date;
    submittedOn: string;
  },
): Promise<void> {
  await db
    .update(reports)
    .set({ ...values, status: "submitted", updatedAt: values.submittedAt })
    .where(and(eq(reports.id, id), eq(reports.status, "draft")));
}

export async function markApproved(db: Db, id: number, by: number | null, at: Date): Promise<void> {
  await db
    .update(reports)
    .set({ status: "approved", approvedBy: by, approvedAt: at, updatedAt: at })
    .where(and(eq(reports.id, id), eq(reports.status, "submitted")));
}

export async function markReturned(
  db: Db,
  id: number,
  values: { by: number | null; at: Date; comment: string },
): Promise<void> {
  await db
    .update(reports)
    .set({
      status: "returned",
      returnedBy: values.by,
      returnedAt: values.at,
      returnComment: values.comment,
      updatedAt: values.at,
    })
    .where(and(eq(reports.id, id), eq(reports.status, "submitted")));
}

/** Every earlier submitted or approved version of the report becomes superseded (a returned one stays returned). */
export async function supersedeOthers(db: Db, series: ReportSeries, keepId: number): Promise<number[]> {
  const rows = await db
    .update(reports)
    .set({ status: "superseded", updatedAt: now() })
    .where(and(inSeries(series), ne(reports.id, keepId), sql`${reports.status} in ('submitted', 'approved')`))
    .returning({ id: reports.id });
  return rows.map((r) => r.id);
}

export async function insertReportFiles(
  db: Db,
  rows: { communeId: number; reportId: number; format: ReportFormat; content: Uint8Array; sha256: string }[],
): Promise<void> {
  if (rows.length > 0) await db.insert(reportFiles).values(rows);
}

export async function findReportFile(
  db: Db,
  reportId: number,
  format: ReportFormat,
): Promise<{ content: Uint8Array; sha256: string } | undefined> {
  return rowKit.findRowBy(
    db,
    reportFiles,
    { content: reportFiles.content, sha256: reportFiles.sha256 },
    { reportId, format },
  );
}

export async function listReportFileInfo(
  db: Db,
  reportId: number,
): Promise<{ format: ReportFormat; size: number; sha256: string }[]> {
  const result = (await db.execute(
    sql`select format, octet_length(content)::int as size, sha256 from report_files where report_id = ${reportId} order by format`,
  )) as unknown as { rows: { format: ReportFormat; size: number; sha256: string }[] };
  return result.rows;
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export type ActivitySummary = {
  type: string;
  activities: number;
  sessions: number;
  attendees: number;
};

/**
 * Activities held in a window, by type: a class counts by its sessions' dates (or its own date when it
 * has no session, SPEC §3); attendees are distinct residents marked present at those sessions.
 */
export function activitySummary(
  db: Db,
  communeId: number,
  w: { from: string; to: string },
): Promise<ActivitySummary[]> {
  return rows(
    db,
    sql`
    with held as (
      select a.id, a.type, s.id as session_id
      from activities a
      left join activity_sessions s on s.activity_id = a.id
      where a.commune_id = ${communeId}
        and (case when s.id is null then a.date else s.date end) between ${w.from}::date and ${w.to}::date
    )
    select h.type,
      count(distinct h.id)::int as activities,
      count(distinct h.session_id)::int as sessions,
      (select count(distinct at.resident_id)::int from attendance at
        where at.present and at.session_id in (select session_id from held h2 where h2.type = h.type)) as attendees
    from held h group by h.type order by h.type`,
  );
}

export type VisitSummary = { visits: number; households: number; support: Record<string, number> };

/** Door-to-door visits in a window: how many, how many households, and each kind of support given. */
export async function visitSummary(
  db: Db,
  communeId: number,
  w: { from: string; to: string },
): Promise<VisitSummary> {
  const [head] = await rows<{ visits: number; households: number }>(
    db,
    sql`select count(*)::int as visits, count(distinct household_id)::int as households from visits
        where commune_id = ${communeId} and date between ${w.from}::date and ${w.to}::date`,
  );
  const support = await rows<{ kind: string; n: number }>(
    db,
    sql`select k as kind, count(*)::int as n from visits v, unnest(v.support) as k
        where v.commune_id = ${communeId} and v.date between ${w.from}::date and ${w.to}::date
        group by k order by k`,
  );
  return {
    visits: head?.visits ?? 0,
    households: head?.households ?? 0,
    support: Object.fromEntries(support.map((s) => [s.kind, s.n])),
  };
}
