import { PRIVACY_REQUEST_KINDS, PRIVACY_REQUEST_STATUSES } from "../../../db/schema.ts";
import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate, formatDateTime, type T } from "../../../lib/i18n/index.ts";
import { Button, Csrf, ErrorSummary, TextField } from "../../../web/components.tsx";
import { Fields, firstValue as first, TextareaField } from "../../../web/kit/fields.tsx";
import { FilterBar } from "../../../web/kit/filter-bar.tsx";
import { Paging } from "../../../web/kit/list-page.tsx";
import { blank } from "../../../web/kit/options.ts";
import { ActionLinks, FormPage, PageHeader } from "../../../web/kit/page.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import { domainLabel } from "../../assessments/domains.ts";
import { auditActionText } from "../../audit/words.ts";
import type { ErasePreview, PersonExport } from "../person.ts";
import type { PrivacyRequestItem } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);
export type FormValues = Record<string, string | string[] | undefined>;

function StatusTag(p: { t: T; x: PrivacyRequestItem }) {
  const cls = p.x.overdue
    ? "tag--red"
    : p.x.status === "done"
      ? "tag--green"
      : p.x.status === "refused"
        ? "tag--grey"
        : "tag--yellow";
  return (
    <span class={`tag ${cls}`}>
      {p.t(`privacy.status.${p.x.status}`)}
      {p.x.overdue ? ` — ${p.t("privacy.overdue")}` : ""}
    </span>
  );
}

export function PrivacyListPage(p: {
  ctx: PageCtx;
  status: string | undefined;
  overdue: boolean;
  result: { items: PrivacyRequestItem[]; total: number; page: number; pageSize: number };
  lookupErrors?: FieldErrors | undefined;
  lookupValue?: string | undefined;
}) {
  const { t } = p.ctx;
  const params: Record<string, string> = {};
  if (p.status) params.status = p.status;
  if (p.overdue) params.overdue = "1";
  const href = (page: number) => `/privacy?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div>
      <PageHeader
        t={t}
        title={t("privacy.title")}
        intro={t("privacy.intro")}
        actions={[{ href: "/privacy/requests/new", label: t("privacy.new") }]}
      />
      <section aria-labelledby="lookup-h">
        <h2 id="lookup-h">{t("privacy.lookup_title")}</h2>
        <ErrorSummary t={t} errors={p.lookupErrors} />
        <form method="post" action="/privacy/lookup" class="filters" novalidate>
          <Csrf token={p.ctx.csrfToken} />
          <TextField
            t={t}
            name="who"
            label="privacy.lookup_label"
            hint={t("privacy.lookup_hint")}
            value={p.lookupValue}
            errors={p.lookupErrors}
            autocomplete="off"
            inputmode="numeric"
          />
          <Button variant="secondary">{t("privacy.lookup")}</Button>
        </form>
      </section>
      <h2>{t("privacy.register")}</h2>
      <FilterBar
        action="/privacy"
        submit={t("common.filter")}
        filters={[
          {
            name: "status",
            label: t("privacy.status"),
            allLabel: t("privacy.all_statuses"),
            options: [
              { value: "open", label: t("privacy.status.open") },
              ...PRIVACY_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`privacy.status.${s}`) })),
            ],
            value: p.status,
          },
        ]}
      >
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" name="overdue" value="1" checked={p.overdue} /> {t("privacy.only_overdue")}
          </label>
        </div>
      </FilterBar>
      <ListTable
        caption={t("privacy.register")}
        class="table--stack"
        empty={t("privacy.none")}
        rows={p.result.items}
        rowClass={(x) => (x.overdue ? "row--overdue" : undefined)}
        columns={[
          { head: t("privacy.number"), cell: (x) => <a href={`/privacy/requests/${x.id}`}>#{x.id}</a> },
          { head: t("privacy.kind"), cell: (x) => t(`privacy.kind.${x.kind}`) },
          { head: t("privacy.who"), cell: (x) => whoOf(t, x) },
          { head: t("privacy.received_on"), class: "nowrap", cell: (x) => dmy(x.received_on) },
          {
            head: t("privacy.due_on"),
            class: "nowrap",
            cell: (x) => (x.overdue ? <strong>{dmy(x.due_on)}</strong> : dmy(x.due_on)),
          },
          { head: t("privacy.status"), cell: (x) => <StatusTag t={t} x={x} /> },
        ]}
      />
      <Paging t={t} paging={p.result} href={href} />
    </div>
  );
}

function whoOf(t: T, x: PrivacyRequestItem): string {
  const parts = [x.resident_name, x.requester].filter(Boolean);
  if (parts.length) return parts.join(" — ");
  return x.resident_id === null ? t("privacy.erased_person") : `#${x.resident_id}`;
}

export function PrivacyRequestFormPage(p: {
  ctx: PageCtx;
  values: FormValues;
  errors?: FieldErrors | undefined;
  dueDays: Record<string, number>;
}) {
  const { t } = p.ctx;
  return (
    <FormPage
      ctx={p.ctx}
      title={t("privacy.new")}
      back="/privacy"
      action="/privacy/requests"
      values={p.values}
      errors={p.errors}
      fields={[
        {
          kind: "select",
          name: "kind",
          label: "privacy.kind",
          options: [
            blank,
            ...PRIVACY_REQUEST_KINDS.map((k) => ({
              value: k,
              label: `${t(`privacy.kind.${k}`)} (${t("privacy.days", { n: p.dueDays[k] ?? 0 })})`,
            })),
          ],
        },
        {
          name: "resident_id",
          label: "privacy.resident",
          hint: t("privacy.resident_hint"),
          inputmode: "numeric",
          width: "short",
        },
        { name: "requester", label: "privacy.requester", hint: t("privacy.requester_hint") },
        { name: "received_on", label: "privacy.received_on", type: "date", width: "short" },
      ]}
    />
  );
}

export function PrivacyRequestDetailPage(p: {
  ctx: PageCtx;
  x: PrivacyRequestItem;
  values: FormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t, lang } = p.ctx;
  const x = p.x;
  const rows: [string, string][] = [
    [t("privacy.kind"), t(`privacy.kind.${x.kind}`)],
    [t("privacy.who"), whoOf(t, x)],
    [t("privacy.received_on"), dmy(x.received_on)],
    [t("privacy.due_on"), `${dmy(x.due_on)}${x.overdue ? ` — ${t("privacy.overdue")}` : ""}`],
    [t("privacy.status"), t(`privacy.status.${x.status}`)],
    [t("privacy.refusal_reason"), x.refusal_reason ?? t("common.none")],
    [
      t("privacy.handled"),
      x.handled_by && x.handled_at
        ? `${x.handled_by}, ${formatDateTime(lang, new Date(x.handled_at))}`
        : t("common.none"),
    ],
  ];
  return (
    <div class="narrow">
      <PageHeader t={t} back="/privacy" title={t("privacy.request_title", { id: x.id })} />
      <SummaryList rows={rows} />
      <ActionLinks
        actions={[
          x.resident_id !== null && {
            href: `/privacy/residents/${x.resident_id}?request=${x.id}`,
            label: t("privacy.open_person"),
            variant: "secondary",
          },
        ]}
      />
      <h2>{t("privacy.change_status")}</h2>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`/privacy/requests/${x.id}`} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <Fields
          t={t}
          values={{
            status: first(p.values, "status") ?? x.status,
            refusal_reason: first(p.values, "refusal_reason") ?? x.refusal_reason,
          }}
          errors={p.errors}
          fields={[
            {
              kind: "select",
              name: "status",
              label: "privacy.status",
              options: PRIVACY_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`privacy.status.${s}`) })),
            },
            { kind: "textarea", name: "refusal_reason", label: "privacy.refusal_reason" },
          ]}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}

/** A person found: what is held, and the three things to do about it. */
export function PrivacyPersonPage(p: { ctx: PageCtx; preview: ErasePreview; requestId: number | undefined }) {
  const { t } = p.ctx;
  const r = p.preview.resident;
  const q = p.requestId ? `?request=${p.requestId}` : "";
  return (
    <div class="narrow">
      <PageHeader t={t} back="/privacy" title={t("privacy.person_title", { name: r.fullName })} />
      <HeldList t={t} preview={p.preview} />
      <ul class="actions-list">
        <li>
          <a class="button button--secondary" href={`/privacy/residents/${r.id}/export.json`}>
            {t("privacy.download_json")}
          </a>
        </li>
        <li>
          <a class="button button--secondary" href={`/privacy/residents/${r.id}/letter`}>
            {t("privacy.letter")}
          </a>
        </li>
        <li>
          <a class="button button--warning" href={`/privacy/residents/${r.id}/erase${q}`}>
            {t("privacy.erase")}
          </a>
        </li>
      </ul>
    </div>
  );
}

function HeldList(p: { t: T; preview: ErasePreview }) {
  const { t } = p;
  const r = p.preview.resident;
  const c = p.preview.counts;
  const rows: [string, string][] = [
    [t("privacy.resident"), `#${r.id} — ${r.fullName}`],
    [t("col.citizen_id"), r.citizenId ?? t("common.none")],
    [t("col.phone"), r.phone ?? t("common.none")],
    [t("col.birth_date"), r.birthYearOnly ? r.birthDate.slice(0, 4) : dmy(r.birthDate)],
    [t("col.household"), `${r.householdCode} — ${r.villageName}`],
    [t("privacy.held.certifications"), String(c.certifications)],
    [t("privacy.held.attendance"), String(c.attendance)],
    [t("privacy.held.visits"), String(c.visits)],
    [t("privacy.held.assessments"), String(c.assessments)],
    [t("privacy.held.team"), String(c.teamMemberships)],
    [t("privacy.held.audit"), String(c.auditEvents)],
  ];
  return <SummaryList rows={rows} />;
}

export function PrivacyErasePage(p: {
  ctx: PageCtx;
  preview: ErasePreview;
  requestId: number | undefined;
  values: FormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const r = p.preview.resident;
  return (
    <div class="narrow">
      <PageHeader
        t={t}
        back={`/privacy/residents/${r.id}`}
        title={t("privacy.erase_title", { name: r.fullName })}
      />
      <ErrorSummary t={t} errors={p.errors} />
      <p>{t("privacy.erase_what")}</p>
      <HeldList t={t} preview={p.preview} />
      <p class="notice">{t("privacy.erase_warning")}</p>
      <form method="post" action={`/privacy/residents/${r.id}/erase`} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        {p.requestId ? <input type="hidden" name="request" value={String(p.requestId)} /> : null}
        <TextareaField
          t={t}
          name="reason"
          label="privacy.reason"
          hint={t("privacy.reason_hint")}
          value={first(p.values, "reason")}
          errors={p.errors}
        />
        <Button variant="warning">{t("privacy.erase_confirm")}</Button>
      </form>
      <p>
        <a href={`/privacy/residents/${r.id}`}>{t("delete.cancel")}</a>
      </p>
    </div>
  );
}

/** The printable answer to an access request: a letter in Vietnamese with everything held. */
export function PrivacyLetterPage(p: {
  ctx: PageCtx;
  data: PersonExport;
  communeName: string;
  today: string;
}) {
  const { t, lang } = p.ctx;
  const d = p.data;
  const r = d.resident;
  const none = t("common.none");
  return (
    <article class="letter">
      <p class="no-print">
        <a href={`/privacy/residents/${r.id}`}>{t("common.back")}</a> · {t("privacy.print_hint")}
      </p>
      <header class="letter__head">
        <p>
          <strong>{t("privacy.letter_issuer", { commune: p.communeName.toLocaleUpperCase("vi") })}</strong>
        </p>
        <p class="letter__motto">
          <strong>{t("privacy.letter_motto")}</strong>
          <br />
          {t("privacy.letter_motto2")}
        </p>
        <p class="letter__date">{t("privacy.letter_date", { place: p.communeName, date: dmy(p.today) })}</p>
      </header>
      <h1>{t("privacy.letter_title")}</h1>
      <p>{t("privacy.letter_to", { name: r.full_name })}</p>
      <p>{t("privacy.letter_body")}</p>
      <h2>{t("privacy.sec.registry")}</h2>
      <SummaryList
        rows={[
          [t("col.full_name"), r.full_name],
          [t("col.birth_date"), r.birth_date.length === 4 ? r.birth_date : dmy(r.birth_date)],
          [t("col.citizen_id"), r.citizen_id ?? none],
          [t("col.phone"), r.phone ?? none],
          [t("col.village"), r.village_name],
          [t("col.status"), t(`status.${r.status}`)],
          [t("col.vneid_level"), String(r.vneid_level)],
        ]}
      />
      <h2>{t("privacy.sec.household")}</h2>
      <p>
        {d.household
          ? [d.household.code, d.household.head_name, d.household.address, d.household.village_name]
              .filter(Boolean)
              .join(" — ")
          : none}
      </p>
      <Section
        t={t}
        title="privacy.sec.certifications"
        rows={d.certifications.map((c) => [
          dmy(c.date),
          `${t(`cert.${c.kind}`)} / ${t(`source.${c.source}`)}${c.reference ? ` — ${c.reference}` : ""}`,
        ])}
      />
      <Section
        t={t}
        title="privacy.sec.attendance"
        rows={d.attendance.map((a) => [
          dmy(a.date),
          `${a.activityTitle} (${a.activityCode}) — ${a.present ? t("privacy.present") : t("privacy.absent")}`,
        ])}
      />
      <Section
        t={t}
        title="privacy.sec.visits"
        rows={d.visits.map((v) => [
          dmy(v.date),
          `${v.householdCode} — ${v.memberName}${v.note ? ` — ${v.note}` : ""}`,
        ])}
      />
      <Section
        t={t}
        title="privacy.sec.assessments"
        rows={d.assessments.map((a) => [
          dmy(a.date),
          Object.entries(a.levels)
            .map(([k, v]) => `${domainLabel(lang, k)}: ${t(`assessments.level.${v}`)}`)
            .join(", "),
        ])}
      />
      <Section
        t={t}
        title="privacy.sec.audit"
        rows={d.audit.map((e) => [
          formatDateTime(lang, new Date(e.at)),
          `${e.by ?? none} — ${auditActionText(t, e.action)}`,
        ])}
      />
      <p>{t("privacy.letter_rights")}</p>
      <p class="letter__sign">{t("privacy.letter_sign")}</p>
    </article>
  );
}

function Section(p: { t: T; title: Parameters<T>[0]; rows: [string, string][] }) {
  return (
    <section>
      <h2>{p.t(p.title)}</h2>
      {p.rows.length === 0 ? (
        <p>{p.t("privacy.nothing")}</p>
      ) : (
        <table class="table">
          <tbody>
            {p.rows.map(([a, b]) => (
              <tr>
                <td class="nowrap">{a}</td>
                <td>{b}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
