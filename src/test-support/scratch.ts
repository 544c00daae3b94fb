import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestApp, type TestApp } from "../../test/helpers/app.ts";

/** A test app (with `overrides`) and a scratch folder named from `prefix`, for a file's tests. */
export async function openScratchApp(
  prefix: string,
  overrides: Parameters<typeof createTestApp>[0],
): Promise<{ dir: string; t: TestApp }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, t: await createTestApp(overrides) };
}

/** Closes the test app of `openScratchApp` and removes its scratch folder. */
export async function closeScratchApp(t: TestApp, dir: string) {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
