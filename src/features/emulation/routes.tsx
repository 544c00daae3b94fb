import { z } from "@hono/zod-openapi";
import { type Context, Hono } from "hono";
import { AppError, msg } from "../../lib/errors.ts";
import { apiRouter, conflictResponse, ZIdParam } from "../../web/api.ts";
import type { AppEnv } from "../../web/context.ts";
import { list, readForm, str } from "../../web/form.ts";
import { idempotent, idempotentForm } from "../../web/idempotency.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { apiRoute, jsonContent, permitByMethod, writes } from "../../web/routes-kit/api-route.ts";
import { optionalText } from "../../web/routes-kit/query-params.ts";
import { apiGetById } from "../../web/routes-kit/record-operations.ts";
import { idOf, readerOf, writerOf } from "../../web/routes-kit/request.ts";
import { viewerCan } from "../auth/viewer.ts";
import { parsePeriod } from "../indicators/period.ts";
import { periodLabel } from "../reports/build.ts";
import { commendationDocx } from "./docx.ts";
import {
  approveCommendation,
  draftCommendation,
  getCommendation,
  getRanking,
  listCommendations,
  periodChoices,
  presentEntry,
  updateCommendation,
} from "./service.ts";
import { CommendationListPage, CommendationPage, RankingPage } from "./views/pages.tsx";

export const emulationRoutes = new Hono<AppEnv>();

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const communeStaff = (c: Context<AppEnv>) => requireViewer(c).scope.kind === "commune";

/** An HTML form's validation error: re-render the page with the message, nothing changed. */
const validationText = (c: Context<AppEnv>, err: unknown): string | undefined =>
  err instanceof AppError && (err.code === "validation" || err.code === "conflict")
    ? c.var.t(err.msg.key, err.msg.params)
    : undefined;

async function rankingPage(
  c: Context<AppEnv>,
  q: { period?: string | undefined; date?: string | undefined },
  error?: string,
  status: 200 | 409 | 422 = 200,
) {
  const viewer = requireViewer(c);
  const ranking = await getRanking({ db: c.var.deps.db, viewer, period: q.period, date: q.date });
  const year = Number(ranking.period.code.slice(0, 4));
  return render(c, { title: c.var.t("emulation.title"), status }, (ctx) => (
    <RankingPage
      ctx={ctx}
      ranking={ranking}
      villages={ranking.villages.map((e) => presentEntry(ctx.lang, e))}
      units={ranking.units.map((e) => presentEntry(ctx.lang, e))}
      choices={periodChoices(year).map((code) => {
        const label = periodLabel(ctx.lang, parsePeriod(code)!);
        return { code, label: label.charAt(0).toLocaleUpperCase(ctx.lang) + label.slice(1) };
      })}
      canPropose={viewerCan(viewer, "commendation.create") && communeStaff(c)}
      error={error}
    />
  ));
}

emulationRoutes.get("/emulation", requirePermission("emulation.read"), async (c) => {
  try {
    return await rankingPage(c, { period: c.req.query("period"), date: c.req.query("date") });
  } catch (err) {
    const text = validationText(c, err);
    if (!text) throw err;
    return rankingPage(c, {}, text, 422);
  }
});

emulationRoutes.get("/commendations", requirePermission("commendation.read"), async (c) => {
  const list = await listCommendations({ ...readerOf(c) });
  return render(c, { title: c.var.t("commendations.title") }, (ctx) => (
    <CommendationListPage ctx={ctx} list={list} />
  ));
});

emulationRoutes.post(
  "/commendations",
  requirePermission("commendation.create"),
  idempotentForm(),
  async (c) => {
    const form = await readForm(c);
    try {
      const made = await draftCommendation({
        ...writerOf(c),
        period: str(form, "period"),
        date: str(form, "date"),
        picks: list(form, "pick"),
      });
      setFlash(c, msg("commendations.created", { period: made.periodLabel, count: made.items.length }));
      return c.redirect(`/commendations/${made.id}`, 303);
    } catch (err) {
      const text = validationText(c, err);
      if (!text) throw err;
      return rankingPage(c, { period: str(form, "period"), date: str(form, "date") }, text, 422);
    }
  },
);

async function commendationPage(
  c: Context<AppEnv>,
  error?: string,
  values?: Record<string, string>,
  status: 200 | 409 | 422 = 200,
) {
  const viewer = requireViewer(c);
  const item = await getCommendation({ db: c.var.deps.db, viewer, id: idOf(c) });
  return render(c, { title: c.var.t("commendations.title"), status }, (ctx) => (
    <CommendationPage
      ctx={ctx}
      c={item}
      canEdit={viewerCan(viewer, "commendation.create") && communeStaff(c)}
      canApprove={viewerCan(viewer, "commendation.approve") && communeStaff(c)}
      error={error}
      values={values}
    />
  ));
}

emulationRoutes.get("/commendations/:id{[0-9]+}", requirePermission("commendation.read"), (c) =>
  commendationPage(c),
);

emulationRoutes.post("/commendations/:id{[0-9]+}", requirePermission("commendation.create"), async (c) => {
  const form = await readForm(c);
  const reasons: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(form)) {
    if (typeof v !== "string") continue;
    values[name] = v;
    const m = /^reason_(village|unit)_(\d+)$/.exec(name);
    if (m) reasons[`${m[1]}:${m[2]}`] = v;
  }
  try {
    await updateCommendation({
      ...writerOf(c),
      id: idOf(c),
      reasons,
      number: str(form, "number"),
      signerName: str(form, "signer"),
      signedOn: str(form, "signed_on"),
    });
    setFlash(c, msg("commendations.saved"));
    return c.redirect(`/commendations/${idOf(c)}`, 303);
  } catch (err) {
    const text = validationText(c, err);
    if (!text) throw err;
    return commendationPage(c, text, values, err instanceof AppError && err.code === "conflict" ? 409 : 422);
  }
});

emulationRoutes.post(
  "/commendations/:id{[0-9]+}/approve",
  requirePermission("commendation.approve"),
  async (c) => {
    await readForm(c);
    try {
      await approveCommendation({ ...writerOf(c), id: idOf(c) });
      setFlash(c, msg("commendations.approved"));
      return c.redirect(`/commendations/${idOf(c)}`, 303);
    } catch (err) {
      const text = validationText(c, err);
      if (!text) throw err;
      return commendationPage(c, text, undefined, 409);
    }
  },
);

async function docxResponse(c: Context<AppEnv>, id: number) {
  const { commendation, docx } = await commendationDocx({ ...readerOf(c), id });
  c.header("Content-Type", DOCX_TYPE);
  c.header(
    "Content-Disposition",
    `attachment; filename="to-trinh-khen-thuong-${commendation.period}-${commendation.id}.docx"`,
  );
  return c.body(docx as Uint8Array<ArrayBuffer>, 200);
}

emulationRoutes.get("/commendations/:id{[0-9]+}/docx", requirePermission("commendation.read"), (c) =>
  docxResponse(c, idOf(c)),
);

// --- API ----------------------------------------------------------------------

export const emulationApi = apiRouter();
emulationApi.use("/emulation", requirePermission("emulation.read"));
emulationApi.use("/commendations", idempotent());
permitByMethod(emulationApi, "/commendations", { GET: "commendation.read", POST: "commendation.create" });
permitByMethod(
  emulationApi,
  "/commendations/*",
  { GET: "commendation.read", ...writes("commendation.create") },
  {
    "/approve": "commendation.approve",
  },
);

const ZFigure = z.object({
  what: z
    .string()
    .openapi({ description: "indicators_met, classes, sessions, visits, reports_on_time, tasks_on_time" }),
  actual: z.number(),
  expected: z.number(),
});
const ZComponent = z.object({
  key: z.enum(["indicators", "activity", "reports", "tasks"]),
  weight: z.number().openapi({ description: "The plan's weight (points)" }),
  effectiveWeight: z
    .number()
    .openapi({ description: "The weight's share once components without data are left out (0–1)" }),
  share: z.number().nullable().openapi({ description: "0–1; null: no data yet, the weight left out" }),
  figures: z.array(ZFigure),
  points: z.number().nullable(),
});
const ZEntry = z
  .object({
    kind: z.enum(["village", "unit"]),
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    score: z
      .number()
      .nullable()
      .openapi({ description: "0–100, one decimal; null when no component has data" }),
    rank: z.number().int().nullable(),
    of: z.number().int(),
    renormalised: z.boolean(),
    components: z.array(ZComponent),
    scoreText: z.string(),
    explanation: z
      .array(z.string())
      .openapi({ description: "The components in words, as the page and the DOCX print them" }),
  })
  .openapi("EmulationEntry");
const ZRanking = z
  .object({
    period: z.object({
      code: z.string(),
      kind: z.string(),
      start: z.string(),
      end: z.string(),
      label: z.string(),
    }),
    date: z.string(),
    months: z.number().int(),
    rules: z.any().openapi({ description: "The plan's emulation section" }),
    villages: z.array(ZEntry),
    units: z.array(ZEntry),
  })
  .openapi("EmulationRanking");
const ZCommendation = z
  .object({
    id: z.number().int(),
    period: z.string(),
    periodLabel: z.string(),
    date: z.string(),
    status: z.enum(["draft", "approved"]),
    number: z.string().nullable(),
    signedOn: z.string(),
    signerName: z.string().nullable(),
    weights: z.object({
      indicators: z.number(),
      activity: z.number(),
      reports: z.number(),
      tasks: z.number(),
    }),
    items: z.array(ZEntry.extend({ reason: z.string() })),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Commendation");

emulationApi.openapi(
  apiRoute("get", "/emulation", {
    summary: "The emulation ranking of villages and units for a period, each score explained (issue 19.2)",
    request: {
      query: z.object({
        period: optionalText("2026, 2026-Q3 or 2026-09 (default: this quarter)"),
        date: optionalText("Reference date yyyy-mm-dd (default: today, capped at the period's end)"),
      }),
    },
    responses: { 200: jsonContent(ZRanking, "The ranking, within the caller's scope") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const r = await getRanking({ ...readerOf(c), period: q.period, date: q.date });
    const lang = c.var.lang;
    return c.json(
      {
        ...r,
        villages: r.villages.map((e) => presentEntry(lang, e)),
        units: r.units.map((e) => presentEntry(lang, e)),
      },
      200,
    );
  },
);

emulationApi.openapi(
  apiRoute("get", "/commendations", {
    summary: "Proposals for commendation, newest first",
    responses: { 200: jsonContent(z.object({ items: z.array(ZCommendation) }), "The proposals") },
  }),
  async (c) => c.json({ items: await listCommendations({ ...readerOf(c) }) }, 200),
);

emulationApi.openapi(
  apiRoute("post", "/commendations", {
    summary:
      "Draft a proposal from a period's ranking: the candidates' figures are frozen, reasons written from them",
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.object({
              period: z.string(),
              date: z.string().optional(),
              candidates: z
                .array(z.object({ kind: z.enum(["village", "unit"]), id: z.number().int() }))
                .min(1),
            }),
          },
        },
      },
    },
    responses: { 201: jsonContent(ZCommendation, "The draft") },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const made = await draftCommendation({
      ...writerOf(c),
      period: body.period,
      date: body.date,
      picks: body.candidates.map((x) => `${x.kind}:${x.id}`),
    });
    return c.json(made, 201);
  },
);

apiGetById(emulationApi, {
  path: "/commendations/{id}",
  summary: "One proposal for commendation",
  schema: ZCommendation,
  description: "The proposal",
  load: (c, id) => getCommendation({ ...readerOf(c), id }),
});

emulationApi.openapi(
  apiRoute("patch", "/commendations/{id}", {
    summary: "Edit a draft: reasons, number, signer, date of signature (an approved proposal: 409)",
    request: {
      params: ZIdParam,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.object({
              reasons: z
                .array(
                  z.object({ kind: z.enum(["village", "unit"]), id: z.number().int(), reason: z.string() }),
                )
                .optional(),
              number: z.string().nullable().optional(),
              signerName: z.string().nullable().optional(),
              signedOn: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: jsonContent(ZCommendation, "The draft after the change"),
      ...conflictResponse,
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const made = await updateCommendation({
      ...writerOf(c),
      id: c.req.valid("param").id,
      reasons: body.reasons
        ? Object.fromEntries(body.reasons.map((r) => [`${r.kind}:${r.id}`, r.reason]))
        : undefined,
      number: body.number,
      signerName: body.signerName,
      signedOn: body.signedOn,
    });
    return c.json(made, 200);
  },
);

emulationApi.openapi(
  apiRoute("post", "/commendations/{id}/approve", {
    summary: "Approve a draft proposal (leader or admin); audited, then it no longer changes",
    request: { params: ZIdParam },
    responses: {
      200: jsonContent(ZCommendation, "The approved proposal"),
      ...conflictResponse,
    },
  }),
  async (c) => c.json(await approveCommendation({ ...writerOf(c), id: c.req.valid("param").id }), 200),
);

emulationApi.openapi(
  apiRoute("get", "/commendations/{id}/docx", {
    summary: "The proposal as a “Tờ trình” DOCX (Decree 30/2020 layout; a draft is marked DỰ THẢO)",
    request: { params: ZIdParam },
    responses: {
      200: {
        description: "The DOCX",
        content: { [DOCX_TYPE]: { schema: z.string().openapi({ format: "binary" }) } },
      },
    },
  }),
  // biome-ignore lint/suspicious/noExplicitAny: a binary body is not a typed JSON response
  (async (c: any) => docxResponse(c, c.req.valid("param").id)) as any,
);
