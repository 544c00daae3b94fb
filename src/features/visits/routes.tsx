import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { type FieldErrors, msg } from "../../lib/errors.ts";
import { SUPPORT_KINDS } from "../../lib/values.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, list, str } from "../../web/form.ts";
import { idempotent, idempotentForm } from "../../web/idempotency.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { permitByMethod, writes } from "../../web/routes-kit/api-route.ts";
import { submitForm } from "../../web/routes-kit/form-route.ts";
import { listRoute } from "../../web/routes-kit/list-route.ts";
import { mountRecordApi, ZCell } from "../../web/routes-kit/record-api.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { listPickableVillages } from "../villages/service.ts";
import {
  deleteVisit,
  findHouseholdsToVisit,
  getVisit,
  getVisitFormData,
  householdIdOfCode,
  listVisits,
  recordVisit,
  updateVisit,
  type VisitChange,
} from "./service.ts";
import { VisitDetailPage, VisitFormPage, VisitListPage, VisitStartPage } from "./views/pages.tsx";

export const visitRoutes = new Hono<AppEnv>();

const ids = (xs: string[]) =>
  xs.map((x) => Number.parseInt(x, 10)).filter((n) => Number.isSafeInteger(n) && n > 0);

visitRoutes.get(
  "/visits",
  requirePermission("visit.read"),
  listRoute({
    query: ["village", "q", "from", "to"],
    list: listVisits,
    data: listPickableVillages,
    title: "visits.title",
    view: ({ data, viewer, ...page }) => (
      <VisitListPage
        {...page}
        villages={data}
        canCreate={viewerCan(viewer, "visit.create") && viewer.scope.kind !== "installation"}
      />
    ),
  }),
);

/** The form's fields as a visit change. */
function changeOfForm(form: FormValues): VisitChange {
  return {
    input: {
      household: str(form, "household"),
      date: str(form, "date"),
      member: str(form, "member"),
      support: list(form, "support").join(";"),
      note: str(form, "note"),
    },
    residentsMet: ids(list(form, "residents_met")),
    vneidUpdates: ids(list(form, "vneid_update")),
  };
}

async function formPage(
  c: Context<AppEnv>,
  opts: { householdId: number; visitId?: number; title: string; values: FormValues; errors?: FieldErrors },
) {
  const data = await getVisitFormData({ ...readerOf(c), householdId: opts.householdId });
  return render(c, { title: opts.title, status: opts.errors ? 422 : 200 }, (ctx) => (
    <VisitFormPage
      ctx={ctx}
      data={data}
      visitId={opts.visitId}
      title={opts.title}
      values={opts.values}
      errors={opts.errors}
    />
  ));
}

visitRoutes.get("/visits/new", requirePermission("visit.create"), async (c) => {
  const { db, viewer } = readerOf(c);
  // A "who to visit next" row opens the form by household code, with the resident met ticked.
  const code = c.req.query("code")?.trim();
  const householdId = code
    ? await householdIdOfCode({ db, viewer, code })
    : Number.parseInt(c.req.query("household") ?? "", 10);
  if (Number.isSafeInteger(householdId) && householdId > 0) {
    const resident = ids(c.req.queries("resident") ?? []).map(String);
    return formPage(c, {
      householdId,
      title: c.var.t("visits.new"),
      values: resident.length > 0 ? { residents_met: resident } : {},
    });
  }
  const villages = await listPickableVillages({ db, viewer });
  const q = c.req.query("q")?.trim() ?? "";
  // A team of one village sees its households without choosing the village.
  const village = c.req.query("village")?.trim() || (villages.length === 1 ? villages[0]!.code : undefined);
  const result =
    q || village ? await findHouseholdsToVisit({ db, viewer, q, village, limit: 30 }) : undefined;
  return render(c, { title: c.var.t("visits.new") }, (ctx) => (
    <VisitStartPage ctx={ctx} q={q} village={village} villages={villages} result={result} />
  ));
});

visitRoutes.post("/visits", requirePermission("visit.create"), idempotentForm(), (c) => {
  return submitForm(c, {
    run: (form) => recordVisit({ ...writerOf(c), change: changeOfForm(form) }),
    flash: (v) => msg("visits.created", { code: v.household }),
    to: (v) => `/visits/${v.id}`,
    invalid: (form, errors, err) => {
      const householdId = Number.parseInt(str(form, "household_id"), 10);
      if (!Number.isSafeInteger(householdId)) throw err;
      return formPage(c, { householdId, title: c.var.t("visits.new"), values: form, errors });
    },
  });
});

visitRoutes.get("/visits/:id{[0-9]+}", requirePermission("visit.read"), async (c) => {
  const viewer = requireViewer(c);
  const v = await getVisit({ db: c.var.deps.db, viewer, id: idOf(c) });
  return render(c, { title: c.var.t("visits.detail_title", { code: v.household, date: v.date }) }, (ctx) => (
    <VisitDetailPage
      ctx={ctx}
      v={v}
      canEdit={viewerCan(viewer, "visit.update") && viewer.scope.kind !== "installation"}
    />
  ));
});

visitRoutes.get("/visits/:id{[0-9]+}/edit", requirePermission("visit.update"), async (c) => {
  const viewer = requireViewer(c);
  const v = await getVisit({ db: c.var.deps.db, viewer, id: idOf(c) });
  const values: FormValues = {
    date: v.date,
    member: v.member,
    support: v.support,
    note: v.note ?? "",
    residents_met: v.residents_met.map(String),
  };
  return formPage(c, {
    householdId: v.household_id,
    visitId: v.id,
    title: c.var.t("visits.edit_title", { code: v.household }),
    values,
  });
});

visitRoutes.post("/visits/:id{[0-9]+}", requirePermission("visit.update"), (c) => {
  const viewer = requireViewer(c);
  const id = idOf(c);
  return submitForm(c, {
    run: (form) => updateVisit({ ...writerOf(c), id, change: changeOfForm(form) }),
    flash: (v) => msg("visits.updated", { code: v.household }),
    to: (v) => `/visits/${v.id}`,
    invalid: async (form, errors) => {
      const v = await getVisit({ db: c.var.deps.db, viewer, id });
      return formPage(c, {
        householdId: v.household_id,
        visitId: id,
        title: c.var.t("visits.edit_title", { code: v.household }),
        values: form,
        errors,
      });
    },
  });
});

visitRoutes.post("/visits/:id{[0-9]+}/delete", requirePermission("visit.update"), async (c) => {
  await deleteVisit({ ...writerOf(c), id: idOf(c) });
  setFlash(c, msg("visits.deleted"));
  return c.redirect("/visits", 303);
});

// --- API ----------------------------------------------------------------------

export const visitApi = apiRouter();
permitByMethod(visitApi, "/visits", { GET: "visit.read", POST: "visit.create" });
// Hono's `/*` also matches the bare path: POST there creates.
permitByMethod(visitApi, "/visits/*", { GET: "visit.read", ...writes("visit.update"), POST: "visit.create" });
// Writes run at most once per Idempotency-Key (the field app sends one with each; `/*` covers `/visits`).
visitApi.use("/visits/*", idempotent());

const ZSupport = z.enum(SUPPORT_KINDS);
const ZVisit = z
  .object({
    id: z.number().int(),
    household: z.string().openapi({ description: "Household code" }),
    date: z.string().openapi({ description: "yyyy-mm-dd" }),
    member: z.string().openapi({ description: "The team member's name" }),
    support: z.array(ZSupport),
    note: z.string().nullable(),
    residents_met: z.array(z.number().int()).openapi({ description: "Ids of the residents met" }),
    household_id: z.number().int(),
    head_name: z.string().nullable(),
    village: z.string(),
    village_name: z.string(),
    member_id: z.number().int(),
  })
  .openapi("Visit");

const ZVisitIn = z
  .object({
    household: ZCell,
    date: ZCell,
    member: ZCell,
    support: z
      .union([z.string(), z.array(z.string()), z.null()])
      .optional()
      .openapi({
        description: "Codes or labels: an array, or one string separated by ';'",
      }),
    note: ZCell,
    residents_met: z.array(z.number().int()).optional(),
    vneid_update: z
      .array(z.number().int())
      .optional()
      .openapi({ description: "Residents met whose VNeID level the support given raises (never lowered)" }),
  })
  .openapi("VisitInput", {
    description: "Column keys of the data README; values as in an import file (labels or codes).",
  });

function changeOfJson(body: z.infer<typeof ZVisitIn>): VisitChange {
  const { residents_met, vneid_update, support, ...rest } = body;
  const input: VisitChange["input"] = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, v ?? null]),
  );
  if (support !== undefined) input.support = Array.isArray(support) ? support.join(";") : support;
  return { input, residentsMet: residents_met, vneidUpdates: vneid_update };
}

/** A visit as the API answers it: without the names of the residents met and who recorded it. */
const visitOf = ({ residents_met_names: _n, recorded_by: _r, ...v }: Awaited<ReturnType<typeof getVisit>>) =>
  v;

mountRecordApi(visitApi, {
  path: "/visits",
  noun: "visit",
  record: ZVisit,
  change: (body: z.infer<typeof ZVisitIn>) => ({ change: changeOfJson(body) }),
  list: {
    summary: "List door-to-door visits in the caller's scope, newest first",
    query: ZPageQuery.extend({
      village: z.string().optional().openapi({ description: "Village code" }),
      q: z.string().optional().openapi({ description: "Start of a household code" }),
      from: z.string().optional().openapi({ description: "yyyy-mm-dd, included" }),
      to: z.string().optional().openapi({ description: "yyyy-mm-dd, included" }),
    }),
    item: ZVisit,
    items: "Visits",
    run: listVisits,
  },
  get: {
    summary: "One visit (404 outside the caller's scope)",
    run: async (args) => visitOf(await getVisit(args)),
  },
  create: {
    summary: "Record a visit (the rules of an import row; the member in the household's village team)",
    body: ZVisitIn,
    run: async (args) => visitOf(await recordVisit(args)),
  },
  update: {
    summary: "Change a visit (the given keys over the stored ones)",
    body: ZVisitIn,
    run: async (args) => visitOf(await updateVisit(args)),
  },
  remove: { summary: "Delete a visit", done: "Deleted", run: deleteVisit },
});
