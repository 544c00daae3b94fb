import crypto from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { TASK_EVIDENCE_TYPES } from "../../db/schema.ts";
import { type FieldErrors, msg } from "../../lib/errors.ts";

/** A photo or a scanned decision: at most 5 MB each, at most 5 files with one progress entry. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 5;

export type EvidenceUpload = { name: string; bytes: Uint8Array };
export type CheckedEvidence = {
  fileName: string;
  mediaType: (typeof TASK_EVIDENCE_TYPES)[number];
  content: Uint8Array;
  sha256: string;
};

/** A file name as people read it: the base name, NFC, control characters out, at most 120 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = [...base.normalize("NFC")]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== "\u007f" && ch !== '"')
    .join("")
    .trim();
  return (clean || "tep").slice(-120);
}

/**
 * Checks evidence files by what they hold, not by their names: each must be a JPEG, PNG or PDF by its
 * first bytes (the `file-type` signatures), not empty, at most MAX_EVIDENCE_BYTES. Returns the files
 * ready to store, or the field errors (field `evidence`) — the first problem, naming the file.
 */
export async function checkEvidence(
  uploads: EvidenceUpload[],
): Promise<{ ok: true; files: CheckedEvidence[] } | { ok: false; errors: FieldErrors }> {
  const fail = (m: ReturnType<typeof msg>) => ({ ok: false as const, errors: { evidence: m } });
  if (uploads.length > MAX_EVIDENCE_FILES)
    return fail(msg("tasks.evidence_too_many", { max: MAX_EVIDENCE_FILES }));
  const files: CheckedEvidence[] = [];
  for (const u of uploads) {
    const file = cleanName(u.name);
    if (u.bytes.byteLength === 0) return fail(msg("tasks.evidence_empty", { file }));
    if (u.bytes.byteLength > MAX_EVIDENCE_BYTES)
      return fail(msg("tasks.evidence_too_big", { file, max: MAX_EVIDENCE_BYTES / 1024 / 1024 }));
    const found = await fileTypeFromBuffer(u.bytes);
    const mediaType = TASK_EVIDENCE_TYPES.find((t) => t === found?.mime);
    if (!mediaType) return fail(msg("tasks.evidence_wrong_type", { file }));
    files.push({
      fileName: file,
      mediaType,
      content: u.bytes,
      sha256: crypto.createHash("sha256").update(u.bytes).digest("hex"),
    });
  }
  return { ok: true, files };
}
