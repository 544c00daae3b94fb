import type { T } from "../../../lib/i18n/index.ts";
import { IMPORT_KIND_SPECS } from "../kinds/index.ts";
import { IMPORT_KINDS, type ImportKindName } from "../types.ts";

/** Values a column accepts, where the kind documents them here (the markets' and vendors' sets). */
const VALUES: Partial<Record<ImportKindName, Record<string, (t: T) => string>>> = {
  markets: { kind: (t) => t("imports.columns_values_market_kind") },
  vendors: {
    payments: (t) => t("imports.columns_values_payments"),
    channels: (t) => t("imports.columns_values_channels"),
    citizen_id: (t) => t("imports.columns_owner_link"),
  },
};

/**
 * The columns of every kind, on the import page (SPEC §5): the header a file uses, the other
 * spellings accepted, whether it is required, and for some the values accepted. `<details>`: no
 * JavaScript needed; the chosen kind's list is open.
 */
export function ImportColumnsHelp(p: { t: T; open?: string | undefined }) {
  const { t } = p;
  return (
    <section aria-labelledby="import-columns">
      <h2 id="import-columns">{t("imports.columns_title")}</h2>
      <p class="small">{t("imports.columns_intro")}</p>
      {IMPORT_KINDS.map((kind) => (
        <details id={`columns-${kind}`} open={p.open === kind}>
          <summary>{t(`kind.${kind}`)}</summary>
          <ul class="small">
            {IMPORT_KIND_SPECS[kind].columns.map((c) => {
              const [main, ...others] = c.aliases;
              const values = VALUES[kind]?.[c.key]?.(t);
              return (
                <li>
                  <strong>{main}</strong>
                  {c.required ? ` (${t("imports.columns_required")})` : ""}
                  {others.length > 0 ? ` — ${t("imports.columns_also", { names: others.join(", ") })}` : ""}
                  {values ? ` ${values}` : ""}
                </li>
              );
            })}
          </ul>
        </details>
      ))}
    </section>
  );
}
