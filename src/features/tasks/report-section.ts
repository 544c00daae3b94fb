import type { Db } from "../../db/client.ts";
import { formatNumber, type Lang, translator } from "../../lib/i18n/index.ts";
import type { Period } from "../indicators/period.ts";
import type { Plan } from "../indicators/plan.ts";
import type { ReportSection } from "../reports/model.ts";
import { assessTasks } from "./service.ts";

/**
 * The report's section on the units' tasks (issue 19.1): for the period up to the report's date D,
 * the due dates of each task, how many are done and on time, and who is overdue at D; continuous
 * tasks by the number of entries in the period. Computed at D, not today, so a report is repeatable.
 */
export async function taskReportSection(opts: {
  db: Db;
  communeId: number;
  plan: Plan;
  period: Pick<Period, "start">;
  date: string;
  lang: Lang;
}): Promise<ReportSection> {
  const t = translator(opts.lang);
  const n = (x: number) => formatNumber(opts.lang, x);
  const tasks = await assessTasks(opts.db, opts.communeId, opts.plan, opts.date);
  const totals = { due: 0, done: 0, onTime: 0, overdue: 0 };
  const lines: string[] = [];
  for (const { task, assignments } of tasks) {
    if (task.schedule.kind === "continuous") {
      const count = assignments.reduce(
        (sum, a) =>
          sum + a.rows.filter((r) => r.reportedOn >= opts.period.start && r.reportedOn <= opts.date).length,
        0,
      );
      lines.push(
        `- ${t("reports.tasks_continuous", { code: task.code, title: task.title, responsible: task.responsible, count: n(count) })}`,
      );
      continue;
    }
    const mine = { due: 0, done: 0, onTime: 0 };
    const overdue: string[] = [];
    for (const a of assignments)
      for (const o of a.occurrences) {
        if (o.due === null || o.due < opts.period.start || o.due > opts.date) continue;
        mine.due++;
        if (o.status === "done") mine.done++;
        if (o.onTime) mine.onTime++;
        if (o.overdue && !overdue.includes(a.assignee.name)) overdue.push(a.assignee.name);
        if (o.overdue) totals.overdue++;
      }
    if (mine.due === 0) continue;
    totals.due += mine.due;
    totals.done += mine.done;
    totals.onTime += mine.onTime;
    const line = t("reports.tasks_line", {
      code: task.code,
      title: task.title,
      responsible: task.responsible,
      done: n(mine.done),
      due: n(mine.due),
      onTime: n(mine.onTime),
    });
    lines.push(
      `- ${line}${overdue.length > 0 ? t("reports.tasks_line_overdue", { names: overdue.join(", ") }) : ""}.`,
    );
  }
  const lead =
    totals.due === 0
      ? t("reports.tasks_none")
      : t("reports.tasks_lead", {
          due: n(totals.due),
          done: n(totals.done),
          onTime: n(totals.onTime),
          overdue: n(totals.overdue),
        });
  return { heading: t("reports.section_tasks"), paragraphs: [lead, ...lines], narrative: false };
}
