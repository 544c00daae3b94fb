import assert from "node:assert/strict";
import type { Agent } from "../../test/helpers/app.ts";

/**
 * Deletes record `id` of the list at `list` (e.g. "/units") through the pages: its detail page links
 * to the confirmation page, which asks `question`; confirming sends the browser back to the list.
 */
export async function deleteThroughPages(a: Agent, list: string, id: number, question: RegExp) {
  await a.get(`${list}/${id}`);
  assert.match(a.lastHtml, new RegExp(`href="${list}/${id}/delete"`));
  await a.get(`${list}/${id}/delete`);
  assert.match(a.lastHtml, question);
  const res = await a.postForm(`${list}/${id}/delete`, {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), list);
}

/** Opens the page adding a record to the list at `list` (e.g. "/incidents"), then sends its form with `fields`. */
export async function postNewForm(a: Agent, list: string, fields: Record<string, string>) {
  await a.get(`${list}/new`);
  return a.postForm(list, fields);
}
