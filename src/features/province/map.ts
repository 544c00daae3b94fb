/**
 * The province's choropleth, drawn on the server with ECharts (SVG, no script in the browser), from
 * the boundaries that ship in `maps/` (the 166 communes and wards of Thanh Hóa, simplified; © 2021
 * Thang Le Quoc, MIT License: see maps/NOTICE.md). A commune of the installation is matched to its
 * shape by its national code, else by its name without "Xã"/"Phường"; shapes of communes the
 * installation does not hold are drawn white, communes without data grey.
 */
import fs from "node:fs";
import * as echarts from "echarts";
import { foldVietnamese } from "../../lib/text.ts";
import { cleanSvg } from "../indicators/charts.ts";
import { CEILING_INDICATORS, type IndicatorCode } from "../indicators/plan.ts";
import { heatOf } from "../indicators/views/dashboard.tsx";

export const MAP_FILE = new URL("../../../maps/thanh-hoa-communes.geojson", import.meta.url).pathname;
export const MAP_ATTRIBUTION = {
  text: "vietnamese-provinces-database © 2021 Thang Le Quoc",
  license: "MIT License",
  href: "https://github.com/thanglequoc/vietnamese-provinces-database",
};

/** The fill of each class: 0–4 against the target (as the dashboard's heat table), no data, not held. */
export const MAP_COLOURS = {
  "0": "#d73027",
  "1": "#fc8d59",
  "2": "#fee08b",
  "3": "#91cf60",
  "4": "#1a9850",
  none: "#9e9e9e",
  absent: "#ffffff",
} as const;
export type MapClass = keyof typeof MAP_COLOURS;

type Shape = { code: string; name: string; fullName: string };
let loaded: { shapes: Shape[]; byCode: Map<string, Shape>; byName: Map<string, Shape> } | undefined;

const nameKey = (name: string) =>
  foldVietnamese(name)
    .replace(/^(xa|phuong|thi tran)\s+/, "")
    .trim();

/** The map's shapes (read and registered with ECharts once). */
function shapes() {
  if (loaded) return loaded;
  const geo = JSON.parse(fs.readFileSync(MAP_FILE, "utf8")) as {
    features: { properties: { code: string; name: string; fullName: string } }[];
  };
  echarts.registerMap("province", geo as never);
  const list = geo.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    fullName: f.properties.fullName,
  }));
  loaded = {
    shapes: list,
    byCode: new Map(list.map((s) => [s.code, s])),
    byName: new Map(list.map((s) => [nameKey(s.fullName), s])),
  };
  return loaded;
}

/**
 * Each commune's shape: by national code first, then by name for the communes left and the shapes
 * not yet taken, so one shape never stands for two communes. A commune absent from the result is
 * not on the map.
 */
export function placeOnMap(
  communes: readonly { id: number; code: string; name: string }[],
): Map<number, string> {
  const s = shapes();
  const placed = new Map<number, string>();
  const taken = new Set<string>();
  for (const c of communes) {
    const shape = s.byCode.get(c.code);
    if (shape && !taken.has(shape.code)) {
      placed.set(c.id, shape.code);
      taken.add(shape.code);
    }
  }
  for (const c of communes) {
    if (placed.has(c.id)) continue;
    const shape = s.byName.get(nameKey(c.name));
    if (shape && !taken.has(shape.code)) {
      placed.set(c.id, shape.code);
      taken.add(shape.code);
    }
  }
  return placed;
}

/** A figure's class on the map: as the dashboard's heat (share of the target), met or not for a ceiling. */
export function mapClassOf(
  code: IndicatorCode,
  value: number | null,
  target: number,
  met: boolean,
): MapClass {
  if (value === null) return "none";
  if (CEILING_INDICATORS.includes(code)) return met ? "4" : "0";
  return heatOf(value, target) as MapClass;
}

const drawn = new Map<string, string>();

/**
 * The province's SVG with each held commune filled by its class. `width` sets the drawing's size;
 * the SVG scales with its box (viewBox), so one drawing serves a phone and a wide screen.
 */
export function provinceMapSvg(areas: { code: string; cls: MapClass }[], width = 640): string {
  const s = shapes();
  const cls = new Map(areas.map((a) => [a.code, a.cls]));
  const key = `${width}:${s.shapes.map((x) => cls.get(x.code) ?? "absent").join("")}`;
  const known = drawn.get(key);
  if (known !== undefined) return known;
  const height = Math.round(width * 0.95);
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption({
      animation: false,
      series: [
        {
          type: "map",
          map: "province",
          nameProperty: "code",
          roam: false,
          silent: true,
          left: 4,
          right: 4,
          top: 4,
          bottom: 4,
          label: { show: false },
          emphasis: { disabled: true },
          select: { disabled: true },
          itemStyle: { areaColor: MAP_COLOURS.absent, borderColor: "#505a5f", borderWidth: 0.6 },
          data: s.shapes.map((x) => ({
            name: x.code,
            itemStyle: { areaColor: MAP_COLOURS[cls.get(x.code) ?? "absent"] },
          })),
        },
      ],
    });
    svg = cleanSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
  // Scales with its box (ECharts writes a viewBox): no fixed size.
  svg = svg.replace(/^<svg width="\d+" height="\d+"/, '<svg width="100%"');
  drawn.set(key, svg);
  if (drawn.size > 200) drawn.delete(drawn.keys().next().value!);
  return svg;
}

/** How many shapes the map has (the province's communes and wards). */
export function shapeCount(): number {
  return shapes().shapes.length;
}
