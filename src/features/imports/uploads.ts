import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { now as clockNow, nowMs } from "../../lib/clock.ts";
import type { ImportKindName } from "./types.ts";

/** An uploaded file waiting between its check and its commit. */
export type Upload = {
  id: string;
  file: string;
  name: string;
  kind: ImportKindName;
  communeId: number;
  userId: number;
  sheet?: string;
};

/** How long an upload waits for its commit. */
const KEEP_MS = 2 * 3_600_000;

function folder(dataDir: string) {
  const dir = path.join(dataDir, "uploads");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Removes uploads older than their keeping time (called on each new upload). */
function sweep(dir: string, now: number) {
  for (const f of fs.readdirSync(dir)) {
    const full = path.join(dir, f);
    try {
      if (now - fs.statSync(full).mtimeMs > KEEP_MS) fs.rmSync(full, { force: true });
    } catch {
      // gone already
    }
  }
}

/** Keeps an uploaded file under the data folder; the id is unguessable and bound to its uploader. */
export async function saveUpload(
  dataDir: string,
  file: File,
  meta: Omit<Upload, "id" | "file" | "name">,
): Promise<Upload> {
  const dir = folder(dataDir);
  sweep(dir, nowMs());
  const id = randomBytes(16).toString("hex");
  const ext = path
    .extname(file.name)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "");
  const stored = path.join(dir, `${id}${ext}`);
  fs.writeFileSync(stored, Buffer.from(await file.arrayBuffer()), { mode: 0o600 });
  const upload: Upload = { id, file: stored, name: path.basename(file.name), ...meta };
  fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(upload), { mode: 0o600 });
  return upload;
}

/**
 * The upload of this id, if it belongs to this user in this commune and its file is still there
 * (`fileGone`: after its commit, when only its rejects remain to download).
 */
export function findUpload(
  dataDir: string,
  id: string,
  who: { communeId: number; userId: number },
  opts: { fileGone?: boolean } = {},
): Upload | undefined {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  try {
    const upload = JSON.parse(fs.readFileSync(path.join(folder(dataDir), `${id}.json`), "utf8")) as Upload;
    if (upload.communeId !== who.communeId || upload.userId !== who.userId) return undefined;
    if (!opts.fileGone && !fs.existsSync(upload.file)) return undefined;
    return upload;
  } catch {
    return undefined;
  }
}

/** Restarts an upload's keeping time (a commit is starting on it: the file must not expire under it). */
export function touchUpload(upload: Upload) {
  const now = clockNow();
  for (const f of [upload.file, upload.file.replace(/\.[a-z0-9]+$/, ".json")]) {
    try {
      fs.utimesSync(f, now, now);
    } catch {
      // gone: the commit will say so
    }
  }
}

export function rejectsPath(dataDir: string, upload: Upload): string {
  return path.join(folder(dataDir), `${upload.id}.rejects${path.extname(upload.file)}`);
}

export function removeUpload(upload: Upload) {
  fs.rmSync(upload.file, { force: true });
  fs.rmSync(upload.file.replace(/\.[a-z0-9]+$/, ".json"), { force: true });
}
