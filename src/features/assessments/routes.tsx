import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { ASSESSMENT_LEVELS, AUDIENCES } from "../../db/schema.ts";
import { todayInVietnam } from "../../lib/clock.ts";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { apiRouter, ZPageQuery } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, readForm, str } from "../../web/form.ts";
import { requirePermission } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { permitByMethod } from "../../web/routes-kit/api-route.ts";
import { mountRecordApi } from "../../web/routes-kit/record-api.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { ASSESSMENT_DOMAINS } from "./domains.ts";
import { getAssessedResident, listAssessments, recordAssessment } from "./service.ts";
import { AssessmentsPage } from "./views/pages.tsx";

export const assessmentRoutes = new Hono<AppEnv>();

async function page(c: Context<AppEnv>, values: FormValues, errors?: FieldErrors) {
  const { db, viewer } = readerOf(c);
  const resident = await getAssessedResident({ db, viewer, id: idOf(c) });
  const { items } = await listAssessments({
    db,
    viewer,
    query: { resident: resident.id },
    page: 1,
    pageSize: 200,
  });
  return render(
    c,
    { title: c.var.t("assessments.title", { name: resident.full_name }), status: errors ? 422 : 200 },
    (ctx) => (
      <AssessmentsPage
        ctx={ctx}
        resident={resident}
        items={items}
        canCreate={viewerCan(viewer, "assessment.create") && viewer.scope.kind !== "installation"}
        values={values}
        today={todayInVietnam()}
        errors={errors}
      />
    ),
  );
}

assessmentRoutes.get("/residents/:id{[0-9]+}/assessments", requirePermission("assessment.read"), (c) =>
  page(c, {}),
);

assessmentRoutes.post(
  "/residents/:id{[0-9]+}/assessments",
  requirePermission("assessment.create"),
  async (c) => {
    const id = idOf(c);
    const form = await readForm(c);
    try {
      await recordAssessment({
        ...writerOf(c),
        residentId: id,
        input: {
          audience: str(form, "audience"),
          date: str(form, "date"),
          note: str(form, "note"),
          levels: Object.fromEntries(ASSESSMENT_DOMAINS.map((d) => [d.code, str(form, `level_${d.code}`)])),
        },
      });
      setFlash(c, msg("assessments.created"));
      return c.redirect(`/residents/${id}/assessments`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "validation") throw err;
      return page(c, form, err.fields);
    }
  },
);

// --- API ----------------------------------------------------------------------

export const assessmentApi = apiRouter();
permitByMethod(assessmentApi, "/assessments", { GET: "assessment.read", POST: "assessment.create" });

const ZLevels = z.record(z.string(), z.enum(ASSESSMENT_LEVELS)).openapi({
  description: `Domain code (${ASSESSMENT_DOMAINS.map((d) => d.code).join(", ")}) → level`,
});

const ZAssessment = z
  .object({
    id: z.number().int(),
    resident_id: z.number().int(),
    full_name: z.string(),
    village: z.string(),
    date: z.string(),
    audience: z.enum(AUDIENCES),
    levels: ZLevels,
    note: z.string().nullable(),
    recorded_by: z.string().nullable(),
  })
  .openapi("Assessment", { description: "A self-assessment: never counted as a certification" });

const ZAssessmentIn = z
  .object({
    resident_id: z.number().int().positive(),
    date: z.string(),
    audience: z.string(),
    levels: z.record(z.string(), z.string()),
    note: z.string().nullable().optional(),
  })
  .openapi("AssessmentInput");

mountRecordApi(assessmentApi, {
  path: "/assessments",
  noun: "assessment",
  record: ZAssessment,
  change: ({ resident_id, ...input }: z.infer<typeof ZAssessmentIn>) => ({ residentId: resident_id, input }),
  list: {
    summary: "List self-assessments of residents in the caller's scope",
    query: ZPageQuery.extend({
      village: z.string().optional().openapi({ description: "Village code" }),
      q: z.string().optional().openapi({ description: "Part of the resident's name" }),
      resident: z.coerce.number().int().positive().optional().openapi({ description: "Resident id" }),
    }),
    item: ZAssessment,
    items: "Assessments",
    run: listAssessments,
  },
  create: {
    summary: "Record a resident's self-assessment (a level per domain; not a certification)",
    body: ZAssessmentIn,
    run: recordAssessment,
  },
});
