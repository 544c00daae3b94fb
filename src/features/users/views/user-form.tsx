import type { FieldErrors } from "../../../lib/errors.ts";
import { ErrorSummary } from "../../../web/components.tsx";
import { codedOption, passwordFields } from "../../../web/kit/options.ts";
import { PageHeader, PostForm } from "../../../web/kit/page.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { COMMUNE_ROLES } from "../../auth/policy.ts";
import type { UnitRow } from "../../units/repo.ts";
import type { VillageRow } from "../../villages/repo.ts";
import type { UserView } from "../service.ts";

export type UserFormValues = {
  username?: string;
  displayName?: string;
  role?: string;
  villages?: string[];
  unit?: string | null;
};

export function UserFormPage(p: {
  ctx: PageCtx;
  user?: UserView | undefined;
  values: UserFormValues;
  villages: VillageRow[];
  schools: UnitRow[];
  errors?: FieldErrors | undefined;
  passwordErrors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const editing = !!p.user;
  const title = p.user ? t("users.edit_title", { username: p.user.username }) : t("users.new_title");
  return (
    <div class="narrow">
      <PageHeader t={t} back="/admin/users" title={title} />
      <ErrorSummary t={t} errors={p.errors ?? p.passwordErrors} />
      {p.user ? (
        <p>
          {t("users.status")}:{" "}
          <strong class={p.user.disabled ? "tag tag--grey" : "tag tag--green"}>
            {p.user.disabled ? t("users.disabled") : t("users.active")}
          </strong>
          {p.user.totpEnabled ? ` · ${t("users.totp")}: ${t("common.yes")}` : ""}
        </p>
      ) : null}
      <PostForm
        ctx={p.ctx}
        action={p.user ? `/admin/users/${p.user.id}` : "/admin/users"}
        values={{ ...p.values, unit: p.values.unit ?? "" }}
        errors={p.errors}
        submit={t("common.save")}
        fields={[
          !editing && {
            name: "username",
            label: "field.username",
            autocomplete: "off",
            hint: t("v.username_format"),
          },
          { name: "displayName", label: "field.display_name" },
          {
            kind: "select",
            name: "role",
            label: "field.role",
            options: COMMUNE_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
            default: "",
          },
          {
            kind: "checkboxes",
            name: "villages",
            label: "field.villages",
            hint: t("users.villages_hint"),
            options: p.villages.map(codedOption),
          },
          {
            kind: "select",
            name: "unit",
            label: "field.unit",
            hint: t("users.unit_hint"),
            options: [{ value: "", label: t("users.unit_none") }, ...p.schools.map(codedOption)],
          },
          ...(editing ? [] : passwordFields(t)),
        ]}
      />

      {p.user ? (
        <>
          <h2>{t("users.reset_password")}</h2>
          <PostForm
            ctx={p.ctx}
            action={`/admin/users/${p.user.id}/password`}
            values={p.values}
            errors={p.passwordErrors}
            fields={passwordFields(t, { label: "field.password_new", hint: false })}
            submit={t("users.reset_password")}
            submitVariant="secondary"
          />
          <h2>{p.user.disabled ? t("users.enable") : t("users.disable")}</h2>
          <PostForm
            ctx={p.ctx}
            action={`/admin/users/${p.user.id}/${p.user.disabled ? "enable" : "disable"}`}
            submit={p.user.disabled ? t("users.enable") : t("users.disable")}
            submitVariant={p.user.disabled ? "secondary" : "warning"}
          />
        </>
      ) : null}
    </div>
  );
}
