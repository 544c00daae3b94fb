import type { FieldErrors } from "../../../lib/errors.ts";
import { ErrorSummary } from "../../../web/components.tsx";
import { passwordFields, totpCodeField } from "../../../web/kit/options.ts";
import { PostForm } from "../../../web/kit/page.tsx";
import type { PageCtx } from "../../../web/render.tsx";

export function LoginPage(p: {
  ctx: PageCtx;
  next: string;
  username?: string;
  errors?: FieldErrors;
  message?: string | undefined;
  info?: string | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <h1>{t("auth.login_title")}</h1>
      <ErrorSummary t={t} errors={p.errors} message={p.message} />
      {p.info ? (
        <div class="notice" role="status">
          {p.info}
        </div>
      ) : null}
      <p>{t("auth.login_intro")}</p>
      <PostForm
        ctx={p.ctx}
        action="/login"
        hidden={{ next: p.next }}
        values={{ username: p.username }}
        errors={p.errors}
        fields={[
          { name: "username", label: "field.username", autocomplete: "username" },
          { name: "password", label: "field.password", type: "password", autocomplete: "current-password" },
        ]}
        submit={t("auth.login_submit")}
      />
    </div>
  );
}

export function TotpLoginPage(p: {
  ctx: PageCtx;
  next: string;
  errors?: FieldErrors;
  message?: string | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <h1>{t("auth.totp_title")}</h1>
      <ErrorSummary t={t} errors={p.errors} message={p.message} />
      <p>{t("auth.totp_intro")}</p>
      <PostForm
        ctx={p.ctx}
        action="/login/totp"
        hidden={{ next: p.next }}
        errors={p.errors}
        fields={[totpCodeField]}
        submit={t("auth.totp_submit")}
      />
    </div>
  );
}

export function SetupPage(p: {
  ctx: PageCtx;
  token: string;
  values: { username?: string; displayName?: string; communeName?: string; province?: string };
  errors?: FieldErrors;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <h1>{t("setup.title")}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <p>{t("setup.intro")}</p>
      <PostForm
        ctx={p.ctx}
        action="/setup"
        hidden={{ token: p.token }}
        values={p.values}
        errors={p.errors}
        fields={[
          { name: "communeName", label: "field.commune_name" },
          { name: "province", label: "field.province" },
          { name: "displayName", label: "field.display_name", autocomplete: "name" },
          {
            name: "username",
            label: "field.username",
            autocomplete: "username",
            hint: t("v.username_format"),
          },
          ...passwordFields(t),
        ]}
        submit={t("setup.submit")}
      />
    </div>
  );
}
