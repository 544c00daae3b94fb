import type { Context } from "hono";
import { AppError, type ErrorCode, type FieldErrors, type Msg } from "../../lib/errors.ts";
import type { AppEnv } from "../context.ts";
import { type FormValues, readForm } from "../form.ts";
import { setFlash } from "../render.tsx";

/** What a form post does: the service call, where a success goes, and the form drawn again on bad input. */
export type FormRoute<T> = {
  /** Calls the service with the submitted values. */
  run: (form: FormValues) => Promise<T>;
  /** The message shown once on the next page. */
  flash?: (result: T) => Msg;
  /** Where the browser goes after a success (303). */
  to: (result: T) => string;
  /** The form page again with the service's field errors (status 422 is the page's business). */
  invalid: (form: FormValues, errors: FieldErrors, err: AppError) => Response | Promise<Response>;
  /** The error codes that draw the form again (default: only `validation`); `Retry-After` is passed on. */
  catches?: readonly ErrorCode[];
};

/**
 * The post-redirect-get of a form: reads the form, runs the service; a validation error re-renders
 * the form with its errors and changes nothing, any other error goes to `app.onError`.
 */
export async function submitForm<T>(c: Context<AppEnv>, route: FormRoute<T>): Promise<Response> {
  const form = await readForm(c);
  let result: T;
  try {
    result = await route.run(form);
  } catch (err) {
    if (!(err instanceof AppError) || !(route.catches ?? ["validation"]).includes(err.code)) throw err;
    if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
    return route.invalid(form, err.fields, err);
  }
  if (route.flash) setFlash(c, route.flash(result));
  return c.redirect(route.to(result), 303);
}

/** Runs a write whose validation errors re-render a page; the page for the errors comes from `invalid`. */
export async function orInvalid<T>(
  run: () => Promise<T>,
  invalid: (errors: FieldErrors, err: AppError) => Response | Promise<Response>,
): Promise<T | Response> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return invalid(err.fields, err);
  }
}
