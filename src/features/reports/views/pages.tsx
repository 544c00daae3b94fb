import { raw } from "hono/html";
import type { FieldErrors } from "../../../lib/errors.ts";
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  type MsgKey,
  type T,
} from "../../../lib/i18n/index.ts";
import { Button, ErrorSummary, TextField } from "../../../web/components.tsx";
import { type FieldSpec, Fields } from "../../../web/kit/fields.tsx";
import { DownloadList, PageHeader, PostForm } from "../../../web/kit/page.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { reportFormatter } from "../format.ts";
import type { ReportIndicator, ReportModel } from "../model.ts";
import type { ReportFormat } from "../repo.ts";
import { MAX_RETURN_COMMENT, type ReportItem, type ScheduleEntry } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

const STATUS_TAG: Record<ReportItem["status"], string> = {
  draft: "tag--grey",
  submitted: "tag--green",
  approved: "tag--green",
  returned: "tag--red",
  superseded: "tag--grey",
};

/** A report as a sentence names it: "kỳ 2026-Q3" or "đột xuất “…”". */
export function reportName(t: T, r: Pick<ReportItem, "period" | "title">): string {
  return r.title
    ? t("reports.name_adhoc", { title: r.title })
    : t("reports.name_period", { period: r.period });
}

function StatusTag(p: { t: T; status: ReportItem["status"] }) {
  return <span class={`tag ${STATUS_TAG[p.status]}`}>{p.t(`reports.status.${p.status}` as MsgKey)}</span>;
}

const STATE_TAG: Record<ScheduleEntry["state"], string> = {
  on_time: "tag--green",
  late: "tag--red",
  overdue: "tag--red",
  upcoming: "tag--grey",
};

export function ReportListPage(p: {
  ctx: PageCtx;
  items: ReportItem[];
  schedule: ScheduleEntry[];
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  return (
    <div>
      <h1>{t("reports.title")}</h1>
      {p.canCreate ? (
        <div class="button-group">
          <a class="button" href="/reports/new">
            {t("reports.new")}
          </a>
          <a class="button button--secondary" href="/reports/new?adhoc=1">
            {t("reports.adhoc_new")}
          </a>
        </div>
      ) : null}
      <h2>{t("reports.schedule")}</h2>
      <ListTable
        caption={t("reports.schedule")}
        empty={t("reports.schedule_none")}
        rows={p.schedule}
        columns={[
          { head: t("reports.period"), cell: (s) => s.period },
          { head: t("reports.due_date"), class: "nowrap", cell: (s) => dmy(s.due) },
          {
            head: t("reports.first_submitted"),
            class: "nowrap",
            cell: (s) => (s.firstSubmittedOn ? dmy(s.firstSubmittedOn) : t("common.none")),
          },
          {
            head: t("reports.state"),
            cell: (s) => (
              <span class={`tag ${STATE_TAG[s.state]}`}>{t(`reports.state.${s.state}` as MsgKey)}</span>
            ),
          },
          {
            head: t("reports.current_version"),
            cell: (s) =>
              s.report ? (
                <a href={`/reports/${s.report.id}`}>
                  {t("reports.version_n", { version: s.report.version })}
                </a>
              ) : (
                t("common.none")
              ),
          },
        ]}
      />
      <h2>{t("reports.history")}</h2>
      <ListTable
        caption={t("reports.history")}
        empty={t("reports.none")}
        rows={p.items}
        columns={[
          {
            head: t("reports.period"),
            cell: (r) => (
              <>
                <a href={`/reports/${r.id}`}>{r.period}</a>
                {r.title ? (
                  <>
                    {" "}
                    <span class="tag tag--grey">{t("reports.kind.adhoc")}</span> {r.title}
                  </>
                ) : null}
              </>
            ),
          },
          { head: t("reports.version"), cell: (r) => r.version },
          { head: t("reports.status"), cell: (r) => <StatusTag t={t} status={r.status} /> },
          { head: t("reports.date"), class: "nowrap", cell: (r) => dmy(r.date) },
          {
            head: t("reports.due_date"),
            class: "nowrap",
            cell: (r) => (r.due_date ? dmy(r.due_date) : t("reports.not_scheduled")),
          },
          {
            head: t("reports.submitted"),
            cell: (r) => (
              <>
                {r.submitted_at
                  ? t("reports.submitted_by_on", {
                      who: r.submitted_by ?? "—",
                      at: formatDateTime(p.ctx.lang, new Date(r.submitted_at)),
                    })
                  : t("common.none")}
                {r.on_time === null ? null : (
                  <>
                    {" "}
                    <span class={`tag ${r.on_time ? "tag--green" : "tag--red"}`}>
                      {t(r.on_time ? "reports.state.on_time" : "reports.state.late")}
                    </span>
                  </>
                )}
              </>
            ),
          },
          {
            head: t("reports.downloads"),
            class: "nowrap",
            cell: (r) => <DownloadLinks t={t} id={r.id} draft={r.status === "draft"} />,
          },
        ]}
      />
    </div>
  );
}

const FORMATS: ReportFormat[] = ["docx", "xlsx", "pdf"];

function DownloadLinks(p: { t: T; id: number; draft: boolean }) {
  return (
    <>
      {FORMATS.map((f, i) => (
        <>
          {i > 0 ? " · " : null}
          <a href={`/reports/${p.id}/files/${f}`} download>
            {f.toUpperCase()}
            <span class="visually-hidden">
              {" "}
              {p.t(p.draft ? "reports.download_draft" : "reports.download_frozen")}
            </span>
          </a>
        </>
      ))}
    </>
  );
}

export type ReportFormValues = Record<string, string | undefined>;

/** The narrative parts of a commune's report (overview, difficulties, next steps, proposals). */
const narrativeFields = (t: T): FieldSpec[] => [
  { kind: "textarea", name: "overview", label: "reports.overview", hint: t("reports.overview_hint") },
  {
    kind: "textarea",
    name: "difficulties",
    label: "reports.section_difficulties",
    hint: t("reports.required_to_submit"),
  },
  {
    kind: "textarea",
    name: "nextSteps",
    label: "reports.section_next_steps",
    hint: t("reports.required_to_submit"),
  },
  { kind: "textarea", name: "proposals", label: "reports.section_proposals" },
];

/** The report form's fields; the province's report (issue 18.3) has no narrative (`narrative: false`). */
export function ReportFields(p: {
  ctx: PageCtx;
  values: ReportFormValues;
  errors?: FieldErrors | undefined;
  withPeriod: boolean;
  narrative?: boolean;
}) {
  const { t } = p.ctx;
  return (
    <>
      {p.withPeriod ? (
        <TextField
          t={t}
          name="period"
          label="reports.period"
          value={p.values.period}
          hint={t("reports.period_hint")}
          errors={p.errors}
          width="short"
          autocomplete="off"
        />
      ) : null}
      <Fields
        t={t}
        values={p.values}
        errors={p.errors}
        fields={[
          { name: "date", label: "reports.date", type: "date", hint: t("reports.date_hint"), width: "short" },
          {
            name: "number",
            label: "reports.number_label",
            hint: t("reports.number_hint"),
            width: "short",
            autocomplete: "off",
          },
          { name: "signed_on", label: "reports.signed_on", type: "date", width: "short" },
          {
            name: "signer_name",
            label: "reports.signer_name",
            hint: t("reports.signer_hint"),
            autocomplete: "off",
          },
          ...(p.narrative === false ? [] : narrativeFields(t)),
        ]}
      />
    </>
  );
}

export function ReportNewPage(p: {
  ctx: PageCtx;
  values: ReportFormValues;
  errors?: FieldErrors | undefined;
  adhoc: boolean;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <PageHeader
        t={t}
        back="/reports"
        title={t(p.adhoc ? "reports.adhoc_new" : "reports.new")}
        intro={t(p.adhoc ? "reports.adhoc_intro" : "reports.new_intro")}
      />
      <ErrorSummary t={t} errors={p.errors} />
      <PostForm
        ctx={p.ctx}
        action="/reports"
        hidden={p.adhoc ? { adhoc: "1" } : {}}
        fields={
          p.adhoc
            ? [
                {
                  name: "title",
                  label: "reports.adhoc_title",
                  hint: t("reports.adhoc_title_hint"),
                  autocomplete: "off",
                },
                { name: "due_date", label: "reports.adhoc_due", type: "date", width: "short" },
              ]
            : undefined
        }
        values={p.values}
        errors={p.errors}
        submit={t("reports.create")}
      >
        <ReportFields ctx={p.ctx} values={p.values} errors={p.errors} withPeriod />
      </PostForm>
    </div>
  );
}

export function ReportDetailPage(p: {
  ctx: PageCtx;
  report: ReportItem;
  model: ReportModel;
  frozen: boolean;
  files: { format: ReportFormat; size: number; sha256: string }[];
  values: ReportFormValues;
  errors?: FieldErrors | undefined;
  can: { edit: boolean; submit: boolean; approve: boolean; newVersion: boolean };
  /** An earlier version of this report that the leader returned (its comment is what to fix). */
  previousReturn?: ReportItem | undefined;
}) {
  const { t, lang } = p.ctx;
  const r = p.report;
  const rows: [string, string][] = [
    ...(r.title
      ? ([
          [t("reports.kind"), t("reports.kind.adhoc")],
          [t("reports.adhoc_title"), r.title],
        ] as [string, string][])
      : []),
    [t("reports.period"), `${r.period} (${p.model.period.label})`],
    [t("reports.version"), String(r.version)],
    [t("reports.status"), t(`reports.status.${r.status}` as MsgKey)],
    [t("reports.date"), dmy(r.date)],
    [t("reports.due_date"), r.due_date ? dmy(r.due_date) : t("reports.not_scheduled")],
    [t("reports.created"), `${r.created_by ?? "—"}, ${formatDateTime(lang, new Date(r.created_at))}`],
  ];
  if (r.submitted_at)
    rows.push([
      t("reports.submitted"),
      `${r.submitted_by ?? "—"}, ${formatDateTime(lang, new Date(r.submitted_at))}${
        r.on_time === null ? "" : ` — ${t(r.on_time ? "reports.state.on_time" : "reports.state.late")}`
      }`,
    ]);
  if (r.approved_at)
    rows.push([
      t("reports.approved"),
      `${r.approved_by ?? "—"}, ${formatDateTime(lang, new Date(r.approved_at))}`,
    ]);
  if (r.returned_at)
    rows.push([
      t("reports.returned_by"),
      `${r.returned_by ?? "—"}, ${formatDateTime(lang, new Date(r.returned_at))}`,
    ]);
  const prev = p.previousReturn;
  return (
    <div>
      <p>
        <a href="/reports">{t("common.back")}</a>
      </p>
      <h1>{t("reports.detail_title", { period: r.period, version: r.version })}</h1>
      <p>
        <StatusTag t={t} status={r.status} /> {p.frozen ? t("reports.frozen_note") : t("reports.live_note")}
      </p>
      {r.return_comment ? (
        <section class="notice notice--warning" aria-labelledby="returned-h">
          <h2 id="returned-h">{t("reports.returned_comment_heading")}</h2>
          <p class="report-comment">{r.return_comment}</p>
        </section>
      ) : null}
      {prev?.return_comment && r.status === "draft" ? (
        <section class="notice notice--warning" aria-labelledby="returned-prev-h">
          <h2 id="returned-prev-h">
            {t("reports.returned_previous", {
              version: prev.version,
              who: prev.returned_by ?? "—",
              at: prev.returned_at ? formatDateTime(lang, new Date(prev.returned_at)) : "—",
            })}
          </h2>
          <p class="report-comment">{prev.return_comment}</p>
          <p>
            <a href={`/reports/${prev.id}`}>{t("reports.version_n", { version: prev.version })}</a>
          </p>
        </section>
      ) : null}
      <SummaryList rows={rows} />
      <h2>{t("reports.downloads")}</h2>
      <DownloadList
        items={FORMATS.map((f) => {
          const file = p.files.find((x) => x.format === f);
          return {
            href: `/reports/${r.id}/files/${f}`,
            label: t(`reports.format.${f}` as MsgKey),
            note: file
              ? ` — ${formatNumber(lang, Math.ceil(file.size / 1024))} KB, SHA-256 ${file.sha256.slice(0, 12)}…`
              : null,
          };
        })}
      />
      <div class="button-group">
        {p.can.submit ? (
          // Without JavaScript: the confirmation page; with it, the dialog below (/static/reports.js).
          <form method="get" action={`/reports/${r.id}/submit`} data-confirm-dialog="submit-dialog">
            <Button>{t("reports.submit")}</Button>
          </form>
        ) : null}
        {p.can.approve ? (
          <PostForm ctx={p.ctx} action={`/reports/${r.id}/approve`} submit={t("reports.approve")} />
        ) : null}
        {p.can.newVersion ? (
          <PostForm
            ctx={p.ctx}
            action={`/reports/${r.id}/versions`}
            submit={t("reports.new_version")}
            submitVariant="secondary"
          />
        ) : null}
      </div>
      {p.can.submit ? <p class="field__hint">{t("reports.submit_hint")}</p> : null}
      {p.can.submit ? (
        <dialog id="submit-dialog" class="confirm-dialog" aria-labelledby="submit-dialog-h">
          <SubmitConfirm ctx={p.ctx} report={r} headingId="submit-dialog-h" inDialog />
        </dialog>
      ) : null}
      {p.can.approve ? (
        <section aria-labelledby="return-h">
          <h2 id="return-h">{t("reports.return")}</h2>
          <ErrorSummary t={t} errors={p.errors} />
          <PostForm
            ctx={p.ctx}
            action={`/reports/${r.id}/return`}
            fields={[
              {
                kind: "textarea",
                name: "comment",
                label: "reports.return_comment",
                hint: t("reports.return_comment_hint", { max: formatNumber(lang, MAX_RETURN_COMMENT) }),
              },
            ]}
            values={p.values}
            errors={p.errors}
            submit={t("reports.return")}
            submitVariant="warning"
          />
        </section>
      ) : null}
      {p.can.edit ? (
        <section aria-labelledby="edit-h">
          <h2 id="edit-h">{t("reports.edit")}</h2>
          <ErrorSummary t={t} errors={p.errors} />
          <PostForm
            ctx={p.ctx}
            action={`/reports/${r.id}`}
            submit={t("common.save")}
            submitVariant="secondary"
          >
            <ReportFields ctx={p.ctx} values={p.values} errors={p.errors} withPeriod={false} />
          </PostForm>
          <PostForm
            ctx={p.ctx}
            action={`/reports/${r.id}/delete`}
            submit={t("reports.delete_draft")}
            submitVariant="warning"
          />
        </section>
      ) : null}
      <h2>{t("reports.preview")}</h2>
      <ReportPreview t={t} lang={lang} model={p.model} />
    </div>
  );
}

/**
 * "Submitting cannot be undone": the question, then "Gửi" (the POST) and "Quay lại" — in the report
 * page's dialog, or as the confirmation page for a browser without JavaScript.
 */
function SubmitConfirm(p: { ctx: PageCtx; report: ReportItem; headingId: string; inDialog?: boolean }) {
  const { t } = p.ctx;
  const r = p.report;
  const Heading = p.inDialog ? "h2" : "h1";
  return (
    <>
      <Heading id={p.headingId}>
        {t("reports.submit_confirm_title", { name: reportName(t, r), version: r.version })}
      </Heading>
      <p class="notice">{t("reports.submit_confirm_text")}</p>
      <div class="button-group">
        <PostForm ctx={p.ctx} action={`/reports/${r.id}/submit`} submit={t("reports.submit_confirm_yes")} />
        {p.inDialog ? (
          <form method="dialog">
            <Button variant="secondary">{t("reports.submit_confirm_back")}</Button>
          </form>
        ) : (
          <a class="button button--secondary" href={`/reports/${r.id}`}>
            {t("reports.submit_confirm_back")}
          </a>
        )}
      </div>
    </>
  );
}

/** The confirmation page of a submission (no JavaScript needed). */
export function SubmitConfirmPage(p: { ctx: PageCtx; report: ReportItem }) {
  return (
    <div class="narrow">
      <SubmitConfirm ctx={p.ctx} report={p.report} headingId="confirm-h" />
    </div>
  );
}

function valueText(t: T, lang: PageCtx["lang"], i: ReportIndicator): string {
  if (i.value === null) return t("reports.no_data");
  return i.kind === "count" ? formatNumber(lang, i.value) : formatPercent(lang, i.value);
}

/** The report as a page: the same model the DOCX, XLSX and PDF are laid out from. */
export function ReportPreview(p: { t: T; lang: PageCtx["lang"]; model: ReportModel }) {
  const { t, lang, model: m } = p;
  const n = (x: number | undefined) => (x === undefined ? "" : formatNumber(lang, x));
  // The province's report (issue 18.3) lists its communes where a commune's lists its villages.
  const unitsHeading = m.level === "communes" ? "reportdoc.part_communes" : "reports.village_table";
  return (
    <article class="report-preview">
      <div class="report-preview__head">
        <div>
          {m.issuer.map((l) => (
            <p class="report-preview__issuer">{l}</p>
          ))}
          <p>{m.number}</p>
        </div>
        <div>
          <p class="report-preview__motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
          <p class="report-preview__motto">Độc lập - Tự do - Hạnh phúc</p>
          <p>
            {/* The document's own line, as the DOCX and PDF print it ("…, ngày 01 tháng 12 năm 2026"). */}
            <em>{reportFormatter(m.lang, m.level).placeDate(m.place, m.signedOn)}</em>
          </p>
        </div>
      </div>
      <h3 class="report-preview__title">{m.title}</h3>
      <p class="report-preview__subject">{m.subject}</p>
      {m.sections.map((s) => (
        <section>
          <h4>{s.heading}</h4>
          {s.paragraphs.map((para) => (
            <p>{para}</p>
          ))}
        </section>
      ))}
      <h4>{t("reports.appendix")}</h4>
      <ListTable
        caption={t("reports.appendix_caption", { date: dmy(m.date), period: m.period.label })}
        captionHidden={false}
        rows={m.indicators}
        columns={[
          { head: t("reports.col_no"), cell: (i) => i.id },
          { head: t("reports.col_indicator"), cell: (i) => i.title },
          {
            head: t("reports.col_responsible"),
            cell: (i) => (
              <>
                {i.responsible}
                {i.cooperating.length > 0 ? (
                  <span class="field__hint"> ({i.cooperating.join("; ")})</span>
                ) : null}
              </>
            ),
          },
          {
            head: t("reports.col_target"),
            class: "nowrap",
            cell: (i) => (
              <>
                {i.kind === "count" ? n(i.target) : formatPercent(lang, i.target)}
                {i.minimum !== undefined
                  ? ` (${t("reports.minimum", { value: formatPercent(lang, i.minimum) })})`
                  : ""}
              </>
            ),
          },
          { head: t("reports.col_result"), class: "nowrap", cell: (i) => valueText(t, lang, i) },
          {
            head: t("reports.col_ratio"),
            class: "nowrap",
            cell: (i) => (i.kind === "ratio" ? `${n(i.numerator)}/${n(i.denominator)}` : ""),
          },
          {
            head: t("reports.col_met"),
            cell: (i) => (
              <span class={`tag ${i.met ? "tag--green" : "tag--red"}`}>
                {t(i.met ? "reports.met" : "reports.not_met")}
              </span>
            ),
          },
        ]}
      />
      <h4>{t(unitsHeading)}</h4>
      <ListTable
        caption={t(unitsHeading)}
        rows={m.villageTable.rows}
        firstCellIsHeader
        columns={[
          {
            head: t(m.level === "communes" ? "reportdoc.col_commune" : "reports.col_village"),
            cell: (v) => v.name,
          },
          ...m.villageTable.codes.map((c, k) => ({
            head: m.villageTable.headings[k],
            class: "nowrap",
            cell: (v: (typeof m.villageTable.rows)[number]) => {
              const x = v.values[c];
              return (
                <>
                  {x?.value == null ? t("reports.no_data") : formatPercent(lang, x.value)}
                  {x ? (
                    <span class="field__hint">
                      {" "}
                      ({n(x.numerator)}/{n(x.denominator)})
                      {x.rank ? ` ${t("reportdoc.rank", { rank: x.rank })}` : ""}
                    </span>
                  ) : null}
                </>
              );
            },
          })),
        ]}
      />
      {m.charts.map((c) => (
        <figure class="chart">
          <figcaption>{c.caption}</figcaption>
          <div aria-hidden="true">{raw(c.svg)}</div>
          <div class="visually-hidden">
            <table>
              <caption>{c.caption}</caption>
              <thead>
                <tr>
                  {c.table.header.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {c.table.rows.map((row) => (
                  <tr>
                    {row.map((cell) => (
                      <td>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </figure>
      ))}
      <div class="report-preview__foot">
        <div>
          <p>
            <strong>
              <em>{t("reports.recipients")}</em>
            </strong>
          </p>
          {m.recipients.map((l) => (
            <p>- {l}</p>
          ))}
        </div>
        <div class="report-preview__sign">
          {m.signature.lines.map((l) => (
            <p>
              <strong>{l}</strong>
            </p>
          ))}
          <p class="report-preview__signspace" />
          <p>
            <strong>{m.signature.name}</strong>
          </p>
        </div>
      </div>
    </article>
  );
}
