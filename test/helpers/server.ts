import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";
import { createTestDatabase, testDatabaseUrl } from "./db.ts";

/**
 * The real HTTP server on a free port: PGlite in a temporary folder, or a fresh database on
 * TEST_DATABASE_URL's server. For browser tests.
 */
export async function startTestServer() {
  let dropDatabase = async () => {};
  let databaseUrl: string | undefined;
  if (testDatabaseUrl) {
    const db = await createTestDatabase();
    databaseUrl = db.location;
    // The server opens its own pool; this handle only drops the database at the end.
    await db.migrate();
    dropDatabase = () => db.close();
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdhvs-e2e-"));
  const config = loadConfig({ LOG_LEVEL: "silent", HOST: "127.0.0.1" }, { port: 0, dataDir, databaseUrl });
  let setupLink = "";
  const server = await startServer({
    config,
    logger: pino({ level: "silent" }),
    onSetupLink: (url) => {
      setupLink = url;
    },
  });
  return {
    ...server,
    setupLink: () => setupLink,
    async stop() {
      await server.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
