import type { Child } from "hono/jsx";
import type { FieldErrors } from "../../lib/errors.ts";
import type { T } from "../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, FormKey } from "../components.tsx";
import { type FieldSpec, Fields, type FormValues } from "./fields.tsx";

/** A link styled as a button; false/null entries of a list are left out. */
export type ActionLink = {
  href: string;
  label: string;
  variant?: "secondary" | "warning" | undefined;
  /** The link downloads a file (an export). */
  download?: boolean;
};

/** A row of button links (the page's actions), in a paragraph; nothing when none is left. */
export function ActionLinks(p: { actions: readonly (ActionLink | false | null | undefined)[] }) {
  const shown = p.actions.filter((a): a is ActionLink => !!a);
  if (shown.length === 0) return null;
  return (
    <p>
      {shown.map((a) => (
        <a class={a.variant ? `button button--${a.variant}` : "button"} href={a.href} download={a.download}>
          {a.label}
        </a>
      ))}
    </p>
  );
}

/** GOV.UK breadcrumbs: the trail of parent pages, the last one current (no link). */
export function Breadcrumbs(p: { t: T; items: readonly { href?: string; label: string }[] }) {
  return (
    <nav class="breadcrumbs" aria-label={p.t("common.breadcrumbs")}>
      <ol>
        {p.items.map((i) => (
          <li>{i.href ? <a href={i.href}>{i.label}</a> : <span aria-current="page">{i.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/** A page's head: the way back, the heading, an optional lead (larger) or intro paragraph, the page's actions. */
export function PageHeader(p: {
  t: T;
  title: Child;
  back?: string | undefined;
  lead?: Child;
  intro?: Child;
  actions?: readonly (ActionLink | false | null | undefined)[];
}) {
  return (
    <>
      {p.back ? (
        <p>
          <a href={p.back}>{p.t("common.back")}</a>
        </p>
      ) : null}
      <h1>{p.title}</h1>
      {p.lead ? <p class="lead">{p.lead}</p> : null}
      {p.intro ? <p>{p.intro}</p> : null}
      {p.actions ? <ActionLinks actions={p.actions} /> : null}
    </>
  );
}

/** A POST form with its CSRF token (the server validates: novalidate), hidden values, fields as data, submit. */
export function PostForm(p: {
  ctx: { t: T; csrfToken: string };
  /** Where it posts (none: the page's own address). */
  action?: string | undefined;
  fields?: readonly (FieldSpec | false | null | undefined)[];
  values?: FormValues;
  errors?: FieldErrors | undefined;
  hidden?: Record<string, string>;
  submit: string;
  submitVariant?: "secondary" | "warning" | undefined;
  idempotent?: boolean;
  enctype?: "multipart/form-data" | undefined;
  /** Fields drawn by hand, after `fields`. */
  children?: Child;
}) {
  return (
    <form method="post" action={p.action} enctype={p.enctype} novalidate>
      <Csrf token={p.ctx.csrfToken} />
      {p.idempotent ? <FormKey /> : null}
      {Object.entries(p.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {p.fields ? <Fields t={p.ctx.t} fields={p.fields} values={p.values ?? {}} errors={p.errors} /> : null}
      {p.children}
      <Button variant={p.submitVariant}>{p.submit}</Button>
    </form>
  );
}

/** The options of a form page: where it posts, its fields (as data) or children, errors, submit label. */
export type FormPageProps = {
  ctx: { t: T; csrfToken: string };
  title: Child;
  back?: string | undefined;
  action?: string;
  /** A record's form: posts to `base` (new) or `base/id` (edit), and goes back there. */
  record?: { base: string; id?: number | undefined };
  errors?: FieldErrors | undefined;
  /** A message for the error summary besides the fields' own. */
  message?: string | undefined;
  values?: FormValues;
  fields?: readonly (FieldSpec | false | null | undefined)[];
  /** What comes before the form (a lead paragraph, a notice). */
  intro?: Child;
  /** Fields drawn by hand, after `fields`. */
  children?: Child;
  /** The submit button's label (default "Lưu"). */
  submit?: string;
  submitVariant?: "secondary" | "warning";
  /** A write that must happen once however often it is sent (an Idempotency-Key field). */
  idempotent?: boolean;
  hidden?: Record<string, string>;
  enctype?: "multipart/form-data";
  /** The page's width: "narrow" (the default, one column of fields) or "wide". */
  width?: "narrow" | "wide";
};

/**
 * A form page the GOV.UK way: back link, heading, error summary linking to each field, a POST form
 * with its CSRF token that the server validates (novalidate), the fields with their messages, submit.
 */
export function FormPage(p: FormPageProps) {
  const { t } = p.ctx;
  const own = p.record ? (p.record.id ? `${p.record.base}/${p.record.id}` : p.record.base) : undefined;
  return (
    <div class={p.width === "wide" ? undefined : "narrow"}>
      <PageHeader t={t} back={p.back ?? own} title={p.title} />
      <ErrorSummary t={t} errors={p.errors} message={p.message} />
      {p.intro}
      <PostForm
        ctx={p.ctx}
        action={p.action ?? own}
        enctype={p.enctype}
        idempotent={p.idempotent}
        hidden={p.hidden}
        fields={p.fields}
        values={p.values}
        errors={p.errors}
        submit={p.submit ?? t("common.save")}
        submitVariant={p.submitVariant}
      >
        {p.children}
      </PostForm>
    </div>
  );
}

/** One file to download: its address, its name in words, and an optional note after the link (a size). */
export type DownloadItem = { href: string; label: string; note?: Child };

/** A list of files to download (a report's formats): each a plain link with `download`. */
export function DownloadList(p: { items: readonly DownloadItem[] }) {
  return (
    <ul class="list">
      {p.items.map((i) => (
        <li>
          <a href={i.href} download>
            {i.label}
          </a>
          {i.note ?? null}
        </li>
      ))}
    </ul>
  );
}
