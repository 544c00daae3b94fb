import { type FormValues, str } from "../../web/form.ts";

/** A certification's form (added on the resident's page, changed on its own) as the input the service checks. */
export function certificationInputOf(form: FormValues) {
  return {
    kind: str(form, "kind"),
    date: str(form, "date"),
    source: str(form, "source"),
    reference: str(form, "reference"),
  };
}
