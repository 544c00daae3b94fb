import type { Db } from "../../db/client.ts";
import { now as clockNow, todayInVietnam } from "../../lib/clock.ts";
import { notFound } from "../../lib/errors.ts";
import { type CommuneRow, findCommuneByCode, listCommunes } from "../communes/repo.ts";
import { parsePeriod } from "../indicators/period.ts";
import type { IndicatorCode } from "../indicators/plan.ts";
import { computeIndicators } from "../indicators/service.ts";
import { planFor } from "../plans/service.ts";
import { listAllVillagesOfCommune, type VillageRow } from "../villages/repo.ts";
import type { Audience, Content, FrameworkGroup, Lesson, Question, Quiz } from "./content.ts";
import {
  listPublicTeamRows,
  listUpcomingClassRows,
  type PublicClassRow,
  type PublicTeamRow,
} from "./repo.ts";

/**
 * The public pages' rules (SPEC §4.1, §7): which commune they show, its progress as aggregate
 * figures only, its upcoming classes, its teams' published contacts, and the self-assessment's
 * scoring. Nothing here writes to the database or keeps anything about a visitor.
 */

// --- commune -------------------------------------------------------------------------

/**
 * The commune the public pages show. One installation holds one commune by default: its only (or
 * first) commune. With several, `?xa=CODE` picks one; `all` lists them so a visitor can choose.
 */
export async function pickPublicCommune(opts: { db: Db; code?: string | undefined }): Promise<{
  commune: CommuneRow | undefined;
  all: CommuneRow[];
}> {
  const all = await listCommunes(opts.db);
  const code = opts.code?.trim();
  if (code) {
    const commune = await findCommuneByCode(opts.db, code);
    if (!commune) throw notFound();
    return { commune, all };
  }
  return { commune: all[0], all };
}

export async function listPublicVillages(db: Db, communeId: number): Promise<VillageRow[]> {
  return listAllVillagesOfCommune(db, communeId);
}

// --- progress ------------------------------------------------------------------------

/** The headline indicators residents see (SPEC §3: 3, 4, 9, 10), as whole-commune figures. */
export const PUBLIC_INDICATORS: readonly IndicatorCode[] = [
  "adult_skills",
  "adult_vneid_confirmed",
  "vneid_16plus",
  "digital_households",
];

export type PublicProgress = {
  /** When the figures were computed. */
  at: Date;
  date: string;
  year: number;
  items: {
    code: IndicatorCode;
    numerator: number;
    denominator: number;
    value: number | null;
    target: number;
    met: boolean;
  }[];
};

/** How long the public figures are kept before they are computed again. */
export const PROGRESS_MAX_AGE_MS = 60_000;

/**
 * Per database connection, per commune: the last figures and when they were asked for. Computing
 * them costs ~0.2 s on PGlite for a 30,000-resident commune; a public page is asked for far more
 * often than the figures change, so they are kept for a minute (PROGRESS_MAX_AGE_MS).
 */
const progressCache = new WeakMap<Db, Map<number, { at: number; value: Promise<PublicProgress> }>>();

export function communeProgress(opts: {
  db: Db;
  communeId: number;
  now?: Date;
  maxAgeMs?: number;
}): Promise<PublicProgress> {
  const now = opts.now ?? clockNow();
  const maxAge = opts.maxAgeMs ?? PROGRESS_MAX_AGE_MS;
  let byCommune = progressCache.get(opts.db);
  if (!byCommune) {
    byCommune = new Map();
    progressCache.set(opts.db, byCommune);
  }
  const kept = byCommune.get(opts.communeId);
  if (kept && now.getTime() - kept.at < maxAge) return kept.value;
  const value = computeProgress(opts.db, opts.communeId, now);
  const entry = { at: now.getTime(), value };
  byCommune.set(opts.communeId, entry);
  // A failure is not kept: the next request tries again.
  value.catch(() => {
    if (byCommune.get(opts.communeId) === entry) byCommune.delete(opts.communeId);
  });
  return value;
}

async function computeProgress(db: Db, communeId: number, now: Date): Promise<PublicProgress> {
  const plan = await planFor(db, communeId);
  const date = todayInVietnam(now);
  const year = Number(date.slice(0, 4));
  const period = parsePeriod(String(year))!;
  const table = await computeIndicators({ db, communeId, plan, date, period });
  return {
    at: now,
    date,
    year,
    items: PUBLIC_INDICATORS.flatMap((code) => {
      const r = table.indicators.find((i) => i.code === code);
      if (!r) return [];
      return [
        {
          code,
          numerator: r.numerator ?? 0,
          denominator: r.denominator ?? 0,
          value: r.value,
          target: r.target,
          met: r.met,
        },
      ];
    }),
  };
}

// --- classes and teams ----------------------------------------------------------------

export type PublicClass = PublicClassRow;

export async function upcomingClasses(opts: {
  db: Db;
  communeId: number;
  villageId?: number | undefined;
  limit: number;
  today?: string;
}): Promise<PublicClass[]> {
  return listUpcomingClassRows(opts.db, opts.communeId, {
    from: opts.today ?? todayInVietnam(),
    villageId: opts.villageId,
    limit: opts.limit,
  });
}

export type PublicTeam = PublicTeamRow;

export async function teamContacts(opts: { db: Db; communeId: number }): Promise<PublicTeam[]> {
  return listPublicTeamRows(opts.db, opts.communeId);
}

// --- self-assessment -------------------------------------------------------------------

/** A self question's answers, best first: alone, with help, not yet (2, 1, 0 points). */
export const SELF_ANSWERS = ["alone", "with_help", "not_yet"] as const;
export const MAX_POINTS = 2;

/** The result's levels per domain, from the share of points. */
export type QuizLevel = "basic" | "progress" | "start";
export const LEVEL_THRESHOLDS = { basic: 0.75, progress: 0.4 } as const;

export function optionCount(q: Question): number {
  return q.kind === "self" ? SELF_ANSWERS.length : q.options.length;
}

/**
 * Reads the answers carried in a link (`d=0120…`: one digit per question answered, in order).
 * Anything else — a letter, a digit beyond the question's options, more digits than questions —
 * gives undefined.
 */
export function parseAnswers(quiz: Quiz, text: string | undefined): number[] | undefined {
  const s = (text ?? "").trim();
  if (!/^[0-9]*$/.test(s) || s.length > quiz.questions.length) return undefined;
  const answers = [...s].map(Number);
  return answers.every((a, i) => a < optionCount(quiz.questions[i]!)) ? answers : undefined;
}

export function pointsOf(q: Question, answer: number): number {
  if (q.kind === "self") return MAX_POINTS - answer;
  return q.options[answer]?.correct ? MAX_POINTS : 0;
}

export function levelOf(share: number): QuizLevel {
  if (share >= LEVEL_THRESHOLDS.basic) return "basic";
  if (share >= LEVEL_THRESHOLDS.progress) return "progress";
  return "start";
}

export type QuizResult = {
  domains: { code: string; points: number; max: number; share: number; level: QuizLevel }[];
  /** Knowledge questions answered wrongly, with the right answer and why. */
  toReview: { question: Question & { kind: "knowledge" }; chosen: string; right: string }[];
  /** Lessons to read next, the weakest domains first. */
  lessons: Lesson[];
};

/** The result of a completed self-assessment: a level per domain of the group, and what to read next. */
export function scoreQuiz(opts: {
  quiz: Quiz;
  group: FrameworkGroup;
  content: Content;
  answers: readonly number[];
  maxLessons?: number;
}): QuizResult {
  const { quiz, group, content, answers } = opts;
  const byDomain = new Map<string, { points: number; max: number }>();
  for (const d of group.domains) byDomain.set(d.code, { points: 0, max: 0 });
  const weak: { question: Question; share: number }[] = [];
  const toReview: QuizResult["toReview"] = [];
  quiz.questions.forEach((q, i) => {
    const a = answers[i] ?? 0;
    const points = pointsOf(q, a);
    const entry = byDomain.get(q.domain);
    if (entry) {
      entry.points += points;
      entry.max += MAX_POINTS;
    }
    if (points < MAX_POINTS) weak.push({ question: q, share: 0 });
    if (q.kind === "knowledge" && points < MAX_POINTS)
      toReview.push({
        question: q,
        chosen: q.options[a]?.text ?? "",
        right: q.options.find((o) => o.correct)?.text ?? "",
      });
  });
  const domains = [...byDomain]
    .filter(([, v]) => v.max > 0)
    .map(([code, v]) => {
      const share = v.points / v.max;
      return { code, points: v.points, max: v.max, share, level: levelOf(share) };
    });
  const shareOf = new Map(domains.map((d) => [d.code, d.share]));
  for (const w of weak) w.share = shareOf.get(w.question.domain) ?? 0;
  weak.sort((a, b) => a.share - b.share);
  const seen = new Set<string>();
  const lessons: Lesson[] = [];
  for (const w of weak)
    for (const slug of w.question.lessons) {
      const lesson = content.lessons.get(slug);
      if (lesson && !seen.has(slug)) {
        seen.add(slug);
        lessons.push(lesson);
      }
    }
  return { domains, toReview, lessons: lessons.slice(0, opts.maxLessons ?? 5) };
}

/** The lessons of a group's outline, in order. */
export function outlineOf(content: Content, group: Audience) {
  return content.outlines.groups.find((g) => g.group === group);
}
