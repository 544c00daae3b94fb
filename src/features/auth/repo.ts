import { and, asc, count, eq, gt, gte, isNull, lt, min, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  perDatabase,
  type Versions,
  versionColumns,
  versionsFrom,
  versionsOf,
} from "../../db/data-version.ts";
import * as rowKit from "../../db/rows.ts";
import {
  apiTokens,
  communes,
  loginFailures,
  sessions,
  setupTokens,
  users,
  userVillages,
} from "../../db/schema.ts";
import { now as clockNow } from "../../lib/clock.ts";
import type { Role } from "./policy.ts";

/** What authentication needs of an account, with its villages. */
export type AuthUser = {
  id: number;
  communeId: number;
  communeName: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  passwordHash: string;
  totpSecret: string | null;
  totpEnabled: boolean;
  disabledAt: Date | null;
  villageIds: number[];
};

const authUserColumns = {
  id: users.id,
  communeId: users.communeId,
  communeName: communes.name,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  unitId: users.unitId,
  passwordHash: users.passwordHash,
  totpSecret: users.totpSecret,
  totpEnabled: users.totpEnabled,
  disabledAt: users.disabledAt,
};

async function villageIdsOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .select({ villageId: userVillages.villageId })
    .from(userVillages)
    .where(eq(userVillages.userId, userId))
    .orderBy(asc(userVillages.villageId));
  return rows.map((r) => r.villageId);
}

export async function findAuthUserByUsername(db: Db, username: string): Promise<AuthUser | undefined> {
  const [row] = await db
    .select(authUserColumns)
    .from(users)
    .innerJoin(communes, eq(communes.id, users.communeId))
    .where(eq(users.username, username.toLowerCase()));
  if (!row) return undefined;
  return { ...row, villageIds: await villageIdsOf(db, row.id) };
}

export async function findAuthUserById(db: Db, id: number): Promise<AuthUser | undefined> {
  const [row] = await db
    .select(authUserColumns)
    .from(users)
    .innerJoin(communes, eq(communes.id, users.communeId))
    .where(eq(users.id, id));
  if (!row) return undefined;
  return { ...row, villageIds: await villageIdsOf(db, row.id) };
}

export async function setTotp(db: Db, userId: number, secret: string | null, enabled: boolean) {
  await db
    .update(users)
    .set({ totpSecret: secret, totpEnabled: enabled, updatedAt: clockNow() })
    .where(eq(users.id, userId));
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string) {
  const now = clockNow();
  await db
    .update(users)
    .set({ passwordHash, passwordChangedAt: now, updatedAt: now })
    .where(eq(users.id, userId));
}

// --- sessions ---------------------------------------------------------------

export type SessionRow = {
  id: string;
  communeId: number;
  userId: number;
  csrfToken: string;
  mfaPassed: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

const sessionColumns = {
  id: sessions.id,
  communeId: sessions.communeId,
  userId: sessions.userId,
  csrfToken: sessions.csrfToken,
  mfaPassed: sessions.mfaPassed,
  createdAt: sessions.createdAt,
  lastSeenAt: sessions.lastSeenAt,
  expiresAt: sessions.expiresAt,
};

/** A new session, created and last seen at `at` (the app's clock, not the database's). */
export async function insertSession(db: Db, row: Omit<SessionRow, "createdAt" | "lastSeenAt">, at: Date) {
  await db.insert(sessions).values({ ...row, createdAt: at, lastSeenAt: at });
}

export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select(sessionColumns).from(sessions).where(eq(sessions.id, id));
  return row;
}

/** A session with its user, and its commune's data versions read in the same statement. */
export type FoundSession = { session: SessionRow; user: AuthUser | undefined; versions: Versions };

/**
 * A session with its user (and the user's commune and villages) in one statement: every signed-in
 * request asks this first (three statements before). `user` is undefined when the account is gone.
 * The session's commune's data versions come in the same statement, so `versions.sessions` is the
 * version of exactly what was read (migration 0023) and keeps it (`keepSession`).
 */
export async function findSessionWithUser(db: Db, id: string): Promise<FoundSession | undefined> {
  const [row] = await db
    .select({
      session: sessionColumns,
      user: { ...authUserColumns },
      villageIds: sql<number[] | null>`(select array_agg(uv.village_id order by uv.village_id)
        from user_villages uv where uv.user_id = ${sessions.userId})`,
      versions: sql<Record<string, unknown> | string | null>`(select row_to_json(v) from (select
        ${versionColumns("d")} from data_versions d where d.commune_id = ${sessions.communeId}) v)`,
    })
    .from(sessions)
    .leftJoin(users, eq(users.id, sessions.userId))
    .leftJoin(communes, eq(communes.id, users.communeId))
    .where(eq(sessions.id, id));
  if (!row) return undefined;
  const user =
    row.user && row.user.id !== null
      ? { ...row.user, villageIds: (row.villageIds ?? []).map(Number) }
      : undefined;
  const versions = versionsFrom(
    typeof row.versions === "string" ? JSON.parse(row.versions) : (row.versions ?? undefined),
  );
  return { session: row.session, user: user as AuthUser | undefined, versions };
}

const KEPT_SESSIONS = 5000;

/** Sessions found, per database, by id: this process's memory of `findSessionWithUser`. */
const keptOf = perDatabase<FoundSession>();

/** Keeps a session found (its `versions.sessions` is what it is valid under); the oldest go first. */
export function keepSession(db: Db, found: FoundSession) {
  const kept = keptOf(db);
  kept.delete(found.session.id);
  kept.set(found.session.id, found);
  while (kept.size > KEPT_SESSIONS) kept.delete(kept.keys().next().value!);
}

export function forgetSession(db: Db, id: string) {
  keptOf(db).delete(id);
}

/**
 * The session kept in this process, if `usable` says it may serve and nothing it holds changed
 * since (its commune's sessions version unchanged: one small statement, whose versions come back
 * fresh for the rest of the request); undefined when it must be looked up again.
 */
export async function findKeptSession(
  db: Db,
  id: string,
  usable: (found: FoundSession) => boolean,
): Promise<FoundSession | undefined> {
  const found = keptOf(db).get(id);
  if (!found || !usable(found)) return undefined;
  const versions = await versionsOf(db, found.session.communeId);
  if (versions.sessions !== found.versions.sessions) {
    forgetSession(db, id);
    return undefined;
  }
  return { ...found, versions };
}

export async function touchSession(db: Db, id: string, at: Date) {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
}

export async function markSessionMfaPassed(db: Db, id: string) {
  await db.update(sessions).set({ mfaPassed: true }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Db, id: string) {
  await rowKit.deleteRowById(db, sessions, id);
}

export async function deleteSessionsOfUser(db: Db, userId: number) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
  await db.delete(apiTokens).where(eq(apiTokens.userId, userId));
}

export async function deleteExpiredSessions(db: Db, now: Date, idleBefore: Date) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  await db.delete(sessions).where(lt(sessions.lastSeenAt, idleBefore));
  await db.delete(apiTokens).where(lt(apiTokens.expiresAt, now));
}

// --- API tokens -------------------------------------------------------------

export async function insertApiToken(
  db: Db,
  row: { id: string; communeId: number; userId: number; expiresAt: Date },
) {
  await db.insert(apiTokens).values(row);
}

export async function findLiveApiToken(db: Db, id: string, now: Date) {
  const [row] = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId, expiresAt: apiTokens.expiresAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), gt(apiTokens.expiresAt, now)));
  return row;
}

export async function deleteApiToken(db: Db, id: string) {
  await rowKit.deleteRowById(db, apiTokens, id);
}

// --- login failures (rate limit) --------------------------------------------

export async function insertLoginFailures(db: Db, keys: string[], communeId: number | null, at: Date) {
  await db.insert(loginFailures).values(keys.map((key) => ({ key, communeId, at })));
}

/** Failures of a key since an instant, and the oldest of them. */
export async function recentLoginFailures(db: Db, key: string, since: Date) {
  const [row] = await db
    .select({ n: count(), oldest: min(loginFailures.at) })
    .from(loginFailures)
    .where(and(eq(loginFailures.key, key), gte(loginFailures.at, since)));
  return { n: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}

export async function clearLoginFailures(db: Db, key: string) {
  await db.delete(loginFailures).where(eq(loginFailures.key, key));
}

export async function deleteOldLoginFailures(db: Db, before: Date) {
  await db.delete(loginFailures).where(lt(loginFailures.at, before));
}

// --- first-run setup tokens -------------------------------------------------

export async function insertSetupToken(db: Db, row: { id: string; communeId: number; expiresAt: Date }) {
  await db.insert(setupTokens).values(row);
}

export async function findLiveSetupToken(db: Db, id: string, now: Date) {
  const [row] = await db
    .select({ id: setupTokens.id, communeId: setupTokens.communeId })
    .from(setupTokens)
    .where(and(eq(setupTokens.id, id), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)));
  return row;
}

export async function markSetupTokensUsed(db: Db, communeId: number, at: Date) {
  await db
    .update(setupTokens)
    .set({ usedAt: at })
    .where(and(eq(setupTokens.communeId, communeId), isNull(setupTokens.usedAt)));
}

export async function countAdmins(db: Db, communeId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.communeId, communeId), eq(users.role, "admin")));
  return row?.n ?? 0;
}
