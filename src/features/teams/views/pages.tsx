import type { FieldErrors } from "../../../lib/errors.ts";
import { formatDate } from "../../../lib/i18n/index.ts";
import {
  Button,
  CheckboxesField,
  Csrf,
  ErrorSummary,
  RadioList,
  SelectField,
  TextField,
} from "../../../web/components.tsx";
import { ActionLinks, PageHeader } from "../../../web/kit/page.tsx";
import { SummaryList } from "../../../web/kit/summary-list.tsx";
import { ListTable } from "../../../web/kit/table.tsx";
import type { PageCtx } from "../../../web/render.tsx";
import type { ResidentItem } from "../../residents/service.ts";
import type { VisitItem } from "../../visits/service.ts";
import { SupportList } from "../../visits/views/parts.tsx";
import type { RecentActivityRow } from "../repo.ts";
import type { TeamItem, TeamMemberItem } from "../service.ts";

const dmy = (iso: string) => formatDate("vi", iso);

/** "Active" or "not active" with the reasons in words. */
export function TeamStatusBadge(p: { ctx: PageCtx; team: TeamItem }) {
  const { t } = p.ctx;
  if (p.team.active) return <span class="tag tag--green">{t("teams.active")}</span>;
  return (
    <span>
      <span class="tag tag--grey">{t("teams.not_active")}</span>
      <ul class="reasons">
        {p.team.reasons.map((r) => (
          <li>{t(r.key, r.params)}</li>
        ))}
      </ul>
    </span>
  );
}

export function TeamListPage(p: { ctx: PageCtx; teams: TeamItem[]; date: string }) {
  const { t } = p.ctx;
  const active = p.teams.filter((x) => x.active).length;
  return (
    <div>
      <h1>{t("teams.title")}</h1>
      <p class="lead">{t("teams.summary", { active, total: p.teams.length, date: dmy(p.date) })}</p>
      <p class="field__hint">{t("teams.rule")}</p>
      <ListTable
        caption={t("teams.title")}
        rows={p.teams}
        empty={t("common.empty")}
        columns={[
          {
            head: t("col.village"),
            cell: (x) => (
              <>
                <a href={`/teams/${x.village_id}`}>{x.village_name}</a> ({x.village})
              </>
            ),
          },
          { head: t("teams.members_count"), cell: (x) => x.members },
          { head: t("teams.work_90"), cell: (x) => x.visits + x.class_sessions + x.propaganda },
          { head: t("teams.status"), cell: (x) => <TeamStatusBadge ctx={p.ctx} team={x} /> },
        ]}
      />
    </div>
  );
}

export function TeamPage(p: {
  ctx: PageCtx;
  team: TeamItem;
  members: TeamMemberItem[];
  visits: VisitItem[];
  activities: RecentActivityRow[];
  canEdit: boolean;
  canVisit: boolean;
}) {
  const { t } = p.ctx;
  // A volunteer's members come without phones (residents/fields.ts): no column then.
  const phones = p.members.some((m) => m.phone !== undefined);
  const team = p.team;
  const base = `/teams/${team.village_id}`;
  return (
    <div>
      <PageHeader t={t} back="/teams" title={t("teams.page_title", { village: team.village_name })} />
      <div class={`notice${team.active ? " notice--success" : ""}`}>
        <p>
          <strong>{team.active ? t("teams.is_active") : t("teams.is_not_active")}</strong>
        </p>
        {team.active ? (
          <p>
            {t("teams.active_because", {
              members: team.members,
              work: team.visits + team.class_sessions + team.propaganda,
              from: dmy(team.from),
              to: dmy(team.to),
            })}
          </p>
        ) : (
          <ul class="reasons">
            {team.reasons.map((r) => (
              <li>{t(r.key, r.params)}</li>
            ))}
          </ul>
        )}
      </div>
      <SummaryList
        rows={[
          [t("teams.phone"), team.phone ?? t("common.none")],
          [t("teams.publish_contacts"), team.publish_contacts ? t("common.yes") : t("common.no")],
        ]}
      />
      {p.canEdit ? (
        <ActionLinks
          actions={[
            { href: `${base}/edit`, label: t("teams.edit"), variant: "secondary" },
            { href: `${base}/members/new`, label: t("teams.add_member") },
          ]}
        />
      ) : null}

      <h2>{t("teams.members")}</h2>
      <ListTable
        caption={t("teams.members")}
        rows={p.members}
        empty={t("teams.no_members")}
        columns={[
          {
            head: t("col.full_name"),
            cell: (m) =>
              m.resident_id ? <a href={`/residents/${m.resident_id}`}>{m.full_name}</a> : m.full_name,
          },
          { head: t("teams.role"), cell: (m) => t(`teams.role.${m.role}`) },
          phones && { head: t("col.phone"), class: "nowrap", cell: (m) => m.phone ?? t("common.none") },
          p.canEdit && {
            head: t("common.actions"),
            cell: (m) => (
              <a href={`${base}/members/${m.id}/edit`}>
                {t("teams.edit_member")}
                <span class="visually-hidden"> {m.full_name}</span>
              </a>
            ),
          },
        ]}
      />

      <h2>{t("teams.recent_visits")}</h2>
      {p.canVisit ? (
        <p>
          <a class="button" href={`/visits/new?village=${encodeURIComponent(team.village)}`}>
            {t("visits.new")}
          </a>
        </p>
      ) : null}
      {p.visits.length === 0 ? (
        <p>{t("visits.none_found")}</p>
      ) : (
        <ul class="link-list">
          {p.visits.map((v) => (
            <li>
              <a href={`/visits/${v.id}`}>
                {dmy(v.date)} — {t("visits.household_short", { code: v.household })}
              </a>{" "}
              ({v.member}): <SupportList t={t} support={v.support} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/visits?village=${encodeURIComponent(team.village)}`}>{t("teams.all_visits")}</a>
      </p>

      <h2>{t("teams.recent_activities")}</h2>
      {p.activities.length === 0 ? (
        <p>{t("teams.no_activities")}</p>
      ) : (
        <ul class="link-list">
          {p.activities.map((a) => (
            <li>
              {dmy(a.date)} —{" "}
              {a.type === "propaganda"
                ? t("teams.activity_propaganda")
                : a.session
                  ? t("teams.activity_session")
                  : t("teams.activity_class")}
              : {a.title} ({a.code})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export type FormValues = Record<string, string | string[] | undefined>;
const one = (values: FormValues, k: string) => {
  const x = values[k];
  return Array.isArray(x) ? x[0] : x;
};

export function TeamSettingsPage(p: {
  ctx: PageCtx;
  team: TeamItem;
  values: FormValues;
  errors?: FieldErrors | undefined;
}) {
  const { t } = p.ctx;
  const base = `/teams/${p.team.village_id}`;
  return (
    <div class="narrow">
      <p>
        <a href={base}>{t("common.back")}</a>
      </p>
      <h1>{t("teams.edit_title", { village: p.team.village_name })}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={`${base}/edit`} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <TextField
          t={t}
          name="phone"
          label="teams.phone"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          value={one(p.values, "phone")}
          hint={t("teams.phone_hint")}
          errors={p.errors}
        />
        <CheckboxesField
          t={t}
          name="publish_contacts"
          legend="teams.publish_contacts"
          hint={t("teams.publish_hint")}
          values={one(p.values, "publish_contacts") === "true" ? ["true"] : []}
          errors={p.errors}
          options={[{ value: "true", label: t("teams.publish_label") }]}
        />
        <Button>{t("common.save")}</Button>
      </form>
    </div>
  );
}

export function MemberFormPage(p: {
  ctx: PageCtx;
  team: TeamItem;
  memberId?: number | undefined;
  title: string;
  values: FormValues;
  /** The resident currently linked (edit), to keep as a choice. */
  linked?: { id: number; full_name: string } | undefined;
  search: string;
  found: ResidentItem[] | undefined;
  /** The village's team accounts the member may be linked to. */
  accounts: { id: number; displayName: string; username: string }[];
  errors?: FieldErrors | undefined;
  message?: string | undefined;
}) {
  const { t } = p.ctx;
  const base = `/teams/${p.team.village_id}`;
  const self = p.memberId ? `${base}/members/${p.memberId}/edit` : `${base}/members/new`;
  const action = p.memberId ? `${base}/members/${p.memberId}` : `${base}/members`;
  const chosen = one(p.values, "resident") ?? "";
  const choices = [
    ...(p.linked ? [{ id: p.linked.id, label: p.linked.full_name }] : []),
    ...(p.found ?? [])
      .filter((r) => r.id !== p.linked?.id)
      .map((r) => ({
        id: r.id,
        label: t("teams.resident_choice", { name: r.full_name, age: r.age, household: r.household }),
      })),
  ];
  return (
    <div class="narrow">
      <p>
        <a href={base}>{t("common.back")}</a>
      </p>
      <h1>{p.title}</h1>
      <ErrorSummary t={t} errors={p.errors} message={p.message} />
      <search>
        <form method="get" action={self} class="filters">
          <div class="field">
            <label class="field__label" for="f-q">
              {t("teams.find_resident")}
            </label>
            <p class="field__hint">{t("teams.find_resident_hint")}</p>
            <input class="input" id="f-q" name="q" type="search" value={p.search} />
          </div>
          <Button variant="secondary">{t("teams.search")}</Button>
        </form>
      </search>
      {p.found && p.found.length === 0 ? <p>{t("teams.no_resident_found")}</p> : null}
      <form method="post" action={action} novalidate>
        <Csrf token={p.ctx.csrfToken} />
        <RadioList
          t={t}
          name="resident"
          legend={t("teams.linked_resident")}
          options={[
            { value: "", label: t("teams.no_link") },
            ...choices.map((c) => ({ value: String(c.id), label: c.label })),
          ]}
          value={chosen}
          errors={p.errors}
        />
        <TextField
          t={t}
          name="full_name"
          label="col.full_name"
          value={one(p.values, "full_name")}
          hint={t("teams.full_name_hint")}
          errors={p.errors}
          autocomplete="off"
        />
        <SelectField
          t={t}
          name="role"
          label="teams.role"
          value={one(p.values, "role") ?? "member"}
          errors={p.errors}
          options={(["leader", "member", "youth_volunteer"] as const).map((r) => ({
            value: r,
            label: t(`teams.role.${r}`),
          }))}
        />
        {p.accounts.length > 0 ? (
          <SelectField
            t={t}
            name="user"
            label="teams.account"
            hint={t("teams.account_hint")}
            value={one(p.values, "user") ?? ""}
            errors={p.errors}
            options={[
              { value: "", label: t("teams.no_account") },
              ...p.accounts.map((a) => ({
                value: String(a.id),
                label: t("teams.account_choice", { name: a.displayName, username: a.username }),
              })),
            ]}
          />
        ) : null}
        <TextField
          t={t}
          name="phone"
          label="col.phone"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          value={one(p.values, "phone")}
          errors={p.errors}
        />
        <Button>{t("common.save")}</Button>
      </form>
      {p.memberId ? (
        <form method="post" action={`${base}/members/${p.memberId}/delete`}>
          <Csrf token={p.ctx.csrfToken} />
          <h2>{t("teams.remove_member")}</h2>
          <p>{t("teams.remove_hint")}</p>
          <Button variant="warning">{t("teams.remove_member")}</Button>
        </form>
      ) : null}
    </div>
  );
}
