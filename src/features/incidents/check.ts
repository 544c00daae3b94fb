import { msg } from "../../lib/errors.ts";
import { type GetCell, type RowCheck, RowChecker } from "../../lib/row-checker.ts";
import {
  type IncidentSeverity,
  parseCivilDate,
  parseCode,
  parseIncidentSeverity,
  parseOptional,
  parseOptionalCode,
  parseText,
} from "../../lib/values.ts";

/** The columns of an incident (the data README's keys) and the headers an import file may give them. */
export const INCIDENT_COLUMNS = [
  { key: "code", aliases: ["Mã sự cố", "Mã", "Code"], required: true },
  { key: "date", aliases: ["Ngày", "Ngày xảy ra", "Date"], required: true },
  { key: "severity", aliases: ["Mức độ", "Severity"], required: true },
  { key: "kind", aliases: ["Loại", "Loại sự cố", "Kind"] },
  { key: "description", aliases: ["Mô tả", "Nội dung", "Description"], required: true },
  { key: "unit", aliases: ["Đơn vị", "Mã đơn vị", "Unit"] },
  { key: "resolved_date", aliases: ["Ngày khắc phục", "Ngày xử lý xong", "Resolved date"] },
] as const;

/** How an incident row's unit resolves: by code, through the importer's map or a form's lookup. */
export type IncidentRefs = { unit(code: string): { id: number } | undefined };

export type IncidentInput = {
  code: string;
  date: string;
  severity: IncidentSeverity;
  kind: string | null;
  description: string;
  unitId: number | null;
  resolvedDate: string | null;
};

/**
 * Checks and normalizes one security incident given by column key — the same rules for an import
 * row, a form and the API (SPEC §4, §5). Neither date may be after `today`; the resolution date may
 * not be before the incident's date.
 */
export function checkIncidentRow(get: GetCell, refs: IncidentRefs, today: string): RowCheck<IncidentInput> {
  const c = new RowChecker();
  const code = c.take("code", parseCode(get("code")));
  const date = c.take("date", parseCivilDate(get("date"), { today, notFuture: true }));
  const severity = c.take("severity", parseIncidentSeverity(get("severity")));
  const kind = c.take("kind", parseText(get("kind"), { max: 100 }));
  const description = c.take("description", parseText(get("description"), { required: true, max: 2000 }));
  const unitCode = c.take("unit", parseOptionalCode(get("unit")));
  const unit = c.resolve("unit", unitCode, "import.unit_unknown", (code) => refs.unit(code));
  const resolved = c.take(
    "resolved_date",
    parseOptional(get("resolved_date"), (raw) => parseCivilDate(raw, { today, notFuture: true })),
  );
  if (resolved && date && resolved.date < date.date)
    c.fail("resolved_date", msg("incidents.resolved_before_date"));
  if (!c.ok) return { checker: c };
  return {
    checker: c,
    value: {
      code: code!,
      date: date!.date,
      severity: severity!,
      kind: kind || null,
      description: description!,
      unitId: unit?.id ?? null,
      resolvedDate: resolved?.date ?? null,
    },
  };
}
