import { raw } from "hono/html";
import type { FieldErrors } from "../../../lib/errors.ts";
import { Button, Csrf, ErrorSummary, TextField } from "../../../web/components.tsx";
import { Fields } from "../../../web/kit/fields.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { TOTP_ROLES } from "../policy.ts";
import type { Viewer } from "../viewer.ts";

export function AccountPage(p: {
  ctx: PageCtx;
  viewer: Viewer;
  errors?: FieldErrors;
  totpErrors?: FieldErrors;
}) {
  const { t } = p.ctx;
  const { viewer } = p;
  return (
    <div class="narrow">
      <h1>{t("account.title")}</h1>
      <ErrorSummary t={t} errors={p.errors ?? p.totpErrors} />
      <dl class="summary-list">
        <div>
          <dt>{t("field.username")}</dt>
          <dd>{viewer.username}</dd>
        </div>
        <div>
          <dt>{t("field.display_name")}</dt>
          <dd>{viewer.displayName}</dd>
        </div>
        <div>
          <dt>{t("field.role")}</dt>
          <dd>{t(`role.${viewer.role}`)}</dd>
        </div>
      </dl>

      <h2>{t("account.change_password")}</h2>
      <form method="post" action="/account/password" novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <Fields
          t={t}
          values={{}}
          errors={p.errors}
          fields={[
            {
              name: "current",
              label: "field.password_current",
              type: "password",
              autocomplete: "current-password",
            },
            {
              name: "password",
              label: "field.password_new",
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
        <Button>{t("account.change_password")}</Button>
      </form>

      {TOTP_ROLES.includes(viewer.role) || viewer.totpEnabled ? (
        <section>
          <h2>{t("account.totp_title")}</h2>
          <p>{viewer.totpEnabled ? t("account.totp_on") : t("account.totp_off")}</p>
          {viewer.totpEnabled ? (
            <form method="post" action="/account/totp/disable" novalidate>
              <Csrf token={p.ctx.csrfToken} />
              <Fields
                t={t}
                values={{}}
                errors={p.totpErrors}
                fields={[
                  {
                    name: "current",
                    label: "field.password_current",
                    type: "password",
                    autocomplete: "current-password",
                  },
                  {
                    name: "code",
                    label: "field.totp_code",
                    autocomplete: "one-time-code",
                    inputmode: "numeric",
                    width: "short",
                  },
                ]}
              />
              <Button variant="warning">{t("account.totp_disable")}</Button>
            </form>
          ) : (
            <form method="post" action="/account/totp/start">
              <Csrf token={p.ctx.csrfToken} />
              <Button variant="secondary">{t("account.totp_enable")}</Button>
            </form>
          )}
        </section>
      ) : null}
    </div>
  );
}

export function TotpEnrolPage(p: {
  ctx: PageCtx;
  secret: string;
  qrSvg: string;
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <h1>{t("account.totp_title")}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <p>{t("account.totp_setup_intro")}</p>
      <figure class="qr" role="img" aria-label={t("account.totp_qr_alt")}>
        {raw(p.qrSvg)}
      </figure>
      <p>
        {t("account.totp_secret")}: <code class="secret">{p.secret}</code>
      </p>
      <form method="post" action="/account/totp/confirm" novalidate>
        <Csrf token={p.ctx.csrfToken} />
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
