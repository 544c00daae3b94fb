import type { T } from "../../../lib/i18n/index.ts";
import { SUPPORT_KINDS, type SupportKind } from "../../../lib/values.ts";
import { CheckboxesField } from "../../../web/components.tsx";
import { TextareaField } from "../../../web/kit/fields.tsx";

/** The support given, as a comma-separated list of labels. */
export function SupportList(p: { t: T; support: readonly SupportKind[] }) {
  return <>{p.support.map((k) => p.t(`visits.support.${k}`)).join(", ")}</>;
}

export const SUPPORT_OPTIONS = SUPPORT_KINDS;

/** Large, full-width checkboxes (a phone's thumb): a fieldset with a legend, GOV.UK style errors. */
export function BigCheckboxes(p: Omit<Parameters<typeof CheckboxesField>[0], "big">) {
  return <CheckboxesField {...p} big />;
}

/** A labelled multi-line text field (the kit's, three lines high). */
export { TextareaField };
