import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import { SUPPORT_KINDS } from "../../../lib/values.ts";
import { Button, Csrf, ErrorSummary, FormKey, SelectField, TextField } from "../../../web/components.tsx";
import { listValue as many, firstValue as one } from "../../../web/kit/fields.tsx";
import { FilterBar } from "../../../web/kit/filter-bar.tsx";
import { RegistryList } from "../../../web/kit/list-page.tsx";
import { villageFilter } from "../../../web/kit/options.ts";
import { PageHeader } from "../../../web/kit/page.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { VillageRow } from "../../villages/repo.ts";
import type { HouseholdPick, VisitDetail, VisitFormData, VisitItem, VisitQuery } from "../service.ts";
import { BigCheckboxes, SupportList, TextareaField } from "./parts.tsx";

const dmy = (iso: string) => formatDate("vi", iso);

export type FormValues = Record<string, string | string[] | undefined>;

/** Step 1 of recording a visit: find the household (by name, code or address), or pick it from a village's list. */
export function VisitStartPage(p: {
  ctx: PageCtx;
  q: string;
  village: string | undefined;
  villages: VillageRow[];
  result: { items: HouseholdPick[]; total: number } | undefined;
}) {
  const { t } = p.ctx;
  return (
    <div class="narrow">
      <PageHeader t={t} back="/visits" title={t("visits.new")} />
      <p class="lead">{t("visits.step1")}</p>
      <FilterBar
        action="/visits/new"
        class=""
        submit={t("visits.search")}
        search={{
          label: t("visits.find_household"),
          hint: t("visits.find_household_hint"),
          autocomplete: "off",
          value: p.q,
        }}
        filters={[villageFilter(t, p.villages, p.village, t("households.all_villages"))]}
      />
      {p.result === undefined ? null : p.result.items.length === 0 ? (
        <p role="status">{t("households.none_found")}</p>
      ) : (
        <>
          <h2>{t("visits.pick_household")}</h2>
          <p class="field__hint" role="status">
            {t("visits.pick_count", { total: p.result.total })}
          </p>
          <ul class="pick-list">
            {p.result.items.map((h) => (
              <li>
                <a class="pick-list__item" href={`/visits/new?household=${h.id}`}>
                  <span class="pick-list__title">
                    <strong>{h.code}</strong> — {h.headName ?? t("visits.no_head")}
                  </span>
                  <span class="pick-list__meta">
                    {h.address ?? t("visits.no_address")} · {h.villageName}
                  </span>
                  {h.memberNames.length > 0 ? (
                    <span class="pick-list__meta">
                      {t("visits.pick_members", { names: h.memberNames.join(", ") })}
                    </span>
                  ) : null}
                  <span class="pick-list__meta">
                    {h.lastVisit ? t("visits.pick_last", { date: dmy(h.lastVisit) }) : t("visits.pick_never")}
                  </span>
                </a>
              </li>
            ))}
          </ul>
          {p.result.total > p.result.items.length ? (
            <p class="field__hint">
              {t("visits.more_households", { shown: p.result.items.length, total: p.result.total })}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

/** Step 2: the visit itself, for one household. Also the edit form of a recorded visit. */
export function VisitFormPage(p: {
  ctx: PageCtx;
  data: VisitFormData;
  visitId?: number | undefined;
  title: string;
  values: FormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const d = p.data;
  const h = d.household;
  const action = p.visitId ? `/visits/${p.visitId}` : "/visits";
  /** A big-box choice of several, its legend and hint from its name, with the submitted values. */
  const boxes = (name: "support" | "vneid_update", options: { value: string; label: string }[]) => (
    <BigCheckboxes
      t={t}
      name={name}
      legend={`visits.${name}`}
      hint={t(`visits.${name}_hint`)}
      values={many(p.values, name)}
      errors={p.errors}
      options={options}
    />
  );
  return (
    <div class="narrow">
      <p>
        <a href={p.visitId ? `/visits/${p.visitId}` : "/visits/new"}>
          {p.visitId ? t("common.back") : t("visits.change_household")}
        </a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <SummaryList
        rows={[
          [t("col.household"), `${h.code} — ${h.headName ?? t("visits.no_head")}`],
          [t("col.village"), h.villageName],
        ]}
      />
      <form method="post" action={action} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <FormKey />
        <input type="hidden" name="household" value={h.code} />
        <input type="hidden" name="household_id" value={String(h.id)} />
        <TextField
          t={t}
          name="date"
          label="visits.date"
          type="date"
          value={one(p.values, "date") ?? d.today}
          hint={t("visits.date_hint")}
          errors={p.errors}
          width="short"
        />
        {d.members.length === 0 ? (
          <div class={`field${p.errors?.member ? " field--error" : ""}`} id="f-member">
            <p class="field__label">{t("visits.member")}</p>
            {p.errors?.member ? (
              <p class="field__error">{t(p.errors.member.key, p.errors.member.params)}</p>
            ) : null}
            <p>
              {t("visits.no_team_members")} <a href={`/teams/${h.villageId}`}>{t("visits.go_team")}</a>
            </p>
          </div>
        ) : (
          <SelectField
            t={t}
            name="member"
            label="visits.member"
            value={one(p.values, "member") ?? d.defaultMember ?? ""}
            errors={p.errors}
            options={[
              ...(d.defaultMember ? [] : [{ value: "", label: t("visits.choose_member") }]),
              ...d.members.map((m) => ({ value: m.fullName, label: m.fullName })),
            ]}
          />
        )}
        <BigCheckboxes
          t={t}
          name="residents_met"
          legend="visits.residents_met"
          hint={t("visits.residents_met_hint")}
          empty={t("visits.no_active_residents")}
          values={many(p.values, "residents_met")}
          errors={p.errors}
          options={d.residents.map((r) => ({
            value: String(r.id),
            label: r.fullName,
            hint: t("visits.resident_meta", { age: r.age, level: t(`vneid.${r.vneidLevel as 0 | 1 | 2}`) }),
          }))}
        />
        {boxes(
          "support",
          SUPPORT_KINDS.map((k) => ({ value: k, label: t(`visits.support.${k}`) })),
        )}
        {d.residents.some((r) => r.vneidLevel < 2)
          ? boxes(
              "vneid_update",
              d.residents
                .filter((r) => r.vneidLevel < 2)
                .map((r) => ({
                  value: String(r.id),
                  label: t("visits.vneid_update_label", {
                    name: r.fullName,
                    levels: r.vneidLevel === 0 ? "1/2" : "2",
                  }),
                })),
            )
          : null}
        <TextareaField
          t={t}
          name="note"
          label="visits.note"
          value={one(p.values, "note")}
          errors={p.errors}
        />
        <Button>{t("visits.save")}</Button>
      </form>
    </div>
  );
}

export function VisitListPage(p: {
  ctx: PageCtx;
  query: VisitQuery;
  villages: VillageRow[];
  result: { items: VisitItem[]; total: number; page: number; pageSize: number };
  canCreate: boolean;
}) {
  const { t } = p.ctx;
  const q = p.query;
  return (
    <RegistryList
      {...p}
      base="/visits"
      words={{ title: "visits.title", new: "visits.new", empty: "visits.none_found" }}
      filters={[
        villageFilter(t, p.villages, q.village, t("households.all_villages")),
        { kind: "input", name: "from", label: t("visits.from"), type: "date", value: q.from },
        { kind: "input", name: "to", label: t("visits.to"), type: "date", value: q.to },
        { kind: "input", name: "q", label: t("col.household"), type: "search", value: q.q },
      ]}
      id="visits"
      columns={[
        {
          head: t("visits.date"),
          class: "nowrap",
          cell: (v) => <a href={`/visits/${v.id}`}>{dmy(v.date)}</a>,
        },
        { head: t("col.household"), cell: (v) => `${v.household}${v.head_name ? ` — ${v.head_name}` : ""}` },
        { head: t("col.village"), cell: (v) => v.village_name },
        { head: t("visits.member"), cell: (v) => v.member },
        { head: t("visits.support"), cell: (v) => <SupportList t={t} support={v.support} /> },
      ]}
    />
  );
}

export function VisitDetailPage(p: { ctx: PageCtx; v: VisitDetail; canEdit: boolean }) {
  const { t } = p.ctx;
  const v = p.v;
  return (
    <div class="narrow">
      <PageHeader
        t={t}
        back="/visits"
        title={t("visits.detail_title", { code: v.household, date: dmy(v.date) })}
      />
      <SummaryList
        rows={[
          [
            t("col.household"),
            <>
              <a href={`/households/${v.household_id}`}>{v.household}</a>
              {v.head_name ? ` — ${v.head_name}` : ""}
            </>,
          ],
          [t("col.village"), v.village_name],
          [t("visits.date"), dmy(v.date)],
          [t("visits.member"), v.member],
          [
            t("visits.residents_met"),
            v.residents_met_names.length === 0 ? (
              t("common.none")
            ) : (
              <ul class="plain-list">
                {v.residents_met_names.map((r) => (
                  <li>
                    <a href={`/residents/${r.id}`}>{r.full_name}</a>
                  </li>
                ))}
              </ul>
            ),
          ],
          [
            t("visits.support"),
            <ul class="plain-list">
              {v.support.map((k) => (
                <li>{t(`visits.support.${k}`)}</li>
              ))}
            </ul>,
          ],
          [t("visits.note"), v.note ?? t("common.none")],
          [t("visits.recorded_by"), v.recorded_by ?? t("visits.imported")],
        ]}
      />
      {p.canEdit ? (
        <>
          <p>
            <a class="button button--secondary" href={`/visits/${v.id}/edit`}>
              {t("visits.edit")}
            </a>
          </p>
          <form method="post" action={`/visits/${v.id}/delete`}>
            <Csrf token={p.ctx.csrfToken} />
            <Button variant="warning">{t("visits.delete")}</Button>
          </form>
        </>
      ) : null}
    </div>
  );
}
