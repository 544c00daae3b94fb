import type { Db } from "../../db/client.ts";
import type { Versions } from "../../db/data-version.ts";
import { now as clockNow } from "../../lib/clock.ts";
import { randomToken, sha256 } from "../../lib/crypto.ts";
import { AppError, type FieldErrors, forbidden, msg, validationError } from "../../lib/errors.ts";
import { fieldErrorsOf } from "../../lib/validation.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { renameCommune } from "../communes/service.ts";
import { USER_FIELD_LABELS, ZCreateUser } from "../users/schema.ts";
import { createUser } from "../users/service.ts";
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.ts";
import { TOTP_ROLES } from "./policy.ts";
import {
  type AuthUser,
  clearLoginFailures,
  countAdmins,
  deleteApiToken,
  deleteExpiredSessions,
  deleteOldLoginFailures,
  deleteSession,
  deleteSessionsOfUser,
  findAuthUserById,
  findAuthUserByUsername,
  findKeptSession,
  findLiveApiToken,
  findLiveSetupToken,
  findSessionWithUser,
  insertApiToken,
  insertLoginFailures,
  insertSession,
  insertSetupToken,
  keepSession,
  markSessionMfaPassed,
  markSetupTokensUsed,
  recentLoginFailures,
  type SessionRow,
  setPasswordHash,
  setTotp,
  touchSession,
} from "./repo.ts";
import { checkTotp, newTotpSecret } from "./totp.ts";
import { type Viewer, viewerOf } from "./viewer.ts";

export type AuthSettings = {
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  apiTokenHours: number;
};

/** Failed sign-ins allowed per account, and per client address, within the window. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_ACCOUNT_FAILURES = 5;
export const MAX_IP_FAILURES = 20;

const MINUTE = 60_000;

type Client = { ip: string | null; requestId: string | null };

function actorFor(
  user: { id: number; communeId: number; username: string } | null,
  client: Client,
  username = "",
): Actor {
  return {
    communeId: user?.communeId ?? null,
    userId: user?.id ?? null,
    username: user?.username ?? username,
    requestId: client.requestId,
    ip: client.ip,
  };
}

function normalizeUsername(username: string) {
  return username.trim().toLowerCase();
}

/** The failures of one account from one address: only they lock the account for that address. */
const accountFromKey = (username: string, ip: string) => `user-ip:${username}|${ip}`;

/**
 * Throws `rate_limited` when the account or the address has failed too often lately. An account
 * locked by failures (five wrong passwords from anywhere) stays open to an address that has not
 * failed on it: anyone could otherwise lock anyone out, the administrator included, by typing
 * wrong passwords. Guessing stays bounded by the per-address limit, and by the lock of each
 * address that failed on the account.
 */
async function assertNotLocked(db: Db, username: string, ip: string | null, now: Date) {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * MINUTE);
  const checks: [string, number, "auth.locked_account" | "auth.locked_ip"][] = [];
  if (ip) checks.push([`ip:${ip}`, MAX_IP_FAILURES, "auth.locked_ip"]);
  const account = await recentLoginFailures(db, `user:${username}`, since);
  if (account.n >= MAX_ACCOUNT_FAILURES) {
    // Locked for the addresses that failed on it (for all, when the address is unknown).
    checks.push([
      ip ? accountFromKey(username, ip) : `user:${username}`,
      ip ? 1 : MAX_ACCOUNT_FAILURES,
      "auth.locked_account",
    ]);
  }
  for (const [key, max, message] of checks) {
    const { n, oldest } = await recentLoginFailures(db, key, since);
    if (n >= max && oldest) {
      const retryAfter = Math.max(
        1,
        Math.ceil((oldest.getTime() + LOGIN_WINDOW_MINUTES * MINUTE - now.getTime()) / 1000),
      );
      throw new AppError("rate_limited", {
        message: msg(message, { minutes: Math.ceil(retryAfter / 60) }),
        retryAfter,
      });
    }
  }
}

async function recordFailure(
  db: Db,
  opts: { username: string; user: AuthUser | undefined; client: Client; now: Date; reason: string },
) {
  const keys = [`user:${opts.username}`];
  if (opts.client.ip) keys.push(`ip:${opts.client.ip}`, accountFromKey(opts.username, opts.client.ip));
  await insertLoginFailures(db, keys, opts.user?.communeId ?? null, opts.now);
  // The failure that locks an account is told to the administrators (the audit trail, and the
  // account's own page): someone may be guessing, or locking the owner out.
  const since = new Date(opts.now.getTime() - LOGIN_WINDOW_MINUTES * MINUTE);
  if (
    opts.user &&
    (await recentLoginFailures(db, `user:${opts.username}`, since)).n === MAX_ACCOUNT_FAILURES
  ) {
    await recordAudit(db, actorFor(opts.user, opts.client, opts.username), {
      action: "login.account_locked",
      entity: "user",
      entityId: opts.user.id,
      after: { username: opts.username, failures: MAX_ACCOUNT_FAILURES, minutes: LOGIN_WINDOW_MINUTES },
    });
  }
  await recordAudit(db, actorFor(opts.user ?? null, opts.client, opts.username), {
    action: "login.failed",
    entity: "user",
    entityId: opts.user?.id ?? null,
    after: { username: opts.username, reason: opts.reason },
  });
}

/**
 * Checks a username and password, with the rate limit. Returns the account;
 * throws `unauthenticated` (same message whether the account exists or not) or `rate_limited`.
 */
export async function verifyCredentials(opts: {
  db: Db;
  username: string;
  password: string;
  client: Client;
  now?: Date;
}): Promise<AuthUser> {
  const now = opts.now ?? clockNow();
  const username = normalizeUsername(opts.username);
  await assertNotLocked(opts.db, username, opts.client.ip, now);
  const user = username ? await findAuthUserByUsername(opts.db, username) : undefined;
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), opts.password);
  if (!user || !ok) {
    await recordFailure(opts.db, {
      username,
      user,
      client: opts.client,
      now,
      reason: user ? "password" : "unknown_user",
    });
    throw new AppError("unauthenticated", { message: msg("auth.bad_credentials") });
  }
  if (user.disabledAt) {
    await recordFailure(opts.db, { username, user, client: opts.client, now, reason: "disabled" });
    throw new AppError("unauthenticated", { message: msg("auth.account_disabled") });
  }
  await clearLoginFailures(opts.db, `user:${username}`);
  return user;
}

export type StartedSession = { token: string; csrfToken: string; mfaPending: boolean; user: AuthUser };

/** Signs in with a password: a new session, waiting for the TOTP code when the account has one. */
export async function login(opts: {
  db: Db;
  username: string;
  password: string;
  client: Client;
  settings: AuthSettings;
  now?: Date;
}): Promise<StartedSession> {
  const now = opts.now ?? clockNow();
  const user = await verifyCredentials({ ...opts, now });
  const mfaPending = user.totpEnabled && !!user.totpSecret;
  const token = randomToken();
  const csrfToken = randomToken();
  await opts.db.transaction(async (tx) => {
    await insertSession(
      tx,
      {
        id: sha256(token),
        communeId: user.communeId,
        userId: user.id,
        csrfToken,
        mfaPassed: !mfaPending,
        expiresAt: new Date(now.getTime() + opts.settings.sessionAbsoluteHours * 60 * MINUTE),
      },
      now,
    );
    await recordAudit(tx, actorFor(user, opts.client), {
      action: mfaPending ? "login.password_ok" : "login.success",
      entity: "user",
      entityId: user.id,
    });
  });
  // Housekeeping, cheap with the indexes: old sessions and failures go.
  await deleteExpiredSessions(
    opts.db,
    now,
    new Date(now.getTime() - opts.settings.sessionIdleMinutes * MINUTE),
  );
  await deleteOldLoginFailures(opts.db, new Date(now.getTime() - 24 * 60 * MINUTE));
  return { token, csrfToken, mfaPending, user };
}

/** The second step of a sign-in with TOTP. A wrong code counts as a failed sign-in. */
export async function completeTotpLogin(opts: {
  db: Db;
  session: SessionRow;
  code: string;
  client: Client;
  now?: Date;
}): Promise<void> {
  const now = opts.now ?? clockNow();
  const user = await findAuthUserById(opts.db, opts.session.userId);
  if (!user?.totpSecret) throw new AppError("unauthenticated", { message: msg("auth.session_expired") });
  await assertNotLocked(opts.db, user.username, opts.client.ip, now);
  if (!checkTotp(user.totpSecret, opts.code.trim())) {
    await recordFailure(opts.db, { username: user.username, user, client: opts.client, now, reason: "totp" });
    throw validationError({ code: msg("auth.totp_bad") });
  }
  await opts.db.transaction(async (tx) => {
    await markSessionMfaPassed(tx, opts.session.id);
    await clearLoginFailures(tx, `user:${user.username}`);
    await recordAudit(tx, actorFor(user, opts.client), {
      action: "login.success",
      entity: "user",
      entityId: user.id,
    });
  });
}

export type SessionLookup =
  | { status: "ok"; viewer: Viewer; session: SessionRow; versions: Versions }
  | { status: "mfa_pending"; session: SessionRow }
  | { status: "expired" }
  | { status: "none" };

/** Finds the session of a cookie value, ending it when idle or past its absolute expiry. */
export async function resolveSession(opts: {
  db: Db;
  token: string | undefined;
  settings: AuthSettings;
  now?: Date;
}): Promise<SessionLookup> {
  if (!opts.token) return { status: "none" };
  const now = opts.now ?? clockNow();
  const id = sha256(opts.token);
  // A session kept in this process serves while nothing it holds changed (its sessions version)
  // and no decision is due on it: every expiry and last-seen decision is made on the row read anew.
  const kept = await findKeptSession(
    opts.db,
    id,
    ({ session }) =>
      session.expiresAt.getTime() > now.getTime() && now.getTime() - session.lastSeenAt.getTime() <= MINUTE,
  );
  if (kept)
    return { status: "ok", viewer: viewerOf(kept.user!), session: kept.session, versions: kept.versions };
  const found = await findSessionWithUser(opts.db, id);
  if (!found) return { status: "expired" };
  const { session, user } = found;
  const idleLimit = session.lastSeenAt.getTime() + opts.settings.sessionIdleMinutes * MINUTE;
  if (session.expiresAt.getTime() <= now.getTime() || idleLimit <= now.getTime()) {
    await deleteSession(opts.db, session.id);
    return { status: "expired" };
  }
  if (!session.mfaPassed) return { status: "mfa_pending", session };
  if (!user || user.disabledAt) {
    await deleteSession(opts.db, session.id);
    return { status: "expired" };
  }
  // Writing on every request would be wasteful: a minute of precision is plenty for a 30-minute limit.
  const touched = now.getTime() - session.lastSeenAt.getTime() > MINUTE;
  if (touched) await touchSession(opts.db, session.id, now);
  // Only a session that serves is kept (a touch raises no version: migration 0023).
  keepSession(opts.db, { ...found, session: touched ? { ...session, lastSeenAt: now } : session });
  return { status: "ok", viewer: viewerOf(user), session, versions: found.versions };
}

export async function logout(opts: { db: Db; token: string; viewer: Viewer | undefined; client: Client }) {
  await opts.db.transaction(async (tx) => {
    await deleteSession(tx, sha256(opts.token));
    if (opts.viewer) {
      await recordAudit(tx, viewerActor(opts.viewer, opts.client), {
        action: "logout",
        entity: "user",
        entityId: opts.viewer.userId,
      });
    }
  });
}

export function viewerActor(viewer: Viewer, client: Client): Actor {
  return {
    communeId: viewer.communeId,
    userId: viewer.userId,
    username: viewer.username,
    requestId: client.requestId,
    ip: client.ip,
  };
}

/** `POST /api/v1/auth/token`: a bearer token for the API. */
export async function issueApiToken(opts: {
  db: Db;
  username: string;
  password: string;
  totp?: string | undefined;
  client: Client;
  settings: AuthSettings;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> {
  const now = opts.now ?? clockNow();
  const user = await verifyCredentials({ ...opts, now });
  if (user.totpEnabled && user.totpSecret) {
    if (!opts.totp) throw new AppError("unauthenticated", { message: msg("auth.totp_required") });
    if (!checkTotp(user.totpSecret, opts.totp.trim())) {
      await recordFailure(opts.db, {
        username: user.username,
        user,
        client: opts.client,
        now,
        reason: "totp",
      });
      throw new AppError("unauthenticated", { message: msg("auth.totp_bad") });
    }
  }
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + opts.settings.apiTokenHours * 60 * MINUTE);
  await opts.db.transaction(async (tx) => {
    await insertApiToken(tx, { id: sha256(token), communeId: user.communeId, userId: user.id, expiresAt });
    await recordAudit(tx, actorFor(user, opts.client), {
      action: "api_token.issue",
      entity: "user",
      entityId: user.id,
    });
  });
  return { token, expiresAt };
}

export async function resolveApiToken(opts: { db: Db; token: string; now?: Date }): Promise<Viewer | null> {
  const row = await findLiveApiToken(opts.db, sha256(opts.token), opts.now ?? clockNow());
  if (!row) return null;
  const user = await findAuthUserById(opts.db, row.userId);
  if (!user) return null;
  // A phone still holding the token of an account disabled since: say so (its queued writes are
  // refused with this reason and kept), rather than asking to sign in again.
  if (user.disabledAt) throw forbidden(msg("auth.account_disabled"));
  return viewerOf(user);
}

export async function revokeApiToken(opts: { db: Db; token: string; viewer: Viewer; client: Client }) {
  await opts.db.transaction(async (tx) => {
    await deleteApiToken(tx, sha256(opts.token));
    await recordAudit(tx, viewerActor(opts.viewer, opts.client), {
      action: "api_token.revoke",
      entity: "user",
      entityId: opts.viewer.userId,
    });
  });
}

// --- own account ------------------------------------------------------------

export function checkNewPassword(password: string, confirm: string | undefined, field = "password") {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw validationError({ [field]: msg("v.password_weak", { min: MIN_PASSWORD_LENGTH }) });
  }
  if (confirm !== undefined && password !== confirm) {
    throw validationError({ password_confirm: msg("v.password_mismatch") });
  }
}

/** Changes one's own password; every session of the account ends (the caller signs in again). */
export async function changeOwnPassword(opts: {
  db: Db;
  viewer: Viewer;
  current: string;
  password: string;
  confirm: string;
  client: Client;
}) {
  const user = await findAuthUserById(opts.db, opts.viewer.userId);
  if (!user || !(await verifyPassword(user.passwordHash, opts.current))) {
    throw validationError({ current: msg("v.password_wrong") });
  }
  checkNewPassword(opts.password, opts.confirm);
  const passwordHash = await hashPassword(opts.password);
  await opts.db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    await deleteSessionsOfUser(tx, user.id);
    await recordAudit(tx, viewerActor(opts.viewer, opts.client), {
      action: "user.password_change",
      entity: "user",
      entityId: user.id,
    });
  });
}

function assertTotpRole(viewer: Viewer) {
  if (!TOTP_ROLES.includes(viewer.role)) {
    throw new AppError("forbidden", { message: msg("account.totp_not_for_role") });
  }
}

/** Starts TOTP enrolment: a new secret, not yet active. Returns it for the QR code. */
export async function beginTotpEnrolment(opts: { db: Db; viewer: Viewer }): Promise<string> {
  assertTotpRole(opts.viewer);
  const user = await findAuthUserById(opts.db, opts.viewer.userId);
  if (user?.totpEnabled) throw new AppError("conflict", { message: msg("account.totp_on") });
  if (user?.totpSecret) return user.totpSecret;
  const secret = newTotpSecret();
  await setTotp(opts.db, opts.viewer.userId, secret, false);
  return secret;
}

export async function confirmTotpEnrolment(opts: { db: Db; viewer: Viewer; code: string; client: Client }) {
  assertTotpRole(opts.viewer);
  const user = await findAuthUserById(opts.db, opts.viewer.userId);
  if (!user?.totpSecret || user.totpEnabled)
    throw new AppError("conflict", { message: msg("error.bad_request") });
  if (!checkTotp(user.totpSecret, opts.code.trim())) throw validationError({ code: msg("auth.totp_bad") });
  await opts.db.transaction(async (tx) => {
    await setTotp(tx, user.id, user.totpSecret, true);
    await recordAudit(tx, viewerActor(opts.viewer, opts.client), {
      action: "user.totp_enable",
      entity: "user",
      entityId: user.id,
      before: { totpEnabled: false },
      after: { totpEnabled: true },
    });
  });
}

export async function disableTotp(opts: {
  db: Db;
  viewer: Viewer;
  password: string;
  code: string;
  client: Client;
}) {
  const user = await findAuthUserById(opts.db, opts.viewer.userId);
  if (!user?.totpEnabled || !user.totpSecret) return;
  if (!(await verifyPassword(user.passwordHash, opts.password))) {
    throw validationError({ current: msg("v.password_wrong") });
  }
  if (!checkTotp(user.totpSecret, opts.code.trim())) throw validationError({ code: msg("auth.totp_bad") });
  await opts.db.transaction(async (tx) => {
    await setTotp(tx, user.id, null, false);
    await recordAudit(tx, viewerActor(opts.viewer, opts.client), {
      action: "user.totp_disable",
      entity: "user",
      entityId: user.id,
      before: { totpEnabled: true },
      after: { totpEnabled: false },
    });
  });
}

// --- first run ---------------------------------------------------------------

const SETUP_HOURS = 24;

/** A one-time setup link's token, when the commune has no administrator yet; otherwise null. */
export async function createSetupToken(opts: {
  db: Db;
  communeId: number;
  now?: Date;
}): Promise<string | null> {
  if ((await countAdmins(opts.db, opts.communeId)) > 0) return null;
  const now = opts.now ?? clockNow();
  const token = randomToken();
  await insertSetupToken(opts.db, {
    id: sha256(token),
    communeId: opts.communeId,
    expiresAt: new Date(now.getTime() + SETUP_HOURS * 60 * MINUTE),
  });
  return token;
}

/** The commune a live setup token is for, or null (unknown, used, expired, or an admin exists). */
export async function checkSetupToken(opts: { db: Db; token: string; now?: Date }): Promise<number | null> {
  if (!opts.token) return null;
  const row = await findLiveSetupToken(opts.db, sha256(opts.token), opts.now ?? clockNow());
  if (!row) return null;
  if ((await countAdmins(opts.db, row.communeId)) > 0) return null;
  return row.communeId;
}

export async function useSetupToken(db: Db, communeId: number) {
  await markSetupTokensUsed(db, communeId, clockNow());
}

/**
 * First run: the one-time link creates the commune's first administrator (and may correct
 * the commune's name). Everything in one transaction; the link is spent.
 */
export async function createFirstAdmin(opts: {
  db: Db;
  token: string;
  input: {
    communeName: string;
    province: string;
    displayName: string;
    username: string;
    password: string;
    password_confirm: string;
  };
  client: Client;
}): Promise<void> {
  const communeId = await checkSetupToken({ db: opts.db, token: opts.token });
  if (communeId === null) throw new AppError("forbidden", { message: msg("setup.invalid_link") });
  // Every mistake at once, in the form's order (GOV.UK error summary): the commune's fields, the
  // account's (the same schema createUser applies) and the repeated password.
  const account = { ...opts.input, role: "admin" };
  const parsed = ZCreateUser.safeParse(account);
  const accountErrors = parsed.success ? {} : fieldErrorsOf(parsed.error.issues, USER_FIELD_LABELS, account);
  const found: FieldErrors = {
    ...(opts.input.communeName.trim()
      ? {}
      : { communeName: msg("v.required", { field: { key: "field.commune_name" } }) }),
    ...(opts.input.province.trim()
      ? {}
      : { province: msg("v.required", { field: { key: "field.province" } }) }),
    ...accountErrors,
  };
  if (!found.password && opts.input.password !== opts.input.password_confirm)
    found.password_confirm = msg("v.password_mismatch");
  const order = ["communeName", "province", "displayName", "username", "password", "password_confirm"];
  const fields: FieldErrors = {};
  for (const name of [...order, ...Object.keys(found)])
    if (found[name] && !fields[name]) fields[name] = found[name];
  if (Object.keys(fields).length > 0) throw validationError(fields);
  const actor: Actor = {
    communeId,
    userId: null,
    username: "setup",
    requestId: opts.client.requestId,
    ip: opts.client.ip,
  };
  await opts.db.transaction(async (tx) => {
    // Re-checked inside the transaction: two tabs cannot both create an administrator.
    if ((await countAdmins(tx, communeId)) > 0)
      throw new AppError("forbidden", { message: msg("setup.invalid_link") });
    await createUser({
      db: tx,
      actor,
      scope: { kind: "commune", communeId },
      communeId,
      input: {
        username: opts.input.username,
        displayName: opts.input.displayName,
        role: "admin",
        password: opts.input.password,
      },
    });
    await renameCommune({
      db: tx,
      actor,
      communeId,
      name: opts.input.communeName,
      province: opts.input.province,
    });
    await useSetupToken(tx, communeId);
  });
}
