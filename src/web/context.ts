import type { Context } from "hono";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Database, Db } from "../db/client.ts";
import type { Versions } from "../db/data-version.ts";
import type { Actor } from "../features/audit/service.ts";
import type { SessionRow } from "../features/auth/repo.ts";
import type { AuthSettings } from "../features/auth/service.ts";
import type { Viewer } from "../features/auth/viewer.ts";
import { AppError, msg } from "../lib/errors.ts";
import type { Lang, T } from "../lib/i18n/index.ts";

/** What the app is built from: one per process. */
export type Deps = {
  database: Database;
  db: Db;
  /**
   * Where read-only requests read (see web/read-db.ts): the read replica (DATABASE_REPLICA_URL),
   * or `db` when there is none.
   */
  readDb: Db;
  config: Config;
  logger: Logger;
  auth: AuthSettings;
};

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    log: Logger;
    lang: Lang;
    t: T;
    clientIp: string | null;
    /** The signed-in user, when there is one. */
    viewer: Viewer | undefined;
    session: SessionRow | undefined;
    /**
     * The viewer's commune's data versions, read with the session (auth/repo.ts): what this
     * request may key kept answers by (the header's commune); read before anything it serves.
     */
    versions: Versions | undefined;
    /** The CSRF token forms of this response carry. */
    csrfToken: string;
    /** How the session ended, when it just did. */
    sessionState: "ok" | "none" | "expired" | "mfa_pending";
  };
};

export function actorOf(viewer: Viewer, vars: { requestId: string; clientIp: string | null }): Actor {
  return {
    communeId: viewer.communeId,
    userId: viewer.userId,
    username: viewer.username,
    requestId: vars.requestId,
    ip: vars.clientIp,
  };
}

/** Who asks and where the answer is shown, for a list service that audits unmasked values. */
export function auditOf(c: Context<AppEnv>, source: string): { actor: Actor; source: string } {
  const viewer = c.var.viewer;
  if (!viewer) throw new AppError("unauthenticated", { message: msg("error.unauthenticated") });
  return { actor: actorOf(viewer, c.var), source };
}
