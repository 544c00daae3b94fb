import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt } from "node:crypto";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { AppError, msg } from "../../lib/errors.ts";

/**
 * The backup file: a magic line, one line of JSON header, then the payload — the gzipped body,
 * encrypted with AES-256-GCM when a key is given. The header's `sha256` covers the header (without
 * itself) and the payload, so a truncated or altered file is refused before anything is read.
 *
 * The body is NDJSON: per table, a line `{"table", "columns", "rows"}` then one `to_jsonb` object
 * per row.
 */
export const MAGIC = "BDHVS-BACKUP/1\n";

export type BackupSchema = {
  /** Migrations applied, by drizzle's `created_at` (their folder millis), oldest first. */
  migrations: number[];
  /** The last one's tag, for people (`0007_plans`). */
  tag: string;
};

export type BackupHeader = {
  format: 1;
  createdAt: string;
  database: "pglite" | "postgres";
  schema: BackupSchema;
  communes: { code: string; name: string; province: string }[];
  tables: number;
  rows: number;
  bodyBytes: number;
  encryption: null | {
    cipher: "aes-256-gcm";
    kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
    iv: string;
    tag: string;
  };
  payloadBytes: number;
  sha256?: string;
};

/** The snapshot before sealing: the body (NDJSON, not yet gzipped) and what the header says of it. */
export type Snapshot = Omit<
  BackupHeader,
  "format" | "encryption" | "payloadBytes" | "sha256" | "bodyBytes"
> & {
  body: Buffer;
};

const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }) {
  return scryptAsync(passphrase.normalize("NFC"), salt, 32, {
    ...p,
    maxmem: 256 * p.N * p.r + 16 * 1024 * 1024,
  });
}

function checksum(header: BackupHeader, payload: Buffer): string {
  const { sha256: _ignored, ...rest } = header;
  return createHash("sha256").update(JSON.stringify(rest)).update("\n").update(payload).digest("hex");
}

/** The file's bytes: the snapshot gzipped, encrypted with `key` (a passphrase) when given. */
export async function sealBackup(snapshot: Snapshot, key: string | undefined): Promise<Buffer> {
  const { body, ...meta } = snapshot;
  const zipped = gzipSync(body, { level: 6 });
  let payload = zipped;
  let encryption: BackupHeader["encryption"] = null;
  if (key) {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const k = await deriveKey(key, salt, SCRYPT);
    const cipher = createCipheriv("aes-256-gcm", k, iv);
    cipher.setAAD(Buffer.from(MAGIC));
    payload = Buffer.concat([cipher.update(zipped), cipher.final()]);
    encryption = {
      cipher: "aes-256-gcm",
      kdf: { name: "scrypt", ...SCRYPT, salt: salt.toString("base64") },
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
    };
  }
  const header: BackupHeader = {
    format: 1,
    ...meta,
    bodyBytes: body.length,
    encryption,
    payloadBytes: payload.length,
  };
  header.sha256 = checksum(header, payload);
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(`${JSON.stringify(header)}\n`), payload]);
}

/** Reads the header only (no key needed), checking the magic line and the checksum. */
export function readHeader(file: string, bytes: Buffer): { header: BackupHeader; payload: Buffer } {
  const magic = Buffer.from(MAGIC);
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic))
    throw new AppError("bad_request", { message: msg("backup.not_a_backup", { file }) });
  const end = bytes.indexOf(0x0a, magic.length);
  if (end < 0) throw new AppError("bad_request", { message: msg("backup.checksum", { file }) });
  let header: BackupHeader;
  try {
    header = JSON.parse(bytes.subarray(magic.length, end).toString("utf8")) as BackupHeader;
  } catch {
    throw new AppError("bad_request", { message: msg("backup.checksum", { file }) });
  }
  const payload = bytes.subarray(end + 1);
  if (
    header.format !== 1 ||
    payload.length !== header.payloadBytes ||
    checksum(header, payload) !== header.sha256
  )
    throw new AppError("bad_request", { message: msg("backup.checksum", { file }) });
  return { header, payload };
}

/** The body of a checked file: decrypted with `key` when the file is encrypted, then gunzipped. */
export async function openBackup(
  file: string,
  bytes: Buffer,
  key: string | undefined,
): Promise<{ header: BackupHeader; body: Buffer }> {
  const { header, payload } = readHeader(file, bytes);
  let zipped = payload;
  if (header.encryption) {
    if (!key) throw new AppError("bad_request", { message: msg("backup.key_missing", { file }) });
    const e = header.encryption;
    const k = await deriveKey(key, Buffer.from(e.kdf.salt, "base64"), e.kdf);
    try {
      const decipher = createDecipheriv("aes-256-gcm", k, Buffer.from(e.iv, "base64"));
      decipher.setAAD(Buffer.from(MAGIC));
      decipher.setAuthTag(Buffer.from(e.tag, "base64"));
      zipped = Buffer.concat([decipher.update(payload), decipher.final()]);
    } catch {
      throw new AppError("bad_request", { message: msg("backup.key_wrong", { file }) });
    }
  }
  let body: Buffer;
  try {
    body = gunzipSync(zipped);
  } catch {
    throw new AppError("bad_request", { message: msg("backup.checksum", { file }) });
  }
  if (body.length !== header.bodyBytes)
    throw new AppError("bad_request", { message: msg("backup.checksum", { file }) });
  return { header, body };
}
