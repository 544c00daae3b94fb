import type { Child } from "hono/jsx";
import { Button, FilterSelect } from "../components.tsx";
import { HintedField } from "./hinted-field.tsx";

/** One select of a filter bar: its first choice (value "") means "all". */
export type FilterSpec = {
  name: string;
  label: string;
  allLabel: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
};

/** One typed box of a filter bar (a date, a month, a code), in the bar's order among the selects. */
export type FilterInput = {
  kind: "input";
  name: string;
  label: string;
  type?: "text" | "date" | "search";
  hint?: string | undefined;
  placeholder?: string;
  inputmode?: "numeric" | "text";
  autocomplete?: string;
  /** A short box (a date, a month); default true. */
  short?: boolean;
  value?: string | undefined;
};

/** A typed box of a filter bar: label, optional hint, the input keeping the chosen value. */
function FilterInputField(p: { f: FilterInput }) {
  const f = p.f;
  return (
    <HintedField name={f.name} label={f.label} hint={f.hint}>
      <input
        class={f.short === false ? "input" : "input input--short"}
        id={`f-${f.name}`}
        name={f.name}
        type={f.type ?? "text"}
        inputmode={f.inputmode}
        placeholder={f.placeholder}
        autocomplete={f.autocomplete}
        aria-describedby={f.hint ? `h-${f.name}` : undefined}
        value={f.value}
      />
    </HintedField>
  );
}

/**
 * A list's filters: a GET form (works without JavaScript, the address keeps the choice) with an
 * optional search box, the selects, anything else given as children, and the "Lọc" button.
 */
export function FilterBar(p: {
  action: string;
  submit: string;
  search?:
    | { name?: string; label: string; hint?: string; autocomplete?: string; value?: string | undefined }
    | undefined;
  filters?: readonly (FilterSpec | FilterInput | false | null | undefined)[];
  /** The form's class (default "filters"; a search form that stacks its fields gives ""). */
  class?: string;
  children?: Child;
}) {
  const name = p.search?.name ?? "q";
  return (
    <search>
      <form method="get" action={p.action} class={p.class === undefined ? "filters" : p.class || undefined}>
        {p.search ? (
          <div class="field">
            <label class="field__label" for={`f-${name}`}>
              {p.search.label}
            </label>
            {p.search.hint ? <p class="field__hint">{p.search.hint}</p> : null}
            <input
              class="input"
              id={`f-${name}`}
              name={name}
              type="search"
              value={p.search.value}
              autocomplete={p.search.autocomplete}
            />
          </div>
        ) : null}
        {(p.filters ?? [])
          .filter((f): f is FilterSpec | FilterInput => !!f)
          .map((f) => ("kind" in f ? <FilterInputField f={f} /> : <FilterSelect {...f} />))}
        {p.children}
        <Button variant="secondary">{p.submit}</Button>
      </form>
    </search>
  );
}

/** The address of a list page with its filters (empty ones dropped) and a page number. */
export function listHref(path: string, query: Record<string, string | number | undefined | null>) {
  return (page: number) => {
    const params = Object.fromEntries(
      Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== null && v !== "")
        .map(([k, v]) => [k, String(v)]),
    );
    return `${path}?${new URLSearchParams({ ...params, page: String(page) })}`;
  };
}
