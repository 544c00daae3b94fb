import fs from "node:fs";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { setKeptAnswersBudget } from "./db/data-version.ts";
import { activityApi, activityRoutes } from "./features/activities/routes.tsx";
import { assessmentApi, assessmentRoutes } from "./features/assessments/routes.tsx";
import { auditApi, auditRoutes } from "./features/audit/routes.tsx";
import { authApi } from "./features/auth/api.ts";
import { authRoutes } from "./features/auth/routes.tsx";
import { backupRoutes } from "./features/backup/routes.tsx";
import { certificationApi, certificationRoutes } from "./features/certifications/routes.tsx";
import { communeApi, communeRoutes } from "./features/communes/routes.tsx";
import { emulationApi, emulationRoutes } from "./features/emulation/routes.tsx";
import { exportRoutes } from "./features/exports/routes.tsx";
import { fieldApi } from "./features/field/routes.tsx";
import { fieldStatic } from "./features/field/shell.tsx";
import { homeRoutes } from "./features/home/routes.tsx";
import { householdApi, householdRoutes } from "./features/households/routes.tsx";
import { importJobs } from "./features/imports/jobs.ts";
import { importJobProgress, importRoutes } from "./features/imports/routes.tsx";
import { incidentApi, incidentRoutes } from "./features/incidents/routes.tsx";
import { indicatorPages } from "./features/indicators/pages.tsx";
import { indicatorApi } from "./features/indicators/routes.tsx";
import { marketApi, marketRoutes } from "./features/markets/routes.tsx";
import { planApi, planRoutes } from "./features/plans/routes.tsx";
import { privacyApi, privacyRoutes } from "./features/privacy/routes.tsx";
import { provinceApi, provinceReportRoutes } from "./features/province/report-routes.tsx";
import { provinceRoutes } from "./features/province/routes.tsx";
import { publicRoutes, publicStatic } from "./features/public/routes.tsx";
import { reportApi, reportRoutes } from "./features/reports/routes.tsx";
import { residentApi, residentRoutes } from "./features/residents/routes.tsx";
import { taskApi, taskRoutes } from "./features/tasks/routes.tsx";
import { teamApi, teamRoutes } from "./features/teams/routes.tsx";
import { unitApi, unitRoutes } from "./features/units/routes.tsx";
import { userApi, userRoutes } from "./features/users/routes.tsx";
import { villageApi, villageRoutes } from "./features/villages/routes.tsx";
import { visitApi, visitRoutes } from "./features/visits/routes.tsx";
import { nowMs } from "./lib/clock.ts";
import { AppError, type ErrorCode, msg } from "./lib/errors.ts";
import { admission } from "./web/admission.ts";
import { apiRouter, nameOperations } from "./web/api.ts";
import { compressAnswers } from "./web/compress.ts";
import type { AppEnv, Deps } from "./web/context.ts";
import { ErrorPage } from "./web/error-page.tsx";
import { authenticate, csrfProtect, isApi, requestContext } from "./web/middleware.ts";
import { markWrites } from "./web/read-db.ts";
import { render } from "./web/render.tsx";
import { textGuard } from "./web/text-guard.ts";

const JS = "text/javascript; charset=utf-8";
const staticFile = (path: string, type: string) => ({
  path,
  type,
  body: fs.readFileSync(new URL(`./web${path}`, import.meta.url), "utf8"),
});

/** The pages' style sheet and scripts, read once, served an hour cached (CSP allows only scripts of this origin). */
const STATIC_FILES = [
  staticFile("/static/app.css", "text/css; charset=utf-8"),
  // The import job page's progress updates (pages work without it).
  staticFile("/static/imports.js", JS),
  staticFile("/static/attendance.js", JS),
  // A report's submit dialog (the confirmation page does without it).
  staticFile("/static/reports.js", JS),
];

/** On PGlite: how recent a running import's progress must be to vouch for the database. */
const IMPORT_ALIVE_MS = 30_000;

/** Routes that take a file upload, and the larger body limit. */
const UPLOAD_PATHS = /^(\/imports\/?|(\/api\/v1)?\/tasks\/[^/]+\/progress)$/;

function formatBytes(n: number) {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}

/** Builds the whole web app (pages, API, health) on its dependencies. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  setKeptAnswersBudget(deps.config.keptAnswersMb * 1024 * 1024);

  // Every text answer is compressed (gzip or deflate, as the client accepts): residents read the
  // public pages on cheap phones over weak signals. The outermost layer, so it sees final headers.
  app.use(compressAnswers());
  app.use(requestContext(deps));
  app.use(markWrites());
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: "same-origin",
      xFrameOptions: "DENY",
      xContentTypeOptions: "nosniff",
      crossOriginResourcePolicy: "same-origin",
      crossOriginOpenerPolicy: "same-origin",
      // No page needs a device feature: none may be asked for (nor by anything framed or injected).
      permissionsPolicy: {
        camera: [],
        microphone: [],
        geolocation: [],
        payment: [],
        usb: [],
        serial: [],
        bluetooth: [],
        hid: [],
        midi: [],
        accelerometer: [],
        gyroscope: [],
        magnetometer: [],
        displayCapture: [],
        fullscreen: ["self"],
        browsingTopics: [],
      },
    }),
  );
  // Bodies are capped: file uploads (imports) at MAX_UPLOAD_BYTES, everything else at MAX_BODY_BYTES.
  const limitOf = (max: number) =>
    bodyLimit({
      maxSize: max,
      onError: () => {
        throw new AppError("payload_too_large", {
          message: msg("error.payload_too_large", { max: formatBytes(max) }),
        });
      },
    });
  const uploadLimit = limitOf(deps.config.maxUploadBytes);
  const bodyLimitDefault = limitOf(deps.config.maxBodyBytes);
  app.use((c, next) => (UPLOAD_PATHS.test(c.req.path) ? uploadLimit(c, next) : bodyLimitDefault(c, next)));
  app.use(textGuard());

  app.get("/healthz", async (c) => {
    // On PGlite a running import holds the only connection, and a ping would wait for its end:
    // the import's recent progress shows the database answering.
    const importing = deps.database.kind === "pglite" ? importJobs(deps.database).anyRunning() : undefined;
    if (importing && nowMs() - importing.updatedAt < IMPORT_ALIVE_MS) {
      return c.json({ status: "ok", database: deps.database.kind, importing: true }, 200);
    }
    try {
      await deps.database.ping();
      return c.json({ status: "ok", database: deps.database.kind }, 200);
    } catch {
      return c.json({ status: "error", database: deps.database.kind }, 503);
    }
  });
  for (const file of STATIC_FILES) {
    app.get(file.path, (c) => {
      c.header("Cache-Control", "public, max-age=3600");
      return c.body(file.body, 200, { "Content-Type": file.type });
    });
  }
  // Before authentication: on PGlite, a running import's progress is answered without the database.
  app.use("/imports/jobs/*", importJobProgress());

  app.route("/", publicStatic);
  app.route("/", fieldStatic);

  // Past /healthz and the static files: at most MAX_IN_FLIGHT requests at once, a short queue, then 503.
  app.use(admission(deps));
  app.use(authenticate());
  app.use(csrfProtect());

  app.route("/", authRoutes);
  // Before the staff home: `/` is the public home for visitors, the staff home after sign-in.
  app.route("/", publicRoutes);
  app.route("/", homeRoutes);
  app.route("/", indicatorPages);
  app.route("/", provinceRoutes);
  app.route("/", provinceReportRoutes);
  app.route("/", villageRoutes);
  app.route("/", householdRoutes);
  app.route("/", residentRoutes);
  app.route("/", certificationRoutes);
  app.route("/", unitRoutes);
  app.route("/", marketRoutes);
  app.route("/", teamRoutes);
  app.route("/", visitRoutes);
  app.route("/", assessmentRoutes);
  app.route("/", incidentRoutes);
  app.route("/", privacyRoutes);
  app.route("/", reportRoutes);
  app.route("/", planRoutes);
  app.route("/", emulationRoutes);
  app.route("/", taskRoutes);
  app.route("/", activityRoutes);
  app.route("/", importRoutes);
  app.route("/", exportRoutes);
  app.route("/", userRoutes);
  app.route("/", communeRoutes);
  app.route("/", auditRoutes);
  app.route("/", backupRoutes);

  const api = apiRouter();
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });
  api.route("/", authApi);
  api.route("/", villageApi);
  api.route("/", householdApi);
  api.route("/", residentApi);
  api.route("/", certificationApi);
  api.route("/", unitApi);
  api.route("/", marketApi);
  api.route("/", teamApi);
  api.route("/", visitApi);
  api.route("/", assessmentApi);
  api.route("/", incidentApi);
  api.route("/", privacyApi);
  api.route("/", reportApi);
  api.route("/", planApi);
  api.route("/", emulationApi);
  api.route("/", taskApi);
  api.route("/", activityApi);
  api.route("/", userApi);
  api.route("/", communeApi);
  api.route("/", auditApi);
  api.route("/", indicatorApi);
  api.route("/", provinceApi);
  api.route("/", fieldApi);
  nameOperations(api);
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "BDHVS API",
      version: "1",
      // No open-source licence has been chosen for BDHVS: the commune's own software. (OpenAPI 3.1's
      // `identifier`, an SPDX expression; the library's type knows only 3.0's `url`.)
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } as { name: string },
      description:
        "The API of BDHVS, the commune platform of the “Bình dân học vụ số” movement. Get a token with POST /auth/token, then send `Authorization: Bearer TOKEN`. Roles and scopes are those of the web pages; a record outside the caller's scope answers 404.",
    },
    servers: [{ url: "/api/v1" }],
    // Every operation needs the bearer token unless it says otherwise (POST /auth/token).
    security: [{ bearerAuth: [] }],
  });
  app.route("/api/v1", api);

  app.notFound((c) => handleError(new AppError("not_found", { message: msg("error.not_found") }), c));
  app.onError((err, c) => handleError(err, c as Context<AppEnv>));
  return app;
}

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  429: "rate_limited",
};

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400 && /JSON/i.test(err.message))
      return new AppError("bad_request", { message: msg("error.bad_json") });
    const code = CODE_OF_STATUS[err.status];
    if (code)
      return new AppError(code, {
        message: msg(code === "not_found" ? "error.not_found" : "error.bad_request"),
      });
  }
  return undefined;
}

async function handleError(err: unknown, c: Context<AppEnv>) {
  const appErr = toAppError(err);
  const t = c.var.t;
  const requestId = c.var.requestId ?? "";
  const e =
    appErr ??
    new AppError("internal", {
      message: msg("error.internal", { requestId }),
    });
  if (!appErr) (c.var.log ?? console).error({ err }, "unhandled error");
  if (e.retryAfter) c.header("Retry-After", String(e.retryAfter));
  if (isApi(c)) {
    const fields = Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [k, t(m.key, m.params)]));
    if (e.code === "unauthenticated") c.header("WWW-Authenticate", 'Bearer realm="bdhvs"');
    return c.json({ error: { code: e.code, message: t(e.msg.key, e.msg.params), fields } }, e.status);
  }
  if (e.code === "unauthenticated") return c.redirect("/login", 303);
  return render(
    c,
    { title: e.code === "not_found" ? t("error.not_found_title") : t("error.title"), status: e.status },
    (ctx) => ErrorPage({ ctx, error: e }),
  );
}
