/**
 * Admission control (issue 18, the crowd): one app process works on at most `maxInFlight`
 * requests at once. A request over the cap waits in a short first-come queue (at most `queue`
 * requests, each at most `waitMs`); past that it is answered at once with 503, `Retry-After` and
 * the Vietnamese busy page or JSON error — which nginx sends on to another process for an
 * idempotent request (docs/operations.md, "Several app processes"). Without the cap, 200
 * connections on a starved process all started, each holding its page in memory (≈ 1 GB RSS),
 * and everything queued behind everything.
 *
 * Mounted after /healthz and the static files, so those are never held nor refused.
 */
import type { Context, MiddlewareHandler } from "hono";
import { html } from "hono/html";
import type { AppEnv, Deps } from "./context.ts";
import { isApi } from "./middleware.ts";

/** Seconds a refused client is told to wait. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

export type AdmissionOptions = { maxInFlight: number; queue: number; waitMs: number };

type Waiter = { admit: () => void };

/** What the gate holds now (tests wait on it instead of sleeping). */
export type AdmissionState = { inFlight: number; queued: number; refused: number };

const gates = new WeakMap<Deps["config"], () => AdmissionState>();

/** The state of the gate mounted on this configuration (`createApp(deps)`, deps.config), if any. */
export function admissionState(config: Deps["config"]): AdmissionState | undefined {
  return gates.get(config)?.();
}

/**
 * The refusal, answered here without the database (the layout's commune lookup would wait behind
 * the very load being shed): the JSON error of the API, or a small page in the app's style.
 */
async function busy(c: Context<AppEnv>): Promise<Response> {
  const t = c.var.t;
  c.header("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
  c.header("Cache-Control", "no-store");
  if (isApi(c)) {
    return c.json({ error: { code: "unavailable", message: t("error.busy"), fields: {} } }, 503);
  }
  const page = html`<!DOCTYPE html>
<html lang="${c.var.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t("error.busy_title")} · BDHVS</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<main id="main" class="narrow">
<h1>${t("error.busy_title")}</h1>
<p class="lead">${t("error.busy")}</p>
<p><a href="${c.req.path}">${t("error.busy_retry")}</a></p>
</main>
</body>
</html>`;
  return c.html(await page, 503);
}

/** The admission middleware for one process, sized by `deps.config.admission`. */
export function admission(
  deps: Deps,
  opts: AdmissionOptions = deps.config.admission,
): MiddlewareHandler<AppEnv> {
  let inFlight = 0;
  let refused = 0;
  const waiting: Waiter[] = [];
  gates.set(deps.config, () => ({ inFlight, queued: waiting.length, refused }));

  /** A finished request hands its place to the first waiter, or frees it. */
  const release = () => {
    const next = waiting.shift();
    if (next) next.admit();
    else inFlight--;
  };

  /** Waits for a place: true once handed one, false after `waitMs` or when the client went away. */
  const wait = (signal: AbortSignal | undefined) =>
    new Promise<boolean>((resolve) => {
      const leave = (admitted: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(admitted);
      };
      const waiter: Waiter = { admit: () => leave(true) };
      const drop = () => {
        const i = waiting.indexOf(waiter);
        if (i >= 0) waiting.splice(i, 1);
        leave(false);
      };
      const onAbort = () => drop();
      const timer = setTimeout(drop, opts.waitMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      waiting.push(waiter);
    });

  return async (c, next) => {
    if (inFlight < opts.maxInFlight) {
      inFlight++;
    } else if (waiting.length >= opts.queue || !(await wait(c.req.raw.signal))) {
      refused++;
      return busy(c);
    }
    // Here this request holds a place (taken, or handed over by a finished one).
    try {
      await next();
    } finally {
      release();
    }
  };
}
