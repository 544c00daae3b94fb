import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { createApp } from "./app.tsx";
import { openAppDatabase } from "./app-database.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { openReplica, type Replica } from "./db/replica.ts";
import { cliActor } from "./features/audit/service.ts";
import { createSetupToken } from "./features/auth/service.ts";
import { startBackupChannel } from "./features/backup/channel.ts";
import { startBackupSchedule } from "./features/backup/schedule.ts";
import { ensureDefaultCommune } from "./features/communes/service.ts";
import { createDemoCommune } from "./features/demo/service.ts";
import { jobsOfDeps } from "./features/imports/routes.tsx";
import type { ImportKindName } from "./features/imports/types.ts";
import { currentPlan } from "./features/indicators/plan.ts";
import { currentContent } from "./features/public/content.ts";
import { nowMs } from "./lib/clock.ts";
import { AppError } from "./lib/errors.ts";
import { heapGrowingPercentFor, limitHeapGrowth } from "./lib/memory.ts";
import type { Deps } from "./web/context.ts";
import { isWholeAnswer } from "./web/whole-answer.ts";

export type RunningServer = { url: string; port: number; database: Database; close(): Promise<void> };

export { openAppDatabase };

export function depsOf(database: Database, config: Config, logger: Logger, replica?: Replica): Deps {
  return {
    database,
    db: database.db,
    readDb: replica?.db ?? database.db,
    config,
    logger,
    auth: {
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionAbsoluteHours: config.sessionAbsoluteHours,
      apiTokenHours: config.apiTokenHours,
    },
  };
}

/**
 * Pages and JSON answers leave in one write, head and body together (downloads still stream): a
 * process killed once it began answering has then either answered whole or not at all, and nginx
 * sends an idempotent request that got no answer to another process (docs/operations.md, "Several
 * app processes"). A streamed page whose head went first could be cut mid-body, which no proxy can
 * retry.
 */
export function wholeAnswers<A extends unknown[]>(
  fetch: (req: Request, ...rest: A) => Response | Promise<Response>,
): (req: Request, ...rest: A) => Promise<Response> {
  return async (req, ...rest) => {
    const res = await fetch(req, ...rest);
    if (isWholeAnswer(res)) return res; // a page as one string: written whole as it is
    const type = res.headers.get("content-type") ?? "";
    if (!res.body || !/^(text\/html|application\/json)/.test(type)) return res;
    const body = new Uint8Array(await res.arrayBuffer());
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/**
 * Starts the HTTP server. On a commune with no administrator yet, `onSetupLink` receives a
 * one-time link that creates the first one. `close()` stops taking connections, lets requests
 * in flight finish, then closes the database.
 */
export async function startServer(opts: {
  config: Config;
  logger: Logger;
  onSetupLink?: (url: string) => void;
  /** `--demo`: fill an empty commune with the synthetic demo commune first (reports each step). */
  demo?: ((kind: ImportKindName) => void) | undefined;
}): Promise<RunningServer> {
  const { config, logger } = opts;
  currentPlan(); // a malformed plan file stops the start with a message naming the file and line
  currentContent(config.contentDir); // so does a malformed content file of the public pages
  const database = await openAppDatabase(config, { pgliteThread: "own" });
  limitHeapGrowth(heapGrowingPercentFor(database.kind, config.heapGrowingPercent));
  if (opts.demo) {
    const commune = await ensureDefaultCommune({ db: database.db, commune: config.commune });
    try {
      await createDemoCommune({
        db: database.db,
        communeId: commune.id,
        actor: cliActor(commune.id),
        onStep: opts.demo,
      });
    } catch (err) {
      // Already filled (by an earlier --demo or real data): serve what is there.
      if (!(err instanceof AppError && err.code === "conflict")) {
        await database.close();
        throw err;
      }
    }
  }
  // PGlite runs no autovacuum: refresh the planner's statistics once at start (imports refresh
  // those of the tables they write), or the indicator queries can take nested-loop plans; and the
  // visibility map, without which an index-only scan (a list page's ids in name order) reads the
  // table row of every entry it passes. Vacuum and analyze together cost what analyze alone did.
  if (database.kind === "pglite") await database.db.execute(sql`vacuum analyze`);
  const replica =
    config.databaseReplicaUrl && database.pool
      ? openReplica(config.databaseReplicaUrl, database.pool, { now: nowMs })
      : undefined;
  if (config.databaseReplicaUrl && !replica)
    logger.warn("DATABASE_REPLICA_URL is ignored: it needs DATABASE_URL (a PostgreSQL primary)");
  const deps = depsOf(database, config, logger, replica);
  // Jobs a dead process left running are failed with a message (PostgreSQL: once their lease ran out).
  await jobsOfDeps(deps).recover({ atStart: true });
  const app = createApp(deps);

  const server = serve({ fetch: wholeAnswers(app.fetch), port: config.port, hostname: config.host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  } catch (err) {
    await database.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const baseUrl = (config.baseUrl ?? `http://localhost:${port}`).replace(/\/$/, "");

  // The embedded database is this process's alone: `bdhvs backup` and `bdhvs user` ask it over a socket.
  const channel =
    database.kind === "pglite" && database.location !== "(memory)"
      ? await startBackupChannel({
          database,
          dataDir: config.dataDir,
          logger,
          // `bdhvs user …` while the server runs: the command runs here, on this process's database.
          user: async (body) => (await import("./cli/commands/user.ts")).answerUserChannel(database.db, body),
        })
      : undefined;
  const schedule = startBackupSchedule({ database, config, logger });

  const commune = await ensureDefaultCommune({ db: database.db, commune: config.commune });
  const setupToken = await createSetupToken({ db: database.db, communeId: commune.id });
  if (setupToken) opts.onSetupLink?.(`${baseUrl}/setup?token=${setupToken}`);

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    database,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections with no request in flight would hold close() open.
          if ("closeIdleConnections" in server) server.closeIdleConnections();
        });
        schedule.stop();
        await channel?.close();
        await replica?.close();
        await database.close();
      })();
      return closing;
    },
  };
}
