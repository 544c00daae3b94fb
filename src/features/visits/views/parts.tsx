import type { FieldErrors } from "../../../lib/errors.ts";
import type { MsgKey, T } from "../../../lib/i18n/index.ts";
import { SUPPORT_KINDS, type SupportKind } from "../../../lib/values.ts";

/** The support given, as a comma-separated list of labels. */
export function SupportList(p: { t: T; support: readonly SupportKind[] }) {
  return <>{p.support.map((k) => p.t(`visits.support.${k}`)).join(", ")}</>;
}

export const SUPPORT_OPTIONS = SUPPORT_KINDS;

/** Large, full-width checkboxes (a phone's thumb): a fieldset with a legend, GOV.UK style errors. */
export function BigCheckboxes(p: {
  t: T;
  name: string;
  legend: MsgKey;
  hint?: string | undefined;
  options: { value: string; label: string; hint?: string | undefined }[];
  values: readonly string[];
  errors?: FieldErrors | undefined;
  empty?: string | undefined;
}) {
  const m = p.errors?.[p.name];
  const error = m ? p.t(m.key, m.params) : undefined;
  return (
    <fieldset class={`field fieldset${error ? " field--error" : ""}`} id={`f-${p.name}`}>
      <legend class="field__label">{p.t(p.legend)}</legend>
      {p.hint ? <p class="field__hint">{p.hint}</p> : null}
      {error ? (
        <p id={`e-${p.name}`} class="field__error">
          <span class="visually-hidden">{p.t("common.error_prefix")}</span> {error}
        </p>
      ) : null}
      {p.options.length === 0 ? <p class="field__hint">{p.empty ?? p.t("common.empty")}</p> : null}
      <div class="big-checkboxes">
        {p.options.map((o, i) => (
          <div class="big-checkbox">
            <input
              type="checkbox"
              id={`f-${p.name}-${i}`}
              name={p.name}
              value={o.value}
              checked={p.values.includes(o.value)}
            />
            <label for={`f-${p.name}-${i}`}>
              {o.label}
              {o.hint ? <span class="big-checkbox__hint">{o.hint}</span> : null}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** A labelled multi-line text field. */
export function TextareaField(p: {
  t: T;
  name: string;
  label: MsgKey;
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
}) {
  const m = p.errors?.[p.name];
  const error = m ? p.t(m.key, m.params) : undefined;
  return (
    <div class={`field${error ? " field--error" : ""}`}>
      <label class="field__label" for={`f-${p.name}`}>
        {p.t(p.label)}
      </label>
      {p.hint ? <p class="field__hint">{p.hint}</p> : null}
      {error ? (
        <p id={`e-${p.name}`} class="field__error">
          <span class="visually-hidden">{p.t("common.error_prefix")}</span> {error}
        </p>
      ) : null}
      <textarea class="input textarea" id={`f-${p.name}`} name={p.name} rows={3}>
        {p.value ?? ""}
      </textarea>
    </div>
  );
}
