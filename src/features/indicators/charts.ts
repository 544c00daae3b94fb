/**
 * Charts drawn on the server as SVG with ECharts (no script in the browser). ECharts escapes the
 * text it draws (`<` → `&lt;`); the SVG is then made fit for the page's Content Security Policy,
 * which forbids inline styles: `style="…"` becomes presentation attributes and the hover `<style>`
 * block goes. Each chart's ids get a prefix of their own, so several charts share one page.
 */
import * as echarts from "echarts";

const INK = "#1b1b1b";
const BRAND = "#0b4f8a";
const TARGET = "#a4262c";
const GRID = "#6f777b";

let counter = 0;

/** A CSP-safe SVG: no `<style>`, no `style=` attributes, unique ids. */
export function cleanSvg(svg: string): string {
  const prefix = `c${++counter}-`;
  return svg
    .replace(/<style\b[\s\S]*?<\/style>/g, "")
    .replace(/\sstyle="([^"]*)"/g, (_m, decl: string) =>
      decl
        .split(";")
        .map((d) => d.trim())
        .filter((d) => /^(font-size|font-family|font-weight|font-style):/.test(d))
        .map((d) => {
          const i = d.indexOf(":");
          const value = d
            .slice(i + 1)
            .trim()
            .replace(/px$/, "")
            .replace(/"/g, "'");
          return ` ${d.slice(0, i)}="${value}"`;
        })
        .join(""),
    )
    .replace(/\s(ecmeta_[a-z_]+|class|pointer-events)="[^"]*"/g, "")
    .replace(/\bid="(zr\d+-[^"]*)"/g, `id="${prefix}$1"`)
    .replace(/url\(#(zr\d+-[^)]*)\)/g, `url(#${prefix}$1)`)
    .replace(/\n+/g, "");
}

/**
 * Drawn charts by what they show: a chart is a pure function of its inputs (the figures, the
 * labels, the size), and drawing one costs a few milliseconds of ECharts (the dashboard draws
 * thirteen), so the same figures are drawn once. The key is the JSON of what varies between
 * charts of a kind (the percentages drawn, the labels, the size), so two charts share a drawing
 * (and its ids) exactly when their options would be the same; the options are only built for a
 * chart not drawn yet, not built and written out whole on every page.
 */
const drawn = new Map<string, string>();
const MAX_DRAWN = 500;

function draw(width: number, height: number, key: string, option: () => echarts.EChartsCoreOption): string {
  const known = drawn.get(key);
  if (known !== undefined) return known;
  const svg = drawNow(width, height, option());
  drawn.set(key, svg);
  if (drawn.size > MAX_DRAWN) drawn.delete(drawn.keys().next().value!);
  return svg;
}

function drawNow(width: number, height: number, option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: "Arial, sans-serif", color: INK },
      ...option,
    });
    return cleanSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** A fraction (0–1) as the percent a chart's axis shows, to one decimal. */
const percentOf = (fraction: number) => Math.round(fraction * 1000) / 10;

/** The plan's target drawn across a chart as a dashed line at `at` (a value on the x or the y axis). */
function targetLine(at: { xAxis: number } | { yAxis: number }, width: number) {
  return {
    silent: true,
    symbol: "none",
    label: { show: false },
    lineStyle: { color: TARGET, type: "dashed", width },
    data: [at],
  };
}

/** A small line of month-end values (fractions 0–1 or null) with the target as a dashed line. */
export function sparklineSvg(points: { value: number | null }[], target: number): string {
  const data = points.map((p) => (p.value === null ? null : percentOf(p.value)));
  return draw(220, 48, `sparkline:${JSON.stringify(data)}:${JSON.stringify(percentOf(target))}`, () => ({
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    xAxis: { type: "category", show: false, boundaryGap: false, data: points.map((_, i) => i) },
    yAxis: { type: "value", show: false, min: 0, max: 100 },
    series: [
      {
        type: "line",
        data,
        symbol: "circle",
        symbolSize: 5,
        connectNulls: false,
        lineStyle: { color: BRAND, width: 2 },
        itemStyle: { color: BRAND },
        markLine: targetLine({ yAxis: percentOf(target) }, 1),
      },
    ],
  }));
}

/** Horizontal bars of one indicator by village (percent), the target as a line; labels are escaped by ECharts. */
export function villageBarsSvg(
  rows: { label: string; value: number | null; text: string }[],
  target: number,
  width = 640,
  /** Room for the village names: the phone's drawing (width 328) gives them less. */
  labelWidth = 140,
): string {
  const height = 40 + rows.length * 26;
  const labels = rows.map((r) => r.label);
  const data = rows.map((r) => (r.value === null ? 0 : percentOf(r.value)));
  const texts = rows.map((r) => r.text);
  const key = [
    width,
    labelWidth,
    JSON.stringify(labels),
    JSON.stringify(data),
    JSON.stringify(percentOf(target)),
    JSON.stringify(texts),
  ];
  return draw(width, height, `bars:${key.join(":")}`, () => ({
    grid: { left: 8, right: 64, top: 8, bottom: 24, containLabel: true },
    xAxis: {
      type: "value",
      min: 0,
      max: 100,
      axisLabel: { color: INK, formatter: "{value}" },
      splitLine: { lineStyle: { color: "#d0d3d4" } },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: labels,
      axisLabel: { color: INK, fontSize: 12, width: labelWidth, overflow: "truncate" },
      axisLine: { lineStyle: { color: GRID } },
    },
    series: [
      {
        type: "bar",
        barWidth: 16,
        data,
        itemStyle: { color: BRAND },
        label: {
          show: true,
          position: "right",
          color: INK,
          fontSize: 12,
          formatter: (p: { dataIndex: number }) => texts[p.dataIndex] ?? "",
        },
        markLine: targetLine({ xAxis: percentOf(target) }, 2),
      },
    ],
  }));
}
