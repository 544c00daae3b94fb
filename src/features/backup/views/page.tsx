import { formatDateTime, formatNumber } from "../../../lib/i18n/index.ts";
import { Button, Csrf } from "../../../web/components.tsx";
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
      <form method="post" action="/admin/backups">
        <Csrf token={p.ctx.csrfToken} />
        <Button>{t("backups.take")}</Button>
      </form>
      {p.files.length ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t("backups.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("backups.file")}</th>
                <th scope="col">{t("backups.at")}</th>
                <th scope="col">{t("backups.size")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("backups.download")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.files.map((f) => (
                <tr>
                  <td>{f.name}</td>
                  <td>{formatDateTime(lang, f.at)}</td>
                  <td class="nowrap">{formatNumber(lang, Math.ceil(f.bytes / 1024))} KB</td>
                  <td>
                    <a href={`/admin/backups/${f.name}`} download>
                      {t("backups.download")}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t("backups.none")}</p>
      )}
    </div>
  );
}
