import fs from "node:fs";
import { type Context, Hono } from "hono";
import { AppError, msg } from "../../lib/errors.ts";
import { type Cell, readRows } from "../../lib/tabular/read.ts";
import { Button, Csrf, ErrorSummary } from "../../web/components.tsx";
import { type AppEnv, actorOf } from "../../web/context.ts";
import { requirePermission, requireViewer } from "../../web/middleware.ts";
import { render } from "../../web/render.tsx";
import { viewerCan } from "../auth/viewer.ts";
import { runImport } from "./engine.ts";
import { IMPORT_KIND_SPECS } from "./kinds/index.ts";
import { IMPORT_KINDS, type ImportKindName, type ImportResult } from "./types.ts";
import { findUpload, rejectsPath, removeUpload, saveUpload, type Upload } from "./uploads.ts";

export const importRoutes = new Hono<AppEnv>();
importRoutes.use("/imports", requirePermission("import.run"));
importRoutes.use("/imports/*", requirePermission("import.run"));

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

function formPage(
  c: Context<AppEnv>,
  opts: { kind?: string; error?: ReturnType<typeof msg>; status?: 200 | 400 | 413 | 422 },
) {
  const t = c.var.t;
  return render(c, { title: t("imports.title"), status: opts.status ?? 200 }, (ctx) => (
    <div class="narrow">
      <h1>{t("imports.title")}</h1>
      <ErrorSummary t={t} errors={opts.error ? { file: opts.error } : undefined} />
      <p>{t("imports.intro")}</p>
      <p class="small">{t("imports.order_hint")}</p>
      <form method="post" action="/imports" enctype="multipart/form-data">
        <Csrf token={ctx.csrfToken} />
        <div class="field">
          <label class="field__label" for="f-kind">
            {t("imports.kind")}
          </label>
          <select class="select" id="f-kind" name="kind">
            {IMPORT_KINDS.map((k) => (
              <option value={k} selected={k === opts.kind}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class={`field${opts.error ? " field--error" : ""}`}>
          <label class="field__label" for="f-file">
            {t("imports.file")}
          </label>
          <p class="field__hint" id="h-file">
            {t("imports.file_hint", { max: mb(c.var.deps.config.maxUploadBytes) })}
          </p>
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
        </div>
        <div class="field">
          <label class="field__label" for="f-sheet">
            {t("imports.sheet")} <span class="small">{t("common.optional")}</span>
          </label>
          <p class="field__hint">{t("imports.sheet_hint")}</p>
          <input class="input" id="f-sheet" name="sheet" />
        </div>
        <Button>{t("imports.check")}</Button>
      </form>
    </div>
  ));
}

importRoutes.get("/imports", (c) => formPage(c, { kind: c.req.query("kind") }));

/** The file's first rows as they are, for the preview (header included). */
async function firstRows(upload: Upload, n: number): Promise<{ row: number; cells: Cell[] }[]> {
  const out: { row: number; cells: Cell[] }[] = [];
  for await (const r of readRows(upload.file, { sheet: upload.sheet, name: upload.name })) {
    out.push({ row: r.rowNumber, cells: r.cells });
    if (out.length >= n) break;
  }
  return out;
}

const shown = (c: Cell) => (c instanceof Date ? c.toISOString().slice(0, 10) : c === null ? "" : String(c));

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
  const { dataDir, maxUploadBytes } = c.var.deps.config;
  if (file.size > maxUploadBytes) {
    return formPage(c, {
      kind,
      status: 413,
      error: msg("error.payload_too_large", { max: mb(maxUploadBytes) }),
    });
  }
  const sheet = typeof body.sheet === "string" && body.sheet.trim() ? body.sheet.trim() : undefined;
  const upload = await saveUpload(dataDir, file, {
    kind,
    communeId: viewer.communeId,
    userId: viewer.userId,
    ...(sheet ? { sheet } : {}),
  });
  let result: ImportResult;
  let rows: { row: number; cells: Cell[] }[];
  try {
    result = await runImport({
      db: c.var.deps.db,
      communeId: viewer.communeId,
      kind,
      file: upload.file,
      fileName: upload.name,
      sheet: upload.sheet,
      dryRun: true,
      skipInvalid: true,
      actor: actorOf(viewer, c.var),
      lang: c.var.lang,
    });
    rows = await firstRows(upload, 8);
  } catch (err) {
    removeUpload(upload);
    if (err instanceof AppError && err.code !== "internal")
      return formPage(c, { kind, status: 422, error: err.msg });
    throw err;
  }
  return previewPage(c, upload, result, rows);
});

function previewPage(
  c: Context<AppEnv>,
  upload: Upload,
  result: ImportResult,
  rows: { row: number; cells: Cell[] }[],
  message?: string,
) {
  const t = c.var.t;
  const invalid = new Set(result.errors.map((e) => e.row)).size;
  const spec = IMPORT_KIND_SPECS[upload.kind];
  const width = Math.max(...rows.map((r) => r.cells.length), 0);
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
          <thead>
            <tr>
              <th scope="col">{t("imports.column_key")}</th>
              <th scope="col">{t("imports.column_header")}</th>
            </tr>
          </thead>
          <tbody>
            {spec.columns.map((col) => (
              <tr>
                <td>
                  <code>{col.key}</code>
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
        {result.errors.length > 0 ? (
          <section aria-labelledby="errors-title">
            <h2 id="errors-title">{t("imports.errors_title", { n: result.errors.length })}</h2>
            <div class="table-wrap">
              <table class="table" id="import-errors">
                <thead>
                  <tr>
                    <th scope="col">{t("imports.row")}</th>
                    <th scope="col">{t("imports.column")}</th>
                    <th scope="col">{t("imports.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.errors.map((e) => (
                    <tr>
                      <td>{e.row}</td>
                      <td>{e.column ? (result.columns[e.column] ?? e.column) : ""}</td>
                      <td>{t(e.message.key, e.message.params)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}
        {result.warnings.length > 0 ? (
          <details>
            <summary>{t("imports.warnings_title", { n: result.warnings.length })}</summary>
            <ul>
              {result.warnings.map((w) => (
                <li>
                  {t("imports.row")} {w.row}: {w.column ? `${result.columns[w.column] ?? w.column} — ` : ""}
                  {t(w.message.key, w.message.params)}
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
  const { dataDir } = c.var.deps.config;
  const upload = findUpload(dataDir, c.req.param("id"), viewer);
  if (!upload) return formPage(c, { status: 422, error: msg("imports.upload_gone") });
  assertMayImport(c, upload.kind);
  const body = await c.req.parseBody();
  const skipInvalid = body.skip_invalid === "1";
  const result = await runImport({
    db: c.var.deps.db,
    communeId: viewer.communeId,
    kind: upload.kind,
    file: upload.file,
    fileName: upload.name,
    sheet: upload.sheet,
    skipInvalid,
    rejectsFile: skipInvalid ? rejectsPath(dataDir, upload) : undefined,
    actor: actorOf(viewer, c.var),
    lang: c.var.lang,
  });
  const t = c.var.t;
  // Invalid rows and no “skip”: nothing was written; the check again, with what to do.
  if (!result.ok) return previewPage(c, upload, result, await firstRows(upload, 8), t("imports.must_skip"));
  fs.rmSync(upload.file, { force: true });
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
});

importRoutes.get("/imports/:id{[0-9a-f]{32}}/rejects", (c) => {
  const viewer = requireViewer(c);
  const { dataDir } = c.var.deps.config;
  const upload = findUpload(dataDir, c.req.param("id"), viewer, { fileGone: true });
  const file = upload ? rejectsPath(dataDir, upload) : undefined;
  if (!upload || !file || !fs.existsSync(file))
    throw new AppError("not_found", { message: msg("error.not_found") });
  const base = upload.name.replace(/\.[^.]+$/, "");
  const ext = upload.file.endsWith(".xlsx") ? "xlsx" : "csv";
  c.header("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(`${base}.loi.${ext}`)}`);
  c.header(
    "Content-Type",
    ext === "xlsx"
      ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      : "text/csv; charset=utf-8",
  );
  return c.body(fs.readFileSync(file));
});
