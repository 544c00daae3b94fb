import type { T } from "../../lib/i18n/index.ts";
import type { FieldSpec } from "./fields.tsx";
import type { FilterSpec } from "./filter-bar.tsx";
import type { ActionLink } from "./page.tsx";

/** A select's empty first choice. */
export const blank = { value: "", label: "" };

/** A coded record as a select's choice: "Thôn Đông Hòa (T01)". */
export const codedOption = (x: { code: string; name: string }) => ({
  value: x.code,
  label: `${x.name} (${x.code})`,
});

/** The "Thôn" filter of a list: every village the viewer sees, by name. */
export function villageFilter(
  t: T,
  villages: readonly { code: string; name: string }[],
  value: string | undefined,
  allLabel: string,
  name = "village",
): FilterSpec {
  return {
    name,
    label: t("col.village"),
    allLabel,
    options: villages.map((v) => ({ value: v.code, label: v.name })),
    value,
  };
}

/** The "Thôn" select of a form: empty first, then each village with its code. */
export function villageField(villages: readonly { code: string; name: string }[], hint?: string): FieldSpec {
  return {
    kind: "select",
    name: "village",
    label: "col.village",
    hint,
    options: [blank, ...villages.map(codedOption)],
  };
}

/** An export button: a secondary button link that downloads the file. */
export const exportLink = (href: string, label: string): ActionLink => ({
  href,
  label,
  variant: "secondary",
  download: true,
});

/** A record page's "Sửa" (secondary) and "Xoá" (warning) buttons, each shown only with its label. */
export function recordActions(
  base: string,
  labels: { edit?: string | false | undefined; remove?: string | false | undefined },
) {
  return [
    !!labels.edit && { href: `${base}/edit`, label: labels.edit, variant: "secondary" as const },
    !!labels.remove && { href: `${base}/delete`, label: labels.remove, variant: "warning" as const },
  ];
}

/** A new password and its confirmation (`password`, `password_confirm`), with the strength hint unless `hint` is false. */
export function passwordFields(
  t: T,
  opts: { label?: "field.password" | "field.password_new"; hint?: boolean } = {},
): FieldSpec[] {
  return [
    {
      name: "password",
      label: opts.label ?? "field.password",
      type: "password",
      autocomplete: "new-password",
      hint: opts.hint === false ? undefined : t("v.password_weak", { min: 10 }),
    },
    {
      name: "password_confirm",
      label: "field.password_confirm",
      type: "password",
      autocomplete: "new-password",
    },
  ];
}

/** The signed-in user's current password (`current`), asked before a change to the account. */
export const currentPasswordField: FieldSpec = {
  name: "current",
  label: "field.password_current",
  type: "password",
  autocomplete: "current-password",
};

/** The six digits of an authenticator app (`code`). */
export const totpCodeField: FieldSpec = {
  name: "code",
  label: "field.totp_code",
  autocomplete: "one-time-code",
  inputmode: "numeric",
  width: "short",
};
