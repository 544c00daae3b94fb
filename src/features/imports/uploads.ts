import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../db/client.ts";
import { now, nowMs } from "../../lib/clock.ts";
import {
  deleteExpiredUploads,
  deleteUploadRow,
  deleteUploadsOfCommune,
  dropUploadSource,
  findUploadRow,
  insertUploadRow,
  readUploadPart,
  setUploadKeptAt,
  type UploadPart,
  writeUploadPart,
} from "./repo.ts";
import type { ImportKindName } from "./types.ts";

/**
 * An uploaded file waiting between its check and its commit. It lives in the database (issue 18.4:
 * any app process serves its check, its commit and its downloads, and a restart keeps it); a job
 * copies it to a temporary file of its own process while it reads it.
 */
export type Upload = {
  id: string;
  name: string;
  /** Extension, lower case with its dot. */
  ext: string;
  kind: ImportKindName;
  communeId: number;
  userId: number;
  sheet?: string | undefined;
  /** When its keeping time started (the app's clock): saved, or a commit began. */
  keptAt: number;
  /** The file itself is gone (committed); only its rejects remain to download. */
  sourceGone: boolean;
};

/** How long an upload waits for its commit. */
export const UPLOAD_KEEP_MS = 2 * 3_600_000;

/** Bytes per stored chunk: small rows, whatever the file (PGlite copies each row whole). */
const CHUNK_BYTES = 256 * 1024;

function split(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) out.push(bytes.subarray(i, i + CHUNK_BYTES));
  return out;
}

/** Keeps an uploaded file in the database; the id is unguessable and bound to its uploader. */
export async function saveUpload(
  db: Db,
  file: File,
  meta: Pick<Upload, "kind" | "communeId" | "userId" | "sheet">,
): Promise<Upload> {
  await deleteExpiredUploads(db, new Date(nowMs() - UPLOAD_KEEP_MS));
  const id = randomBytes(16).toString("hex");
  const ext = path
    .extname(file.name)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "");
  const upload: Upload = {
    id,
    name: path.basename(file.name),
    ext,
    kind: meta.kind,
    communeId: meta.communeId,
    userId: meta.userId,
    sheet: meta.sheet,
    keptAt: nowMs(),
    sourceGone: false,
  };
  const bytes = new Uint8Array(await file.arrayBuffer());
  await db.transaction(async (tx) => {
    await insertUploadRow(tx, {
      id,
      communeId: upload.communeId,
      userId: upload.userId,
      kind: upload.kind,
      name: upload.name,
      ext,
      sheet: upload.sheet ?? null,
      keptAt: new Date(upload.keptAt),
    });
    await writeUploadPart(tx, upload, "source", split(bytes));
  });
  return upload;
}

/**
 * The upload of this id, if it belongs to this user in this commune, has not expired, and its file
 * is still there (`fileGone`: after its commit too, when only its rejects remain to download).
 */
export async function findUpload(
  db: Db,
  id: string,
  who: { communeId: number; userId: number },
  opts: { fileGone?: boolean } = {},
): Promise<Upload | undefined> {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  const row = await findUploadRow(db, id, who);
  if (!row || nowMs() - row.keptAt.getTime() > UPLOAD_KEEP_MS) return undefined;
  if (row.sourceGone && !opts.fileGone) return undefined;
  return {
    id: row.id,
    name: row.name,
    ext: row.ext,
    kind: row.kind as ImportKindName,
    communeId: row.communeId,
    userId: row.userId,
    sheet: row.sheet ?? undefined,
    keptAt: row.keptAt.getTime(),
    sourceGone: row.sourceGone,
  };
}

/** Restarts an upload's keeping time (a commit is starting on it: the file must not expire under it). */
export async function touchUpload(db: Db, upload: Upload) {
  await setUploadKeptAt(db, upload.id, now());
}

/** A job's local copy of an upload: the folder goes with `remove()`. */
export type LocalUpload = {
  /** The uploaded file. */
  file: string;
  /** Where the job writes the errors list and the rejected rows. */
  errorsFile: string;
  rejectsFile: string;
  remove(): void;
};

/** Copies an upload's file to a temporary folder of this process, for a job to read. */
export async function copyUploadToDisk(db: Db, upload: Upload): Promise<LocalUpload> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-upload-"));
  const file = path.join(dir, `upload${upload.ext}`);
  const chunks = await readUploadPart(db, upload.id, "source");
  fs.writeFileSync(file, Buffer.concat(chunks), { mode: 0o600 });
  return {
    file,
    errorsFile: path.join(dir, "errors.csv"),
    rejectsFile: path.join(dir, `rejects${upload.ext === ".xlsx" ? ".xlsx" : ".csv"}`),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Stores a file a job wrote (the errors list, the rejects) with its upload; no file, nothing. */
export async function storeUploadPart(db: Db, upload: Upload, part: UploadPart, file: string) {
  if (!fs.existsSync(file)) return;
  await writeUploadPart(db, upload, part, split(fs.readFileSync(file)));
}

/** One of an upload's files, whole, or `undefined` when it has none. */
export async function readUploadFile(db: Db, upload: Upload, part: UploadPart): Promise<Buffer | undefined> {
  const chunks = await readUploadPart(db, upload.id, part);
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}

/** The commit wrote the file: it goes (its record stays for the rejects download until it expires). */
export async function dropCommittedSource(db: Db, upload: Upload) {
  await dropUploadSource(db, upload.id);
}

/**
 * Removes every upload of a commune with its rejects and errors, except a running import's,
 * whatever their age: an erasure on request must not leave the person's row in a file waiting for
 * its commit. Returns how many uploads went.
 */
export async function removeUploadsOfCommune(db: Db, communeId: number): Promise<number> {
  return deleteUploadsOfCommune(db, communeId);
}

export async function removeUpload(db: Db, upload: Upload) {
  await deleteUploadRow(db, upload.id);
}
