import { and, asc, count, eq, inArray, isNull, ne, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import * as rowKit from "../../db/rows.ts";
import { units, users, userVillages, villages } from "../../db/schema.ts";
import { scopeWhere } from "../../db/scope.ts";
import type { Role, Scope } from "../auth/policy.ts";

export type UserRow = {
  id: number;
  communeId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unitCode: string | null;
  totpEnabled: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  villageCodes: string[];
};

const columns = {
  ...rowKit.columnsOf(users, "id", "communeId", "username", "displayName", "role", "unitId"),
  unitCode: units.code,
  ...rowKit.columnsOf(users, "totpEnabled", "disabledAt", "createdAt"),
};

/** Accounts are managed per commune: only a commune scope (or the installation's) reaches them. */
/** A commune's accounts: the province admins (installation-wide, issue 18.1) are no commune's to see or change. */
const scoped = (scope: Scope) =>
  scope.kind === "installation"
    ? undefined
    : and(scopeWhere(scope, { commune: users.communeId }), ne(users.role, "province_admin"));

async function withVillages(db: Db, rows: Omit<UserRow, "villageCodes">[]): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  const links = await db
    .select({ userId: userVillages.userId, code: villages.code })
    .from(userVillages)
    .innerJoin(villages, eq(villages.id, userVillages.villageId))
    .where(
      inArray(
        userVillages.userId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(villages.code));
  const byUser = new Map<number, string[]>();
  for (const l of links) byUser.set(l.userId, [...(byUser.get(l.userId) ?? []), l.code]);
  return rows.map((r) => ({ ...r, villageCodes: byUser.get(r.id) ?? [] }));
}

export async function listUserRows(
  db: Db,
  scope: Scope,
  filter: { role?: Role | undefined },
  page: rowKit.Page,
): Promise<rowKit.Paged<UserRow>> {
  const where: SQL | undefined = and(scoped(scope), filter.role ? eq(users.role, filter.role) : undefined);
  const rows = db
    .select(columns)
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .where(where)
    .orderBy(asc(users.displayNameSort), asc(users.username));
  const found = await rowKit.pagedRows(db, page, rows, { table: users, where });
  return { items: await withVillages(db, found.items), total: found.total };
}

export async function findUserRow(db: Db, scope: Scope, id: number): Promise<UserRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .where(and(eq(users.id, id), scoped(scope)));
  if (!row) return undefined;
  const [full] = await withVillages(db, [row]);
  return full;
}

export async function findUserRowByUsername(
  db: Db,
  scope: Scope,
  username: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.username, username.toLowerCase()), scoped(scope)));
  return row ? findUserRow(db, scope, row.id) : undefined;
}

export async function usernameExists(db: Db, username: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return !!row;
}

export async function insertUserRow(
  db: Db,
  values: {
    communeId: number;
    username: string;
    displayName: string;
    role: Role;
    unitId: number | null;
    passwordHash: string;
  },
): Promise<number> {
  return rowKit.insertRowId(db, users, values);
}

export async function updateUserRow(
  db: Db,
  id: number,
  values: Partial<{ displayName: string; role: Role; unitId: number | null; disabledAt: Date | null }>,
) {
  await rowKit.updateRowById(db, users, id, values);
}

export async function replaceUserVillages(db: Db, communeId: number, userId: number, villageIds: number[]) {
  await db.delete(userVillages).where(eq(userVillages.userId, userId));
  if (villageIds.length > 0) {
    await db.insert(userVillages).values(villageIds.map((villageId) => ({ communeId, userId, villageId })));
  }
}

export async function countActiveAdmins(db: Db, communeId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.communeId, communeId), eq(users.role, "admin"), isNull(users.disabledAt)));
  return row?.n ?? 0;
}
