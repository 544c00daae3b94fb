/** A village's "who to visit next" lists (SPEC §7), on screen and printable on A4. */
import { formatDate, formatNumber } from "../../../lib/i18n/index.ts";
import type { PageCtx } from "../../../web/render.tsx";
import type { UnitIndicators, VisitList } from "../dashboard.ts";
import type { Plan } from "../plan.ts";
import { HouseholdTable, ResidentTable } from "./drill.tsx";
import { asOfText, drillHref, IndicatorCard, PeriodPicker, type Window } from "./parts.tsx";

export function VisitListPage(p: {
  ctx: PageCtx;
  data: VisitList;
  print: boolean;
  limit: number;
  /** The viewer records visits: each row opens the visit form for its household. */
  canVisit?: boolean;
}) {
  const visits = p.canVisit && !p.print;
  const { t, lang } = p.ctx;
  const { data } = p;
  const v = data.village;
  const team =
    data.team.members === 0
      ? t("visit.no_team")
      : data.team.leaders.length > 0
        ? t("visit.team_leaders", { village: v.name, names: data.team.leaders.join(", ") })
        : t("visit.team", { village: v.name });
  const lists = [
    { id: "adults", title: t("visit.list_adults"), drill: data.adults, noun: t("dashboard.unit.people") },
    { id: "vneid", title: t("visit.list_vneid"), drill: data.vneid, noun: t("dashboard.unit.people") },
    {
      id: "households",
      title: t("visit.list_households"),
      drill: data.households,
      noun: t("dashboard.unit.households"),
    },
  ] as const;
  return (
    <div class={`visit-next${p.print ? " visit-next--print" : ""}`}>
      <p class="no-print">
        <a href={`/villages/${v.id}`}>{t("visit.back")}</a>
      </p>
      <header class="print-header">
        <h1>{t("visit.title", { village: v.name })}</h1>
        <p class="print-header__meta">
          {t("visit.date", { date: formatDate(lang, data.date) })} · {team}
        </p>
      </header>
      <p>{t("visit.intro")}</p>
      <p class="no-print">
        {p.print ? (
          <>
            <span class="print-hint">{t("visit.print_hint")}</span>{" "}
            <a href={`/villages/${v.id}/visit-next`}>{t("visit.screen")}</a>
          </>
        ) : (
          <a class="button button--secondary" href={`/villages/${v.id}/visit-next?print=1`}>
            {t("visit.print")}
          </a>
        )}
      </p>
      {lists.map((l) => (
        <section class="visit-list" aria-labelledby={`${l.id}-heading`}>
          <h2 id={`${l.id}-heading`}>
            {l.title}{" "}
            <span class="visit-list__count">
              ({t("visit.total", { total: formatNumber(lang, l.drill.total), unit: l.noun })})
            </span>
          </h2>
          {l.drill.total === 0 ? (
            <p>{t("visit.none")}</p>
          ) : (
            <>
              {l.drill.total > l.drill.items.length ? (
                <p class="no-print">
                  {t("visit.showing", {
                    shown: formatNumber(lang, l.drill.items.length),
                    total: formatNumber(lang, l.drill.total),
                  })}
                </p>
              ) : null}
              {l.drill.kind === "residents" ? (
                <ResidentTable
                  t={t}
                  id={l.id}
                  caption={l.title}
                  items={l.drill.items}
                  poor={data.poor}
                  startAt={0}
                  note
                  visitHref={
                    visits
                      ? (r) => `/visits/new?code=${encodeURIComponent(r.household)}&resident=${r.id}`
                      : undefined
                  }
                />
              ) : (
                <HouseholdTable
                  t={t}
                  id={l.id}
                  caption={l.title}
                  items={l.drill.items}
                  startAt={0}
                  note
                  visitHref={visits ? (h) => `/visits/new?household=${h.id}` : undefined}
                />
              )}
            </>
          )}
        </section>
      ))}
    </div>
  );
}

export function UnitIndicatorsPage(p: { ctx: PageCtx; plan: Plan; data: UnitIndicators; window: Window }) {
  const { t, lang } = p.ctx;
  const { unit } = p.data;
  return (
    <div>
      <p class="no-print">
        <a href={`/units/${unit.id}`}>{t("unit_ind.back")}</a>
      </p>
      <h1>{t("unit_ind.title", { unit: unit.name })}</h1>
      <p class="lead">{asOfText(t, lang, p.window)}</p>
      <p>{t("unit_ind.intro")}</p>
      <PeriodPicker ctx={p.ctx} plan={p.plan} window={p.window} action={`/units/${unit.id}/indicators`} />
      <ul class="ind-cards">
        {p.data.rows.map(({ indicator, figure }) =>
          figure ? (
            <IndicatorCard
              ctx={p.ctx}
              plan={p.plan}
              ind={indicator}
              figure={figure}
              href={drillHref(indicator.code, p.window, { unit: unit.code })}
              date={p.window.date}
              headingLevel={2}
            />
          ) : (
            <li class="ind-card ind-card--none">
              <h2 class="ind-card__title">
                <span class="ind-card__no">{indicator.id}.</span> {indicator.title}
              </h2>
              <p>{t("unit_ind.none")}</p>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
