import { formatDateTime, formatNumber, formatPercent, type MsgKey } from "../../../lib/i18n/index.ts";
import type { VillageRow } from "../../villages/repo.ts";
import type { PublicClass, PublicProgress, PublicTeam } from "../service.ts";
import { LinkCards } from "./cards.tsx";
import { hrefOf, type PublicCtx } from "./layout.tsx";
import { Bar, ClassList, TeamContact, VillageFilter } from "./parts.tsx";

const HOUSEHOLD_INDICATORS = new Set(["digital_households"]);

export function HomePage(p: {
  ctx: PublicCtx;
  progress: PublicProgress | undefined;
  classes: PublicClass[];
  villages: VillageRow[];
  village: VillageRow | undefined;
  team: PublicTeam | undefined;
  action: string;
}) {
  const { ctx } = p;
  const { t, lang } = ctx;
  const others = ctx.communes.length > 1 ? ctx.communes : [];
  return (
    <>
      <h1>{t("public.home_h1", { commune: ctx.commune.name })}</h1>
      <p class="lead">{t("public.home_lead")}</p>
      {others.length > 0 ? (
        <nav aria-labelledby="xa-title" class="box">
          <h2 id="xa-title">{t("public.communes_title")}</h2>
          <ul>
            {others.map((c) => (
              <li>
                <a
                  href={`${p.action}?xa=${encodeURIComponent(c.code)}`}
                  aria-current={c.id === ctx.commune.id ? "page" : undefined}
                >
                  {c.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <LinkCards
        items={(
          [
            ["/tu-danh-gia", "public.card_quiz", "public.card_quiz_hint"],
            ["/hoc", "public.card_learn", "public.card_learn_hint"],
            ["/lop-hoc", "public.card_classes", "public.card_classes_hint"],
            ["/ho-tro", "public.card_help", "public.card_help_hint"],
          ] as const
        ).map(([path, title, hint]) => ({
          href: hrefOf(ctx, path),
          title: t(title),
          text: <span>{t(hint)}</span>,
        }))}
      />

      <h2>{t("public.what_h2")}</h2>
      <p>{t("public.what_p1")}</p>
      <p>{t("public.what_p2")}</p>
      <p>{t("public.what_p3")}</p>

      <h2 id="tien-do">{t("public.progress_h2")}</h2>
      {p.progress ? (
        <>
          <ul class="bars">
            {p.progress.items.map((i) => {
              const unit = HOUSEHOLD_INDICATORS.has(i.code)
                ? t("public.unit_households")
                : t("public.unit_people");
              return (
                <li>
                  <strong>{t(`public.ind.${i.code}` as MsgKey)}</strong>
                  <br />
                  {i.value === null ? (
                    <span>{t("public.ind_no_data")}</span>
                  ) : (
                    <>
                      <span class="figure">{formatPercent(lang, i.value)}</span>{" "}
                      {t("public.ind_of", {
                        numerator: formatNumber(lang, i.numerator),
                        denominator: formatNumber(lang, i.denominator),
                        unit,
                      })}
                    </>
                  )}
                  <Bar value={i.value} target={i.target} met={i.met} />
                  <span class="muted">
                    {t("public.ind_target", {
                      year: p.progress!.year,
                      target: formatPercent(lang, i.target),
                    })}
                  </span>
                  {i.met ? <span class="met"> — {t("public.ind_met")}</span> : null}
                </li>
              );
            })}
          </ul>
          <p class="muted">{t("public.progress_note", { at: formatDateTime(lang, p.progress.at) })}</p>
        </>
      ) : (
        <p>{t("public.progress_error")}</p>
      )}

      <h2 id="lop-hoc">{t("public.classes_h2")}</h2>
      <VillageFilter
        ctx={ctx}
        action={`${p.action}#lop-hoc`}
        villages={p.villages}
        selected={p.village?.code}
      />
      <ClassList ctx={ctx} classes={p.classes} />
      <p>
        <a href={hrefOf(ctx, "/lop-hoc", { thon: p.village?.code })}>{t("public.classes_all")}</a>
      </p>

      <h2>{t("public.help_h2")}</h2>
      <p>{t("public.help_intro")}</p>
      {p.team ? <TeamContact ctx={ctx} team={p.team} heading /> : <p>{t("public.help_choose_village")}</p>}
      <p>
        <a href={hrefOf(ctx, "/ho-tro")}>{t("public.help_all")}</a>
      </p>

      <h2>{t("public.platform_h2")}</h2>
      <p>{t("public.platform_p")}</p>
      <p>
        <a class="button" href={ctx.content.outlines.platform.url}>
          {t("public.platform_link")}
        </a>
      </p>
    </>
  );
}
