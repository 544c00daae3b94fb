import type { Lang, T } from "../../../lib/i18n/index.ts";
import type { RenderOpts } from "../../../web/render.tsx";
import { type ImportJob, jobPercent } from "../jobs.ts";

/** What the job page's script reads from `/imports/jobs/:id/status`. */
export type JobStatus = {
  state: ImportJob["state"];
  phase: ImportJob["phase"];
  rows: number;
  total: number | null;
  percent: number | null;
  text: string;
};

const count = (lang: Lang, n: number) => new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US").format(n);

/** “Đã đọc 12.000 dòng (35%)”: the progress in words, the same with and without JavaScript. */
export function progressText(t: T, lang: Lang, job: ImportJob): string {
  const percent = jobPercent(job);
  if (job.rows === 0 && !percent) return t("imports.job_starting");
  const rows = count(lang, job.rows);
  if (job.phase === "commit" && job.totalRows)
    return t("imports.job_written", { rows, total: count(lang, job.totalRows), percent: percent ?? 0 });
  return percent === undefined
    ? t("imports.job_read_no_percent", { rows })
    : t("imports.job_read", { rows, percent });
}

export function jobStatus(t: T, lang: Lang, job: ImportJob): JobStatus {
  return {
    state: job.state,
    phase: job.phase,
    rows: job.rows,
    total: job.totalRows ?? null,
    percent: jobPercent(job) ?? null,
    text: progressText(t, lang, job),
  };
}

export function progressTitle(t: T, job: ImportJob): string {
  return t(job.phase === "check" ? "imports.job_checking_title" : "imports.job_writing_title", {
    name: job.fileName,
  });
}

/**
 * The page of a running job. Without JavaScript it reloads itself every 2 seconds (the refresh sits
 * in `<noscript>`); with it, /static/imports.js polls the status and moves the bar in place.
 */
export function progressPageOpts(t: T, job: ImportJob): RenderOpts {
  return {
    title: progressTitle(t, job),
    head: (
      <>
        <noscript>
          <meta http-equiv="refresh" content="2" />
        </noscript>
        <script src="/static/imports.js" defer />
      </>
    ),
  };
}

export function ProgressBody(props: { t: T; lang: Lang; job: ImportJob }) {
  const { t, lang, job } = props;
  const percent = jobPercent(job);
  return (
    <div class="narrow">
      <p>
        <a href="/imports">{t("common.back")}</a>
      </p>
      <h1>{progressTitle(t, job)}</h1>
      <p class="lead">{t(`kind.${job.kind}`)}</p>
      <div class="job-progress" data-job-status={`/imports/jobs/${job.id}/status`}>
        <label class="field__label" for="job-bar">
          {t("imports.job_progress_label")}
        </label>
        <progress
          class="job-progress__bar"
          id="job-bar"
          max="100"
          value={percent}
          aria-describedby="job-text"
        >
          {percent === undefined ? "" : `${percent}%`}
        </progress>
        <p class="job-progress__text" id="job-text" data-job-text>
          {progressText(t, lang, job)}
        </p>
      </div>
      <p class="small">{t("imports.job_wait_hint")}</p>
    </div>
  );
}

export function JobGoneBody(props: { t: T }) {
  const { t } = props;
  return (
    <div class="narrow">
      <h1>{t("imports.job_gone_title")}</h1>
      <p>{t("imports.job_gone")}</p>
      <p>
        <a href="/imports">{t("imports.job_upload_again")}</a>
      </p>
    </div>
  );
}
