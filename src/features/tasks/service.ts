import type { Db } from "../../db/client.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, type FieldErrors, msg, notFound, validationError } from "../../lib/errors.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import type { Role } from "../auth/policy.ts";
import { type Viewer, viewerCan } from "../auth/viewer.ts";
import type { Period } from "../indicators/period.ts";
import type { Plan } from "../indicators/plan.ts";
import { planFor } from "../plans/service.ts";
import type { RecordWrite } from "../service-kit.ts";
import { checkEvidence, type EvidenceUpload } from "./evidence.ts";
import {
  type EvidenceMeta,
  findEvidence,
  insertEvidenceRows,
  insertProgressRow,
  listAssigneePlaces,
  listEvidenceOf,
  listProgressRows,
  type ProgressRow,
} from "./repo.ts";
import { daysLate, dueDates } from "./schedule.ts";
import { MAX_RESULT_CHARS, type PlanTask, TASK_STATUSES, type TaskStatus } from "./schema.ts";

/** A unit of the registry or a village carrying a task. `key` ("unit:3", "village:7") names it in forms. */
export type Assignee = { kind: "unit" | "village"; id: number; code: string; name: string; key: string };

/** One due date of a task for one assignee (for a continuous task, one open-ended line, `due` null). */
export type Occurrence = {
  due: string | null;
  /** The latest entry's status, or `open` when nothing was recorded. */
  status: TaskStatus | "open";
  /** The day it was first recorded done (after its last setback), when it is done. */
  doneOn: string | null;
  onTime: boolean | null;
  overdue: boolean;
  daysLate: number;
};

export type ProgressEntry = Omit<ProgressRow, "createdAt"> & {
  createdAt: string;
  evidence: (EvidenceMeta & { url: string })[];
};

export type TaskAssignment = {
  assignee: Assignee;
  occurrences: Occurrence[];
  /** The first due date not done yet (the one to work on), or null when all are done. */
  current: Occurrence | null;
  canRecord: boolean;
  entries: ProgressEntry[];
};

export type TaskView = PlanTask & {
  assignments: TaskAssignment[];
  /** Unit codes of the plan that the registry does not hold (nobody can record for them yet). */
  missingUnits: string[];
};

/** Roles that read every task of their commune; the others read the tasks their unit or villages carry. */
const COMMUNE_WIDE: readonly Role[] = ["admin", "coordinator", "leader", "police", "economy", "province"];
/** Roles that may record progress for any assignee (e.g. from a unit's paper report). */
const RECORDS_FOR_ANY: readonly Role[] = ["admin", "coordinator"];

function ownsAssignee(viewer: Viewer, a: Assignee): boolean {
  if (a.kind === "unit") return viewer.unitId === a.id;
  return viewer.role === "village_lead" && viewer.villageIds.includes(a.id);
}

function canRecordFor(viewer: Viewer, a: Assignee): boolean {
  return (
    viewerCan(viewer, "task.report") && (RECORDS_FOR_ANY.includes(viewer.role) || ownsAssignee(viewer, a))
  );
}

const sameAssignee = (row: { unitId: number | null; villageId: number | null }, a: Assignee) =>
  a.kind === "unit" ? row.unitId === a.id : row.villageId === a.id;

/** The state of each due date from the entries of one assignee (oldest first), at `date`. Pure. */
export function occurrencesOf(
  task: PlanTask,
  plan: Pick<Plan, "startDate" | "endDate">,
  rows: Pick<ProgressRow, "dueDate" | "status" | "reportedOn">[],
  date: string,
): Occurrence[] {
  const dues: (string | null)[] =
    task.schedule.kind === "continuous" ? [null] : dueDates(task.schedule, plan);
  return dues.map((due) => {
    const mine = rows.filter((r) => r.dueDate === due && r.reportedOn <= date);
    const last = mine.at(-1);
    const status = last?.status ?? "open";
    let doneOn: string | null = null;
    if (status === "done") {
      const setback = mine.findLastIndex((r) => r.status !== "done");
      doneOn = mine[setback + 1]!.reportedOn;
    }
    const overdue = due !== null && due < date && status !== "done";
    return {
      due,
      status,
      doneOn,
      onTime: doneOn === null || due === null ? null : doneOn <= due,
      overdue,
      daysLate: overdue ? daysLate(due, date) : 0,
    };
  });
}

async function assigneesOf(db: Db, communeId: number) {
  const places = await listAssigneePlaces(db, communeId);
  const unitByCode = new Map(places.units.map((u) => [u.code, u]));
  return (task: PlanTask) => {
    const list: Assignee[] = [];
    const missingUnits: string[] = [];
    for (const code of task.units) {
      const u = unitByCode.get(code);
      if (u) list.push({ kind: "unit", id: u.id, code: u.code, name: u.name, key: `unit:${u.id}` });
      else missingUnits.push(code);
    }
    if (task.villages)
      for (const v of places.villages)
        list.push({ kind: "village", id: v.id, code: v.code, name: v.name, key: `village:${v.id}` });
    return { list, missingUnits };
  };
}

/**
 * The plan's tasks with their state for one commune at `date` (default today in Vietnam): every
 * assignee for a viewer of the whole commune, else only those the viewer's unit or villages are;
 * tasks the viewer has nothing of are left out.
 */
export async function listTasks(opts: {
  db: Db;
  viewer: Viewer;
  date?: string;
  code?: string;
  withEntries?: boolean;
}): Promise<{ plan: Plan; tasks: TaskView[]; date: string }> {
  const { db, viewer } = opts;
  const date = opts.date ?? todayInVietnam();
  const plan = await planFor(db, viewer.communeId);
  const tasks = opts.code === undefined ? plan.tasks : plan.tasks.filter((t) => t.code === opts.code);
  const [resolve, rows] = await Promise.all([
    assigneesOf(db, viewer.communeId),
    listProgressRows(db, {
      communeId: viewer.communeId,
      planYear: plan.year,
      ...(opts.code ? { taskCode: opts.code } : {}),
    }),
  ]);
  const wide = COMMUNE_WIDE.includes(viewer.role);
  const evidence = opts.withEntries
    ? await listEvidenceOf(
        db,
        viewer.communeId,
        rows.map((r) => r.id),
      )
    : [];
  const views: TaskView[] = [];
  for (const task of tasks) {
    const { list, missingUnits } = resolve(task);
    const visible = list.filter((a) => wide || ownsAssignee(viewer, a));
    if (visible.length === 0 && !wide) continue;
    const taskRows = rows.filter((r) => r.taskCode === task.code);
    views.push({
      ...task,
      missingUnits,
      assignments: visible.map((assignee) => {
        const mine = taskRows.filter((r) => sameAssignee(r, assignee));
        const occurrences = occurrencesOf(task, plan, mine, date);
        return {
          assignee,
          occurrences,
          current: occurrences.find((o) => o.status !== "done") ?? null,
          canRecord: canRecordFor(viewer, assignee),
          entries: opts.withEntries
            ? mine.map((r) => ({
                ...r,
                createdAt: r.createdAt.toISOString(),
                evidence: evidence
                  .filter((e) => e.progressId === r.id)
                  .map((e) => ({ ...e, url: `/tasks/evidence/${e.id}` })),
              }))
            : [],
        };
      }),
    });
  }
  return { plan, tasks: views, date };
}

/** One task with every entry and its evidence list; 404 when the plan has no such task or the viewer none of it. */
export async function getTask(opts: { db: Db; viewer: Viewer; code: string; date?: string }) {
  const { plan, tasks, date } = await listTasks({ ...opts, withEntries: true });
  const task = tasks[0];
  if (!task) throw notFound();
  return { plan, task, date };
}

export type OverdueItem = {
  code: string;
  title: string;
  responsible: string;
  assignee: Assignee;
  due: string;
  daysLate: number;
  status: TaskStatus | "open";
};

/** Every due date passed and not done, at `date` (default today), most late first. */
export async function listOverdue(opts: { db: Db; viewer: Viewer; date?: string }) {
  const { tasks, date } = await listTasks(opts);
  const items: OverdueItem[] = tasks.flatMap((t) =>
    t.assignments.flatMap((a) =>
      a.occurrences
        .filter((o) => o.overdue)
        .map((o) => ({
          code: t.code,
          title: t.title,
          responsible: t.responsible,
          assignee: a.assignee,
          due: o.due!,
          daysLate: o.daysLate,
          status: o.status,
        })),
    ),
  );
  items.sort((a, b) => b.daysLate - a.daysLate || a.code.localeCompare(b.code, "vi", { numeric: true }));
  return { items, date };
}

export type ProgressInput = { assignee?: string; due?: string; status?: string; result?: string };

/**
 * Records progress of a task for one assignee and due date, with its evidence files (checked by their
 * content), in one transaction with its audit event. Bad input changes nothing.
 */
export async function recordProgress(opts: {
  db: Db;
  viewer: Viewer;
  actor: Actor;
  code: string;
  input: ProgressInput;
  files: EvidenceUpload[];
}): Promise<{ id: number; task: string; assignee: Assignee; due: string | null; status: TaskStatus }> {
  const { db, viewer, input } = opts;
  const today = todayInVietnam();
  const { plan, task } = await getTask({ db, viewer, code: opts.code, date: today });
  const recordable = task.assignments.filter((a) => a.canRecord);
  if (recordable.length === 0) throw new AppError("forbidden", { message: msg("tasks.not_yours") });
  const errors: FieldErrors = {};
  const key = input.assignee?.trim() ?? "";
  const assignment =
    key === "" && recordable.length === 1 ? recordable[0] : recordable.find((a) => a.assignee.key === key);
  if (!assignment) errors.assignee = msg("tasks.v_assignee");
  let due: string | null = null;
  if (task.schedule.kind !== "continuous") {
    const dues = dueDates(task.schedule, plan);
    const given = input.due?.trim() ?? "";
    const pick = given === "" ? (assignment?.current?.due ?? dues.at(-1) ?? null) : given;
    if (pick === null || !dues.includes(pick)) errors.due = msg("tasks.v_due");
    else due = pick;
  }
  const status = TASK_STATUSES.find((s) => s === input.status?.trim());
  if (!status) errors.status = msg("tasks.v_status");
  const result = (input.result ?? "").normalize("NFC").trim();
  if (result === "") errors.result = msg("v.required", { field: { key: "tasks.result" } });
  else if (result.length > MAX_RESULT_CHARS)
    errors.result = msg("tasks.v_result_long", { max: MAX_RESULT_CHARS });
  const checked = await checkEvidence(opts.files);
  if (!checked.ok) Object.assign(errors, checked.errors);
  if (Object.keys(errors).length > 0 || !assignment || !status || !checked.ok) throw validationError(errors);
  const assignee = assignment.assignee;
  return db.transaction(async (tx) => {
    const id = await insertProgressRow(tx, {
      communeId: viewer.communeId,
      planYear: plan.year,
      taskCode: task.code,
      assignee: assignee.kind === "unit" ? { unitId: assignee.id } : { villageId: assignee.id },
      dueDate: due,
      status,
      result,
      reportedOn: today,
      reportedBy: viewer.userId,
    });
    const stored = await insertEvidenceRows(
      tx,
      checked.files.map((f) => ({ ...f, communeId: viewer.communeId, progressId: id })),
    );
    await recordAudit(tx, opts.actor, {
      action: "task.progress",
      entity: "task_progress",
      entityId: id,
      after: {
        task: task.code,
        year: plan.year,
        [assignee.kind]: assignee.code,
        due,
        status,
        result,
        evidence: stored.map((e, i) => ({
          id: e.id,
          file: e.fileName,
          type: e.mediaType,
          size: e.size,
          sha256: checked.files[i]!.sha256,
        })),
      },
    });
    return { id, task: task.code, assignee, due, status };
  });
}

/**
 * An evidence file, for a viewer who may read the task's assignee (404 otherwise); every view is
 * audited (a photo or a decision may show people).
 */
export async function openEvidence(opts: RecordWrite) {
  const { db, viewer } = opts;
  const file = await findEvidence(db, viewer.communeId, opts.id);
  if (!file) throw notFound();
  const assignee: Assignee = file.unitId
    ? { kind: "unit", id: file.unitId, code: "", name: "", key: `unit:${file.unitId}` }
    : { kind: "village", id: file.villageId!, code: "", name: "", key: `village:${file.villageId}` };
  if (!COMMUNE_WIDE.includes(viewer.role) && !ownsAssignee(viewer, assignee)) throw notFound();
  await recordAudit(db, opts.actor, {
    action: "task.evidence_view",
    entity: "task_evidence",
    entityId: file.id,
    after: { task: file.taskCode, year: file.planYear, file: file.fileName },
  });
  return file;
}

/**
 * Every task of a plan with each assignee's due dates at `date` and its entries (whole commune,
 * no viewer: for the report and the emulation score, which read the commune's figures).
 */
export async function assessTasks(db: Db, communeId: number, plan: Plan, date: string) {
  const [resolve, rows] = await Promise.all([
    assigneesOf(db, communeId),
    listProgressRows(db, { communeId, planYear: plan.year }),
  ]);
  return plan.tasks.map((task) => {
    const { list, missingUnits } = resolve(task);
    return {
      task,
      missingUnits,
      assignments: list.map((assignee) => {
        const mine = rows.filter((r) => r.taskCode === task.code && sameAssignee(r, assignee));
        return { assignee, rows: mine, occurrences: occurrencesOf(task, plan, mine, date) };
      }),
    };
  });
}

export type Timeliness = { name: string; due: number; done: number; onTime: number; overdue: number };

/**
 * Timeliness of the plan's tasks per unit and per village (issue 19.2's emulation reads it): for each
 * assignee, the due dates within the period up to `date` (default: the period's end, capped at today
 * in Vietnam), how many are done, done on or before their date, and overdue. Keyed by unit / village code.
 */
export async function taskTimeliness(
  db: Db,
  communeId: number,
  period: Pick<Period, "start" | "end">,
  date?: string,
): Promise<{ date: string; units: Record<string, Timeliness>; villages: Record<string, Timeliness> }> {
  const today = todayInVietnam();
  const at = date ?? [period.end, today].sort()[0]!;
  const plan = await planFor(db, communeId);
  const out = {
    date: at,
    units: {} as Record<string, Timeliness>,
    villages: {} as Record<string, Timeliness>,
  };
  for (const { assignments } of await assessTasks(db, communeId, plan, at)) {
    for (const { assignee: a, occurrences } of assignments) {
      const bucket = a.kind === "unit" ? out.units : out.villages;
      const t = bucket[a.code] ?? { name: a.name, due: 0, done: 0, onTime: 0, overdue: 0 };
      bucket[a.code] = t;
      for (const o of occurrences) {
        if (o.due === null || o.due < period.start || o.due > at) continue;
        t.due++;
        if (o.status === "done") t.done++;
        if (o.onTime) t.onTime++;
        if (o.overdue) t.overdue++;
      }
    }
  }
  return out;
}
