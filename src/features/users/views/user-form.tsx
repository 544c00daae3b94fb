import type { FieldErrors } from "../../../lib/errors.ts";
import {
  Button,
  CheckboxesField,
  Csrf,
  ErrorSummary,
  SelectField,
  TextField,
} from "../../../web/components.tsx";
import { Fields } from "../../../web/kit/fields.tsx";
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
      <p>
        <a href="/admin/users">{t("common.back")}</a>
      </p>
      <h1>{title}</h1>
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
      <form method="post" action={p.user ? `/admin/users/${p.user.id}` : "/admin/users"} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        {editing ? null : (
          <TextField
            t={t}
            name="username"
            label="field.username"
            value={p.values.username}
            autocomplete="off"
            hint={t("v.username_format")}
            errors={p.errors}
          />
        )}
        <Fields
          t={t}
          values={p.values}
          errors={p.errors}
          fields={[
            { name: "displayName", label: "field.display_name" },
            {
              kind: "select",
              name: "role",
              label: "field.role",
              options: COMMUNE_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
              default: "",
            },
          ]}
        />
        <CheckboxesField
          t={t}
          name="villages"
          legend="field.villages"
          hint={t("users.villages_hint")}
          values={p.values.villages ?? []}
          errors={p.errors}
          options={p.villages.map((v) => ({ value: v.code, label: `${v.name} (${v.code})` }))}
        />
        <SelectField
          t={t}
          name="unit"
          label="field.unit"
          hint={t("users.unit_hint")}
          value={p.values.unit ?? ""}
          errors={p.errors}
          options={[
            { value: "", label: t("users.unit_none") },
            ...p.schools.map((u) => ({ value: u.code, label: `${u.name} (${u.code})` })),
          ]}
        />
        {editing ? null : (
          <Fields
            t={t}
            values={p.values}
            errors={p.errors}
            fields={[
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
        )}
        <Button>{t("common.save")}</Button>
      </form>

      {p.user ? (
        <>
          <h2>{t("users.reset_password")}</h2>
          <form method="post" action={`/admin/users/${p.user.id}/password`} novalidate>
            <Csrf token={p.ctx.csrfToken} />
            <Fields
              t={t}
              values={p.values}
              errors={p.passwordErrors}
              fields={[
                {
                  name: "password",
                  label: "field.password_new",
                  type: "password",
                  autocomplete: "new-password",
                },
                {
                  name: "password_confirm",
                  label: "field.password_confirm",
                  type: "password",
                  autocomplete: "new-password",
                },
              ]}
            />
            <Button variant="secondary">{t("users.reset_password")}</Button>
          </form>
          <h2>{p.user.disabled ? t("users.enable") : t("users.disable")}</h2>
          <form method="post" action={`/admin/users/${p.user.id}/${p.user.disabled ? "enable" : "disable"}`}>
            <Csrf token={p.ctx.csrfToken} />
            <Button variant={p.user.disabled ? "secondary" : "warning"}>
              {p.user.disabled ? t("users.enable") : t("users.disable")}
            </Button>
          </form>
        </>
      ) : null}
    </div>
  );
}
