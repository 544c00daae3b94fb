import { type MsgKey, type MsgParams, t } from "./i18n/index.ts";

/** The one error type of the app. Services throw it; `app.onError` turns it into a page or JSON. */
export type ErrorCode =
  | "bad_request"
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "csrf"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "unavailable"
  | "internal";

export const STATUS_OF: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503> = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A message of the i18n catalog with its parameters: services stay language-free. */
export type Msg = { key: MsgKey; params?: MsgParams };

export function msg(key: MsgKey, params?: MsgParams): Msg {
  return params ? { key, params } : { key };
}

/** Field key → message. */
export type FieldErrors = Record<string, Msg>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly msg: Msg;
  readonly fields: FieldErrors;
  /** Seconds until a retry may succeed (rate limits). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, opts: { message: Msg; fields?: FieldErrors; retryAfter?: number }) {
    super(t("en", opts.message.key, opts.message.params));
    this.code = code;
    this.msg = opts.message;
    this.fields = opts.fields ?? {};
    this.retryAfter = opts.retryAfter;
  }

  get status() {
    return STATUS_OF[this.code];
  }
}

export function notFound(): AppError {
  return new AppError("not_found", { message: msg("error.not_found") });
}

export function forbidden(message: Msg = msg("error.forbidden")): AppError {
  return new AppError("forbidden", { message });
}

export function validationError(fields: FieldErrors): AppError {
  return new AppError("validation", { message: msg("error.validation"), fields });
}

/** The request is sound but the record's state refuses it (a record still referred to, say): 409. */
export function conflict(message: Msg): AppError {
  return new AppError("conflict", { message });
}

/**
 * True when a database error (as PGlite, pg or drizzle's wrapper throws it) is a foreign-key
 * violation (SQLSTATE 23503): a delete of a row something still refers to.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === "23503") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a removal; a foreign-key violation (a reference the service did not count beforehand) becomes a
 * 409 instead of a 500. Wrap the whole transaction: the failed statement has rolled it back.
 */
export async function conflictOnForeignKey<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict(msg("delete.in_use"));
    throw err;
  }
}

/** Whether a check refuses (rejects with an AppError: not found, forbidden, conflict…); other errors propagate. */
export async function isRefused(check: Promise<unknown>): Promise<boolean> {
  try {
    await check;
    return false;
  } catch (err) {
    if (err instanceof AppError) return true;
    throw err;
  }
}
