import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { openAppDatabase } from "../../src/app-database.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { communes } from "../../src/db/schema.ts";
import type { ImportKindName } from "../../src/features/imports/types.ts";
import { runBdhvs } from "./cli.ts";
import { createTestDatabase, testDatabaseUrl } from "./db.ts";
import { importSampleFiles } from "./sample.ts";

/** The database a CLI test's commands share: a data folder on PGlite, a database of its own on PostgreSQL. */
export type CliDatabase = {
  /** The test file's temporary folder (removed after it); on PGlite the data folder is `dir/data`. */
  dir: string;
  /** DATABASE_URL (PostgreSQL) or the data folder (PGlite), once the suite's before() has run. */
  target: { databaseUrl?: string | undefined; dataDir?: string | undefined };
  /** `bdhvs ARGS` on that database (`--data-dir` on PGlite, DATABASE_URL on PostgreSQL), `opts.env` added to its environment. */
  run: (
    args: string[],
    opts?: { input?: string; env?: Record<string, string> },
  ) => ReturnType<typeof runBdhvs>;
  /** The configuration a command would read, for setting data up in the test's own process. */
  config: () => Config;
};

/**
 * A database for the CLI tests of the current suite, made in its before() and dropped (with the
 * temporary folder) in its after(): a fresh PostgreSQL database with TEST_DATABASE_URL, else a
 * PGlite data folder that the commands create.
 */
export function useCliDatabase(prefix: string): CliDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const target: CliDatabase["target"] = {};
  let env: Record<string, string> = {};
  let args: string[] = [];
  let close = async () => {};
  before(async () => {
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      target.databaseUrl = database.location;
      env = { DATABASE_URL: database.location };
      close = () => database.close();
    } else {
      target.dataDir = path.join(dir, "data");
      args = ["--data-dir", target.dataDir];
    }
  });
  after(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    target,
    run: (a, opts = {}) => runBdhvs([...a, ...args], { ...env, ...opts.env }, { input: opts.input }),
    config: () =>
      target.databaseUrl
        ? loadConfig({ DATABASE_URL: target.databaseUrl, LOG_LEVEL: "silent" })
        : loadConfig({ LOG_LEVEL: "silent" }, { dataDir: target.dataDir! }),
  };
}

/** Imports sample files (`[kind, file]`) into the first commune of the CLI test's database, in this process. */
export async function importSample(
  cli: CliDatabase,
  files: readonly (readonly [ImportKindName, string])[],
  today: string,
): Promise<void> {
  const database = await openAppDatabase(cli.config());
  try {
    const [commune] = await database.db.select({ id: communes.id }).from(communes);
    await importSampleFiles(database.db, commune!.id, files, today);
  } finally {
    await database.close();
  }
}
