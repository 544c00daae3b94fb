import { type Lang, translator } from "../../lib/i18n/index.ts";
import { parsePeriod } from "../indicators/period.ts";

const ROMAN = ["I", "II", "III", "IV"];

/**
 * A report period as people write it, never its code: "Quý IV/2026", "Năm 2026", "Tháng 9/2026"
 * (English "Q4 2026", "2026", "September 2026"). A code that does not parse is shown as it is.
 */
export function periodWords(lang: Lang, code: string): string {
  const period = parsePeriod(code);
  if (!period) return code;
  const t = translator(lang);
  const year = period.start.slice(0, 4);
  const month = Number(period.start.slice(5, 7));
  if (period.kind === "year") return t("preport.period_year", { year });
  if (period.kind === "quarter") {
    const q = (month - 1) / 3;
    // The same placeholder in both languages (the catalog test holds them equal): a Roman numeral
    // in Vietnamese ("Quý IV"), a digit in English ("Q4").
    return t("preport.period_quarter", { quarter: lang === "vi" ? ROMAN[q]! : q + 1, year });
  }
  const monthName = new Intl.DateTimeFormat(lang, { month: "long", timeZone: "UTC" }).format(
    new Date(`${period.start}T00:00:00Z`),
  );
  return t("preport.period_month", { month: lang === "vi" ? month : monthName, year });
}
