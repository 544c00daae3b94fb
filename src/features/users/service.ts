import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { now } from "../../lib/clock.ts";
import { AppError, msg, notFound, validationError } from "../../lib/errors.ts";
import { parseInput } from "../../lib/validation.ts";
import { type Actor, recordAudit } from "../audit/service.ts";
import { hashPassword } from "../auth/password.ts";
import { type Role, type Scope, UNIT_OPTIONAL_ROLES, UNIT_ROLES, VILLAGE_ROLES } from "../auth/policy.ts";
import { deleteSessionsOfUser, setPasswordHash } from "../auth/repo.ts";
import * as kit from "../service-kit.ts";
import { findUnitByCode } from "../units/repo.ts";
import { findVillagesByCodes } from "../villages/repo.ts";
import {
  countActiveAdmins,
  findUserRow,
  findUserRowByUsername,
  insertUserRow,
  listUserRows,
  replaceUserVillages,
  type UserRow,
  updateUserRow,
  usernameExists,
} from "./repo.ts";
import { USER_FIELD_LABELS, ZCreateUser, ZPassword, ZUpdateUser } from "./schema.ts";

/** An account as pages, the API and the audit trail show it: never a hash or a secret. */
export type UserView = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  villages: string[];
  unit: string | null;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
};

export function presentUser(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    villages: row.villageCodes,
    unit: row.unitCode,
    totpEnabled: row.totpEnabled,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Who acts, and on which rows: a signed-in admin's, or the CLI's (its commune). `installation`: the
 * caller may create province admins (the CLI; a province admin creating a commune's first admin).
 */
export type UserCtx = { db: Db; actor: Actor; scope: Scope; communeId: number; installation?: boolean };

/** Only the CLI and a province admin make province admins (issue 18.1); a commune's admin cannot. */
function assertRoleAllowed(opts: UserCtx, role: Role) {
  if (role === "province_admin" && !opts.installation) throw validationError({ role: msg("v.role_invalid") });
}

export async function listUsers(
  opts: UserCtx & { role?: Role | undefined; page: number; pageSize: number },
): Promise<kit.ListPage<UserView>> {
  return kit.listPage(
    await listUserRows(opts.db, opts.scope, { role: opts.role }, kit.pageWindow(opts)),
    presentUser,
    opts,
  );
}

export async function getUser(opts: UserCtx & { id: number }): Promise<UserView> {
  const row = await findUserRow(opts.db, opts.scope, opts.id);
  if (!row) throw notFound();
  return presentUser(row);
}

export async function getUserByUsername(opts: UserCtx & { username: string }): Promise<UserView> {
  const row = await findUserRowByUsername(opts.db, opts.scope, opts.username.trim());
  if (!row) throw notFound();
  return presentUser(row);
}

/** Resolves and checks the villages / unit a role needs; other roles take neither. */
async function resolveAccountScope(
  db: Db,
  communeId: number,
  role: Role,
  villageCodes: string[],
  unitCode: string | null,
): Promise<{ villageIds: number[]; unitId: number | null }> {
  if (VILLAGE_ROLES.includes(role)) {
    if (villageCodes.length === 0) throw validationError({ villages: msg("v.village_required") });
    const found = await findVillagesByCodes(db, communeId, villageCodes);
    const missing = villageCodes.find((c) => !found.some((v) => v.code === c));
    if (missing) throw validationError({ villages: msg("v.village_unknown", { code: missing }) });
    if (unitCode) throw validationError({ unit: msg("v.scope_not_allowed") });
    return { villageIds: found.map((v) => v.id), unitId: null };
  }
  if (UNIT_ROLES.includes(role)) {
    if (!unitCode) throw validationError({ unit: msg("v.unit_required") });
    const unit = await findUnitByCode(db, communeId, unitCode);
    if (!unit) throw validationError({ unit: msg("v.unit_unknown", { code: unitCode }) });
    if (unit.type !== "school") throw validationError({ unit: msg("v.unit_wrong_type", { code: unitCode }) });
    if (villageCodes.length > 0) throw validationError({ villages: msg("v.scope_not_allowed") });
    return { villageIds: [], unitId: unit.id };
  }
  if (villageCodes.length > 0) throw validationError({ villages: msg("v.scope_not_allowed") });
  if (unitCode && UNIT_OPTIONAL_ROLES.includes(role)) {
    // The unit an officer works in (its tasks of the plan); the scope stays the commune's.
    const unit = await findUnitByCode(db, communeId, unitCode);
    if (!unit) throw validationError({ unit: msg("v.unit_unknown", { code: unitCode }) });
    return { villageIds: [], unitId: unit.id };
  }
  if (unitCode) throw validationError({ unit: msg("v.scope_not_allowed") });
  return { villageIds: [], unitId: null };
}

export async function createUser(opts: UserCtx & { input: unknown }): Promise<UserView> {
  const input = parseInput(ZCreateUser, opts.input, USER_FIELD_LABELS);
  assertRoleAllowed(opts, input.role);
  const { villageIds, unitId } = await resolveAccountScope(
    opts.db,
    opts.communeId,
    input.role,
    input.villages,
    input.unit,
  );
  const passwordHash = await hashPassword(input.password);
  return opts.db.transaction(async (tx) => {
    if (await usernameExists(tx, input.username)) {
      throw validationError({ username: msg("v.username_taken", { username: input.username }) });
    }
    const id = await insertUserRow(tx, {
      communeId: opts.communeId,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      unitId,
      passwordHash,
    });
    await replaceUserVillages(tx, opts.communeId, id, villageIds);
    const created = presentUser((await findUserRow(tx, { kind: "installation" }, id))!);
    await kit.auditChange(tx, opts.actor, { action: "user.create", entityId: id, after: created });
    return created;
  });
}

async function assertKeepsAnAdmin(db: Db, row: UserRow) {
  if (row.role === "admin" && row.disabledAt === null && (await countActiveAdmins(db, row.communeId)) <= 1) {
    throw new AppError("conflict", { message: msg("v.last_admin") });
  }
}

export async function updateUser(opts: UserCtx & { id: number; input: unknown }): Promise<UserView> {
  const input = parseInput(ZUpdateUser, opts.input, USER_FIELD_LABELS);
  return opts.db.transaction(async (tx) => {
    const row = await findUserRow(tx, opts.scope, opts.id);
    if (!row) throw notFound();
    const role = input.role ?? row.role;
    assertRoleAllowed(opts, role);
    const villageCodes = input.villages ?? (input.role ? [] : row.villageCodes);
    const unitCode =
      opts.input && typeof opts.input === "object" && "unit" in opts.input
        ? input.unit
        : input.role
          ? null
          : row.unitCode;
    if (role !== row.role) await assertKeepsAnAdmin(tx, row);
    const { villageIds, unitId } = await resolveAccountScope(tx, row.communeId, role, villageCodes, unitCode);
    await updateUserRow(tx, row.id, { displayName: input.displayName ?? row.displayName, role, unitId });
    await replaceUserVillages(tx, row.communeId, row.id, villageIds);
    const before = presentUser(row);
    const after = presentUser((await findUserRow(tx, opts.scope, row.id))!);
    // A changed role or scope takes effect at once: the account's sessions end.
    if (
      before.role !== after.role ||
      before.unit !== after.unit ||
      before.villages.join() !== after.villages.join()
    ) {
      await deleteSessionsOfUser(tx, row.id);
    }
    await kit.auditChange(tx, opts.actor, { action: "user.update", entityId: row.id, before, after });
    return after;
  });
}

export async function setUserDisabled(opts: UserCtx & { id: number; disabled: boolean }): Promise<UserView> {
  return opts.db.transaction(async (tx) => {
    const row = await findUserRow(tx, opts.scope, opts.id);
    if (!row) throw notFound();
    if (opts.disabled && row.id === opts.actor.userId) {
      throw new AppError("conflict", { message: msg("v.self_disable") });
    }
    if (opts.disabled) await assertKeepsAnAdmin(tx, row);
    if (opts.disabled === (row.disabledAt !== null)) return presentUser(row);
    await updateUserRow(tx, row.id, { disabledAt: opts.disabled ? now() : null });
    if (opts.disabled) await deleteSessionsOfUser(tx, row.id);
    const after = presentUser((await findUserRow(tx, opts.scope, row.id))!);
    await recordAudit(tx, opts.actor, {
      action: opts.disabled ? "user.disable" : "user.enable",
      entity: "user",
      entityId: row.id,
      before: presentUser(row),
      after,
    });
    return after;
  });
}

/** An administrator sets a new password; the account's sessions and tokens end. */
export async function resetUserPassword(
  opts: UserCtx & { id: number; password: string; confirm?: string | undefined },
): Promise<UserView> {
  const { password } = parseInput(
    z.object({ password: ZPassword }),
    { password: opts.password },
    USER_FIELD_LABELS,
  );
  if (opts.confirm !== undefined && opts.confirm !== password) {
    throw validationError({ password_confirm: msg("v.password_mismatch") });
  }
  const passwordHash = await hashPassword(password);
  return opts.db.transaction(async (tx) => {
    const row = await findUserRow(tx, opts.scope, opts.id);
    if (!row) throw notFound();
    await setPasswordHash(tx, row.id, passwordHash);
    await deleteSessionsOfUser(tx, row.id);
    await kit.auditChange(tx, opts.actor, { action: "user.password_reset", entityId: row.id });
    return presentUser(row);
  });
}
