import type { FieldErrors } from "../../lib/errors.ts";
import type { MsgKey, T } from "../../lib/i18n/index.ts";
import {
  CheckboxesField,
  ErrorText,
  FieldShell,
  fieldParts,
  SelectField,
  TextField,
} from "../components.tsx";

/** A form's submitted or stored values, by field name (a repeated field gives a list). */
export type FormValues = Record<string, string | readonly string[] | null | undefined>;

type Option = { value: string; label: string };
type Base = {
  name: string;
  label: MsgKey;
  /** A label already in words (data), instead of `label`'s message. */
  labelText?: string | undefined;
  hint?: string | undefined;
};

/** One field of a form, as data: what `Fields` draws with its label, hint and error message. */
export type FieldSpec =
  | (Base & {
      kind?: "text";
      type?: "text" | "password" | "email" | "tel" | "number" | "date";
      width?: "short" | "full";
      autocomplete?: string;
      inputmode?: "numeric" | "decimal" | "text" | "tel";
    })
  /** A civil date typed as dd/mm/yyyy (a short box). */
  | (Base & { kind: "date"; autocomplete?: string; inputmode?: "numeric" })
  | (Base & { kind: "select"; options: Option[]; default?: string })
  | (Base & { kind: "radios"; options: Option[]; default?: string })
  | (Base & { kind: "checkboxes"; options: Option[] })
  /** One yes-box whose value is "true" (e.g. "Hộ nghèo"). */
  | (Base & { kind: "checkbox"; optionLabel: string })
  | (Base & { kind: "textarea"; rows?: number });

/** The one value of a field (the first of a repeated one). */
export function firstValue(values: FormValues, name: string): string | undefined {
  const x = values[name];
  return (typeof x === "string" ? x : x?.[0]) ?? undefined;
}

/** The chosen values of a multi-choice field: a list, or one string joined with ";". */
export function listValue(values: FormValues, name: string): string[] {
  const x = values[name];
  return typeof x === "string" ? (x ? x.split(";") : []) : [...(x ?? [])];
}

/** The message of a field's error, in words. */
function errorOf(t: T, errors: FieldErrors | undefined, name: string): string | undefined {
  const m = errors?.[name];
  return m ? t(m.key, m.params) : undefined;
}

/** A multi-line text field: label, hint, error message beside it. */
export function TextareaField(p: {
  t: T;
  name: string;
  label: MsgKey;
  labelText?: string | undefined;
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
  rows?: number;
}) {
  const { error, aria } = fieldParts(p);
  return (
    <FieldShell t={p.t} name={p.name} label={p.labelText ?? p.t(p.label)} hint={p.hint} error={error}>
      <textarea class="input textarea" id={`f-${p.name}`} name={p.name} rows={p.rows ?? 3} {...aria}>
        {p.value ?? ""}
      </textarea>
    </FieldShell>
  );
}

/** A choice of one among a few (radios in a fieldset): legend, hint, error message; the first radio carries the field's id. */
export function RadiosField(p: {
  t: T;
  name: string;
  legend: MsgKey;
  legendText?: string | undefined;
  options: Option[];
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
}) {
  const error = errorOf(p.t, p.errors, p.name);
  return (
    <fieldset class={`field fieldset${error ? " field--error" : ""}`}>
      <legend class="field__label">{p.legendText ?? p.t(p.legend)}</legend>
      {p.hint ? <p class="field__hint">{p.hint}</p> : null}
      <ErrorText t={p.t} id={`e-${p.name}`} text={error} />
      <div class="radios">
        {p.options.map((o, i) => (
          <div class="radio">
            <input
              type="radio"
              id={i === 0 ? `f-${p.name}` : `f-${p.name}-${i}`}
              name={p.name}
              value={o.value}
              checked={o.value === (p.value ?? "")}
            />
            <label for={i === 0 ? `f-${p.name}` : `f-${p.name}-${i}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** Draws a form's fields from data, each with its value and error from the same two records. */
export function Fields(p: {
  t: T;
  fields: readonly (FieldSpec | false | null | undefined)[];
  values: FormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t, values, errors } = p;
  return (
    <>
      {p.fields
        .filter((f): f is FieldSpec => !!f)
        .map((f) => {
          const common = { t, name: f.name, errors, hint: f.hint };
          const one = firstValue(values, f.name);
          const label = { label: f.label, labelText: f.labelText };
          const legend = { legend: f.label, legendText: f.labelText };
          switch (f.kind) {
            case "select":
              return <SelectField {...common} label={f.label} options={f.options} value={one ?? f.default} />;
            case "radios":
              return <RadiosField {...common} {...legend} options={f.options} value={one ?? f.default} />;
            case "checkbox":
            case "checkboxes": {
              const chosen = listValue(values, f.name);
              const yesBox = f.kind === "checkbox";
              const options = yesBox ? [{ value: "true", label: f.optionLabel }] : f.options;
              const ticked = yesBox ? (chosen.includes("true") ? ["true"] : []) : chosen;
              return <CheckboxesField {...common} legend={f.label} options={options} values={ticked} />;
            }
            case "textarea":
              return <TextareaField {...common} {...label} value={one} rows={f.rows} />;
            default: {
              const date = f.kind === "date";
              return (
                <TextField
                  {...common}
                  {...label}
                  value={one}
                  type={date ? undefined : f.type}
                  width={date ? "short" : f.width}
                  autocomplete={f.autocomplete}
                  inputmode={f.inputmode}
                />
              );
            }
          }
        })}
    </>
  );
}
