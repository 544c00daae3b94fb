import { ASSESSMENT_LEVELS, AUDIENCES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, SelectField, TextField } from "../../../web/components.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { TextareaField } from "../../visits/views/parts.tsx";
import { ASSESSMENT_DOMAINS, domainLabel } from "../domains.ts";
import type { AssessmentItem, getAssessedResident } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);
export type FormValues = Record<string, string | string[] | undefined>;

export function AssessmentsPage(p: {
  ctx: PageCtx;
  resident: Awaited<ReturnType<typeof getAssessedResident>>;
  items: AssessmentItem[];
  canCreate: boolean;
  values: FormValues;
  today: string;
  errors?: FieldErrors | undefined;
}) {
  const { t, lang } = p.ctx;
  const r = p.resident;
  const v = (k: string) => {
    const x = p.values[k];
    return Array.isArray(x) ? x[0] : x;
  };
  const defaultAudience = r.groups.find((g) => (AUDIENCES as readonly string[]).includes(g)) ?? "resident";
  return (
    <div>
      <p>
        <a href={`/residents/${r.id}`}>{t("common.back")}</a>
      </p>
      <h1>{t("assessments.title", { name: r.full_name })}</h1>
      <p class="lead">
        {t("assessments.resident_meta", { age: r.age, household: r.household, village: r.village_name })}
      </p>
      <div class="notice">
        <p>{t("assessments.not_certification")}</p>
      </div>
      <h2>{t("assessments.history")}</h2>
      {p.items.length === 0 ? (
        <p>{t("assessments.none")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("assessments.history")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col.date")}</th>
                <th scope="col">{t("assessments.audience")}</th>
                {ASSESSMENT_DOMAINS.map((d) => (
                  <th scope="col">{domainLabel(lang, d.code)}</th>
                ))}
                <th scope="col">{t("assessments.note")}</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((a) => (
                <tr>
                  <td class="nowrap">{dmy(a.date)}</td>
                  <td>{t(`assessments.audience.${a.audience}`)}</td>
                  {ASSESSMENT_DOMAINS.map((d) => (
                    <td>
                      {a.levels[d.code] ? t(`assessments.level.${a.levels[d.code]!}`) : t("common.none")}
                    </td>
                  ))}
                  <td>
                    {a.note ?? ""}
                    {a.recorded_by ? <span class="small"> ({a.recorded_by})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
