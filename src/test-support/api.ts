import assert from "node:assert/strict";
import { bearer, type TestApp } from "../../test/helpers/app.ts";

/** Sends `body` as JSON (none if undefined) through the API with a bearer token. */
export function sendJson(app: TestApp["app"], token: string, path: string, method = "GET", body?: unknown) {
  return app.request(path, {
    method,
    headers: bearer(token, { "content-type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Asserts an API answer is 422 naming exactly `keys` (in any order) as bad fields; gives the fields' messages. */
export async function assertFieldErrors(res: Response, keys: string[]): Promise<Record<string, string>> {
  assert.equal(res.status, 422);
  const body = (await res.json()) as { error: { fields: Record<string, string> } };
  assert.deepEqual(Object.keys(body.error.fields).sort(), keys);
  return body.error.fields;
}

/** The message of an API error answer. */
export async function errorMessageOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { message: string } }).error.message;
}
