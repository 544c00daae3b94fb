import { ASSESSMENT_LEVELS, AUDIENCES } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { forbidden, msg, notFound, validationError } from "../../lib/errors.ts";
import { checkerFieldErrors, RowChecker } from "../../lib/row-checker.ts";
import { foldVietnamese } from "../../lib/text.ts";
import { type Cell, parseCivilDate, parseText } from "../../lib/values.ts";
import { findResidentRow } from "../residents/repo.ts";
import { ageAt } from "../residents/service.ts";
import * as kit from "../service-kit.ts";
import { ASSESSMENT_DOMAINS } from "./domains.ts";
import {
  type AssessmentLevel,
  type AssessmentListRow,
  type Audience,
  findAssessmentRow,
  insertAssessmentRow,
  listAssessmentRows,
} from "./repo.ts";

/**
 * A resident's self-assessment as the API and pages show it: a level per domain. It is not a
 * certification and never counts toward the indicators (SPEC §4.1).
 */
export type AssessmentItem = {
  id: number;
  resident_id: number;
  full_name: string;
  village: string;
  date: string;
  audience: Audience;
  levels: Record<string, AssessmentLevel>;
  note: string | null;
  recorded_by: string | null;
};

export function presentAssessment(row: AssessmentListRow): AssessmentItem {
  return {
    id: row.id,
    resident_id: row.residentId,
    full_name: row.residentName,
    village: row.villageCode,
    date: row.date,
    audience: row.audience,
    levels: row.levels,
    note: row.note,
    recorded_by: row.recordedByName,
  };
}

export type AssessmentQuery = {
  village?: string | undefined;
  q?: string | undefined;
  resident?: number | undefined;
};

export async function listAssessments(opts: kit.ListRead & { query: AssessmentQuery }) {
  const villageId = await kit.filterVillageId(opts.db, opts.viewer, opts.query.village);
  if (villageId === null) return kit.emptyPage(opts);
  const q = opts.query.q?.trim();
  const filter = { villageId, residentId: opts.query.resident, q: q ? foldVietnamese(q) : undefined };
  return kit.scopedPage(opts, listAssessmentRows, filter, presentAssessment);
}

/** The input of an assessment: audience, date, note, and `levels` (domain code → level code). */
export type AssessmentInput = {
  audience?: Cell;
  date?: Cell;
  note?: Cell;
  levels?: Record<string, Cell>;
};

/**
 * Records a resident's self-assessment (SPEC §4.1) for a resident in the viewer's scope (404 outside
 * it): an audience group, a date not after today, a level for each of the framework's domains.
 */
export async function recordAssessment(
  opts: kit.WriteOpts & { residentId: number; input: AssessmentInput },
): Promise<AssessmentItem> {
  return opts.db.transaction(async (tx) => {
    const resident = await findResidentRow(tx, opts.viewer.scope, opts.residentId);
    if (!resident) throw notFound();
    if (opts.viewer.scope.kind === "installation") throw forbidden();
    const c = new RowChecker();
    const audienceRaw = typeof opts.input.audience === "string" ? opts.input.audience.trim() : "";
    const audience = AUDIENCES.find((a) => a === audienceRaw);
    if (!audience) c.fail("audience", msg("assessments.audience_required"));
    const date = c.take(
      "date",
      parseCivilDate(opts.input.date ?? null, { today: todayInVietnam(), notFuture: true }),
    );
    const levels: Record<string, AssessmentLevel> = {};
    for (const d of ASSESSMENT_DOMAINS) {
      const raw = opts.input.levels?.[d.code];
      const level = ASSESSMENT_LEVELS.find((l) => l === (typeof raw === "string" ? raw.trim() : ""));
      if (!level) c.fail(`level_${d.code}`, msg("assessments.level_required"));
      else levels[d.code] = level;
    }
    const unknown = Object.keys(opts.input.levels ?? {}).filter(
      (k) => !ASSESSMENT_DOMAINS.some((d) => d.code === k),
    );
    if (unknown.length > 0)
      c.fail("levels", msg("assessments.domain_unknown", { codes: unknown.join(", ") }));
    const note = c.take("note", parseText(opts.input.note ?? null, { max: 2000 }));
    if (!c.ok) throw validationError(checkerFieldErrors(c.errors));
    const values = {
      communeId: resident.communeId,
      residentId: resident.id,
      date: date!.date,
      audience: audience!,
      levels,
      note: note || null,
      recordedBy: opts.viewer.userId,
    };
    const id = await insertAssessmentRow(tx, values);
    await kit.auditChange(tx, opts.actor, {
      action: "assessment.create",
      entityId: id,
      after: values,
      communeId: resident.communeId,
    });
    return presentAssessment((await findAssessmentRow(tx, opts.viewer.scope, id))!);
  });
}

/** The resident an assessments page is about: name, age, household only (404 outside the viewer's scope). */
export async function getAssessedResident(opts: kit.RecordRead) {
  const r = await findResidentRow(opts.db, opts.viewer.scope, opts.id);
  if (!r) throw notFound();
  return {
    id: r.id,
    full_name: r.fullName,
    age: ageAt(r.birthDate, todayInVietnam()),
    household: r.householdCode,
    village_name: r.villageName,
    groups: r.groups,
  };
}
