import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { nowMs } from "../../lib/clock.ts";
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
  /** When its keeping time started (the app's clock, not the file system's): saved, or a commit began. */
  keptAt?: number;
};

/** How long an upload waits for its commit. */
const KEEP_MS = 2 * 3_600_000;

function folder(dataDir: string) {
  const dir = path.join(dataDir, "uploads");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Removes uploads older than their keeping time (called on each new upload), with their rejects and
 * errors files. The age is the one the upload's record keeps by the app's clock; the file system's
 * times serve only for a file whose record is gone.
 */
function sweep(dir: string, now: number) {
  const byId = new Map<string, string[]>();
  for (const f of fs.readdirSync(dir)) {
    const id = /^[0-9a-f]{32}/.exec(f)?.[0];
    if (id) byId.set(id, [...(byId.get(id) ?? []), f]);
  }
  for (const [id, files] of byId) {
    let keptAt: number | undefined;
    try {
      keptAt = (JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), "utf8")) as Upload).keptAt;
    } catch {
      // no record: judged by its files' times below
    }
    for (const f of files) {
      const full = path.join(dir, f);
      try {
        const since = keptAt ?? fs.statSync(full).mtimeMs;
        if (now - since > KEEP_MS) fs.rmSync(full, { force: true });
      } catch {
        // gone already
      }
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
  const upload: Upload = { id, file: stored, name: path.basename(file.name), ...meta, keptAt: nowMs() };
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
  const record = upload.file.replace(/\.[a-z0-9]+$/, ".json");
  try {
    if (!fs.existsSync(upload.file)) return; // gone: the commit will say so
    fs.writeFileSync(record, JSON.stringify({ ...upload, keptAt: nowMs() }), { mode: 0o600 });
  } catch {
    // gone: the commit will say so
  }
}

export function rejectsPath(dataDir: string, upload: Upload): string {
  return path.join(folder(dataDir), `${upload.id}.rejects${path.extname(upload.file)}`);
}

/** Every error of an upload's check, one per line, written as the check reads the file. */
export function errorsPath(dataDir: string, upload: Pick<Upload, "id">): string {
  return path.join(folder(dataDir), `${upload.id}.errors.csv`);
}

/**
 * Removes every upload of a commune with its rejects and errors files, except those of `keep` (a
 * running import's), whatever their age: an erasure on request must not leave the person's row
 * in a file waiting for its commit. Returns how many uploads went.
 */
export function removeUploadsOfCommune(
  dataDir: string,
  communeId: number,
  keep: ReadonlySet<string>,
): number {
  const dir = path.join(dataDir, "uploads");
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const f of fs.readdirSync(dir)) {
    const id = /^([0-9a-f]{32})\.json$/.exec(f)?.[1];
    if (!id || keep.has(id)) continue;
    let upload: Upload;
    try {
      upload = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Upload;
    } catch {
      continue;
    }
    if (upload.communeId !== communeId) continue;
    for (const g of fs.readdirSync(dir)) if (g.startsWith(id)) fs.rmSync(path.join(dir, g), { force: true });
    n++;
  }
  return n;
}

export function removeUpload(upload: Upload) {
  fs.rmSync(upload.file, { force: true });
  fs.rmSync(upload.file.replace(/\.[a-z0-9]+$/, ".json"), { force: true });
}
