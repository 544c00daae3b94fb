import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { ensureDefaultCommune } from "./features/communes/service.ts";

/**
 * Opens (and migrates) the database of a configuration, with the installation's first commune.
 * Apart from server.ts so that CLI commands open the database without loading the web app.
 * PGlite runs in the caller's thread unless asked (a one-shot command gains nothing from a thread
 * of its own and would pay its start and memory); the server asks for its own thread.
 */
export async function openAppDatabase(
  config: Config,
  opts: { pgliteThread?: "own" | "caller" } = {},
): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    sqlStatsFile: config.sqlStatsFile,
    pgliteThread: opts.pgliteThread ?? "caller",
  });
  try {
    await database.migrate();
    await ensureDefaultCommune({ db: database.db, commune: config.commune });
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}
