/**
 * The province report's life (issue 18.3): a draft names a period and the reference date of its
 * figures and is computed live from every commune; submitting freezes it — the report's content
 * (the ReportModel the DOCX, XLSX and PDF are laid out from, the map's drawing included) and the
 * province's figures are stored in the row, which a trigger then refuses to change (migration
 * 0022). Only the installation's scope (the `province` role) reaches any of it; others get 404.
 */
import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { conflict, msg, notFound } from "../../lib/errors.ts";
import type { Lang } from "../../lib/i18n/index.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Viewer } from "../auth/viewer.ts";
import { parsePeriod } from "../indicators/period.ts";
import type { IndicatorCode } from "../indicators/plan.ts";
import type { ReportModel } from "../reports/model.ts";
import { type ReportFormat, renderReport } from "../reports/render.ts";
import { checkInput } from "../reports/service.ts";
import { buildProvinceReportModel } from "./report-build.ts";
import {
  findProvinceReportRow,
  findProvinceReportSnapshot,
  insertProvinceReportRow,
  listProvinceReportRows,
  lockProvinceReportRow,
  markProvinceReportSubmitted,
  type ProvinceReportRow,
} from "./report-repo.ts";
import {
  loadProvinceFigures,
  type ProvinceFigures,
  provinceTotal,
  rankCommunes,
  requireProvinceViewer,
} from "./service.ts";

/** A province report as pages, the API and the CLI show it. */
export type ProvinceReportItem = {
  id: number;
  period: string;
  status: "draft" | "submitted";
  date: string;
  number: string | null;
  signed_on: string;
  signer_name: string | null;
  created_by: string | null;
  created_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
};

export function presentProvinceReport(row: ProvinceReportRow): ProvinceReportItem {
  return {
    id: row.id,
    period: row.period,
    status: row.status,
    date: row.date,
    number: row.number,
    signed_on: row.signedOn,
    signer_name: row.signerName,
    created_by: row.createdByName,
    created_at: row.createdAt.toISOString(),
    submitted_by: row.submittedByName,
    submitted_at: row.submittedAt?.toISOString() ?? null,
  };
}

/** The province's figures a report states: its own on each indicator, and each commune's with its rank. */
export type ProvinceReportFigures = {
  date: string;
  period: string;
  indicators: {
    code: IndicatorCode;
    numerator?: number | undefined;
    denominator?: number | undefined;
    value: number | null;
    target: number;
    met: boolean;
    communes: {
      code: string;
      name: string;
      rank: number | null;
      numerator: number | null;
      denominator: number | null;
      value: number | null;
      met: boolean;
    }[];
  }[];
};

export function provinceReportFigures(figures: ProvinceFigures): ProvinceReportFigures {
  return {
    date: figures.date,
    period: figures.period,
    indicators: figures.plan.indicators.map((p) => ({
      code: p.code,
      ...provinceTotal(figures, p.code),
      target: p.target,
      communes: rankCommunes(figures, p.code).map((r) => ({
        code: r.commune.code,
        name: r.commune.name,
        rank: r.rank,
        numerator: r.noData ? null : (r.indicator.numerator ?? null),
        denominator: r.noData ? null : (r.indicator.denominator ?? null),
        value: r.indicator.value,
        met: r.indicator.met,
      })),
    })),
  };
}

export type ProvinceReportInput = {
  period?: string | undefined;
  date?: string | undefined;
  number?: string | undefined;
  signedOn?: string | undefined;
  signerName?: string | undefined;
};

const auditView = (r: ProvinceReportItem) => ({
  period: r.period,
  status: r.status,
  date: r.date,
  number: r.number,
  signedOn: r.signed_on,
  signerName: r.signer_name,
});

export async function listProvinceReports(opts: { db: Db; viewer: Viewer }): Promise<ProvinceReportItem[]> {
  requireProvinceViewer(opts.viewer);
  return (await listProvinceReportRows(opts.db)).map(presentProvinceReport);
}

export async function getProvinceReport(opts: { db: Db; viewer: Viewer; id: number }) {
  requireProvinceViewer(opts.viewer);
  const row = await findProvinceReportRow(opts.db, opts.id);
  if (!row) throw notFound();
  return presentProvinceReport(row);
}

/** A new draft; a bad period or date is refused with its message and nothing is written. */
export async function createProvinceReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  input: ProvinceReportInput;
}): Promise<ProvinceReportItem> {
  requireProvinceViewer(opts.viewer);
  const v = checkInput(opts.input);
  return opts.db.transaction(async (tx) => {
    const id = await insertProvinceReportRow(tx, {
      period: v.period.code,
      date: v.date,
      number: v.number,
      signedOn: v.signedOn,
      signerName: v.signerName,
      createdBy: opts.viewer.userId,
    });
    const item = presentProvinceReport((await findProvinceReportRow(tx, id))!);
    await recordAudit(tx, opts.actor, {
      communeId: null,
      action: "province_report.create",
      entity: "province_report",
      entityId: id,
      after: auditView(item),
    });
    return item;
  });
}

/** The model of a report: a draft's computed now (marked "DỰ THẢO"), a submitted one's as it was frozen. */
export async function provinceReportModel(opts: {
  db: Db;
  viewer: Viewer;
  id: number;
  lang: Lang;
}): Promise<{ report: ProvinceReportItem; model: ReportModel; figures: ProvinceReportFigures }> {
  const report = await getProvinceReport(opts);
  if (report.status === "submitted") {
    const frozen = (await findProvinceReportSnapshot(opts.db, report.id))!;
    return {
      report,
      model: frozen.snapshot as ReportModel,
      figures: frozen.figures as ProvinceReportFigures,
    };
  }
  const { model, figures } = await computeProvinceReport({ ...opts, report });
  return { report, model: { ...model, draft: true }, figures };
}

async function computeProvinceReport(opts: {
  db: Db;
  viewer: Viewer;
  report: ProvinceReportItem;
  lang: Lang;
}): Promise<{ model: ReportModel; figures: ProvinceReportFigures }> {
  const { report } = opts;
  const period = parsePeriod(report.period)!;
  const figures = await loadProvinceFigures({ db: opts.db, viewer: opts.viewer, date: report.date, period });
  const model = buildProvinceReportModel({
    figures,
    period,
    number: report.number,
    signedOn: report.signed_on,
    signerName: report.signer_name,
    lang: opts.lang,
  });
  return { model, figures: provinceReportFigures(figures) };
}

/** Submits a draft: its content and figures as they are now are stored, and stay so. */
export async function submitProvinceReport(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  id: number;
  lang: Lang;
}): Promise<ProvinceReportItem> {
  requireProvinceViewer(opts.viewer);
  return opts.db.transaction(async (tx) => {
    const locked = await lockProvinceReportRow(tx, opts.id);
    if (!locked) throw notFound();
    if (locked.status !== "draft") throw conflict(msg("preport.already_submitted"));
    const report = presentProvinceReport((await findProvinceReportRow(tx, opts.id))!);
    const { model, figures } = await computeProvinceReport({
      db: tx,
      viewer: opts.viewer,
      report,
      lang: opts.lang,
    });
    await markProvinceReportSubmitted(tx, opts.id, {
      snapshot: model,
      figures,
      submittedBy: opts.viewer.userId,
    });
    const after = presentProvinceReport((await findProvinceReportRow(tx, opts.id))!);
    await recordAudit(tx, opts.actor, {
      communeId: null,
      action: "province_report.submit",
      entity: "province_report",
      entityId: opts.id,
      before: auditView(report),
      after: auditView(after),
    });
    return after;
  });
}

/** One of the report's files, laid out by the commune report's writers. */
export async function renderProvinceReport(opts: {
  db: Db;
  viewer: Viewer;
  id: number;
  lang: Lang;
  format: ReportFormat;
}): Promise<{ report: ProvinceReportItem; body: Buffer }> {
  const { report, model } = await provinceReportModel(opts);
  return { report, body: await renderReport(model, opts.format) };
}

/**
 * A report's file computed from the current data without saving anything (`bdhvs province report`),
 * as a draft of that period would be.
 */
export async function renderProvinceReportNow(opts: {
  db: Db;
  viewer: Viewer;
  input: ProvinceReportInput;
  lang: Lang;
  format: ReportFormat;
}): Promise<Buffer> {
  requireProvinceViewer(opts.viewer);
  const v = checkInput({ ...opts.input, signedOn: opts.input.signedOn ?? todayInVietnam() });
  const { model } = await computeProvinceReport({
    db: opts.db,
    viewer: opts.viewer,
    lang: opts.lang,
    report: {
      id: 0,
      period: v.period.code,
      status: "draft",
      date: v.date,
      number: v.number,
      signed_on: v.signedOn,
      signer_name: v.signerName,
      created_by: null,
      created_at: "",
      submitted_by: null,
      submitted_at: null,
    },
  });
  return renderReport(model, opts.format);
}
