import type { AppError } from "../lib/errors.ts";
import type { PageCtx } from "./render.tsx";

export function ErrorPage(p: { ctx: PageCtx; error: AppError }) {
  const { t } = p.ctx;
  const fields = Object.entries(p.error.fields);
  return (
    <div class="narrow">
      <h1>{p.error.code === "not_found" ? t("error.not_found_title") : t("error.title")}</h1>
      <p class="lead">{t(p.error.msg.key, p.error.msg.params)}</p>
      {fields.length > 0 ? (
        <ul>
          {fields.map(([, m]) => (
            <li>{t(m.key, m.params)}</li>
          ))}
        </ul>
      ) : null}
      {p.error.code === "not_found" ? <p>{t("error.not_found_hint")}</p> : null}
      <p>
        <a href="/">{t("error.go_home")}</a>
      </p>
    </div>
  );
}
