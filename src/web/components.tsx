import { randomUUID } from "node:crypto";
import type { Child } from "hono/jsx";
import type { FieldErrors } from "../lib/errors.ts";
import type { MsgKey, T } from "../lib/i18n/index.ts";
import { ChoiceOptions } from "./kit/choice-options.tsx";

/** GOV.UK-style error summary: first on the page, each error a link to its field. */
export function ErrorSummary(props: { t: T; errors: FieldErrors | undefined; message?: string | undefined }) {
  const entries = Object.entries(props.errors ?? {});
  if (entries.length === 0 && !props.message) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title" class="error-summary__title">
        {props.t("common.error_summary")}
      </h2>
      {props.message ? <p>{props.message}</p> : null}
      {entries.length > 0 ? (
        <ul class="error-summary__list">
          {entries.map(([name, m]) => (
            <li>
              <a href={`#f-${name}`}>{props.t(m.key, m.params)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The first thing on every page: a link past the header to the main content (`#main`), seen when focused. */
export function SkipLink(p: { t: T }) {
  return (
    <a class="skip-link" href="#main">
      {p.t("nav.skip")}
    </a>
  );
}

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** A write form's Idempotency-Key, new at each render (`idempotentForm`: a resubmit writes once). */
export function FormKey() {
  return <input type="hidden" name="idempotency_key" value={randomUUID()} />;
}

type FieldProps = {
  t: T;
  name: string;
  label: MsgKey;
  /** A label already in words (data such as an indicator's title), instead of `label`'s message. */
  labelText?: string | undefined;
  errors?: FieldErrors | undefined;
  value?: string | undefined;
  type?: "text" | "password" | "email" | "tel" | "date" | "number";
  hint?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  inputmode?: "numeric" | "decimal" | "text" | "tel";
  width?: "short" | "full";
};

/** A field's error message, beside the field (its id is what the field's aria-describedby names). */
export function ErrorText(props: { t: T; id: string; text: string | undefined }) {
  if (!props.text) return null;
  return (
    <p id={props.id} class="field__error">
      <span class="visually-hidden">{props.t("common.error_prefix")}</span> {props.text}
    </p>
  );
}

/** What a one-control field says around its control: label, hint, error message; and the control's ARIA. */
export function fieldParts(p: {
  t: T;
  name: string;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
}) {
  const m = p.errors?.[p.name];
  const error = m ? p.t(m.key, m.params) : undefined;
  const describedBy = [p.hint ? `h-${p.name}` : "", error ? `e-${p.name}` : ""].filter(Boolean).join(" ");
  return {
    error,
    aria: {
      "aria-invalid": error ? ("true" as const) : undefined,
      "aria-describedby": describedBy || undefined,
    },
  };
}

/** A field's frame, GOV.UK style: its label, hint and error message above the control (children). */
export function FieldShell(p: {
  t: T;
  name: string;
  label: string;
  hint?: string | undefined;
  error: string | undefined;
  children: Child;
}) {
  return (
    <div class={`field${p.error ? " field--error" : ""}`}>
      <label class="field__label" for={`f-${p.name}`}>
        {p.label}
      </label>
      {p.hint ? (
        <p id={`h-${p.name}`} class="field__hint">
          {p.hint}
        </p>
      ) : null}
      <ErrorText t={p.t} id={`e-${p.name}`} text={p.error} />
      {p.children}
    </div>
  );
}

/** A file picker in its field frame; the picker points at its hint, and at its error when there is one. */
export function FileField(p: {
  t: T;
  name: string;
  label: string;
  hint: string;
  error: string | undefined;
  accept: string;
  multiple?: boolean;
}) {
  const described = p.error ? `h-${p.name} e-${p.name}` : `h-${p.name}`;
  return (
    <FieldShell t={p.t} name={p.name} label={p.label} hint={p.hint} error={p.error}>
      <input
        class="input"
        id={`f-${p.name}`}
        name={p.name}
        type="file"
        multiple={p.multiple}
        accept={p.accept}
        aria-describedby={described}
      />
    </FieldShell>
  );
}

export function TextField(p: FieldProps) {
  const { error, aria } = fieldParts(p);
  return (
    <FieldShell t={p.t} name={p.name} label={p.labelText ?? p.t(p.label)} hint={p.hint} error={error}>
      <input
        class={`input${p.width === "short" ? " input--short" : ""}`}
        id={`f-${p.name}`}
        name={p.name}
        type={p.type ?? "text"}
        value={p.type === "password" ? undefined : p.value}
        autocomplete={p.autocomplete}
        required={p.required}
        inputmode={p.inputmode}
        {...aria}
      />
    </FieldShell>
  );
}

export function SelectField(p: {
  t: T;
  name: string;
  label: MsgKey;
  options: { value: string; label: string }[];
  value?: string | null | undefined;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
}) {
  const { error, aria } = fieldParts(p);
  return (
    <FieldShell t={p.t} name={p.name} label={p.t(p.label)} hint={p.hint} error={error}>
      <select class="select" id={`f-${p.name}`} name={p.name} {...aria}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === (p.value ?? "")}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** Checkboxes in a fieldset: legend, hint, error message; `big` draws full-width boxes for a phone's thumb. */
export function CheckboxesField(p: {
  t: T;
  name: string;
  legend: MsgKey;
  options: { value: string; label: string; hint?: string | undefined }[];
  values: readonly string[];
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
  big?: boolean;
  /** Said when there is nothing to choose (default "Chưa có gì."). */
  empty?: string | undefined;
}) {
  const m = p.errors?.[p.name];
  const error = m ? p.t(m.key, m.params) : undefined;
  const box = p.big ? "big-checkbox" : "checkbox";
  return (
    <fieldset class={`field fieldset${error ? " field--error" : ""}`} id={`f-${p.name}`}>
      <legend class="field__label">{p.t(p.legend)}</legend>
      {p.hint ? <p class="field__hint">{p.hint}</p> : null}
      <ErrorText t={p.t} id={`e-${p.name}`} text={error} />
      {p.options.length === 0 ? <p class="field__hint">{p.empty ?? p.t("common.empty")}</p> : null}
      <div class={p.big ? "big-checkboxes" : "checkboxes"}>
        {p.options.map((o, i) => (
          <div class={box}>
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

/**
 * A choice of one drawn as a list of radio boxes in the checkbox look: the legend, the error, then
 * each choice, its box `f-<name>-<value>` (`f-<name>-none` for the empty choice).
 */
export function RadioList(p: {
  t: T;
  name: string;
  legend: string;
  options: readonly { value: string; label: string }[];
  value: string;
  errors?: FieldErrors | undefined;
}) {
  const m = p.errors?.[p.name];
  return (
    <fieldset class={`field fieldset${m ? " field--error" : ""}`} id={`f-${p.name}`}>
      <legend class="field__label">{p.legend}</legend>
      {m ? <p class="field__error">{p.t(m.key, m.params)}</p> : null}
      <div class="checkboxes">
        {p.options.map((o) => {
          const id = `f-${p.name}-${o.value || "none"}`;
          return (
            <div class="checkbox">
              <input type="radio" id={id} name={p.name} value={o.value} checked={o.value === p.value} />
              <label for={id}>{o.label}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The page numbers to show: the first, the last, and the current one with its neighbours; null is a gap (…). */
export function pageItems(page: number, pages: number): (number | null)[] {
  const keep = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  // A gap of one page shows that page instead of an ellipsis.
  if (keep.has(3) && pages >= 3) keep.add(2);
  if (keep.has(pages - 2) && pages >= 3) keep.add(pages - 1);
  const sorted = [...keep].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const [i, n] of sorted.entries()) {
    if (i > 0 && n - sorted[i - 1]! > 1) out.push(null);
    out.push(n);
  }
  return out;
}

/**
 * Paging, GOV.UK style: previous and next, the page numbers (first, last, the current one and its
 * neighbours, ellipses between), and a small form to jump to any page — a GET form built from the
 * links' own address, so it works without JavaScript and keeps the filters.
 */
export function Pagination(p: {
  t: T;
  page: number;
  pageSize: number;
  /** null: not counted (a search) — the page says only its number, and `hasNext` decides "next". */
  total: number | null;
  hasNext?: boolean;
  href: (page: number) => string;
}) {
  const pages = p.total === null ? undefined : Math.max(1, Math.ceil(p.total / p.pageSize));
  const hasNext = pages === undefined ? !!p.hasNext : p.page < pages;
  const url = new URL(p.href(1), "http://x");
  const kept = [...url.searchParams].filter(([k]) => k !== "page");
  return (
    <nav class="pagination" aria-label={p.t("common.pagination")}>
      <p>
        {pages === undefined
          ? p.t("common.page_n", { page: p.page })
          : p.t("common.page_of", { page: p.page, pages, total: p.total! })}
      </p>
      <ul>
        {p.page > 1 ? (
          <li class="pagination__prev">
            <a href={p.href(p.page - 1)} rel="prev">
              {p.t("common.prev")}
            </a>
          </li>
        ) : null}
        {pages !== undefined && pages > 1
          ? pageItems(p.page, pages).map((n) =>
              n === null ? (
                <li class="pagination__gap" aria-hidden="true">
                  …
                </li>
              ) : (
                <li class="pagination__item">
                  {n === p.page ? (
                    <a href={p.href(n)} aria-current="page" aria-label={p.t("common.page_n", { page: n })}>
                      {n}
                    </a>
                  ) : (
                    <a href={p.href(n)} aria-label={p.t("common.page_n", { page: n })}>
                      {n}
                    </a>
                  )}
                </li>
              ),
            )
          : null}
        {hasNext ? (
          <li class="pagination__next">
            <a href={p.href(p.page + 1)} rel="next">
              {p.t("common.next")}
            </a>
          </li>
        ) : null}
      </ul>
      {pages !== undefined && pages > 3 ? (
        <form method="get" action={url.pathname} class="pagination__jump">
          {kept.map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
          <label for="f-jump-page">{p.t("common.jump_label")}</label>
          <input
            class="input input--page"
            id="f-jump-page"
            name="page"
            type="number"
            inputmode="numeric"
            min={1}
            max={pages}
            value={String(p.page)}
          />
          <button type="submit" class="button button--secondary">
            {p.t("common.jump_button")}
          </button>
        </form>
      ) : null}
    </nav>
  );
}

export function Button(props: {
  children?: Child;
  variant?: "secondary" | "warning";
  name?: string;
  value?: string;
}) {
  return (
    <button
      type="submit"
      class={`button${props.variant ? ` button--${props.variant}` : ""}`}
      name={props.name}
      value={props.value}
    >
      {props.children}
    </button>
  );
}

/** A list filter: a labelled select whose first choice (value "") means "all". Same markup on every list page. */
export function FilterSelect(p: {
  name: string;
  label: string;
  allLabel: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
}) {
  return (
    <div class="field">
      <label class="field__label" for={`f-${p.name}`}>
        {p.label}
      </label>
      <select class="select" id={`f-${p.name}`} name={p.name}>
        <ChoiceOptions blank={p.allLabel} options={p.options} value={p.value} />
      </select>
    </div>
  );
}

/**
 * The page that asks before a removal (no JavaScript needed): what will go, a warning, a POST form
 * with the CSRF token, and a way back.
 */
export function ConfirmDeletePage(p: {
  t: T;
  csrfToken: string;
  title: string;
  rows: [string, string][];
  action: string;
  confirmLabel: string;
  backHref: string;
  hidden?: Record<string, string>;
}) {
  return (
    <div class="narrow">
      <p>
        <a href={p.backHref}>{p.t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <dl class="summary-list">
        {p.rows.map(([k, v]) => (
          <div>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p class="notice">{p.t("delete.warning")}</p>
      <form method="post" action={p.action}>
        <Csrf token={p.csrfToken} />
        {Object.entries(p.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <Button variant="warning">{p.confirmLabel}</Button>
      </form>
      <p>
        <a href={p.backHref}>{p.t("delete.cancel")}</a>
      </p>
    </div>
  );
}
