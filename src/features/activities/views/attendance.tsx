import type { Msg } from "../../../lib/errors.ts";
import { Button, Csrf, ErrorSummary, FormKey } from "../../../web/components.tsx";
import { HintedInput } from "../../../web/kit/hinted-field.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { RosterItem, SessionRoster } from "../service.ts";
import { dmy } from "./pages.tsx";

/**
 * A session's attendance on a phone: one big tick row per expected participant, "Lưu" saves them all
 * (a plain form POST); /static/attendance.js saves each tick at once when JavaScript runs. Then a
 * search to add a walk-in.
 */
export function SessionPage(p: {
  ctx: PageCtx;
  roster: SessionRoster;
  q: string | undefined;
  find: string | undefined;
  found: RosterItem[] | undefined;
  canRecord: boolean;
  error?: Msg | undefined;
}) {
  const { t } = p.ctx;
  const { activity: a, session: s, rows } = p.roster;
  const base = `/activities/${a.id}/sessions/${s.id}`;
  const meta = [a.village_name ?? t("activities.commune_wide"), a.place].filter(Boolean).join(" · ");
  return (
    <div class="attendance">
      <p>
        <a href={`/activities/${a.id}`}>{t("attendance.back_to_class")}</a>
      </p>
      <p class="attendance__class">{t("attendance.class_of", { title: a.title, code: a.code })}</p>
      <h1>{t("attendance.title", { date: dmy(s.date) })}</h1>
      <p class="small">{meta}</p>
      <ErrorSummary t={t} errors={undefined} message={p.error ? t(p.error.key, p.error.params) : undefined} />
      <p id="attendance-summary">{t("attendance.summary", { present: s.present, total: s.total })}</p>
      <p id="attendance-live" class="visually-hidden" role="status" aria-live="polite" />

      <h2>{t("attendance.roster")}</h2>
      <search>
        <form method="get" action={base} class="filters">
          <HintedInput name="q" label={t("attendance.search")} type="search" value={p.q} autocomplete="off" />
          <Button variant="secondary">{t("attendance.search_button")}</Button>
          {p.q ? <a href={base}>{t("attendance.show_all")}</a> : null}
        </form>
      </search>
      {p.roster.total > rows.length ? (
        <p class="notice">{t("attendance.capped", { shown: rows.length, total: p.roster.total })}</p>
      ) : null}
      {rows.length === 0 ? (
        <p>{t("attendance.none")}</p>
      ) : (
        <form
          method="post"
          action={base}
          class="roster-form"
          data-attendance=""
          data-endpoint={`${base}/attendance`}
          data-saving={t("attendance.saving")}
          data-saved={t("attendance.saved")}
          data-failed={t("attendance.save_failed")}
          data-hint-js={t("attendance.roster_hint_js")}
        >
          <Csrf token={p.ctx.csrfToken} />
          <FormKey />
          {p.q ? <input type="hidden" name="q" value={p.q} /> : null}
          <p id="roster-hint" class="field__hint">
            {t("attendance.roster_hint")}
          </p>
          <ul class="roster">
            {rows.map((r) => (
              <li class="roster__row">
                <input type="hidden" name="shown" value={String(r.resident_id)} />
                <input
                  class="roster__check"
                  type="checkbox"
                  id={`p-${r.resident_id}`}
                  name="present"
                  value={String(r.resident_id)}
                  checked={r.present === true}
                  disabled={!p.canRecord}
                />
                <label class="roster__label" for={`p-${r.resident_id}`}>
                  <span class="roster__name">{r.full_name}</span>
                  <span class="roster__meta">
                    {t("attendance.person_meta", { age: r.age, household: r.household })}
                    {r.present !== null ? ` · ${t("attendance.enrolled")}` : ""}
                  </span>
                </label>
                <span class="roster__status" data-status="" />
              </li>
            ))}
          </ul>
          {p.canRecord ? (
            <div class="roster__actions">
              <button type="submit" class="button roster__save">
                {t("common.save")}
              </button>
            </div>
          ) : null}
        </form>
      )}

      {p.canRecord ? (
        <section aria-labelledby="walkin-title" class="walkin">
          <h2 id="walkin-title">{t("attendance.walkin_title")}</h2>
          <search>
            <form method="get" action={`${base}#walkin-title`} class="filters">
              {p.q ? <input type="hidden" name="q" value={p.q} /> : null}
              <HintedInput
                name="find"
                label={t("attendance.walkin_label")}
                hint={t("attendance.walkin_hint")}
                type="search"
                value={p.find}
                autocomplete="off"
              />
              <Button variant="secondary">{t("attendance.walkin_find")}</Button>
            </form>
          </search>
          {p.found === undefined ? null : p.found.length === 0 ? (
            <p>{t("attendance.walkin_none")}</p>
          ) : (
            <ul class="roster walkin__results" aria-label={t("attendance.walkin_results")}>
              {p.found.map((r) => (
                <li class="roster__row">
                  <span class="roster__label">
                    <span class="roster__name">{r.full_name}</span>
                    <span class="roster__meta">
                      {t("attendance.person_meta", { age: r.age, household: r.household })}
                    </span>
                  </span>
                  {r.present !== null ? (
                    <span class="tag tag--green">{t("attendance.walkin_on_roster")}</span>
                  ) : (
                    <form method="post" action={`${base}/walk-in`} class="inline-form">
                      <Csrf token={p.ctx.csrfToken} />
                      <FormKey />
                      <input type="hidden" name="resident_id" value={String(r.resident_id)} />
                      <button
                        type="submit"
                        class="button walkin__add"
                        aria-label={t("attendance.walkin_add_label", { name: r.full_name })}
                      >
                        {t("attendance.walkin_add")}
                      </button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <script src="/static/attendance.js" defer />
    </div>
  );
}
