import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { safeEqual, sha256 } from "../../lib/crypto.ts";
import { AppError, type Msg, msg } from "../../lib/errors.ts";
import { type Cell, readRows } from "../../lib/tabular/read.ts";
import { Button, Csrf, ErrorSummary } from "../../web/components.tsx";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { ColumnHeads } from "../../web/kit/column-heads.tsx";
import { HintedField } from "../../web/kit/hinted-field.tsx";
import { requirePermission, requireViewer, SESSION_COOKIE } from "../../web/middleware.ts";
import { pageCtx, render, renderPage } from "../../web/render.tsx";
import { guardPaths } from "../../web/routes-kit/guard-paths.ts";
import { viewerCan } from "../auth/viewer.ts";
import { findCommuneById } from "../communes/repo.ts";
import { columnLabel, runImport } from "./engine.ts";
import { type ImportJob, importJobs, type JobSnapshot, type PreviewRow } from "./jobs.ts";
import { IMPORT_KIND_SPECS } from "./kinds/index.ts";
import { IMPORT_KINDS, type ImportKindName, type ImportResult } from "./types.ts";
import {
  copyUploadToDisk,
  dropCommittedSource,
  findUpload,
  readUploadFile,
  removeUpload,
  saveUpload,
  storeUploadPart,
  touchUpload,
  type Upload,
} from "./uploads.ts";
import { ImportColumnsHelp } from "./views/columns.tsx";
import { JobGoneBody, jobStatus, ProgressBody, progressPageOpts } from "./views/job.tsx";

export const importRoutes = new Hono<AppEnv>();
guardPaths(importRoutes, "/imports", requirePermission("import.run"));

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** The import writes for the whole commune: only a commune-wide viewer with the kind's permission may. */
function assertMayImport(c: Context<AppEnv>, kind: ImportKindName) {
  const viewer = requireViewer(c);
  if (viewer.scope.kind !== "commune")
    throw new AppError("forbidden", { message: msg("imports.commune_only") });
  if (!viewerCan(viewer, IMPORT_KIND_SPECS[kind].permission)) {
    throw new AppError("forbidden", { message: msg("error.forbidden") });
  }
  // The economy office writes enterprise workers only; a residents file holds the whole commune.
  if (viewer.role === "economy" && kind === "residents")
    throw new AppError("forbidden", { message: msg("resident.economy_only_workers") });
}

/** The import jobs of an app process (one registry per process; see jobs.ts). */
export function jobsOfDeps(deps: Pick<AppEnv["Variables"]["deps"], "database" | "logger" | "config">) {
  const { database, logger, config } = deps;
  return importJobs(database, {
    leaseMs: config.importJobLeaseSeconds * 1000,
    onUnexpected: (err, job) => logger.error({ err, job: job.id, kind: job.kind }, "import job failed"),
  });
}

function jobsOf(c: Context<AppEnv>) {
  return jobsOfDeps(c.var.deps);
}

async function formPage(
  c: Context<AppEnv>,
  opts: { kind?: string; error?: Msg | undefined; status?: 200 | 400 | 409 | 413 | 422 },
) {
  const t = c.var.t;
  const viewer = c.var.viewer;
  const running = viewer ? await jobsOf(c).runningOf(viewer) : undefined;
  return render(c, { title: t("imports.title"), status: opts.status ?? 200 }, (ctx) => (
    <div class="narrow">
      <h1>{t("imports.title")}</h1>
      <ErrorSummary t={t} errors={opts.error ? { file: opts.error } : undefined} />
      {running ? (
        <div class="notice" role="status">
          {t("imports.job_running_notice", { name: running.fileName })}{" "}
          <a href={`/imports/jobs/${running.id}`}>{t("imports.job_follow")}</a>
        </div>
      ) : null}
      <p>{t("imports.intro")}</p>
      <p class="small" id="import-order">
        {t("imports.order_hint")}
      </p>
      <ol class="small" aria-labelledby="import-order">
        {IMPORT_KINDS.map((k) => (
          <li>{t(`kind.${k}`)}</li>
        ))}
      </ol>
      <form method="post" action="/imports" enctype="multipart/form-data">
        <Csrf token={ctx.csrfToken} />
        <HintedField name="kind" label={t("imports.kind")}>
          <select class="select" id="f-kind" name="kind">
            {IMPORT_KINDS.map((k) => (
              <option value={k} selected={k === opts.kind}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </HintedField>
        <HintedField
          name="file"
          label={t("imports.file")}
          hint={t("imports.file_hint", { max: mb(c.var.deps.config.maxUploadBytes) })}
          error={!!opts.error}
        >
          {opts.error ? (
            <p class="field__error" id="e-file">
              {t(opts.error.key, opts.error.params)}
            </p>
          ) : null}
          <input
            class="input"
            id="f-file"
            name="file"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            aria-describedby={opts.error ? "h-file e-file" : "h-file"}
          />
        </HintedField>
        <div class="field">
          <label class="field__label" for="f-sheet">
            {t("imports.sheet")} <span class="small">{t("common.optional")}</span>
          </label>
          <p class="field__hint">{t("imports.sheet_hint")}</p>
          <input class="input" id="f-sheet" name="sheet" />
        </div>
        <Button>{t("imports.check")}</Button>
      </form>
      <ImportColumnsHelp t={t} open={opts.kind} />
    </div>
  ));
}

importRoutes.get("/imports", (c) => formPage(c, { kind: c.req.query("kind") }));

/** The file's first rows as they are, for the preview (header included). */
async function firstRows(upload: Upload, file: string, n: number): Promise<PreviewRow[]> {
  const out: PreviewRow[] = [];
  for await (const r of readRows(file, { sheet: upload.sheet, name: upload.name })) {
    out.push({ row: r.rowNumber, cells: r.cells });
    if (out.length >= n) break;
  }
  return out;
}

/** Columns and characters of a cell the preview shows at most: the page stays small whatever the file. */
const PREVIEW_COLUMNS = 40;
const PREVIEW_CELL_CHARS = 200;

const shown = (c: Cell) => {
  const s = c instanceof Date ? c.toISOString().slice(0, 10) : c === null ? "" : String(c);
  return s.length > PREVIEW_CELL_CHARS ? `${s.slice(0, PREVIEW_CELL_CHARS)}…` : s;
};

importRoutes.post("/imports", async (c) => {
  const viewer = requireViewer(c);
  const body = await c.req.parseBody();
  const kind = String(body.kind ?? "") as ImportKindName;
  if (!IMPORT_KINDS.includes(kind)) return formPage(c, { status: 422, error: msg("imports.no_file") });
  assertMayImport(c, kind);
  const file = body.file;
  if (!(file instanceof File) || file.size === 0 || !file.name) {
    return formPage(c, {
      kind,
      status: 422,
      error: msg(file instanceof File && file.name ? "import.empty_file" : "imports.no_file"),
    });
  }
  const { maxUploadBytes, importMaxRows } = c.var.deps.config;
  if (file.size > maxUploadBytes) {
    return formPage(c, {
      kind,
      status: 413,
      error: msg("error.payload_too_large", { max: mb(maxUploadBytes) }),
    });
  }
  const sheet = typeof body.sheet === "string" && body.sheet.trim() ? body.sheet.trim() : undefined;
  const jobs = jobsOf(c);
  const busy = await jobs.runningOf(viewer);
  if (busy) return busyPage(c, busy, kind);
  const snapshot = await snapshotOf(c);
  const { db } = c.var.deps;
  const upload = await saveUpload(db, file, {
    kind,
    communeId: viewer.communeId,
    userId: viewer.userId,
    sheet,
  });
  const actor = actorOf(viewer, c.var);
  const lang = c.var.lang;
  const job = await jobs.start(
    {
      userId: viewer.userId,
      communeId: viewer.communeId,
      kind,
      phase: "check",
      uploadId: upload.id,
      fileName: upload.name,
      snapshot,
    },
    async (_job, report) => {
      const local = await copyUploadToDisk(db, upload);
      try {
        const result = await runImport({
          db,
          communeId: viewer.communeId,
          kind,
          file: local.file,
          fileName: upload.name,
          sheet: upload.sheet,
          dryRun: true,
          skipInvalid: true,
          errorsFile: local.errorsFile,
          maxRows: importMaxRows,
          lang,
          actor,
          onProgress: report.rows,
          onBytes: report.bytes,
        });
        await storeUploadPart(db, upload, "errors", local.errorsFile);
        return { result, preview: await firstRows(upload, local.file, 8) };
      } catch (err) {
        // A file that cannot be read is not kept for a commit.
        await removeUpload(db, upload);
        throw err;
      } finally {
        local.remove();
      }
    },
  );
  if (!job) {
    // Another upload of this user started a job while this one was being saved.
    await removeUpload(db, upload);
    return busyPage(c, await jobs.runningOf(viewer), kind);
  }
  return c.redirect(`/imports/jobs/${job.id}`, 303);
});

/** A second import while one runs: refused, with the way to the running one. */
function busyPage(c: Context<AppEnv>, running: ImportJob | undefined, kind: string) {
  return formPage(c, {
    kind,
    status: 409,
    error: msg("imports.job_busy", { name: running?.fileName ?? "" }),
  });
}

/** What the progress page needs later without the database (see `importJobProgress`). */
async function snapshotOf(c: Context<AppEnv>): Promise<JobSnapshot> {
  const viewer = requireViewer(c);
  const commune = await findCommuneById(c.var.deps.db, viewer.communeId);
  const token = getCookie(c, SESSION_COOKIE);
  return {
    viewer,
    commune: commune ?? { name: viewer.communeName, province: "" },
    sessionHash: token ? sha256(token) : undefined,
    csrfToken: c.var.csrfToken,
  };
}

function previewPage(
  c: Context<AppEnv>,
  upload: Pick<Upload, "id" | "name" | "kind">,
  result: ImportResult,
  rows: PreviewRow[],
  message?: string,
) {
  const t = c.var.t;
  const invalid = result.invalidRows;
  const spec = IMPORT_KIND_SPECS[upload.kind];
  const fullWidth = rows.reduce((n, r) => Math.max(n, r.cells.length), 0);
  const width = Math.min(fullWidth, PREVIEW_COLUMNS);
  return render(
    c,
    { title: t("imports.preview_title", { name: upload.name }), status: message ? 422 : 200 },
    (ctx) => (
      <div>
        <p>
          <a href="/imports">{t("common.back")}</a>
        </p>
        <h1>{t("imports.preview_title", { name: upload.name })}</h1>
        {message ? <ErrorSummary t={t} errors={undefined} message={message} /> : null}
        <p class="lead">
          {t(`kind.${upload.kind}`)} —{" "}
          {t("imports.summary", {
            rows: result.rows,
            valid: result.rows - invalid,
            inserted: result.inserted,
            updated: result.updated,
            unchanged: result.unchanged,
            invalid,
          })}
        </p>
        <h2>{t("imports.columns")}</h2>
        <table class="table">
          <ColumnHeads heads={[t("imports.column_key"), t("imports.column_header")]} />
          <tbody>
            {spec.columns.map((col) => (
              <tr>
                <td>
                  {columnLabel(c.var.lang, upload.kind, col.key)}
                  {col.required ? " *" : ""}
                </td>
                <td>{result.columns[col.key] ?? t("imports.column_missing")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t("imports.first_rows")}</h2>
        <div class="table-wrap">
          <table class="table table--compact">
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">{r.row}</th>
                  {Array.from({ length: width }, (_, i) => (
                    <td>{shown(r.cells[i] ?? null)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {fullWidth > width ? (
          <p class="small">{t("imports.columns_shown_first", { shown: width, n: fullWidth })}</p>
        ) : null}
        {result.errorCount > 0 ? (
          <section aria-labelledby="errors-title">
            <h2 id="errors-title">{t("imports.errors_title", { n: result.errorCount })}</h2>
            {result.errorCount > result.errors.length ? (
              <p>{t("imports.errors_shown_first", { shown: result.errors.length, n: result.errorCount })}</p>
            ) : null}
            <p>
              <a href={`/imports/${upload.id}/errors`} download>
                {t("imports.download_errors", { n: result.errorCount })}
              </a>
            </p>
            <div class="table-wrap">
              <table class="table" id="import-errors">
                <ColumnHeads heads={[t("imports.row"), t("imports.column"), t("imports.reason")]} />
                <tbody>
                  {result.errors.map((e) => (
                    <tr>
                      <td>{e.row}</td>
                      <td>
                        {shown(
                          e.column
                            ? (result.columns[e.column] ?? columnLabel(c.var.lang, upload.kind, e.column))
                            : "",
                        )}
                      </td>
                      <td>{shown(t(e.message.key, e.message.params))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}
        {result.warningCount > 0 ? (
          <details>
            <summary>{t("imports.warnings_title", { n: result.warningCount })}</summary>
            {result.warningCount > result.warnings.length ? (
              <p>
                {t("imports.warnings_shown_first", { shown: result.warnings.length, n: result.warningCount })}
              </p>
            ) : null}
            <ul>
              {result.warnings.map((w) => (
                <li>
                  {t("imports.row")} {w.row}:{" "}
                  {w.column
                    ? `${shown(result.columns[w.column] ?? columnLabel(c.var.lang, upload.kind, w.column))} — `
                    : ""}
                  {shown(t(w.message.key, w.message.params))}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <form method="post" action={`/imports/${upload.id}/commit`}>
          <Csrf token={ctx.csrfToken} />
          {invalid > 0 ? (
            <div class="checkbox">
              <input type="checkbox" id="f-skip" name="skip_invalid" value="1" />
              <label for="f-skip">{t("imports.skip_invalid", { n: invalid })}</label>
            </div>
          ) : null}
          <Button>{t("imports.commit")}</Button>
        </form>
      </div>
    ),
  );
}

importRoutes.post("/imports/:id{[0-9a-f]{32}}/commit", async (c) => {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const upload = await findUpload(db, c.req.param("id"), viewer);
  if (!upload) return formPage(c, { status: 422, error: msg("imports.upload_gone") });
  assertMayImport(c, upload.kind);
  const body = await c.req.parseBody();
  const skipInvalid = body.skip_invalid === "1";
  const jobs = jobsOf(c);
  const busy = await jobs.runningOf(viewer);
  if (busy?.phase === "commit" && busy.uploadId === upload.id)
    return c.redirect(`/imports/jobs/${busy.id}`, 303);
  if (busy) return busyPage(c, busy, upload.kind);
  const check = await jobs.checkOf(upload.id, viewer);
  // Invalid rows and no “skip”: the check already says so; the commit would write nothing.
  if (check?.result && check.result.invalidRows > 0 && !skipInvalid) {
    return previewPage(c, upload, check.result, check.preview ?? [], c.var.t("imports.must_skip"));
  }
  const snapshot = await snapshotOf(c);
  await touchUpload(db, upload); // it stays while the commit runs
  const actor = actorOf(viewer, c.var);
  const lang = c.var.lang;
  const job = await jobs.start(
    {
      userId: viewer.userId,
      communeId: viewer.communeId,
      kind: upload.kind,
      phase: "commit",
      uploadId: upload.id,
      fileName: upload.name,
      snapshot,
      totalRows: check?.result?.rows,
      skipInvalid,
    },
    async (_job, report, finishIn) => {
      const local = await copyUploadToDisk(db, upload);
      try {
        const result = await runImport({
          db,
          communeId: viewer.communeId,
          kind: upload.kind,
          file: local.file,
          fileName: upload.name,
          sheet: upload.sheet,
          skipInvalid,
          rejectsFile: skipInvalid ? local.rejectsFile : undefined,
          maxRows: c.var.deps.config.importMaxRows,
          actor,
          lang,
          onProgress: report.rows,
          onBytes: report.bytes,
          // Written: in the same transaction, the file goes (its record stays for the rejects
          // download until it expires), the rejects are kept, and the job is done.
          onCommit: async (tx, written) => {
            await dropCommittedSource(tx, upload);
            if (written.rejected > 0) await storeUploadPart(tx, upload, "rejects", local.rejectsFile);
            await finishIn(tx, { result: written });
          },
        });
        // Refused (invalid rows, no “skip”): nothing was written; the file stays for another try.
        if (!result.ok)
          return { result, preview: check?.preview ?? (await firstRows(upload, local.file, 8)) };
        return { result };
      } finally {
        local.remove();
      }
    },
  );
  if (!job) return busyPage(c, await jobs.runningOf(viewer), upload.kind);
  return c.redirect(`/imports/jobs/${job.id}`, 303);
});

/** The page of a job: its progress while it runs, then what it found or did. */
importRoutes.get("/imports/jobs/:id{[0-9a-f]{32}}", async (c) => {
  const viewer = requireViewer(c);
  const t = c.var.t;
  const job = await jobsOf(c).find(c.req.param("id"), viewer);
  if (!job)
    return render(c, { title: t("imports.job_gone_title"), status: 404 }, () => <JobGoneBody t={t} />);
  if (job.state === "running") {
    return render(c, progressPageOpts(t, job), () => <ProgressBody t={t} lang={c.var.lang} job={job} />);
  }
  const upload = { id: job.uploadId, name: job.fileName, kind: job.kind };
  // A file that fits another kind: the form comes back set to that kind (the message says which).
  const guessed = job.error?.params?.guess_kind;
  if (job.state === "failed" || !job.result)
    return formPage(c, { kind: typeof guessed === "string" ? guessed : job.kind, error: job.error });
  if (job.phase === "check") return previewPage(c, upload, job.result, job.preview ?? []);
  if (!job.result.ok) return previewPage(c, upload, job.result, job.preview ?? [], t("imports.must_skip"));
  return donePage(c, upload, job.result);
});

/** The progress of a job, for the job page's script. */
importRoutes.get("/imports/jobs/:id{[0-9a-f]{32}}/status", async (c) => {
  const viewer = requireViewer(c);
  const t = c.var.t;
  const job = await jobsOf(c).find(c.req.param("id"), viewer);
  if (!job) return c.json({ error: { code: "not_found", message: t("imports.job_gone") } }, 404);
  return c.json(jobStatus(t, c.var.lang, job));
});

function donePage(c: Context<AppEnv>, upload: Pick<Upload, "id" | "kind">, result: ImportResult) {
  const t = c.var.t;
  return render(c, { title: t("imports.done_title") }, () => (
    <div class="narrow">
      <h1>{t("imports.done_title")}</h1>
      <div class="notice notice--success" role="status">
        {t("imports.done", {
          kind: t(`kind.${upload.kind}`),
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          rejected: result.rejected,
        })}
      </div>
      {result.rejected > 0 ? (
        <p>
          <a href={`/imports/${upload.id}/rejects`} download>
            {t("imports.download_rejects", { n: result.rejected })}
          </a>
        </p>
      ) : null}
      <p>
        <a href="/imports">{t("imports.another")}</a>
      </p>
    </div>
  ));
}

/**
 * On PGlite a running import holds the database's only connection until it ends, so every request
 * that needs the database (signing in, any page) waits. The page and status of a *running* job are
 * answered from memory instead, for the browser session that started it: mounted before
 * authentication, it matches the session cookie against the one recorded when the job started and
 * renders with the viewer and commune recorded then. Anything else goes on to the normal routes.
 */
export function importJobProgress(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { database } = c.var.deps;
    if (database.kind !== "pglite" || c.req.method !== "GET") return next();
    const m = /^\/imports\/jobs\/([0-9a-f]{32})(\/status)?$/.exec(c.req.path);
    const token = getCookie(c, SESSION_COOKIE);
    const job = m?.[1] && token ? importJobs(database).runningById(m[1]) : undefined;
    const snapshot = job?.snapshot;
    const hash = snapshot?.sessionHash;
    if (!job || !snapshot || !hash || !token || !safeEqual(hash, sha256(token))) return next();
    c.set("viewer", snapshot.viewer);
    c.set("sessionState", "ok");
    c.set("csrfToken", snapshot.csrfToken);
    const t = c.var.t;
    if (m?.[2]) return c.json(jobStatus(t, c.var.lang, job));
    const ctx = pageCtx(c, snapshot.commune);
    return renderPage(c, ctx, progressPageOpts(t, job), <ProgressBody t={t} lang={c.var.lang} job={job} />);
  };
}

/** A file the check of an upload wrote as it read, sent as an attachment named after the upload. */
async function uploadDownload(
  c: Context<AppEnv>,
  id: string,
  part: "errors" | "rejects",
  as: (upload: Upload) => { suffix: string; type: string },
) {
  const viewer = requireViewer(c);
  const { db } = c.var.deps;
  const upload = await findUpload(db, id, viewer, { fileGone: true });
  const bytes = upload ? await readUploadFile(db, upload, part) : undefined;
  if (!upload || !bytes) throw new AppError("not_found", { message: msg("error.not_found") });
  const base = upload.name.replace(/\.[^.]+$/, "");
  const { suffix, type } = as(upload);
  c.header("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(`${base}${suffix}`)}`);
  c.header("Content-Type", type);
  c.header("Content-Length", String(bytes.length));
  return c.body(new Uint8Array(bytes));
}

const CSV_TYPE = "text/csv; charset=utf-8";

/** Every error of an upload's check (row, column, reason). */
importRoutes.get("/imports/:id{[0-9a-f]{32}}/errors", (c) =>
  uploadDownload(c, c.req.param("id"), "errors", () => ({ suffix: ".danh-sach-loi.csv", type: CSV_TYPE })),
);

/** The rows the check refused, in the upload's own format. */
importRoutes.get("/imports/:id{[0-9a-f]{32}}/rejects", (c) =>
  uploadDownload(c, c.req.param("id"), "rejects", (upload) =>
    upload.ext === ".xlsx"
      ? { suffix: ".loi.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
      : { suffix: ".loi.csv", type: CSV_TYPE },
  ),
);
