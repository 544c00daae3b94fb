import type { Child } from "hono/jsx";
import { FilterSelect } from "../components.tsx";

/** One select of a filter bar: its first choice (value "") means "all". */
export type FilterSpec = {
  name: string;
  label: string;
  allLabel: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
};

/**
 * A list's filters: a GET form (works without JavaScript, the address keeps the choice) with an
 * optional search box, the selects, anything else given as children, and the "Lọc" button.
 */
export function FilterBar(p: {
  action: string;
  submit: string;
  search?: { name?: string; label: string; value?: string | undefined } | undefined;
  filters?: readonly (FilterSpec | false | null | undefined)[];
  children?: Child;
}) {
  const name = p.search?.name ?? "q";
  return (
    <search>
      <form method="get" action={p.action} class="filters">
        {p.search ? (
          <div class="field">
            <label class="field__label" for={`f-${name}`}>
              {p.search.label}
            </label>
            <input class="input" id={`f-${name}`} name={name} type="search" value={p.search.value} />
          </div>
        ) : null}
        {(p.filters ?? [])
          .filter((f): f is FilterSpec => !!f)
          .map((f) => (
            <FilterSelect
              name={f.name}
              label={f.label}
              allLabel={f.allLabel}
              options={f.options}
              value={f.value}
            />
          ))}
        {p.children}
        <button type="submit" class="button button--secondary">
          {p.submit}
        </button>
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
