import type { Child } from "hono/jsx";
import { formatDate, type MsgKey } from "../../../lib/i18n/index.ts";
import { Button } from "../../../web/components.tsx";
import { ChoiceOptions } from "../../../web/kit/choice-options.tsx";
import type { VillageRow } from "../../villages/repo.ts";
import type { Lesson } from "../content.ts";
import type { PublicClass, PublicTeam } from "../service.ts";
import { contentLang, hrefOf, langOf, type PublicCtx } from "./layout.tsx";

/** 05/12/2026 as "Thứ Bảy, 05/12/2026": the weekday helps more than the date alone. */
export function dayLabel(ctx: PublicCtx, iso: string) {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return ctx.t("public.day_date", {
    day: ctx.t(`public.weekday.${day}` as MsgKey),
    date: formatDate(ctx.lang, iso),
  });
}

/** "Nghe" (listen): shown by /static/public.js when the browser can speak; hidden otherwise. */
export function ListenButton(p: { ctx: PublicCtx; target: string }) {
  return (
    <button
      type="button"
      class="button button--secondary listen"
      data-listen={p.target}
      data-stop={p.ctx.t("public.listen_stop")}
      hidden
    >
      {p.ctx.t("public.listen")}
    </button>
  );
}

/** "In" (print): shown by /static/public.js; without JavaScript the browser's own menu prints. */
export function PrintButton(p: { ctx: PublicCtx }) {
  return (
    <button type="button" class="button button--secondary" data-print hidden>
      {p.ctx.t("public.print")}
    </button>
  );
}

/**
 * A page about one piece of content (an outline, a quiz): a link up to its index, then its title
 * and its opening paragraphs, each marked with the content's language.
 */
export function ContentOpening(p: {
  ctx: PublicCtx;
  up: { href: string; label: string };
  item: { title: string; intro: readonly string[]; textLang?: "en" };
}) {
  const lang = langOf(p.ctx, p.item);
  return (
    <>
      <p class="qhead">
        <a href={hrefOf(p.ctx, p.up.href)}>{p.up.label}</a>
      </p>
      <h1 lang={lang}>{p.item.title}</h1>
      {p.item.intro.map((para) => (
        <p lang={lang}>{para}</p>
      ))}
    </>
  );
}

/** The villages as a select's choices: each by code, named. */
export function villageChoices(villages: readonly VillageRow[]) {
  return villages.map((v) => ({ value: v.code, label: v.name }));
}

/** A GET form choosing a village (works without JavaScript); `keep` holds other parameters. */
export function VillageFilter(p: {
  ctx: PublicCtx;
  action: string;
  villages: VillageRow[];
  selected: string | undefined;
  keep?: Record<string, string | undefined>;
  id?: string;
}) {
  const { t } = p.ctx;
  const id = p.id ?? "thon";
  return (
    <form class="filter" method="get" action={p.action}>
      {p.ctx.xa ? <input type="hidden" name="xa" value={p.ctx.xa} /> : null}
      {Object.entries(p.keep ?? {}).map(([k, v]) =>
        v === undefined ? null : <input type="hidden" name={k} value={v} />,
      )}
      <div>
        <label for={id}>{t("public.village_label")}</label>
        <select id={id} name="thon">
          <ChoiceOptions
            blank={t("public.village_all")}
            options={villageChoices(p.villages)}
            value={p.selected}
          />
        </select>
      </div>
      <Button>{t("public.show")}</Button>
    </form>
  );
}

/**
 * Classes, each with its day and time ("Thứ Năm, 11/06/2026, 19:30"); under a heading that already
 * names the day (`dated`), the time alone ("19:30", or "Giờ sẽ báo sau").
 */
export function ClassList(p: { ctx: PublicCtx; classes: PublicClass[]; headingLevel?: 3; dated?: boolean }) {
  const { ctx } = p;
  const { t } = ctx;
  if (p.classes.length === 0) return <p>{t("public.classes_none")}</p>;
  const when = (c: PublicClass) =>
    p.dated
      ? c.startTime
        ? t("public.class_at", { time: c.startTime })
        : t("public.class_time_later")
      : c.startTime
        ? t("public.class_day_time", { day: dayLabel(ctx, c.date), time: c.startTime })
        : dayLabel(ctx, c.date);
  return (
    <ul class="list">
      {p.classes.map((c) => (
        <li>
          <span class="when">{when(c)}</span>
          <br />
          <span lang={contentLang(ctx)}>{c.title}</span>
          <br />
          <span class="muted">
            {c.villageName
              ? t("public.class_village", { village: c.villageName })
              : t("public.class_commune_wide")}
            {c.place ? ` · ${t("public.class_place", { place: c.place })}` : ""}
            {c.audience
              ? ` · ${t("public.class_for", { audience: t(`audience.${c.audience}` as MsgKey) })}`
              : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A phone number people can tap to call. */
export function Tel(p: { phone: string }) {
  return (
    <a class="tel" href={`tel:${p.phone}`}>
      {p.phone.replace(/^(\d{4})(\d{3})(\d{3})$/, "$1 $2 $3")}
    </a>
  );
}

/** One village team's contacts: names and phones only when the team agreed to publish them. */
export function TeamContact(p: { ctx: PublicCtx; team: PublicTeam; heading?: boolean }) {
  const { t } = p.ctx;
  const { team } = p;
  return (
    <div>
      {p.heading ? <h3>{t("public.team_of", { village: team.villageName })}</h3> : null}
      {team.published && (team.leaders.length > 0 || team.teamPhone) ? (
        <ul>
          {team.leaders.map((l) => (
            <li>
              {t("public.team_leader", { name: l.name })}
              {l.phone ? (
                <>
                  {" — "}
                  <Tel phone={l.phone} />
                </>
              ) : null}
            </li>
          ))}
          {team.teamPhone ? (
            <li>
              {t("public.team_phone")} <Tel phone={team.teamPhone} />
            </li>
          ) : null}
        </ul>
      ) : (
        <p>{t("public.team_unpublished")}</p>
      )}
    </div>
  );
}

/** A bar 0–100 % with the target marked; the figures are in the text beside it. */
export function Bar(p: { value: number | null; target: number; met: boolean }) {
  const w = Math.max(0, Math.min(1, p.value ?? 0)) * 100;
  const target = Math.max(0, Math.min(1, p.target)) * 100;
  return (
    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="bar__bg" x="0" y="0" width="100" height="10" />
      <rect
        class={`bar__fill${p.met ? " bar__fill--met" : ""}`}
        x="0"
        y="0"
        width={w.toFixed(2)}
        height="10"
      />
      <line
        class="bar__target"
        x1={target.toFixed(2)}
        y1="0"
        x2={target.toFixed(2)}
        y2="10"
        vector-effect="non-scaling-stroke"
      />
    </svg>
  );
}

/** A lesson's text: introduction, sections of numbered steps with drawings, warnings, what to remember. */
export function LessonBody(p: { ctx: PublicCtx; lesson: Lesson; level: 2 | 3 }) {
  const { ctx, lesson } = p;
  const { t } = ctx;
  const H = (props: { children?: Child; id?: string }) =>
    p.level === 2 ? <h2 id={props.id}>{props.children}</h2> : <h3 id={props.id}>{props.children}</h3>;
  return (
    <div lang={langOf(ctx, lesson)}>
      {lesson.intro.map((para) => (
        <p>{para}</p>
      ))}
      {lesson.sections.map((s) => (
        <section>
          <H>{s.title}</H>
          <ol class="steps">
            {s.steps.map((step) => (
              <li>
                {step.text}
                {step.image ? (
                  <img
                    class="step-img"
                    src={ctx.assets.image(step.image.src)}
                    alt={step.image.alt}
                    width="240"
                    height="300"
                    loading="lazy"
                  />
                ) : null}
                {step.tip ? <span class="tip">{step.tip}</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ))}
      {lesson.warnings.length > 0 ? (
        <div class="box warn">
          <H>{t("public.lesson_warning")}</H>
          {lesson.warnings.map((w) => (
            <p>{w}</p>
          ))}
        </div>
      ) : null}
      <div class="box">
        <H>{t("public.lesson_remember")}</H>
        <ul>
          {lesson.remember.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
      </div>
      {lesson.links.length > 0 ? (
        <div data-nolisten>
          <H>{t("public.lesson_more")}</H>
          <ul>
            {lesson.links.map((l) => (
              <li>
                <a href={l.url}>{l.title}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export function lessonHref(ctx: PublicCtx, slug: string) {
  return hrefOf(ctx, `/bai-hoc/${slug}`);
}

/** A lesson in a list: its title linking to it, its summary under it. */
export function LessonItem(p: {
  ctx: PublicCtx;
  lesson: Pick<Lesson, "slug" | "title" | "summary" | "textLang">;
}) {
  const l = p.lesson;
  return (
    <li lang={langOf(p.ctx, l)}>
      <a href={lessonHref(p.ctx, l.slug)}>{l.title}</a>
      <br />
      <span class="muted">{l.summary}</span>
    </li>
  );
}
