import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, migrationsFolder, openDatabase } from "../../src/db/client.ts";

/** The PostgreSQL server of the second test pass (`TEST_DATABASE_URL`), or undefined for PGlite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

function migrationsHash(): string {
  const h = createHash("sha256");
  for (const f of fs.readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    const full = path.join(migrationsFolder, f);
    if (fs.statSync(full).isFile()) h.update(f).update(fs.readFileSync(full));
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * A migrated PGlite data folder as a tarball, built once per set of migrations and reused:
 * starting PGlite from it takes well under a second, against several for initdb + migrations.
 */
export async function pgliteTemplatePath(): Promise<string> {
  const file = path.join(os.tmpdir(), `bdhvs-test-template-${migrationsHash()}.tar`);
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({});
  await database.migrate();
  const blob = await database.dump!();
  await database.close();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(tmp, file);
  return file;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a new database on the
 * PostgreSQL server of TEST_DATABASE_URL (dropped again by `close()`).
 */
export async function createTestDatabase(): Promise<Database> {
  if (!testDatabaseUrl) {
    const template = new Blob([fs.readFileSync(await pgliteTemplatePath())]);
    return openDatabase({ template });
  }
  const { database, url } = await createScratchPostgres("bdhvs_t");
  await database.migrate();
  return { ...database, location: url };
}

/**
 * A new, empty database on the PostgreSQL server of TEST_DATABASE_URL, under a name starting with
 * `prefix`; its `close()` drops it again. `url` is its address, password and all.
 */
export async function createScratchPostgres(prefix: string): Promise<{ database: Database; url: string }> {
  if (!testDatabaseUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  const close = database.close.bind(database);
  return {
    database: {
      ...database,
      async close() {
        await close();
        const a = new pg.Client({ connectionString: testDatabaseUrl });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    },
    url: url.toString(),
  };
}
