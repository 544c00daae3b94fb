import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { todayInVietnam } from "../../lib/clock.ts";
import { type FieldErrors, msg, notFound } from "../../lib/errors.ts";
import { TEAM_ROLES } from "../../lib/values.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, auditOf } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import {
  apiRoute,
  jsonContent,
  listContent,
  permitByMethod,
  writes,
} from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listResidents } from "../residents/service.ts";
import { listVisits } from "../visits/service.ts";
import {
  createTeamMember,
  deleteTeamMember,
  getTeam,
  getTeamMember,
  listTeamAccounts,
  listTeamMembers,
  listTeams,
  type TeamMemberChange,
  type TeamMemberItem,
  updateTeam,
  updateTeamMember,
} from "./service.ts";
import {
  MemberFormPage,
  type FormValues as PageValues,
  TeamListPage,
  TeamPage,
  TeamSettingsPage,
} from "./views/pages.tsx";

export const teamRoutes = new Hono<AppEnv>();

const villageIdOf = (c: Context<AppEnv>) => idOf(c, "vid");

teamRoutes.get("/teams", requirePermission("team.read"), async (c) => {
  const viewer = requireViewer(c);
  const date = todayInVietnam();
  const teams = await listTeams({ db: c.var.deps.db, viewer, date });
  return render(c, { title: c.var.t("teams.title") }, (ctx) => (
    <TeamListPage ctx={ctx} teams={teams} date={date} />
  ));
});

teamRoutes.get("/teams/:vid{[0-9]+}", requirePermission("team.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const detail = await getTeam({ db, viewer, villageId: villageIdOf(c) });
  const visits = await listVisits({
    db,
    viewer,
    query: { village: detail.team.village },
    page: 1,
    pageSize: 10,
  });
  return render(c, { title: c.var.t("teams.page_title", { village: detail.team.village_name }) }, (ctx) => (
    <TeamPage
      ctx={ctx}
      team={detail.team}
      members={detail.members}
      visits={visits.items}
      activities={detail.recentActivities}
      canEdit={viewerCan(viewer, "team.update") && viewer.scope.kind !== "installation"}
      canVisit={viewerCan(viewer, "visit.create") && viewer.scope.kind !== "installation"}
    />
  ));
});

async function settingsPage(c: Context<AppEnv>, values: PageValues | undefined, errors?: FieldErrors) {
  const { team } = await getTeam({ ...readerOf(c), villageId: villageIdOf(c) });
  const shown = values ?? { phone: team.phone ?? "", publish_contacts: team.publish_contacts ? "true" : "" };
  return render(
    c,
    { title: c.var.t("teams.edit_title", { village: team.village_name }), status: errors ? 422 : 200 },
    (ctx) => <TeamSettingsPage ctx={ctx} team={team} values={shown} errors={errors} />,
  );
}

teamRoutes.get("/teams/:vid{[0-9]+}/edit", requirePermission("team.update"), (c) =>
  settingsPage(c, undefined),
);

teamRoutes.post("/teams/:vid{[0-9]+}/edit", requirePermission("team.update"), (c) => {
  return submitForm(c, {
    run: (form) =>
      updateTeam({
        ...writerOf(c),
        villageId: villageIdOf(c),
        input: {
          phone: str(form, "phone"),
          publish_contacts: list(form, "publish_contacts").includes("true") ? "true" : "false",
        },
      }),
    flash: (team) => msg("teams.updated", { village: team.village_name }),
    to: (team) => `/teams/${team.village_id}`,
    invalid: (form, errors) => settingsPage(c, form, errors),
  });
});

/** The form's fields as a member change: the village is the page's. */
function changeOfForm(form: FormValues, villageCode: string): TeamMemberChange {
  const resident = Number.parseInt(str(form, "resident"), 10);
  return {
    input: {
      village: villageCode,
      full_name: str(form, "full_name"),
      role: str(form, "role"),
      phone: str(form, "phone"),
    },
    residentId: Number.isSafeInteger(resident) && resident > 0 ? resident : null,
    userId: userIdOfForm(form),
  };
}

/** The account choice: absent (no accounts to offer) keeps the link, "" unlinks, an id links. */
function userIdOfForm(form: FormValues): number | null | undefined {
  if (!("user" in form)) return undefined;
  const id = Number.parseInt(str(form, "user"), 10);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

async function memberPage(
  c: Context<AppEnv>,
  opts: {
    member?: TeamMemberItem;
    values: PageValues;
    errors?: FieldErrors;
    message?: string;
    status?: 409 | 422;
  },
) {
  const { db, viewer } = readerOf(c);
  const { team } = await getTeam({ db, viewer, villageId: villageIdOf(c) });
  const search = c.req.query("q")?.trim() ?? "";
  const found = search
    ? (
        await listResidents({
          db,
          viewer,
          query: { village: team.village, q: search, status: "active" },
          page: 1,
          pageSize: 20,
          audit: auditOf(c, "page.team_resident_picker"),
        })
      ).items
    : undefined;
  const accounts = await listTeamAccounts({ db, viewer, villageId: team.village_id });
  const title = opts.member
    ? c.var.t("teams.edit_member_title", { name: opts.member.full_name })
    : c.var.t("teams.add_member");
  return render(c, { title, status: opts.status ?? (opts.errors ? 422 : 200) }, (ctx) => (
    <MemberFormPage
      ctx={ctx}
      team={team}
      memberId={opts.member?.id}
      title={title}
      values={opts.values}
      linked={
        opts.member?.resident_id
          ? { id: opts.member.resident_id, full_name: opts.member.full_name }
          : undefined
      }
      search={search}
      found={found}
      accounts={accounts}
      errors={opts.errors}
      message={opts.message}
    />
  ));
}

/** The member of the page's village (404 for another village's member or one out of scope). */
async function memberOfPage(c: Context<AppEnv>): Promise<TeamMemberItem> {
  const viewer = requireViewer(c);
  const m = await getTeamMember({ db: c.var.deps.db, viewer, id: idOf(c) });
  const { team } = await getTeam({ db: c.var.deps.db, viewer, villageId: villageIdOf(c) });
  if (m.village !== team.village) throw notFound();
  return m;
}

const valuesOf = (m: TeamMemberItem): PageValues => ({
  full_name: m.full_name,
  role: m.role,
  phone: m.phone ?? "",
  resident: m.resident_id ? String(m.resident_id) : "",
  user: m.user_id ? String(m.user_id) : "",
});

teamRoutes.get("/teams/:vid{[0-9]+}/members/new", requirePermission("team.update"), (c) => {
  const picked = c.req.query("resident");
  return memberPage(c, { values: { role: "member", resident: picked } });
});

teamRoutes.post("/teams/:vid{[0-9]+}/members", requirePermission("team.update"), async (c) => {
  const { team } = await getTeam({ ...readerOf(c), villageId: villageIdOf(c) });
  return submitForm(c, {
    run: (form) => createTeamMember({ ...writerOf(c), change: changeOfForm(form, team.village) }),
    flash: (m) => msg("teams.member_added", { name: m.full_name }),
    to: () => `/teams/${team.village_id}`,
    invalid: (form, errors) => memberPage(c, { values: form, errors }),
  });
});

teamRoutes.get(
  "/teams/:vid{[0-9]+}/members/:id{[0-9]+}/edit",
  requirePermission("team.update"),
  async (c) => {
    const m = await memberOfPage(c);
    return memberPage(c, { member: m, values: valuesOf(m) });
  },
);

teamRoutes.post("/teams/:vid{[0-9]+}/members/:id{[0-9]+}", requirePermission("team.update"), async (c) => {
  const m = await memberOfPage(c);
  return submitForm(c, {
    run: (form) => updateTeamMember({ ...writerOf(c), id: m.id, change: changeOfForm(form, m.village) }),
    flash: (after) => msg("teams.member_updated", { name: after.full_name }),
    to: () => `/teams/${villageIdOf(c)}`,
    invalid: (form, errors) => memberPage(c, { member: m, values: form, errors }),
  });
});

teamRoutes.post(
  "/teams/:vid{[0-9]+}/members/:id{[0-9]+}/delete",
  requirePermission("team.update"),
  async (c) => {
    const m = await memberOfPage(c);
    return submitForm(c, {
      run: () => deleteTeamMember({ ...writerOf(c), id: m.id }),
      flash: () => msg("teams.member_removed", { name: m.full_name }),
      to: () => `/teams/${villageIdOf(c)}`,
      catches: ["conflict"],
      invalid: (_form, _errors, err) =>
        memberPage(c, {
          member: m,
          values: valuesOf(m),
          message: c.var.t(err.msg.key, err.msg.params),
          status: 409,
        }),
    });
  },
);

// --- API ----------------------------------------------------------------------

export const teamApi = apiRouter();
teamApi.use("/teams", requirePermission("team.read"));
permitByMethod(teamApi, "/team_members", { GET: "team.read", POST: "team.update" });
// Hono's `/*` also matches the bare path: POST there creates.
permitByMethod(teamApi, "/team_members/*", { GET: "team.read", ...writes("team.update") });

const ZTeam = z
  .object({
    id: z.number().int().nullable().openapi({ description: "The team's id (null until the team is set up)" }),
    village: z.string().openapi({ description: "Village code" }),
    village_id: z.number().int(),
    village_name: z.string(),
    phone: z.string().nullable().openapi({ description: "Masked except for admin, coordinator, police" }),
    publish_contacts: z.boolean(),
    members: z.number().int(),
    active: z.boolean().openapi({ description: "Active at `date` under SPEC §3 indicator 8" }),
    reason: z.string().nullable().openapi({ description: "Why not active, in words (null when active)" }),
    visits: z.number().int(),
    class_sessions: z.number().int(),
    propaganda: z.number().int(),
    from: z.string(),
    to: z.string(),
  })
  .openapi("Team");

teamApi.openapi(
  apiRoute("get", "/teams", {
    summary: "Every village team in the caller's scope: members, work in the last 90 days, active or why not",
    request: {
      query: z.object({
        date: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional()
          .openapi({ description: "Reference date yyyy-mm-dd (default today in Vietnam)" }),
      }),
    },
    responses: { 200: listContent(ZTeam, "Teams") },
  }),
  async (c) => {
    const viewer = requireViewer(c);
    const teams = await listTeams({ db: c.var.deps.db, viewer, date: c.req.valid("query").date });
    const t = c.var.t;
    const items = teams.map(({ reasons, ...x }) => ({
      ...x,
      reason: reasons.length ? reasons.map((r) => t(r.key, r.params)).join("; ") : null,
    }));
    return c.json({ items, total: items.length }, 200);
  },
);

const ZTeamMember = z
  .object({
    id: z.number().int(),
    village: z.string().openapi({ description: "Village code" }),
    full_name: z.string(),
    role: z.enum(TEAM_ROLES),
    phone: z.string().nullable().optional().openapi({
      description: "Masked except for admin, coordinator, police; absent for the volunteer role",
    }),
    citizen_id: z.string().nullable().optional().openapi({
      description:
        "The linked resident's citizen ID, masked except for admin, coordinator, police; absent for the volunteer role",
    }),
    resident_id: z.number().int().nullable(),
    user_id: z.number().int().nullable().openapi({
      description: "The member's own account (set on the team page), preselected on visit forms",
    }),
    village_name: z.string(),
  })
  .openapi("TeamMember");

const ZTeamMemberIn = z
  .object({
    village: ZCell,
    full_name: ZCell,
    role: ZCell,
    phone: ZCell,
    citizen_id: ZCell,
    resident_id: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({ description: "Link to a resident of the team's village by id (null unlinks)" }),
  })
  .openapi("TeamMemberInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

function changeOfJson(body: z.infer<typeof ZTeamMemberIn>): TeamMemberChange {
  const { resident_id, ...rest } = body;
  return {
    input: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v ?? null])),
    residentId: resident_id,
  };
}

mountRecordApi(teamApi, {
  path: "/team_members",
  noun: "member",
  record: ZTeamMember,
  change: (body: z.infer<typeof ZTeamMemberIn>) => ({ change: changeOfJson(body) }),
  list: {
    summary: "List team members in the caller's scope",
    query: ZPageQuery.extend({
      village: z.string().optional().openapi({ description: "Village code" }),
      q: z.string().optional().openapi({ description: "Part of the name, ignoring case and diacritics" }),
    }),
    item: ZTeamMember,
    items: "Team members",
    audit: "api.team_members",
    run: listTeamMembers,
  },
  get: { summary: "One team member (404 outside the caller's scope)", run: getTeamMember },
  create: {
    summary: "Add a member to a village's team (the rules of an import row)",
    body: ZTeamMemberIn,
    run: createTeamMember,
  },
  update: {
    summary: "Change a team member (the given keys over the stored ones)",
    body: ZTeamMemberIn,
    run: updateTeamMember,
  },
  remove: {
    summary: "Remove a team member (409 while visits name them)",
    done: "Removed",
    responses: {
      409: jsonContent(
        z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
        "Visits name the member",
      ),
    },
    run: deleteTeamMember,
  },
});
