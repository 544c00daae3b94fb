import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { type Database, type Db, migrationsFolder } from "../../db/client.ts";
import { now } from "../../lib/clock.ts";
import { AppError, msg } from "../../lib/errors.ts";
import { type Actor, cliActor, recordAudit } from "../audit/service.ts";
import { erasuresOf, reapplyErasures } from "../privacy/person.ts";
import { type BackupHeader, type BackupSchema, openBackup, type Snapshot, sealBackup } from "./format.ts";
import {
  appliedMigrations,
  applyMigration,
  dropSchema,
  fireDeferredTriggers,
  firstNonEmptyTable,
  insertTableJson,
  listCommuneHeads,
  listTables,
  publicTableCount,
  readTableJson,
  resetSequences,
  truncateAll,
} from "./repo.ts";

/**
 * Tables kept by triggers from the others (`drizzle/0006`): carried in the backup like every table,
 * but on restore rebuilt by the same triggers as the rows they derive from are loaded.
 */
const DERIVED_TABLES = new Set(["resident_facts", "household_facts", "field_changes"]);

/**
 * Carried but not restored: what the field app's phones last downloaded (their sync cursors). Its
 * change marks are transaction ids of the database the backup came from, meaningless in the restored
 * one, so every phone downloads its work set in full after a restore instead of missing changes.
 */
const RESET_TABLES = new Set(["field_sync_states"]);

/** Tables a freshly started, never used installation already fills: they do not make it "hold data". */
const STARTUP_TABLES = new Set(["communes", "setup_tokens", ...DERIVED_TABLES]);

/** Rows per INSERT on restore, and bytes of JSON at most (PGlite aborts on very large statements). */
const RESTORE_CHUNK_ROWS = 100;
const RESTORE_CHUNK_BYTES = 1 << 20;

type Journal = { entries: { when: number; tag: string }[] };

function journal(): Journal {
  return JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as Journal;
}

function schemaOf(applied: number[]): BackupSchema {
  const tags = new Map(journal().entries.map((e) => [e.when, e.tag]));
  const last = applied.at(-1);
  return { migrations: applied, tag: last === undefined ? "-" : (tags.get(last) ?? String(last)) };
}

/**
 * Every table of the installation as of one instant: one REPEATABLE READ, read-only transaction
 * (on PGlite the transaction also holds the only connection, so no write lands in the middle).
 */
export async function takeSnapshot(opts: { database: Database }): Promise<Snapshot> {
  const { database } = opts;
  return database.db.transaction(
    async (tx) => {
      const applied = await appliedMigrations(tx);
      const communes = await listCommuneHeads(tx);
      const tables = await listTables(tx);
      const parts: string[] = [];
      let rows = 0;
      for (const table of tables) {
        const lines = await readTableJson(tx, table);
        parts.push(JSON.stringify({ table: table.name, columns: table.columns, rows: lines.length }));
        for (const l of lines) parts.push(l);
        rows += lines.length;
      }
      const body = Buffer.from(`${parts.join("\n")}\n`, "utf8");
      return {
        createdAt: now().toISOString(),
        database: database.kind,
        schema: schemaOf(applied),
        communes,
        tables: tables.length,
        rows,
        body,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Writes `bytes` to `file` through a temporary name in the same folder, flushed, then renamed: a
 * failure (disk full, permission) leaves no half-written file under the final name.
 */
export function writeFileAtomic(file: string, bytes: Buffer): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const fd = fs.openSync(tmp, "wx", 0o600);
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new AppError("internal", {
      message: msg("backup.write_failed", { file, detail: (err as Error).message }),
    });
  }
}

/** A snapshot sealed (gzipped, encrypted with `key` if given) and written to `file` atomically. */
export async function writeBackup(opts: { snapshot: Snapshot; file: string; key: string | undefined }) {
  const bytes = await sealBackup(opts.snapshot, opts.key);
  writeFileAtomic(opts.file, bytes);
  return { bytes: bytes.length };
}

export type RestoreResult = {
  header: BackupHeader;
  rows: number;
  from: string;
  to: string;
  /** Residents erased on request after the backup was taken, erased again (see `reapplyErasures`). */
  reErased: number;
};

/** Splits the body into its tables' sections: columns and the rows' JSON texts. */
function sections(body: Buffer): Map<string, { columns: string[]; rows: string[] }> {
  const out = new Map<string, { columns: string[]; rows: string[] }>();
  const lines = body.toString("utf8").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++]!;
    if (!line) continue;
    const head = JSON.parse(line) as { table: string; columns: string[]; rows: number };
    out.set(head.table, { columns: head.columns, rows: lines.slice(i, i + head.rows) });
    i += head.rows;
  }
  return out;
}

export type CheckedBackup = { file: string; header: BackupHeader; body: Buffer };

/**
 * Opens and checks a backup file before any database is touched: the checksum, the key (missing or
 * wrong), and that its schema is one this version knows (the same migrations, maybe fewer).
 */
export async function checkBackup(opts: {
  file: string;
  bytes: Buffer;
  key: string | undefined;
}): Promise<CheckedBackup> {
  const { file } = opts;
  const { header, body } = await openBackup(file, opts.bytes, opts.key);
  const code = readMigrationFiles({ migrationsFolder });
  const backupMigrations = header.schema.migrations;
  if (
    backupMigrations.length > code.length ||
    backupMigrations.some((when, i) => code[i]!.folderMillis !== when)
  )
    throw new AppError("conflict", {
      message: msg("backup.newer_schema", {
        file,
        schema: header.schema.tag,
        known: schemaOf(code.map((m) => m.folderMillis)).tag,
      }),
    });
  return { file, header, body };
}

/**
 * Rebuilds the installation in `database` from a backup file, all or nothing (one transaction):
 * the schema at the backup's version, every row with its id, the sequences past them, the derived
 * facts rebuilt by their triggers, then the migrations the backup predates. Refuses, changing
 * nothing: a truncated or altered file, a missing or wrong key, a newer schema, a database that
 * already holds data (unless `replace`).
 */
export async function restoreBackup(opts: {
  database: Database;
  backup: CheckedBackup;
  replace: boolean;
  actor?: Actor;
}): Promise<RestoreResult> {
  const { database } = opts;
  const { header, body, file } = opts.backup;
  const code = readMigrationFiles({ migrationsFolder });
  const k = header.schema.migrations.length;
  const codeSchema = schemaOf(code.map((m) => m.folderMillis));
  const db = database.db;
  const applied = await appliedMigrations(db);
  if (applied.length > code.length || applied.some((when, i) => code[i]!.folderMillis !== when))
    throw new AppError("conflict", { message: msg("backup.database_newer") });
  const existing = (await publicTableCount(db)) > 0;
  if (existing && !opts.replace) {
    const names = (await listTables(db)).map((t) => t.name).filter((n) => !STARTUP_TABLES.has(n));
    const found = await firstNonEmptyTable(db, names);
    if (found)
      throw new AppError("conflict", {
        message: msg("backup.not_empty", {
          location: database.location,
          table: found.table,
          rows: found.rows,
        }),
      });
  }
  const data = sections(body);
  let rows = 0;
  let reErased = 0;
  await db.transaction(async (tx: Db) => {
    // The erasures the database being replaced knows of: a backup older than them must not bring
    // the erased people back.
    const erasures = existing ? await erasuresOf(tx) : [];
    const sameVersion = applied.length === k && existing;
    if (sameVersion) {
      await truncateAll(
        tx,
        (await listTables(tx)).map((t) => t.name),
      );
    } else {
      if (existing || applied.length) await dropSchema(tx);
      for (const m of code.slice(0, k)) await applyMigration(tx, m);
    }
    for (const table of await listTables(tx)) {
      if (DERIVED_TABLES.has(table.name) || RESET_TABLES.has(table.name)) continue;
      const section = data.get(table.name);
      if (!section?.rows.length) continue;
      const target = new Set(table.columns);
      const columns = section.columns.filter((c) => target.has(c));
      let chunk: string[] = [];
      let bytes = 0;
      const flush = async () => {
        if (!chunk.length) return;
        await insertTableJson(tx, table, columns, `[${chunk.join(",")}]`);
        rows += chunk.length;
        chunk = [];
        bytes = 0;
      };
      for (const r of section.rows) {
        chunk.push(r);
        bytes += r.length;
        if (chunk.length >= RESTORE_CHUNK_ROWS || bytes >= RESTORE_CHUNK_BYTES) await flush();
      }
      await flush();
    }
    await resetSequences(tx);
    // The rows just written leave deferred trigger events (data versions, migration 0008) that
    // would refuse a later migration's ALTER TABLE: fire them now.
    if (k < code.length) await fireDeferredTriggers(tx);
    for (const m of code.slice(k)) await applyMigration(tx, m);
    reErased = await reapplyErasures(tx, erasures, opts.actor ?? cliActor(null));
    if (opts.actor)
      await recordAudit(tx, opts.actor, {
        action: "backup.restore",
        entity: "installation",
        after: {
          file: path.basename(file),
          createdAt: header.createdAt,
          schema: header.schema.tag,
          rows,
          reErased,
        },
      });
  });
  return { header, rows, from: header.schema.tag, to: codeSchema.tag, reErased };
}

/** The bytes of a backup file, or a clear message when it cannot be read. */
export function readBackupFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new AppError("bad_request", {
      message: msg("backup.unreadable", { file, detail: (err as Error).message }),
    });
  }
}
