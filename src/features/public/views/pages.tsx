import type { VillageRow } from "../../villages/repo.ts";
import type { FrameworkGroup, Lesson, Outline } from "../content.ts";
import type { PublicClass, PublicTeam } from "../service.ts";
import { GroupCards, TermList } from "./cards.tsx";
import { contentLang, groupName, hrefOf, langOf, linesIn, type PublicCtx, Tx, textIn } from "./layout.tsx";
import {
  ClassList,
  ContentOpening,
  dayLabel,
  LessonBody,
  LessonItem,
  ListenButton,
  lessonHref,
  PrintButton,
  TeamContact,
  VillageFilter,
} from "./parts.tsx";

// --- classes and help --------------------------------------------------------------------

export function ClassesPage(p: {
  ctx: PublicCtx;
  classes: PublicClass[];
  villages: VillageRow[];
  village: VillageRow | undefined;
  team: PublicTeam | undefined;
}) {
  const { ctx } = p;
  const { t } = ctx;
  // Grouped by day: an elderly reader looks for "which day", then "where".
  const days = new Map<string, PublicClass[]>();
  for (const c of p.classes) days.set(c.date, [...(days.get(c.date) ?? []), c]);
  return (
    <>
      <h1>
        {p.village
          ? t("public.classes_title_village", { village: p.village.name })
          : t("public.classes_title")}
      </h1>
      <p class="lead">{t("public.classes_lead")}</p>
      <VillageFilter ctx={ctx} action="/lop-hoc" villages={p.villages} selected={p.village?.code} />
      {p.classes.length === 0 ? (
        <p>{t("public.classes_none")}</p>
      ) : (
        [...days].map(([date, list]) => (
          <section>
            <h2>{dayLabel(ctx, date)}</h2>
            <ClassList ctx={ctx} classes={list} dated />
          </section>
        ))
      )}
      <h2>{t("public.classes_how_h2")}</h2>
      <p>{t("public.classes_how")}</p>
      {p.team ? <TeamContact ctx={ctx} team={p.team} heading /> : null}
      <p>
        <a href={hrefOf(ctx, "/ho-tro")}>{t("public.help_all")}</a>
      </p>
    </>
  );
}

export function HelpPage(p: {
  ctx: PublicCtx;
  teams: PublicTeam[];
  villages: VillageRow[];
  village: VillageRow | undefined;
}) {
  const { ctx } = p;
  const { t } = ctx;
  const shown = p.village ? p.teams.filter((x) => x.villageCode === p.village!.code) : p.teams;
  return (
    <>
      <h1>{t("public.help_title")}</h1>
      <p class="lead">{t("public.help_intro")}</p>
      <div class="box">
        <p>{t("public.help_how")}</p>
      </div>
      {p.villages.length > 1 ? (
        <VillageFilter ctx={ctx} action="/ho-tro" villages={p.villages} selected={p.village?.code} />
      ) : null}
      {shown.length === 0 ? <p>{t("public.help_none")}</p> : null}
      {shown.map((team) => (
        <section>
          <h2>{t("public.team_of", { village: team.villageName })}</h2>
          <TeamContact ctx={ctx} team={team} />
          <p>
            <a href={hrefOf(ctx, "/lop-hoc", { thon: team.villageCode })}>
              {t("public.team_classes", { village: team.villageName })}
            </a>
          </p>
        </section>
      ))}
    </>
  );
}

// --- skills framework ----------------------------------------------------------------------

export function FrameworkPage(p: { ctx: PublicCtx }) {
  const { ctx } = p;
  const { t } = ctx;
  const fw = ctx.content.framework;
  const title = textIn(ctx, fw.title, fw.en?.title);
  const intro = linesIn(ctx, fw.intro, fw.en?.intro);
  return (
    <>
      <h1 lang={title.lang}>{title.text}</h1>
      {intro.lines.map((para) => (
        <p class="lead" lang={intro.lang}>
          {para}
        </p>
      ))}
      <h2>{t("public.framework_groups")}</h2>
      <GroupCards ctx={ctx} base="/khung-ky-nang" />
      <h2>{t("public.framework_domains")}</h2>
      <TermList
        ctx={ctx}
        terms={fw.domains.map((d) => ({ name: [d.name, d.en?.name], text: [d.summary, d.en?.summary] }))}
      />
      <h2>{t("public.framework_sources")}</h2>
      <ul lang={contentLang(ctx)}>
        {fw.sources.map((s) => (
          <li>{s}</li>
        ))}
      </ul>
    </>
  );
}

/** What "basic digital skills" means for a group, in the page's language. */
function BasicList(p: { ctx: PublicCtx; group: FrameworkGroup }) {
  const basic = linesIn(p.ctx, p.group.basic, p.group.en?.basic);
  return (
    <ul lang={basic.lang}>
      {basic.lines.map((b) => (
        <li>{b}</li>
      ))}
    </ul>
  );
}

export function FrameworkGroupPage(p: { ctx: PublicCtx; group: FrameworkGroup }) {
  const { ctx, group } = p;
  const { t } = ctx;
  const fw = ctx.content.framework;
  const domainOf = new Map(fw.domains.map((d) => [d.code, d]));
  const components = group.domains.reduce((n, d) => n + d.components.length, 0);
  return (
    <>
      <p class="qhead">
        <a href={hrefOf(ctx, "/khung-ky-nang")}>
          <Tx ctx={ctx} vi={fw.title} en={fw.en?.title} />
        </a>
      </p>
      <h1>{t("public.framework_group_title", { group: textIn(ctx, group.name, group.en?.name).text })}</h1>
      <p class="lead">
        <Tx ctx={ctx} vi={group.who} en={group.en?.who} />
      </p>
      <p class="muted" lang={contentLang(ctx)}>
        {group.basis}
      </p>
      <div class="box">
        <h2>{t("public.framework_basic")}</h2>
        <BasicList ctx={ctx} group={group} />
      </div>
      <p>{t("public.framework_counts", { domains: group.domains.length, components })}</p>
      {group.code === "student" ? (
        <>
          <h2>{t("public.framework_levels")}</h2>
          <TermList
            ctx={ctx}
            terms={fw.levels.map((l) => ({
              name: [l.name, l.en?.name],
              text: [l.description, l.en?.description],
            }))}
          />
        </>
      ) : null}
      {group.domains.map((d) => {
        const domain = domainOf.get(d.code);
        return (
          <section>
            <h2>{domain ? <Tx ctx={ctx} vi={domain.name} en={domain.en?.name} /> : d.code}</h2>
            {domain ? (
              <p>
                <Tx ctx={ctx} vi={domain.summary} en={domain.en?.summary} />
              </p>
            ) : null}
            <dl class="component" lang={contentLang(ctx)}>
              {d.components.map((c) => (
                <>
                  <dt>
                    {c.code}. {c.name}
                  </dt>
                  <dd>
                    <span class="visually-hidden">{t("public.framework_basic_short")}: </span>
                    {c.basic}
                  </dd>
                </>
              ))}
            </dl>
          </section>
        );
      })}
      <div class="tools">
        <a class="button" href={hrefOf(ctx, `/tu-danh-gia/${group.slug}`)}>
          {t("public.framework_to_quiz")}
        </a>
        <a class="button button--secondary" href={hrefOf(ctx, `/hoc/${group.slug}`)}>
          {t("public.framework_to_learn")}
        </a>
      </div>
    </>
  );
}

// --- learning materials ---------------------------------------------------------------------

/** Every lesson, in the order the outlines first name them (the residents' first), then the others. */
function lessonsInOrder(ctx: PublicCtx): Lesson[] {
  const slugs = new Set(ctx.content.outlines.groups.flatMap((g) => g.modules.flatMap((m) => m.lessons)));
  for (const slug of ctx.content.lessons.keys()) slugs.add(slug);
  return [...slugs].map((s) => ctx.content.lessons.get(s)!);
}

export function LearnIndexPage(p: { ctx: PublicCtx }) {
  const { ctx } = p;
  const { t } = ctx;
  const { content } = ctx;
  return (
    <>
      <h1>{t("public.learn_title")}</h1>
      <p class="lead">{t("public.learn_lead")}</p>
      <h2>{t("public.learn_by_group")}</h2>
      <ul class="cards">
        {content.framework.groups.map((g) => {
          const outline = content.outlines.groups.find((o) => o.group === g.code);
          return (
            <li>
              <a class="card" href={hrefOf(ctx, `/hoc/${g.slug}`)}>
                <strong>
                  <Tx ctx={ctx} vi={g.name} en={g.en?.name} />
                </strong>
                <span lang={langOf(ctx, outline)}>{outline?.title}</span>
              </a>
            </li>
          );
        })}
      </ul>
      <h2>{t("public.learn_all_lessons")}</h2>
      <ul>
        {lessonsInOrder(ctx).map((l) => (
          <LessonItem ctx={ctx} lesson={l} />
        ))}
      </ul>
      <div class="box">
        <p>{t("public.platform_p")}</p>
        <p>
          <a href={content.outlines.platform.url}>{t("public.platform_link")}</a>
        </p>
      </div>
    </>
  );
}

export function OutlinePage(p: { ctx: PublicCtx; group: FrameworkGroup; outline: Outline }) {
  const { ctx, group, outline } = p;
  const { t } = ctx;
  const total = outline.modules.reduce(
    (n, m) => n + m.lessons.reduce((k, s) => k + (ctx.content.lessons.get(s)?.minutes ?? 0), 0),
    0,
  );
  return (
    <>
      <ContentOpening ctx={ctx} up={{ href: "/hoc", label: t("public.learn_title") }} item={outline} />
      <p class="muted">{t("public.outline_total", { hours: Math.round((total / 60) * 10) / 10 })}</p>
      <div class="tools">
        <a class="button" href={hrefOf(ctx, `/hoc/${group.slug}/so-tay`)}>
          {t("public.handbook_read")}
        </a>
        <HandbookDownloads ctx={ctx} slug={group.slug} />
      </div>
      {outline.modules.map((m) => (
        <section>
          <h2 lang={langOf(ctx, outline)}>{m.title}</h2>
          <p>
            <strong>{t("public.outline_goal")}</strong> <span lang={langOf(ctx, outline)}>{m.goal}</span>
          </p>
          <ol>
            {m.lessons.map((slug) => {
              const l = ctx.content.lessons.get(slug)!;
              return (
                <li lang={langOf(ctx, l)}>
                  <a href={lessonHref(ctx, slug)}>{l.title}</a>{" "}
                  <span class="muted">({t("public.minutes", { n: l.minutes })})</span>
                  <br />
                  {l.summary}
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      <h2>{t("public.outline_next")}</h2>
      <ul>
        <li>
          <a href={hrefOf(ctx, `/tu-danh-gia/${group.slug}`)}>{t("public.framework_to_quiz")}</a>
        </li>
        <li>
          <a href={hrefOf(ctx, `/khung-ky-nang/${group.slug}`)}>
            {t("public.outline_framework", { group: groupName(ctx, group) })}
          </a>
        </li>
        <li>
          <a href={ctx.content.outlines.platform.url}>{t("public.platform_link")}</a>
        </li>
      </ul>
    </>
  );
}

export function LessonPage(p: { ctx: PublicCtx; lesson: Lesson; groups: FrameworkGroup[] }) {
  const { ctx, lesson } = p;
  const { t } = ctx;
  const domains = lesson.domains.map((d) => {
    const x = ctx.content.framework.domains.find((y) => y.code === d);
    return x ? textIn(ctx, x.name, x.en?.name).text : d;
  });
  return (
    <>
      <p class="qhead">
        <a href={hrefOf(ctx, "/hoc")}>{t("public.learn_title")}</a>
      </p>
      <article id="bai">
        <h1 lang={langOf(ctx, lesson)}>{lesson.title}</h1>
        <p class="lead" lang={langOf(ctx, lesson)}>
          {lesson.summary}
        </p>
        <p class="meta" data-nolisten>
          {t("public.minutes", { n: lesson.minutes })} ·{" "}
          {t("public.lesson_domains", { domains: domains.join(", ") })}
          <br />
          {t("public.lesson_for", {
            groups: p.groups.map((g) => groupName(ctx, g)).join(", "),
          })}
        </p>
        <div class="tools" data-nolisten>
          <ListenButton ctx={ctx} target="#bai" />
          <PrintButton ctx={ctx} />
          <a class="button button--secondary" href={hrefOf(ctx, "/lop-hoc")}>
            {t("public.lesson_find_class")}
          </a>
        </div>
        <LessonBody ctx={ctx} lesson={lesson} level={2} />
      </article>
      <h2>{t("public.lesson_in_outlines")}</h2>
      <ul>
        {p.groups.map((g) => (
          <li>
            <a href={hrefOf(ctx, `/hoc/${g.slug}`)}>
              <Tx ctx={ctx} vi={g.name} en={g.en?.name} />
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A group's handbook: every lesson of its outline on one page, to read, print or keep (`standalone`: the downloaded file). */
/** A group's handbook to download: as PDF, and as one HTML page to keep offline. */
function HandbookDownloads(p: { ctx: PublicCtx; slug: string }) {
  return (
    <>
      <a class="button button--secondary" href={`/hoc/${p.slug}/so-tay.pdf`} download>
        {p.ctx.t("public.handbook_pdf")}
      </a>
      <a class="button button--secondary" href={`/hoc/${p.slug}/so-tay.html`} download>
        {p.ctx.t("public.handbook_download")}
      </a>
    </>
  );
}

export function HandbookPage(p: {
  ctx: PublicCtx;
  group: FrameworkGroup;
  outline: Outline;
  standalone?: boolean;
}) {
  const { ctx, outline, group } = p;
  const { t } = ctx;
  const fw = ctx.content.framework;
  return (
    <>
      {p.standalone ? null : (
        <p class="qhead no-print">
          <a href={hrefOf(ctx, `/hoc/${group.slug}`)} lang={langOf(ctx, outline)}>
            {outline.title}
          </a>
        </p>
      )}
      <article id="so-tay">
        <h1 lang={langOf(ctx, outline)}>{outline.handbook.title}</h1>
        <p class="muted">
          {t("app.commune_of", { commune: ctx.commune.name, province: ctx.commune.province })}
        </p>
        {p.standalone ? null : (
          <>
            <div class="tools" data-nolisten>
              <ListenButton ctx={ctx} target="#so-tay" />
              <PrintButton ctx={ctx} />
              <HandbookDownloads ctx={ctx} slug={group.slug} />
            </div>
            <p class="box no-print" data-nolisten>
              {t("public.handbook_print_hint")}
            </p>
          </>
        )}
        {outline.handbook.foreword.map((para) => (
          <p lang={langOf(ctx, outline)}>{para}</p>
        ))}
        <h2>{t("public.handbook_basic", { group: groupName(ctx, group) })}</h2>
        <BasicList ctx={ctx} group={group} />
        <h2>{t("public.handbook_contents")}</h2>
        <ol class="toc">
          {outline.modules
            .flatMap((m) => m.lessons)
            .map((slug) => (
              <li lang={langOf(ctx, ctx.content.lessons.get(slug))}>
                <a href={`#${slug}`}>{ctx.content.lessons.get(slug)!.title}</a>
              </li>
            ))}
        </ol>
        {outline.modules.map((m) =>
          m.lessons.map((slug, i) => {
            const l = ctx.content.lessons.get(slug)!;
            return (
              <section class="handbook-lesson" aria-labelledby={slug}>
                {i === 0 ? (
                  <p class="qhead" lang={langOf(ctx, outline)}>
                    {m.title}
                  </p>
                ) : null}
                <h2 id={slug} lang={langOf(ctx, l)}>
                  {l.title}
                </h2>
                <LessonBody ctx={ctx} lesson={l} level={3} />
              </section>
            );
          }),
        )}
        <section class="handbook-lesson">
          <h2>{t("public.handbook_help")}</h2>
          <p>{t("public.help_intro")}</p>
          <p>{t("public.platform_p")}</p>
          <p>
            <a href={ctx.content.outlines.platform.url}>{ctx.content.outlines.platform.url}</a>
          </p>
          <p class="muted" lang={contentLang(ctx)}>
            {fw.sources[0]}
          </p>
        </section>
      </article>
    </>
  );
}
