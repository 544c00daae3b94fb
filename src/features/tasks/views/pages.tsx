import type { Child } from "hono/jsx";
import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate, type MsgKey, type T } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, FileField, RadioList, SelectField } from "../../../web/components.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { Plan } from "../../indicators/plan.ts";
import { TextareaField } from "../../visits/views/parts.tsx";
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from "../evidence.ts";
import { MAX_RESULT_CHARS, type PlanTask, TASK_STATUSES } from "../schema.ts";
import type { Occurrence, OverdueItem, TaskView } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

/** A table of the page: a caption, column headings and rows of cells (the phone layout stacks them). */
function Table(p: { caption: string; hiddenCaption: boolean; head: string[]; rows: Child[][] }) {
  return (
    <ListTable
      caption={p.caption}
      captionHidden={p.hiddenCaption}
      rows={p.rows}
      columns={p.head.map((h, k) => ({ head: h, cell: (cells: Child[]) => cells[k] }))}
    />
  );
}

/** A task's rhythm in words: "Hằng năm, ngày 10/10", "Hằng tháng, trước ngày 25", "Thường xuyên". */
export function scheduleText(t: T, s: PlanTask["schedule"]): string {
  switch (s.kind) {
    case "once":
      return t("tasks.schedule.once", { date: dmy(s.due) });
    case "yearly":
      return t("tasks.schedule.yearly", { day: s.on });
    case "quarterly":
    case "monthly":
      return t(`tasks.schedule.${s.kind}`, { day: s.day });
    case "continuous":
      return t("tasks.schedule.continuous");
  }
}

function localized(task: PlanTask, lang: "vi" | "en") {
  if (lang !== "en" || !task.en) return task;
  return {
    ...task,
    title: task.en.title ?? task.title,
    responsible: task.en.responsible ?? task.responsible,
    cooperating:
      task.en.cooperating?.length === task.cooperating.length ? task.en.cooperating : task.cooperating,
  };
}

function StatusTag(p: { t: T; o: Pick<Occurrence, "status" | "overdue"> }) {
  const tone = p.o.status === "done" ? "green" : p.o.overdue || p.o.status === "blocked" ? "red" : "grey";
  return <span class={`tag tag--${tone}`}>{p.t(`tasks.status.${p.o.status}` as MsgKey)}</span>;
}

function stateOf(t: T, task: TaskView, date: string) {
  if (task.schedule.kind === "continuous") return [t("tasks.state_continuous")];
  const occ = task.assignments.flatMap((x) => x.occurrences);
  const due = occ.filter((o) => o.due !== null && o.due <= date).length;
  const done = occ.filter((o) => o.status === "done").length;
  const overdue = occ.filter((o) => o.overdue).length;
  const next = task.assignments
    .map((x) => x.current?.due)
    .filter((d): d is string => !!d)
    .sort()[0];
  const parts = [t("tasks.state_summary", { done, due: Math.max(due, done) })];
  if (overdue > 0) parts.push(t("tasks.state_overdue", { count: overdue }));
  parts.push(next ? t("tasks.state_next", { date: dmy(next) }) : t("tasks.state_all_done"));
  return parts;
}

export function TaskListPage(p: {
  ctx: PageCtx;
  tasks: TaskView[];
  date: string;
  wide: boolean;
  overdue: number | null;
}) {
  const { t, lang } = p.ctx;
  return (
    <div>
      <h1>{t("tasks.title")}</h1>
      <p>{t(p.wide ? "tasks.intro_all" : "tasks.intro_mine")}</p>
      {p.overdue !== null ? (
        <p>
          <a href="/tasks/overdue">{t("tasks.overdue_link", { count: p.overdue })}</a>
        </p>
      ) : null}
      {p.tasks.length === 0 ? (
        <p>{t(p.wide ? "tasks.none_plan" : "tasks.none")}</p>
      ) : (
        <Table
          caption={t("tasks.title")}
          hiddenCaption={true}
          head={[
            t("tasks.col_code"),
            t("tasks.col_title"),
            t("tasks.col_responsible"),
            t("tasks.col_schedule"),
            t("tasks.col_state"),
          ]}
          rows={p.tasks.map((task) => {
            const x = localized(task, lang);
            return [
              task.code,
              <a href={`/tasks/${encodeURIComponent(task.code)}`}>{x.title}</a>,
              p.wide ? x.responsible : task.assignments.map((a) => a.assignee.name).join(", "),
              scheduleText(t, task.schedule),
              stateOf(t, task, p.date).map((line) => <div>{line}</div>),
            ];
          })}
        />
      )}
    </div>
  );
}

export type ProgressFormValues = { assignee?: string; due?: string; status?: string; result?: string };

export function TaskDetailPage(p: {
  ctx: PageCtx;
  plan: Plan;
  task: TaskView;
  values: ProgressFormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t, lang } = p.ctx;
  const task = localized(p.task, lang);
  const indicatorTitles = p.task.indicators.map((code) => {
    const ind = p.plan.indicators.find((i) => i.code === code);
    const title = lang === "en" ? (ind?.en?.title ?? ind?.title) : ind?.title;
    return ind ? `${ind.id}. ${title}` : code;
  });
  const recordable = p.task.assignments.filter((a) => a.canRecord);
  const first = recordable[0];
  const chosen = recordable.find((a) => a.assignee.key === p.values.assignee) ?? first;
  return (
    <div>
      <p>
        <a href="/tasks">{t("tasks.back")}</a>
      </p>
      <h1>
        {p.task.code}. {task.title}
      </h1>
      <dl class="summary-list">
        <div>
          <dt>{t("tasks.col_responsible")}</dt>
          <dd>{task.responsible}</dd>
        </div>
        <div>
          <dt>{t("tasks.col_cooperating")}</dt>
          <dd>{task.cooperating.join("; ") || "—"}</dd>
        </div>
        <div>
          <dt>{t("tasks.col_schedule")}</dt>
          <dd>{scheduleText(t, p.task.schedule)}</dd>
        </div>
        <div>
          <dt>{t("tasks.col_indicators")}</dt>
          <dd>
            {indicatorTitles.map((x) => (
              <div>{x}</div>
            ))}
          </dd>
        </div>
      </dl>
      {p.task.missingUnits.length > 0 ? (
        <p class="field__hint">
          {t("tasks.missing_units", { codes: p.task.missingUnits.join(", ") })} {t("tasks.no_officer_hint")}
        </p>
      ) : null}
      {recordable.length > 0 && chosen ? (
        <section>
          <h2>{t("tasks.record")}</h2>
          <ErrorSummary t={t} errors={p.errors} />
          <form
            method="post"
            action={`/tasks/${encodeURIComponent(p.task.code)}/progress`}
            enctype="multipart/form-data"
          >
            <Csrf token={p.ctx.csrfToken} />
            {recordable.length > 1 ? (
              <SelectField
                t={t}
                name="assignee"
                label="tasks.assignee"
                options={[
                  { value: "", label: "—" },
                  ...recordable.map((a) => ({ value: a.assignee.key, label: a.assignee.name })),
                ]}
                value={p.values.assignee ?? ""}
                errors={p.errors}
              />
            ) : (
              <input type="hidden" name="assignee" value={chosen.assignee.key} />
            )}
            {p.task.schedule.kind === "continuous" ? null : (
              <SelectField
                t={t}
                name="due"
                label="tasks.due"
                hint={t("tasks.due_hint")}
                options={chosen.occurrences.map((o) => ({
                  value: o.due ?? "",
                  label: t("tasks.due_option", {
                    date: dmy(o.due ?? ""),
                    status: t(`tasks.status.${o.status}` as MsgKey),
                  }),
                }))}
                value={p.values.due ?? chosen.current?.due ?? ""}
                errors={p.errors}
              />
            )}
            <RadioList
              t={t}
              name="status"
              legend={t("tasks.status")}
              options={TASK_STATUSES.map((s) => ({ value: s, label: t(`tasks.status.${s}`) }))}
              value={p.values.status ?? "in_progress"}
              errors={p.errors}
            />
            <TextareaField
              t={t}
              name="result"
              label="tasks.result"
              hint={t("tasks.result_hint", { max: MAX_RESULT_CHARS })}
              value={p.values.result}
              errors={p.errors}
            />
            <FileField
              t={t}
              name="evidence"
              label={t("tasks.evidence")}
              hint={t("tasks.evidence_hint", {
                mb: MAX_EVIDENCE_BYTES / 1024 / 1024,
                max: MAX_EVIDENCE_FILES,
              })}
              error={p.errors?.evidence ? t(p.errors.evidence.key, p.errors.evidence.params) : undefined}
              accept="image/jpeg,image/png,application/pdf"
              multiple
            />
            <Button>{t("tasks.save")}</Button>
          </form>
        </section>
      ) : null}
      {p.task.assignments.map((a) => (
        <section>
          <h2>{a.assignee.name}</h2>
          {p.task.schedule.kind === "continuous" ? null : (
            <Table
              caption={t("tasks.due_dates")}
              hiddenCaption={false}
              head={[t("tasks.col_due"), t("tasks.col_status"), t("tasks.col_done_on")]}
              rows={a.occurrences.map((o) => [
                dmy(o.due ?? ""),
                <>
                  <StatusTag t={t} o={o} />
                  {o.overdue ? ` ${t("tasks.days_late", { days: o.daysLate })}` : null}
                </>,
                o.doneOn ? `${dmy(o.doneOn)} (${t(o.onTime ? "tasks.on_time" : "tasks.late")})` : "—",
              ])}
            />
          )}
          {a.entries.length === 0 ? (
            <p>{t("tasks.history_none")}</p>
          ) : (
            <Table
              caption={t("tasks.history")}
              hiddenCaption={false}
              head={[
                t("tasks.col_date"),
                t("tasks.col_due"),
                t("tasks.col_status"),
                t("tasks.col_result"),
                t("tasks.col_by"),
                t("tasks.col_evidence"),
              ]}
              rows={[...a.entries].reverse().map((e) => [
                dmy(e.reportedOn),
                e.dueDate ? dmy(e.dueDate) : "—",
                t(`tasks.status.${e.status}`),
                e.result,
                e.reportedByName ?? "—",
                e.evidence.length === 0
                  ? "—"
                  : e.evidence.map((f) => (
                      <div>
                        <a href={f.url}>{f.fileName}</a>
                      </div>
                    )),
              ])}
            />
          )}
        </section>
      ))}
    </div>
  );
}

export function OverduePage(p: { ctx: PageCtx; items: OverdueItem[]; date: string }) {
  const { t } = p.ctx;
  return (
    <div>
      <p>
        <a href="/tasks">{t("tasks.back")}</a>
      </p>
      <h1>{t("tasks.overdue_title")}</h1>
      <p>{t("tasks.overdue_intro", { date: dmy(p.date) })}</p>
      {p.items.length === 0 ? (
        <p>{t("tasks.overdue_none")}</p>
      ) : (
        <Table
          caption={t("tasks.overdue_title")}
          hiddenCaption={true}
          head={[
            t("tasks.col_title"),
            t("tasks.col_assignee"),
            t("tasks.col_due"),
            t("tasks.col_days_late"),
            t("tasks.col_status"),
          ]}
          rows={p.items.map((i) => [
            <a href={`/tasks/${encodeURIComponent(i.code)}`}>
              {i.code}. {i.title}
            </a>,
            i.assignee.name,
            dmy(i.due),
            t("tasks.days_late", { days: i.daysLate }),
            <StatusTag t={t} o={{ status: i.status, overdue: true }} />,
          ])}
        />
      )}
    </div>
  );
}
