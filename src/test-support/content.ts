import assert from "node:assert/strict";
import { ContentError, loadContent } from "../features/public/content.ts";

/** The error loading a content folder gives (fails when it loads). */
export function contentErrorOf(dir: string): ContentError {
  try {
    loadContent(dir);
  } catch (err) {
    assert.ok(err instanceof ContentError, String(err));
    return err;
  }
  assert.fail("the content loaded");
}
