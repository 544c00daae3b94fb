import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { ACTIVITY_TYPES, AUDIENCES } from "../../db/schema.ts";
import { AppError, type FieldErrors, type Msg, msg } from "../../lib/errors.ts";
import type { Cell } from "../../lib/values.ts";
import { apiRouter, errorResponses, ZIdParam, ZPageQuery } from "../../web/api.ts";
import { type AppEnv, auditOf } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { idempotent, idempotentForm } from "../../web/idempotency.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import {
  apiRoute,
  jsonBody,
  jsonContent,
  listContent,
  permitByMethod,
} from "../../web/routes-kit/api-route.ts";
import { mountEditor } from "../../web/routes-kit/editor-routes.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { listRoute } from "../../web/routes-kit/list-route.ts";
import { cellsOf, mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listUnitsOfCommune } from "../units/repo.ts";
import { listPickableVillages } from "../villages/service.ts";
import {
  addSession,
  addWalkIn,
  createActivity,
  deleteActivity,
  getActivity,
  getActivityView,
  getCalendar,
  getSessionRoster,
  listActivities,
  listAttendance,
  listSessions,
  markAttendance,
  nextActivityCode,
  recordAttendance,
  saveSessionAttendance,
  searchWalkIns,
  updateActivity,
} from "./service.ts";
import { SessionPage } from "./views/attendance.tsx";
import {
  ActivityDetailPage,
  ActivityFormPage,
  type ActivityFormValues,
  ActivityListPage,
  CalendarPage,
  dmy,
} from "./views/pages.tsx";

export const activityRoutes = new Hono<AppEnv>();

activityRoutes.get(
  "/activities",
  requirePermission("activity.read"),
  listRoute({
    query: ["q", "type", "village", "month"],
    list: listActivities,
    data: listPickableVillages,
    title: "activities.title",
    view: ({ data, viewer, ...page }) => (
      <ActivityListPage {...page} villages={data} canCreate={viewerCan(viewer, "activity.create")} />
    ),
  }),
);

activityRoutes.get("/activities/calendar", requirePermission("activity.read"), async (c) => {
  const { db, viewer } = readerOf(c);
  const village = c.req.query("village")?.trim() || undefined;
  const calendar = await getCalendar({ db, viewer, month: c.req.query("month")?.trim(), village });
  const villages = await listPickableVillages({ db, viewer });
  return render(c, { title: c.var.t("calendar.title") }, (ctx) => (
    <CalendarPage
      ctx={ctx}
      calendar={calendar}
      village={village}
      villages={villages}
      canCreate={viewerCan(viewer, "activity.create")}
    />
  ));
});

async function detailPage(
  c: Context<AppEnv>,
  id: number,
  session?: { errors: FieldErrors; values: Record<string, string> },
) {
  const viewer = requireViewer(c);
  const { activity, writable } = await getActivityView({ db: c.var.deps.db, viewer, id });
  const canRecord = viewerCan(viewer, "attendance.record");
  return render(c, { title: activity.title, status: session ? 422 : 200 }, (ctx) => (
    <ActivityDetailPage
      ctx={ctx}
      a={activity}
      canEdit={writable && viewerCan(viewer, "activity.update")}
      canAddSession={writable && canRecord}
      sessionsByCommune={!writable && canRecord}
      sessionErrors={session?.errors}
      sessionValues={session?.values}
    />
  ));
}

activityRoutes.get("/activities/:id{[0-9]+}", requirePermission("activity.read"), (c) =>
  detailPage(c, idOf(c)),
);

/** A form's fields as the column-key input the service checks. */
function inputOfForm(form: FormValues): Record<string, Cell> {
  const keys = [
    "code",
    "type",
    "title",
    "date",
    "village",
    "unit",
    "audience",
    "place",
    "time",
    "trainer",
    "notes",
  ];
  return Object.fromEntries(keys.map((k) => [k, str(form, k)]));
}

mountEditor(activityRoutes, {
  base: "/activities",
  data: async (c) => {
    const { db, viewer } = readerOf(c);
    const villages = await listPickableVillages({ db, viewer });
    const allUnits = await listUnitsOfCommune(db, viewer.communeId);
    const s = viewer.scope;
    const units = s.kind === "unit" ? allUnits.filter((u) => u.id === s.unitId) : allUnits;
    return { villages, units, scope: s };
  },
  view: ({ data: { villages, units, scope }, ...page }) => (
    <ActivityFormPage
      {...page}
      villages={villages}
      units={units}
      allowCommuneWide={scope.kind !== "villages"}
      allowNoUnit={scope.kind !== "unit"}
    />
  ),
  create: {
    permission: "activity.create",
    title: msg("activities.new"),
    values: async (c) => {
      const viewer = requireViewer(c);
      const code = await nextActivityCode({ db: c.var.deps.db, communeId: viewer.communeId });
      const s = viewer.scope;
      const values: ActivityFormValues = { code, type: c.req.query("type") ?? "class" };
      // A team of one village: its village already chosen.
      if (s.kind === "villages" && s.villageIds.length === 1) {
        const [v] = await listPickableVillages({ db: c.var.deps.db, viewer });
        values.village = v?.code;
      }
      return values;
    },
    run: (c, form) => createActivity({ ...writerOf(c), input: inputOfForm(form) }),
    flash: (a) => msg("activities.created", { code: a.code }),
  },
  update: {
    permission: "activity.update",
    title: msg("activities.edit"),
    load: async (c, id) => {
      const viewer = requireViewer(c);
      const { activity: a, writable } = await getActivityView({ db: c.var.deps.db, viewer, id });
      if (!writable) throw new AppError("forbidden", { message: msg("error.forbidden") });
      const values: ActivityFormValues = {
        code: a.code,
        type: a.type,
        title: a.title,
        date: dmy(a.date),
        village: a.village ?? "",
        unit: a.unit ?? "",
        audience: a.audience ?? "",
        place: a.place ?? "",
        time: a.time ?? "",
        trainer: a.trainer ?? "",
        notes: a.notes ?? "",
      };
      return { title: msg("activities.edit_title", { code: a.code }), values };
    },
    run: (c, id, form) => updateActivity({ ...writerOf(c), id, input: inputOfForm(form) }),
    flash: (a) => msg("activities.updated", { code: a.code }),
  },
});

activityRoutes.post("/activities/:id{[0-9]+}/sessions", requirePermission("attendance.record"), async (c) => {
  const id = idOf(c);
  const inputOf = (form: FormValues) => ({ date: str(form, "date"), notes: str(form, "notes") });
  return submitForm(c, {
    run: (form) => addSession({ ...writerOf(c), activityId: id, input: inputOf(form) }),
    flash: (s) => msg("sessions.added", { date: dmy(s.date) }),
    to: (s) => `/activities/${id}/sessions/${s.id}`,
    invalid: (form, errors) => detailPage(c, id, { errors, values: inputOf(form) }),
  });
});

// --- attendance on a phone ---------------------------------------------------------

const SESSION_PATH = "/activities/:id{[0-9]+}/sessions/:sid{[0-9]+}";

async function sessionPage(
  c: Context<AppEnv>,
  opts: { q?: string | undefined; find?: string | undefined; error?: Msg },
) {
  const { db, viewer } = readerOf(c);
  const activityId = idOf(c);
  const sessionId = idOf(c, "sid");
  const roster = await getSessionRoster({ db, viewer, activityId, sessionId, q: opts.q });
  const canRecord = viewerCan(viewer, "attendance.record") && viewer.scope.kind !== "installation";
  const found =
    opts.find && canRecord
      ? await searchWalkIns({ db, viewer, activityId, sessionId, text: opts.find })
      : undefined;
  const title = c.var.t("attendance.title", { date: dmy(roster.session.date) });
  return render(c, { title, status: opts.error ? 422 : 200 }, (ctx) => (
    <SessionPage
      ctx={ctx}
      roster={roster}
      q={opts.q}
      find={opts.find}
      found={found}
      canRecord={canRecord}
      error={opts.error}
    />
  ));
}

/** The first message of a validation error (the pages of attendance show one at a time). */
const firstMessage = (e: AppError): Msg => Object.values(e.fields)[0] ?? e.msg;

const sessionUrl = (c: Context<AppEnv>, q?: string) =>
  `/activities/${c.req.param("id")}/sessions/${c.req.param("sid")}${q ? `?${new URLSearchParams({ q })}` : ""}`;

activityRoutes.get(SESSION_PATH, requirePermission("attendance.read"), (c) =>
  sessionPage(c, {
    q: c.req.query("q")?.trim() || undefined,
    find: c.req.query("find")?.trim() || undefined,
  }),
);

const idsOf = (values: string[]) => values.filter((v) => /^\d{1,9}$/.test(v)).map((v) => Number(v));

activityRoutes.post(SESSION_PATH, requirePermission("attendance.record"), idempotentForm(), (c) => {
  const qOf = (form: FormValues) => str(form, "q").trim() || undefined;
  return submitForm(c, {
    run: async (form) => ({
      ...(await saveSessionAttendance({
        ...writerOf(c),
        activityId: idOf(c),
        sessionId: idOf(c, "sid"),
        shown: idsOf(list(form, "shown")),
        present: idsOf(list(form, "present")),
      })),
      q: qOf(form),
    }),
    flash: (r) => msg("attendance.saved_all", { changed: r.changed }),
    to: (r) => sessionUrl(c, r.q),
    invalid: (form, _errors, err) => sessionPage(c, { q: qOf(form), error: firstMessage(err) }),
  });
});

activityRoutes.post(
  `${SESSION_PATH}/walk-in`,
  requirePermission("attendance.record"),
  idempotentForm(),
  (c) =>
    submitForm(c, {
      run: (form) => {
        const residentId = Number(str(form, "resident_id"));
        return addWalkIn({
          ...writerOf(c),
          activityId: idOf(c),
          sessionId: idOf(c, "sid"),
          residentId: Number.isSafeInteger(residentId) ? residentId : 0,
        });
      },
      flash: (r) =>
        msg(r.already ? "attendance.walkin_already" : "attendance.walkin_added", { name: r.name }),
      to: () => sessionUrl(c),
      invalid: (_form, _errors, err) => sessionPage(c, { error: firstMessage(err) }),
    }),
);

/** One tick, saved by /static/attendance.js: JSON in and out, the CSRF token in X-CSRF-Token. */
activityRoutes.post(`${SESSION_PATH}/attendance`, requirePermission("attendance.record"), async (c) => {
  const t = c.var.t;
  let body: { resident_id?: unknown; present?: unknown };
  try {
    body = (await c.req.json()) as typeof body;
  } catch {
    return c.json({ ok: false, message: t("error.bad_json") }, 400);
  }
  const residentId = Number(body.resident_id);
  if (!Number.isSafeInteger(residentId) || typeof body.present !== "boolean")
    return c.json({ ok: false, message: t("error.bad_request") }, 400);
  try {
    const r = await markAttendance({
      ...writerOf(c),
      activityId: idOf(c),
      sessionId: idOf(c, "sid"),
      residentId,
      present: body.present,
    });
    const message = t(r.present ? "attendance.saved_row_present" : "attendance.saved_row_absent", {
      name: r.name,
    });
    const summary = t("attendance.summary", r.counts);
    return c.json({ ok: true, present: r.present, message, summary }, 200);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const m = firstMessage(err);
    return c.json({ ok: false, message: t(m.key, m.params) }, err.status);
  }
});

// --- API ----------------------------------------------------------------------

export const activityApi = apiRouter();
permitByMethod(activityApi, "/activities", { GET: "activity.read", POST: "activity.create" });
permitByMethod(
  activityApi,
  "/activities/*",
  { GET: "activity.read", PATCH: "activity.update", DELETE: "activity.update" },
  { "/sessions": "attendance.record" },
);
permitByMethod(activityApi, "/attendance", { GET: "attendance.read", PUT: "attendance.record" });
activityApi.use("/attendance", idempotent());

const ZActivity = z
  .object({
    id: z.number().int(),
    code: z.string(),
    type: z.enum(ACTIVITY_TYPES),
    title: z.string(),
    date: z.string().openapi({ description: "yyyy-mm-dd" }),
    village: z.string().nullable().openapi({ description: "Village code; null for a commune-wide activity" }),
    unit: z.string().nullable().openapi({ description: "Unit code" }),
    place: z.string().nullable(),
    time: z.string().nullable().openapi({ description: "The time of day it starts, HH:mm (Vietnam time)" }),
    trainer: z.string().nullable(),
    audience: z.enum(AUDIENCES).nullable(),
    notes: z.string().nullable(),
    village_name: z.string().nullable(),
    unit_name: z.string().nullable(),
  })
  .openapi("Activity");

const ZSession = z
  .object({
    id: z.number().int(),
    date: z.string().openapi({ description: "yyyy-mm-dd" }),
    notes: z.string().nullable(),
    present: z.number().int().openapi({ description: "Residents marked present" }),
    total: z.number().int().openapi({ description: "Residents on the session's roster" }),
  })
  .openapi("ActivitySession");

const ZActivityDetail = ZActivity.extend({
  sessions: z.array(ZSession),
  attendance: z.number().int().openapi({ description: "Attendance rows recorded for its sessions" }),
});

const ZAttendance = z
  .object({
    id: z.number().int(),
    activity: z.string().openapi({ description: "Activity code" }),
    date: z.string().openapi({ description: "The session's date, yyyy-mm-dd" }),
    resident_id: z.number().int(),
    citizen_id: z.string().nullable().optional().openapi({
      description: "Masked (038*******12) unless the role sees it whole; absent for the volunteer role",
    }),
    full_name: z.string(),
    birth_date: z.string().optional().openapi({
      description: "yyyy-mm-dd, or yyyy when only the year is known; absent for the volunteer role",
    }),
    present: z.boolean(),
  })
  .openapi("Attendance");

const ZActivityIn = z
  .object({
    code: ZCell,
    type: ZCell,
    title: ZCell,
    date: ZCell,
    village: ZCell,
    unit: ZCell,
    place: ZCell,
    time: ZCell,
    trainer: ZCell,
    audience: ZCell,
    notes: ZCell,
  })
  .openapi("ActivityInput", {
    description:
      "Column keys of the data README; values as in an import file (labels or codes). An empty code on creation takes the next free HD number.",
  });

const conflict = {
  409: {
    description: "Attendance is recorded for the activity",
    content: { "application/json": { schema: errorResponses[404].content["application/json"].schema } },
  },
} as const;

mountRecordApi(activityApi, {
  path: "/activities",
  noun: "activity",
  record: ZActivityDetail,
  list: {
    summary: "List activities in the caller's scope (newest first)",
    query: ZPageQuery.extend({
      type: z.enum(ACTIVITY_TYPES).optional(),
      village: z.string().optional().openapi({ description: "Village code" }),
      month: z.string().optional().openapi({ description: "yyyy-mm: activities dated in that month" }),
      q: z.string().optional().openapi({
        description: "Start of a code, or part of the title ignoring case and diacritics",
      }),
    }),
    item: ZActivity,
    items: "Activities",
    run: listActivities,
  },
  get: { summary: "One activity with its sessions (404 outside the caller's scope)", run: getActivity },
  create: {
    summary: "Create an activity (the rules of an import row; a village team only in its villages)",
    body: ZActivityIn,
    run: createActivity,
  },
  update: {
    summary: "Change an activity: the given keys over the stored ones, checked whole",
    body: ZActivityIn,
    run: updateActivity,
  },
  remove: {
    summary: "Delete an activity with no attendance recorded (409 otherwise)",
    done: "Deleted",
    responses: conflict,
    run: deleteActivity,
  },
});

activityApi.openapi(
  apiRoute("get", "/activities/{id}/sessions", {
    summary: "A class's sessions with their present/total counts",
    request: { params: ZIdParam },
    responses: { 200: listContent(ZSession, "Sessions") },
  }),
  async (c) => {
    const items = await listSessions({ ...readerOf(c), activityId: c.req.valid("param").id });
    return c.json({ items, total: items.length }, 200);
  },
);

activityApi.openapi(
  apiRoute("post", "/activities/{id}/sessions", {
    summary: "Add a session (a class day) to a class the caller may write",
    request: {
      params: ZIdParam,
      body: jsonBody(z.object({ date: ZCell, notes: ZCell }).openapi("ActivitySessionInput")),
    },
    responses: { 201: jsonContent(ZSession, "The new session") },
  }),
  async (c) =>
    c.json(
      await addSession({
        ...writerOf(c),
        activityId: c.req.valid("param").id,
        input: cellsOf(c.req.valid("json")),
      }),
      201,
    ),
);

activityApi.openapi(
  apiRoute("get", "/attendance", {
    summary: "Attendance rows whose activity and resident are in the caller's scope",
    request: {
      query: ZPageQuery.extend({
        activity: z.string().optional().openapi({ description: "Activity code" }),
        date: z.string().optional().openapi({ description: "Session date (dd/mm/yyyy or yyyy-mm-dd)" }),
      }),
    },
    responses: { 200: listContent(ZAttendance, "Attendance") },
  }),
  async (c) => {
    const { page, pageSize, ...query } = c.req.valid("query");
    const r = await listAttendance({
      ...readerOf(c),
      query,
      page,
      pageSize,
      audit: auditOf(c, "api.attendance"),
    });
    return c.json(r, 200);
  },
);

activityApi.openapi(
  apiRoute("put", "/attendance", {
    summary:
      "Record one resident present or absent at a session (the activity by code or id, the session by date)",
    request: {
      body: jsonBody(
        z
          .object({
            activity: z.union([z.string(), z.number().int()]).optional(),
            date: ZCell.openapi({ description: "The session's date; empty: the activity's date" }),
            resident_id: z.union([z.number().int(), z.string()]).optional(),
            present: ZCell.openapi({ description: "true/false, or yes/no as in an import file" }),
          })
          .openapi("AttendanceInput"),
      ),
    },
    responses: { 200: jsonContent(ZAttendance, "The attendance row") },
  }),
  async (c) => c.json(await recordAttendance({ ...writerOf(c), input: cellsOf(c.req.valid("json")) }), 200),
);
