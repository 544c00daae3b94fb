import type { Lang } from "../../lib/i18n/index.ts";

/**
 * The six domains of the digital competence framework (SPEC §4.1; Circular 02/2025/TT-BGDĐT) that a
 * self-assessment gives a level for. The framework's data file (components, what each level means)
 * will replace this constant; the codes stay.
 */
export const ASSESSMENT_DOMAINS = [
  { code: "data_information", vi: "Dữ liệu và thông tin", en: "Data and information" },
  { code: "communication", vi: "Giao tiếp và hợp tác", en: "Communication and collaboration" },
  { code: "content_creation", vi: "Sáng tạo nội dung số", en: "Digital content creation" },
  { code: "safety", vi: "An toàn", en: "Safety" },
  { code: "problem_solving", vi: "Giải quyết vấn đề", en: "Problem solving" },
  { code: "artificial_intelligence", vi: "Trí tuệ nhân tạo", en: "Artificial intelligence" },
] as const;

export type AssessmentDomain = (typeof ASSESSMENT_DOMAINS)[number]["code"];

export function domainLabel(lang: Lang, code: string): string {
  const d = ASSESSMENT_DOMAINS.find((x) => x.code === code);
  return d ? d[lang] : code;
}
