/**
 * Admission control (issue 18, the crowd): one app process works on at most `maxInFlight`
 * requests at once. A request over the cap waits in a short queue (at most `queue` requests, each
 * at most `waitMs`); past that it is answered at once with 503, `Retry-After` and
 * the Vietnamese busy page or JSON error — which nginx sends on to another process for an
 * idempotent request (docs/operations.md, "Several app processes"). Without the cap, 200
 * connections on a starved process all started, each holding its page in memory (≈ 1 GB RSS),
 * and everything queued behind everything.
 *
 * Mounted after /healthz and the static files, so those are never held nor refused.
 *
 * The queue is not first-come (issue 14): a freed place goes to the waiter with the highest
 * response ratio, (time waited + expected time) / expected time, where the expected time is what
 * requests of its kind (method and path, numbers taken out: `requestKind`) took once admitted,
 * learnt as they run (`ServiceTimes`). A dashboard answered from memory (23–25 ms once admitted,
 * under the load bench with a cap of 16) so goes ahead of a visit-next list or a saved visit
 * (60–66 ms), and a long request that has waited its own time again goes ahead of a fresh short
 * one: nothing starves, and the short answers stay short under load.
 */
import type { Context, MiddlewareHandler } from "hono";
import { html } from "hono/html";
import type { AppEnv, Deps } from "./context.ts";
import { isApi } from "./middleware.ts";

/** Seconds a refused client is told to wait. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

export type AdmissionOptions = { maxInFlight: number; queue: number; waitMs: number };

type Waiter = { admit: () => void; kind: string; since: number };

/** Kinds of request told apart (more share one): the memory they take stays bounded whatever the paths. */
export const MAX_KINDS = 256;

/**
 * A request's kind, for its expected time: the method and the path's first four segments, a
 * segment of digits (an id), a date or a long token as `:` — `/residents/123` and
 * `/residents/456` are one kind, `/residents` and `/indicators/vneid_16plus` others.
 */
export function requestKind(method: string, path: string): string {
  const segments = path.split("/", 6).slice(1, 5);
  const general = (s: string) => (/^[\d.-]+$/.test(s) || s.length > 32 ? ":" : s);
  return `${method} /${segments.map(general).join("/")}`;
}

/**
 * How long each kind of request takes once admitted: a moving average per kind (weight `weight`
 * for the newest), and over all kinds for a kind not seen yet. At most `maxKinds` kinds are kept;
 * the rest share one.
 */
export class ServiceTimes {
  private readonly byKind = new Map<string, number>();
  private overall: number | undefined;
  constructor(
    private readonly maxKinds = MAX_KINDS,
    private readonly weight = 0.05,
  ) {}

  private keyOf(kind: string): string {
    // The last place is the shared one.
    return this.byKind.has(kind) || this.byKind.size < this.maxKinds - 1 ? kind : "(other)";
  }

  /** The expected milliseconds of a kind (at least 1). */
  expected(kind: string): number {
    return Math.max(1, this.byKind.get(this.keyOf(kind)) ?? this.overall ?? 1);
  }

  /** A request of this kind took `ms` once admitted. */
  learn(kind: string, ms: number): void {
    const key = this.keyOf(kind);
    const was = this.byKind.get(key);
    this.byKind.set(key, was === undefined ? ms : was + this.weight * (ms - was));
    this.overall = this.overall === undefined ? ms : this.overall + this.weight * (ms - this.overall);
  }

  /** Kinds kept (tests). */
  get kinds(): number {
    return this.byKind.size;
  }
}

/**
 * The waiter a freed place goes to: the highest (waited + expected) / expected, the earliest on a
 * tie. -1 when none waits.
 */
export function nextWaiter(
  waiting: readonly { kind: string; since: number }[],
  times: ServiceTimes,
  now: number,
): number {
  let best = -1;
  let bestRatio = -1;
  for (let i = 0; i < waiting.length; i++) {
    const w = waiting[i]!;
    const e = times.expected(w.kind);
    const ratio = (now - w.since + e) / e;
    if (ratio > bestRatio) {
      best = i;
      bestRatio = ratio;
    }
  }
  return best;
}

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
  const times = new ServiceTimes();
  gates.set(deps.config, () => ({ inFlight, queued: waiting.length, refused }));

  /** A finished request hands its place to the waiter whose turn it is (`nextWaiter`), or frees it. */
  const release = () => {
    const i = nextWaiter(waiting, times, performance.now());
    if (i < 0) {
      inFlight--;
      return;
    }
    const [next] = waiting.splice(i, 1);
    next!.admit();
  };

  /** Waits for a place: true once handed one, false after `waitMs` or when the client went away. */
  const wait = (signal: AbortSignal | undefined, kind: string) =>
    new Promise<boolean>((resolve) => {
      const leave = (admitted: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(admitted);
      };
      const waiter: Waiter = { admit: () => leave(true), kind, since: performance.now() };
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
    const kind = requestKind(c.req.method, c.req.path);
    if (inFlight < opts.maxInFlight) {
      inFlight++;
    } else if (waiting.length >= opts.queue || !(await wait(c.req.raw.signal, kind))) {
      refused++;
      return busy(c);
    }
    // Here this request holds a place (taken, or handed over by a finished one).
    const admitted = performance.now();
    try {
      await next();
    } finally {
      times.learn(kind, performance.now() - admitted);
      release();
    }
  };
}
