/** The province report's pages (issue 18.3): the list with a new draft's form, and a report's preview. */
import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDateTime } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary } from "../../../web/components.tsx";
import { DownloadList, PostForm } from "../../../web/kit/page.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { ReportModel } from "../../reports/model.ts";
import { REPORT_FORMATS } from "../../reports/render.ts";
import { ReportFields, type ReportFormValues, ReportPreview } from "../../reports/views/pages.tsx";
import { periodWords } from "../period-words.ts";
import type { ProvinceReportItem } from "../report-service.ts";

function StatusTag(p: { ctx: PageCtx; status: ProvinceReportItem["status"] }) {
  return (
    <span class={`tag ${p.status === "draft" ? "tag--grey" : "tag--green"}`}>
      {p.ctx.t(p.status === "draft" ? "preport.status_draft" : "preport.status_submitted")}
    </span>
  );
}

export function ProvinceReportListPage(p: {
  ctx: PageCtx;
  items: ProvinceReportItem[];
  values: ReportFormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t, lang } = p.ctx;
  return (
    <>
      <p class="no-print">
        <a href="/province">{t("province.back")}</a>
      </p>
      <h1>{t("preport.list_heading")}</h1>
      <p>{t("preport.list_intro")}</p>
      <ErrorSummary t={t} errors={p.errors} />
      <ListTable
        caption={t("preport.list_heading")}
        rows={p.items}
        empty={t("preport.none")}
        firstCellIsHeader
        rowAttrs={(r) => ({ "data-report": String(r.id) })}
        columns={[
          {
            head: t("preport.col_period"),
            cell: (r) => <a href={`/province/reports/${r.id}`}>{periodWords(lang, r.period)}</a>,
          },
          { head: t("preport.col_date"), cell: (r) => r.date },
          { head: t("preport.col_number"), cell: (r) => r.number ?? "" },
          { head: t("preport.col_status"), cell: (r) => <StatusTag ctx={p.ctx} status={r.status} /> },
        ]}
      />
      <section class="narrow" aria-labelledby="new-h">
        <h2 id="new-h">{t("preport.new_heading")}</h2>
        <PostForm ctx={p.ctx} action="/province/reports" submit={t("preport.create")}>
          <ReportFields ctx={p.ctx} values={p.values} errors={p.errors} withPeriod narrative={false} />
        </PostForm>
      </section>
    </>
  );
}

export function ProvinceReportPage(p: {
  ctx: PageCtx;
  report: ProvinceReportItem;
  model: ReportModel;
  error?: string | undefined;
}) {
  const { t, lang } = p.ctx;
  const r = p.report;
  return (
    <>
      <p class="no-print">
        <a href="/province/reports">{t("preport.back")}</a>
      </p>
      <h1>{t("preport.report_heading", { period: periodWords(lang, r.period) })}</h1>
      {p.error ? <ErrorSummary t={t} errors={undefined} message={p.error} /> : null}
      <p>
        <StatusTag ctx={p.ctx} status={r.status} />{" "}
        {r.status === "submitted"
          ? t("preport.submitted_notice", {
              at: formatDateTime(lang, new Date(r.submitted_at!)),
              by: r.submitted_by ?? "",
            })
          : t("preport.draft_notice")}
      </p>
      <h2>{t("preport.download")}</h2>
      <DownloadList
        items={REPORT_FORMATS.map((f) => ({
          href: `/province/reports/${r.id}/files/${f}`,
          label: t(`preport.download_${f}`),
        }))}
      />
      {r.status === "draft" ? (
        <form method="post" action={`/province/reports/${r.id}/submit`} class="no-print">
          <Csrf token={p.ctx.csrfToken} />
          <p class="field__hint">{t("preport.submit_hint")}</p>
          <Button>{t("preport.submit")}</Button>
        </form>
      ) : null}
      <ReportPreview t={t} lang={lang} model={p.model} />
    </>
  );
}
