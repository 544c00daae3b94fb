import type { Db } from "../../db/client.ts";
import type { ReportNarrative } from "../../db/schema.ts";
import { formatDate, formatNumber, type Lang, type MsgKey, translator } from "../../lib/i18n/index.ts";
import { findCommuneById } from "../communes/repo.ts";
import { villageBarsSvg } from "../indicators/charts.ts";
import { VILLAGE_CODES } from "../indicators/dashboard.ts";
import type { Period } from "../indicators/period.ts";
import type { IndicatorCode, Plan } from "../indicators/plan.ts";
import {
  computeIndicators,
  type IndicatorResult,
  type IndicatorTable,
  isCount,
} from "../indicators/service.ts";
import { marketReportSection } from "../markets/report.ts";
import { taskReportSection } from "../tasks/report-section.ts";
import { listAllVillagesOfCommune } from "../villages/repo.ts";
import { reportFormatter } from "./format.ts";
import type { ReportChart, ReportIndicator, ReportModel, ReportSection } from "./model.ts";
import { activitySummary, visitSummary } from "./repo.ts";

/** The words of a period in a report's subject: "quý III năm 2026", "tháng 9 năm 2026", "năm 2026". */
export function periodLabel(lang: Lang, period: Period): string {
  const t = translator(lang);
  const year = period.start.slice(0, 4);
  const month = Number(period.start.slice(5, 7));
  if (period.kind === "year") return t("reports.period_year", { year });
  if (period.kind === "quarter")
    return t("reports.period_quarter", { quarter: ["I", "II", "III", "IV"][(month - 1) / 3]!, year });
  return t("reports.period_month", { month, year });
}

export type ReportInput = {
  db: Db;
  communeId: number;
  plan: Plan;
  period: Period;
  date: string;
  narrative: ReportNarrative;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  lang: Lang;
  version?: number;
  /** An ad hoc report's title: the document's subject instead of the period's. */
  title?: string | null;
};

/** A percentage with one decimal, or the count for counts, or "no data". */
function valueText(lang: Lang, ind: Pick<IndicatorResult, "code" | "value">): string {
  if (ind.value === null) return translator(lang)("reports.no_data");
  return isCount(ind.code) ? formatNumber(lang, ind.value) : reportFormatter(lang).pct(ind.value);
}

const paragraphsOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/**
 * Computes a report from the live data (SPEC §6): the indicator table of `bdhvs indicators` for the
 * same date and period, the village table and the lagging villages, the activities and visits of the
 * period, the charts and the officer's narrative. Returns the model and the table it was made from.
 */
export async function buildReportModel(
  opts: ReportInput,
): Promise<{ model: ReportModel; table: IndicatorTable }> {
  const { db, communeId, plan, period, date, lang } = opts;
  const t = translator(lang);
  /** Percentages as the documents print them: `85,3%`. */
  const pct = reportFormatter(lang).pct;
  const [table, commune, villageRows, activities, visits, tasksSection] = await Promise.all([
    computeIndicators({ db, communeId, plan, date, period }),
    findCommuneById(db, communeId),
    listAllVillagesOfCommune(db, communeId),
    activitySummary(db, communeId, { from: period.start, to: date }),
    visitSummary(db, communeId, { from: period.start, to: date }),
    taskReportSection({ db, communeId, plan, period, date, lang }),
  ]);
  const marketLines = await marketReportSection({ db, communeId, lang });
  // "Xã Tân Ninh" or "Tân Ninh": the document says "xã" itself.
  const communeName = (commune?.name ?? plan.commune).replace(/^(xã|phường|thị trấn)\s+/iu, "");
  const province = commune?.province ?? plan.province ?? "";
  const label = periodLabel(lang, period);
  const n = (x: number) => formatNumber(lang, x);
  const short = (code: IndicatorCode) => t(`dashboard.short.${code}` as MsgKey);

  const indicators: ReportIndicator[] = table.indicators.map((i) => ({
    id: i.id,
    code: i.code,
    title: i.title,
    responsible: i.responsible,
    cooperating: i.cooperating,
    kind: isCount(i.code) ? "count" : "ratio",
    target: i.target,
    ...(i.minimum === undefined ? {} : { minimum: i.minimum }),
    ...(i.numerator === undefined ? {} : { numerator: i.numerator, denominator: i.denominator }),
    value: i.value,
    met: i.met,
  }));

  // Villages, by name the Vietnamese way; each with the village-level indicators.
  const collator = new Intl.Collator("vi");
  const villages = [...villageRows].sort((a, b) => collator.compare(a.name, b.name));
  const villageCodes = VILLAGE_CODES.filter((c) => table.indicators.some((i) => i.code === c));
  const byCode = new Map(table.indicators.map((i) => [i.code, i]));
  const villageTable = {
    codes: villageCodes,
    headings: villageCodes.map(short),
    rows: villages.map((v) => ({
      code: v.code,
      name: v.name,
      values: Object.fromEntries(
        villageCodes.flatMap((c) => {
          const r = byCode.get(c)?.byVillage?.[v.code];
          return r ? [[c, r]] : [];
        }),
      ),
    })),
  };
  const lagging = villages
    .map((v) => ({
      village: v.name,
      code: v.code,
      below: villageCodes.flatMap((c) => {
        const ind = byCode.get(c)!;
        const r = ind.byVillage?.[v.code];
        if (!r || r.value === null || r.value >= ind.target) return [];
        return [{ code: c, heading: short(c), value: r.value, target: ind.target }];
      }),
    }))
    .filter((v) => v.below.length > 0)
    .sort((a, b) => b.below.length - a.below.length || collator.compare(a.village, b.village));

  // Sections: the computed ones, then the officer's.
  const met = indicators.filter((i) => i.met).length;
  const results: string[] = [];
  const overview = paragraphsOf(opts.narrative.overview);
  results.push(...overview);
  results.push(
    t("reports.results_lead", {
      date: formatDate(lang, date),
      met,
      total: indicators.length,
      plan: plan.document ?? t("reports.the_plan"),
    }),
  );
  for (const i of indicators) {
    const figure =
      i.kind === "count"
        ? t("reports.result_count", { value: valueText(lang, i), target: n(i.target) })
        : i.value === null
          ? t("reports.result_no_data")
          : t("reports.result_ratio", {
              value: valueText(lang, i),
              numerator: n(i.numerator ?? 0),
              denominator: n(i.denominator ?? 0),
              target: pct(i.target),
            });
    results.push(
      `- ${t("reports.result_line", { id: i.id, title: i.title, figure, met: t(i.met ? "reports.met" : "reports.not_met") })}`,
    );
    // "Chợ số – Nông thôn số" beside indicator 10 (issue 19.3).
    if (i.code === "digital_households") results.push(...marketLines);
  }

  const villageParas =
    lagging.length === 0
      ? [t("reports.villages_all_met", { count: villages.length })]
      : [
          t("reports.villages_lagging_lead", { count: lagging.length, total: villages.length }),
          ...lagging.map(
            (v) => `- ${v.village}: ${v.below.map((b) => `${b.heading} ${pct(b.value ?? 0)}`).join("; ")}`,
          ),
        ];

  const activityParas: string[] = [];
  if (activities.length === 0) activityParas.push(t("reports.activities_none", { period: label }));
  for (const a of activities) {
    const type = t(`activity_type.${a.type}` as MsgKey);
    activityParas.push(
      `- ${
        a.type === "class"
          ? t("reports.activities_class", {
              type,
              activities: n(a.activities),
              sessions: n(a.sessions),
              attendees: n(a.attendees),
            })
          : t("reports.activities_other", { type, activities: n(a.activities) })
      }`,
    );
  }

  const visitParas =
    visits.visits === 0
      ? [t("reports.visits_none", { period: label })]
      : [
          t("reports.visits_lead", { visits: n(visits.visits), households: n(visits.households) }),
          ...Object.entries(visits.support).map(
            ([k, count]) =>
              `- ${t(`visits.support.${k}` as MsgKey)}: ${t("reports.times", { count: n(count) })}`,
          ),
        ];

  const narrativeSection = (heading: MsgKey, text: string): ReportSection => ({
    heading: t(heading),
    paragraphs: paragraphsOf(text).length > 0 ? paragraphsOf(text) : [t("reports.narrative_empty")],
    narrative: true,
  });
  const sections: ReportSection[] = [
    { heading: t("reports.section_results"), paragraphs: results, narrative: overview.length > 0 },
    { heading: t("reports.section_villages"), paragraphs: villageParas, narrative: false },
    { heading: t("reports.section_activities"), paragraphs: activityParas, narrative: false },
    { heading: t("reports.section_visits"), paragraphs: visitParas, narrative: false },
    tasksSection,
    narrativeSection("reports.section_difficulties", opts.narrative.difficulties),
    narrativeSection("reports.section_next_steps", opts.narrative.nextSteps),
    narrativeSection("reports.section_proposals", opts.narrative.proposals),
  ];

  const charts: ReportChart[] = (["adult_skills", "adult_vneid_confirmed"] as const).flatMap((code) => {
    const ind = byCode.get(code);
    if (!ind?.byVillage) return [];
    const rows = villages.map((v) => {
      const r = ind.byVillage![v.code];
      return {
        label: v.name,
        value: r?.value ?? null,
        text: r?.value == null ? t("reports.no_data") : pct(r.value),
      };
    });
    const width = 640;
    return [
      {
        caption: t("reports.chart_by_village", {
          title: short(code),
          target: pct(ind.target),
        }),
        svg: villageBarsSvg(rows, ind.target, width),
        width,
        height: 40 + rows.length * 26,
        table: {
          header: [t("reports.col_village"), short(code)],
          rows: villages.map((v) => {
            const r = ind.byVillage![v.code];
            return [
              v.name,
              r?.value == null
                ? t("reports.no_data")
                : `${pct(r.value)} (${n(r.numerator)}/${n(r.denominator)})`,
            ];
          }),
        },
      },
    ];
  });

  const model: ReportModel = {
    lang,
    issuer: [t("reports.issuer_1"), t("reports.issuer_2", { commune: communeName.toLocaleUpperCase("vi") })],
    number: t("reports.number", { number: opts.number?.trim() || "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0" }),
    place: communeName,
    signedOn: opts.signedOn,
    title: t("reports.doc_title"),
    subject: opts.title ? opts.title : t("reports.subject", { period: label, commune: communeName }),
    period: { code: period.code, label, start: period.start, end: period.end },
    date,
    ...(plan.document ? { planDocument: plan.document } : {}),
    sections,
    indicators,
    villageTable,
    lagging,
    charts,
    recipients: [
      t("reports.recipient_steering", { province }),
      t("reports.recipient_party"),
      t("reports.recipient_leaders"),
      t("reports.recipient_units"),
      t("reports.recipient_archive"),
    ],
    signature: {
      lines: [t("reports.sign_on_behalf"), t("reports.sign_position")],
      name: opts.signerName?.trim() ?? "",
    },
    ...(opts.version === undefined ? {} : { version: opts.version }),
  };
  return { model, table };
}
