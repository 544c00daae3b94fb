import { renderAsync } from "@resvg/resvg-js";
import { TINOS_FILES } from "./fonts.ts";

/**
 * An ECharts SVG (`features/indicators/charts.ts`) as a PNG, for the DOCX (Word cannot be relied on
 * to draw SVG). resvg draws no text without a font, and the charts ask for "Arial, sans-serif",
 * which is not on the machine: every font-family becomes Tinos, the document's own face.
 */
export async function svgToPng(
  svg: string,
  scale = 2,
): Promise<{ png: Buffer; width: number; height: number }> {
  const text = svg.replace(/font-family="[^"]*"/g, 'font-family="Tinos"');
  const image = await renderAsync(text, {
    font: { fontFiles: [...TINOS_FILES], loadSystemFonts: false, defaultFontFamily: "Tinos" },
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    logLevel: "off",
  });
  return { png: image.asPng(), width: image.width, height: image.height };
}
