import { formatDateTime, formatNumber } from "../../../lib/i18n/index.ts";
import { PostForm } from "../../../web/kit/page.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";

export type BackupFile = { name: string; bytes: number; at: Date };
export type BackupEvent = { ok: boolean; at: Date; error: string | undefined } | undefined;

export function BackupsPage(p: {
  ctx: PageCtx;
  files: BackupFile[];
  last: BackupEvent;
  schedule: { hours: number; dir: string; keep: number; encrypted: boolean };
}) {
  const { t, lang } = p.ctx;
  const s = p.schedule;
  return (
    <div>
      <h1>{t("backups.title")}</h1>
      {p.last && !p.last.ok ? (
        <div class="error-summary" role="alert">
          <p>
            {t("backups.last_failed", { at: formatDateTime(lang, p.last.at), error: p.last.error ?? "—" })}
          </p>
        </div>
      ) : null}
      {p.last?.ok ? (
        <p class="notice notice--success">{t("backups.last_ok", { at: formatDateTime(lang, p.last.at) })}</p>
      ) : null}
      <p>{t("backups.intro")}</p>
      <p>
        {s.hours
          ? t("backups.schedule", { hours: s.hours, dir: s.dir, keep: s.keep })
          : t("backups.schedule_off")}
      </p>
      <p>{s.encrypted ? t("backups.encrypted") : <strong>{t("backups.not_encrypted")}</strong>}</p>
      <PostForm ctx={p.ctx} action="/admin/backups" submit={t("backups.take")} />
      <ListTable
        caption={t("backups.title")}
        rows={p.files}
        empty={t("backups.none")}
        columns={[
          { head: t("backups.file"), cell: (f) => f.name },
          { head: t("backups.at"), cell: (f) => formatDateTime(lang, f.at) },
          {
            head: t("backups.size"),
            class: "nowrap",
            cell: (f) => `${formatNumber(lang, Math.ceil(f.bytes / 1024))} KB`,
          },
          {
            head: <span class="visually-hidden">{t("backups.download")}</span>,
            cell: (f) => (
              <a href={`/admin/backups/${f.name}`} download>
                {t("backups.download")}
              </a>
            ),
          },
        ]}
      />
    </div>
  );
}
