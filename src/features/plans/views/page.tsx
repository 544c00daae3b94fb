import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate, formatDateTime, formatNumber, formatPercent } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, FileField, TextField } from "../../../web/components.tsx";
import { PostForm } from "../../../web/kit/page.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { COUNT_INDICATORS, type Plan } from "../../indicators/plan.ts";
import type { PlanInForce } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

export function PlanPage(p: {
  ctx: PageCtx;
  data: PlanInForce;
  canUpdate: boolean;
  error?: string | undefined;
  errors?: FieldErrors | undefined;
  /** The next year's targets form as sent back with its errors. */
  nextValues?: Record<string, string | undefined> | undefined;
  nextErrors?: FieldErrors | undefined;
}) {
  const { t, lang } = p.ctx;
  const { plan, source } = p.data;
  const target = (code: (typeof plan.indicators)[number]["code"], x: number) =>
    COUNT_INDICATORS.includes(code) ? formatNumber(lang, x) : formatPercent(lang, x);
  return (
    <div>
      <h1>{t("plans.title")}</h1>
      <p>
        {source.kind === "default"
          ? t("plans.source_default")
          : t("plans.source_loaded", {
              file: source.fileName,
              who: source.loadedBy ?? "—",
              at: formatDateTime(lang, new Date(source.loadedAt)),
            })}
      </p>
      <SummaryList
        rows={[
          [t("plans.commune"), plan.province ? `${plan.commune}, ${plan.province}` : plan.commune],
          plan.document ? [t("plans.document"), plan.document] : null,
          [t("plans.span"), `${dmy(plan.startDate)} – ${dmy(plan.endDate)}`],
        ]}
      />
      <p>
        <a href="/plan.json" download>
          {t("plans.download")}
        </a>
      </p>
      <ListTable
        caption={t("plans.indicators")}
        captionHidden={false}
        rows={plan.indicators}
        columns={[
          { head: "#", cell: (i) => i.id },
          {
            head: t("plans.col_title"),
            cell: (i) => (
              <>
                {i.title}
                <br />
                <code>{i.code}</code>
              </>
            ),
          },
          {
            head: t("plans.col_target"),
            class: "nowrap",
            cell: (i) => (
              <>
                {target(i.code, i.target)}
                {i.minimum === undefined ? null : (
                  <span class="field__hint">
                    {" "}
                    ({t("plans.minimum", { value: target(i.code, i.minimum) })})
                  </span>
                )}
              </>
            ),
          },
          { head: t("plans.col_responsible"), cell: (i) => i.responsible },
          { head: t("plans.col_cooperating"), cell: (i) => i.cooperating.join("; ") },
        ]}
      />
      <ListTable
        caption={t("plans.schedule")}
        captionHidden={false}
        rows={plan.reports}
        columns={[
          { head: t("reports.period"), cell: (r) => r.period },
          { head: t("reports.due_date"), cell: (r) => dmy(r.due) },
        ]}
      />
      <NextYear
        ctx={p.ctx}
        next={p.data.next}
        canUpdate={p.canUpdate}
        current={plan.year}
        values={p.nextValues}
        errors={p.nextErrors}
      />
      <p>
        <a href="/tasks">{t("plans.tasks_link", { count: plan.tasks.length })}</a>
      </p>
      {p.canUpdate ? (
        <section aria-labelledby="plan-load-h">
          <h2 id="plan-load-h">{t("plans.load")}</h2>
          <p>{t("plans.load_intro")}</p>
          <ErrorSummary t={t} errors={p.errors} message={p.error} />
          <form method="post" action="/plan" enctype="multipart/form-data">
            <Csrf token={p.ctx.csrfToken} />
            <FileField
              t={t}
              name="file"
              label={t("plans.file")}
              hint={t("plans.file_hint")}
              error={p.error}
              accept=".json,application/json"
            />
            <Button>{t("plans.load_button")}</Button>
          </form>
          {source.kind === "loaded" ? (
            <form method="post" action="/plan/reset">
              <Csrf token={p.ctx.csrfToken} />
              <Button variant="secondary">{t("plans.reset")}</Button>
            </form>
          ) : null}
        </section>
      ) : null}
      {p.data.history.length > 0 ? (
        <ListTable
          caption={t("plans.history")}
          captionHidden={false}
          rows={p.data.history}
          columns={[
            { head: t("plans.file"), cell: (h) => h.fileName },
            { head: t("plans.year"), cell: (h) => h.year },
            { head: t("plans.loaded_by"), cell: (h) => h.loadedBy ?? "—" },
            { head: t("plans.loaded_at"), cell: (h) => formatDateTime(lang, new Date(h.loadedAt)) },
            { head: t("plans.in_force"), cell: (h) => (h.active ? t("plans.yes") : t("plans.no")) },
          ]}
        />
      ) : null}
    </div>
  );
}

/** Next year's plan: a copy of this year's to make, or its targets to edit until 1 January. */
function NextYear(p: {
  ctx: PageCtx;
  next: PlanInForce["next"];
  canUpdate: boolean;
  current: number;
  values?: Record<string, string | undefined> | undefined;
  errors?: FieldErrors | undefined;
}) {
  const { t, lang } = p.ctx;
  const { year, plan } = p.next;
  if (!plan && !p.canUpdate) return null;
  const shown = (code: Plan["indicators"][number]["code"], x: number) =>
    COUNT_INDICATORS.includes(code) ? formatNumber(lang, x) : formatPercent(lang, x);
  return (
    <section aria-labelledby="plan-next-h">
      <h2 id="plan-next-h">{t("plans.next_heading", { year })}</h2>
      {!plan ? (
        <>
          <p>{t("plans.next_none", { year })}</p>
          <PostForm
            ctx={p.ctx}
            action="/plan/copy"
            hidden={{ from: String(p.current), to: String(year) }}
            submit={t("plans.copy_button", { year })}
            submitVariant="secondary"
          />
        </>
      ) : (
        <>
          <p>{t("plans.next_intro", { year })}</p>
          <p>
            <a href={`/plan/${year}.json`} download>
              {t("plans.next_download", { year })}
            </a>
          </p>
          {p.canUpdate ? (
            <>
              <ErrorSummary t={t} errors={p.errors} />
              <form method="post" action={`/plan/${year}/targets`} novalidate>
                <Csrf token={p.ctx.csrfToken} />
                {plan.indicators.map((i) => {
                  const count = COUNT_INDICATORS.includes(i.code);
                  const value =
                    p.values?.[`target_${i.code}`] ?? (count ? String(i.target) : percentText(i.target));
                  return (
                    <TextField
                      t={t}
                      name={`target_${i.code}`}
                      label="plans.col_target"
                      labelText={t("plans.target_label", { id: i.id, title: i.title })}
                      value={value}
                      hint={t(count ? "plans.target_hint_count" : "plans.target_hint_ratio", {
                        value: shown(i.code, i.target),
                      })}
                      errors={p.errors}
                      width="short"
                      inputmode="decimal"
                      autocomplete="off"
                    />
                  );
                })}
                <Button>{t("plans.save_targets", { year })}</Button>
              </form>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

/** 0.955 → "95,5" (the form's percentage, Vietnamese decimal comma). */
const percentText = (x: number) => String(Math.round(x * 1000) / 10).replace(".", ",");
