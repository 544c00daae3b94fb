import type { MsgKey } from "../../../lib/i18n/index.ts";
import { Button } from "../../../web/components.tsx";
import { ChoiceOptions } from "../../../web/kit/choice-options.tsx";
import type { VillageRow } from "../../villages/repo.ts";
import type { FrameworkGroup, Question, Quiz } from "../content.ts";
import { type PublicClass, type QuizResult, SELF_ANSWERS } from "../service.ts";
import { GroupCards } from "./cards.tsx";
import { groupName, hrefOf, langOf, type PublicCtx, textIn } from "./layout.tsx";
import {
  ClassList,
  ContentOpening,
  LessonItem,
  ListenButton,
  VillageFilter,
  villageChoices,
} from "./parts.tsx";

/**
 * The self-assessment works without JavaScript and keeps nothing: each screen is a GET form whose
 * answer buttons carry the answers so far (`d`, one digit a question) to the next screen; the last
 * one goes to the result, which is computed from the link alone.
 */

export function QuizIndexPage(p: { ctx: PublicCtx }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <>
      <h1>{t("public.quiz_title")}</h1>
      <p class="lead">{t("public.quiz_lead")}</p>
      <p class="box note">{t("public.quiz_private")}</p>
      <h2>{t("public.quiz_choose")}</h2>
      <GroupCards ctx={ctx} base="/tu-danh-gia" />
    </>
  );
}

export function QuizIntroPage(p: {
  ctx: PublicCtx;
  group: FrameworkGroup;
  quiz: Quiz;
  villages: VillageRow[];
  village: string | undefined;
}) {
  const { ctx, group, quiz } = p;
  const { t } = ctx;
  return (
    <>
      <ContentOpening ctx={ctx} up={{ href: "/tu-danh-gia", label: t("public.quiz_title") }} item={quiz} />
      <ul>
        <li>{t("public.quiz_count", { n: quiz.questions.length })}</li>
        <li>{t("public.quiz_no_timer")}</li>
        <li>{t("public.quiz_private")}</li>
      </ul>
      <form method="get" action={`/tu-danh-gia/${group.slug}/cau-hoi`}>
        {ctx.xa ? <input type="hidden" name="xa" value={ctx.xa} /> : null}
        <input type="hidden" name="d" value="" />
        <div class="filter">
          <div>
            <label for="thon">{t("public.quiz_village_label")}</label>
            <select id="thon" name="thon" aria-describedby="thon-hint">
              <ChoiceOptions
                blank={t("public.quiz_village_none")}
                options={villageChoices(p.villages)}
                value={p.village}
              />
            </select>
            <p id="thon-hint" class="muted">
              {t("public.quiz_village_hint")}
            </p>
          </div>
        </div>
        <Button>{t("public.quiz_start")}</Button>
      </form>
    </>
  );
}

function answerLabels(ctx: PublicCtx, q: Question): string[] {
  return q.kind === "self"
    ? SELF_ANSWERS.map((a) => ctx.t(`public.answer.${a}` as MsgKey))
    : q.options.map((o) => o.text);
}

export function QuestionPage(p: {
  ctx: PublicCtx;
  group: FrameworkGroup;
  quiz: Quiz;
  answers: number[];
  village: string | undefined;
}) {
  const { ctx, group, quiz, answers } = p;
  const { t } = ctx;
  const index = answers.length;
  const q = quiz.questions[index]!;
  const last = index === quiz.questions.length - 1;
  const domain = ctx.content.framework.domains.find((d) => d.code === q.domain);
  const d = answers.join("");
  const back =
    index === 0
      ? hrefOf(ctx, `/tu-danh-gia/${group.slug}`, { thon: p.village })
      : hrefOf(ctx, `/tu-danh-gia/${group.slug}/cau-hoi`, { d: d.slice(0, -1), thon: p.village });
  return (
    <div id="cau-hoi">
      <p class="qhead" data-nolisten>
        {t("public.question_of", { n: index + 1, total: quiz.questions.length })}
        {domain ? ` · ${textIn(ctx, domain.name, domain.en?.name).text}` : ""}
      </p>
      <form method="get" action={`/tu-danh-gia/${group.slug}/${last ? "ket-qua" : "cau-hoi"}`}>
        {ctx.xa ? <input type="hidden" name="xa" value={ctx.xa} /> : null}
        <input type="hidden" name="d" value={d} />
        {p.village ? <input type="hidden" name="thon" value={p.village} /> : null}
        <fieldset class="answers-set">
          <legend>
            <h1 lang={langOf(ctx, quiz)}>{q.text}</h1>
          </legend>
          <div class="answers" lang={q.kind === "knowledge" ? langOf(ctx, quiz) : undefined}>
            {answerLabels(ctx, q).map((label, i) => (
              <button type="submit" class="answer" name="a" value={String(i)}>
                {label}
              </button>
            ))}
          </div>
        </fieldset>
      </form>
      <div class="pager" data-nolisten>
        <ListenButton ctx={ctx} target="#cau-hoi" />
        <a href={back}>{index === 0 ? t("public.question_back_intro") : t("public.question_back")}</a>
      </div>
      <p class="muted" data-nolisten>
        {t("public.quiz_no_timer")} {t("public.quiz_private")}
      </p>
    </div>
  );
}

const LEVEL_KEY = {
  basic: "public.level.basic",
  progress: "public.level.progress",
  start: "public.level.start",
} as const;

export function ResultPage(p: {
  ctx: PublicCtx;
  group: FrameworkGroup;
  quiz: Quiz;
  answers: number[];
  result: QuizResult;
  villages: VillageRow[];
  village: VillageRow | undefined;
  classes: PublicClass[];
  canRecord: boolean;
}) {
  const { ctx, group, result } = p;
  const { t } = ctx;
  const domainName = (code: string) => {
    const d = ctx.content.framework.domains.find((x) => x.code === code);
    return d ? textIn(ctx, d.name, d.en?.name) : { text: code, lang: undefined };
  };
  const allBasic = result.domains.every((d) => d.level === "basic");
  return (
    <>
      <p class="qhead">
        <a href={hrefOf(ctx, "/tu-danh-gia")}>{t("public.quiz_title")}</a>
      </p>
      <h1>{t("public.result_title", { group: groupName(ctx, group) })}</h1>
      <p class="box note">{t("public.result_private")}</p>

      <h2>{t("public.result_levels")}</h2>
      <ul class="list" id="muc">
        {result.domains.map((d) => {
          const name = domainName(d.code);
          return (
            <li>
              <strong lang={name.lang}>{name.text}</strong>
              <br />
              <span class={`level level--${d.level}`}>{t(LEVEL_KEY[d.level])}</span>{" "}
              <span class="muted">{t("public.result_points", { points: d.points, max: d.max })}</span>
            </li>
          );
        })}
      </ul>
      <p class="muted">{t("public.result_levels_hint")}</p>

      <h2 id="nen-hoc">{t("public.result_lessons")}</h2>
      {result.lessons.length > 0 ? (
        <ol>
          {result.lessons.map((l) => (
            <LessonItem ctx={ctx} lesson={l} />
          ))}
        </ol>
      ) : (
        <p>{t("public.result_all_good")}</p>
      )}
      {allBasic ? (
        <div class="box">
          <p>{t("public.result_certify")}</p>
          <p>
            <a href={ctx.content.outlines.platform.url}>{t("public.platform_link")}</a>
          </p>
        </div>
      ) : null}
      <p>
        <a href={hrefOf(ctx, `/hoc/${group.slug}`)}>
          {t("public.result_outline", { group: groupName(ctx, group) })}
        </a>
      </p>

      {result.toReview.length > 0 ? (
        <>
          <h2>{t("public.result_review")}</h2>
          <ul class="list" lang={langOf(ctx, p.quiz)}>
            {result.toReview.map((r) => (
              <li>
                <strong>{r.question.text}</strong>
                <br />
                {t("public.result_you_chose", { answer: r.chosen })}
                <br />
                <span class="met">{t("public.result_right", { answer: r.right })}</span>
                <br />
                {r.question.explain}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 id="lop-hoc">
        {p.village
          ? t("public.result_classes_village", { village: p.village.name })
          : t("public.result_classes")}
      </h2>
      <VillageFilter
        ctx={ctx}
        action={`/tu-danh-gia/${group.slug}/ket-qua#lop-hoc`}
        villages={p.villages}
        selected={p.village?.code}
        keep={{ d: p.answers.join("") }}
      />
      <ClassList ctx={ctx} classes={p.classes} />
      <p>
        <a href={hrefOf(ctx, "/ho-tro")}>{t("public.help_all")}</a>
      </p>

      <div class="tools">
        <a
          class="button button--secondary"
          href={hrefOf(ctx, `/tu-danh-gia/${group.slug}`, { thon: p.village?.code })}
        >
          {t("public.result_again")}
        </a>
      </div>
      {p.canRecord ? <p class="box">{t("public.result_record_hint")}</p> : null}
    </>
  );
}
