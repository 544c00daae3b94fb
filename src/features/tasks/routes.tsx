import { createRoute, z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { type FieldErrors, msg, validationError } from "../../lib/errors.ts";
import { apiRouter, bearer, errorResponses } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { apiRoute, jsonContent, permitByMethod } from "../../web/routes-kit/api-route.ts";
import { orInvalid } from "../../web/routes-kit/form-route.ts";
import { apiGetOne } from "../../web/routes-kit/record-operations.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { parsePeriod } from "../indicators/period.ts";
import type { EvidenceUpload } from "./evidence.ts";
import { TASK_STATUSES } from "./schema.ts";
import {
  getTask,
  listOverdue,
  listTasks,
  openEvidence,
  type ProgressInput,
  recordProgress,
  type TaskView,
  taskTimeliness,
} from "./service.ts";
import { OverduePage, type ProgressFormValues, TaskDetailPage, TaskListPage } from "./views/pages.tsx";

export const taskRoutes = new Hono<AppEnv>();

/** Roles that see the whole commune's tasks and its overdue list. */
const wideOf = (c: Context<AppEnv>) =>
  requireViewer(c).scope.kind !== "unit" && requireViewer(c).scope.kind !== "villages";

/** The submitted form's fields and files; a file input left empty (no name, no bytes) is no file. */
async function readProgressForm(
  c: Context<AppEnv>,
): Promise<{ input: ProgressInput; files: EvidenceUpload[] }> {
  const body = await c.req.parseBody({ all: true });
  const text = (k: string) => {
    const v = body[k];
    const x = Array.isArray(v) ? v[0] : v;
    return typeof x === "string" ? x : undefined;
  };
  const raw = body.evidence;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const files: EvidenceUpload[] = [];
  for (const f of list) {
    if (!(f instanceof File)) continue;
    if (f.name === "" && f.size === 0) continue;
    files.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
  }
  const input: ProgressInput = {};
  for (const k of ["assignee", "due", "status", "result"] as const) {
    const v = text(k);
    if (v !== undefined) input[k] = v;
  }
  return { input, files };
}

taskRoutes.get("/tasks", requirePermission("task.read"), async (c) => {
  const viewer = requireViewer(c);
  const wide = wideOf(c);
  const { tasks, date } = await listTasks({ db: c.var.deps.db, viewer });
  const overdue = wide
    ? tasks.reduce(
        (n, t) => n + t.assignments.reduce((m, a) => m + a.occurrences.filter((o) => o.overdue).length, 0),
        0,
      )
    : null;
  return render(c, { title: c.var.t("tasks.title") }, (ctx) => (
    <TaskListPage ctx={ctx} tasks={tasks} date={date} wide={wide} overdue={overdue} />
  ));
});

taskRoutes.get("/tasks/overdue", requirePermission("task.read"), async (c) => {
  const { items, date } = await listOverdue({ ...readerOf(c) });
  return render(c, { title: c.var.t("tasks.overdue_title") }, (ctx) => (
    <OverduePage ctx={ctx} items={items} date={date} />
  ));
});

taskRoutes.get("/tasks/evidence/:id{[0-9]+}", requirePermission("task.read"), async (c) => {
  const file = await openEvidence({ ...writerOf(c), id: idOf(c) });
  return evidenceResponse(c, file);
});

function evidenceResponse(
  c: Context<AppEnv>,
  file: { content: Uint8Array; mediaType: string; fileName: string },
) {
  const ascii = file.fileName
    .normalize("NFD")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  return c.body(new Uint8Array(file.content), 200, {
    "Content-Type": file.mediaType,
    "Content-Disposition": `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    "Cache-Control": "private, no-store",
  });
}

async function detailPage(
  c: Context<AppEnv>,
  code: string,
  values: ProgressFormValues = {},
  errors?: FieldErrors,
) {
  const { plan, task } = await getTask({ ...readerOf(c), code });
  return render(c, { title: `${task.code}. ${task.title}`, status: errors ? 422 : 200 }, (ctx) => (
    <TaskDetailPage ctx={ctx} plan={plan} task={task} values={values} errors={errors} />
  ));
}

const CODE = "{[A-Za-z0-9][A-Za-z0-9.\\-]{0,19}}";

taskRoutes.get(`/tasks/:code${CODE}`, requirePermission("task.read"), (c) =>
  detailPage(c, c.req.param("code")),
);

taskRoutes.post(`/tasks/:code${CODE}/progress`, requirePermission("task.report"), async (c) => {
  const code = c.req.param("code");
  const { input, files } = await readProgressForm(c);
  const r = await orInvalid(
    () => recordProgress({ ...writerOf(c), code, input, files }),
    (errors) => detailPage(c, code, input, errors),
  );
  if (r instanceof Response) return r;
  setFlash(c, msg("tasks.saved", { code: r.task, assignee: r.assignee.name }));
  return c.redirect(`/tasks/${encodeURIComponent(r.task)}`, 303);
});

// --- API ----------------------------------------------------------------------

export const taskApi = apiRouter();
taskApi.use("/tasks", requirePermission("task.read"));
taskApi.use("/task-evidence/*", requirePermission("task.read"));
permitByMethod(taskApi, "/tasks/*", { GET: "task.read", POST: "task.report" });

const ZAssignee = z
  .object({
    kind: z.enum(["unit", "village"]),
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    key: z.string().openapi({ description: "`unit:ID` or `village:ID`: the `assignee` of a progress entry" }),
  })
  .openapi("TaskAssignee");

const ZOccurrence = z
  .object({
    due: z.string().nullable().openapi({ description: "yyyy-mm-dd; null for a continuous task" }),
    status: z.enum(["open", ...TASK_STATUSES]),
    doneOn: z.string().nullable(),
    onTime: z.boolean().nullable(),
    overdue: z.boolean(),
    daysLate: z.number().int(),
  })
  .openapi("TaskOccurrence");

const ZEvidence = z
  .object({
    id: z.number().int(),
    fileName: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    url: z.string(),
  })
  .openapi("TaskEvidence");

const ZEntry = z
  .object({
    id: z.number().int(),
    dueDate: z.string().nullable(),
    status: z.enum(TASK_STATUSES),
    result: z.string(),
    reportedOn: z.string(),
    reportedByName: z.string().nullable(),
    createdAt: z.string(),
    evidence: z.array(ZEvidence),
  })
  .openapi("TaskProgressEntry");

const ZTask = z
  .object({
    code: z.string(),
    title: z.string(),
    responsible: z.string(),
    units: z.array(z.string()).openapi({ description: "Unit codes that carry the task" }),
    villages: z.boolean().openapi({ description: "Every village carries the task" }),
    cooperating: z.array(z.string()),
    schedule: z
      .object({ kind: z.enum(["once", "yearly", "quarterly", "monthly", "continuous"]) })
      .passthrough()
      .openapi({ description: "once {due}, yearly {on: dd/mm}, quarterly {day}, monthly {day}, continuous" }),
    indicators: z.array(z.string()),
    missingUnits: z.array(z.string()),
    assignments: z.array(
      z.object({
        assignee: ZAssignee,
        occurrences: z.array(ZOccurrence),
        current: ZOccurrence.nullable(),
        canRecord: z.boolean(),
        entries: z.array(ZEntry),
      }),
    ),
  })
  .openapi("Task");

/** The API's view of a task: evidence links point into the API. */
const apiTask = (t: TaskView) => ({
  ...t,
  assignments: t.assignments.map((a) => ({
    ...a,
    entries: a.entries.map(({ taskCode: _t, unitId: _u, villageId: _v, ...e }) => ({
      ...e,
      evidence: e.evidence.map(({ progressId: _p, ...f }) => ({
        ...f,
        url: `/api/v1/task-evidence/${f.id}`,
      })),
    })),
  })),
});

const ZCodeParam = z.object({
  code: z.string().openapi({ param: { name: "code", in: "path" }, example: "V.7" }),
});

taskApi.openapi(
  apiRoute("get", "/tasks", {
    summary:
      "The plan's tasks (section V) with each assignee's due dates and state today; a unit's officer or a village lead gets only theirs",
    responses: { 200: jsonContent(z.object({ date: z.string(), items: z.array(ZTask) }), "Tasks") },
  }),
  async (c) => {
    const { tasks, date } = await listTasks({ ...readerOf(c) });
    return c.json({ date, items: tasks.map(apiTask) }, 200);
  },
);

taskApi.openapi(
  apiRoute("get", "/tasks/overdue", {
    summary: "Due dates passed (by the clock, in Vietnam) without the task reported done, most late first",
    responses: {
      200: jsonContent(
        z.object({
          date: z.string(),
          items: z.array(
            z.object({
              code: z.string(),
              title: z.string(),
              responsible: z.string(),
              assignee: ZAssignee,
              due: z.string(),
              daysLate: z.number().int(),
              status: z.enum(["open", ...TASK_STATUSES]),
            }),
          ),
        }),
        "Overdue tasks",
      ),
    },
  }),
  async (c) => c.json(await listOverdue({ ...readerOf(c) }), 200),
);

const ZTimeliness = z.object({
  name: z.string(),
  due: z.number().int(),
  done: z.number().int(),
  onTime: z.number().int(),
  overdue: z.number().int(),
});

taskApi.openapi(
  apiRoute("get", "/tasks/timeliness", {
    summary: "Per unit and per village: task due dates in the period (up to today), done, on time, overdue",
    request: {
      query: z.object({
        period: z.string().openapi({ description: "2026, 2026-Q3 or 2026-09", example: "2026-Q3" }),
      }),
    },
    responses: {
      200: jsonContent(
        z.object({
          date: z.string(),
          units: z.record(z.string(), ZTimeliness),
          villages: z.record(z.string(), ZTimeliness),
        }),
        "Timeliness by unit and village code",
      ),
    },
  }),
  async (c) => {
    const period = parsePeriod(c.req.valid("query").period);
    if (!period) throw validationError({ period: msg("tasks.v_period") });
    return c.json(await taskTimeliness(c.var.deps.db, requireViewer(c).communeId, period), 200);
  },
);

apiGetOne(taskApi, {
  path: "/tasks/{code}",
  summary: "One task with every progress entry and its evidence files (404 when not the caller's)",
  params: ZCodeParam,
  schema: ZTask,
  description: "The task",
  load: async (c, { code }) => apiTask((await getTask({ ...readerOf(c), code })).task),
});

taskApi.openapi(
  createRoute({
    method: "post",
    path: "/tasks/{code}/progress",
    summary:
      "Record a task's progress for one assignee and due date, with evidence files (JPEG, PNG or PDF by content, at most 5 MB each, 5 files)",
    description:
      "multipart/form-data, as the web form. Bad input (a wrong due date, a file that is not an image or a PDF whatever its name, an empty or too large file) is refused with a 422 naming the field, and nothing is stored.",
    security: bearer,
    request: {
      params: ZCodeParam,
      body: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: z.object({
              assignee: z.string().optional().openapi({
                description: "`unit:ID` / `village:ID`; may be left out when the caller has one",
              }),
              due: z.string().optional().openapi({ description: "One of the task's due dates (yyyy-mm-dd)" }),
              status: z.string().openapi({ description: "in_progress, done or blocked" }),
              result: z.string().openapi({ description: "A short result, at most 1,000 characters" }),
              evidence: z
                .any()
                .optional()
                .openapi({ type: "array", items: { type: "string", format: "binary" } }),
            }),
          },
        },
      },
    },
    responses: {
      201: jsonContent(
        z.object({
          id: z.number().int(),
          task: z.string(),
          assignee: ZAssignee,
          due: z.string().nullable(),
          status: z.enum(TASK_STATUSES),
        }),
        "The entry recorded",
      ),
      ...errorResponses,
    },
  }),
  async (c) => {
    const { input, files } = await readProgressForm(c);
    const r = await recordProgress({ ...writerOf(c), code: c.req.valid("param").code, input, files });
    return c.json(r, 201);
  },
);

taskApi.openapi(
  apiRoute("get", "/task-evidence/{id}", {
    summary: "An evidence file's bytes (the view is audited; 404 outside the caller's tasks)",
    request: {
      params: z.object({
        id: z.coerce
          .number()
          .int()
          .positive()
          .openapi({ param: { name: "id", in: "path" } }),
      }),
    },
    responses: {
      200: {
        description: "The file",
        content: {
          "image/jpeg": { schema: z.any().openapi({ type: "string", format: "binary" }) },
          "image/png": { schema: z.any().openapi({ type: "string", format: "binary" }) },
          "application/pdf": { schema: z.any().openapi({ type: "string", format: "binary" }) },
        },
      },
    },
  }),
  async (c) => {
    const file = await openEvidence({ ...writerOf(c), id: c.req.valid("param").id });
    return evidenceResponse(c, file) as never;
  },
);
