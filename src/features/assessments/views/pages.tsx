import { ASSESSMENT_LEVELS, AUDIENCES } from "../../../db/schema.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, SelectField, TextField } from "../../../web/components.tsx";
import { firstValue } from "../../../web/kit/fields.tsx";
import { HeadedTable } from "../../../web/kit/headed-table.tsx";
import { PageHeader } from "../../../web/kit/page.tsx";
import type { RecordFormProps } from "../../../web/kit/record-pages.tsx";
import type { Column } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { TextareaField } from "../../visits/views/parts.tsx";
import { ASSESSMENT_DOMAINS, domainLabel } from "../domains.ts";
import type { AssessmentItem, getAssessedResident } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);
export type FormValues = Record<string, string | string[] | undefined>;

export function AssessmentsPage(
  p: {
    ctx: PageCtx;
    resident: Awaited<ReturnType<typeof getAssessedResident>>;
    items: AssessmentItem[];
    canCreate: boolean;
    today: string;
  } & Pick<RecordFormProps<FormValues>, "values" | "errors">,
) {
  const { t, lang } = p.ctx;
  const r = p.resident;
  const v = (k: string) => firstValue(p.values, k);
  const defaultAudience = r.groups.find((g) => (AUDIENCES as readonly string[]).includes(g)) ?? "resident";
  return (
    <div>
      <PageHeader
        t={t}
        back={`/residents/${r.id}`}
        title={t("assessments.title", { name: r.full_name })}
        lead={t("assessments.resident_meta", { age: r.age, household: r.household, village: r.village_name })}
      />
      <div class="notice">
        <p>{t("assessments.not_certification")}</p>
      </div>
      <HeadedTable
        caption={t("assessments.history")}
        rows={p.items}
        empty={t("assessments.none")}
        columns={[
          { head: t("col.date"), class: "nowrap", cell: (a) => dmy(a.date) },
          { head: t("assessments.audience"), cell: (a) => t(`assessments.audience.${a.audience}`) },
          ...ASSESSMENT_DOMAINS.map(
            (d): Column<AssessmentItem> => ({
              head: domainLabel(lang, d.code),
              cell: (a) =>
                a.levels[d.code] ? t(`assessments.level.${a.levels[d.code]!}`) : t("common.none"),
            }),
          ),
          {
            head: t("assessments.note"),
            cell: (a) => (
              <>
                {a.note ?? ""}
                {a.recorded_by ? <span class="small"> ({a.recorded_by})</span> : null}
              </>
            ),
          },
        ]}
      />
      {p.canCreate ? (
        <div class="narrow">
          <h2>{t("assessments.new")}</h2>
          <ErrorSummary t={t} errors={p.errors} />
          <form method="post" action={`/residents/${r.id}/assessments`} novalidate>
            <Csrf token={p.ctx.csrfToken} />
            <SelectField
              t={t}
              name="audience"
              label="assessments.audience"
              value={v("audience") ?? defaultAudience}
              errors={p.errors}
              options={AUDIENCES.map((a) => ({ value: a, label: t(`assessments.audience.${a}`) }))}
            />
            <TextField
              t={t}
              name="date"
              label="col.date"
              type="date"
              value={v("date") ?? p.today}
              errors={p.errors}
              width="short"
            />
            <fieldset class="fieldset">
              <legend class="field__label">{t("assessments.levels")}</legend>
              <p class="field__hint">{t("assessments.levels_hint")}</p>
              {ASSESSMENT_DOMAINS.map((d) => {
                const name = `level_${d.code}`;
                const m = p.errors?.[name];
                return (
                  <div class={`field${m ? " field--error" : ""}`}>
                    <label class="field__label" for={`f-${name}`}>
                      {domainLabel(lang, d.code)}
                    </label>
                    {m ? <p class="field__error">{t(m.key, m.params)}</p> : null}
                    <select class="select" id={`f-${name}`} name={name}>
                      {ASSESSMENT_LEVELS.map((l) => (
                        <option value={l} selected={l === (v(name) ?? "none")}>
                          {t(`assessments.level.${l}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                );
              })}
            </fieldset>
            <TextareaField t={t} name="note" label="assessments.note" value={v("note")} errors={p.errors} />
            <Button>{t("assessments.save")}</Button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
