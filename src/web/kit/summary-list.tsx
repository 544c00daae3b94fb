import type { Child } from "hono/jsx";

/** One row of a summary list: a key, its value, and an optional action link (e.g. "Sửa"). */
export type SummaryRow =
  | readonly [Child, Child]
  | { key: Child; value: Child; action?: { href: string; label: string; hidden?: string } | undefined };

/** GOV.UK `summaryList`: key/value rows (false/null ones left out), each with an optional action. */
export function SummaryList(p: { rows: readonly (SummaryRow | false | null | undefined)[]; class?: string }) {
  return (
    <dl class={p.class ? `summary-list ${p.class}` : "summary-list"}>
      {p.rows
        .filter((r): r is SummaryRow => !!r)
        .map((r) => {
          const row = Array.isArray(r)
            ? { key: r[0], value: r[1], action: undefined }
            : (r as Exclude<SummaryRow, readonly [Child, Child]>);
          return (
            <div>
              <dt>{row.key}</dt>
              <dd>{row.value}</dd>
              {row.action ? (
                <dd class="summary-list__actions">
                  <a href={row.action.href}>
                    {row.action.label}
                    {row.action.hidden ? <span class="visually-hidden"> {row.action.hidden}</span> : null}
                  </a>
                </dd>
              ) : null}
            </div>
          );
        })}
    </dl>
  );
}
