import { formatDate, formatDateTime, formatNumber } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, FormKey } from "../../../web/components.tsx";
import { HintedField, HintedInput } from "../../../web/kit/hinted-field.tsx";
import { type Column, ListTable } from "../../../web/kit/table.tsx";
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
  const picks = p.picks;
  return (
    <ListTable
      caption={p.caption}
      captionHidden={false}
      attrs={{ "data-ranking": p.entries[0]?.kind }}
      rows={p.entries}
      empty={p.empty}
      rowAttrs={(e) => ({ "data-entry": `${e.kind}:${e.code}` })}
      columns={[
        picks && {
          head: t("emulation.propose_pick"),
          cell: (e) => {
            const key = `${e.kind}:${e.id}`;
            return e.score === null ? null : (
              <label class="checkbox">
                <input
                  type="checkbox"
                  name="pick"
                  value={key}
                  checked={picks.has(key)}
                  aria-label={`${t("emulation.propose_pick")}: ${e.name}`}
                />
              </label>
            );
          },
        },
        ...scoreColumns<PresentedEntry>(t),
      ]}
    />
  );
}

/** The rank, name, score and components of an entry: the columns a ranking and a commendation share. */
function scoreColumns<
  E extends { rank: number | null; name: string; scoreText: string; explanation: string[] },
>(t: PageCtx["t"]): Column<E>[] {
  return [
    { head: t("emulation.col_rank"), cell: (e) => e.rank ?? "—" },
    { head: t("emulation.col_name"), rowHeader: true, cell: (e) => e.name },
    {
      head: t("emulation.col_score"),
      class: "nowrap",
      cellAttrs: { "data-score": true },
      cell: (e) => <strong>{e.scoreText}</strong>,
    },
    { head: t("emulation.col_components"), cell: (e) => <Explanation lines={e.explanation} /> },
  ];
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
  const ranked = (heading: string, entries: typeof p.villages, empty: string) => (
    <RankTable
      ctx={p.ctx}
      caption={`${heading} — ${periodLabel(lang, r.period)}`}
      entries={entries}
      empty={empty}
      picks={picks}
    />
  );
  const tables = (
    <>
      {ranked(t("emulation.villages"), p.villages, t("emulation.none_villages"))}
      {ranked(t("emulation.units"), p.units, t("emulation.none_units"))}
    </>
  );
  return (
    <div>
      <h1>{t("emulation.title")}</h1>
      <ErrorSummary t={t} errors={undefined} message={p.error} />
      <p>{t("emulation.intro")}</p>
      <form method="get" action="/emulation" class="filters">
        <HintedField name="period" label={t("emulation.period")} hint={t("emulation.period_hint")}>
          <select class="select" id="f-period" name="period" aria-describedby="h-period">
            {p.choices.map((c) => (
              <option value={c.code} selected={c.code === r.period.code}>
                {c.label}
              </option>
            ))}
          </select>
        </HintedField>
        <HintedField name="date" label={t("emulation.date")}>
          <input class="input input--short" type="date" id="f-date" name="date" value={r.date} />
        </HintedField>
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
      <ListTable
        caption={t("commendations.title")}
        rows={p.list}
        empty={t("commendations.none")}
        firstCellIsHeader
        columns={[
          {
            head: t("commendations.col_period"),
            cell: (c) => <a href={`/commendations/${c.id}`}>{c.periodLabel}</a>,
          },
          { head: t("commendations.col_status"), cell: (c) => t(`commendations.status.${c.status}`) },
          { head: t("commendations.col_count"), cell: (c) => c.items.length },
          { head: t("commendations.col_created"), cell: (c) => formatDateTime(lang, new Date(c.createdAt)) },
        ]}
      />
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
    <ListTable
      caption={t("commendations.heading", { period: c.periodLabel })}
      rows={c.items}
      rowAttrs={(item) => ({ "data-entry": `${item.kind}:${item.code}` })}
      columns={[
        ...scoreColumns<Commendation["items"][number]>(t),
        {
          head: t("commendations.col_reason"),
          cell: (item) => {
            const name = `reason_${item.kind}_${item.id}`;
            return edit ? (
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
            );
          },
        },
      ]}
    />
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
          <HintedInput
            name="number"
            label={t("commendations.number")}
            hint={t("commendations.number_hint")}
            class="input input--short"
            inputmode="numeric"
            value={value("number", c.number ?? "")}
          />
          <HintedInput
            name="signer"
            label={t("commendations.signer")}
            value={value("signer", c.signerName ?? "")}
          />
          <HintedField name="signed_on" label={t("commendations.signed_on")}>
            <input
              class="input input--short"
              type="date"
              id="f-signed_on"
              name="signed_on"
              value={value("signed_on", c.signedOn)}
            />
          </HintedField>
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
