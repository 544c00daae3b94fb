import { createRequire } from "node:module";

/**
 * The Tinos font files (metric-compatible with Times New Roman, full Vietnamese coverage), read in
 * place from `@expo-google-fonts/tinos`: the PDF embeds them and the chart PNGs are drawn with them,
 * so neither needs an office suite or a system font.
 */
const require = createRequire(import.meta.url);
const file = (style: string) => require.resolve(`@expo-google-fonts/tinos/${style}/Tinos_${style}.ttf`);

export const TINOS = {
  normal: file("400Regular"),
  bold: file("700Bold"),
  italics: file("400Regular_Italic"),
  bolditalics: file("700Bold_Italic"),
} as const;

export const TINOS_FILES: readonly string[] = Object.values(TINOS);
