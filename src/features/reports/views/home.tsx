import { formatDateTime } from "../../../lib/i18n/index.ts";
import type { PageCtx } from "../../../web/render.tsx";
import type { ReportItem } from "../service.ts";
import { reportName } from "./pages.tsx";

/** A titled list of reports, each line linking to its report; nothing when there are none. */
function ReportLinks(p: {
  id: string;
  class?: string;
  heading: string;
  reports: ReportItem[];
  line: (r: ReportItem) => string;
}) {
  if (p.reports.length === 0) return null;
  return (
    <section class={p.class} aria-labelledby={p.id}>
      <h2 id={p.id}>{p.heading}</h2>
      <ul class="link-list">
        {p.reports.map((r) => (
          <li>
            <a href={`/reports/${r.id}`}>{p.line(r)}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** On the home page: reports waiting for the leader's approval, and reports the leader sent back. */
export function ReportsToAct(p: { ctx: PageCtx; awaiting: ReportItem[]; returned: ReportItem[] }) {
  const { t, lang } = p.ctx;
  const at = (iso: string | null) => (iso ? formatDateTime(lang, new Date(iso)) : "—");
  const named = (r: ReportItem) => ({ name: reportName(t, r), version: r.version });
  return (
    <>
      <ReportLinks
        id="reports-awaiting-h"
        heading={t("reports.awaiting_heading")}
        reports={p.awaiting}
        line={(r) =>
          t("reports.awaiting_line", {
            ...named(r),
            who: r.submitted_by ?? "—",
            at: at(r.submitted_at),
          })
        }
      />
      <ReportLinks
        id="reports-returned-h"
        class="notice notice--warning"
        heading={t("reports.returned_heading")}
        reports={p.returned}
        line={(r) =>
          t("reports.returned_line", {
            ...named(r),
            who: r.returned_by ?? "—",
            comment: r.return_comment ?? "",
          })
        }
      />
    </>
  );
}
