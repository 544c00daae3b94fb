import type { FieldErrors } from "../../../lib/errors.ts";
import { passwordFields, totpCodeField } from "../../../web/kit/options.ts";
import { FormPage } from "../../../web/kit/page.tsx";
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
    <FormPage
      ctx={p.ctx}
      title={t("auth.login_title")}
      errors={p.errors}
      message={p.message}
      intro={
        <>
          {p.info ? (
            <div class="notice" role="status">
              {p.info}
            </div>
          ) : null}
          <p>{t("auth.login_intro")}</p>
        </>
      }
      action="/login"
      hidden={{ next: p.next }}
      values={{ username: p.username }}
      fields={[
        { name: "username", label: "field.username", autocomplete: "username" },
        { name: "password", label: "field.password", type: "password", autocomplete: "current-password" },
      ]}
      submit={t("auth.login_submit")}
    />
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
    <FormPage
      ctx={p.ctx}
      title={t("auth.totp_title")}
      errors={p.errors}
      message={p.message}
      intro={<p>{t("auth.totp_intro")}</p>}
      action="/login/totp"
      hidden={{ next: p.next }}
      fields={[totpCodeField]}
      submit={t("auth.totp_submit")}
    />
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
    <FormPage
      ctx={p.ctx}
      title={t("setup.title")}
      errors={p.errors}
      intro={<p>{t("setup.intro")}</p>}
      action="/setup"
      hidden={{ token: p.token }}
      values={p.values}
      fields={[
        { name: "communeName", label: "field.commune_name" },
        { name: "province", label: "field.province" },
        { name: "displayName", label: "field.display_name", autocomplete: "name" },
        { name: "username", label: "field.username", autocomplete: "username", hint: t("v.username_format") },
        ...passwordFields(t),
      ]}
      submit={t("setup.submit")}
    />
  );
}
