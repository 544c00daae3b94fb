/**
 * The provincial steering committee's periodic report (issue 18.3) as a `ReportModel`, so the
 * commune report's writers (DOCX in the Decree 30 layout, XLSX, PDF) lay it out unchanged: the
 * province's 12 indicators (the communes' numerators and denominators summed, `provinceTotal`), the
 * ranking of the communes on each one (the appendix's commune table, each cell with its rank), the
 * communes below target named per indicator, and the choropleth (map.ts) as the report's chart.
 */
import { formatDate, formatNumber, type Lang, type MsgKey, translator } from "../../lib/i18n/index.ts";
import type { Period } from "../indicators/period.ts";
import { type IndicatorCode, localizeIndicator } from "../indicators/plan.ts";
import { isCount } from "../indicators/service.ts";
import { periodLabel } from "../reports/build.ts";
import { reportFormatter } from "../reports/format.ts";
import type { ReportIndicator, ReportModel, ReportVillageRow } from "../reports/model.ts";
import { type MapClass, mapClassOf, placeOnMap, provinceMapSvg } from "./map.ts";
import { type ProvinceFigures, provinceTotal, rankCommunes } from "./service.ts";

export type ProvinceReportInput = {
  figures: ProvinceFigures;
  period: Period;
  number: string | null;
  signedOn: string;
  signerName: string | null;
  lang: Lang;
};

/** How many communes the body names first and last on each indicator (the appendix ranks them all). */
const ENDS = 3;
const MAP_WIDTH = 640;
const MAP_HEIGHT = Math.round(MAP_WIDTH * 0.95);

/** The indicator the map shows: adults with basic digital skills when the plan has it, else its first. */
export function mapIndicatorOf(figures: ProvinceFigures): IndicatorCode {
  const codes = figures.plan.indicators.map((i) => i.code);
  return codes.includes("adult_skills") ? "adult_skills" : (codes[0] ?? "adult_skills");
}

export function buildProvinceReportModel(opts: ProvinceReportInput): ReportModel {
  const { figures, period, lang } = opts;
  const t = translator(lang);
  const fmt = reportFormatter(lang, "communes");
  const n = (x: number) => formatNumber(lang, x);
  const short = (code: IndicatorCode) => t(`dashboard.short.${code}` as MsgKey);
  const province = figures.communes[0]?.province || figures.plan.province || "";
  const label = periodLabel(lang, period);
  const plan = figures.plan;

  const indicators: ReportIndicator[] = plan.indicators.map((p) => {
    const ind = localizeIndicator(plan, { ...p }, lang);
    const total = provinceTotal(figures, p.code);
    return {
      id: p.id,
      code: p.code,
      title: ind.title,
      responsible: ind.responsible,
      cooperating: ind.cooperating,
      kind: isCount(p.code) ? "count" : "ratio",
      target: p.target,
      ...(p.minimum === undefined ? {} : { minimum: p.minimum }),
      ...(total.numerator === undefined
        ? {}
        : { numerator: total.numerator, denominator: total.denominator }),
      value: total.value,
      met: total.met,
    };
  });
  const rankings = new Map(indicators.map((i) => [i.code, rankCommunes(figures, i.code)]));
  const figureText = (code: IndicatorCode, value: number) =>
    isCount(code) ? n(value) : fmt.pct(value, true);

  // I. the province's figures.
  const results = [
    t("preport.results_lead", {
      date: formatDate(lang, figures.date),
      communes: figures.communes.length,
      met: indicators.filter((i) => i.met).length,
      total: indicators.length,
    }),
    ...indicators.map((i) => {
      const figure =
        i.kind === "count"
          ? t("reports.result_count", { value: fmt.result(i), target: fmt.target(i) })
          : i.value === null
            ? t("reports.result_no_data")
            : t("reports.result_ratio", {
                value: fmt.result(i),
                numerator: n(i.numerator ?? 0),
                denominator: n(i.denominator ?? 0),
                target: fmt.target(i),
              });
      return `- ${t("reports.result_line", { id: i.id, title: i.title, figure, met: t(i.met ? "reports.met" : "reports.not_met") })}`;
    }),
  ];

  // II. first and last communes on each indicator.
  const ranking = [t("preport.ranking_lead")];
  for (const i of indicators) {
    const ranked = rankings.get(i.code)!.filter((r) => r.rank !== null);
    const named = (rows: typeof ranked) =>
      rows.map((r) => `${r.commune.name} (${figureText(i.code, r.indicator.value!)})`).join(", ");
    ranking.push(
      ranked.length === 0
        ? `- ${t("preport.ranking_none", { id: i.id, title: i.title })}`
        : `- ${t("preport.ranking_line", {
            id: i.id,
            title: i.title,
            top: named(ranked.slice(0, ENDS)),
            bottom: named(ranked.slice(-Math.min(ENDS, Math.max(ranked.length - ENDS, 1))).reverse()),
          })}`,
    );
  }

  // III. the communes below target, named, per indicator.
  const off = indicators.map((i) => {
    const below = rankings.get(i.code)!.filter((r) => !r.indicator.met);
    return below.length === 0
      ? `- ${t("preport.off_none", { id: i.id, title: i.title })}`
      : `- ${t("preport.off_line", {
          id: i.id,
          title: i.title,
          count: below.length,
          names: below.map((r) => r.commune.name).join(", "),
        })}`;
  });

  // The appendix's table: every commune on the ratio indicators, each cell with its rank.
  const ratioCodes = indicators.filter((i) => i.kind === "ratio").map((i) => i.code);
  const rows: ReportVillageRow[] = figures.communes.map((c) => ({
    code: c.code,
    name: c.name,
    values: Object.fromEntries(
      ratioCodes.flatMap((code) => {
        const r = rankings.get(code)!.find((x) => x.commune.id === c.id);
        if (!r || r.noData) return [];
        const { numerator = 0, denominator = 0, value } = r.indicator;
        return [[code, { numerator, denominator, value, rank: r.rank }]];
      }),
    ),
  }));
  const lagging = figures.communes
    .map((c) => ({
      village: c.name,
      code: c.code,
      below: indicators.flatMap((i) => {
        const r = rankings.get(i.code)!.find((x) => x.commune.id === c.id);
        if (!r || r.indicator.met) return [];
        return [
          { code: i.code, heading: short(i.code), value: r.indicator.value, target: r.indicator.target },
        ];
      }),
    }))
    .filter((l) => l.below.length > 0)
    .sort((a, b) => b.below.length - a.below.length);

  // IV. the map: the chosen indicator's classes, drawn by map.ts.
  const mapCode = mapIndicatorOf(figures);
  const mapInd = indicators.find((i) => i.code === mapCode);
  const placed = placeOnMap(figures.communes);
  const areas: { code: string; cls: MapClass }[] = [];
  const mapRows: string[][] = [];
  for (const r of rankings.get(mapCode) ?? []) {
    const cls = mapClassOf(mapCode, r.indicator.value, r.indicator.target, r.indicator.met);
    const shape = placed.get(r.commune.id);
    if (shape) areas.push({ code: shape, cls });
    mapRows.push([
      r.commune.name,
      r.indicator.value === null ? t("reportdoc.no_data") : figureText(mapCode, r.indicator.value),
    ]);
  }
  const charts = mapInd
    ? [
        {
          caption: t("preport.map_caption", { id: mapInd.id, short: short(mapCode) }),
          // The page's drawing scales with its box; the PDF writer needs its size to place it.
          svg: provinceMapSvg(areas, MAP_WIDTH).replace(
            /^<svg width="100%"/,
            `<svg width="${MAP_WIDTH}" height="${MAP_HEIGHT}"`,
          ),
          width: MAP_WIDTH,
          height: MAP_HEIGHT,
          table: { header: [t("reportdoc.col_commune"), short(mapCode)], rows: mapRows },
        },
      ]
    : [];

  const provinceUpper = province.toLocaleUpperCase("vi");
  return {
    lang,
    level: "communes",
    issuer: [
      t("preport.issuer_1", { province: provinceUpper }),
      t("preport.issuer_2"),
      t("preport.issuer_3"),
    ],
    number: t("preport.number", { number: opts.number?.trim() || "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0" }),
    place: province,
    signedOn: opts.signedOn,
    title: t("reports.doc_title"),
    subject: t("preport.subject", { period: label, province }),
    period: { code: period.code, label, start: period.start, end: period.end },
    date: figures.date,
    sections: [
      { heading: t("preport.section_results"), paragraphs: results, narrative: false },
      { heading: t("preport.section_ranking"), paragraphs: ranking, narrative: false },
      { heading: t("preport.section_off"), paragraphs: off, narrative: false },
      ...(mapInd
        ? [
            {
              heading: t("preport.section_map"),
              paragraphs: [t("preport.map_para", { id: mapInd.id, title: mapInd.title })],
              narrative: false,
            },
          ]
        : []),
    ],
    indicators,
    villageTable: { codes: ratioCodes, headings: ratioCodes.map(short), rows },
    lagging,
    charts,
    recipients: [
      t("preport.recipient_ministry"),
      t("preport.recipient_province"),
      t("preport.recipient_members"),
      t("preport.recipient_communes"),
      t("preport.recipient_archive"),
    ],
    signature: {
      lines: [t("preport.sign_on_behalf"), t("preport.sign_position")],
      name: opts.signerName?.trim() ?? "",
    },
  };
}
