/**
 * One entry for the three report files. Each writer lays out the same `ReportModel`, so the files
 * cannot disagree with each other or with the indicators they were computed from.
 */
import { renderDocx } from "./docx.ts";
import type { ReportModel } from "./model.ts";
import { renderPdf } from "./pdf.ts";
import { renderXlsx } from "./xlsx.ts";

export const REPORT_FORMATS = ["docx", "xlsx", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

export const REPORT_EXTENSIONS: Record<ReportFormat, string> = { docx: ".docx", xlsx: ".xlsx", pdf: ".pdf" };

export function isReportFormat(x: unknown): x is ReportFormat {
  return typeof x === "string" && (REPORT_FORMATS as readonly string[]).includes(x);
}

export async function renderReport(model: ReportModel, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case "docx":
      return renderDocx(model);
    case "xlsx":
      return renderXlsx(model);
    case "pdf":
      return renderPdf(model);
  }
}
