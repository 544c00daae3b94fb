import { raw } from "hono/html";
import type { FieldErrors } from "../../../lib/errors.ts";
import { ErrorSummary } from "../../../web/components.tsx";
import { currentPasswordField, passwordFields, totpCodeField } from "../../../web/kit/options.ts";
import { FormPage, PostForm } from "../../../web/kit/page.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
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
      <SummaryList
        rows={[
          [t("field.username"), viewer.username],
          [t("field.display_name"), viewer.displayName],
          [t("field.role"), t(`role.${viewer.role}`)],
        ]}
      />

      <h2>{t("account.change_password")}</h2>
      <PostForm
        ctx={p.ctx}
        action="/account/password"
        errors={p.errors}
        fields={[currentPasswordField, ...passwordFields(t, { label: "field.password_new" })]}
        submit={t("account.change_password")}
      />

      {TOTP_ROLES.includes(viewer.role) || viewer.totpEnabled ? (
        <section>
          <h2>{t("account.totp_title")}</h2>
          <p>{viewer.totpEnabled ? t("account.totp_on") : t("account.totp_off")}</p>
          {viewer.totpEnabled ? (
            <PostForm
              ctx={p.ctx}
              action="/account/totp/disable"
              errors={p.totpErrors}
              fields={[currentPasswordField, totpCodeField]}
              submit={t("account.totp_disable")}
              submitVariant="warning"
            />
          ) : (
            <PostForm
              ctx={p.ctx}
              action="/account/totp/start"
              submit={t("account.totp_enable")}
              submitVariant="secondary"
            />
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
    <FormPage
      ctx={p.ctx}
      title={t("account.totp_title")}
      errors={p.errors}
      intro={
        <>
          <p>{t("account.totp_setup_intro")}</p>
          <figure class="qr" role="img" aria-label={t("account.totp_qr_alt")}>
            {raw(p.qrSvg)}
          </figure>
          <p>
            {t("account.totp_secret")}: <code class="secret">{p.secret}</code>
          </p>
        </>
      }
      action="/account/totp/confirm"
      fields={[totpCodeField]}
      submit={t("auth.totp_submit")}
    />
  );
}
