import type { FilterSpec } from "./filter-bar.tsx";

/**
 * A filter bar's select over a fixed list of values (a kind, a source, a severity), each in words:
 * `choiceFilter("kind", [t("col.kind"), t("certifications.all_kinds")], KINDS, (k) => t(`cert.${k}`), q.kind)`.
 */
export function choiceFilter<V extends string>(
  name: string,
  [label, allLabel]: readonly [label: string, allLabel: string],
  values: readonly V[],
  labelOf: (v: V) => string,
  value: string | undefined,
): FilterSpec {
  return { name, label, allLabel, options: values.map((v) => ({ value: v, label: labelOf(v) })), value };
}
