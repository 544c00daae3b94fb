import type { Child } from "hono/jsx";

/**
 * A field of a hand-drawn form (a filter, a picker): its label, an optional hint (`h-<name>`, for the
 * control's aria-describedby), then the control itself (`f-<name>`), given as children.
 */
export function HintedField(p: {
  name: string;
  label: Child;
  hint?: Child;
  /** The field is in error (its frame turns red). */
  error?: boolean | undefined;
  children: Child;
}) {
  return (
    <div class={p.error ? "field field--error" : "field"}>
      <label class="field__label" for={`f-${p.name}`}>
        {p.label}
      </label>
      {p.hint ? (
        <p class="field__hint" id={`h-${p.name}`}>
          {p.hint}
        </p>
      ) : null}
      {p.children}
    </div>
  );
}

/** A typed box with its label and optional hint, which the box points at (aria-describedby). */
export function HintedInput(p: {
  name: string;
  label: Child;
  hint?: Child;
  error?: boolean | undefined;
  /** The box's class (default "input"). */
  class?: string;
  type?: "text" | "search" | "date";
  inputmode?: "numeric";
  value?: string | undefined;
  autocomplete?: string;
}) {
  return (
    <HintedField name={p.name} label={p.label} hint={p.hint} error={p.error}>
      <input
        class={p.class ?? "input"}
        id={`f-${p.name}`}
        name={p.name}
        type={p.type}
        inputmode={p.inputmode}
        value={p.value}
        autocomplete={p.autocomplete}
        aria-describedby={p.hint ? `h-${p.name}` : undefined}
      />
    </HintedField>
  );
}
