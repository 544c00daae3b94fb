import { formatDate, formatDateTime, formatNumber } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, FormKey } from "../../../web/components.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { periodLabel } from "../../reports/build.ts";
import { pct } from "../explain.ts";
import { COMPONENTS } from "../score.ts";
import type { Commendation, PresentedEntry, Ranking } from "../service.ts";

/** One entry's components, one line each (the same lines as the API's `explanation` and the DOCX). */
function Explanation(p: { lines: string[] }) {
  return (
    <ul class="plain-list">
      {p.lines.map((l) => (
        <li>{l}</li>
      ))}
    </ul>
  );
}

function RankTable(p: {
  ctx: PageCtx;
  caption: string;
  entries: PresentedEntry[];
  empty: string;
  picks?: Set<string> | undefined;
}) {
  const { t } = p.ctx;
  if (p.entries.length === 0) return <p>{p.empty}</p>;
  return (
    <div class="table-wrap">
      <table class="table" data-ranking={p.entries[0]?.kind}>
        <caption>{p.caption}</caption>
        <thead>
          <tr>
            {p.picks ? <th scope="col">{t("emulation.propose_pick")}</th> : null}
            <th scope="col">{t("emulation.col_rank")}</th>
            <th scope="col">{t("emulation.col_name")}</th>
            <th scope="col">{t("emulation.col_score")}</th>
            <th scope="col">{t("emulation.col_components")}</th>
          </tr>
        </thead>
        <tbody>
          {p.entries.map((e) => {
            const key = `${e.kind}:${e.id}`;
            return (
              <tr data-entry={`${e.kind}:${e.code}`}>
                {p.picks ? (
                  <td>
                    {e.score === null ? null : (
                      <label class="checkbox">
                        <input
                          type="checkbox"
                          name="pick"
                          value={key}
                          checked={p.picks.has(key)}
                          aria-label={`${t("emulation.propose_pick")}: ${e.name}`}
                        />
                      </label>
                    )}
                  </td>
                ) : null}
                <td>{e.rank ?? "—"}</td>
                <th scope="row">{e.name}</th>
                <td class="nowrap" data-score>
                  <strong>{e.scoreText}</strong>
                </td>
                <td>
                  <Explanation lines={e.explanation} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function RankingPage(p: {
  ctx: PageCtx;
  ranking: Ranking;
  villages: PresentedEntry[];
  units: PresentedEntry[];
  choices: { code: string; label: string }[];
  canPropose: boolean;
  error?: string | undefined;
}) {
  const { t, lang } = p.ctx;
  const r = p.ranking;
  const total = COMPONENTS.reduce((s, k) => s + r.rules.weights[k], 0);
  const top = r.rules.candidates;
  const picks = p.canPropose
    ? new Set(
        [...p.villages.slice(0, top), ...p.units.slice(0, top)]
          .filter((e) => e.score !== null)
          .map((e) => `${e.kind}:${e.id}`),
      )
    : undefined;
  const renormalised = [...p.villages, ...p.units].some((e) => e.renormalised);
  const tables = (
    <>
      <RankTable
        ctx={p.ctx}
        caption={`${t("emulation.villages")} — ${periodLabel(lang, r.period)}`}
        entries={p.villages}
        empty={t("emulation.none_villages")}
        picks={picks}
      />
      <RankTable
        ctx={p.ctx}
        caption={`${t("emulation.units")} — ${periodLabel(lang, r.period)}`}
        entries={p.units}
        empty={t("emulation.none_units")}
        picks={picks}
      />
    </>
  );
  return (
    <div>
      <h1>{t("emulation.title")}</h1>
      <ErrorSummary t={t} errors={undefined} message={p.error} />
      <p>{t("emulation.intro")}</p>
      <form method="get" action="/emulation" class="filters">
        <div class="field">
          <label class="field__label" for="f-period">
            {t("emulation.period")}
          </label>
          <p class="field__hint" id="h-period">
            {t("emulation.period_hint")}
          </p>
          <select class="select" id="f-period" name="period" aria-describedby="h-period">
            {p.choices.map((c) => (
              <option value={c.code} selected={c.code === r.period.code}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="field__label" for="f-date">
            {t("emulation.date")}
          </label>
          <input class="input input--short" type="date" id="f-date" name="date" value={r.date} />
        </div>
        <Button>{t("emulation.show")}</Button>
      </form>
      <h2>{t("emulation.rules")}</h2>
      <dl class="summary-list">
        <div>
          <dt>{t("emulation.rules_weights")}</dt>
          <dd>
            <ul class="plain-list">
              {COMPONENTS.map((k) => (
                <li>
                  {t("emulation.weight_line", {
                    component: t(`emulation.component.${k}`),
                    weight: pct(lang, r.rules.weights[k] / total),
                  })}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>{t("emulation.component.activity")}</dt>
          <dd>
            {t("emulation.rules_activity_village", {
              classes: formatNumber(lang, r.rules.activity.village.classes, { digits: 1 }),
              sessions: formatNumber(lang, r.rules.activity.village.sessions, { digits: 1 }),
              visits: formatNumber(lang, r.rules.activity.village.visits, { digits: 1 }),
            })}{" "}
            {t("emulation.rules_activity_unit", {
              classes: formatNumber(lang, r.rules.activity.unit.classes, { digits: 1 }),
              sessions: formatNumber(lang, r.rules.activity.unit.sessions, { digits: 1 }),
            })}{" "}
            {t("emulation.rules_months", {
              months: r.months,
              start: formatDate(lang, r.period.start),
              date: formatDate(lang, r.date),
            })}
          </dd>
        </div>
      </dl>
      <p>{t("emulation.rules_share")}</p>
      {renormalised ? (
        <div class="notice">
          <p>{t("emulation.renormalised")}</p>
          <ul class="plain-list">
            {COMPONENTS.filter((k) =>
              [...p.villages, ...p.units].every((e) => e.components.find((c) => c.key === k)?.share === null),
            ).map((k) => (
              <li>{t(`emulation.no_source.${k}`)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {p.canPropose ? (
        <form method="post" action="/commendations">
          <Csrf token={p.ctx.csrfToken} />
          <FormKey />
          <input type="hidden" name="period" value={r.period.code} />
          <input type="hidden" name="date" value={r.date} />
          {tables}
          <h2>{t("emulation.propose")}</h2>
          <p>{t("emulation.propose_intro", { n: top })}</p>
          <Button>{t("emulation.propose_button")}</Button>
        </form>
      ) : (
        tables
      )}
      <p>
        <a href="/commendations">{t("commendations.list")}</a>
      </p>
    </div>
  );
}

export function CommendationListPage(p: { ctx: PageCtx; list: Commendation[] }) {
  const { t, lang } = p.ctx;
  return (
    <div>
      <h1>{t("commendations.title")}</h1>
      <p>
        <a href="/emulation">{t("emulation.title")}</a>
      </p>
      {p.list.length === 0 ? (
        <p>{t("commendations.none")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t("commendations.col_period")}</th>
                <th scope="col">{t("commendations.col_status")}</th>
                <th scope="col">{t("commendations.col_count")}</th>
                <th scope="col">{t("commendations.col_created")}</th>
              </tr>
            </thead>
            <tbody>
              {p.list.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`/commendations/${c.id}`}>{c.periodLabel}</a>
                  </th>
                  <td>{t(`commendations.status.${c.status}`)}</td>
                  <td>{c.items.length}</td>
                  <td>{formatDateTime(lang, new Date(c.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function CommendationPage(p: {
  ctx: PageCtx;
  c: Commendation;
  canEdit: boolean;
  canApprove: boolean;
  error?: string | undefined;
  values?: Record<string, string> | undefined;
}) {
  const { t, lang } = p.ctx;
  const c = p.c;
  const draft = c.status === "draft";
  const edit = draft && p.canEdit;
  const value = (name: string, fallback: string) => p.values?.[name] ?? fallback;
  const rows = (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t("emulation.col_rank")}</th>
            <th scope="col">{t("emulation.col_name")}</th>
            <th scope="col">{t("emulation.col_score")}</th>
            <th scope="col">{t("emulation.col_components")}</th>
            <th scope="col">{t("commendations.col_reason")}</th>
          </tr>
        </thead>
        <tbody>
          {c.items.map((item) => {
            const name = `reason_${item.kind}_${item.id}`;
            return (
              <tr data-entry={`${item.kind}:${item.code}`}>
                <td>{item.rank ?? "—"}</td>
                <th scope="row">{item.name}</th>
                <td class="nowrap" data-score>
                  <strong>{item.scoreText}</strong>
                </td>
                <td>
                  <Explanation lines={item.explanation} />
                </td>
                <td>
                  {edit ? (
                    <>
                      <label class="visually-hidden" for={`f-${name}`}>
                        {`${t("commendations.col_reason")}: ${item.name}`}
                      </label>
                      <textarea class="input textarea" id={`f-${name}`} name={name} rows={5} maxlength={1000}>
                        {value(name, item.reason)}
                      </textarea>
                    </>
                  ) : (
                    item.reason
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
  return (
    <div>
      <h1>{t("commendations.heading", { period: c.periodLabel })}</h1>
      <ErrorSummary t={t} errors={undefined} message={p.error} />
      <p>
        <strong>{t(`commendations.status.${c.status}`)}</strong>.{" "}
        {t("commendations.figures_as_of", { date: formatDate(lang, c.date) })}
        {c.approvedAt
          ? ` ${t("commendations.approved_by", { who: c.approvedBy ?? "—", at: formatDateTime(lang, new Date(c.approvedAt)) })}`
          : null}
      </p>
      <p>
        <a href={`/commendations/${c.id}/docx`} download>
          {t("commendations.download")}
        </a>
      </p>
      {edit ? (
        <form method="post" action={`/commendations/${c.id}`}>
          <Csrf token={p.ctx.csrfToken} />
          {rows}
          <div class="field">
            <label class="field__label" for="f-number">
              {t("commendations.number")}
            </label>
            <p class="field__hint" id="h-number">
              {t("commendations.number_hint")}
            </p>
            <input
              class="input input--short"
              id="f-number"
              name="number"
              inputmode="numeric"
              value={value("number", c.number ?? "")}
              aria-describedby="h-number"
            />
          </div>
          <div class="field">
            <label class="field__label" for="f-signer">
              {t("commendations.signer")}
            </label>
            <input class="input" id="f-signer" name="signer" value={value("signer", c.signerName ?? "")} />
          </div>
          <div class="field">
            <label class="field__label" for="f-signed_on">
              {t("commendations.signed_on")}
            </label>
            <input
              class="input input--short"
              type="date"
              id="f-signed_on"
              name="signed_on"
              value={value("signed_on", c.signedOn)}
            />
          </div>
          <Button>{t("commendations.save")}</Button>
        </form>
      ) : (
        rows
      )}
      {draft && p.canApprove ? (
        <form method="post" action={`/commendations/${c.id}/approve`}>
          <Csrf token={p.ctx.csrfToken} />
          <p>{t("commendations.approve_intro")}</p>
          <Button>{t("commendations.approve")}</Button>
        </form>
      ) : null}
      <p>
        <a href="/commendations">{t("commendations.list")}</a>
      </p>
    </div>
  );
}
