import { formatDateTime } from "../../../lib/i18n/index.ts";
import type { PageCtx } from "../../../web/render.tsx";
import type { ReportItem } from "../service.ts";
import { reportName } from "./pages.tsx";

/** On the home page: reports waiting for the leader's approval, and reports the leader sent back. */
export function ReportsToAct(p: { ctx: PageCtx; awaiting: ReportItem[]; returned: ReportItem[] }) {
  const { t, lang } = p.ctx;
  const at = (iso: string | null) => (iso ? formatDateTime(lang, new Date(iso)) : "—");
  return (
    <>
      {p.awaiting.length > 0 ? (
        <section aria-labelledby="reports-awaiting-h">
          <h2 id="reports-awaiting-h">{t("reports.awaiting_heading")}</h2>
          <ul class="link-list">
            {p.awaiting.map((r) => (
              <li>
                <a href={`/reports/${r.id}`}>
                  {t("reports.awaiting_line", {
                    name: reportName(t, r),
                    version: r.version,
                    who: r.submitted_by ?? "—",
                    at: at(r.submitted_at),
                  })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {p.returned.length > 0 ? (
        <section class="notice notice--warning" aria-labelledby="reports-returned-h">
          <h2 id="reports-returned-h">{t("reports.returned_heading")}</h2>
          <ul class="link-list">
            {p.returned.map((r) => (
              <li>
                <a href={`/reports/${r.id}`}>
                  {t("reports.returned_line", {
                    name: reportName(t, r),
                    version: r.version,
                    who: r.returned_by ?? "—",
                    comment: r.return_comment ?? "",
                  })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
