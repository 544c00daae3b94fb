import type { FieldErrors } from "../../../lib/errors.ts";
import { Button, Csrf, ErrorSummary, TextField } from "../../../web/components.tsx";
import { Fields } from "../../../web/kit/fields.tsx";
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
      <form method="post" action="/login" novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <input type="hidden" name="next" value={p.next} />
        <TextField
          t={t}
          name="username"
          label="field.username"
          value={p.username}
          autocomplete="username"
          errors={p.errors}
        />
        <TextField
          t={t}
          name="password"
          label="field.password"
          type="password"
          autocomplete="current-password"
          errors={p.errors}
        />
        <Button>{t("auth.login_submit")}</Button>
      </form>
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
      <form method="post" action="/login/totp" novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <input type="hidden" name="next" value={p.next} />
        <TextField
          t={t}
          name="code"
          label="field.totp_code"
          autocomplete="one-time-code"
          inputmode="numeric"
          width="short"
          errors={p.errors}
        />
        <Button>{t("auth.totp_submit")}</Button>
      </form>
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
      <form method="post" action="/setup" novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <input type="hidden" name="token" value={p.token} />
        <Fields
          t={t}
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
            {
              name: "password",
              label: "field.password",
              type: "password",
              autocomplete: "new-password",
              hint: t("v.password_weak", { min: 10 }),
            },
            {
              name: "password_confirm",
              label: "field.password_confirm",
              type: "password",
              autocomplete: "new-password",
            },
          ]}
        />
        <Button>{t("setup.submit")}</Button>
      </form>
    </div>
  );
}
